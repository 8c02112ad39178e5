"""Learned extraction stages: "argument-units" decides which sentences are the document's own
claims with the argument model, "argument-relations" adds supports/disputes edges between
claims from the relation model beside the rules' strong stance edges.

Select them in a rules file, e.g.
    [pipeline]
    stages = ["works", "posts", "people", "work-nodes", "events", "claims", "argument-units",
              "claim-nodes", "argument-relations"]
    [model]
    arguments = "path/to/model"   # default: the model shipped in claimgraph/ingest/models
    claim_threshold = 0.4         # default: the model's own (model.json); setting it alone
                                  # also sets claim_selection = "threshold"
    claim_selection = "expected-f1"  # or "threshold": default the model's own (model.json)
    relation_threshold = 0.3
    relation_share = 0.5          # keep the best edge of the surest half of the units
    fallback = "previous"         # edges for a document left without any: previous|hub|none
    units = "learned"             # cut sentences with the model's learned segmenter (dense
                                  # genres), or "clauses" / "sentences"; default: the model's
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from claimgraph.ingest.argument_features import Candidate, candidates
from claimgraph.ingest.argument_model import (
    FALLBACKS,
    SELECTIONS,
    UNITS,
    ArgumentModel,
    ModelError,
    shipped_model_dir,
)
from claimgraph.ingest.claims import Claim, Sentence
from claimgraph.ingest.extract import add_stance_edges
from claimgraph.ingest.rules import RulesError
from claimgraph.ingest.stages import stage
from claimgraph.ingest.stance import Stance, find_stances, reply_stances
from claimgraph.ingest.state import DocState
from claimgraph.ingest.threads import quoted_spans

#: Rule claims the model replaces: the document's own theses picked by the weak thesis score.
RULE_THESES = frozenset({"thesis-sentence", "framed-statement", "either-or", "post-thesis"})
#: Rule stance edges kept beside the learned ones (cue-based, attributed or structural).
STRONG_STANCES = frozenset(
    {
        "attribution",
        "not-x-but-y",
        "rebuttal-clause",
        "dispute-cue",
        "endorsement",
        "condemns-statement",
        "echo-dispute",
        "quoted-evidence",
        "reply-agrees",
        "reply-disagrees",
    }
)
STRUCTURAL_CONFIDENCE = 0.1  # of a fallback edge: position alone says it, so it is weak
HEADING_WORDS = 8  # a one-line paragraph this short without end punctuation is a heading


def model_settings(rules) -> dict:
    """The `[model]` table of the rules: from `rules.model` when Rules carries it, else read
    from the user's rules file (relative paths resolve against that file's folder)."""
    table = getattr(rules, "model", None)
    source = getattr(rules, "source", "bundled")
    if table is None:
        table = _file_table(source) if source != "bundled" else {}
    settings = dict(table)
    path = settings.get("arguments")
    if path and source != "bundled" and not Path(path).is_absolute():
        settings["arguments"] = str(Path(source).parent / path)
    return settings


@lru_cache(maxsize=8)
def _file_table(source: str) -> dict:
    try:
        data = tomllib.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("model", {})
    if not isinstance(table, dict):
        raise RulesError(f"rules file {source}: [model] must be a table")
    return table


def _model(state: DocState) -> tuple[ArgumentModel, float, float]:
    settings = model_settings(state.rules)
    try:
        model = ArgumentModel.load(settings.get("arguments") or shipped_model_dir())
        claim_t = float(settings.get("claim_threshold", model.claim_threshold))
        relation_t = float(settings.get("relation_threshold", model.relation_threshold))
        explicit = "claim_threshold" in settings and "claim_selection" not in settings
        decoding = {
            "claim_threshold": claim_t,
            "claim_selection": "threshold"
            if explicit
            else str(settings.get("claim_selection", model.claim_selection)),
            "relation_share": float(settings.get("relation_share", model.relation_share)),
            "fallback": str(settings.get("fallback", model.fallback)),
            "units": str(settings.get("units", model.settings.get("units", "sentences"))),
        }
    except ModelError as exc:
        raise RulesError(str(exc)) from None
    except (TypeError, ValueError):
        raise RulesError("[model] thresholds and relation_share must be numbers") from None
    if decoding["claim_selection"] not in SELECTIONS:
        raise RulesError(f"[model] claim_selection must be one of {', '.join(SELECTIONS)}")
    if decoding["fallback"] not in FALLBACKS:
        raise RulesError(f"[model] fallback must be one of {', '.join(FALLBACKS)}")
    if decoding["units"] not in UNITS:
        raise RulesError(f"[model] units must be one of {', '.join(UNITS)}")
    if decoding["units"] == "learned" and model.seg_w is None:
        raise RulesError(
            '[model] units = "learned" needs a model trained with a segmenter '
            "(claimgraph train writes one)"
        )
    if any(model.settings.get(k) != v for k, v in decoding.items()):
        model = replace(model, settings={**model.settings, **decoding})
    return model, claim_t, relation_t


def _heading(c: Candidate) -> bool:
    return (
        c.par_size == 1 and c.text[-1:] not in '.?!:;"”)' and len(c.text.split()) <= HEADING_WORDS
    )


def _sentence_of(sentences: list[Sentence], c: Candidate) -> Sentence | None:
    """The rule sentence (sorted by start) a candidate starts in."""
    i = bisect_right(sentences, c.start, key=lambda s: s.start) - 1
    return sentences[i] if i >= 0 and c.start < sentences[i].end + 1 else None


@stage("argument-units")
def argument_units(state: DocState) -> None:
    """Claims by the learned model: the document's own argumentative sentences (after "claims")."""
    model, _, _ = _model(state)
    skip = state.reference_spans + quoted_spans(state.posts) + state.title_spans
    cands = candidates(state.pdocs, skip, model.splitter)
    profiles = model.unit_profiles(cands)
    claimed = set(model.claims(profiles[:, 0]))
    state.argument_units = (model, cands, profiles, [])
    for s in state.sentences:
        s.claims = [c for c in s.claims if c.rule not in RULE_THESES]
    chosen = state.argument_units[3]
    # sentences the rules gave an attributed or quoted claim, before any unit of ours is added
    # (a sentence cut into several units gets a claim for each of them)
    ruled = {id(s) for s in state.sentences if any(cl.kind != "negated" for cl in s.claims)}
    for i, c in enumerate(cands):
        sentence = _sentence_of(state.sentences, c)
        if sentence is None or _heading(c):
            continue
        if id(sentence) in ruled:
            chosen.append(i)  # an attributed or quoted claim: a unit, but not ours to add
            continue
        if i not in claimed:
            continue
        p = float(profiles[i, 0])
        text = c.text.rstrip(" .")
        poster = state.poster_at(c.start)
        claim = Claim(text, c.start, c.start + len(text), poster, None, "thesis", p, "learned-unit")
        claim.posted = poster is not None
        sentence.claims.append(claim)
        chosen.append(i)


