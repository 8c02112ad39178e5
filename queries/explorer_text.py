"""A document's text rebuilt from its passages, cut into pieces to highlight claims and mentions.

The store keeps no copy of a source file: it keeps every passage's exact quote with its
offsets and 32 characters of context either side (oa:TextQuoteSelector prefix and suffix).
All of them come from the same text, so together they give that text exactly wherever a
passage reaches; the rest is shown as a gap with its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimgraph.graph.display import display_text


@dataclass
class Span:
    """One highlighted range: a claim's statement, a mention, or an edge's evidence."""

    start: int
    end: int
    kind: str  # claim | mention | supports | disputes | cites
    href: str | None
    title: str


@dataclass
class Piece:
    """A run of text under the same highlights, or a gap (text not kept in the store)."""

    text: str = ""
    href: str | None = None
    classes: list[str] = field(default_factory=list)
    title: str = ""
    anchors: list[str] = field(default_factory=list)
    gap: int = 0
    start: int = 0


def known_text(passages: list[dict]) -> dict[int, str]:
    """Offset -> character for every offset a passage's quote or context covers."""
    chars: dict[int, str] = {}
    for p in passages:
        prefix, exact, suffix = p.get("prefix") or "", p.get("exact") or "", p.get("suffix") or ""
        begin = int(p["start"]) - len(prefix)
        for i, c in enumerate(prefix + exact + suffix):
            if begin + i >= 0:
                chars[begin + i] = c
    return chars


def _runs(chars: dict[int, str]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for offset in sorted(chars):
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs


def anchor(start: int, end: int) -> str:
    return f"at-{start}-{end}"


def pieces(
    passages: list[dict], spans: list[Span], length: int | None, target: tuple[int, int] | None
) -> list[Piece]:
    """The document as pieces in order; `target` (start, end) is marked for the reader."""
    chars = known_text(passages)
    runs = _runs(chars)
    out: list[Piece] = []
    position = 0
    for run_start, run_end in runs:
        if run_start > position:
            out.append(Piece(gap=run_start - position, start=position))
        out.extend(_highlighted(chars, run_start, run_end, spans, target))
        position = run_end
    if length is not None and length > position:
        out.append(Piece(gap=length - position, start=position))
    return out


def _highlighted(chars, run_start, run_end, spans, target) -> list[Piece]:
    inside = [s for s in spans if s.start < run_end and s.end > run_start and s.end > s.start]
    cuts = {run_start, run_end}
    for s in inside:
        cuts.update(x for x in (s.start, s.end) if run_start < x < run_end)
    if target:
        cuts.update(x for x in target if run_start < x < run_end)
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [s for s in inside if s.start <= a and s.end >= b]
        piece = Piece(text=display_text("".join(chars[i] for i in range(a, b))), start=a)
        piece.anchors = sorted({anchor(s.start, s.end) for s in inside if s.start == a})
        if active:
            inner = min(active, key=lambda s: (s.end - s.start, s.kind != "claim"))
            piece.href = inner.href
            piece.title = display_text(inner.title, one_line=True)
            piece.classes = sorted({f"hl-{s.kind}" for s in active})
        if target and target[0] <= a and b <= target[1]:
            piece.classes.append("target")
        out.append(piece)
    return out
