"""Reader for Habernal & Gurevych's web-discourse corpus (UIMA XMI, one file per document).

Roles come from the Toulmin element types; relations map premise/backing/claim -> claim to
"supports" and rebuttal -> claim to "disputes". The corpus links a refutation to the claim whose
rebuttal it answers; it is read as disputing that rebuttal (the nearest one before it, else the
nearest after), as the Toulmin model has it. Implicit claims (no span) are skipped with their relations.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from claimgraph.corpora.documents import CorpusDoc, Relation, Unit, corpus_dir, trimmed
from claimgraph.graph.errors import UserError

XMI_ID = "{http://www.omg.org/XMI}id"
ROLES = {"Claim": "claim", "Premise": "premise", "Backing": "backing",
         "Rebuttal": "rebuttal", "Refutation": "refutation"}  # fmt: skip
TOPICS = (
    "homeschooling",
    "mainstreaming",
    "prayer-in-schools",
    "public-private-schools",
    "redshirting",
    "single-sex-education",
)


@dataclass
class _Raw:
    text: str = ""
    meta: dict | None = None
    components: list[tuple[str, str, int, int]] | None = None  # xmi id, role, begin, end
    links: list[tuple[str, str]] | None = None  # source xmi id, target xmi id


def read_web_discourse(root: Path) -> list[CorpusDoc]:
    """Every document of `root`/web-discourse, sorted by document number."""
    folder = corpus_dir(root, "web-discourse")
    data = folder / "gold.data.toulmin"
    files = sorted(data.glob("*.xmi"), key=lambda p: (len(p.stem), p.stem)) if data.is_dir() else []
    if not files:
        raise UserError(f"no .xmi files in {data}")
    return [read_xmi(path) for path in files]


def read_xmi(path: Path) -> CorpusDoc:
    """One web-discourse document from its XMI file."""
    try:
        raw = _scan(path)
    except (ET.ParseError, ValueError) as exc:
        raise UserError(f"{path}: not a readable XMI file ({exc})") from None
    meta = raw.meta or {}
    units, by_xmi = _units(raw)
    relations = _relations(raw, by_xmi, units)
    return CorpusDoc(
        id=f"web-discourse/{meta.get('origId') or path.stem}",
        corpus="web-discourse",
        text=raw.text,
        genre=meta.get("docType") or "unknown",
        topic=meta.get("topic") or None,
        split=None,
        units=units,
        relations=relations,
    )


def _scan(path: Path) -> _Raw:
    raw = _Raw(components=[], links=[])
    for _, el in ET.iterparse(path, events=("end",)):
        kind = el.tag.rsplit("}", 1)[-1]
        if kind == "Sofa":
            raw.text = el.get("sofaString") or ""
        elif kind == "WebArgumentMetadata":
            raw.meta = dict(el.attrib)
        elif kind in ROLES:
            begin, end = int(el.get("begin", 0)), int(el.get("end", 0))
            raw.components.append((el.get(XMI_ID, ""), ROLES[kind], begin, end))
        elif kind == "ArgumentRelation":
            raw.links.append((el.get("source", ""), el.get("target", "")))
        el.clear()
    return raw


def _units(raw: _Raw) -> tuple[list[Unit], dict[str, Unit | None]]:
    """Explicit units in text order, and every component's xmi id -> its unit (None if implicit)."""
    by_xmi: dict[str, Unit | None] = {}
    explicit = []
    for xmi_id, role, begin, end in raw.components:
        start, stop = trimmed(raw.text, begin, end)
        if stop <= start:
            by_xmi[xmi_id] = None
            continue
        explicit.append((start, stop, role, xmi_id))
    explicit.sort()
    units = []
    for number, (start, stop, role, xmi_id) in enumerate(explicit, 1):
        unit = Unit(id=f"u{number}", start=start, end=stop, role=role)
        by_xmi[xmi_id] = unit
        units.append(unit)
    return units, by_xmi


def _relations(raw: _Raw, by_xmi: dict[str, Unit | None], units: list[Unit]) -> list[Relation]:
    roles = {xmi_id: role for xmi_id, role, _, _ in raw.components}
    rebuttals_of: dict[str, list[Unit]] = {}
    for source, target in raw.links:
        unit = by_xmi.get(source)
        if roles.get(source) == "rebuttal" and unit is not None:
            rebuttals_of.setdefault(target, []).append(unit)
    out: list[Relation] = []
    for source, target in raw.links:
        src, role = by_xmi.get(source), roles.get(source)
        if src is None:
            continue
        if role == "refutation":
            dst = _answered_rebuttal(src, rebuttals_of.get(target, []))
            kind = "disputes"
        else:
            dst = by_xmi.get(target)
            kind = "disputes" if role == "rebuttal" else "supports"
        if dst is None or dst.id == src.id:
            continue
        relation = Relation(source=src.id, target=dst.id, type=kind)
        if relation not in out:
            out.append(relation)
    return out


def _answered_rebuttal(refutation: Unit, rebuttals: list[Unit]) -> Unit | None:
    before = [r for r in rebuttals if r.start < refutation.start]
    if before:
        return max(before, key=lambda r: r.start)
    return min(rebuttals, key=lambda r: r.start) if rebuttals else None
