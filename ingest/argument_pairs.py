"""Candidate relation pairs of a document and their features for the link model: each unit's
candidate targets (its window plus the document's likeliest targets), described by the pair
features of argument_features plus distance, rank and position features that relate the
target to the source's other candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_features import Candidate


@dataclass
class PairTable:
    """The candidate pairs (source, target) of one document and their feature rows."""

    keys: list[tuple[int, int]]
    rows: list[tuple[np.ndarray, np.ndarray]]


def _bucket(n: float, edges: tuple[float, ...]) -> int:
    return sum(n >= e for e in edges)


def _clip(n: int, k: int) -> int:
    return max(-k, min(k, n))


def rank_of(scores: np.ndarray) -> np.ndarray:
    """Each item's rank by descending score (0 = the highest; ties keep their order)."""
    ranks = np.empty(len(scores), int)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
    return ranks


def paragraph_ranks(cands: list[Candidate], scores: np.ndarray) -> np.ndarray:
    """Each unit's rank by descending score within its paragraph."""
    out = np.zeros(len(cands), int)
    by_par: dict[int, list[int]] = {}
    for k, c in enumerate(cands):
        by_par.setdefault(c.paragraph, []).append(k)
    for members in by_par.values():
        for r, k in enumerate(sorted(members, key=lambda k: -scores[k])):
            out[k] = r
    return out


def hubs(cands: list[Candidate], scores: np.ndarray) -> np.ndarray:
    """Each unit's hub: its paragraph's highest-scoring unit, or for that unit itself the
    document's (as the structural "hub" fallback links them); -1 when it is the document's."""
    par_ranks = paragraph_ranks(cands, scores)
    top = {c.paragraph: k for k, c in enumerate(cands) if par_ranks[k] == 0}
    first = int(np.argmax(scores)) if len(cands) else -1
    out = np.array([top[c.paragraph] for c in cands], int)
    out[out == np.arange(len(cands))] = first
    out[out == np.arange(len(cands))] = -1
    return out


@dataclass
class _Context:
    ranks: np.ndarray  # by P(relation target) in the document
    unit_ranks: np.ndarray  # by P(argument unit) in the document
    par_ranks: np.ndarray  # by P(relation target) in the paragraph
    hubs: np.ndarray  # see hubs()


def context_names(cands: list[Candidate], i: int, j: int, ctx: _Context, local: int) -> list[str]:
    """Names relating target `j` to source `i` and to the source's other candidates (`local`:
    the target's rank by P(relation target) among them)."""
    s, t = cands[i], cands[j]
    d = j - i
    n = max(1, s.doc_size)
    after, same = d > 0, s.paragraph == t.paragraph
    tpar, spar = min(ctx.par_ranks[j], 2), min(ctx.par_ranks[i], 1)
    sv, tv = s.vector, t.vector
    norm = float(np.linalg.norm(sv) * np.linalg.norm(tv)) or 1.0
    return [
        f"ad={_bucket(abs(d), (1, 2, 3, 5, 8, 13))}|{after}",
        f"rd={_bucket(abs(d) / n, (0.1, 0.2, 0.4, 0.7))}|{after}",
        f"lrank={min(local, 4)}",
        f"lrank={min(local, 4)}|{after}",
        f"urank={min(ctx.unit_ranks[j], 4)}",
        f"trank={min(ctx.ranks[j], 4)}|d={_clip(d, 3)}",
        f"spos={min(s.par_index, 4)}|tpos={min(t.par_index, 4)}",
        f"spar_last={s.par_index == s.par_size - 1}|tpar_first={t.par_index == 0}",
        f"t-doc-last={t.index == t.doc_size - 1}",
        f"s-doc-rel={int(4 * s.index / n)}|t-doc-rel={int(4 * t.index / n)}",
        f"tpar={min(t.paragraph, 3)}|spar={min(s.paragraph, 3)}",
        f"sm={s.opener or '-'}|d={_clip(d, 2)}",
        f"tm={t.opener or '-'}|d={_clip(d, 2)}",
        f"adj={abs(d) == 1}|same={same}|tpf={t.par_index == 0}",
        f"spart={min(s.part, 2)}|tpart={min(t.part, 2)}|d={_clip(d, 2)}",
        f"tparrank={tpar}",
        f"tparrank={tpar}|same={same}|sparrank={spar}",
        f"tdocrank={min(ctx.ranks[j], 2)}|sparrank={spar}|same={same}",
        f"cos={_bucket(float(sv @ tv) / norm, (0.3, 0.5, 0.7, 0.85))}",
        f"ovn={min(len(s.content & t.content), 3)}",
        f"hub={ctx.hubs[i] == j}",
        f"hub={ctx.hubs[i] == j}|same={same}",
        f"prev={d == -1 and same}",
    ]


def pair_table(
    cands: list[Candidate],
    profiles: np.ndarray,
    window: int,
    units: list[int] | None = None,
) -> PairTable:
    """Every candidate pair among `units` (default: all candidates) with its feature row in a
    space of PAIR_DIM; `profiles` are the candidates' unit profiles."""
    ctx = _Context(
        rank_of(profiles[:, 1]),
        rank_of(profiles[:, 0]),
        paragraph_ranks(cands, profiles[:, 1]),
        hubs(cands, profiles[:, 1]),
    )
    allowed = None if units is None else set(units)
    sources = range(len(cands)) if units is None else units
    table = PairTable([], [])
    for i in sources:
        found = F.targets(cands, i, window, ctx.ranks)
        local = {j: r for r, j in enumerate(sorted(found, key=lambda j: -profiles[j, 1]))}
        for j in found if allowed is None else [j for j in found if j in allowed]:
            idx, val = F.pair_vector(
                cands[i], cands[j], profiles[i], profiles[j], int(ctx.ranks[j])
            )
            hashed = len(idx) - F.PAIR_DENSE
            more = F.hashed(context_names(cands, i, j, ctx, local[j]))
            names = np.unique(np.concatenate([idx[:hashed], more]))
            table.keys.append((i, j))
            table.rows.append(
                (
                    np.concatenate([names, idx[hashed:]]),
                    np.concatenate([np.ones(len(names), np.float32), val[hashed:]]),
                )
            )
    return table
