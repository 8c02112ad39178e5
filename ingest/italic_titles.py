"""Titles set in italics that no other pattern explained.

An italic span in title case is a title when a work noun, a possessive or "in" comes before
it; otherwise it must not read as a periodical, a place, an organisation or a person, and a
lone italic word counts only mid-sentence (emphasis such as "*Never* again" is not a title).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from claimgraph.ingest.title_cues import NOUN_ALT
from claimgraph.ingest.title_scan import SKIP_ENTS
from claimgraph.ingest.titles import FUNCTION_WORDS, PERIODICAL_END, span_text, title_case_ratio
from claimgraph.ingest.work_candidates import Finder, Found


def _untriggered_ok(finder: Finder, title: str, words: list[str], a: int, b: int, before: str):
    """An italic title with no cue before it: not a periodical, stray word, place or person."""
    if PERIODICAL_END.search(title.rstrip("?!")):
        return False  # a newspaper or magazine named as such
    if len(words) == 1:
        # a lone italic word mid-sentence (not "*Never* again", not "*USSR*")
        lead = before.rstrip(' \t"“‘(')
        if (
            not lead
            or lead[-1] in ".!?:\n"
            or len(title) < 3
            or title.isupper()
            or not title[1:].islower()
        ):
            return False
    p = finder.passage_at(a)
    if p is not None:
        i = p.tok_starting(a - p.base)
        k = p.tok_at(b - 1 - p.base)
        if i is not None:
            ent = p.ent_covering(i, k + 1)
            if ent is not None and ent.label_ in SKIP_ENTS:
                return False
            if ent is not None and ent.label_ == "PERSON" and len(words) <= 3:
                return False
    return True


def scan_emphasis(finder: Finder) -> None:
    """Italic spans of the whole document not already inside a found title."""
    taken = sorted((f.start, f.end) for f in finder.found)
    starts = [s for s, _ in taken]
    for s, e in finder.emph:
        if finder.is_blocked(s):
            continue
        i = bisect_right(starts, e) - 1
        if i >= 0 and taken[i][1] > s:
            continue  # already a title (or inside one)
        a, b = span_text(finder.text, s, e)
        title = finder.plain[a:b]
        words = title.split()
        if not words or len(words) > 15 or not (words[0][:1].isupper() or words[0][:1].isdigit()):
            continue
        if title_case_ratio(words) < 0.75 or title.endswith((".", "!")) and len(words) > 3:
            continue
        before = finder.plain[max(0, a - 60) : a]
        trigger = bool(re.search(rf"\b(?:{NOUN_ALT})\s*,?\s*$|['’]s\s*$|\bin\s*$", before))
        if all(w.lower() in FUNCTION_WORDS for w in words):
            continue
        if not trigger and not _untriggered_ok(finder, title, words, a, b, before):
            continue
        finder.add(
            Found(
                a,
                b,
                max(0, a - len(before) + before.rfind(" ") + 1) if trigger else a,
                b,
                "emphasis-title",
                confidence=0.8 if trigger else (0.6 if len(words) > 1 else 0.5),
            )
        )
