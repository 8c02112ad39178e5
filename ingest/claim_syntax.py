"""The syntax the claim rules read in a spaCy sentence: clause spans, the subject a verb's
statement belongs to, imperatives, framed statements, and the features that make a sentence
one of the document's theses. Plain functions of parsed tokens and the word lists they are
given; they keep no state.
"""

from __future__ import annotations

import re

_EVALUATIVE = {
    "impossible",
    "essential",
    "vital",
    "absurd",
    "obviously",
    "clearly",
    "certainly",
    "undeniably",
    "fundamentally",
    "entirely",
    "completely",
    "crucially",
    "purely",
    "precisely",
    "merely",
    "false",
    "wrong",
}
_QUOTE_MARK = re.compile(r"[“\"]")
_SECOND_PERSON = {"you", "your", "yours", "yourself"}
_FIRST_PERSON = {"i", "me", "my", "we", "our", "us"}


def clause_text(span) -> tuple[str, int, int]:
    """A clause as text with its character offsets, without a leading 'that' or trailing stop."""
    toks = list(span)
    while toks and (toks[0].lower_ in ("that", ",", "—", ":") or toks[0].is_space):
        toks = toks[1:]
    while toks and (
        toks[-1].is_punct and toks[-1].text not in (")", "”", '"') or toks[-1].is_space
    ):
        toks = toks[:-1]
    if not toks:
        return "", 0, 0
    doc = toks[0].doc
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    end = start + _quoted_end(doc.text[start:end])
    return doc.text[start:end], start, end


def _quoted_end(text: str) -> int:
    """Where a statement that opens a quotation ends: at its closing mark when more words
    follow it ('“A,” and then B' -> '“A,”'); otherwise the whole text."""
    if not text.startswith(("“", '"')):
        return len(text)
    close = text.find("”" if text[0] == "“" else '"', 1)
    if close < 0 or len(text[1:close].split()) < 4 or not re.search(r"\w", text[close + 1 :]):
        return len(text)
    # Only where a clause boundary follows: '“Socialism in one country” was ...' stays whole.
    if text[close - 1] in ",;" or re.match(r"\)?\s*(?:[,;—]|and\b|but\b)", text[close + 1 :]):
        return close + 1
    return len(text)


_CLIMB = ("advcl", "xcomp", "conj", "pcomp", "prep", "acl", "relcl", "pobj")


def find_subject(tok):
    """The subject a verb's statement belongs to, climbing participles and prepositions:
    'X, who jumped to condemn Y, insisting that ...' -> X's 'who'."""
    for _ in range(5):
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head
        if tok.dep_ not in _CLIMB or tok.head is tok:
            return None
        tok = tok.head
    return None


def subtree_span(tok):
    """The span a token's subtree covers."""
    sub = list(tok.subtree)
    return tok.doc[sub[0].i : sub[-1].i + 1]


def is_imperative(sent) -> bool:
    """Whether a sentence opens with a bare verb that has no subject ("See the list below.")."""
    first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
    root = sent.root
    return (
        first is not None
        and first.i == root.i
        and root.tag_ == "VB"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
    )


def is_evidential(sent, nouns: frozenset[str]) -> bool:
    """'There is ample evidence that ...', 'there's no reason to ...': an argued statement."""
    return any(
        t.dep_ == "expl"
        and any(c.dep_ in ("attr", "nsubj") and c.lemma_.lower() in nouns for c in t.head.children)
        for t in sent
    )


def independent_clause(tokens) -> bool:
    """Whether tokens read as a clause of their own: a finite verb, not a participle phrase."""
    return tokens[0].tag_ not in ("VBG", "VBN", "TO") and any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in tokens
    )


def statement_parts(sent, text: str, framing: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where a sentence's statements are when not the whole of it (offsets into `text`):
    after a colon that a framing clause opens ("One thing is clear: A"), or the two
    alternatives of "Either A, or B"."""
    lead = len(sent.text) - len(sent.text.lstrip())
    toks = [t for t in sent if not t.is_space]
    colon = next((i for i, t in enumerate(toks) if t.text == ":"), None)
    if colon and 0 < colon < len(toks) - 4:
        pre, post = toks[:colon], toks[colon + 1 :]
        if any(t.lemma_.lower() in framing for t in pre) and independent_clause(post):
            return [(post[0].idx - sent.start_char - lead, len(text), "framed-statement")]
    m = _EITHER_OR.match(text)
    if m and len(m.group("a").split()) >= 4 and len(m.group("b").split()) >= 4:
        return [(m.start("a"), m.end("a"), "either-or"), (m.start("b"), m.end("b"), "either-or")]
    return []


_EITHER_OR = re.compile(r"^Either (?P<a>[^;:]+?),? or (?P<b>[^;:]+?)[.;]?$")


def thesis_features(
    sent, text: str, lower: str, first_in_paragraph: bool, rules
) -> dict[str, bool]:
    """The thesis features a sentence has (`rules.claim_weights` weighs them); none for
    questions, headings and fragments. `lower` is `text` lower-cased with straight quotes."""
    toks = [t for t in sent if not t.is_space]
    n = len(toks)
    if n < 6 or text.endswith(("?", ":")) or not any(t.pos_ in ("VERB", "AUX") for t in toks):
        return {}
    if text[-1] not in '.!”"’)' and n < 12:
        return {}  # a heading or a list fragment
    if is_imperative(sent):
        return {}  # "Consider the following.": a directive, not an assertion
    words = {t.lower_ for t in toks}
    root = sent.root
    return {
        "superlative": any(t.tag_ in ("JJS", "RBS") for t in toks),
        "past_perfect_or_aux": any(
            c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in root.children
        ),
        "proper_noun_subject": any(t.dep_ == "nsubj" and t.pos_ == "PROPN" for t in toks),
        "quotation": bool(_QUOTE_MARK.search(text)),
        "names_a_person": any(e.label_ == "PERSON" for e in sent.ents),
        "passive": any(t.dep_ == "nsubjpass" for t in toks),
        "long": n > 40,
        "clausal_complement": any(t.dep_ == "ccomp" for t in toks),
        "past_tense": root.tag_ in ("VBD", "VBN"),
        "date": any(e.label_ == "DATE" for e in sent.ents),
        "numbers": any(t.like_num for t in toks),
        "negation": any(t.dep_ == "neg" for t in toks),
        "not_but": any(t.dep_ == "neg" for t in toks) and " but " in lower,
        "evaluative": bool(words & _EVALUATIVE),
        "first_in_paragraph": first_in_paragraph,
        "copula_adjective": root.lemma_ == "be" and any(c.dep_ == "acomp" for c in root.children),
        "first_person": bool(words & _FIRST_PERSON),
        "second_person": bool(words & _SECOND_PERSON),
        "short": n < 12,
        "conclusion_opener": any(lower.startswith(c + " ") for c in rules.conclusion),
        "aside": text.startswith("("),
        "evidential": is_evidential(sent, rules.evidence_nouns),
    }
