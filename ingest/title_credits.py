"""Titles credited to an author written right next to them in running text.

"(Name, Title)", "(Name, “Title” (Alt), 1914 / Name, untitled poster, 1933)",
"Title by Name", "Title (Name, 2001)", "“Title” (2001)", and "A and B have each written
one (X and Y, respectively)". Each scanner takes the finder, one passage and `free(c)`
(local char c is not in a reference line), and adds what it finds.
"""

from __future__ import annotations

import re

from claimgraph.ingest.authorship import (
    BY,
    NAME_OK,
    PAREN_YEAR,
    clean_name,
    is_person_name,
    name_from,
    propn_names,
)
from claimgraph.ingest.title_scan import emit, list_items, run_ok, title_at, title_ending
from claimgraph.ingest.work_candidates import Finder, Free, ParsedPassage

_NAME_COMMA = re.compile(
    r"(?:\(|(?<=\s)/\s+|(?<=;)\s+)(?P<name>[A-ZÀ-ÞĀ-ſ][\w’'.\-]+(?:\s+(?:[A-ZÀ-ÞĀ-ſ][\w’'.\-]+|de|van|von|"
    r"der|da|di|du|le|la|bin|dze)){0,4}),\s+(?=[“\"‘'*_A-Z0-9À-ÞĀ-ſ]|untitled\s)"
)
_UNTITLED = re.compile(
    r"\buntitled\s+(?:[a-z\-]+\s+){0,2}?(?P<noun>poster|painting|photograph|photo|sculpture|drawing|"
    r"print|woodcut|lithograph|collage|film|poem|sketch|mural)\b"
)
_NAME_LIST = re.compile(
    r"[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+"
    r"(?:,\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+)*"
    r",?\s+and\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+"
)
_RESPECTIVELY = re.compile(r"\((?=[^()]{3,400}?,\s*respectively\s*\))")
_WORK_CONTEXT = re.compile(
    r"\b(?:wrote|written|writes|authored|published|books?|works?|novels?|essays?|films?)\b"
)


def _is_work_of_art(p: ParsedPassage, i: int, j: int) -> bool:
    ent = p.ent_covering(i, j)
    return ent is not None and ent.label_ == "WORK_OF_ART"


def _name_comma_title(finder: Finder, p: ParsedPassage, m: re.Match):
    """The title after "(Name, ": (title, subtype), "untitled poster" included; or None."""
    um = _UNTITLED.match(p.text, m.end())
    if um:
        t = (um.start(), um.end(), "plain", None)
        return t, {"photo": "Photograph"}.get(um.group("noun"), um.group("noun").capitalize())
    t = title_at(finder, p, m.end())
    if t is None or (t[2] == "run" and not run_ok(p, t[3], allow_person=False)):
        return None
    return t, None


