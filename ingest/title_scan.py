"""Reading one title at a cue in a passage, and recording it as a candidate work.

A title starts (`title_at`) or ends (`title_ending`) at a character: quoted, in italics, or a
capitalised run (`ingest.titles`). `run_ok` refuses runs that are places, organisations or
dates; `emit` checks the title, reads "by Name" / "(Name, 2001)" after it and adds it;
`list_rest` takes the further titles of "X, Y and Z".
"""

from __future__ import annotations

import re
from bisect import bisect_right

from claimgraph.ingest.authorship import after_title
from claimgraph.ingest.titles import (
    PERIODICAL_END,
    plausible_title,
    run_backward,
    run_forward,
    title_case_ratio,
)
from claimgraph.ingest.work_candidates import Finder, Found, ParsedPassage

Q_OPEN = "“\"‘'"
_QUOTE_CLOSE = {"“": "”", '"': '"', "‘": "’", "'": "'"}
# fmt: off
#: Entity labels that make a capitalised run something other than a title.
SKIP_ENTS = frozenset(("GPE", "LOC", "NORP", "ORG", "FAC", "EVENT", "DATE", "TIME", "LANGUAGE",
                       "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"))
# fmt: on
_ORG_WORDS = re.compile(
    r"\b(?:Bank|Ministry|University|Department|Council|Committee|Party|Institute|Society|Church|"
    r"Court|Commission|Agency|Office|Board|Association|Union|League|Company|Corporation|Corp|Inc|"
    r"Ltd|Army|Navy|Forces?|School|College|Museum|Library|Foundation|Academy|Parliament|Senate|"
    r"Congress|Assembly|Government|Republic|Kingdom|Federation|Organi[sz]ation|Cent(?:re|er)|Club|"
    r"Group|Press|Books|Publishers|Times|Post|News|Network|Studios?|Records|Airlines?|Railways?|"
    r"Police|Guard|Service|Services|Trust|Fund|Bureau|Authority|Council|Nations|States)\b"
)
_PART_ONLY = re.compile(
    r"^(?:Chapter|Part|Section|Volume|Vol\.|Book|Page|Figure|Fig\.|Table|Appendix|Act|Scene|Episode|"
    r"Season|Article|Verse|Canto)\s+(?:\d+|[IVXLC]+|[A-Z])$"
)
_NUMERIC_ENTS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def title_at(finder: Finder, p: ParsedPassage, c: int, *, list_mode: bool = False):
    """(start, end, kind, token span) of a title starting at local char c, or None."""
    text = p.text
    n = len(text)
    while c < n and text[c] in " \t":
        c += 1
    if c >= n:
        return None
    em = finder.emphasis_at(p.base + c)
    if em and em[0] - (p.base + c) <= 2 and em[1] - p.base <= n:
        return em[0] - p.base, em[1] - p.base, "emphasis", None
    ch = text[c]
    if ch in Q_OPEN:
        close = _QUOTE_CLOSE[ch]
        if close in "’'":
            m = re.compile(rf"{close}(?=[\s,.;:!?)\]—–-]|$)").search(text, c + 1, min(n, c + 250))
            end = m.start() if m else -1
        else:
            end = text.find(close, c + 1, min(n, c + 250))
        if end < 0 or "\n" in text[c:end]:
            return None
        inner = text[c + 1 : end].strip(" ,.")
        if not inner or not (inner[0].isupper() or inner[0].isdigit()):
            return None
        return c + 1, end, "quoted", None
    i = p.tok_starting(c)
    if i is None:
        return None
    span = run_forward(p.doc, i, list_mode=list_mode)
    if span is None:
        return None
    i, j = span
    return p.doc[i].idx, p.doc[j - 1].idx + len(p.doc[j - 1].text), "run", span


def title_ending(finder: Finder, p: ParsedPassage, c: int):
    """A title that ends at local char c (quotes, italics or a capitalised run)."""
    text = p.text
    e = c
    while e > 0 and text[e - 1] in " \t":
        e -= 1
    if e == 0:
        return None
    ch = text[e - 1]
    # italics ending here
    i = bisect_right(finder.emph_starts, p.base + e) - 1
    if i >= 0:
        es, ee = finder.emph[i]
        if 0 <= (p.base + e) - ee <= 2 and es >= p.base:
            return es - p.base, ee - p.base, "emphasis", None
    if ch in "”\"’'":
        opener = {"”": "“", '"': '"', "’": "‘", "'": "'"}[ch]
        s = text.rfind(opener, max(0, e - 250), e - 1)
        if s < 0 or "\n" in text[s:e]:
            return None
        inner = text[s + 1 : e - 1].strip(" ,.")
        if not inner or not inner[0].isupper():
            return None
        return s + 1, e - 1, "quoted", None
    span = run_backward(p.doc, p.tok_at(e - 1) + 1)
    if span is None:
        return None
    i, j = span
    return p.doc[i].idx, p.doc[j - 1].idx + len(p.doc[j - 1].text), "run", span


