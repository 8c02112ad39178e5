"""The document's own theses: sentences whose thesis score (`rules.claim_weights`) passes
the threshold, and in a thread, each post's best statement as its poster's claim. Both read
the sentences a `ClaimFinder` has scanned and add claims to them.
"""

from __future__ import annotations

import re

from claimgraph.ingest.claims import Claim, Sentence

# The interjection a reply opens with: "Nonsense, ...", "Good point: ...".
_REPLY_CUE = re.compile(r"^([\w'’+]+(?: [\w'’]+)?)[,!:;]\s+(?=\w)")

# A short label opening a paragraph in notes and summaries: "Archival constraints: ...".
_INLINE_HEADING = re.compile(r"^[A-Z][\w’'-]*(?: [\w’'-]+){0,6}: (?=[A-Z])")


def thesis_claims(sentences: list[Sentence], threshold: float, work_at) -> None:
    """Make a document-level claim of every sentence without claims whose thesis score is at
    least `threshold`; `work_at(start, end)` names a work title at those offsets, if any."""
    for info in sentences:
        if info.claims or info.score < threshold:
            continue
        confidence = min(0.9, 0.3 + 0.1 * info.score)
        for a, b, rule in info.parts or [(0, len(info.text), "thesis-sentence")]:
            text = info.text[a:b].rstrip(" .")
            start = info.start + a
            label = _INLINE_HEADING.match(text)
            if label and not work_at(
                start, start + label.end()
            ):  # "Method notes: Hallin measured ..." -> the statement only
                start += label.end()
                text = text[label.end() :]
            info.claims.append(
                Claim(text, start, start + len(text), None, None, "thesis", confidence, rule)
            )


def post_thesis(sentences: list[Sentence], start: int, end: int, author: str, rules) -> None:
    """A thread post that made no claim so far: its best-scoring statement is the
    poster's claim (a post is short and usually makes one point)."""
    inside = [s for s in sentences if start <= s.start < end]
    if any(s.claims for s in inside):
        return
    best = max((s for s in inside if s.statement), key=lambda s: s.score, default=None)
    if best is not None:
        text, start = best.text.rstrip(" ."), best.start
        cue = _REPLY_CUE.match(text)  # "Nonsense, the survey ..." -> "the survey ..."
        cues = {c.strip(" ,.!?") for c in (*rules.reply_agree, *rules.reply_disagree)}
        if cue and cue.group(1).lower() in cues:
            text, start = text[cue.end() :], start + cue.end()
        c = Claim(text, start, start + len(text), author, None, "thesis", 0.5)
        c.rule, c.posted = "post-thesis", True
        best.claims.append(c)
