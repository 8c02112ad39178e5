"""Works named by description rather than title, and laws.

"Name's last letter", "in his memoirs", "Name wrote a letter to Name2", "a 1936 interview
with Name", "the editorial was written by Name" (display title "Name's letter", ...); "the
civil code of 1904", "the Press Act of 1911", "Article 7 of the Constitution". Each scanner
takes the finder, one passage and `free(c)` (local char c is not in a reference line).
"""

from __future__ import annotations

import re

from claimgraph.ingest.authorship import (
    NAME_OK,
    NOT_NAME,
    clean_name,
    person_near,
    possessor,
)
from claimgraph.ingest.work_candidates import Finder, Found, Free, ParsedPassage

_DESC_NOUNS = (
    r"letter|letters|message|memoirs|memoir|diary|diaries|editorial|speech|testimony|manifesto|"
    r"telegram|interview|lecture|sermon|confession|autobiography|op-ed|memorandum|memo|petition|"
    r"will and testament|last will"
)
_POSS_DESC = re.compile(
    rf"(?P<own>[A-ZÀ-ÞĀ-ſ][\w\-]*)['’]s\s+(?P<mods>(?:(?:\d{{4}}|[a-z][\w\-]*)\s+){{0,2}}?)"
    rf"(?P<noun>{_DESC_NOUNS})\b(?!\s+(?:to\s+)?[“\"A-Z])(?!\s+(?:of|that)\b)"
)
_IN_HIS_MEMOIRS = re.compile(
    r"\b[Ii]n\s+(?:his|her|their)\s+(?:own\s+|later\s+|published\s+|posthumous\s+)?"
    r"(?P<noun>memoirs|memoir|autobiography|diary|diaries|journals|notebooks|correspondence)\b"
)
_LETTER_TO = re.compile(
    r"\b(?:wrote|writes|sent|sends|addressed|penned|drafted|dispatched)\s+(?:(?:his|her|their|a|an|the)\s+)?"
    r"(?:(?:[a-z]+|\d{4})\s+){0,3}?(?P<noun>letter|message|telegram|memorandum|petition)\s+to\s+"
    r"(?P<to>[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+){0,2})"
)
_INTERVIEW = re.compile(
    r"\b(?:an?|his|her|their|the)\s+(?:(?P<year>\d{4})\s+)?(?:[a-z]+\s+)?interview\s+with\s+"
)
_WRITTEN_BY = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<noun>editorial|letter|article|essay|pamphlet|speech|report|"
    r"memo|memorandum|manifesto|poem|review|column|book)\s+(?:in question\s+)?(?:was|had been|is|has been)\s+"
    r"(?:actually\s+|in fact\s+|originally\s+)?(?:written|penned|authored|drafted|composed)\s+by\s+"
    r"(?P<name>[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+){0,2})"
)
_ACT = re.compile(
    r"\b(?P<t>(?:[A-Z][\w\-]+\s+){1,6}(?:Act|Code|Statute|Ordinance|Decree|Edict|Treaty|Accords?|"
    r"Charter|Constitution|Amendment|Bill of Rights|Declaration)(?:\s+of\s+(?P<y>\d{4}))?)\b"
)
_CODE_OF_YEAR = re.compile(
    r"\b(?P<t>(?:(?:penal|criminal|civil|legal|labou?r|family|land|tax|commercial|electoral|"
    r"press|marriage)\s+)(?:code|law|statute))\s+of\s+(?P<y>1[5-9]\d\d|20\d\d)\b"
)
_LAWS_IN_YEAR = re.compile(
    r"\b(?P<t>(?:[a-z]+-[a-z]+|[a-z]+-[a-z]+-[a-z]+)\s+(?:laws?|decrees?|statutes?|acts?))\s+"
    r"(?:introduced|passed|enacted|adopted|issued|decreed|signed)\s+in\s+(?P<y>1[5-9]\d\d|20\d\d)\b"
)
_ARTICLE_OF = re.compile(
    r"\b(?P<t>(?:Article|Section|§)\s+\d+[a-z]?)(?=\s+of\s+the\s+(?:[\w\-]+\s+){0,4}?"
    r"(?:[Cc]ode|[Cc]onstitution|[Aa]ct|[Cc]onvention|[Cc]harter|[Tt]reaty|[Ll]aw)\b)"
)


