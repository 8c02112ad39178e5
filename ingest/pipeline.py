"""Ingest: files -> Documents -> spaCy -> Extractions -> atomic writes to the store, in batches.

Unchanged files (same content hash as in the store) are skipped; changed files replace
their named graph; unreadable files are reported one line each and the rest goes on.
Documents are committed a batch at a time (each document's graph whole, the store
consistent at every commit) and released, so memory does not grow with the corpus and
a killed ingest keeps its committed batches. People and labels are resolved across every
document of the ingest; the final graph equals a one-batch ingest of the same files.
Every failure of one document (unreadable, unparsable, over its time budget) is that
document's one line in the summary. The store's write lock is taken before any work, so a
second writer learns at once that the store is busy.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from claimgraph.graph import catalog
from claimgraph.graph.corrections import apply_corrections, load_corrections, raw_catalog
from claimgraph.graph.identity import document_iri, shown
from claimgraph.graph.model import Document, Extraction
from claimgraph.graph.rdf import Run, document_quads
from claimgraph.ingest.discover import discover
from claimgraph.ingest.extract import extract_document
from claimgraph.ingest.markers import mask_footnote_markers, mask_long_runs
from claimgraph.ingest.nlp import DocumentParser, ParseFailed, load_nlp
from claimgraph.ingest.passages import split_passages
from claimgraph.ingest.readers import ReadError, read_document
from claimgraph.ingest.rules import Rules, load_rules
from claimgraph.ingest.stream_resolve import Resolver, Stub

VERSION = "0.1.0"
#: Seconds one document may take (reading plus extraction) before it is skipped.
DEFAULT_DOC_SECONDS = 60.0
#: Documents per commit: a killed ingest keeps every batch it committed.
DEFAULT_BATCH = 100


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
    spent: dict[str, float] = field(default_factory=dict)  # budget seconds used, by name

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


def doc_seconds() -> float:
    """The per-document time budget: $CLAIMGRAPH_DOC_SECONDS, else 60 s; 0 means none."""
    value = os.environ.get("CLAIMGRAPH_DOC_SECONDS", "").strip()
    try:
        return max(0.0, float(value)) if value else DEFAULT_DOC_SECONDS
    except ValueError:
        return DEFAULT_DOC_SECONDS


class DocumentTimeout(BaseException):
    """A document used up its time budget. A BaseException, so that libraries' broad
    `except Exception` (HTML extraction has several) cannot swallow it."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout inside the block after `seconds` (0: no limit).

    A SIGALRM timer: CPython runs signal handlers between bytecodes and also checks for
    signals inside a long regular-expression match, so a runaway pattern is stopped too.
    Only the main thread gets signals; in other threads the block runs without a limit.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def on_alarm(_signum, _frame):
        if armed:
            raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_all(paths: list[Path], summary: IngestSummary) -> list[Document]:
    """Read every supported file under `paths`; problems go to the summary, one line each."""
    return read_files(discover_files(paths, summary), summary)


def discover_files(paths: list[Path], summary: IngestSummary) -> list[tuple[Path, str]]:
    """The supported files under `paths` as (path, name); problems go to the summary."""
    files, problems = discover(paths)
    summary.problems.extend(problems)
    summary.failed += sum(1 for p in problems if not p.startswith("no supported files"))
    return files


def read_files(files: list[tuple[Path, str]], summary: IngestSummary) -> list[Document]:
    """Read the given files; each unreadable one is one line in the summary."""
    budget = doc_seconds()
    docs = []
    for path, name in files:
        started = time.perf_counter()
        try:
            with time_budget(budget):
                doc = read_one(path, name)
        except ReadError as exc:
            problem = str(exc)
        except DocumentTimeout:
            problem = f"{shown(name)}: reading took longer than its budget of {budget:g} s"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
            problem = f"{shown(name)}: cannot read ({_one_line(exc)})"
        else:
            problem = None if doc.passages else f"{shown(name)}: no text to read"
        summary.spent[name] = time.perf_counter() - started
        if problem is not None:
            summary.problems.append(problem)
            summary.failed += 1
            continue
        docs.append(doc)
    return docs


def read_one(path: Path, name: str) -> Document:
    """One file as a Document with its language-processing text and passages."""
    doc = read_document(path, name)
    doc.plain = mask_long_runs(mask_footnote_markers(doc.nlp_text))
    doc.passages = split_passages(doc.text)
    return doc


