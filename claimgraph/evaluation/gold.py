"""Gold annotation files: reading them, checking their shape, and the entities to score.

The format is described in ``examples/gold/FORMAT.md`` and ``docs/evaluation.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from claimgraph.evaluation.matching import fold_name, unique
from claimgraph.evaluation.results import DOC, KINDS, RELATIONS
from claimgraph.graph.errors import UserError


def load_gold(path: str | Path) -> list[dict]:
    """Read one gold JSON file, or every ``*.json`` file of a folder (sorted by name).

    Checks the shape of each file and raises UserError with the file name when it is wrong.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
        if not files:
            raise UserError(f"no gold files (*.json) in {path}")
    elif path.is_file():
        files = [path]
    else:
        raise UserError(f"gold file or folder not found: {path}")
    golds = []
    seen: dict[str, Path] = {}
    for file in files:
        try:
            gold = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"cannot read gold file {file}: {exc}") from None
        check_gold(gold, str(file))
        name = gold["document"]
        if name in seen:
            raise UserError(f"gold files {seen[name]} and {file} both describe document {name!r}")
        seen[name] = file
        golds.append(gold)
    return golds


def check_gold(gold: object, where: str) -> None:
    """Raise UserError naming `where` and the entry when `gold` is not a valid gold object."""
    if not isinstance(gold, dict):
        raise UserError(f"{where}: a gold file is one JSON object")
    if not isinstance(gold.get("document"), str) or not gold["document"]:
        raise UserError(f'{where}: "document" (the source file name) is missing')
    genre = gold.get("genre")
    if genre is not None and (not isinstance(genre, str) or not genre.strip()):
        raise UserError(f'{where}: "genre" must be a non-empty string when given')
    entities = gold.get("entities", [])
    relations = gold.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        raise UserError(f'{where}: "entities" and "relations" must be lists')
    ids = {DOC}
    for i, e in enumerate(entities):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            raise UserError(f"{where}: entity {i} has no id")
        if not isinstance(e.get("type"), str):
            raise UserError(f"{where}: entity {e['id']!r} has no type")
        if e["id"] in ids:
            raise UserError(f"{where}: entity id {e['id']!r} is used twice")
        ids.add(e["id"])
        if e["type"] == "Claim" and not (e.get("text") or e.get("quote")):
            raise UserError(f"{where}: claim {e['id']!r} has neither text nor quote")
        if e["type"] in KINDS and e["type"] != "Claim" and not e.get("label"):
            raise UserError(f"{where}: entity {e['id']!r} has no label")
    for i, r in enumerate(relations):
        if not isinstance(r, dict):
            raise UserError(f"{where}: relation {i} is not an object")
        if r.get("type") not in RELATIONS:
            raise UserError(
                f"{where}: relation {i} has type {r.get('type')!r}; "
                f"expected one of {', '.join(RELATIONS)}"
            )
        for end in ("source", "target"):
            if r.get(end) not in ids:
                raise UserError(f"{where}: relation {i} {end} {r.get(end)!r} is not an entity id")


def genre_of(gold: Mapping) -> str | None:
    """The gold file's optional genre, stripped (None when it names none)."""
    genre = gold.get("genre")
    return genre.strip() if isinstance(genre, str) and genre.strip() else None


@dataclass
class GoldEntity:
    """A scored gold entity with its names folded for matching."""

    id: str
    kind: str
    label: str
    names: list[str]  # folded label and aliases (Person, Work, Event)
    texts: list[str]  # text and quote (Claim)


def gold_entities(gold: Mapping) -> dict[str, list[GoldEntity]]:
    """The gold entities of the scored types (KINDS), by type."""
    by_kind: dict[str, list[GoldEntity]] = {k: [] for k in KINDS}
    for e in gold.get("entities", []):
        if e["type"] not in KINDS:
            continue
        label = fold_name(e.get("label") or "")
        names = unique([label, *(fold_name(a) for a in e.get("aliases", []) if a)])
        texts = [t for t in (e.get("text"), e.get("quote"), e.get("label")) if t]
        by_kind[e["type"]].append(GoldEntity(e["id"], e["type"], label, names, texts))
    return by_kind
