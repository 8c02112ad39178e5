"""In-text citations and the reference-list entries they point to.

Finds "(Marsh 1990, 45)", "(Marsh and Lee 1990; Okafor 2001a)", "Marsh (1990)", "Marsh et
al.'s (1990)", "[12]", "[3, 5–7]", footnote markers glued to a word ("noted3", blanked by
`ingest.markers` in the text language processing reads), superscript digits, "[^3]", and
"ibid." / "op. cit."; then resolves each to the works of the reference list: by first
author's surname and year (a letter suffix "1990b" picks among same-year entries), by entry
number (numeric styles and notes, a note reading "Ibid." standing for the note before it),
and ibid./op. cit. by the citation before them. Every pattern has bounded repetitions only,
so a hostile text is read in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimgraph.ingest.works import WorkMention

Span = tuple[int, int]

_PARTICLE = r"(?:van|von|de|der|den|du|da|di|del|della|des|le|la|ten|ter|al|el)"
_SURNAME = rf"(?:{_PARTICLE}[ \t]){{0,2}}[A-ZÀ-ÖØ-Þ][\w’'\-]{{1,30}}"
_NAMES = (
    rf"(?P<names>{_SURNAME}(?:(?:,[ \t](?:(?:and|&)[ \t])?|[ \t](?:and|&)[ \t]){_SURNAME}){{0,4}}"
    r"(?:[ \t]et[ \t]al\.?)?)"
)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?"
_YEARS = rf"(?P<years>{_YEAR}(?:,[ \t]?{_YEAR}(?!\d)){{0,5}})"
_PAGES = (
    r"(?P<pages>(?:pp?\.[ \t]?)?\d{1,5}(?:[ \t]?[-–—][ \t]?\d{1,5})?"
    r"(?:,[ \t]?\d{1,5}(?:[ \t]?[-–—][ \t]?\d{1,5})?){0,4})"
)
_PREFIX = r"(?i:(?:see(?:[ \t]also)?|cf\.|e\.g\.,?|also|quoted[ \t]in|as[ \t]cited[ \t]in)[ \t])?"

#: One piece of a parenthetical citation: "see Marsh and Lee 1990, 45".
_PAREN_PIECE = re.compile(rf"{_PREFIX}{_NAMES},?[ \t]{_YEARS}(?:[,:][ \t]?{_PAGES})?")
_PAREN = re.compile(r"\((?P<body>[^()\n]{4,240})\)")
#: "Marsh (1990)", "Marsh and Lee’s (1990, 45)".
_NARRATIVE = re.compile(
    rf"(?<![\w’'\-]){_NAMES}(?:['’]s)?[ \t]{{1,3}}\({_YEARS}(?:[,:][ \t]?{_PAGES})?\)"
)
_NUMERIC = re.compile(
    r"\[(?P<nums>\d{1,3}(?:[ \t]?[-–—][ \t]?\d{1,3})?(?:[ \t]?,[ \t]?\d{1,3}(?:[ \t]?[-–—][ \t]?\d{1,3})?){0,15})\]"
)
_MD_NOTE = re.compile(r"\[\^(?P<n>\d{1,3})\]")
_SUPERSCRIPT = re.compile(r"(?<=[^\s⁰¹²³⁴⁵⁶⁷⁸⁹])[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}")
_SUPER_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_DIGITS = re.compile(r"(?<!\d)\d{1,3}(?!\d)")
_AGAIN = re.compile(
    rf"(?:(?<![\w’'\-]){_NAMES},?[ \t])?(?P<op>(?i:op\.[ \t]?cit\.))"
    r"|(?P<ibid>\b(?i:ibid(?:em)?)\b\.?|\bId\.)"
)
_ENTRY_NUMBER = re.compile(r"[ \t]*(?:\[(?P<a>\d{1,3})\]|\(?(?P<b>\d{1,3})[.)]?(?=[ \t]))")
_IBID_NOTE = re.compile(
    r"^[ \t]*(?:\[(?P<a>\d{1,3})\]|\(?(?P<b>\d{1,3})[.)])[ \t]+(?:ibid|ibidem|id\.)", re.I | re.M
)
_NAME_SPLIT = re.compile(r",[ \t](?:(?:and|&)[ \t])?|[ \t](?:and|&)[ \t]")
#: Longest range "[5–7]" expanded into single entry numbers.
MAX_RANGE = 50


@dataclass(frozen=True)
class InTextCitation:
    """One citation in running text; `kind` is author-year, numeric, note, ibid or op-cit."""

    start: int
    end: int
    kind: str
    surnames: tuple[str, ...] = ()  # as written, first author first
    years: tuple[str, ...] = ()  # "1990", "1990a"
    numbers: tuple[int, ...] = ()  # entry or note numbers
    pages: str | None = None


@dataclass
class CitationLink:
    """A citation and the works of the reference list it points to."""

    citation: InTextCitation
    works: list[WorkMention] = field(default_factory=list)


def _surnames(names: str) -> tuple[str, ...]:
    names = re.sub(r"[ \t]et[ \t]al\.?$", "", names.strip())
    parts = (re.sub(r"['’]s$", "", p.strip()) for p in _NAME_SPLIT.split(names))
    return tuple(p for p in parts if p)


def _years(years: str) -> tuple[str, ...]:
    return tuple(y.strip() for y in years.split(",") if y.strip())


def _numbers(nums: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in nums.split(","):
        lo, _, hi = re.sub(r"[–—]", "-", part.replace(" ", "")).partition("-")
        a = int(lo)
        b = int(hi) if hi else a
        out.extend(range(a, b + 1) if 0 <= b - a <= MAX_RANGE else (a, b))
    return tuple(out)


def _author_year(text: str) -> list[InTextCitation]:
    """Parenthetical pieces and narrative "Name (Year)" citations."""
    out = []
    for m in _PAREN.finditer(text):
        pos = m.start("body")
        for piece in m.group("body").split(";"):
            lead = len(piece) - len(piece.lstrip())
            pm = _PAREN_PIECE.fullmatch(piece.strip().rstrip("."))
            if pm:
                a = pos + lead
                out.append(
                    InTextCitation(
                        a,
                        a + len(piece.strip()),
                        "author-year",
                        _surnames(pm.group("names")),
                        _years(pm.group("years")),
                        pages=pm.group("pages"),
                    )
                )
            pos += len(piece) + 1
    for m in _NARRATIVE.finditer(text):
        out.append(
            InTextCitation(
                m.start(),
                m.end(),
                "author-year",
                _surnames(m.group("names")),
                _years(m.group("years")),
                pages=m.group("pages"),
            )
        )
    return out


def _notes(text: str, plain: str) -> list[InTextCitation]:
    """Note markers: digits glued to a word that the language-processing text blanked,
    superscript digits, and Markdown "[^3]"."""
    out = []
    if plain is not text and len(plain) == len(text):
        for m in _DIGITS.finditer(text):
            a, b = m.span()
            if a and plain[a:b].isspace() and not plain[a - 1].isspace():
                out.append(InTextCitation(a, b, "note", numbers=(int(m.group()),)))
    for m in _SUPERSCRIPT.finditer(text):
        n = int(m.group().translate(_SUPER_DIGITS))
        out.append(InTextCitation(m.start(), m.end(), "note", numbers=(n,)))
    for m in _MD_NOTE.finditer(text):
        out.append(InTextCitation(m.start(), m.end(), "note", numbers=(int(m.group("n")),)))
    return out


def find_citations(
    text: str, plain: str | None = None, skip: Sequence[Span] = ()
) -> list[InTextCitation]:
    """The in-text citations of `text`, by position, outside the `skip` spans (the
    reference entries themselves); `plain` is the text language processing read."""
    found = _author_year(text) + _notes(text, plain if plain is not None else text)
    found += [
        InTextCitation(m.start(), m.end(), "numeric", numbers=_numbers(m.group("nums")))
        for m in _NUMERIC.finditer(text)
    ]
    for m in _AGAIN.finditer(text):
        if m.group("op"):
            names = _surnames(m.group("names")) if m.group("names") else ()
            found.append(InTextCitation(m.start(), m.end(), "op-cit", names))
        else:
            found.append(InTextCitation(m.start(), m.end(), "ibid"))
    spans = sorted(skip)
    out: dict[int, InTextCitation] = {}
    for c in sorted(found, key=lambda c: (c.start, -c.end)):
        if c.start not in out and not _inside(spans, c.start):
            out[c.start] = c
    return list(out.values())


def _inside(spans: list[Span], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _is_entry(w: WorkMention) -> bool:
    return w.rule.startswith(("reference", "footnote"))


def _fold(name: str) -> str:
    return name.split()[-1].casefold().replace("’", "'") if name.split() else ""


@dataclass
class _Entries:
    """The reference list: entries by number, by (first surname, year), in order."""

    numbered: dict[int, list[WorkMention]]
    by_year: dict[tuple[str, str], list[WorkMention]]
    ibid_notes: set[int]


def _entries(works: Sequence[WorkMention], text: str) -> _Entries:
    numbered: dict[int, list[WorkMention]] = {}
    lines: list[int] = []  # entry lines in order, for an unnumbered list cited by number
    by_line: dict[int, list[WorkMention]] = {}
    by_year: dict[tuple[str, str], list[WorkMention]] = {}
    for w in works:
        if not _is_entry(w):
            continue
        if w.cite_start not in by_line:
            lines.append(w.cite_start)
        by_line.setdefault(w.cite_start, []).append(w)
        m = _ENTRY_NUMBER.match(text, w.cite_start, w.cite_end)
        if m:
            numbered.setdefault(int(m.group("a") or m.group("b")), []).append(w)
        if w.authors and w.year:
            key = (_fold(w.authors[0]), w.year[:4])
            if not any(x.title == w.title for x in by_year.get(key, [])):
                by_year.setdefault(key, []).append(w)
    if not numbered:
        numbered = {i + 1: by_line[s] for i, s in enumerate(lines)}
    ibid = {int(m.group("a") or m.group("b")) for m in _IBID_NOTE.finditer(text)}
    return _Entries(numbered, by_year, ibid)


def _by_author_year(c: InTextCitation, entries: _Entries) -> list[WorkMention]:
    out: list[WorkMention] = []
    first = _fold(c.surnames[0]) if c.surnames else ""
    others = {_fold(s) for s in c.surnames[1:]}
    for year in c.years:
        cands = entries.by_year.get((first, year[:4]), [])
        if others:
            cands = [w for w in cands if others <= {_fold(a) for a in w.authors}] or cands
        suffix = year[4:]
        if suffix and len(cands) > 1:
            i = ord(suffix) - ord("a")
            cands = cands[i : i + 1]
        if len(cands) == 1:  # two same-year entries and no letter: which one is unknown
            out.append(cands[0])
    return out


def _by_number(n: int, entries: _Entries) -> list[WorkMention]:
    for _ in range(1000):  # a note reading "Ibid." cites what the note before it cites
        if n in entries.numbered:
            return entries.numbered[n]
        if n not in entries.ibid_notes:
            return []
        n -= 1
    return []


def resolve_citations(
    citations: Sequence[InTextCitation], works: Sequence[WorkMention], text: str
) -> list[CitationLink]:
    """Each citation with the reference-list works it points to (citations that point to
    none are left out); ibid. and op. cit. take the works of the citation before them."""
    entries = _entries(works, text)
    links: list[CitationLink] = []
    for c in citations:
        if c.kind == "author-year":
            found = _by_author_year(c, entries)
        elif c.kind in ("numeric", "note"):
            found = [w for n in c.numbers for w in _by_number(n, entries)]
        elif c.kind == "op-cit" and c.surnames:
            name = _fold(c.surnames[0])
            found = next(
                (
                    link.works
                    for link in reversed(links)
                    if any(name in {_fold(a) for a in w.authors} for w in link.works)
                ),
                [],
            )
        else:
            found = links[-1].works[-1:] if links else []
        seen: set[str] = set()
        unique = [w for w in found if not (w.title in seen or seen.add(w.title))]
        if unique:
            links.append(CitationLink(c, unique))
    return links


__all__ = ["CitationLink", "InTextCitation", "find_citations", "resolve_citations"]
