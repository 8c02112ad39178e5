"""Where a sentence is cut into candidate argument units, learned: a logistic regression over
hashed features of each gap between two tokens says whether a unit starts or ends there.

Trained on the annotated unit boundaries of the open corpora (`claimgraph.training`), scored
here with numpy alone. The clause rule (`argument_features.split_clauses`) is the fallback.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

SEG_BITS = 18
SEG_DIM = 1 << SEG_BITS
MIN_PIECE = 3  # tokens: no cut leaves a shorter piece on either side
MIN_SENTENCE = 6  # tokens: shorter sentences stay whole


def gap_features(toks: list, k: int) -> np.ndarray:
    """Hashed feature indices of the gap before token k (1 <= k < len(toks)) of a sentence."""
    t, p = toks[k], toks[k - 1]
    after = toks[k + 1].lower_ if k + 1 < len(toks) else ""
    names = (
        f"w={t.lower_}", f"pw={p.lower_}", f"pw|w={p.lower_}|{t.lower_}", f"nw={after}",
        f"pos={t.pos_}", f"ppos|pos={p.pos_}|{t.pos_}", f"dep={t.dep_}", f"pdep={p.dep_}",
        f"tag={t.tag_}", f"ptag={p.tag_}", f"left={min(k, 8)}", f"right={min(len(toks) - k, 8)}",
        f"w|left={t.lower_}|{min(k, 6)}", f"root_child={t.head.dep_ == 'ROOT'}",
    )  # fmt: skip
    return np.array([zlib.crc32(n.encode()) % SEG_DIM for n in names], dtype=np.int64)


def gap_labels(toks: list, units: list[tuple[int, int]], base: int = 0) -> list[int]:
    """For training: 1 for each gap of the sentence where an annotated unit (character
    span, offsets of the text that `base` + token offsets index) starts or ends."""
    out = []
    for k in range(1, len(toks)):
        gap = range(base + toks[k - 1].idx + 1, base + toks[k].idx + 1)
        out.append(int(any(s in gap or e in gap for s, e in units)))
    return out


@dataclass(frozen=True)
class LearnedSplit:
    """Cut a sentence's tokens where P(boundary) >= threshold."""

    w: np.ndarray  # (SEG_DIM,)
    b: float
    threshold: float

    def __call__(self, toks: list) -> list[list]:
        if len(toks) < MIN_SENTENCE:
            return [toks]
        z = np.array([self.w[gap_features(toks, k)].sum() for k in range(1, len(toks))]) + self.b
        cut = z >= np.log(self.threshold / (1.0 - self.threshold))  # P >= threshold
        out: list[list] = [[toks[0]]]
        for k in range(1, len(toks)):
            if cut[k - 1] and len(out[-1]) >= MIN_PIECE and len(toks) - k >= MIN_PIECE:
                out.append([])
            out[-1].append(toks[k])
        return out
