"""Claims that parenthetical citations vouch for ("X (Author, Title)"), and the document's
own rebuttals of cited claims ("... (cited); these estimates are wrong"), read from the
sentences a `ClaimFinder` has scanned.
"""

from __future__ import annotations

import re

from claimgraph.ingest.claims import Claim, Sentence


def cited_claim(
    sentences: list[Sentence], text: str, start: int, end: int, author: str | None, work: str
) -> None:
    """'X (Author, Title)': the clause before a parenthetical citation is that work's claim."""
    info = next((s for s in sentences if s.start <= start < s.end + 1), None)
    if info is None or text[start - 1 : start] != "(" and text[start : start + 1] != "(":
        return
    paren = start - 1 if text[start - 1 : start] == "(" else start
    head = text[info.start : paren]
    cut = max(
        head.rfind(";"), head.rfind(":"), head.rfind("—"), head.rfind(" or "), head.rfind(")")
    )
    c_start = info.start + cut + 1 if cut >= 0 else info.start
    while c_start < paren and text[c_start] in " ,(":
        c_start += 1
    if head[cut:].startswith(" or "):
        c_start = info.start + cut + 4
    close = text.find(")", paren)
    c_end = close + 1 if 0 <= close < info.end + 1 else paren
    body = text[c_start:c_end].strip()
    if len(body.split()) < 3 or any(c.start < c_end and c_start < c.end for c in info.claims):
        return
    if info.text.startswith("(") or not (
        any(c_start <= v < paren for v in info.verbs) or re.search(r"\d", body)
    ):
        return  # an aside, or a caption: states nothing a citation could vouch for
    info.claims.append(
        Claim(
            body,
            c_start,
            c_start + len(body),
            author,
            work,
            "cited",
            0.6,
            "parenthetical-citation",
        )
    )


def rebuttal_claims(sentences: list[Sentence], dispute_cues) -> None:
    """'It can't be A (cited) or B (cited); these estimates are wrong': after ';' the
    author answers the cited claims of the same sentence."""
    for info in sentences:
        cited = [c for c in info.claims if c.kind in ("cited", "attributed", "quoted", "according")]
        semi = info.text.rfind(";")
        if not cited or semi < 0 or not dispute_cues.search(info.lower):
            continue
        tail_start = info.start + semi + 1
        if any(c.end > tail_start for c in cited):
            continue
        body = info.text[semi + 1 :].strip().rstrip(" .")
        if len(body.split()) < 5:
            continue
        off = info.text.index(body, semi) + info.start
        own = Claim(body, off, off + len(body), None, None, "thesis", 0.6, "rebuttal-clause")
        own.rebuts = cited  # type: ignore[attr-defined]
        info.claims.append(own)
