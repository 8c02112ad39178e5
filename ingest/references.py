"""Reading one bibliography entry or footnote line: authors, year, title, container, publisher.

Pure string parsing, no spaCy. `parse_reference(line)` recognises the common English citation
styles as they appear in plain text (italics already gone or blanked to spaces):

* APA:      ``Surname, I. I., & Surname, I. (2001). Title: Subtitle. Publisher.``
* Chicago:  ``Surname, Given. Title. Place: Publisher, 2001.`` (and author-date
  ``Surname, Given. 2001. Title. Place: Publisher.``; articles ``"Title." Journal 12, no. 3``)
* MLA:      ``Surname, Given. Title. Publisher, 2001.`` (articles ``"Title." Journal, vol. 12``)
* notes:    ``"Quoted Title," 1934 edition, p. 8`` / ``Surname, "Title" p. 312`` /
  ``Given and Given Surname, Title, 2006, p. 296`` / ``"Title," ed. Given Surname, 1993`` /
  ``Given Surname, Title (Place: Publisher, 2001), 45.`` / ``Article 9 - in "Title," ...``

Lines may start with list marks ("- ", "* ", "1. ", "[3]"). The returned `Reference` carries
the title's offsets in the line it was given, so callers can map it back to a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.ingest.reference_names import (
    APA_AUTHORS,
    CM_AUTHORS,
    NAME_ONLY,
    UP,
    WORD,
    apa_authors,
    cm_authors,
    split_name_list,
)

# Like reference_names.py's, every pattern here must match in time linear in the line.
_APA_ORG = rf"(?P<org>[{UP}][\w&’'.\- ]{{2,80}}?)"
_APA_EDS = r"(?:\s*\((?P<eds>Eds?\.?|Ed\.)\))?"
_APA_YEAR = (
    r"\(\s*(?:(?P<year>\d{4})[a-z]?(?:\s*[-–—]\s*(?P<year2>\d{2,4}|present))?"
    r"(?:,\s*(?P<date>[^)]{1,40}))?|(?P<nd>n\.\s?d\.))\s*\)"
)
_APA = re.compile(
    rf"(?:{APA_AUTHORS}|{_APA_ORG}){_APA_EDS}\.?\s+{_APA_YEAR}\s*\.?\s+(?P<rest>\S.*)$"
)

_LIST_MARK = re.compile(
    r"^\s*(?:[-*•–·]\s+|\(?\d{1,3}[.)]\s+|\[\d{1,3}\]\s*|\^\d{1,3}\s+|\d{1,3}\s+(?=\S))"
)
_YEAR = re.compile(r"(?<![\d/])(1[4-9]\d\d|20\d\d)(?:\s*[-–—]\s*(?:\d{2,4}))?(?![\d/])")
_PAGES = re.compile(r"\b(?:pp?\.|pages?)\s*(?P<p>[\dxivlc]+(?:\s*[-–—]\s*[\dxivlc]+)?)", re.I)
_QUOTED = re.compile(r"[“\"](?P<t>[^”\"]{2,300}?)[,.]?[”\"]")
_VOLS = re.compile(
    r"\s*\((?:\d+\s+vols?\.?|vols?\.\s*[\d\-–]+|\d+(?:st|nd|rd|th)\s+ed\.?|rev\.\s+ed\.?|"
    r"[^()]{0,30}\bed(?:ition)?\.?|eds?\.|trans\.[^()]*)\)",
    re.I,
)
_BRACKET = re.compile(r"\s*\[[^\]]{1,80}\]")
# end of a title: ". " (not after an initial or a common abbreviation), "? ", "! "
_ABBREV = {
    "vs",
    "vol",
    "vols",
    "ed",
    "eds",
    "no",
    "st",
    "dr",
    "mr",
    "mrs",
    "ms",
    "jr",
    "sr",
    "pp",
    "p",
    "trans",
    "rev",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "univ",
    "ch",
    "pt",
}
_PLACE_PUB = re.compile(
    r"^(?P<place>[A-Z][^:.,]{1,40}(?:,\s*[A-Z]{2}|,\s*[A-Z][a-z]+)?):\s*(?P<pub>[^,:]{2,80}?)"
    r"(?:,\s*(?P<year>\d{4})|\s*\.?\s*$)"
)
_TRANSLATED = re.compile(
    r"^(?:Translated|Trans\.|Edited|Ed\.|Introduction|Foreword)\s+by\s+[^,.]+(?:\s[A-Z]\.[^,.]*)?[,.]\s*",
    re.I,
)
_VANCOUVER = re.compile(
    rf"(?P<authors>{WORD}(?:\s+{WORD})?\s+[{UP}]{{1,3}}(?:,\s+{WORD}(?:\s+{WORD})?\s+[{UP}]{{1,3}})*(?:,?\s+et\s+al)?)"
    r"\.\s+(?P<rest>\S.*)$"
)
_BRACKET_KIND = (
    (re.compile(r"dissertation|thesis", re.I), "Thesis"),
    (re.compile(r"film|motion picture|video", re.I), "Movie"),
    (re.compile(r"report", re.I), "Report"),
    (re.compile(r"letter", re.I), "Message"),
    (re.compile(r"painting", re.I), "Painting"),
)
_PUB_YEAR = re.compile(r"^(?P<pub>[A-Z][^,.]{1,80}?),\s*(?P<year>\d{4})\b")
_ARTICLE_NUMS = re.compile(
    r"^(?P<cont>[^,.]{2,120}?)\s*+(?:,\s*+)?(?:vol\.\s*)?(?P<vol>\d{1,4})\s*(?:\((?P<iss>[^)]{1,12})\)|,?\s*no\.\s*\d+)?"
    r"(?:,?\s*\(?(?P<y>\d{4})\)?)?\s*[,:]\s*(?:pp?\.\s*)?(?P<pages>\d+(?:\s*[-–—]\s*\d+)?)?"
)
_PUBLISHER_WORDS = re.compile(
    r"\b(?:Press|Books|Publishers?|Publishing|Verlag|Editions?|House|University|Company|Sons)\b"
)
_NEWS_WORDS = re.compile(
    r"\b(?:Times|Post|News|Guardian|Herald|Tribune|Gazette|Telegraph|Daily|Weekly|"
    r"Chronicle|Observer|Independent|Journal|Magazine|Review|Monthly|Quarterly|Bulletin)\b"
)
_URL = re.compile(r"(?<!\s)\s*(?:https?://|doi:|www\.)\S+\s*$", re.I)
_PART = re.compile(
    r"(?P<part>(?:Article|Art\.|Section|Sec\.|§|Chapter|Ch\.|Clause|Paragraph)\s+[\dIVXLC]+[a-z]?)"
    r"\s*(?:[-–—:,]\s*)?(?:in\s+|of\s+)?",
)
_EDITOR = re.compile(
    r"\b(?:ed\.|eds\.|edited by|editor)\s+(?P<ed>[^,.;()]+?(?:\s[A-Z]\.)?[^,.;()]*?)(?=\s*[,.;()]|$)",
    re.I,
)
_EDITION = re.compile(r"\b\d{4}\s+edition\b|\bedition\b", re.I)
_TITLE_WORD = re.compile(
    rf"^(?:[{UP}0-9\"“‘'(]|(?:of|the|and|in|a|an|to|for|on|with|at|from|by|under|or|vs\.?|de|la|le)$)"
)


@dataclass
class Reference:
    """One parsed reference entry or note."""

    authors: list[str] = field(default_factory=list)  # display order "Given Surname"
    year: str | None = None
    title: str = ""
    container: str | None = None  # journal, newspaper, edited book
    publisher: str | None = None
    pages: str | None = None
    style: str = ""  # apa | chicago | mla | note
    title_start: int = 0  # offsets of the title in the line given to parse_reference
    title_end: int = 0
    editors: list[str] = field(default_factory=list)
    place: str | None = None
    part: str | None = None  # "Article 7": a cited part with its own identity (a law article)
    subtype: str | None = None  # Book, ScholarlyArticle, Article, NewsArticle, Chapter, Report
    quoted: bool = False  # the title was in quotation marks


# -- helpers ------------------------------------------------------------------------------


def _title_end(s: str, start: int = 0) -> int:
    """Index where an unquoted title that starts at `start` ends (exclusive)."""
    depth = 0
    i = start
    n = len(s)
    while i < n:
        c = s[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ".?!" and (i + 1 == n or s[i + 1] in " \t"):
            if c in "?!":
                return i + 1
            word = re.search(r"([\w’'-]+)$", s[start:i])
            w = word.group(1) if word else ""
            if len(w) == 1 and w.isupper():  # an initial: "John F. Kennedy"
                i += 1
                continue
            if w.lower() in _ABBREV and i + 2 < n and not s[i + 2 : i + 3].isupper():
                i += 1
                continue
            if re.search(r"(?:[A-Z]\.){1,}[A-Z]$", s[start:i]):  # "U.S."
                i += 1
                continue
            return i
        i += 1
    return n


def _clean_title(s: str, a: int, b: int) -> tuple[int, int]:
    """Trim spaces, stray marks and a trailing '(3 vols.)' / '[Transl.]' from s[a:b]."""
    seg = s[a:b]
    m = _VOLS.search(seg)
    if m and m.end() >= len(seg.rstrip(" .,")) - 1:
        b = a + m.start()
        seg = s[a:b]
    m = _BRACKET.search(seg)
    if m and m.end() >= len(seg.rstrip(" .,")) - 1 and m.start() > 0:
        b = a + m.start()
    while a < b and s[a] in " \t*_“\"‘'":
        a += 1
    while b > a and s[b - 1] in " \t*_”\"’',.;:":
        b -= 1
    return a, b


def _bracket_kind(ref: Reference, line: str) -> None:
    """'[Doctoral dissertation, ...]' / '[Film]' right after the title decides the subtype."""
    m = re.match(r"\s*\[([^\]]{1,80})\]", line[ref.title_end :])
    if m:
        for rx, kind in _BRACKET_KIND:
            if rx.search(m.group(1)):
                ref.subtype = kind
                return


def _looks_title(t: str) -> bool:
    words = t.split()
    if not words or not re.match(rf"[{UP}0-9“\"‘']", words[0]):
        return False
    good = sum(1 for w in words if _TITLE_WORD.match(w))
    return good >= max(1, int(len(words) * 0.7))


def _rest_fields(ref: Reference, rest: str) -> None:
    """Publisher / container / pages / place from what follows the title."""
    rest = _URL.sub("", rest).strip(" .")
    if not rest:
        return
    m = _PAGES.search(rest)
    if m:
        ref.pages = m.group("p").replace(" ", "")
    m = _TRANSLATED.match(rest)
    if m:
        rest = rest[m.end() :]
    m = _PLACE_PUB.match(rest)
    if m:
        ref.place, ref.publisher = m.group("place").strip(), m.group("pub").strip(" .")
        ref.year = ref.year or m.group("year")
        return
    if re.match(r"^In\s+", rest):  # chapter in an edited volume
        ref.subtype = "Chapter"
        m2 = re.search(r"\(Eds?\.\),\s*(?P<c>[^(.]+)", rest)
        if m2:
            ref.container = m2.group("c").strip(" ,")
        pub = rest.rsplit(". ", 1)[-1].strip(" .")
        if pub and _PUBLISHER_WORDS.search(pub):
            ref.publisher = pub
        return
    m = _ARTICLE_NUMS.match(rest)
    if m and (m.group("pages") or m.group("iss")):
        ref.container = m.group("cont").strip(" ,")
        ref.pages = ref.pages or (m.group("pages") or "").replace(" ", "") or None
        ref.subtype = "ScholarlyArticle"
        return
    m = _PUB_YEAR.match(rest)
    if m:
        ref.publisher = m.group("pub").strip()
        ref.year = ref.year or m.group("year")
        return
    first = rest[: _title_end(rest)]
    first = re.split(r",\s+(?=\d)", first, maxsplit=1)[0].strip(" .,")
    if not first:
        return
    if _NEWS_WORDS.search(first) and not _PUBLISHER_WORDS.search(first):
        ref.container = first
        ref.subtype = ref.subtype or "NewsArticle"
    elif re.search(r"\b(?:Report|Working Paper|Technical Report)\b", first):
        ref.publisher = first
        ref.subtype = "Report"
    elif not re.match(r"^(?:pp?\.|\d)", first):
        ref.publisher = first


def _subtype(ref: Reference) -> None:
    if ref.subtype:
        return
    if ref.container and not ref.publisher:
        ref.subtype = "ScholarlyArticle" if ref.pages else "Article"
    elif ref.quoted and not ref.publisher and not ref.editors:
        ref.subtype = "Article"
    else:
        ref.subtype = "Book"


# -- the styles ---------------------------------------------------------------------------


def _parse_apa(line: str, off: int) -> Reference | None:
    m = _APA.match(line, off)
    if not m:
        return None
    authors = m.group("authors")
    if authors is None:
        org = m.group("org")
        # an organisation author must not be a sentence: few words, no lowercase verbs
        if len(org.split()) > 8 or re.search(r"\b(?:is|was|are|were|has|had|the)\b", org):
            return None
    ref = Reference(style="apa")
    if authors:
        names = apa_authors(authors)
        if m.group("eds"):
            ref.editors = names
        else:
            ref.authors = names
    else:
        ref.authors = [m.group("org").strip()]
    ref.year = m.group("year")
    rest_start = m.start("rest")
    if line[rest_start] in '“"':
        q = _QUOTED.match(line, rest_start)
        if q:
            a, b = q.start("t"), q.end("t")
            ref.quoted = True
            end = q.end()
        else:
            return None
    else:
        a = rest_start
        end = _title_end(line, a)
        b = end
    a, b = _clean_title(line, a, b)
    if b - a < 2:
        return None
    ref.title_start, ref.title_end, ref.title = a, b, line[a:b]
    _bracket_kind(ref, line)
    _rest_fields(ref, line[end:].lstrip(" .?!"))
    if m.group("date") and not ref.container and not ref.publisher:
        ref.subtype = "NewsArticle"
    _subtype(ref)
    return ref


def _parse_chicago_mla(line: str, off: int) -> Reference | None:
    m = CM_AUTHORS.match(line, off)
    if not m:
        return None
    ref = Reference()
    names = cm_authors(m.group("authors"))
    if m.group("eds") and m.group("eds").lower().startswith("ed"):
        ref.editors = names
    else:
        ref.authors = names
    pos = m.start("rest")
    # author-date: "Surname, Given. 2001. Title."
    ym = re.match(r"(\d{4})[a-z]?\.\s+", line[pos:])
    if ym:
        ref.year = ym.group(1)
        pos += ym.end()
    if line[pos] in '“"':
        q = _QUOTED.match(line, pos)
        if not q:
            return None
        a, b, end = q.start("t"), q.end("t"), q.end()
        ref.quoted = True
    else:
        a = pos
        end = b = _title_end(line, a)
    a, b = _clean_title(line, a, b)
    if b - a < 2:
        return None
    ref.title_start, ref.title_end, ref.title = a, b, line[a:b]
    rest = line[end:].lstrip(" .?!")
    if not ref.year:
        ys = _YEAR.findall(rest)
        if not ys:
            return None  # no date anywhere: too weak to be a reference
        ref.year = ys[0]
    _rest_fields(ref, rest)
    # style: "Place: Publisher, Year" or "12, no. 3 (2001)" is Chicago; "Publisher, Year" MLA
    if ref.place or ym or re.search(r"\bno\.\s*\d+\s*\(\d{4}\)", rest):
        ref.style = "chicago"
    else:
        ref.style = "mla"
    em = _EDITOR.search(rest)
    if em and not ref.editors:
        ref.editors = split_name_list(em.group("ed"))
    _subtype(ref)
    return ref


def _parse_vancouver(line: str, off: int) -> Reference | None:
    """'Surname AB, Surname C. Title. Journal. 2019;12(3):45-67.'"""
    m = _VANCOUVER.match(line, off)
    if not m:
        return None
    rest_start = m.start("rest")
    end = _title_end(line, rest_start)
    a, b = _clean_title(line, rest_start, end)
    if b - a < 2:
        return None
    tail = line[end:].lstrip(" .")
    ym = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", tail)
    if not ym:
        return None
    ref = Reference(
        style="vancouver", title=line[a:b], title_start=a, title_end=b, year=ym.group(1)
    )
    for part in re.split(r",\s+", re.sub(r",?\s+et\s+al$", "", m.group("authors"))):
        words = part.split()
        initials = words[-1]
        ref.authors.append(" ".join([". ".join(initials) + ".", *words[:-1]]))
    cont = tail[: _title_end(tail)].strip(" .")
    if cont and not _YEAR.match(cont):
        ref.container = cont
    pm = re.search(r":\s*(\d+(?:\s*[-–]\s*\d+)?)", tail)
    if pm:
        ref.pages = pm.group(1)
    ref.subtype = "ScholarlyArticle" if ref.container and re.search(r";\s*\d", tail) else "Book"
    return ref


# long: one pass over a note's parts in order (author, title, place, year); the steps share state.
def _parse_note(line: str, off: int) -> Reference | None:
    """Footnote/endnote citations: looser, but need bibliographic evidence."""
    s = line
    ref = Reference(style="note")
    pm = _PART.match(s, off)
    if pm:
        ref.part = " ".join(pm.group("part").split())
        off = pm.end()
    q = _QUOTED.search(s, off)
    if q and q.start() - off <= 80:
        before = s[off : q.start()].strip(" ,:;–—-")
        before = re.sub(r"^(?:in|see(?: also)?|cf\.|quoted in)\s+", "", before, flags=re.I).strip()
        names = split_name_list(before) if before else []
        if names and not all(NAME_ONLY.match(x) for x in names):
            if ref.part is None:
                return None
            names = []
        ref.authors = names
        a, b = _clean_title(s, q.start("t"), q.end("t"))
        ref.title_start, ref.title_end, ref.title = a, b, s[a:b]
        ref.quoted = True
        rest = s[q.end() :]
        cm = re.match(r"\s*,?\s*(?:in\s+)?(?P<c>[A-Z][^,.;()]{2,80}?)\s*(?=,|\.|;|\(|$)", rest)
        if cm and not (
            _YEAR.match(cm.group("c"))
            or _EDITION.search(cm.group("c"))
            or re.match(r"(?:ed|eds|p|pp|vol|trans)\b", cm.group("c"), re.I)
        ):
            ref.container = cm.group("c").strip()
    else:
        # unquoted: "Names, Title, 2006, p. 296" or "Names, Title (Place: Publisher, 2001), 45"
        segs = [(mm.start(), mm.end()) for mm in re.finditer(r"[^,()]+", s[off:])]
        if len(segs) < 2:
            return None
        a0, b0 = segs[0]
        names = s[off + a0 : off + b0].strip()
        names = re.sub(r"^(?:see|cf\.|quoted in)\s+", "", names, flags=re.I)
        if not NAME_ONLY.match(names) or len(names.split()) > 8:
            return None
        a1, b1 = segs[1]
        b1 = min(off + b1, _title_end(s, off + a1)) - off
        a, b = _clean_title(s, off + a1, off + b1)
        title = s[a:b]
        if not _looks_title(title) or _YEAR.fullmatch(title.strip()):
            return None
        ref.authors = split_name_list(names)
        ref.title_start, ref.title_end, ref.title = a, b, title
        rest = s[b:]
        tail = rest.lstrip(" .")
        if tail and not tail.startswith(("(", ",")):
            _rest_fields(ref, tail)
    rest_clean = rest.strip(" ,.")
    ys = _YEAR.findall(rest)
    if ys:
        ref.year = ys[0]
    pg = _PAGES.search(rest)
    if pg:
        ref.pages = pg.group("p").replace(" ", "")
    em = _EDITOR.search(rest)
    if em:
        ref.editors = split_name_list(em.group("ed"))
    mp = re.search(r"\((?P<place>[^():]{2,40}):\s*(?P<pub>[^(),]{2,80}),\s*(?P<y>\d{4})\)", rest)
    if mp:
        ref.place, ref.publisher, ref.year = (
            mp.group("place"),
            mp.group("pub").strip(),
            mp.group("y"),
        )
    bare_page = re.match(r"^\s*,\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?\s*\.?\s*$", rest)
    evidence = bool(
        ys
        or pg
        or em
        or mp
        or _EDITION.search(rest)
        or ref.publisher
        or (bare_page and ref.authors)
    )
    # `Surname, "Title"` alone is still a citation when the author is a bare name
    if not evidence and not (ref.quoted and ref.authors and not rest_clean):
        return None
    if len(ref.title) < 2 or len(ref.title) > 250:
        return None
    if ref.quoted and ref.editors:
        ref.subtype = "Book"
    _subtype(ref)
    return ref


def parse_reference(line: str) -> Reference | None:
    """Parse one reference-list entry or note line; None if it does not look like one."""
    if not line or len(line) > 600:
        return None
    body = line.rstrip()
    m = _LIST_MARK.match(body)
    off = m.end() if m else 0
    while off < len(body) and body[off] in " \t":
        off += 1
    if len(body) - off < 8:
        return None
    for parse in (_parse_apa, _parse_vancouver, _parse_chicago_mla, _parse_note):
        ref = parse(body, off)
        if ref is not None and ref.title.strip():
            if ref.year and ref.year not in (ref.year[:4],):
                ref.year = ref.year[:4]
            return ref
    return None


__all__ = ["Reference", "parse_reference", "split_name_list"]
