"""Stance: which claims and works support or dispute which claims, read from discourse cues.

Rules, each named (the name is stored on the edge as cg:rule so that its precision can be
measured and weak rules cut):
- attribution: the work a claim is stated in supports it;
- not-x-but-y: the source of "not A but B" disputes A;
- dispute-cue / contrast-reply: a sentence with an explicit dispute cue ("misses the point",
  "absurd", "lied") or opening with a contrast marker disputes the attributed claims just
  before it;
- endorsement: "this is perfectly true" — the document supports the claim just before;
- condemns-statement: "X condemned Y's comments": X's claim disputes Y's last claim;
- echo-dispute: a denying sentence that puts an earlier attributed claim's words in scare
  quotes ("Rather than the “vision” its admirers praise, ...") disputes that claim;
- quoted-evidence: a block quotation supports the sentence introducing it;
- reply-agrees / reply-disagrees: in a discussion thread, a reply whose opening agrees
  ("Agreed", "Good point") or disagrees ("Nonsense", "Not true", "No,") supports or disputes
  the claims of the post it answers (the lines it quotes, if it quotes).
(Cut for precision below 0.2 on the annotated samples: attribution-scope, conclusion,
rebuttal-sentence, elaboration — attributed evidence later in a paragraph supporting its
opening thesis.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimgraph.ingest.claims import Claim, Sentence
from claimgraph.ingest.threads import Post

_ENDORSE = (
    "perfectly true",
    "exactly right",
    "is right",
    "are right",
    "was right",
    "were right",
    "right about",
    "understating",
    "i agree",
    "we agree",
    "is true",
    "is correct",
)


@dataclass
class Stance:
    source: Claim | str  # a claim, "work:TITLE", or "doc"
    relation: str
    target: Claim
    start: int
    end: int
    confidence: float
    rule: str


@lru_cache(maxsize=64)
def cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(c) for c in cues) + r")(?![\w])")


def _opens_with(lower: str, markers: tuple[str, ...]) -> bool:
    return any(lower.startswith(m + " ") or lower.startswith(m + ",") for m in markers)


def _attributed(c: Claim) -> bool:
    """A claim the document reports rather than makes (a poster's own thesis is not one)."""
    return c.kind in ("attributed", "quoted", "according", "cited") or (
        c.author is not None and not c.posted
    )


def find_stances(sentences: list[Sentence], rules) -> list[Stance]:
    out: list[Stance] = []
    disputes = cue_regex(rules.dispute_cues)
    for i, s in enumerate(sentences):
        for c in s.claims:
            if c.work:
                out.append(
                    Stance(
                        f"work:{c.work}", "supports", c, s.start, s.end, c.confidence, "attribution"
                    )
                )
            denied = getattr(c, "denied_by", None)
            if denied is not None:
                src = f"work:{denied.work}" if denied.work else denied
                out.append(Stance(src, "disputes", c, s.start, s.end, 0.65, "not-x-but-y"))
        for c in s.claims:
            for target in getattr(c, "rebuts", ()):
                out.append(Stance(c, "disputes", target, s.start, s.end, 0.7, "rebuttal-clause"))
        claims_here = s.claims
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        if (
            not claims_here
            and s.text.endswith(":")
            and nxt is not None
            and nxt.paragraph == s.paragraph
        ):
            claims_here = nxt.claims  # "But this is absurd: <the argument>"
        own = next((c for c in claims_here if c.kind != "negated"), None)
        if own is None:
            continue
        prev = [p for p in sentences[max(0, i - 2) : i] if p.paragraph >= s.paragraph - 1]
        earlier = [c for p in prev for c in p.claims if c.kind != "negated" and _attributed(c)]
        explicit = disputes.search(s.lower)
        contrast = _opens_with(s.lower, rules.contrast)
        if earlier and (explicit or contrast) and not _attributed(own):
            conf = 0.75 if explicit else 0.55
            rule = "dispute-cue" if explicit else "contrast-reply"
            for target in earlier:
                if target is not own:
                    out.append(Stance(own, "disputes", target, s.start, s.end, conf, rule))
        if earlier and any(e in s.lower for e in _ENDORSE) and not explicit:
            out.append(Stance("doc", "supports", earlier[-1], s.start, s.end, 0.7, "endorsement"))
        if s.condemned:
            said = [c for p in sentences[:i] for c in p.claims if c.author == s.condemned]
            mine = [c for c in s.claims if c.author == s.condemner] or [own]
            if said:
                out.append(
                    Stance(mine[0], "disputes", said[-1], s.start, s.end, 0.6, "condemns-statement")
                )
    out.extend(_echoes(sentences, disputes))
    out.extend(_structure(sentences))
    return out


_SCARE_QUOTE = re.compile(r"[“\"]([^”\"]{3,40})[”\"]")
_NOT_DENIAL = re.compile(r"(?<![\w])(?:not only|no matter|no doubt|not least)(?![\w])")
_DENIAL = re.compile(r"n't|(?<![\w])(?:not|never|no|nothing|rather than|instead of)(?![\w])")


def _echoes(sentences: list[Sentence], disputes: re.Pattern) -> list[Stance]:
    """'Rather than the “strength” his admirers imagine, ...': a denying sentence that puts an
    earlier claim's words in scare quotes disputes that claim."""
    out: list[Stance] = []
    for i, s in enumerate(sentences):
        own = next((c for c in s.claims if c.kind != "negated"), None)
        denial = _DENIAL.search(_NOT_DENIAL.sub(" ", s.lower))
        if own is None or _attributed(own) or not (disputes.search(s.lower) or denial):
            continue
        for m in _SCARE_QUOTE.finditer(s.text):
            phrase = m.group(1).lower().strip(" ,.")
            if len(phrase.split()) > 4 or not re.search(r"[^\W\d_]{4,}", phrase):
                continue
            echo = re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])")
            for p in sentences[:i]:
                for target in p.claims:
                    if _attributed(target) and echo.search(target.text.lower()):
                        out.append(
                            Stance(own, "disputes", target, s.start, s.end, 0.6, "echo-dispute")
                        )
    return out


