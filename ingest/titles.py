"""Where a title of a work starts and ends in running text, read from spaCy tokens.

A title is a run of capitalised words that may contain lowercase function words ("of",
"the", "and", "in" ...), a possessive ("China's"), hyphens and one colon before a subtitle.
It stops at punctuation that ends it, at a lowercase content word, before "by Name" (the
author) and before "in 1936" (a date). A question or exclamation mark is kept and ends it.
The scanners never look beyond `limit` tokens.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "a",
        "an",
        "to",
        "for",
        "on",
        "with",
        "at",
        "from",
        "by",
        "under",
        "or",
        "nor",
        "into",
        "upon",
        "over",
        "against",
        "about",
        "through",
        "without",
        "between",
        "among",
        "after",
        "before",
        "&",
        "vs",
        "vs.",
        "versus",
        "de",
        "la",
        "le",
        "les",
        "du",
        "des",
        "del",
        "della",
        "von",
        "van",
        "der",
        "den",
        "y",
        "et",
    ]
)
#: Words that may open a title but are also ordinary sentence openers.
OPENERS = frozenset(
    [
        "in",
        "on",
        "at",
        "for",
        "from",
        "with",
        "by",
        "under",
        "after",
        "before",
        "as",
        "when",
        "while",
        "although",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "if",
        "since",
        "because",
        "though",
    ]
)
#: A title ending in one of these is a publisher or an organisation, not a work.
PUBLISHER_END = re.compile(
    r"\b(?:Press|Books|Publishers?|Publishing|Verlag|Editions|House|Inc\.?|Ltd\.?|LLC|"
    r"University|College|Institute|Foundation|Company|Co\.)$"
)
#: A title ending in one of these names a newspaper or magazine (a periodical).
PERIODICAL_END = re.compile(
    r"\b(?:Times|Post|News|Guardian|Herald|Tribune|Gazette|Telegraph|Daily|Weekly|Chronicle|"
    r"Observer|Independent|Journal|Magazine|Monthly|Quarterly|Bulletin|Economist|Atlantic|"
    r"Review|Appeal|Courier|Standard|Express|Mirror|Inquirer|Examiner|Sun)$"
)
MONTHS_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
MAX_TOKENS = 25
_GLUED_DIGITS = re.compile(r"(?<=[^\W\d_])\d{1,3}$")


def is_cap(text: str) -> bool:
    c = text[:1]
    return c.isupper() or (c.isdigit() and len(text) <= 4 and text.isdigit())


def _word_cap(t) -> bool:
    s = t.text
    return bool(s) and s[0].isupper()


def _is_func(t) -> bool:
    s = t.text
    return s.islower() and s in FUNCTION_WORDS


def _is_date_like(t) -> bool:
    return (
        t.like_num or t.ent_type_ in ("DATE", "TIME", "CARDINAL") or t.text.lower() in MONTHS_DAYS
    )


def _joiner(doc, j: int) -> bool:
    """Hyphen or possessive glued inside a capitalised run: "Smith-Okafor", "Peru's"."""
    t = doc[j]
    if t.text in ("-", "‐") and j > 0 and not doc[j - 1].whitespace_ and not t.whitespace_:
        return True
    return t.text in ("'s", "’s") and j > 0 and not doc[j - 1].whitespace_


def run_forward(
    doc, i: int, *, list_mode: bool = False, limit: int = MAX_TOKENS
) -> tuple[int, int] | None:
    """Token span [i, j) of a title that starts at token i, or None."""
    n = len(doc)
    if i >= n or not _word_cap(doc[i]):
        return None
    last = i
    colon = False
    j = i + 1
    while j < n and j - i < limit:
        t = doc[j]
        s = t.text
        prev = doc[j - 1]
        if "\n" in prev.whitespace_ or s.startswith("\n") or t.is_space:
            break
        if (
            _word_cap(t)
            or (s.isdigit() and last == j - 1)
            or (s.isdigit() and doc[j - 1].text in ("of", "No."))
        ):
            if t.is_sent_start and prev.text in (".", "!", "?"):
                break
            last = j
        elif _is_func(t):
            nxt = doc[j + 1] if j + 1 < n else None
            if nxt is None or not (_word_cap(nxt) or _is_func(nxt) or nxt.like_num):
                break
            if s == "by" and _word_cap(nxt) and nxt.ent_type_ == "PERSON":
                break
            if s in ("in", "on", "at", "from", "since", "during") and _is_date_like(nxt):
                break
            if list_mode and s in ("and", "or", "&") and _word_cap(nxt) and not colon:
                break
        elif (
            s == ":"
            and not colon
            and j + 1 < n
            and _word_cap(doc[j + 1])
            and "\n" not in t.whitespace_
        ):
            colon = True
        elif _joiner(doc, j):
            pass
        elif s in ("?", "!") and not prev.whitespace_:
            last = j
            break
        elif s == "." and not prev.whitespace_ and len(prev.text) == 1 and prev.text.isupper():
            pass  # an initial inside a title: "John F. Kennedy"
        else:
            break
        j += 1
    return i, last + 1


def run_backward(doc, k: int, *, limit: int = MAX_TOKENS) -> tuple[int, int] | None:
    """Token span [i, k) of a title that ends just before token k, or None."""
    j = k - 1
    if j < 0:
        return None
    while j >= 0 and doc[j].text in ("”", '"', "’", "'") and j >= k - 1:
        j -= 1
    end = j + 1
    if j < 0 or not (_word_cap(doc[j]) or doc[j].text in ("?", "!")):
        return None
    first = j
    while j >= 0 and end - j <= limit:
        t = doc[j]
        s = t.text
        if "\n" in t.whitespace_ and j < end - 1:
            break
        if _word_cap(t) or (s.isdigit() and j + 1 < end):
            first = j
            if t.is_sent_start:
                break
        elif _is_func(t) and j + 1 < end and (_word_cap(doc[j + 1]) or _is_func(doc[j + 1])):
            if s == "by":
                break
        elif (
            s == ":"
            and j + 1 < end
            and _word_cap(doc[j + 1])
            or _joiner(doc, j)
            or s in ("?", "!")
            and j == end - 1
        ):
            pass
        else:
            break
        j -= 1
    i = first
    # "Read The Long Winter by ...", "Varga's The Amber Throne (...)": an article glued to a
    # preceding word (not after a colon or a function word) opens the title
    for q in range(end - 2, i, -1):
        if doc[q].text in ("The", "A", "An") and (
            doc[q - 1].text in ("'s", "’s") or (_word_cap(doc[q - 1]) and not _is_func(doc[q - 1]))
        ):
            i = q
            break
    # drop a sentence-opening preposition/conjunction: "In The Book (...)" -> "The Book"
    while i < end - 1 and doc[i].is_sent_start and doc[i].text.lower() in OPENERS:
        i += 1
    while i < end and _is_func(doc[i]):
        i += 1
    if i >= end:
        return None
    return i, end


def span_text(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim quotes, spaces, trailing punctuation and glued footnote digits from text[start:end]."""
    while start < end and text[start] in " \t\n“\"‘'*_":
        start += 1
    while end > start and text[end - 1] in " \t\n”\"’'*_,.;:":
        if text[end - 1] in "’'" and end - 2 >= start and text[end - 2] == "s":
            break  # a plural possessive at the end: "Workers'"
        end -= 1
    m = _GLUED_DIGITS.search(text[start:end])
    if m:
        end = start + m.start()
    return start, end


def title_case_ratio(words: list[str]) -> float:
    """Share of content words that are capitalised."""
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    if not content:
        return 0.0
    return sum(1 for w in content if w[:1].isupper() or w[:1].isdigit()) / len(content)


def plausible_title(title: str) -> bool:
    """Cheap sanity checks every title must pass."""
    t = title.strip()
    if len(t) < 2 or len(t) > 250 or not any(c.isalpha() for c in t):
        return False
    if t.lower() in MONTHS_DAYS:
        return False
    return not PUBLISHER_END.search(t)


__all__ = [
    "FUNCTION_WORDS",
    "PERIODICAL_END",
    "PUBLISHER_END",
    "is_cap",
    "plausible_title",
    "run_backward",
    "run_forward",
    "span_text",
    "title_case_ratio",
]
