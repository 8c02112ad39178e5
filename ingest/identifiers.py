"""Identifiers printed in a reference entry: its DOI and its web address, as IRIs.

DOIs and URLs have a formal syntax, so a pattern reads them exactly; the trained tagger is
for the fields that need judgement. Every pattern here is linear in the line's length.
"""

from __future__ import annotations

import re

# DOI Handbook: "10." registrant code "/" suffix; suffixes may hold almost any printable char.
# Characters an IRI may not hold (RFC 3987) end the match, so every result is a valid IRI.
_IRI_CHARS = r"[^\s\"<>{}|\\^`\x00-\x1f\x7f]"
_DOI = re.compile(r"\b10\.\d{4,9}/" + _IRI_CHARS + "+")
_URL = re.compile(r"\bhttps?://" + _IRI_CHARS + "+", re.I)
_DOI_RESOLVER = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.I)
_TRAILING = ".,;:)]}'’”"
_PAIRS = {"(": ")", "[": "]", "{": "}"}


def _trim(found: str) -> str:
    """Drop sentence punctuation after an identifier, and closing brackets it did not open."""
    opened = {c: found.count(o) for o, c in _PAIRS.items()}
    closed = {c: found.count(c) for c in _PAIRS.values()}
    end = len(found)
    while end and found[end - 1] in _TRAILING:
        c = found[end - 1]
        if c in closed:
            if closed[c] <= opened[c]:
                break  # balanced: part of the identifier, as in ".../notes_(2)"
            closed[c] -= 1
        end -= 1
    return found[:end]


def doi_iri(doi: str) -> str:
    """The canonical resolver IRI of a DOI (DOIs are case-insensitive: lower-cased)."""
    return "https://doi.org/" + doi.lower()


def entry_identifiers(entry: str) -> list[str]:
    """IRIs for the DOI and the web address(es) in one reference entry, DOI first."""
    out: list[str] = []
    dois = [_trim(m.group()) for m in _DOI.finditer(entry)]
    out += [doi_iri(d) for d in dois if "/" in d[3:]]
    for m in _URL.finditer(entry):
        url = _trim(m.group())
        if _DOI_RESOLVER.match(url):
            continue  # already read as a DOI
        if url not in out:
            out.append(url)
    return list(dict.fromkeys(out))
