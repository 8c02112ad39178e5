"""Reader for the Cornell eRulemaking Corpus (CDCP): `NNNNN.txt` + `NNNNN.ann.json` per comment.

Every proposition is a unit (role = its label); `reasons` and `evidences` entries
`[[first, last], target]` give one "supports" relation per proposition first..last -> target.
"""

from __future__ import annotations

import json
from pathlib import Path

from claimgraph.corpora.documents import CorpusDoc, Relation, Unit, corpus_dir, trimmed
from claimgraph.graph.errors import UserError

SPLITS = ("train", "test")


def read_cdcp(root: Path, split: str) -> list[CorpusDoc]:
    """Every comment of the official CDCP `split` ("train" or "test"), sorted by number."""
    if split not in SPLITS:
        raise UserError(f"unknown CDCP split {split!r} (choose train or test)")
    folder = corpus_dir(root, "cdcp") / split
    files = sorted(folder.glob("*.ann.json")) if folder.is_dir() else []
    if not files:
        raise UserError(f"no .ann.json files in {folder}")
    return [read_comment(path, split) for path in files]


def read_comment(ann_path: Path, split: str | None) -> CorpusDoc:
    """One CDCP comment from its annotation file and the .txt beside it."""
    stem = ann_path.name.removesuffix(".ann.json")
    text_path = ann_path.with_name(f"{stem}.txt")
    try:
        text = text_path.read_text(encoding="utf-8")
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        indexed = _units(text, ann["prop_offsets"], ann["prop_labels"])
        relations = _relations(indexed, ann.get("reasons") or [], ann.get("evidences") or [])
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UserError(f"{ann_path}: not a readable CDCP annotation ({exc})") from None
    return CorpusDoc(
        id=f"cdcp/{stem}",
        corpus="cdcp",
        text=text,
        genre="policy-comment",
        topic=None,
        split=split,
        units=[unit for unit in indexed if unit is not None],
        relations=relations,
    )


def _units(text: str, offsets: list, labels: list) -> list[Unit | None]:
    """One unit per proposition, by index; None where a proposition is only whitespace."""
    units: list[Unit | None] = []
    for index, ((begin, end), label) in enumerate(zip(offsets, labels, strict=True)):
        start, stop = trimmed(text, int(begin), int(end))
        units.append(Unit(f"p{index}", start, stop, str(label)) if stop > start else None)
    return units


def _relations(units: list[Unit | None], reasons: list, evidences: list) -> list[Relation]:
    out: list[Relation] = []
    for (first, last), target in [*reasons, *evidences]:
        dst = units[int(target)]
        for index in range(int(first), int(last) + 1):
            src = units[index]
            if src is None or dst is None or src.id == dst.id:
                continue
            relation = Relation(source=src.id, target=dst.id, type="supports")
            if relation not in out:
                out.append(relation)
    return out
