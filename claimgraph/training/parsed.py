"""Corpus documents parsed once by the ingest spaCy pipeline, passage by passage as ingest
does, and cached with spaCy's DocBin (plus the tok2vec tensors) keyed by a hash of the text."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from claimgraph.ingest.nlp import load_nlp
from claimgraph.ingest.passages import split_passages

PDocs = list[tuple[int, object]]


def default_cache_dir() -> Path:
    """Where parsed corpora are cached: $CLAIMGRAPH_CACHE or ~/.cache/claimgraph/parsed."""
    root = os.environ.get("CLAIMGRAPH_CACHE") or Path.home() / ".cache" / "claimgraph"
    return Path(root) / "parsed"


def parse_texts(texts: list[str], cache_dir: Path | None = None) -> list[PDocs]:
    """(offset, spaCy Doc) pairs of each text's passages, read from the cache when there."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    folder = Path(cache_dir or default_cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{nlp.meta['name']}-{nlp.meta['version']}"
    out: list[PDocs | None] = [None] * len(texts)
    todo: list[int] = []
    for i, text in enumerate(texts):
        key = folder / hashlib.sha256(f"{tag}\n{text}".encode()).hexdigest()[:24]
        try:
            out[i] = _read(key, text, nlp.vocab, DocBin)
        except (OSError, ValueError):
            todo.append(i)
    passages = {i: split_passages(texts[i]) for i in todo}
    flat = [texts[i][s:e] for i in todo for s, e in passages[i]]
    parsed = iter(nlp.pipe(flat, batch_size=64))
    for i in todo:
        pdocs = [(s, next(parsed)) for s, _e in passages[i]]
        out[i] = pdocs
        key = folder / hashlib.sha256(f"{tag}\n{texts[i]}".encode()).hexdigest()[:24]
        _write(key, pdocs, DocBin)
    return out  # type: ignore[return-value]


def _read(key: Path, text: str, vocab, DocBin) -> PDocs:
    docs = list(DocBin().from_bytes(key.with_suffix(".spacy").read_bytes()).get_docs(vocab))
    with np.load(key.with_suffix(".npz"), allow_pickle=False) as z:
        offsets, tensor = z["offsets"], z["tensor"]
    if len(offsets) != len(docs):
        raise ValueError("stale cache entry")
    row = 0
    for doc in docs:
        doc.tensor = tensor[row : row + len(doc)]
        row += len(doc)
    return [(int(o), d) for o, d in zip(offsets, docs, strict=True)]


def _write(key: Path, pdocs: PDocs, DocBin) -> None:
    bin_ = DocBin(store_user_data=False)
    for _o, d in pdocs:
        bin_.add(d)
    tensors = [d.tensor for _o, d in pdocs if len(d)]
    tensor = np.vstack(tensors) if tensors else np.zeros((0, 96), np.float32)
    key.with_suffix(".spacy").write_bytes(bin_.to_bytes())
    np.savez(key.with_suffix(".npz"), offsets=np.array([o for o, _d in pdocs]), tensor=tensor)