@stage("argument-relations")
def argument_relations(state: DocState) -> None:
    """Supports/disputes edges from the learned relation model plus the rules' strong ones."""
    rules, sentences = state.rules, state.sentences
    stances = find_stances(sentences, rules)
    stances += reply_stances(state.posts, sentences, rules, state.document.nlp_text)
    stances = [st for st in stances if st.rule in STRONG_STANCES]
    found = state.argument_units
    if found is not None:
        model, cands, profiles, chosen = found
        _, _, relation_t = _model(state)
        linked = {(id(st.source), id(st.target)) for st in stances}
        for edge in model.relations(cands, profiles, chosen, relation_t):
            src, tgt = (
                claim_of(sentences, cands[edge.source]),
                claim_of(sentences, cands[edge.target]),
            )
            if src is None or tgt is None or src is tgt or (id(src), id(tgt)) in linked:
                continue
            s = cands[edge.source]
            rule = "learned-support" if edge.relation == "supports" else "learned-dispute"
            confidence = round(edge.confidence, 3)
            if confidence == 0.0:  # the model's structural fallback, not a scored pair
                rule, confidence = "structural-support", STRUCTURAL_CONFIDENCE
            stances.append(Stance(src, edge.relation, tgt, s.start, s.end, confidence, rule))
    add_stance_edges(state, stances)


def claim_of(sentences: list[Sentence], c: Candidate) -> Claim | None:
    """The claim a candidate unit stands for: the one made from it (a clause's own claim, not
    the first clause's of its sentence), else the sentence's first attributed or quoted one."""
    sentence = _sentence_of(sentences, c)
    if sentence is None:
        return None
    claims = [cl for cl in sentence.claims if cl.kind != "negated"]
    own = next((cl for cl in claims if cl.start == c.start and cl.rule == "learned-unit"), None)
    return own or (claims[0] if claims else None)