def extract_all(
    docs: list[Document],
    rules: Rules,
    jobs: int = 1,
    progress: bool = True,
    summary: IngestSummary | None = None,
) -> list[tuple[Document, Extraction]]:
    """Parse each document's passages with spaCy (on `jobs` processes) and extract it.

    With a summary, a document that fails or overruns its budget is reported there and
    skipped; without one (scripts, tests) the failure is raised.
    """
    with DocumentParser(load_nlp(), jobs) as parser:  # workers fork before the bar's thread
        bar = tqdm(
            total=sum(len(d.passages) for d in docs),
            unit="passage",
            disable=not progress or None,
            file=sys.stderr,
            desc="reading",
        )
        out = extract_with(parser, docs, rules, summary, bar)
        bar.close()
    return out


def extract_with(
    parser: DocumentParser, docs: list[Document], rules: Rules, summary, bar
) -> list[tuple[Document, Extraction]]:
    """`extract_all` on an open parser: the per-batch step of a streamed ingest."""
    budget = doc_seconds()
    out: list[tuple[Document, Extraction]] = []
    texts = ([d.nlp_text[s:e] for s, e in d.passages] for d in docs)
    for d, parsed in zip(docs, parser.parse_all(texts), strict=True):
        bar.update(len(d.passages))
        if isinstance(parsed, ParseFailed):
            problem = f"language processing failed ({parsed})"
        else:
            left = budget - (summary.spent.get(d.name, 0.0) if summary else 0.0)
            problem = _extract_one(d, parsed, rules, out, max(left, 0.001) if budget else 0)
        if problem is None:
            continue
        if summary is None:
            raise RuntimeError(f"{d.name}: {problem}")
        summary.problems.append(f"{shown(d.name)}: {problem}")
        summary.failed += 1
    return out


def _extract_one(d: Document, parsed: list, rules: Rules, out: list, seconds: float) -> str | None:
    """Extract one parsed document into `out`; the problem in one line if it failed."""
    pdocs = [(s, pdoc) for (s, _e), pdoc in zip(d.passages, parsed, strict=True)]
    try:
        with time_budget(seconds):
            out.append((d, extract_document(d, pdocs, rules)))
    except DocumentTimeout:
        return f"took longer than its time budget of {doc_seconds():g} s"
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the rest
        return f"extraction failed ({_one_line(exc)})"
    return None


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{exc.__class__.__name__}: {shown(text)}" if text else exc.__class__.__name__


def ingest(
    paths: list[str | Path],
    store,
    rules_file: str | Path | None = None,
    jobs: int = 1,
    progress: bool = True,
    force: bool = False,
    wait: float | None = 0,
    batch: int = DEFAULT_BATCH,
    engine=None,
) -> IngestSummary:
    """Ingest files and folders into `store` (a DiskStore, MemoryStore or remote store).

    Documents are committed `batch` at a time, so a killed ingest keeps what it committed.
    `engine` extracts (default: this machine, `jobs` processes; see ingest.distributed).
    The store's write lock is held from the start: StoreBusy at once if another process
    is writing, or after waiting `wait` seconds (None: as long as it takes).
    """
    engine = engine or LocalEngine(jobs, progress)
    with store.writing(wait):
        return _ingest([Path(p) for p in paths], store, rules_file, force, max(1, batch), engine)


def _ingest(paths, store, rules_file, force, batch, engine) -> IngestSummary:
    started = time.perf_counter()
    summary = IngestSummary()
    rules = load_rules(rules_file)
    files = discover_files(paths, summary)
    ds = store.dataset()
    known = catalog.documents(ds)
    # a document stored under an older IRI scheme is read again, and so re-keyed
    skip = {} if force else {n: i.sha256 for n, i in known.items() if _current(i)}
    # names resolve against the raw extraction, so corrections keep their targets' IRIs
    resolver = Resolver(*raw_catalog(store, catalog.people(ds), catalog.labels(ds)))
    del ds
    chunks = [files[i : i + batch] for i in range(0, len(files), batch)]
    with (
        tempfile.TemporaryDirectory(prefix="claimgraph-ingest-") as spill,
        engine.open(rules, summary) as batches,
    ):
        writer = BatchWriter(store, known, resolver, Path(spill), summary, batch)
        for results in batches(chunks, skip):
            writer.commit(results)
        writer.settle()
    summary.seconds = time.perf_counter() - started
    return summary


