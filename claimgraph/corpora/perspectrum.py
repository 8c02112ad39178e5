"""Reader for PERSPECTRUM: claim-perspective pairs labelled SUPPORT or UNDERMINE, split by claim.

Each perspective of a cluster gives one pair with the cluster's coarse stance; clusters labelled
anything else (not a perspective) are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from claimgraph.corpora.documents import StancePair, corpus_dir
from claimgraph.graph.errors import UserError

STANCES = {"support": "supports", "undermine": "disputes"}
SPLITS = ("train", "dev", "test")


def read_perspectrum(root: Path, split: str | None = None) -> list[StancePair]:
    """All stance pairs, or only those whose claim is in `split` ("train", "dev", "test")."""
    if split is not None and split not in SPLITS:
        raise UserError(f"unknown PERSPECTRUM split {split!r} (choose train, dev or test)")
    folder = corpus_dir(root, "perspectrum")
    claims = _load(folder / "perspectrum_with_answers_v1.0.json")
    splits = _load(folder / "dataset_split_v1.0.json")
    pool = {
        int(item["pId"]): str(item["text"]) for item in _load(folder / "perspective_pool_v1.0.json")
    }
    pairs = []
    for claim in claims:
        claim_split = str(splits.get(str(claim["cId"]), ""))
        if claim_split not in SPLITS or (split is not None and claim_split != split):
            continue
        for cluster in claim.get("perspectives", []):
            stance = STANCES.get(str(cluster.get("stance_label_3", "")).lower())
            if stance is None:
                continue
            for pid in cluster.get("pids", []):
                text = pool.get(int(pid))
                if text:
                    pairs.append(StancePair(str(claim["text"]), text, stance, claim_split))
    return pairs


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: not a readable PERSPECTRUM file ({exc})") from None
