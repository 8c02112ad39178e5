"""Who wrote a work: person names near a title, cleaned, and merged into one form per person.

Read from spaCy tokens of one passage: the PERSON nearest a cue, the possessor in
"Name's Title", "by Name" / "(Name, 2001)" after a title, runs of proper nouns the model did
not tag. Across a document: "Varga" / "H. Varga" become "Helena Varga" when the document
names one such person.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimgraph.ingest.work_candidates import Finder, ParsedPassage

NAME_OK = re.compile(
    r"^[A-ZÀ-ÞĀ-ſ][\w’'.\-]*(?:\s+(?:[A-ZÀ-ÞĀ-ſ][\w’'.\-]*|de|van|von|der|den|da|di|du|le|la|bin|dze|y))*$"
)
NOT_NAME = re.compile(
    r"\b(?:University|Press|Party|Army|Committee|Books|Company|News|Times|Journal|Review|Institute|"
    r"Foundation|Ministry|Department|Council|Union|Republic|Kingdom|State|States|Government|Church|"
    r"School|College|Society|Association|League|Congress|Museum|Library|Archive|Archives|Daily)\b"
)
_HONORIFIC = re.compile(
    r"^(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Sir|Dame|Lord|Lady|General|Gen|Marshal|Admiral|Colonel|"
    r"Captain|President|Senator|Comrade|Father|Saint|St|Rev|Reverend|Judge|Justice)\.?\s+)+"
)
#: "Title by Name" (not ", by Name").
BY = re.compile(r"(?<=[\w”\"’'*_?!])(?P<comma>,)?\s+by\s+(?=[A-ZÀ-ÞĀ-ſ])")
#: "(2001)", "(Name, 2001)", "(dir. Name, 2001)" after a title.
PAREN_YEAR = re.compile(
    r"\s*\((?:(?P<role>dir\.|directed by|ed\.|edited by|trans\.|translated by|by)\s+)?"
    r"(?:(?P<name>[A-ZÀ-ÞĀ-ſ][^()\d,;]{1,50}?)(?:,\s*|\s+))?(?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)"
)


def clean_name(name: str) -> str:
    """A name without possessive, honorific, glued note number or "himself"."""
    name = " ".join(name.split())
    name = re.sub(r"['’]s?$", "", name).strip(" ,.;:—–-")
    name = re.sub(r"\d+$", "", name)
    name = _HONORIFIC.sub("", name)
    name = re.sub(r"\s+(?:himself|herself|themselves)$", "", name)
    return name.strip()


def surname(name: str) -> str:
    return name.split()[-1].casefold() if name.split() else ""


def same_person(a: str, b: str) -> bool:
    """'Varga' / 'H. Varga' / 'Helena Varga' can be one person; 'Ann X' / 'Bo X' not."""
    wa, wb = a.split(), b.split()
    if not wa or not wb or wa[-1].casefold() != wb[-1].casefold():
        return False
    ga, gb = wa[:-1], wb[:-1]
    if not ga or not gb:
        return True
    return ga[0][0].casefold() == gb[0][0].casefold()


def merge_authors(lists: list[list[str]]) -> list[str]:
    """Authors of all mentions of one work, in order, each person once in its fullest form."""
    out: list[str] = []
    for names in lists:
        for a in names:
            for k, b in enumerate(out):
                if same_person(a, b):
                    if len(a) > len(b) and "." not in a.split()[0]:
                        out[k] = a
                    break
            else:
                out.append(a)
    return out


def person_near(p: ParsedPassage, i: int, j: int, *, after_first: bool = False) -> str | None:
    """Nearest PERSON before token i in its sentence, else the first after token j.

    Tokens [i, j) (the trigger and the title) are never searched."""
    s0, s1 = p.sent_bounds(i)
    s1 = max(s1, p.sent_bounds(min(j, len(p.doc)) - 1)[1]) if j > i else s1
    before = [x for x in p.persons() if s0 <= x[2] and x[3] <= i]
    after = [x for x in p.persons() if x[2] >= j and x[3] <= s1]
    order = (after[:1] + before[-1:]) if after_first else (before[-1:] + after[:1])
    for x in order:
        name = clean_name(p.text[x[0] : x[1]])
        if name and NAME_OK.match(name) and not NOT_NAME.search(name):
            return name
    # the model missed the name: the last run of proper nouns before the trigger
    names = propn_names(p, s0, i)
    return names[-1] if names else None


def name_before(p: ParsedPassage, c: int) -> tuple[int, str] | None:
    """Capitalised name tokens ending at local char c (before a possessive)."""
    k = p.tok_at(max(0, c - 1))
    doc = p.doc
    if k < 0 or k >= len(doc):
        return None
    j = k
    start = k
    while j >= 0 and k - j < 4:
        t = doc[j]
        if t.text[:1].isupper() and t.is_alpha or (t.text.endswith(".") and t.text[:1].isupper()):
            start = j
        elif t.text == "-" and not t.whitespace_ and j > 0 and not doc[j - 1].whitespace_:
            pass
        else:
            break
        if t.is_sent_start:
            break
        j -= 1
    name = clean_name(p.text[doc[start].idx : c])
    if not name:
        return None
    # drop a sentence-initial non-name word ("Then Smith's ...")
    if doc[start].is_sent_start and doc[start].pos_ not in ("PROPN",) and len(name.split()) > 1:
        name = " ".join(name.split()[1:])
    return doc[start].idx, name


def is_person_name(p: ParsedPassage, c1: int, name: str, surnames: set[str]) -> bool:
    """Is `name`, ending at local char c1, a person (tagged, a known surname, or Given Surname)?"""
    if not name or not NAME_OK.match(name) or NOT_NAME.search(name):
        return False
    i = p.tok_at(c1 - 1)
    ent = p.doc[i].ent_type_
    if ent == "PERSON":
        return True
    if surname(name) in surnames:
        return ent not in ("GPE", "LOC", "FAC")
    if ent in ("GPE", "LOC", "FAC", "NORP", "DATE", "EVENT", "LANGUAGE"):
        return False
    # an untagged (or mis-tagged organisation) "Given Surname" of plain name words
    return len(name.split()) >= 2 and all(w[:1].isupper() for w in name.split())


def possessor(p: ParsedPassage, own_end: int, surnames: set[str]) -> tuple[int, str] | None:
    """(start, name) of the person whose possessive ends at local char `own_end`, if a person."""
    nb = name_before(p, own_end)
    if nb is None or not is_person_name(p, own_end, nb[1], surnames):
        return None
    return nb


def after_title(p: ParsedPassage, end: int) -> tuple[list[str], str | None, int]:
    """Author and year written right after a title: "by Name", "(Name, 2001)", "(2001)"."""
    text = p.text
    m = PAREN_YEAR.match(text, end)
    if m:
        names = [clean_name(m.group("name"))] if m.group("name") else []
        return [x for x in names if x], m.group("year"), m.end()
    m = BY.match(text, end)
    if m and not m.group("comma"):
        k = p.tok_starting(m.end())
        if k is not None:
            name = name_from(p, k)
            if name:
                return [name[1]], None, name[0]
    return [], None, end


def name_from(p: ParsedPassage, k: int) -> tuple[int, str] | None:
    """A person name starting at token k: (end char, name)."""
    doc = p.doc
    for s, e, i, _j in p.persons():
        if i == k:
            name = clean_name(p.text[s:e])
            return (s + len(name), name) if name else None
    j = k
    while (
        j < len(doc)
        and j - k < 4
        and (doc[j].text[:1].isupper() and (doc[j].is_alpha or doc[j].text.endswith(".")))
    ):
        j += 1
    if j - k >= 2:
        name = clean_name(p.text[doc[k].idx : doc[j - 1].idx + len(doc[j - 1].text)])
        if NAME_OK.match(name) and not NOT_NAME.search(name):
            return doc[k].idx + len(name), name
    return None


def propn_names(p: ParsedPassage, i: int, j: int) -> list[str]:
    """Runs of two or more proper-noun tokens in tokens [i, j): names the NER missed."""
    doc = p.doc
    out: list[str] = []
    k = i
    while k < j:
        if doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            e = k
            while e + 1 < j and (
                doc[e + 1].pos_ == "PROPN" or (doc[e + 1].text == "-" and not doc[e].whitespace_)
            ):
                e += 1
            tagged = {t.ent_type_ for t in doc[k : e + 1]} - {"", "PERSON"}
            if e > k and not tagged:
                name = clean_name(p.text[doc[k].idx : doc[e].idx + len(doc[e].text)])
                if NAME_OK.match(name) and not NOT_NAME.search(name):
                    out.append(name)
            k = e + 1
        else:
            k += 1
    return out


def owner_or_near(p: ParsedPassage, d: re.Match, start: int, t, surnames: set[str]) -> list[str]:
    """The author of "X's book T" (the possessor), else the person named near the title."""
    if d.group("own"):
        own_end = d.start() + len(d.group("own"))
        nb = name_before(p, own_end)
        if nb and is_person_name(p, own_end, nb[1], surnames):
            return [nb[1]]
    who = person_near(p, p.tok_at(start), p.tok_at(t[1] - 1) + 1)
    return [who] if who else []


def _is_full_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and "." not in words[0] and bool(NAME_OK.match(name))


def full_names(finder: Finder) -> dict[str, str]:
    """'Okafor' / 'A. Okafor' -> 'Ada Okafor' when the document names one such person."""
    fulls: dict[str, set[str]] = {}
    for p in finder.passages:
        for s, e, i, j in p.persons():
            if j - i < 2:
                continue
            name = clean_name(p.text[s:e])
            if _is_full_name(name) and not NOT_NAME.search(name):
                fulls.setdefault(name.split()[-1].casefold(), set()).add(name)
    for f in finder.found:  # full names written in reference entries and notes
        if f.strong:
            for a in f.authors:
                if _is_full_name(a):
                    fulls.setdefault(a.split()[-1].casefold(), set()).add(a)
    out: dict[str, str] = {}
    for f in finder.found:
        for a in f.authors:
            words = a.split()
            cands = fulls.get(words[-1].casefold(), set()) if words else set()
            if len(cands) != 1 or a in cands:
                continue
            (cand,) = cands
            if len(words) == 1 or (
                all(w.endswith(".") for w in words[:-1]) and cand[0].casefold() == a[0].casefold()
            ):
                out[a] = cand
    return out
