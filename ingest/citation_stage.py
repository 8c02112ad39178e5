"""The "citations" stage: the work an in-text citation points to supports the claim made in
the citing sentence; when the sentence disputes its source, the claim cites the work instead.
One edge per link: the document's `cites` edge to the work comes from its list entry, as a
careful reader records it.

Runs after "claim-nodes" (it needs the Claim node keys and the works' node keys). A
statement sentence that carries a citation but no claim yet becomes one (rule
`cited-sentence`, its text without the citation): a sentence the author backs with a source
is a claim. Rule names on the edges: `in-text-citation` (a disputing claim cites the work) and
`citation-support` (work supports claim), so `claimgraph eval` reports their precision apart.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from claimgraph.graph.identity import claim_key, fold
from claimgraph.graph.model import Edge, Mention, Node
from claimgraph.ingest.claims import Claim, Sentence
from claimgraph.ingest.extract import add_stance_edges
from claimgraph.ingest.intext_citations import (
    InTextCitation,
    find_citations,
    resolve_citations,
)
from claimgraph.ingest.stages import stage
from claimgraph.ingest.stance import Stance, cue_regex
from claimgraph.ingest.state import DocState

CITES_CONFIDENCE = 0.8
SUPPORT_CONFIDENCE = 0.6
#: How far after a sentence's end a note marker may stand ("… was true.3") and still be its.
MARKER_SLACK = 3
CITED_CLAIM_CONFIDENCE = 0.5
LABEL_CHARS = 140
MIN_CLAIM_WORDS = 5


def _sentence_at(
    sentences: list[Sentence], starts: list[int], c: InTextCitation
) -> Sentence | None:
    """The sentence holding citation `c`, or ending just before it (a marker after the full
    stop); a "sentence" that is the citation alone ("[2, 3].") belongs to the one before."""
    i = bisect_right(starts, c.start) - 1
    if i < 0:
        return None
    s = sentences[i]
    if c.start >= s.end + MARKER_SLACK:
        return None
    rest = s.text[: c.start - s.start] + s.text[c.end - s.start :]
    if i > 0 and not any(ch.isalnum() for ch in rest):
        prev = sentences[i - 1]
        return prev if prev.paragraph == s.paragraph else s
    return s


def _claim_at(s: Sentence, pos: int) -> Claim | None:
    """The claim whose span holds `pos`, else the sentence's claim nearest to it ("X noted3
    that ..." cites the statement that follows the marker)."""
    inside = [c for c in s.claims if c.start <= pos < c.end]
    if inside:
        return min(inside, key=lambda c: c.end - c.start)
    return min(
        s.claims, key=lambda c: c.start - pos if c.start > pos else pos - c.end, default=None
    )


def _citation_cut(text: str, c: InTextCitation, floor: int, ceiling: int) -> tuple[int, int]:
    """What to drop from the claim's text for citation `c`: its brackets, or the marker."""
    if c.kind == "note" or text[c.start : c.start + 1] == "[":
        return c.start, c.end
    open_ = text.rfind("(", floor, c.start)
    close = text.find(")", c.end - 1, ceiling)
    if open_ < 0 or close < 0 or text.find(")", open_, c.start) >= 0:
        return c.end, c.end  # narrative "Marsh (1990)": the names stay part of the sentence
    return open_, close + 1


def _cited_claim(state: DocState, s: Sentence, cuts: list[tuple[int, int]]) -> Claim | None:
    """A new claim for a statement sentence that cites a work and has no claim yet."""
    if s.claims or not s.statement or not s.verbs or s.text.startswith("("):
        return None
    parts, pos = [], s.start
    for a, b in sorted(cuts):
        a, b = min(a, s.end), min(b, s.end)
        parts.append(state.text[pos:a])
        pos = max(pos, b)
    parts.append(state.text[pos : s.end])
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join("".join(parts).split())).rstrip(" .")
    if len(text.split()) < MIN_CLAIM_WORDS:
        return None
    claim = Claim(
        text, s.start, s.end, None, None, "cited", CITED_CLAIM_CONFIDENCE, "cited-sentence"
    )
    key = claim_key(text)
    about = sorted(
        {
            n.key
            for n in state.extraction.nodes.values()
            if n.kind in ("Person", "Work", "Event")
            for m in n.mentions
            if s.start <= m.start < s.end
        }
    )
    label = text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS].rsplit(" ", 1)[0] + " …"
    state.extraction.add_node(
        Node(
            "Claim",
            key,
            label,
            set(),
            [Mention(s.start, s.end)],
            text=text,
            about=about,
            confidence=claim.confidence,
            rule=claim.rule,
        )
    )
    state.claim_keys[id(claim)] = key
    s.claims.append(claim)
    return claim


@stage("citations")
def link_citations(state: DocState) -> None:
    """In-text citations: the listed work supports the claim that cites it, or, when the
    sentence disputes its source, the claim cites the work (no second edge for one link: the
    document's own `cites` edge to the work comes from its list entry)."""
    if not state.works:
        return
    sentences = sorted(state.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    citations = find_citations(state.text, state.document.nlp_text, state.reference_spans)
    disputes = cue_regex(tuple(state.rules.dispute_cues)) if state.rules.dispute_cues else None
    stances: list[Stance] = []
    links = resolve_citations(citations, state.works, state.text)
    for link in links:
        pos = link.citation.start
        s = _sentence_at(sentences, starts, link.citation)
        if s is None:
            continue
        if not s.claims:
            ceiling = min(s.end + MARKER_SLACK, len(state.text))
            cuts = [
                _citation_cut(state.text, other.citation, s.start, ceiling)
                for other in links
                if s.start <= other.citation.start < ceiling
            ]
            _cited_claim(state, s, cuts)
        claim = _claim_at(s, pos)
        source = state.claim_keys.get(id(claim)) if claim is not None else None
        if source is None:
            continue
        end = max(s.end, link.citation.end)
        disputed = disputes is not None and disputes.search(s.lower) is not None
        for w in link.works:
            target = state.work_keys.get(fold(w.title))
            if target is None:
                continue
            if disputed:  # the sentence argues with its source: it cites it, no stance assumed
                state.extraction.add_edge(
                    Edge(
                        source, "cites", target, s.start, end, CITES_CONFIDENCE, "in-text-citation"
                    )
                )
                continue
            stances.append(
                Stance(
                    f"work:{w.title}",
                    "supports",
                    claim,
                    s.start,
                    end,
                    SUPPORT_CONFIDENCE,
                    "citation-support",
                )
            )
    add_stance_edges(state, stances)


__all__ = ["link_citations"]
