"""The learned argument model at run time: linear scores for "is this unit argumentative?",
"which unit does it support or dispute, if any?" and "supports or disputes?", computed with
numpy alone.

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
from claimgraph.ingest.argument_decoding import (
    SELECTIONS,
    Edge,
    choose_targets,
    chosen_units,
    select_edges,
)
from claimgraph.ingest.argument_features import Candidate
from claimgraph.ingest.argument_pairs import pair_table
from claimgraph.ingest.argument_segments import SEG_DIM, LearnedSplit

__all__ = [
    "FALLBACKS",
    "SELECTIONS",
    "UNITS",
    "ArgumentModel",
    "Edge",
    "ModelError",
    "fallback_edges",
    "select_edges",
]

FORMAT = 2  # 2: the relation rows are (link, disputes); 1 had (none, supports, disputes)
RELATIONS = ("supports", "disputes")
#: Structural edges for a document the relation model leaves without any: "previous" (each unit
#: supports the one before it in its paragraph) or "hub" (each unit supports its paragraph's
#: likeliest relation target, that one the document's); "none" adds nothing.
FALLBACKS = ("previous", "hub", "none")
#: How sentences are cut into candidate units: the learned segmenter, the clause rule, or not.
UNITS = ("learned", "clauses", "sentences")


class ModelError(Exception):
    """A model directory that cannot be used; the message says why, in one line."""


def shipped_model_dir() -> Path:
    """The model trained on the open corpora that ships inside the package."""
    return Path(str(resources.files("claimgraph.ingest").joinpath("models", "arguments")))


@dataclass
class ArgumentModel:
    unit_w: np.ndarray  # (3, UNIT_DIM): is a unit, is a relation target, is a relation source
    unit_b: np.ndarray  # (3,)
    rel_w: np.ndarray  # (2, PAIR_DIM): link (this target, given the source), disputes
    rel_b: np.ndarray  # (2,)
    settings: dict
    seg_w: np.ndarray | None = None  # (SEG_DIM,): the learned segmenter, when units = "learned"

    @property
    def claim_threshold(self) -> float:
        return float(self.settings["claim_threshold"])

    @property
    def claim_selection(self) -> str:
        """How claims are picked: "threshold" or "expected-f1" (argument_decoding)."""
        return str(self.settings.get("claim_selection", "threshold"))

    def claims(self, p: np.ndarray) -> list[int]:
        """The candidates (indices) that become claims, given their P(argument unit)."""
        return chosen_units(p, self.claim_selection, self.claim_threshold)

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
    def splitter(self):
        """How sentences are cut into candidate units: the learned segmenter, the clause
        rule (True) or not at all (False); for `argument_features.candidates`."""
        if self.settings.get("units") == "learned" and self.seg_w is not None:
            threshold = float(self.settings["segment_threshold"])
            return LearnedSplit(self.seg_w, float(self.settings["segment_bias"]), threshold)
        return self.clauses

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
            **({} if self.seg_w is None else {"seg_w": self.seg_w.astype(np.float32)}),
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

    def pair_logits(self, table) -> np.ndarray:
        """Per pair of a PairTable: (link logit, disputes logit)."""
        out = np.zeros((len(table.rows), 2), np.float32)
        for k, (idx, val) in enumerate(table.rows):
            out[k] = self.rel_w[:, idx] @ val + self.rel_b
        return out

    def best_edges(self, cands: list[Candidate], profiles: np.ndarray, units: list[int]):
        """Each chosen unit's likeliest edge to another chosen unit in its window (see
        argument_decoding.choose_targets), keyed by source."""
        table = pair_table(cands, profiles, self.window, units)
        if not table.keys:
            return {}
        z = self.pair_logits(table)
        dispute = 1.0 / (1.0 + np.exp(-z[:, 1]))
        return choose_targets(table.keys, z[:, 0], dispute, profiles[:, 2])

    def relations(
        self, cands: list[Candidate], profiles: np.ndarray, units: list[int], threshold: float
    ) -> list[Edge]:
        """Decoded edges among the chosen `units` (indices): each unit supports or disputes at
        most one other unit, its likeliest target, when P(source) x P(target | source)
        reaches `threshold` or ranks in the document's top `relation_share` of units; a
        document left without edges gets the model's structural `fallback` edges."""
        best = self.best_edges(cands, profiles, units)
        edges = select_edges(best, len(units), threshold, self.relation_share)
        return edges or fallback_edges(cands, profiles, units, self.fallback)


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
            seg_w = z["seg_w"] if "seg_w" in z.files else None
    except FileNotFoundError as exc:
        raise ModelError(f"argument model {path}: missing {Path(exc.filename).name}") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"argument model {path}: unreadable ({exc})") from None
    if settings.get("format") != FORMAT or settings.get("hash_bits") != F.HASH_BITS:
        raise ModelError(f"argument model {path}: written for another feature format")
    if arrays["unit_w"].shape != (3, F.UNIT_DIM) or arrays["rel_w"].shape != (2, F.PAIR_DIM):
        raise ModelError(f"argument model {path}: weights do not fit this feature layout")
    if settings.get("units") == "learned" and (seg_w is None or seg_w.shape != (SEG_DIM,)):
        raise ModelError(f"argument model {path}: its learned segmenter's weights are missing")
    return ArgumentModel(
        arrays["unit_w"],
        arrays["unit_b"],
        arrays["rel_w"],
        arrays["rel_b"],
        settings,
        seg_w,
    )
