"""Corpus documents as gold annotation files (examples/gold/FORMAT.md) beside their texts.

Every argument unit becomes a Claim entity whose text and quote are the exact unit text;
every relation quotes its source unit. A SOURCE.md in the gold folder names the corpus and licence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from claimgraph.corpora.documents import CorpusDoc

SOURCES = {
    "web-discourse": "Habernal & Gurevych 2017, Argumentation Mining in User-Generated Web "
    "Discourse (habernal/argumentation-mining-in-web-discourse); Apache-2.0",
    "cdcp": "Park & Cardie 2018, Cornell eRulemaking Corpus - CDCP (AGalassi/StructurePrediction18); "
    "Open Database License + Database Contents License",
}


def file_stem(doc: CorpusDoc) -> str:
    """The file name (without extension) a document is exported under, e.g. "cdcp-00194"."""
    return doc.id.replace("/", "-")


def to_gold(doc: CorpusDoc, file_name: str) -> dict:
    """The gold JSON object of `doc`, whose text is saved as `file_name`."""
    entities = [
        {
            "id": unit.id,
            "type": "Claim",
            "text": doc.unit_text(unit),
            "quote": doc.unit_text(unit),
            "role": unit.role,
        }
        for unit in doc.units
    ]
    quotes = {unit.id: doc.unit_text(unit) for unit in doc.units}
    relations = [
        {"source": r.source, "type": r.type, "target": r.target, "quote": quotes[r.source]}
        for r in doc.relations
        if r.source in quotes and r.target in quotes
    ]
    gold = {"document": file_name, "genre": doc.genre, "corpus": doc.corpus}
    if doc.topic:
        gold["topic"] = doc.topic
    gold["entities"] = entities
    gold["relations"] = relations
    return gold


def write_corpus(docs: Iterable[CorpusDoc], text_dir: Path, gold_dir: Path) -> int:
    """Write NAME.txt into `text_dir` and NAME.json into `gold_dir` per document; returns the count."""
    text_dir, gold_dir = Path(text_dir), Path(gold_dir)
    text_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    corpora: set[str] = set()
    count = 0
    for doc in docs:
        stem = file_stem(doc)
        (text_dir / f"{stem}.txt").write_text(doc.text, encoding="utf-8", newline="")
        gold = to_gold(doc, f"{stem}.txt")
        (gold_dir / f"{stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        corpora.add(doc.corpus)
        count += 1
    (gold_dir / "SOURCE.md").write_text(_card(sorted(corpora)), encoding="utf-8")
    return count


def _card(corpora: list[str]) -> str:
    lines = ["# Source of these gold files", ""]
    lines += [
        "Converted by `claimgraph corpus export` from human annotations; the texts and "
        "annotations keep their corpus licence:",
        "",
    ]
    lines += [f"- {name}: {SOURCES.get(name, 'see the corpus folder')}" for name in corpora]
    return "\n".join(lines) + "\n"
