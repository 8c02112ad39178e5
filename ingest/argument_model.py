"""The learned argument model at run time: linear scores for "is this sentence argumentative?"
and "does unit A support or dispute unit B?", computed with numpy alone.

A model directory holds `weights.npz` (arrays, loaded with allow_pickle=False), `model.json`
(feature settings and the thresholds chosen on training data) and `MODEL_CARD.md`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_features import Candidate

FORMAT = 1
RELATIONS = ("none", "supports", "disputes")


class ModelError(Exception):
    """A model directory that cannot be used; the message says why, in one line."""


def shipped_model_dir() -> Path:
    """The model trained on the open corpora that ships inside the package."""
    return Path(str(resources.files("claimgraph.ingest").joinpath("models", "arguments")))


@dataclass
class Edge:
    """A decoded relation between candidate units `source` and `target` (indices)."""

    source: int
    target: int
    relation: str  # "supports" | "disputes"
    confidence: float


@dataclass
class ArgumentModel:
    unit_w: np.ndarray  # (3, UNIT_DIM): is a unit, is a relation target, is a relation source
    unit_b: np.ndarray  # (3,)
    rel_w: np.ndarray  # (3, PAIR_DIM): none, supports, disputes
    rel_b: np.ndarray  # (3,)
    settings: dict

    @property
    def claim_threshold(self) -> float:
        return float(self.settings["claim_threshold"])

    @property
    def relation_threshold(self) -> float:
        return float(self.settings["relation_threshold"])

    @property
    def clauses(self) -> bool:
        """Whether units are clauses (split at ";", "because", ...) rather than sentences."""
        return self.settings.get("units") == "clauses"

    @property
    def window(self) -> int:
        return int(self.settings.get("window", 6))

    @classmethod
    def load(cls, folder: str | Path) -> ArgumentModel:
        """Read a model directory written by `save` (cached until its files change)."""
        path = Path(folder).resolve()
        stamps = tuple(_mtime(path / name) for name in ("model.json", "weights.npz"))
        return _load(str(path), stamps)

    def save(self, folder: str | Path) -> None:
        """Write weights.npz and model.json into `folder` (created if missing)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz",
            unit_w=self.unit_w.astype(np.float32),
            unit_b=self.unit_b.astype(np.float32),
            rel_w=self.rel_w.astype(np.float32),
            rel_b=self.rel_b.astype(np.float32),
        )
        settings = {"format": FORMAT, "hash_bits": F.HASH_BITS, **self.settings}
        (folder / "model.json").write_text(json.dumps(settings, indent=2) + "\n", "utf-8")

    def unit_profiles(self, cands: list[Candidate]) -> np.ndarray:
        """Per candidate: P(argument unit), P(relation target), P(relation source)."""
        out = np.zeros((len(cands), 3), np.float32)
        for k, c in enumerate(cands):
            idx, val = F.unit_vector(c)
            out[k] = 1.0 / (1.0 + np.exp(-(self.unit_w[:, idx] @ val + self.unit_b)))
        return out

    def unit_scores(self, cands: list[Candidate]) -> list[float]:
        """P(argumentative) of each candidate unit."""
        return [float(p) for p in self.unit_profiles(cands)[:, 0]]

    def relation_scores(
        self, cands: list[Candidate], pairs: list[tuple[int, int]], profiles: np.ndarray
    ) -> np.ndarray:
        """Per pair (source, target) of candidate indices: P(supports), P(disputes);
        `profiles` are the candidates' unit_profiles."""
        out = np.zeros((len(pairs), 2), np.float32)
        ranks = target_ranks(profiles)
        for k, (i, j) in enumerate(pairs):
            idx, val = F.pair_vector(cands[i], cands[j], profiles[i], profiles[j], ranks[j])
            logits = self.rel_w[:, idx] @ val + self.rel_b
            p = np.exp(logits - logits.max())
            out[k] = (p / p.sum())[1:]
        return out

    def relations(
        self, cands: list[Candidate], profiles: np.ndarray, units: list[int], threshold: float
    ) -> list[Edge]:
        """Decoded edges among the chosen `units` (indices): each unit supports or disputes at
        most one other unit in its window, the likeliest if its probability reaches `threshold`."""
        chosen = set(units)
        ranks = target_ranks(profiles)
        pairs = [
            (i, j) for i in units for j in F.targets(cands, i, self.window, ranks) if j in chosen
        ]
        if not pairs:
            return []
        probs = self.relation_scores(cands, pairs, profiles)
        best: dict[int, tuple[float, int, int]] = {}
        for k, (i, _j) in enumerate(pairs):
            p = float(probs[k].sum())
            if p > best.get(i, (-1.0, 0, 0))[0]:
                best[i] = (p, k, int(probs[k].argmax()))
        return [
            Edge(i, pairs[k][1], RELATIONS[1 + kind], p)
            for i, (p, k, kind) in sorted(best.items())
            if p >= threshold
        ]


def target_ranks(profiles: np.ndarray) -> np.ndarray:
    """Each unit's rank by P(relation target) within its document (0 = the likeliest)."""
    ranks = np.empty(len(profiles), int)
    ranks[np.argsort(-profiles[:, 1], kind="stable")] = np.arange(len(profiles))
    return ranks


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=4)
def _load(folder: str, _stamps: tuple[int, int]) -> ArgumentModel:
    path = Path(folder)
    try:
        settings = json.loads((path / "model.json").read_text("utf-8"))
        with np.load(path / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in ("unit_w", "unit_b", "rel_w", "rel_b")}
    except FileNotFoundError as exc:
        raise ModelError(f"argument model {path}: missing {Path(exc.filename).name}") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"argument model {path}: unreadable ({exc})") from None
    if settings.get("format") != FORMAT or settings.get("hash_bits") != F.HASH_BITS:
        raise ModelError(f"argument model {path}: written for another feature format")
    if arrays["unit_w"].shape != (3, F.UNIT_DIM) or arrays["rel_w"].shape != (3, F.PAIR_DIM):
        raise ModelError(f"argument model {path}: weights do not fit this feature layout")
    return ArgumentModel(
        arrays["unit_w"],
        arrays["unit_b"],
        arrays["rel_w"],
        arrays["rel_b"],
        settings,
    )
