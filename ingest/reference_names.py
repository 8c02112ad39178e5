"""Personal names in reference entries and notes: the patterns of surnames, given names and
initials in many scripts, author blocks in APA and Chicago/MLA order, and splitting a block
into display names ("Given Surname"). Pure string work, shared by `references.py`.
"""

from __future__ import annotations

import re

# -- character classes --------------------------------------------------------------------
UP = r"A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽА-ЯЁ"
LO = r"a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžа-яё"
# Every pattern below must match in time linear in the line (a hostile line must not hang
# ingest): no piece may match the same text in two ways inside a repetition. So a word is
# one capital, one letter or "'X", then letters, and initials inside a given-name list are
# written without spaces ("J.-P.", "A.B."), the list itself separating them.
WORD = rf"[{UP}](?:[{LO}{UP}]|['’][{UP}])[{LO}{UP}]*(?:['’][{LO}{UP}]+)*(?:-[{UP}{LO}][{LO}{UP}]*)*"
PARTICLE = r"(?:van|von|de|der|den|du|da|di|del|della|des|le|la|ten|ter|bin|ibn|al|el|dos|das|St\.)"
SURNAME = rf"(?:{PARTICLE}\s+)*{WORD}(?:\s+{WORD})?"
INIT = rf"[{UP}]\.(?:\s?-?[{UP}]\.)*"
TIGHT_INIT = rf"[{UP}]\.(?:-?[{UP}]\.)*"
GIVEN = rf"(?:{WORD}|{TIGHT_INIT})(?:\s+(?:{WORD}|{TIGHT_INIT}))*"
SUFFIX = r"(?:,?\s+(?:Jr\.|Sr\.|II|III|IV))?"


# APA author: "Surname, I. I." (first, and all others)
_APA_AUTHOR = rf"{SURNAME},\s+{INIT}{SUFFIX}"
APA_AUTHORS = (
    rf"(?P<authors>{_APA_AUTHOR}(?:,\s+(?:&\s+)?{_APA_AUTHOR})*"
    rf"(?:,?\s+(?:&|and)\s+{_APA_AUTHOR})?(?:,?\s+et\s+al\.)?)"
)


# Chicago / MLA author block: "Surname, Given [Middle]" then ", and Given Surname", "et al.", "eds."
_FIRST_AUTHOR = rf"{SURNAME},\s+{GIVEN}{SUFFIX}"
# atomic: how the words split into given names and surname does not change the span
_NEXT_AUTHOR = rf"(?>{GIVEN}\s+{SURNAME})"
CM_AUTHORS = re.compile(
    rf"(?P<authors>{_FIRST_AUTHOR}(?:,\s+(?!and\b){_NEXT_AUTHOR})*(?:,?\s+and\s+{_NEXT_AUTHOR})?"
    rf"(?:,?\s+et\s+al\.?)?)(?:,\s+(?P<eds>eds?\.|editors?|trans\.|translator))?(?:(?<=\.)|\s*\.)\s+(?P<rest>\S.*)$"
)


# starts only where a run of spaces starts, and reads that run once: linear in the text
_NAME_LIST_SPLIT = re.compile(r"(?<!\s)\s*+(?:,\s*+(?:&|and)\s+|(?<=\s)&\s|(?<=\s)and\s+|,\s+)\s*")
NAME_ONLY = re.compile(
    rf"^(?:{PARTICLE}\s+)?(?:{WORD}|{TIGHT_INIT})(?:\s+(?:{WORD}|{TIGHT_INIT}|{PARTICLE}|and|&))*$"
)


def _initials(s: str) -> str:
    """'S.S.' -> 'S. S.'; 'O. V.' stays; 'J.-P.' stays."""
    return re.sub(r"\.(?=[A-ZÀ-Þ])", ". ", s.strip())


def _apa_name(a: str) -> str:
    """'Varga, H.' -> 'H. Varga'."""
    a = a.strip().lstrip("&").strip()
    if "," not in a:
        return a
    sur, _, given = a.partition(",")
    given = given.strip()
    suffix = ""
    m = re.search(r",?\s*(Jr\.|Sr\.|II|III|IV)$", given)
    if m:
        suffix, given = " " + m.group(1), given[: m.start()].strip()
    return f"{_initials(given)} {sur.strip()}{suffix}".strip()


def apa_authors(block: str) -> list[str]:
    block = re.sub(r",?\s+et\s+al\.?$", "", block.strip())
    # split on ", " that is followed by a surname and a comma-initial pair, or on "&"/"and"
    parts = re.split(rf",\s*(?:&\s*)?(?={SURNAME},\s+{INIT})|\s+(?:&|and)\s+(?={SURNAME},)", block)
    return [_apa_name(p) for p in parts if p.strip()]


def cm_authors(block: str) -> list[str]:
    """'Varga, Helena, and Ola Berg' -> ['Helena Varga', 'Ola Berg']."""
    block = re.sub(r",?\s+et\s+al\.?$", "", block.strip())
    sur, _, rest = block.partition(",")
    pieces = re.split(r",\s+and\s+|\s+and\s+|,\s+", rest.strip())
    first_given = pieces[0].strip() if pieces else ""
    out = [f"{_initials(first_given)} {sur.strip()}".strip()]
    out.extend(" ".join(p.split()) for p in pieces[1:] if p.strip())
    return out


def split_name_list(block: str) -> list[str]:
    """Names as written in notes and prose: 'Ann and Bo Lund' -> two full names.

    'A and B Surname' shares the surname when A is a lone given name; 'A Surname and B
    Othername' keeps both as written.
    """
    block = " ".join(block.strip().strip(",.").split())
    parts = [p for p in _NAME_LIST_SPLIT.split(block) if p]
    if (
        len(parts) >= 2
        and all(len(p.split()) == 1 for p in parts[:-1])
        and len(parts[-1].split()) >= 2
    ):
        surname = parts[-1].split()[-1]
        return [f"{p} {surname}" for p in parts[:-1]] + [parts[-1]]
    return parts