def _structure(sentences: list[Sentence]) -> list[Stance]:
    """Support read from layout: a block quotation backs the sentence introducing it."""
    out: list[Stance] = []
    by_par: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_par.setdefault(s.paragraph, []).append(s)
    for par, sents in by_par.items():
        prev = by_par.get(par - 1)
        intro = prev[-1] if prev and prev[-1].introduces_quote else None
        quoted = [c for s in sents for c in s.claims if c.rule == "block-quotation"]
        if intro is not None and quoted:
            own = [c for c in intro.claims if c.kind in ("thesis", "scoped")]
            if own:
                out.append(
                    Stance(
                        quoted[0],
                        "supports",
                        own[0],
                        intro.start,
                        sents[-1].end,
                        0.5,
                        "quoted-evidence",
                    )
                )
    return out


def reply_stances(posts: list[Post], sentences: list[Sentence], rules, text: str) -> list[Stance]:
    """Thread replies: the opening of a reply agrees or disagrees with the post it answers."""
    agree, disagree = cue_regex(rules.reply_agree), cue_regex(rules.reply_disagree)
    disputes = cue_regex(rules.dispute_cues)
    in_post: list[list[Sentence]] = [
        [s for s in sentences if p.start <= s.start < p.end] for p in posts
    ]
    out: list[Stance] = []
    for i, post in enumerate(posts):
        if post.reply_to is None or not in_post[i]:
            continue
        opening = in_post[i][0]
        lower = " ".join(s.lower for s in in_post[i][:2] if s.end - opening.start < 200)
        mine = [c for s in in_post[i] for c in s.claims if c.kind != "negated"]
        theirs = [c for s in in_post[post.reply_to] for c in s.claims if c.kind != "negated"]
        if not mine or not theirs:
            continue
        quoted = [c for c in theirs if _quoted_by(c, post, text)]
        targets = quoted or theirs[:2]
        if disagree.search(lower) or disputes.search(opening.lower):
            relation, rule = "disputes", "reply-disagrees"
        elif agree.search(lower):
            relation, rule = "supports", "reply-agrees"
        elif _opens_with(opening.lower, rules.contrast):
            relation, rule = "disputes", "reply-contrast"
        else:
            continue
        conf = 0.55 if rule == "reply-contrast" else 0.7
        for target in targets:
            out.append(Stance(mine[0], relation, target, opening.start, opening.end, conf, rule))
    return out


def _quoted_by(claim: Claim, post: Post, text: str) -> bool:
    """Whether the reply quotes (with "> " lines) at least half of the claim's words."""
    words = set(re.findall(r"[^\W_]{3,}", claim.text.lower()))
    quoted = set()
    for a, b in post.quotes:
        quoted |= set(re.findall(r"[^\W_]{3,}", text[a:b].lower()))
    return bool(words) and len(words & quoted) >= 0.5 * len(words)
