"""Reader for AnyStyle's hand-tagged reference strings (`core.xml`, `good.xml`; BSD-2-Clause).

Each `<sequence>` is one reference whose child elements are its parts in order. The parts are
joined with single spaces into the reference string, which is cut into the runtime tagger's
tokens; each token takes the label of the part it lies in.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimgraph.graph.errors import UserError
from claimgraph.ingest.reference_tagger import tokenize

DEFAULT_ROOT = Path("../shared/corpora")
FILES = ("core.xml", "good.xml")
# rare tags folded into a near neighbour so every label has enough examples to learn from
LABEL_MAP = {"producer": "director", "medium": "genre", "source": "note"}


@dataclass
class TaggedReference:
    """One reference: its text, tokens with offsets, and one label per token."""

    text: str
    tokens: list[tuple[str, int, int]]
    labels: list[str]
    file: str

    @property
    def key(self) -> int:
        """A stable number in 0..99 from the text, for deterministic splits."""
        return int(hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:8], 16) % 100


def anystyle_file(root: Path, name: str) -> Path:
    """The path of `name` (core.xml or good.xml) under `root`/anystyle, or a UserError."""
    if name not in FILES:
        raise UserError(f"unknown AnyStyle file {name!r} (choose core.xml or good.xml)")
    path = Path(root) / "anystyle" / name
    if not path.is_file():
        raise UserError(f"AnyStyle file not found: {path} (pass the corpora folder)")
    return path


def read_sequences(path: Path) -> Iterator[TaggedReference]:
    """Every reference of one AnyStyle XML file, in file order."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise UserError(f"{path}: not valid AnyStyle XML ({exc})") from None
    for seq in root.iter("sequence"):
        ref = _tagged(seq, path.name)
        if ref is not None:
            yield ref


def _tagged(seq: ET.Element, file: str) -> TaggedReference | None:
    parts: list[tuple[str, int, int]] = []
    chunks: list[str] = []
    pos = 0
    for el in seq:
        part = " ".join((el.text or "").split())
        if not part:
            continue
        if chunks:
            chunks.append(" ")
            pos += 1
        parts.append((LABEL_MAP.get(el.tag, el.tag), pos, pos + len(part)))
        chunks.append(part)
        pos += len(part)
    if not parts:
        return None
    text = "".join(chunks)
    tokens = tokenize(text)
    labels: list[str] = []
    k = 0
    for _, a, _ in tokens:
        while parts[k][2] <= a:
            k += 1
        labels.append(parts[k][0])
    return TaggedReference(text, tokens, labels, file)


def read_anystyle(root: Path = DEFAULT_ROOT, name: str = "core.xml") -> list[TaggedReference]:
    """All references of `root`/anystyle/`name`."""
    return list(read_sequences(anystyle_file(root, name)))


def iter_token_labels(root: Path = DEFAULT_ROOT) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, labels) per reference over both files, core.xml first."""
    for name in FILES:
        for ref in read_anystyle(root, name):
            yield [t for t, _, _ in ref.tokens], ref.labels


__all__ = [
    "DEFAULT_ROOT",
    "FILES",
    "LABEL_MAP",
    "TaggedReference",
    "anystyle_file",
    "iter_token_labels",
    "read_anystyle",
    "read_sequences",
]
