"""The trivial floor every extractor must beat: each sentence is a claim, and each sentence
supports the previous one in its paragraph. Built in claimgraph's model so `evaluate` scores it.

Paragraphs are non-empty lines; sentences come from a linear regex splitter (terminal
punctuation, optional closing quotes or brackets, then whitespace), not spaCy.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Dataset

from claimgraph.graph.identity import claim_key, document_iri
from claimgraph.graph.model import Edge, Extraction, Mention, Node
from claimgraph.graph.rdf import Run, document_quads

VERSION = "baseline-0"
RULE = "baseline.sentence"
_LINE = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"\S.*?(?:[.?!]+[\"'\u201d\u2019)\]]*(?=\s)|$)", re.S)


def sentences(text: str) -> list[list[tuple[int, int]]]:
    """Sentence offsets of `text`, grouped by paragraph (non-empty line)."""
    out = []
    for line in _LINE.finditer(text):
        spans = []
        for m in _SENTENCE.finditer(text, line.start(), line.end()):
            start, end = m.start(), m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        if spans:
            out.append(spans)
    return out


def baseline_extraction(text: str) -> Extraction:
    """Every sentence of `text` a claim; each supports the sentence before it in its paragraph."""
    ex = Extraction()
    for paragraph in sentences(text):
        previous = None
        for start, end in paragraph:
            said = text[start:end]
            node = ex.add_node(
                Node(
                    "Claim",
                    claim_key(said),
                    said,
                    text=said,
                    mentions=[Mention(start, end)],
                    rule=RULE,
                )
            )
            if previous is not None and previous != node.key:
                ex.edges.append(Edge(node.key, "supports", previous, start, end, 1.0, RULE))
            previous = node.key
    return ex


def baseline_dataset(paths: list[str | Path]) -> Dataset:
    """Read `paths` as ingest does (same document names and IRIs) and return the baseline graph."""
    from claimgraph.graph.store import MemoryStore
    from claimgraph.ingest.pipeline import IngestSummary, read_all

    docs = read_all([Path(p) for p in paths], IngestSummary())
    run = Run.now(VERSION)
    store = MemoryStore()
    store.replace_graphs(
        {document_iri(d.name): document_quads(d, baseline_extraction(d.text), run) for d in docs}
    )
    return store.dataset()
