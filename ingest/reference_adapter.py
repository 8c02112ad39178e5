"""The trained reference tagger behind the regex gate: better fields for accepted entries, and
entries the regexes miss.

`ingest.references.parse_reference` decides whether a line is an entry at all (the CRF labels
anything it is given); `reference_from_tagger` then refills the entry's fields from the CRF of
`ingest.reference_tagger` when the two parsers agree on where the title is, and
`tagged_reference` accepts a line the regexes rejected when the CRF finds a title and enough
bibliographic fields around it. Set CLAIMGRAPH_REFERENCE_TAGGER=0 to read with the regexes only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from claimgraph.ingest.reference_tagger import ParsedReference
from claimgraph.ingest.reference_tagger import parse_reference as tag_fields
from claimgraph.ingest.references import Reference
from claimgraph.ingest.titles import plausible_title

ENV_SWITCH = "CLAIMGRAPH_REFERENCE_TAGGER"
#: Longest line the tagger alone may accept as an entry (longer ones are prose).
MAX_TAGGED_CHARS = 400
MAX_TAGGED_WORDS = 60

_LIST_MARK = re.compile(
    r"[ \t]*(?:[-*•–·][ \t]+|\(?\d{1,3}[.)][ \t]+|\[\d{1,3}\][ \t]*|\^\d{1,3}[ \t]+)"
)
# "…, 2006, p. 296. Other sources say …": an entry closing on a number, then a new sentence.
_ENTRY_END = re.compile(r"(?<=\d)\.[ \t]+(?=[“\"‘'(]?[A-Z])")
_ROLE_WORD = re.compile(
    r"^(?:eds?\.|editors?|edited\s+by|ed\.\s+by|trans\.|translated\s+by|by|in:?)\s+", re.I
)
_NAME_FIELDS = frozenset({"author", "editor"})


@dataclass
class TaggedReference(Reference):
    """A Reference with the fields only the tagger reads."""

    doi: str | None = None
    url: str | None = None
    volume: str | None = None


def tagger_enabled() -> bool:
    """Whether reference lines go through the tagger (off when $CLAIMGRAPH_REFERENCE_TAGGER
    is 0, false, off or no)."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() not in ("0", "false", "off", "no")


def _entry_span(line: str, after: int | None) -> tuple[int, int]:
    """Where the entry lies in `line`: past the list mark, and (given a title ending at
    `after`) up to a commentary sentence that follows an entry closing on a number."""
    m = _LIST_MARK.match(line)
    start = m.end() if m else 0
    end = len(line)
    cut = _ENTRY_END.search(line, max(after, start)) if after is not None else None
    if cut:
        end = cut.start() + 1
    return start, end


def _names(names: list[str], raw: str) -> list[str]:
    """Names as the tagger split them, without role words and non-names; one-word pieces
    read as "Surname, Given" pairs, or as given names sharing the last name's surname."""
    out = []
    for name in names:
        name = _ROLE_WORD.sub("", name).strip(" ,.;:")
        words = name.split()
        if 1 <= len(words) <= 5 and not any(c.isdigit() for c in name):
            out.append(" ".join(words))
    single = [len(n.split()) == 1 for n in out]
    if len(out) >= 2 and all(single) and len(out) % 2 == 0 and "," in raw:  # "Lee, Ann and Ng, Bo"
        return [f"{out[i + 1]} {out[i]}" for i in range(0, len(out), 2)]
    if len(out) >= 2 and all(single[:-1]) and not single[-1]:  # "Ann and Bo Lund"
        family = out[-1].split()[-1]
        return [f"{n} {family}" for n in out[:-1]] + [out[-1]]
    return out


def _field(p: ParsedReference, label: str) -> str:
    """The text of the first field with this label."""
    return next((text for lab, _, _, text in p.fields if lab == label), "")


def _surnames(names: list[str]) -> set[str]:
    return {n.split()[-1].casefold().strip(".") for n in names if n.split()}


def _inside_names(p: ParsedReference, a: int, b: int) -> bool:
    """Whether [a, b) of the tagged string lies in an author or editor field."""
    return any(lab in _NAME_FIELDS and s <= a and b <= e for lab, s, e, _ in p.fields)


def _refill(gate: Reference, p: ParsedReference, base: int, keep_title: bool) -> TaggedReference:
    """The gate's entry with the tagger's title (unless kept) and the fields it found."""
    authors, editors = (
        _names(p.authors, _field(p, "author")),
        _names(p.editors, _field(p, "editor")),
    )
    if gate.authors and (not authors or _surnames(authors) == _surnames(gate.authors)):
        authors = list(gate.authors)  # same people: keep the regex's shared-surname reading
    if keep_title:
        ts, te, title = gate.title_start, gate.title_end, gate.title
    else:
        ts, te, title = base + p.title_start, base + p.title_end, p.title or ""
    return TaggedReference(
        authors=authors,
        year=p.year or gate.year,
        title=title,
        container=p.container or gate.container,
        publisher=p.publisher or gate.publisher,
        pages=p.pages or gate.pages,
        style=gate.style,
        title_start=ts,
        title_end=te,
        editors=editors or list(gate.editors),
        place=p.location or gate.place,
        part=gate.part,
        subtype=p.subtype or gate.subtype or "Book",
        quoted=gate.quoted and keep_title,
        doi=p.doi,
        url=p.url,
        volume=p.volume,
    )


def reference_from_tagger(line: str, gate: Reference) -> Reference:
    """`gate` (the regex parse of `line`) with the tagger's fields, when the two agree on the
    title: their titles overlap, or the regex took the tagger's author names for a title.
    A title in quotation marks keeps the regex's extent; otherwise the tagger's is used."""
    start, end = _entry_span(line, gate.title_end)
    p = tag_fields(line[start:end])
    if not p.title or not plausible_title(p.title):
        return gate
    ts, te = start + p.title_start, start + p.title_end
    overlap = ts < gate.title_end and gate.title_start < te
    if not overlap:
        ga, gb = gate.title_start - start, gate.title_end - start
        if gate.quoted or not _inside_names(p, ga, gb):
            return gate
    return _refill(gate, p, start, keep_title=overlap and gate.quoted)


def _evidence(p: ParsedReference) -> int:
    """How many kinds of bibliographic field besides the title the tagger found."""
    return sum(
        (
            bool(p.authors or p.editors),
            bool(p.year),
            bool(p.container),
            bool(p.publisher or p.location),
            bool(p.volume or p.pages),
        )
    )


def tagged_reference(line: str) -> Reference | None:
    """An entry the regexes rejected, read by the tagger alone: a title and at least two
    other kinds of field (names, date, container, publisher or place, volume or pages)."""
    if len(line) > MAX_TAGGED_CHARS or len(line.split()) > MAX_TAGGED_WORDS:
        return None
    start, end = _entry_span(line, None)
    p = tag_fields(line[start:end])
    if not p.title or not plausible_title(p.title) or _evidence(p) < 2:
        return None
    gate = Reference(style="tagged", title_start=start + p.title_start)
    gate.title_end = gate.title_start
    return _refill(gate, p, start, keep_title=False)


__all__ = [
    "ENV_SWITCH",
    "TaggedReference",
    "reference_from_tagger",
    "tagged_reference",
    "tagger_enabled",
]