def scan_name_comma(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after a name in brackets: "(Name, Title)",
    "(Name, “Title” (Alt), 1914 / Name, untitled poster, 1933)"."""
    text = p.text
    for m in _NAME_COMMA.finditer(text):
        if not free(m.start()):
            continue
        name = clean_name(m.group("name"))
        s0, s1 = m.start("name"), m.end("name")
        if not (len(name.split()) >= 2 or p.doc[p.tok_at(s1 - 1)].ent_type_ == "PERSON"):
            continue
        if not is_person_name(p, s1, name, finder.person_surnames):
            continue
        found = _name_comma_title(finder, p, m)
        if found is None:
            continue
        t, sub = found
        after = t[1] + (1 if t[2] in ("quoted",) else 0)
        rest = text[after : after + 80]
        alias = None
        am = re.match(r"\s*\((?P<alt>[A-Z][^()]{1,80})\)", rest)
        if am:
            alias = am.group("alt").strip()
            rest = rest[am.end() :]
        if not re.match(r"\s*(?:[),;/]|$)", rest):
            continue
        ym = re.match(r"\s*,\s*(?P<y>1[5-9]\d\d|20\d\d)\b", rest)
        year = ym.group("y") if ym else None
        f = emit(finder, p, t, "name-comma-title", s0, authors=[name], year=year, subtype=sub)
        if f is not None and alias:
            f.aliases.append(alias)


def scan_title_by(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title before its author: "Title by Name"."""
    for m in BY.finditer(p.text):
        if m.group("comma") or not free(m.start()):
            continue
        k = p.tok_starting(m.end())
        if k is None:
            continue
        who = name_from(p, k)
        if who is None or not is_person_name(p, who[0], who[1], finder.person_surnames):
            continue
        t = title_ending(finder, p, m.start())
        if t is None:
            continue
        if t[2] == "run":
            i, j = t[3]
            if j - i < 2 and not _is_work_of_art(p, i, j):
                continue
            if not run_ok(p, (i, j)):
                continue
            if i > 0 and p.doc[i - 1].lower_ in ("the", "a", "an") and p.doc[i - 1].text.islower():
                continue
        f = emit(finder, p, t, "title-by-author", t[0], authors=[who[1]])
        if f is not None:
            f.cite_end = max(f.cite_end, p.base + who[0])


def scan_paren_year(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title before its year: "Title (Name, 2001)", "“Title” (2001)"."""
    for m in PAREN_YEAR.finditer(p.text):
        if not free(m.start()):
            continue
        t = title_ending(finder, p, m.start())
        if t is None:
            continue
        if t[2] == "run":
            i, j = t[3]
            if not m.group("name") and not _is_work_of_art(p, i, j):
                continue
            if j - i < 2 or not run_ok(p, (i, j)):
                continue
            if i > 0 and p.doc[i - 1].text in ("the", "a", "an"):
                continue
        name = clean_name(m.group("name") or "")
        if name and not NAME_OK.match(name):
            continue
        role = m.group("role") or ""
        emit(
            finder,
            p,
            t,
            "title-paren-author-year",
            t[0],
            authors=[name] if name else [],
            year=m.group("year"),
            subtype="Movie" if role.startswith("dir") else None,
        )


def _coordinated_names(p: ParsedPassage, s0: int, before: str, count: int) -> list[str] | None:
    """In "A and B have each written one", the `count` coordinated names before the list."""
    found = list(_NAME_LIST.finditer(before))
    if not found:
        return None
    nm = found[-1]
    a = p.doc[s0].idx + nm.start()
    k = p.tok_starting(a)
    while (
        k is not None
        and k + 1 < len(p.doc)
        and p.doc[k].pos_ != "PROPN"
        and p.doc[k + 1].pos_ == "PROPN"
    ):
        a = p.doc[k + 1].idx  # "Historians Ola Berg and ...": not a name word
        k += 1
    names = p.text[a : p.doc[s0].idx + nm.end()]
    listed = [clean_name(x) for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", names)]
    return listed if len(listed) == count else None


def scan_respectively(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """In "have each written one (X and Y, respectively)", the n-th title is the n-th person's."""
    text = p.text
    for m in _RESPECTIVELY.finditer(text):
        if not free(m.start()):
            continue
        k = p.tok_at(m.start())
        s0, _s1 = p.sent_bounds(k)
        before = text[p.doc[s0].idx : m.start()]
        if not _WORK_CONTEXT.search(before):
            continue
        items = list_items(finder, p, m.end(), stop=text.find("respectively", m.end()))
        if not items:
            continue
        people = [
            clean_name(p.text[s:e]) for s, e, i, _j in p.persons() if s0 <= i and e <= m.start()
        ]
        people = [x for x in people if x]
        if len(people) < len(items):
            people = propn_names(p, s0, p.tok_at(m.start()))
        if len(people) != len(items):
            people = _coordinated_names(p, s0, before, len(items)) or people
        people = people[-len(items) :]
        for n_item, t in enumerate(items):
            authors = [people[n_item]] if len(people) == len(items) else []
            emit(finder, p, t, "title-list", m.start(), authors=authors)
