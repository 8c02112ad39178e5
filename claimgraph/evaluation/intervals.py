"""How sure a micro-averaged F1 is: bootstrap intervals over documents.

A held-out row of a few hundred documents moves by a few hundredths when a handful of its
documents change; resampling the documents (with replacement, seeded) shows how far it could
move by chance, and resampling two systems' documents together shows whether one really
beats the other on the same texts.

>>> import numpy as np
>>> counts = np.array([[4, 5, 3], [2, 2, 2], [6, 3, 1]])  # per document: predicted, gold, matched
>>> round(micro_f1(counts), 3)
0.545
>>> lo, hi = f1_interval(counts)
>>> lo <= micro_f1(counts) <= hi
True
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
#: Below this many documents a resampled interval says little; reports leave it out.
MIN_DOCUMENTS = 10


def micro_f1(counts: np.ndarray) -> float:
    """F1 of summed (predicted, gold, matched) rows: 2 * matched / (predicted + gold)."""
    pred, gold, hit = np.asarray(counts, float).reshape(-1, 3).sum(axis=0)
    return float(2.0 * hit / (pred + gold)) if pred + gold else 0.0


def _resampled_f1(counts: np.ndarray, picks: np.ndarray) -> np.ndarray:
    sums = np.asarray(counts, float)[picks].sum(axis=1)  # (resamples, 3)
    total = sums[:, 0] + sums[:, 1]
    return np.divide(2.0 * sums[:, 2], total, out=np.zeros(len(sums)), where=total > 0)


def _picks(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _central(values: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0 * 100.0
    return float(np.percentile(values, tail)), float(np.percentile(values, 100.0 - tail))


def f1_interval(
    counts: np.ndarray, level: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> tuple[float, float]:
    """The central `level` interval of micro F1 over documents resampled with replacement;
    `counts` holds one (predicted, gold, matched) row per document."""
    counts = np.asarray(counts, float).reshape(-1, 3)
    if not len(counts):
        return 0.0, 0.0
    return _central(_resampled_f1(counts, _picks(len(counts), resamples, seed)), level)


def difference_interval(
    a: np.ndarray, b: np.ndarray, level: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> tuple[float, float, float]:
    """micro F1 of `a` minus that of `b` (rows: the same documents in the same order), and
    the central `level` interval of that difference when both are resampled together."""
    a = np.asarray(a, float).reshape(-1, 3)
    b = np.asarray(b, float).reshape(-1, 3)
    if a.shape != b.shape:
        raise ValueError("both systems must be counted on the same documents")
    if not len(a):
        return 0.0, 0.0, 0.0
    picks = _picks(len(a), resamples, seed)
    lo, hi = _central(_resampled_f1(a, picks) - _resampled_f1(b, picks), level)
    return micro_f1(a) - micro_f1(b), lo, hi
