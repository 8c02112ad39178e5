"""Ingest: files -> Documents -> spaCy -> Extractions -> one atomic write to the store.

Unchanged files (same content hash as in the store) are skipped; changed files replace
their named graph; unreadable files are reported one line each and the rest goes on.
Nothing is written until every document is processed, and then in one transaction.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from claimgraph.graph import catalog
from claimgraph.graph.identity import document_iri
from claimgraph.graph.model import Document, Extraction
from claimgraph.graph.rdf import Run, document_quads
from claimgraph.ingest.discover import discover
from claimgraph.ingest.extract import extract_document
from claimgraph.ingest.markers import mask_footnote_markers
from claimgraph.ingest.nlp import load_nlp, pipe
from claimgraph.ingest.passages import split_passages
from claimgraph.ingest.readers import ReadError, read_document
from claimgraph.ingest.resolve import resolve_people, unify_labels
from claimgraph.ingest.rules import Rules, load_rules

VERSION = "0.1.0"


@dataclass
class IngestSummary:
    """What one ingest did, for the CLI's summary and for scripts."""

    documents: int = 0  # documents written (new or changed)
    unchanged: int = 0
    failed: int = 0
    passages: int = 0
    words: int = 0
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    names: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        nodes = ", ".join(
            f"{self.nodes[k]} {k.lower()}s" for k in ("Person", "Work", "Event", "Claim")
        )
        edges = ", ".join(f"{self.edges[k]} {k}" for k in ("supports", "disputes", "cites"))
        return [
            f"documents: {self.documents} ingested, {self.unchanged} unchanged, {self.failed} skipped",
            f"passages:  {self.passages} ({self.words:,} words)",
            f"nodes:     {nodes}",
            f"edges:     {edges}",
            f"time:      {self.seconds:.1f} s",
        ]


def read_all(paths: list[Path], summary: IngestSummary) -> list[Document]:
    """Read every supported file under `paths`; problems go to the summary, one line each."""
    files, problems = discover(paths)
    summary.problems.extend(problems)
    docs = []
    for path, name in files:
        try:
            doc = read_document(path, name)
        except ReadError as exc:
            summary.problems.append(str(exc))
            summary.failed += 1
            continue
        doc.plain = mask_footnote_markers(doc.nlp_text)
        doc.passages = split_passages(doc.text)
        if not doc.passages:
            summary.problems.append(f"{name}: no text to read")
            summary.failed += 1
            continue
        docs.append(doc)
    return docs


def extract_all(
    docs: list[Document],
    rules: Rules,
    jobs: int = 1,
    progress: bool = True,
    summary: IngestSummary | None = None,
) -> list[tuple[Document, Extraction]]:
    """Run spaCy over all passages in batches and extract each document."""
    nlp = load_nlp()
    texts = [d.nlp_text[s:e] for d in docs for s, e in d.passages]
    bar = tqdm(
        total=len(texts),
        unit="passage",
        disable=not progress or None,
        file=sys.stderr,
        desc="reading",
    )
    spacy_docs = pipe(nlp, texts, jobs)
    out = []
    for d in docs:
        pdocs = []
        for s, _e in d.passages:
            pdocs.append((s, next(spacy_docs)))
            bar.update(1)
        try:
            out.append((d, extract_document(d, pdocs, rules)))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the rest
            if summary is None:
                raise
            summary.problems.append(
                f"{d.name}: extraction failed ({exc.__class__.__name__}: {exc})"
            )
            summary.failed += 1
    bar.close()
    return out


def ingest(
    paths: list[str | Path],
    store,
    rules_file: str | Path | None = None,
    jobs: int = 1,
    progress: bool = True,
    force: bool = False,
) -> IngestSummary:
    """Ingest files and folders into `store` (a DiskStore or MemoryStore)."""
    started = time.perf_counter()
    summary = IngestSummary()
    rules = load_rules(rules_file)
    docs = read_all([Path(p) for p in paths], summary)
    ds = store.dataset()
    known = catalog.documents(ds)
    todo = []
    for d in docs:
        old = known.get(d.name)
        if old is not None and old.sha256 == d.sha256 and not force:
            summary.unchanged += 1
        else:
            todo.append(d)
    if todo:
        results = extract_all(todo, rules, jobs, progress, summary)
        resolve_people([ex for _d, ex in results], catalog.people(ds))
        unify_labels([ex for _d, ex in results], catalog.labels(ds))
        run = Run.now(VERSION)
        graphs = {}
        for d, ex in results:
            graphs[document_iri(d.name)] = document_quads(d, ex, run)
            summary.documents += 1
            summary.names.append(d.name)
            summary.passages += len(d.passages)
            summary.words += len(d.text.split())
            summary.nodes.update(n.kind for n in ex.nodes.values())
            summary.edges.update(e.relation for e in ex.edges)
        del ds
        if graphs:
            store.replace_graphs(graphs)
    summary.seconds = time.perf_counter() - started
    return summary


def remove(names: list[str], store) -> list[str]:
    """Drop the named graphs of the given documents; returns the names removed."""
    known = catalog.documents(store.dataset())
    iris, removed = [], []
    for name in names:
        match = _match_name(name, known)
        iris.append(known[match].iri)
        removed.append(match)
    store.replace_graphs({}, remove=iris)
    return removed


class UnknownDocument(LookupError):
    pass


def _match_name(given: str, known: dict) -> str:
    if given in known:
        return given
    p = Path(given)
    candidates = [
        n for n in known if n == p.name or given.endswith("/" + n) or n.endswith("/" + p.name)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        listing = ", ".join(sorted(known)[:10]) or "none"
        raise UnknownDocument(f"no document {given!r} in the store (documents: {listing})")
    raise UnknownDocument(f"{given!r} is ambiguous: {', '.join(sorted(candidates))}")
