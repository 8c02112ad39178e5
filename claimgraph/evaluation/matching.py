"""How a predicted node is compared with a gold entity: folded names, claim token F1, and
the optimal one-to-one assignment over a score matrix.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment

#: Minimum content-word token F1 for a predicted claim to match a gold claim.
CLAIM_THRESHOLD = 0.5

EPS = 1e-9
# Scores in the assignment matrices: a better kind of match wins a tie between candidates.
LABEL_MATCH = 1.0  # label equals label
NAME_MATCH = 0.9  # some name (label or alias) equals some name
PREFIX_MATCH = 0.8  # a work's title before ":" equals a name of the other
DIRECT_SOURCE = 1.0  # edge source maps to the gold source itself
PROXY_SOURCE = 0.9  # edge source stands for the gold source (its author, its work)

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_TRAILING = string.punctuation + " "
_SURROUNDING_QUOTES = "'\" "
_CONTRACTION = re.compile(r"'(?:s|d|ll|m|re|ve)\b")
_WORD = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_QUOTES).lower().split())


def fold_name(name: str) -> str:
    """The form in which names are compared.

    NFKD with combining marks dropped (Bożek = Bozek), lower case, curly quotes and dashes
    made straight, whitespace collapsed, surrounding quotes, a leading "the " and trailing
    punctuation removed: "The Harbour Years." and "harbour years" fold alike.
    """
    text = _fold(name).strip(_SURROUNDING_QUOTES)
    if text.startswith("the "):
        text = text[4:]
    return text.rstrip(_TRAILING).strip(_SURROUNDING_QUOTES)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (importing the list loads no model)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=65536)
def content_tokens(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens of `text` without stop words ("n't" counts as "not")."""
    text = _fold(text).replace("n't", " not")
    text = _CONTRACTION.sub(" ", text)
    stops = stop_words()
    return tuple(t for t in _WORD.findall(text) if t not in stops)


def token_f1(a: str, b: str) -> float:
    """Content-word token F1 of two texts (multiset overlap; 0.0 if either has none)."""
    ta, tb = _token_counts(a), _token_counts(b)
    if not ta or not tb:
        return 0.0
    overlap = sum((ta & tb).values())
    return 2 * overlap / (ta.total() + tb.total())


@lru_cache(maxsize=65536)
def _token_counts(text: str) -> Counter:
    return Counter(content_tokens(text))


def claim_score(pred_texts: Iterable[str], gold_texts: Iterable[str]) -> float:
    """Best token F1 over the pairs of texts, or 0.0 below :data:`CLAIM_THRESHOLD`."""
    gold_texts = list(gold_texts)
    best = max((token_f1(a, b) for a in pred_texts for b in gold_texts), default=0.0)
    return best if best >= CLAIM_THRESHOLD - EPS else 0.0


def names_score(kind: str, pred: tuple[str, list[str]], gold: tuple[str, list[str]]) -> float:
    """Name match score of a predicted and a gold entity (folded label, folded names)."""
    p_label, p_names = pred
    g_label, g_names = gold
    if p_label and p_label == g_label:
        return LABEL_MATCH
    p_set, g_set = set(p_names), set(g_names)
    if p_set & g_set:
        return NAME_MATCH
    if kind == "Work":
        p_pre = {_title_prefix(n) for n in p_names} - {""}
        g_pre = {_title_prefix(n) for n in g_names} - {""}
        if p_pre & g_set or g_pre & p_set:
            return PREFIX_MATCH
    return 0.0


def _title_prefix(folded: str) -> str:
    """The folded part of a title before ":" ("" if there is no colon)."""
    if ":" not in folded:
        return ""
    return fold_name(folded.split(":", 1)[0])


def assign(scores: np.ndarray) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (row, col) with a positive score."""
    if scores.size == 0 or not scores.any():
        return []
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(r, c) for r, c in zip(rows, cols, strict=True) if scores[r, c] > EPS]


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items in first-seen order, each once."""
    return [x for x in dict.fromkeys(items) if x]
