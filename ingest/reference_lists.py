"""Works cited line by line: reference lists, bibliographies, notes and works lists.

Lines under a "References" / "Bibliography" / "Further Reading" / "Notes" heading, numbered
note lines in the second half, and unmistakable APA entries in the body are parsed by
`ingest.references`, whose regexes decide what is an entry; in a section or on a numbered
note line the trained tagger (`ingest.reference_adapter`) then reads the entry's fields, and
accepts section lines the regexes missed ("reference-tagged"). Lines of a "Works" /
"Publications" list read as "Title (1999)". An entry above the body text is the work the
document is about. Every such line is blocked for the prose scanners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.ingest.authorship import NAME_OK, NOT_NAME, clean_name, surname
from claimgraph.ingest.identifiers import entry_identifiers
from claimgraph.ingest.reference_adapter import (
    reference_from_tagger,
    tagged_reference,
    tagger_enabled,
)
from claimgraph.ingest.references import Reference, parse_reference
from claimgraph.ingest.titles import plausible_title, title_case_ratio
from claimgraph.ingest.work_candidates import Finder, Found

HEADING = re.compile(
    r"^\s*+(?:#{1,6}\s*+)?(?:\*\*|__)?\s*+(?P<h>(?:(?:APA|MLA|Chicago|Harvard)\s+)?(?:Citations?|Reference)|"
    r"References|Reference List|Bibliography|Select(?:ed)? Bibliography|Works Cited|Works Consulted|"
    r"Further Reading|Suggested Reading|Recommended Reading|Additional Reading|Reading List|"
    r"Sources|Sources and Further Reading|Literature|Selected Works|Notes|Endnotes|Footnotes|"
    r"Notes and References|How to Cite(?: This)?|Cite This(?: Article| Page| Work)?|"
    r"(?:Selected |Major |Principal )?(?:Works|Publications|Writings|Books|Filmography|Discography))"
    r"\s*(?:\*\*|__)?\s*:?\s*$",
    re.I,
)
_NOTES_HEADING = re.compile(r"notes|endnotes|footnotes", re.I)
_WORKS_HEADING = re.compile(
    r"(?:selected |major |principal )?(?:works|publications|writings|books|filmography|discography)",
    re.I,
)
#: A line of a works list: "- The Harbour (1999)", "3. Salt and Silver (2004), a novel".
_WORKS_LINE = re.compile(
    r"^\s*(?:[-*•–]\s+|\d{1,3}[.)]\s+)?(?P<t>[^\s()][^()]{1,150}?)\s*\((?P<y>1[5-9]\d\d|20\d\d)\)"
    r"\s*(?:$|[,.;:–—-])"
)
_NOTE_LINE = re.compile(r"^\s*(?:\[\d{1,3}\]|\^\d{1,3}|\(?\d{1,3}[.)])\s*\S")
#: Confidence of an entry only the tagger read (the regexes saw no entry on its line).
TAGGED_CONFIDENCE = 0.8


@dataclass
class _Lines:
    """Where the line reader is: the current section, the body, the lines taken."""

    half: int  # numbered note lines count only in the second half of the text
    tagger: bool = True  # entries' fields read by the trained tagger
    section: str | None = None  # "refs", "notes" or "works"
    misses: int = 0  # lines in a section that were no entry
    body_seen: bool = False
    blocked: list[tuple[int, int]] = field(default_factory=list)
    pending_subject: list[Found] = field(default_factory=list)


def _line_spans(text: str) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        e = text.find("\n", pos)
        if e < 0:
            e = n
        lines.append((pos, e))
        pos = e + 1
    return lines


def _section_kind(heading: str) -> str:
    if _NOTES_HEADING.fullmatch(heading):
        return "notes"
    return "works" if _WORKS_HEADING.fullmatch(heading) else "refs"


def scan_lines(finder: Finder, tagger: bool | None = None) -> None:
    """Reference, note and works-list lines of the document: candidates, and blocked lines.
    `tagger`: read entries with the trained tagger too (None: unless switched off by env)."""
    plain = finder.plain
    st = _Lines(half=len(plain) // 2, tagger=tagger_enabled() if tagger is None else tagger)
    for s, e in _line_spans(plain):
        line = plain[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        hm = HEADING.match(line)
        if hm and len(stripped) < 60:
            st.section = _section_kind(hm.group("h").strip())
            st.misses = 0
            continue
        if _read_entry(finder, st, line, s, e):
            st.misses = 0
            continue
        if st.section is not None:
            if _read_works_line(finder, line, s, e):
                st.blocked.append((s, e))
                st.misses = 0
                continue
            st.misses += 1
            if st.misses >= 2 or (len(stripped.split()) > 40):
                st.section = None
        words = len(stripped.split())
        if words >= 25 and not st.body_seen:
            st.body_seen = True
            if 0 < len(st.pending_subject) <= 2:  # one entry (or entry + note) above the body
                st.pending_subject[0].is_subject = True
    finder.set_blocked(st.blocked)


def _read_entry(finder: Finder, st: _Lines, line: str, s: int, e: int) -> bool:
    """A reference or note entry on this line, taken if its place makes it credible."""
    section = st.section
    ref: Reference | None = None
    if section or _NOTE_LINE.match(line) or len(line.strip()) < 400:
        ref = parse_reference(line)
    numbered = bool(_NOTE_LINE.match(line))
    if ref is None:
        return st.tagger and section in ("refs", "notes") and _read_tagged(finder, st, line, s, e)
    if ref.style == "note":
        ok = section is not None or (numbered and s >= st.half)
        rule = "footnote"
    elif section is not None or not st.body_seen:
        ok = True
        rule = f"reference-{ref.style}"
    else:
        # a lone entry in the body: only the unmistakable APA shape
        ok = ref.style == "apa" or (numbered and s >= st.half)
        rule = f"reference-{ref.style}"
    if section == "notes" or (numbered and ref.style == "note"):
        rule = "footnote"
    if not ok:
        return False
    if st.tagger and (section in ("refs", "notes") or numbered):
        ref = reference_from_tagger(line, ref)
    f = from_reference(finder, ref, s, e, rule)
    st.blocked.append((s, e))
    if not st.body_seen and f is not None:
        st.pending_subject.append(f)
    return True


def _read_tagged(finder: Finder, st: _Lines, line: str, s: int, e: int) -> bool:
    """A section line the regexes rejected that the tagger reads as an entry."""
    ref = tagged_reference(line)
    if ref is None:
        return False
    f = from_reference(finder, ref, s, e, "reference-tagged", confidence=TAGGED_CONFIDENCE)
    st.blocked.append((s, e))
    if not st.body_seen and f is not None:
        st.pending_subject.append(f)
    return True


def _read_works_line(finder: Finder, line: str, s: int, e: int) -> bool:
    """A "Title (1999)" line of a works list; on a page about a person, the person wrote it."""
    wm = _WORKS_LINE.match(line)
    if not wm or title_case_ratio(wm.group("t").split()) < 0.75:
        return False
    a, b = s + wm.start("t"), s + wm.end("t")
    if not plausible_title(finder.plain[a:b].strip(" *_")):
        return False
    owner = (finder.document.title or "").strip()
    authors = (
        [owner]
        if 2 <= len(owner.split()) <= 4 and NAME_OK.match(owner) and not NOT_NAME.search(owner)
        else []
    )
    finder.add(Found(a, b, s, e, "works-list", authors=authors, year=wm.group("y"), strong=True))
    return True


def from_reference(
    finder: Finder, ref: Reference, s: int, e: int, rule: str, confidence: float = 0.0
) -> Found | None:
    """The candidate for one parsed entry on line [s, e) (and its cited part, if any);
    confidence 0 means the rule's own."""
    a, b = s + ref.title_start, s + ref.title_end
    cs, ce = s, e
    while cs < ce and finder.text[cs] in " \t-*•–·":
        cs += 1
    while ce > cs and finder.text[ce - 1] in " \t\u00a0\r":
        ce -= 1
    # a title set in italics inside the entry gives its exact extent
    em = finder.emphasis_at(a, slack=3)
    if em and em[0] < e and em[1] <= e and em[1] - em[0] >= 2:
        a, b = em
    authors = list(ref.authors) or list(ref.editors)
    for name in authors:
        if name.split():
            finder.person_surnames.add(surname(name))
    if not plausible_title(finder.text[a:b]):
        return None
    f = Found(
        a,
        b,
        cs,
        ce,
        rule,
        authors=authors,
        year=ref.year,
        subtype=ref.subtype,
        publisher=ref.publisher,
        identifiers=entry_identifiers(finder.text[cs:ce]),
        strong=True,
        confidence=confidence,
    )
    finder.add(f)
    if ref.part:
        p = finder.plain.find(ref.part, s, e)
        if p >= 0:
            finder.add(
                Found(
                    p,
                    p + len(ref.part),
                    cs,
                    ce,
                    rule,
                    year=ref.year,
                    subtype="Legislation",
                    strong=True,
                    confidence=0.8,
                )
            )
    return f


def note_authors(finder: Finder, groups: dict[str, list[Found]]) -> None:
    """A note without author cites the person named just before its marker in the body:
    'Okafor (who noted3 that ...)' + '3. "Title," 1951' -> Okafor wrote Title."""
    notes = [f for fs in groups.values() for f in fs if f.rule == "footnote" and not f.authors]
    for f in notes:
        line = finder.text[f.cite_start : f.cite_end]
        nm = re.match(r"\s*\(?(\d{1,3})[.)]", line)
        if not nm:
            continue
        num = nm.group(1)
        marker = re.compile(rf"(?<=[a-z’”\"),.]){num}(?=[\s,.;:)”\"’]|$)")
        m = marker.search(finder.text, 0, f.cite_start)
        if m is None or finder.is_blocked(m.start()):
            continue
        p = finder.passage_at(m.start())
        if p is None:
            continue
        k = p.tok_at(m.start() - p.base)
        s0, _ = p.sent_bounds(k)
        for s, e, i, _j in reversed(p.persons()):
            if s0 <= i and e <= m.start() - p.base and m.start() - p.base - e <= 60:
                name = clean_name(p.text[s:e])
                if name and NAME_OK.match(name):
                    f.authors = [name]
                break