def scan_possessed(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A possessed untitled work: "Marin's last message"."""
    base = p.base
    for m in _POSS_DESC.finditer(p.text):
        if not free(m.start()):
            continue
        nb = possessor(p, m.start() + len(m.group("own")), finder.person_surnames)
        if nb is None:
            continue
        mods = m.group("mods").split()
        if any(w in ("own", "other", "many", "several", "few", "various") for w in mods):
            continue
        sub = (
            "Message"
            if m.group("noun") in ("letter", "letters", "message", "telegram")
            else ("Book" if m.group("noun").startswith(("memoir", "autobiography")) else None)
        )
        # the span is the noun phrase only, so that the owner stays a person mention
        title = " ".join(finder.plain[base + nb[0] : base + m.end()].split())
        finder.add(
            Found(
                base + m.start("mods") if mods else base + m.start("noun"),
                base + m.end(),
                base + nb[0],
                base + m.end(),
                "descriptive",
                authors=[nb[1]],
                subtype=sub,
                title=title,
            )
        )


def scan_memoirs(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """Memoirs of the person named nearby: "recalls in his memoirs" -> "Name's memoirs"."""
    for m in _IN_HIS_MEMOIRS.finditer(p.text):
        if not free(m.start()):
            continue
        k = p.tok_at(m.start())
        starts_sentence = p.doc[k].is_sent_start
        who = person_near(p, k, k + 3, after_first=starts_sentence)
        if not who:
            continue
        noun = m.group("noun")
        sub = "Book" if noun.startswith(("memoir", "autobiography")) else None
        finder.add_noun_work(m, p.base, who, f"{who}'s {noun}", sub)


def scan_letters_to(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A letter of the person named before it: "Name wrote a long letter to Name2"."""
    for m in _LETTER_TO.finditer(p.text):
        if not free(m.start()):
            continue
        k = p.tok_at(m.start())
        s0, _ = p.sent_bounds(k)
        who = None
        for s, e, i, _j in reversed(p.persons()):
            if s0 <= i and e <= m.start():
                who = clean_name(p.text[s:e])
                break
        to = clean_name(m.group("to"))
        if not who or not to:
            continue
        finder.add_noun_work(m, p.base, who, f"{who}'s {m.group('noun')} to {to}", "Message")


def scan_interviews(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """An interview with a person: "a 1936 interview with the journalist Name"."""
    text, base = p.text, p.base
    for m in _INTERVIEW.finditer(text):
        if not free(m.start()):
            continue
        k = p.tok_starting(m.end())
        if k is None:
            continue
        for s, e, i, _j in p.persons():
            if k <= i <= k + 4 and e - m.end() < 60:
                name = clean_name(p.text[s:e])
                if not name:
                    break
                year = m.group("year")
                title = f"{year + ' ' if year else ''}interview with {name}"
                start = m.start("year") if year else text.rindex("interview", m.start(), m.end())
                noun_end = text.rindex("interview", m.start(), m.end()) + len("interview")
                finder.add(
                    Found(
                        base + start,
                        base + noun_end,
                        base + m.start(),
                        base + e,
                        "descriptive",
                        authors=[name],
                        title=title,
                        year=year,
                    )
                )
                break


def scan_written_by(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A work and its author: "the editorial was in fact written by Name"."""
    for m in _WRITTEN_BY.finditer(p.text):
        if not free(m.start()):
            continue
        name = clean_name(m.group("name"))
        if not name or not NAME_OK.match(name) or NOT_NAME.search(name):
            continue
        finder.add_noun_work(m, p.base, name, f"{name}'s {m.group('noun')}")


def scan_legislation(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """Laws: "the civil code of 1904", "anti-strike laws passed in 1921", "Article 7 of the Code",
    "the Harbour Act of 1911"."""
    text, base = p.text, p.base
    for rx in (_CODE_OF_YEAR, _LAWS_IN_YEAR, _ARTICLE_OF):
        for m in rx.finditer(text):
            if not free(m.start()):
                continue
            finder.add(
                Found(
                    base + m.start("t"),
                    base + (m.end() if rx is _CODE_OF_YEAR else m.end("t")),
                    base + m.start(),
                    base + m.end(),
                    "legislation",
                    year=m.groupdict().get("y"),
                    subtype="Legislation",
                    title=None if rx is not _LAWS_IN_YEAR else m.group("t"),
                )
            )
    for m in _ACT.finditer(text):
        if not free(m.start()):
            continue
        t = m.group("t")
        words = t.split()
        k = p.tok_starting(m.start("t"))
        if (
            k is not None
            and p.doc[k].is_sent_start
            and words[0] in ("The", "A", "In", "By", "Under")
        ):
            t = " ".join(words[1:])
            if len(t.split()) < 2:
                continue
            off = m.group("t").index(t)
        else:
            off = 0
        finder.add(
            Found(
                base + m.start("t") + off,
                base + m.end("t"),
                base + m.start(),
                base + m.end(),
                "legislation",
                year=m.group("y"),
                subtype="Legislation",
            )
        )