def run_ok(
    p: ParsedPassage,
    span,
    *,
    min_tokens: int = 1,
    allow_person: bool = False,
    strong: bool = False,
) -> bool:
    """A capitalised run is a credible title: not just a place, organisation or date.

    `strong`: the context names a work ("author of", "his book,"), so only dates,
    numbers and single-word places are refused (the NER often tags titles as people)."""
    i, j = span
    doc = p.doc
    words = [t.text for t in doc[i:j] if not t.is_punct]
    if len(words) < min_tokens:
        return False
    if len(words) == 1 and (words[0].isupper() and len(words[0]) <= 5):
        return False  # an acronym
    ent = p.ent_covering(i, j)
    if ent is not None and strong:
        if ent.label_ in _NUMERIC_ENTS:
            return False
        return not (len(words) == 1 and ent.label_ in ("GPE", "LOC", "NORP", "LANGUAGE"))
    if ent is not None:
        if ent.label_ == "WORK_OF_ART":
            return True
        # the model often tags titles as organisations: keep those without organisation words
        if ent.label_ == "ORG" and len(words) >= 2 and not _ORG_WORDS.search(" ".join(words)):
            return True
        if ent.label_ in SKIP_ENTS and (ent.start == i or doc[i].text not in ("The", "A", "An")):
            return False
        if ent.label_ == "PERSON" and not allow_person:
            return False
    return True


def _heading_line(p: ParsedPassage, c: int) -> bool:
    """Is the line holding local char c a heading (short, title case, no final stop)?"""
    text = p.text
    s = text.rfind("\n", 0, c) + 1
    e = text.find("\n", c)
    line = text[s : e if e >= 0 else len(text)].strip(" \t#*_")
    words = line.split()
    if not words or len(words) > 15 or line[-1:] in '.!?"”':
        return False
    return title_case_ratio([w.strip("\"“”‘’'()") for w in words]) >= 0.8


def emit(
    finder: Finder,
    p: ParsedPassage,
    t,
    rule: str,
    cite_start: int,
    *,
    authors=None,
    year=None,
    subtype=None,
    strong=False,
    confidence=0.0,
) -> Found | None:
    """Add title `t` (from `title_at` / `title_ending`) as a candidate, unless it is no title."""
    a, b, kind, _span = t
    title = p.text[a:b]
    if not plausible_title(title.strip(" ,.;:")):
        return None
    if PERIODICAL_END.search(title.strip(" ,.;:’'\"”")) and kind == "run" and rule != "in-his-book":
        return None
    if _PART_ONLY.match(title.strip(" ,.;:")):
        return None  # "Chapter 7": a part of some work, not a title
    if kind == "run" and _heading_line(p, a):
        return None  # a title-case headline of the document itself
    more_authors, more_year, after = after_title(p, b if kind == "run" else b + 1)
    authors = [x for x in (authors or []) if x] or more_authors
    base = p.base
    f = Found(
        base + a,
        base + b,
        base + min(cite_start, a),
        base + max(after, b + (0 if kind == "run" else 1)),
        rule,
        authors=authors,
        year=year or more_year,
        subtype=subtype,
        strong=strong,
        confidence=confidence,
    )
    finder.add(f)
    return f


def list_items(finder: Finder, p: ParsedPassage, c: int, stop: int):
    """Titles of a list "X, Y and Z" from local char c up to `stop` (at most 12)."""
    items = []
    text = p.text
    pos = c
    while pos < stop and len(items) < 12:
        t = title_at(finder, p, pos, list_mode=True)
        if t is None:
            break
        items.append(t)
        after = t[1] + (0 if t[2] == "run" else 1)
        sm = re.match(r"\s*(?:,\s*(?:and\s+|or\s+|&\s+)?|\s(?:and|or|&)\s+)", text[after:stop])
        if not sm:
            break
        pos = after + sm.end()
    return items


def list_rest(
    finder: Finder, p: ParsedPassage, end: int, rule: str, cite: int, authors, sub
) -> None:
    """The titles after the first one of a list ending at local char `end`, up to a stop."""
    text = p.text
    sm = re.match(r"[”\"’']?\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)", text[end:])
    if not sm:
        return
    stop = len(text)
    punct = re.search(r"[.;:—–)(]", text[end + sm.end() :])
    if punct:
        stop = end + sm.end() + punct.start() + 1
    for t in list_items(finder, p, end + sm.end(), stop):
        if t[2] == "run" and not run_ok(p, t[3], allow_person=True):
            continue
        emit(finder, p, t, rule, cite, authors=authors, subtype=sub)