class LocalEngine:
    """Reads here and parses with spaCy on `jobs` processes of our own pool."""

    def __init__(self, jobs: int = 1, progress: bool = True):
        self.jobs = jobs
        self.progress = progress

    @contextmanager
    def open(self, rules: Rules, summary: IngestSummary):
        with DocumentParser(load_nlp(), self.jobs) as parser:  # fork before the bar's thread
            bar = tqdm(
                unit="passage", disable=not self.progress or None, file=sys.stderr, desc="reading"
            )

            def batches(chunks, skip: dict[str, str]):
                for chunk in chunks:
                    docs = read_files(chunk, summary)
                    todo = [d for d in docs if skip.get(d.name) != d.sha256]
                    summary.unchanged += len(docs) - len(todo)
                    yield extract_with(parser, todo, rules, summary, bar)

            try:
                yield batches
            finally:
                bar.close()


@dataclass
class _Committed:
    spill: Path
    stub: Stub
    signature: tuple


class BatchWriter:
    """Commits each batch as one store write and releases it; settles renames at the end."""

    def __init__(self, store, known: dict, resolver: Resolver, spill: Path, summary, batch: int):
        self.store, self.known, self.resolver = store, known, resolver
        self.spill, self.summary, self.batch = spill, summary, batch
        self.run = Run.now(VERSION)
        self.native = getattr(store, "native_quads", False)  # pyoxigraph Quads, no rdflib
        self.done: list[_Committed] = []
        # readers' corrections, applied to every graph written (the write lock is held)
        self.corrections = load_corrections(store)

    def commit(self, results: list[tuple[Document, Extraction]]) -> None:
        """Write one batch (each document's graph whole) and drop the caller's results."""
        if not results:
            return
        stubs = [self.resolver.add(ex) for _d, ex in results]
        resolution = self.resolver.resolve()
        graphs, stale = {}, []
        for (d, ex), stub in zip(results, stubs, strict=True):
            path = self.spill / f"{len(self.done)}.pickle"
            path.write_bytes(pickle.dumps((d, ex), protocol=pickle.HIGHEST_PROTOCOL))
            resolution.apply(ex)
            graphs[document_iri(d.name)] = document_quads(d, ex, self.run, self.native)
            self.done.append(_Committed(path, stub, resolution.signature(stub)))
            old = self.known.get(d.name)
            if old is not None and not _current(old):
                stale.append(old.iri)
            self._count(d, ex)
        results.clear()
        graphs = apply_corrections(graphs, self.corrections)
        self.store.replace_graphs(graphs, remove=[g for g in stale if g not in graphs])

    def _count(self, d: Document, ex: Extraction) -> None:
        s = self.summary
        s.documents += 1
        s.names.append(d.name)
        s.passages += len(d.passages)
        s.words += len(d.text.split())
        s.nodes.update(n.kind for n in ex.nodes.values())
        s.edges.update(e.relation for e in ex.edges)

    def settle(self) -> None:
        """Rewrite the committed documents that later batches resolve differently."""
        if not self.done:
            return
        final = self.resolver.resolve()
        stale = [c for c in self.done if final.signature(c.stub) != c.signature]
        for i in range(0, len(stale), self.batch):
            graphs = {}
            for c in stale[i : i + self.batch]:
                d, ex = pickle.loads(c.spill.read_bytes())
                final.apply(ex)
                graphs[document_iri(d.name)] = document_quads(d, ex, self.run, self.native)
                c.signature = final.signature(c.stub)
            self.store.replace_graphs(apply_corrections(graphs, self.corrections))


def _current(info: catalog.DocumentInfo) -> bool:
    """Whether a stored document's IRI is the one this version mints for its name."""
    return str(info.iri) == str(document_iri(info.name))


def remove(names: list[str], store, wait: float | None = 0) -> list[str]:
    """Drop the named graphs of the given documents; returns the names removed. Readers'
    corrections stay: those of a removed document are orphans until it comes back."""
    with store.writing(wait):
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
        listing = ", ".join(shown(n) for n in sorted(known)[:10]) or "none"
        raise UnknownDocument(f"no document {shown(given)!r} in the store (documents: {listing})")
    listing = ", ".join(shown(c) for c in sorted(candidates))
    raise UnknownDocument(f"{shown(given)!r} is ambiguous: {listing}")
