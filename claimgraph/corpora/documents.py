"""The shapes every corpus reader returns: documents with argument units and relations, and stance pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.graph.errors import UserError


@dataclass(frozen=True)
class Unit:
    """One annotated argument unit; `text[start:end]` of its document is the unit."""

    id: str
    start: int
    end: int
    role: str


@dataclass(frozen=True)
class Relation:
    """A directed argument relation between two units of one document."""

    source: str
    target: str
    type: str  # "supports" | "disputes"


@dataclass
class CorpusDoc:
    """One annotated document of a corpus."""

    id: str
    corpus: str
    text: str
    genre: str
    topic: str | None
    split: str | None
    units: list[Unit] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def unit_text(self, unit: Unit) -> str:
        """The exact text of `unit` in this document."""
        return self.text[unit.start : unit.end]


@dataclass(frozen=True)
class StancePair:
    """A claim and a perspective that supports or disputes it (PERSPECTRUM)."""

    claim: str
    perspective: str
    stance: str  # "supports" | "disputes"
    split: str  # "train" | "dev" | "test"


def corpus_dir(root: Path, name: str) -> Path:
    """The folder of corpus `name` under `root`, or a one-line UserError if it is missing."""
    folder = Path(root) / name
    if not folder.is_dir():
        raise UserError(f"corpus folder not found: {folder} (pass --corpora PATH)")
    return folder


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets narrowed so the span neither starts nor ends with whitespace."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
