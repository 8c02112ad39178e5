"""Relation decoding of the argument model: each unit picks at most one target among its
candidates (a softmax over its link scores), weighed by how likely the unit is to support or
dispute anything at all; the polarity model then says which of the two it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Edge:
    """A decoded relation between candidate units `source` and `target` (indices)."""

    source: int
    target: int
    relation: str  # "supports" | "disputes"
    confidence: float


def choose_targets(
    keys: list[tuple[int, int]], link: np.ndarray, dispute: np.ndarray, source_p: np.ndarray
) -> dict[int, Edge]:
    """Each source's likeliest target: for source i over its pairs (i, j) in `keys`,
    P(j | i) = softmax of the `link` logits, confidence = `source_p`[i] * max P(j | i); the
    edge disputes when the pair's `dispute` probability exceeds one half."""
    by_source: dict[int, list[int]] = {}
    for n, (i, _j) in enumerate(keys):
        by_source.setdefault(i, []).append(n)
    best: dict[int, Edge] = {}
    for i, rows in by_source.items():
        z = link[rows]
        p = np.exp(z - z.max())
        p /= p.sum()
        a = int(p.argmax())
        n = rows[a]
        relation = "disputes" if dispute[n] > 0.5 else "supports"
        best[i] = Edge(i, keys[n][1], relation, float(source_p[i] * p[a]))
    return best


def select_edges(best: dict[int, Edge], units: int, threshold: float, share: float) -> list[Edge]:
    """Each unit's best edge that reaches `threshold` or ranks, by confidence, among the top
    `share` of the document's `units` (relative, so robust to scores running low in a genre)."""
    top = int(np.ceil(share * units - 1e-9))
    order = sorted(best.values(), key=lambda e: -e.confidence)
    keep = [e for rank, e in enumerate(order) if e.confidence >= threshold or rank < top]
    return sorted(keep, key=lambda e: e.source)


#: How a document's claims are picked from P(argument unit): "threshold" (every unit at or
#: above the claim threshold) or "expected-f1" (see expected_f1_units).
SELECTIONS = ("threshold", "expected-f1")


def expected_f1_units(p: np.ndarray) -> list[int]:
    """The units that maximise the document's expected claim F1 if each P(argument unit) in
    `p` were calibrated: its k likeliest, k maximising 2 * (sum of their p) / (k + sum of all
    p) (the plug-in rule for F1, Jansche 2007; Nan Ye et al. 2012). It follows the document's
    own density: a text argued throughout keeps nearly every unit, a chatty one its surest."""
    order = np.argsort(-np.asarray(p, float), kind="stable")
    if not len(order):
        return []
    gains = 2.0 * np.cumsum(np.asarray(p, float)[order])
    expected = gains / (np.arange(1, len(order) + 1) + float(np.sum(p)))
    k = int(np.argmax(expected)) + 1 if expected.max() > 0 else 0
    return sorted(int(i) for i in order[:k])


def chosen_units(p: np.ndarray, selection: str, threshold: float) -> list[int]:
    """Indices of the units that become claims under `selection` (SELECTIONS)."""
    if selection == "expected-f1":
        return expected_f1_units(p)
    return [i for i in range(len(p)) if p[i] >= threshold]
