"""Split a document's text into passages: paragraphs with exact offsets, none too long.

A passage is the unit language processing reads, and evidence is reported per passage, so
every passage is a `(start, end)` pair with `text[start:end]` non-empty and stripped.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_LINE = re.compile(r"[^\n]+")
#: A sentence end: terminal punctuation, closing quotes or brackets, then whitespace. It
#: starts only where a run of marks starts, so a long run ("!!!!...") is read once.
_SENTENCE_END = re.compile(r"(?<![.?!])[.?!]++[\"'\u201d\u2019\u00bb)\]]*+(?=\s)")
_OPENERS = "\"'\u201c\u2018\u00ab(["
#: Words whose trailing full stop rarely ends a sentence ("Dr. Smith", "pp. 4").
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "rev", "hon", "st", "jr", "sr", "vs", "cf", "fig"}
    | {"vol", "pp", "ed", "eds", "no", "gen", "col", "capt", "lt", "sgt", "e.g", "i.e"}
)
#: A line ending in none of these, followed by one starting in lower case, is hard-wrapped.
_LINE_ENDS = ".?!:;\"'\u201d\u2019\u00bb)]\u2026"


#: A run without whitespace longer than this (an inlined base64 image, say) is cut into
#: pieces this long: language processing must never see a text longer than its limit.
MAX_WORD = 20_000


def split_passages(
    text: str, max_chars: int = 3000, max_word: int = MAX_WORD
) -> list[tuple[int, int]]:
    """Paragraphs of `text` (lines; wrapped lines joined) as offsets, long ones cut at sentences.

    A paragraph longer than `max_chars` is cut at the last sentence end within the limit,
    else at the last space; a single word longer than the limit is kept whole, up to
    `max_word` characters, where it is cut (those pieces touch: no space between them).
    """
    passages = []
    for start, end in _paragraphs(text):
        passages.extend(_cut(text, start, end, max_chars, max(max_chars, max_word)))
    return passages


def passage_of(passages: list[tuple[int, int]], offset: int) -> int:
    """Index of the passage containing `offset` (its end offset included); ValueError if none."""
    i = bisect_right(passages, offset, key=lambda p: p[0]) - 1
    if i >= 0 and offset <= passages[i][1]:
        return i
    raise ValueError(f"offset {offset} is in no passage")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    paragraphs: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        start, end = _strip(text, m.start(), m.end())
        if start == end:
            continue
        if paragraphs and _wrapped(text, paragraphs[-1][1], start):
            paragraphs[-1] = (paragraphs[-1][0], end)
        else:
            paragraphs.append((start, end))
    return paragraphs


def _wrapped(text: str, prev_end: int, start: int) -> bool:
    """True if the line at `start` continues the sentence that ends the line before."""
    return (
        text.count("\n", prev_end, start) == 1
        and text[prev_end - 1] not in _LINE_ENDS
        and text[start].islower()
    )


def _cut(text: str, start: int, end: int, max_chars: int, max_word: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = _sentence_cut(text, start, limit) or _space_cut(text, start, limit)
        if cut is None:  # one long word: to its end, or `max_word` characters of it
            word_end = start + max_word
            cut = next((i for i in range(limit, min(end, word_end)) if text[i].isspace()), None)
            cut = cut if cut is not None else min(end, word_end)
        pieces.append(_strip(text, start, cut))
        start = _strip(text, cut, end)[0]
    if start < end:
        pieces.append((start, end))
    return pieces


def _sentence_cut(text: str, start: int, limit: int) -> int | None:
    """End of the last sentence ending at or before `limit`, or None."""
    best = None
    for m in _SENTENCE_END.finditer(text, start, limit + 1):
        after = m.end()
        while after < len(text) and text[after].isspace():
            after += 1
        starts_sentence = after < len(text) and (text[after].isupper() or text[after] in _OPENERS)
        if starts_sentence and (
            text[m.start()] != "." or not _abbreviation(text, start, m.start())
        ):
            best = m.end()
    return best if best is not None and best > start else None


def _abbreviation(text: str, start: int, stop: int) -> bool:
    word = text[max(start, stop - 12) : stop].split()[-1:] or [""]
    word = word[0].lstrip("\"'(\u201c\u2018[").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _space_cut(text: str, start: int, limit: int) -> int | None:
    for i in range(limit, start, -1):
        if text[i].isspace():
            return i
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
