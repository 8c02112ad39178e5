"""Train the learned segmenter (ingest/argument_segments.py): between each two tokens of a
sentence, does an annotated argument unit start or end here? A logistic regression over the
gap's hashed features, fitted on the corpora's unit boundaries."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from claimgraph.corpora.documents import CorpusDoc
from claimgraph.ingest.argument_segments import SEG_DIM, gap_features, gap_labels

SEG_C = 1.0


def _gaps(doc: CorpusDoc, pdocs) -> tuple[list[np.ndarray], list[int]]:
    """Feature rows and labels of every gap inside the sentences of one parsed document."""
    units = [(u.start, u.end) for u in doc.units]
    rows, labels = [], []
    for base, parsed in pdocs:
        for sent in parsed.sents:
            toks = [t for t in sent if not t.is_space]
            rows += [gap_features(toks, k) for k in range(1, len(toks))]
            labels += gap_labels(toks, units, base)
    return rows, labels


def fit_segmenter(docs: list[CorpusDoc], parsed: list, seed: int) -> tuple[np.ndarray, float]:
    """(weights over SEG_DIM, bias) of the boundary model fitted on `docs` (parsed as
    `training.parsed.parse_texts` gives them)."""
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for doc, pdocs in zip(docs, parsed, strict=True):
        r, y = _gaps(doc, pdocs)
        rows += r
        labels += y
    if len(set(labels)) < 2:
        return np.zeros(SEG_DIM, np.float32), -10.0
    indices = np.concatenate(rows)
    indptr = np.cumsum([0] + [len(r) for r in rows])
    x = sparse.csr_matrix(
        (np.ones(len(indices), np.float32), indices, indptr), (len(rows), SEG_DIM)
    )
    used = np.unique(indices)
    m = LogisticRegression(C=SEG_C, max_iter=400, random_state=seed).fit(x[:, used], labels)
    w = np.zeros(SEG_DIM, np.float32)
    w[used] = m.coef_[0]
    return w, float(m.intercept_[0])
