"""Features of candidate argument units (spaCy sentences) and of unit pairs, for the learned
argument model: hashed lexical features plus a few dense ones, cheap enough for every sentence.

A feature vector is a pair of arrays (indices, values) into a space of `HASH_SIZE` hashed
feature names (zlib.crc32, stable across runs) followed by the dense features.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

import numpy as np

HASH_BITS = 18
HASH_SIZE = 1 << HASH_BITS
TENSOR_DIMS = 96  # width of spaCy's tok2vec output in the small English model
POS_TAGS = ("VERB", "AUX", "NOUN", "PROPN", "PRON", "ADJ", "ADV", "NUM", "ADP", "CCONJ", "SCONJ")
UNIT_DENSE = len(POS_TAGS) + TENSOR_DIMS
PAIR_DENSE = 9 + TENSOR_DIMS
UNIT_DIM = HASH_SIZE + UNIT_DENSE
PAIR_DIM = HASH_SIZE + PAIR_DENSE

MARKERS = (
    "because",
    "since",
    "however",
    "but",
    "therefore",
    "so",
    "thus",
    "hence",
    "for example",
    "for instance",
    "i think",
    "i believe",
    "in my opinion",
    "in fact",
    "also",
    "and",
    "yet",
    "although",
    "though",
    "if",
    "as",
    "moreover",
    "furthermore",
    "first",
    "second",
    "finally",
    "indeed",
    "of course",
    "on the other hand",
    "that is why",
    "this is why",
)
MODALS = frozenset({"should", "must", "need", "ought", "have to", "can", "could", "would", "will"})
FIRST = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours"})
SECOND = frozenset({"you", "your", "yours"})
NEGATIONS = frozenset({"not", "no", "never", "n't", "nothing", "none", "nobody", "neither"})
_URL = re.compile(r"https?://|www\.")
_QUOTES = re.compile(r"[\"“”]")


@dataclass
class Candidate:
    """One candidate unit: a sentence of a passage, where it is, and its precomputed parts."""

    start: int  # character offsets into the document
    end: int
    text: str
    paragraph: int  # passage index
    index: int  # sentence index in the document
    par_index: int  # sentence index in its paragraph
    par_size: int = 0
    doc_size: int = 0
    doc_paragraphs: int = 0
    lemmas: list[str] = field(default_factory=list)
    content: frozenset[str] = frozenset()
    negated: bool = False
    opener: str = ""  # the discourse marker it starts with, if any
    part: int = 0  # clause index within its sentence (0 when units are whole sentences)
    vector: np.ndarray | None = None  # mean of the tok2vec rows over the sentence
    pos: np.ndarray | None = None  # share of each POS_TAGS tag


def candidates(
    pdocs: list[tuple[int, object]], skip: list[tuple[int, int]] = (), clauses=False
) -> list[Candidate]:
    """The sentences (or, with `clauses`, the clauses; or the pieces a splitter `clauses`
    cuts each sentence's tokens into) of a document's passages, given as (offset, spaCy Doc)
    pairs, as candidates; one starting inside a `skip` span (reference entries, quoted
    posts) is left out."""
    split = clauses if callable(clauses) else split_clauses if clauses else None
    out: list[Candidate] = []
    n_par = len(pdocs)
    for p, (base, doc) in enumerate(pdocs):
        first = len(out)
        tensor = getattr(doc, "tensor", None)
        has_tensor = tensor is not None and len(tensor.shape) == 2 and tensor.shape[0] == len(doc)
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            for part, piece in enumerate(split(toks) if split and toks else [toks]):
                if not piece or not any(t.is_alpha or t.like_num for t in piece):
                    continue
                start = base + piece[0].idx
                end = base + piece[-1].idx + len(piece[-1].text)
                if any(a <= start < b for a, b in skip):
                    continue
                c = _candidate(piece, start, end, doc, p, len(out), len(out) - first, has_tensor)
                c.part = part
                out.append(c)
        for c in out[first:]:
            c.par_size = len(out) - first
    for c in out:
        c.doc_size, c.doc_paragraphs = len(out), n_par
    return out


CLAUSE_MARKERS = frozenset({"but", "because", "since", "so", "although", "though", "whereas"})


def split_clauses(toks: list) -> list[list]:
    """A sentence's tokens cut into clauses: after ";", and before "but", "because", ... when
    at least four tokens precede and six follow."""
    out: list[list] = [[]]
    for k, t in enumerate(toks):
        out[-1].append(t)
        if k + 1 == len(toks):
            break
        nxt = toks[k + 1]
        if t.text == ";" or (
            nxt.lower_ in CLAUSE_MARKERS
            and len(out[-1]) >= 4
            and len(toks) - k > 6
            and (t.text == "," or nxt.lower_ in ("because", "but"))
        ):
            out.append([])
    return out


def _candidate(toks, start, end, doc, paragraph, index, par_index, has_tensor) -> Candidate:
    lemmas = [(t.lemma_ or t.text).lower() for t in toks]
    lower = [t.lower_ for t in toks]
    head = " ".join(lower[:4])
    opener = next((m for m in MARKERS if head == m or head.startswith(m + " ")), "")
    pos = np.zeros(len(POS_TAGS), dtype=np.float32)
    for t in toks:
        if t.pos_ in POS_TAGS:
            pos[POS_TAGS.index(t.pos_)] += 1
    pos /= len(toks)
    if has_tensor:
        vector = doc.tensor[toks[0].i : toks[-1].i + 1].mean(axis=0).astype(np.float32)
    else:
        vector = np.zeros(TENSOR_DIMS, dtype=np.float32)
    return Candidate(
        start=start,
        end=end,
        text=doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)],
        paragraph=paragraph,
        index=index,
        par_index=par_index,
        lemmas=lemmas,
        content=frozenset(
            lem for t, lem in zip(toks, lemmas, strict=True) if t.is_alpha and not t.is_stop
        ),
        negated=any(w in NEGATIONS for w in lower),
        opener=opener,
        vector=vector,
        pos=pos,
    )


def _bucket(n: float, edges: tuple[float, ...]) -> int:
    return sum(n >= e for e in edges)


def hashed(names: list[str]) -> np.ndarray:
    """Indices of feature names in the hashed space (zlib.crc32, stable across runs)."""
    return np.fromiter(
        (zlib.crc32(n.encode("utf-8")) & (HASH_SIZE - 1) for n in names),
        dtype=np.int64,
        count=len(names),
    )


def unit_names(c: Candidate) -> list[str]:
    """The hashed feature names of a candidate unit."""
    lem = c.lemmas
    words = [w for w in lem if w[:1].isalnum()]
    names = ["bias"]
    names += ["w=" + w for w in words]
    names += ["b=" + a + "_" + b for a, b in zip(lem, lem[1:], strict=False)]
    names += ["f1=" + lem[0], "f2=" + "_".join(lem[:2])]
    if c.opener:
        names.append("mk=" + c.opener)
    lw = set(lem)
    names += ["modal=" + m for m in MODALS & lw]
    if lw & FIRST:
        names.append("p1")
    if lw & SECOND:
        names.append("p2")
    if c.negated:
        names.append("neg")
    last = c.text[-1:]
    names.append("end=" + (last if last in "?!.:;" else "other"))
    if _QUOTES.search(c.text):
        names.append("quote")
    if any(ch.isdigit() for ch in c.text):
        names.append("digit")
    if _URL.search(c.text):
        names.append("url")
    n = len(words)
    names.append(f"len={_bucket(n, (4, 8, 12, 18, 25, 35, 50))}")
    if c.part:
        names += ["clause>0", "clause>0|f1=" + lem[0]]
    names += _position_names(c)
    return names


def _position_names(c: Candidate) -> list[str]:
    par = _bucket(c.par_size, (2, 3, 5, 8, 13))
    doc = _bucket(c.doc_size, (2, 4, 8, 16, 32, 64))
    pars = _bucket(c.doc_paragraphs, (2, 3, 5, 10, 20))
    rel = int(5 * c.index / max(1, c.doc_size))
    names = [
        f"parlen={par}",
        f"doclen={doc}",
        f"pars={pars}",
        f"rel={rel}",
        f"doclen={doc}|rel={rel}",
    ]
    if c.par_index == 0:
        names += ["par-first", f"par-first|doclen={doc}"]
    if c.par_index == c.par_size - 1:
        names.append("par-last")
    if c.index == 0:
        names.append("doc-first")
    if c.index == c.doc_size - 1:
        names.append("doc-last")
    if c.paragraph == 0:
        names.append("first-paragraph")
    return names


def unit_vector(c: Candidate) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of a candidate's features in a space of UNIT_DIM."""
    idx = np.unique(hashed(unit_names(c)))
    dense_idx = np.arange(HASH_SIZE, UNIT_DIM, dtype=np.int64)
    values = np.concatenate([np.ones(len(idx), np.float32), c.pos, c.vector])
    return np.concatenate([idx, dense_idx]), values


def pair_names(s: Candidate, t: Candidate) -> list[str]:
    """Hashed feature names of the pair (source `s` -> target `t`)."""
    d = t.index - s.index
    dist = f"d={max(-6, min(6, d))}"
    direction = "after" if d > 0 else "before"
    same = s.paragraph == t.paragraph
    overlap = len(s.content & t.content) / max(1, min(len(s.content), len(t.content)))
    sm, tm = s.opener or s.lemmas[0], t.opener or t.lemmas[0]
    names = [
        "bias",
        dist,
        f"{dist}|same={same}",
        f"same={same}",
        f"pd={max(-3, min(3, t.paragraph - s.paragraph))}",
        f"ov={_bucket(overlap, (0.01, 0.2, 0.4, 0.7))}",
        "sm=" + sm,
        "tm=" + tm,
        f"sm={sm}|{direction}",
        f"tm={tm}|{direction}",
        f"sm={sm}|tm={tm}",
        f"neg={s.negated}|{t.negated}",
        f"doclen={_bucket(s.doc_size, (2, 4, 8, 16, 32, 64))}|{dist}",
    ]
    if t.par_index == 0:
        names += ["t-par-first", f"t-par-first|same={same}"]
    if t.index == 0:
        names.append("t-doc-first")
    if s.par_index == 0:
        names.append("s-par-first")
    if t.text.endswith("?"):
        names.append("t-question")
    if s.text.endswith("?"):
        names.append("s-question")
    names += ["sw=" + w for w in s.lemmas[:3]]
    names += ["tw=" + w for w in t.lemmas[:3]]
    return names


def pair_vector(
    s: Candidate, t: Candidate, s_prof: np.ndarray, t_prof: np.ndarray, t_rank: int
) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of a pair's features in a space of PAIR_DIM. A profile is a unit's
    (P(unit), P(relation target), P(relation source)); `t_rank` is the target's rank by
    P(relation target) among the document's units (0 = the likeliest target)."""
    names = pair_names(s, t)
    names += [
        f"trank={min(t_rank, 4)}",
        f"trank={min(t_rank, 4)}|same={s.paragraph == t.paragraph}",
    ]
    idx = np.unique(hashed(names))
    sv, tv = s.vector, t.vector
    norm = float(np.linalg.norm(sv) * np.linalg.norm(tv)) or 1.0
    head = [*s_prof, *t_prof, s_prof[0] * t_prof[0], s_prof[2] * t_prof[1], float(sv @ tv) / norm]
    dense = np.concatenate([np.array(head, np.float32), sv * tv])
    dense_idx = np.arange(HASH_SIZE, PAIR_DIM, dtype=np.int64)
    return np.concatenate([idx, dense_idx]), np.concatenate([np.ones(len(idx), np.float32), dense])


def targets(cands: list[Candidate], i: int, size: int, ranks) -> list[int]:
    """Indices of the candidate targets of unit `i`: the units within `size` sentences of it,
    the document's first unit and its two likeliest relation targets (`ranks` 0 and 1)."""
    lo, hi = max(0, i - size), min(len(cands), i + size + 1)
    near = [j for j in range(lo, hi) if j != i]
    far = [j for j in range(len(cands)) if (j == 0 or ranks[j] < 2) and not lo <= j < hi]
    return far + near
