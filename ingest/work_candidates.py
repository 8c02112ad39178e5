"""The state the works finder collects candidates in, shared by every scanner.

`ParsedPassage`: one passage's spaCy Doc with cheap character-to-token lookups.
`Found`: one candidate work before merging. `Finder`: the document's text, italics, the
reference lines no prose scanner may read again, the surnames known so far, and the
candidates found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from claimgraph.ingest.authorship import clean_name, surname
from claimgraph.ingest.titles import span_text

#: `free(c)`: local char c of the passage being scanned is not in a reference line.
Free = Callable[[int], bool]

# fmt: off
#: Confidence of a candidate by the rule that found it (unless the rule sets its own).
CONF = {
    "reference-apa": 0.95, "reference-chicago": 0.92, "reference-mla": 0.92,
    "reference-vancouver": 0.9, "reference-note": 0.85, "footnote": 0.85, "in-his-book": 0.85,
    "quoted-title": 0.8, "title-paren-author-year": 0.8, "name-comma-title": 0.8, "chapter": 0.8,
    "inline-possessive": 0.75, "title-by-author": 0.75, "title-list": 0.75, "author-of": 0.75,
    "in-title-comma-name": 0.7, "known-title": 0.7, "verb-in-title": 0.65, "verb-title": 0.65,
    "legislation": 0.65, "emphasis-title": 0.6, "descriptive": 0.6, "works-list": 0.8,
}
# fmt: on


class ParsedPassage:
    """One passage's spaCy Doc with cheap lookups from characters to tokens."""

    __slots__ = ("base", "doc", "text", "_idx", "_persons", "_ents")

    def __init__(self, base: int, doc) -> None:
        self.base = base
        self.doc = doc
        self.text = doc.text
        self._idx: list[int] | None = None
        self._persons: list[tuple[int, int, int, int]] | None = None
        self._ents = None

    @property
    def idx(self) -> list[int]:
        if self._idx is None:
            self._idx = [t.idx for t in self.doc]
        return self._idx

    def tok_starting(self, c: int) -> int | None:
        idx = self.idx
        i = bisect_left(idx, c)
        return i if i < len(idx) and idx[i] == c else None

    def tok_at(self, c: int) -> int:
        return max(0, bisect_right(self.idx, c) - 1)

    def persons(
        self, surnames: set[str] | frozenset[str] = frozenset()
    ) -> list[tuple[int, int, int, int]]:
        """PERSON entities and lone known surnames as (start_char, end_char, start_tok, end_tok).

        The first call decides the surnames (the finder calls it after reading references)."""
        if self._persons is None:
            out = [
                (e.start_char, e.end_char, e.start, e.end)
                for e in self.doc.ents
                if e.label_ == "PERSON"
            ]
            if surnames:
                for t in self.doc:
                    if (
                        t.pos_ == "PROPN"
                        and t.ent_type_ not in ("PERSON", "GPE", "LOC", "FAC")
                        and t.lower_ in surnames
                        and t.text[:1].isupper()
                    ):
                        out.append((t.idx, t.idx + len(t.text), t.i, t.i + 1))
                out.sort()
            self._persons = out
        return self._persons

    def reset_persons(self, surnames: set[str]) -> None:
        """Read the persons again, now with the surnames the reference lists made known."""
        self._persons = None
        self.persons(surnames)

    def ent_covering(self, i: int, j: int):
        """The entity covering tokens [i, j), if any."""
        if self._ents is None:
            self._ents = list(self.doc.ents)
        for e in self._ents:
            if e.start <= i and e.end >= j:
                return e
            if e.start >= j:
                break
        return None

    def sent_bounds(self, i: int) -> tuple[int, int]:
        s = self.doc[i].sent
        return s.start, s.end


@dataclass
class Found:
    """A candidate before merging."""

    start: int
    end: int
    cite_start: int
    cite_end: int
    rule: str
    authors: list[str] = field(default_factory=list)
    year: str | None = None
    subtype: str | None = None
    publisher: str | None = None
    identifiers: list[str] = field(default_factory=list)  # DOI and URL of an entry, as IRIs
    title: str | None = None  # display text if not the span's text
    confidence: float = 0.0
    is_subject: bool = False
    aliases: list[str] = field(default_factory=list)
    strong: bool = False  # bibliographic entry or explicit work noun


class Finder:
    """One document's text, italics, blocked reference lines and the candidates found so far."""

    def __init__(self, document, passages) -> None:
        self.document = document
        self.text = document.text
        self.plain = document.nlp_text
        self.passages = [ParsedPassage(b, d) for b, d in passages]
        self.found: list[Found] = []
        self.blocked: list[tuple[int, int]] = []  # reference / note lines
        self._blocked_starts: list[int] = []
        emph = sorted(getattr(document, "emphasis", None) or [])
        self.emph = emph
        self.emph_starts = [s for s, _ in emph]
        self._pbases = [p.base for p in self.passages]
        self.person_surnames: set[str] = set()
        for p in self.passages:
            for s, e, _i, _j in p.persons():
                name = clean_name(p.text[s:e])
                if name:
                    self.person_surnames.add(surname(name))

    def set_blocked(self, blocked: list[tuple[int, int]]) -> None:
        """Character ranges (reference and note lines) the prose scanners must skip."""
        self.blocked = sorted(blocked)
        self._blocked_starts = [b[0] for b in self.blocked]

    def is_blocked(self, pos: int) -> bool:
        i = bisect_right(self._blocked_starts, pos) - 1
        return i >= 0 and self.blocked[i][0] <= pos < self.blocked[i][1]

    def emphasis_at(self, pos: int, slack: int = 2) -> tuple[int, int] | None:
        i = bisect_left(self.emph_starts, pos)
        if i < len(self.emph) and self.emph[i][0] - pos <= slack:
            return self.emph[i]
        return None

    def passage_at(self, pos: int) -> ParsedPassage | None:
        i = bisect_right(self._pbases, pos) - 1
        if i >= 0 and pos < self.passages[i].base + len(self.passages[i].text):
            return self.passages[i]
        return None

    def add(self, f: Found) -> None:
        f.start, f.end = span_text(self.text, f.start, f.end)
        if f.end <= f.start:
            return
        if not f.confidence:
            f.confidence = CONF.get(f.rule, 0.6)
        self.found.append(f)

    def add_noun_work(
        self, m: re.Match, base: int, author: str, title: str, subtype: str | None = None
    ) -> None:
        """A work named by its noun alone ("Name's letter to X"): the noun is its span."""
        self.add(
            Found(
                base + m.start("noun"),
                base + m.end("noun"),
                base + m.start(),
                base + m.end(),
                "descriptive",
                authors=[author],
                title=title,
                subtype=subtype,
            )
        )
