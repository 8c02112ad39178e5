"""The persistent graph store: Oxigraph on disk behind rdflib, with atomic writes.

A store is a folder holding numbered *generations*, each a complete Oxigraph database,
and a `CURRENT` file naming the live one. A write copies the live generation (hard links:
RocksDB never rewrites its table files), applies the change (bulk-loaded table files, built
on every core for a large write, no write-ahead log left behind), and only then replaces
`CURRENT` atomically; once a generation holds many table files, the next write rewrites it
whole instead, compacted. A killed or failed write therefore leaves `CURRENT` on the
previous, intact generation, and readers never open a database that is being written.
The default graph is kept as the merge of the named graphs (each triple once, however many
documents state it), so that default-graph queries count right; Oxigraph's own union default
graph repeats a triple once per graph that holds it (fixed upstream after 0.5).
One writer at a time holds `LOCK`; a second gets `StoreBusy` at once, or waits if asked.
A writer may take the lock before its slow work (`with store.writing(): ...`), so a second
writer learns at once that the store is busy rather than after reading every file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Literal, URIRef

from claimgraph.graph.namespaces import bind_prefixes

DEFAULT_STORE = "claimgraph-store"
_CURRENT = "CURRENT"
_LOCK = "LOCK"
_MARK = "claimgraph-store"  # file that marks a folder as a claimgraph store
_GEN = "gen-"
_KEEP_OLD = 1  # previous generations kept for readers that still have them open
#: Table files beyond which a write rewrites its generation compacted. Each bulk write adds
#: a few files (pyoxigraph 0.5's optimize() does not merge them) and thousands slow every
#: open and copy; rewriting only then keeps small commits cheap.
COMPACT_FILES = 1024
#: Quads per share of a bulk write below which it is not split across threads.
PARALLEL_QUADS = 100_000
_NQUADS = ox.RdfFormat.N_QUADS
_NOT_COPIED = shutil.ignore_patterns("LOG.old.*")  # RocksDB's old info logs pile up otherwise


class StoreError(Exception):
    """A store problem the user can act on; the CLI prints it as one line."""


class StoreBusy(StoreError):
    """Another process is writing to the store."""


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quads(quads: Iterable[tuple | ox.Quad]) -> Iterator[ox.Quad]:
    """pyoxigraph quads from rdflib (s, p, o, g) tuples; pyoxigraph quads pass through."""
    for q in quads:
        yield q if isinstance(q, ox.Quad) else ox.Quad(*map(to_ox, q))


class DiskStore:
    """A claimgraph store folder. Cheap to construct; databases are opened per use."""

    #: replace_graphs takes pyoxigraph Quads as they are: ingest builds them directly.
    native_quads = True

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_STORE):
        self.path = Path(path)
        self._held = 0  # nesting depth of `writing()` in this process

    # -- layout -----------------------------------------------------------------------
    def exists(self) -> bool:
        return (self.path / _MARK).exists()

    def _check_folder(self) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.path} exists and is not a folder")
        if self.path.is_dir() and any(self.path.iterdir()) and not self.exists():
            raise StoreError(f"{self.path} is not a claimgraph store (and is not empty)")

    def current(self) -> Path | None:
        """The live generation folder, or None for a new, empty store."""
        try:
            name = (self.path / _CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        gen = self.path / name
        if not name.startswith(_GEN) or not gen.is_dir():
            raise StoreError(f"store {self.path} is damaged: CURRENT names missing {name!r}")
        return gen

    def _generations(self) -> list[Path]:
        gens = [p for p in self.path.glob(_GEN + "*") if p.is_dir()]
        return sorted(gens, key=lambda p: int(p.name[len(_GEN) :].split(".")[0] or 0))

    # -- reading ----------------------------------------------------------------------
    def oxigraph(self) -> ox.Store:
        """A read-only pyoxigraph Store of the live generation (an empty one if none)."""
        gen = self.current()
        if gen is None:
            if self.path.exists():
                self._check_folder()
            return ox.Store()
        try:
            return ox.Store.read_only(str(gen))
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    def dataset(self) -> Dataset:
        """The whole store as a read-only rdflib Dataset whose default graph is the merge."""
        return open_dataset(self.oxigraph())

    # -- writing ----------------------------------------------------------------------
    @contextmanager
    def writing(self, wait: float | None = 0) -> Iterator[None]:
        """Hold the write lock for the block: StoreBusy at once if another process holds it,
        or after `wait` seconds of waiting (None: wait as long as it takes). Re-entrant."""
        if self._held:
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
            return
        deadline = None if wait is None else time.monotonic() + max(0.0, wait)
        created, fd = self._acquire(deadline, wait)
        try:
            (self.path / _MARK).touch()
            self._held = 1
            yield
        finally:
            self._held = 0
            if created and self.current() is None:  # nothing written: leave no empty store
                shutil.rmtree(self.path, ignore_errors=True)
            os.close(fd)

    def _acquire(self, deadline: float | None, wait: float | None) -> tuple[bool, int]:
        """(whether this call created the folder, the locked LOCK file's descriptor)."""
        while True:
            self._check_folder()
            created = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path / _LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                _flock(fd, self.path, deadline, wait)
                # the holder before us may have removed a store it created and never wrote
                if os.fstat(fd).st_ino == os.stat(self.path / _LOCK).st_ino:
                    return created, fd
            except FileNotFoundError:
                pass
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def busy(self) -> bool:
        """Whether another process holds the write lock now (a hint: it may change)."""
        if self._held or not (self.path / _LOCK).exists():
            return False
        fd = os.open(self.path / _LOCK, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    _lock = writing

    def replace_graphs(self, graphs: dict[URIRef, list], remove: Iterable[URIRef] = ()) -> None:
        """Atomically replace the named graphs in `graphs` and drop those in `remove`.

        Quads are rdflib (s, p, o, g) tuples or pyoxigraph Quads (the fast path).

        Either every change is visible afterwards or none is, even if the process is killed.
        """
        with self._lock():
            old = self.current()
            number = int(old.name[len(_GEN) :]) + 1 if old else 1
            new = self.path / f"{_GEN}{number:06d}"
            tmp = self.path / f"{new.name}.tmp"
            for leftover in (new, tmp):
                if leftover.exists():
                    shutil.rmtree(leftover)
            names = [to_ox(n) for n in list(graphs) + list(remove)]
            rewrite = old is not None and _table_files(old) > COMPACT_FILES
            if old is not None and not rewrite:
                shutil.copytree(old, tmp, copy_function=_link_or_copy, ignore=_NOT_COPIED)
            db = ox.Store(str(tmp))
            try:
                logged = False  # whether anything went through the write-ahead log
                stale: set[ox.Triple] = set()  # what the replaced graphs held
                if rewrite:  # a fresh, compacted copy of what stays
                    drop = set(names)
                    source = ox.Store.read_only(str(old))
                    stale = _triples(source, names)
                    db.bulk_extend(q for q in source if q.graph_name not in drop)
                    del source
                elif old is not None:
                    stale = _triples(db, names)
                    for name in names:
                        if db.contains_named_graph(name):
                            db.remove_graph(name)
                            logged = True
                for name, quads in graphs.items():
                    if not quads:  # a bulk load names only the graphs it has quads for
                        db.add_graph(to_ox(name))
                        logged = True
                if not has_merged_default(db):  # written before the merge was kept
                    _merge_all(db)
                added = [q for quads in graphs.values() for q in to_ox_quads(quads)]
                # Bulk loads skip transactions, which is safe: this generation stays private
                # until the rename below makes it live.
                bulk_write(db, added, merge=True)
                if stale:
                    logged |= _unmerge(db, stale - {q.triple for q in added})
                if logged:
                    db.flush()  # the log's changes into table files: opens stay fast
            finally:
                del db
            os.rename(tmp, new)
            _atomic_write(self.path / _CURRENT, new.name)
            self._collect(keep=new)

    def _collect(self, keep: Path) -> None:
        """Delete generations older than the kept ones, and leftovers of killed writes."""
        gens = [g for g in self._generations() if g != keep]
        old = [g for g in gens if not g.name.endswith(".tmp")]
        for gen in old[: max(0, len(old) - _KEEP_OLD)] + [g for g in gens if g not in old]:
            shutil.rmtree(gen, ignore_errors=True)
        for tmp in self.path.glob(_GEN + "*.tmp"):
            shutil.rmtree(tmp, ignore_errors=True)


def has_merged_default(db: ox.Store) -> bool:
    """Whether `db`'s default graph is the merge of its named graphs, as `DiskStore` writes
    it; False for a store written before that, or a copy that holds named graphs only."""
    if next(iter(db.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        return True
    return next(iter(db.named_graphs()), None) is None


def default_graph_options(db: ox.Store) -> dict:
    """`Store.query` options that make the default graph the merge of the named graphs."""
    return {} if has_merged_default(db) else {"use_default_graph_as_union": True}


def open_dataset(db: ox.Store) -> Dataset:
    """`db` as an rdflib Dataset whose default graph is the merge of its named graphs (the
    stored merge, or for a store without one, Oxigraph's union, which repeats triples)."""
    ds = Dataset(store=OxigraphStore(store=db), default_union=not has_merged_default(db))
    bind_prefixes(ds)
    return ds


def named_quads(db: ox.Store) -> Iterator[ox.Quad]:
    """The quads of `db`'s named graphs: what the documents said, without the merge."""
    for graph in list(db.named_graphs()):
        yield from db.quads_for_pattern(None, None, None, graph)


def _merge_all(db: ox.Store) -> None:
    """Load the merge of `db`'s named graphs into its default graph (Oxigraph deduplicates
    and serializes them without a Python object per triple)."""
    merge = db.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    data = merge.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    if b"_:" in data:  # the parser would rename blank nodes: load them as Quads
        db.bulk_extend([ox.Quad(q.subject, q.predicate, q.object) for q in named_quads(db)])
    elif data:
        db.bulk_load(data, ox.RdfFormat.N_TRIPLES, lenient=True)


def _triples(db: ox.Store, names: Iterable) -> set[ox.Triple]:
    return {q.triple for name in names for q in db.quads_for_pattern(None, None, None, name)}


def _unmerge(db: ox.Store, triples: set[ox.Triple]) -> bool:
    """Drop from the default graph each of `triples` that no named graph holds any more;
    whether anything was dropped."""
    dropped = False
    for t in triples:
        holders = db.quads_for_pattern(t.subject, t.predicate, t.object)
        if all(isinstance(q.graph_name, ox.DefaultGraph) for q in holders):
            db.remove(ox.Quad(t.subject, t.predicate, t.object))
            dropped = True
    return dropped


def bulk_write(db: ox.Store, quads: list[ox.Quad], merge: bool = False) -> None:
    """Bulk-load `quads` into `db`, and with `merge` their triples into its default graph.

    The merge goes as N-Triples bytes to a thread of its own, and `quads` on every core (up
    to 4): one share as Quads here, the others as N-Quads bytes on threads, since
    `bulk_load` releases the GIL and `bulk_extend` does not. Each share builds its own table
    files, so small writes stay one share."""
    if not merge or not quads:
        _bulk_write(db, quads)
        return
    triples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    if b"_:" in triples:  # blank nodes would be renamed by the parser: load them as Quads
        _bulk_write(db, quads + [ox.Quad(q.subject, q.predicate, q.object) for q in quads])
        return
    with ThreadPoolExecutor(1) as pool:
        merging = pool.submit(db.bulk_load, triples, ox.RdfFormat.N_TRIPLES, lenient=True)
        del triples
        _bulk_write(db, quads)
        merging.result()


def _bulk_write(db: ox.Store, quads: list[ox.Quad]) -> None:
    shares = max(1, min(_cores(), 4, len(quads) // PARALLEL_QUADS))
    if shares == 1:
        db.bulk_extend(quads)
        return
    size = -(-len(quads) // shares)
    with ThreadPoolExecutor(shares - 1) as pool:
        futures = []
        for start in range(0, size * (shares - 1), size):
            data = ox.serialize(quads[start : start + size], format=_NQUADS)
            if b"_:" in data:  # blank nodes would be renamed by the parser: load them as Quads
                db.bulk_extend(quads[start : start + size])
            else:  # quads serialized by pyoxigraph are valid: skip the parser's IRI checks
                futures.append(pool.submit(db.bulk_load, data, _NQUADS, lenient=True))
            del data
        db.bulk_extend(quads[size * (shares - 1) :])
        for future in futures:
            future.result()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _flock(fd: int, path: Path, deadline: float | None, wait: float | None) -> None:
    """Take the exclusive lock on `fd`, polling until `deadline` (None: forever)."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                advice = (
                    f"waited {wait:g} s; try again later"
                    if wait
                    else "try again later or use --wait"
                )
                raise StoreBusy(
                    f"store {path} is busy: another claimgraph process is writing to it ({advice})"
                ) from None
        time.sleep(0.2)


def _table_files(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*.sst"))


def _link_or_copy(src: str, dst: str) -> None:
    # RocksDB table files (.sst) are immutable once written: share them. Copy the rest.
    if src.endswith(".sst"):
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".new")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dirfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dirfd)
    finally:
        os.close(dirfd)


class MemoryStore:
    """rdflib's pure-Python in-memory Dataset with the same write API, for notebooks."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        bind_prefixes(self._ds)

    def dataset(self) -> Dataset:
        return self._ds

    @contextmanager
    def writing(self, wait: float | None = 0) -> Iterator[None]:
        """Nothing to lock in memory; the same API as DiskStore.writing."""
        yield

    def busy(self) -> bool:
        return False

    def replace_graphs(
        self, graphs: dict[URIRef, list[tuple]], remove: Iterable[URIRef] = ()
    ) -> None:
        for name in list(graphs) + list(remove):
            self._ds.remove_graph(self._ds.graph(name))
        for quads in graphs.values():
            self._ds.addN(quads)


GraphStore = DiskStore | MemoryStore
