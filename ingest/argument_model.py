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
#: Structural edges for a document the relation model leaves without any: "previous" (each unit
#: supports the one before it in its paragraph) or "hub" (each unit supports its paragraph's
#: likeliest relation target, that one the document's); "none" adds nothing.
FALLBACKS = ("previous", "hub", "none")


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
    def relation_share(self) -> float:
        """The share of a document's units whose best edge is kept whatever its probability."""
        return float(self.settings.get("relation_share", 0.0))

    @property
    def fallback(self) -> str:
        """The structural edges used when the relation model finds none in a document."""
        return str(self.settings.get("fallback", "none"))

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
        most one other unit in its window, the likeliest, when that probability reaches
        `threshold` or ranks in the document's top `relation_share` of units; a document left
        without edges gets the model's structural `fallback` edges."""
        chosen = set(units)
        ranks = target_ranks(profiles)
        pairs = [
            (i, j) for i in units for j in F.targets(cands, i, self.window, ranks) if j in chosen
        ]
        best: dict[int, Edge] = {}
        if pairs:
            probs = self.relation_scores(cands, pairs, profiles)
            for k, (i, j) in enumerate(pairs):
                p = float(probs[k].sum())
                if i not in best or p > best[i].confidence:
                    best[i] = Edge(i, j, RELATIONS[1 + int(probs[k].argmax())], p)
        edges = select_edges(best, len(units), threshold, self.relation_share)
        return edges or fallback_edges(cands, profiles, units, self.fallback)


def select_edges(best: dict[int, Edge], units: int, threshold: float, share: float) -> list[Edge]:
    """Each unit's best edge that reaches `threshold` or ranks, by confidence, among the top
    `share` of the document's `units` (relative, so robust to scores running low in a genre)."""
    top = int(np.ceil(share * units - 1e-9))
    order = sorted(best.values(), key=lambda e: -e.confidence)
    keep = [e for rank, e in enumerate(order) if e.confidence >= threshold or rank < top]
    return sorted(keep, key=lambda e: e.source)


def fallback_edges(
    cands: list[Candidate], profiles: np.ndarray, units: list[int], kind: str
) -> list[Edge]:
    """Structural "supports" edges among the chosen `units` (see FALLBACKS), confidence 0."""
    if kind == "previous":
        last: dict[int, int] = {}
        out = []
        for i in sorted(units):
            par = cands[i].paragraph
            if par in last:
                out.append(Edge(i, last[par], "supports", 0.0))
            last[par] = i
        return out
    if kind != "hub" or not units:
        return []
    top = max(units, key=lambda i: profiles[i, 1])
    hubs: dict[int, int] = {}
    for i in units:
        par = cands[i].paragraph
        if par not in hubs or profiles[i, 1] > profiles[hubs[par], 1]:
            hubs[par] = i
    out = []
    for i in sorted(units):
        hub = hubs[cands[i].paragraph]
        hub = top if hub == i else hub
        if hub != i:
            out.append(Edge(i, hub, "supports", 0.0))
    return out


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
