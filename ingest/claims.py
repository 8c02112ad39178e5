"""Claims: attributed statements ("X argues that ...", "..., as X notes"), quoted statements,
negated alternatives ("not A but B"), and the document's own theses (the statement after a
framing colon, both alternatives of "either A or B"), each with its offsets.

Each sentence becomes a `Sentence` with the claims read from it, so that stance rules can
look at neighbouring sentences afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_QUOTE = re.compile(r"[“\"]([^”\"]{12,400})[”\"]")
_NOT_BUT = re.compile(
    r"^(?P<subj>\w[^,;:—]{2,80}?) (?P<cop>was|is|were|are|has been|had been) not "
    r"(?:only |merely |just |simply )?(?P<neg>[^;:—]{4,120}?)(?:,? nor [^;:—]{3,120}?)?,? but "
    r"(?P<pos>.{4,})$"
)
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
_PRONOUNS = {"he", "she", "they", "his", "her", "their"}
_VAGUE_SUBJECTS = {
    "this",
    "that",
    "these",
    "those",
    "it",
    "they",
    "he",
    "she",
    "we",
    "i",
    "you",
    "there",
    "which",
    "what",
    "the patient",
    "one",
}


@dataclass
class Claim:
    text: str
    start: int
    end: int
    author: str | None = None  # person label
    work: str | None = None  # work title
    kind: str = "thesis"  # attributed | quoted | negated | thesis | according
    confidence: float = 0.5
    rule: str = ""
    verb: str | None = None  # the reporting verb's lemma, for stance strength
    posted: bool = False  # a thread poster's own words: their thesis, not a reported claim


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    first_in_paragraph: bool
    claims: list[Claim] = field(default_factory=list)
    score: float = 0.0
    lower: str = ""
    condemned: str | None = None  # person whose statement this sentence condemns
    condemner: str | None = None  # the person condemning it
    introduces_quote: bool = False  # ends with ':' before a block quotation
    parts: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, rule) in text
    verbs: list[int] = field(default_factory=list)  # offsets of its finite verbs, for text rules
    statement: bool = False  # a declarative sentence (not a question, heading or fragment)


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


def _subtree_span(tok):
    sub = list(tok.subtree)
    return tok.doc[sub[0].i : sub[-1].i + 1]


def _imperative(sent) -> bool:
    """Whether a sentence opens with a bare verb that has no subject ("See the list below.")."""
    first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
    root = sent.root
    return (
        first is not None
        and first.i == root.i
        and root.tag_ == "VB"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
    )


def _evidential(sent, nouns: frozenset[str]) -> bool:
    """'There is ample evidence that ...', 'there's no reason to ...': an argued statement."""
    return any(
        t.dep_ == "expl"
        and any(c.dep_ in ("attr", "nsubj") and c.lemma_.lower() in nouns for c in t.head.children)
        for t in sent
    )


def _independent_clause(tokens) -> bool:
    """Whether tokens read as a clause of their own: a finite verb, not a participle phrase."""
    return tokens[0].tag_ not in ("VBG", "VBN", "TO") and any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in tokens
    )


def _statement_parts(sent, text: str, framing: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where a sentence's statements are when not the whole of it (offsets into `text`):
    after a colon that a framing clause opens ("One thing is clear: A"), or the two
    alternatives of "Either A, or B"."""
    lead = len(sent.text) - len(sent.text.lstrip())
    toks = [t for t in sent if not t.is_space]
    colon = next((i for i, t in enumerate(toks) if t.text == ":"), None)
    if colon and 0 < colon < len(toks) - 4:
        pre, post = toks[:colon], toks[colon + 1 :]
        if any(t.lemma_.lower() in framing for t in pre) and _independent_clause(post):
            return [(post[0].idx - sent.start_char - lead, len(text), "framed-statement")]
    m = _EITHER_OR.match(text)
    if m and len(m.group("a").split()) >= 4 and len(m.group("b").split()) >= 4:
        return [(m.start("a"), m.end("a"), "either-or"), (m.start("b"), m.end("b"), "either-or")]
    return []


_EITHER_OR = re.compile(r"^Either (?P<a>[^;:]+?),? or (?P<b>[^;:]+?)[.;]?$")


# The interjection a reply opens with: "Nonsense, ...", "Good point: ...".
_REPLY_CUE = re.compile(r"^([\w'’+]+(?: [\w'’]+)?)[,!:;]\s+(?=\w)")

# A short label opening a paragraph in notes and summaries: "Archival constraints: ...".
_INLINE_HEADING = re.compile(r"^[A-Z][\w’'-]*(?: [\w’'-]+){0,6}: (?=[A-Z])")


class ClaimFinder:
    """Reads claims sentence by sentence; `who` maps a name-like span to a person label."""

    def __init__(
        self, rules, who, work_at, subject_work: str | None, person_before=None, speaker_at=None
    ):
        self.rules = rules
        self.person_before = person_before or (lambda offset: None)  # nearest person mention
        self.who = who  # (text) -> person label | None
        self.work_at = work_at  # (abs_start, abs_end) -> work title | None
        self.speaker_at = speaker_at or (lambda offset: None)  # offset -> a thread's poster
        self.subject_work = subject_work
        self.sentences: list[Sentence] = []

    def scan(
        self, doc, base: int, paragraph: int, skip: list[tuple[int, int]], last_person: list
    ) -> None:
        speaker, self._intro = self._intro, None
        first = len(self.sentences)
        self._scan_sentences(doc, base, paragraph, skip, last_person)
        if speaker and len(self.sentences) > first:
            self._block_quote(self.sentences[first:], speaker)
        text = doc.text.rstrip()
        if text.endswith(":") and len(self.sentences) > first:
            self._intro = self._introducer(list(doc.sents)[-1], base, last_person)
            self.sentences[-1].introduces_quote = True

    _intro: tuple[str | None, str | None] | None = None

    def _introducer(
        self, sent, base: int, last_person: list
    ) -> tuple[str | None, str | None] | None:
        """Who speaks in the block quotation a sentence ending in ':' introduces."""
        for tok in sent:
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self.rules.reporting_verbs:
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                person, work = self._speaker(subj, base, last_person)
                if person or work:
                    return person, work
        return None

    def _block_quote(self, sentences: list[Sentence], speaker) -> None:
        """The most claim-like sentence of a block quotation, attributed to its speaker."""
        best = max(sentences, key=lambda s: s.score)
        if best.claims or best.score <= 0:
            return
        text = best.text.rstrip(" .")
        best.claims.append(
            Claim(
                text,
                best.start,
                best.start + len(text),
                speaker[0],
                speaker[1],
                "quoted",
                0.6,
                "block-quotation",
            )
        )

    def _scan_sentences(self, doc, base, paragraph, skip, last_person) -> None:
        for i, sent in enumerate(doc.sents):
            s_abs = base + sent.start_char
            if any(a <= s_abs < b for a, b in skip):
                continue
            text = sent.text.strip()
            if not text:
                continue
            info = Sentence(
                s_abs,
                s_abs + len(sent.text.rstrip()),
                text,
                paragraph,
                i == 0,
                lower=text.lower().replace("\u2019", "'").replace("\u2018", "'"),
                verbs=[base + t.idx for t in sent if t.tag_ in ("VBD", "VBZ", "VBP", "MD")],
            )
            self._attributed(sent, base, info, last_person)
            self._fallback(sent, base, info)
            self._according(sent, base, info)
            self._as_reported(sent, base, info, last_person)
            self._quoted(sent, base, info, last_person)
            info.score = self._thesis_score(sent, info)
            info.parts = _statement_parts(sent, info.text, self.rules.framing_words)
            self._condemnation(sent, base, info, last_person)
            for c in list(info.claims):
                self._negated(c, info)
            self.sentences.append(info)
            subject = self._subject_person(sent)
            if subject:
                last_person[:] = [subject]

    def _subject_person(self, sent) -> str | None:
        """The person a sentence is about as its subject ("X shows", "X's book argues")."""
        for tok in sent:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ not in (
                "ROOT",
                "ccomp",
                "conj",
            ):
                continue
            if tok.pos_ == "PROPN":
                left = [c for c in tok.lefts if c.dep_ == "compound"]
                return self.who(sent.doc[left[0].i if left else tok.i : tok.i + 1].text)
            owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            if owner is not None and tok.lemma_.lower() in self.rules.research_nouns:
                return self.who(owner.text)
        return None

    # -- attribution --------------------------------------------------------------------
    def _speaker(self, subj, base: int, last_person: list) -> tuple[str | None, str | None]:
        """(person label, work title) a subject token stands for."""
        if subj is None:
            return None, None
        if subj.lower_ in ("who", "which", "that") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "X, who said ..." speaks for X
        if subj.lower_ in _PRONOUNS:
            near = self.person_before(base + subj.idx, base + subj.sent.start_char)
            if near or last_person:
                return near or last_person[0], None
        named = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None and subj.pos_ == "NOUN":
            subj = named  # "The economist X argues": X speaks
        left = [c for c in subj.lefts if c.dep_ in ("compound", "amod") and c.pos_ == "PROPN"]
        name_span = subj.doc[left[0].i if left else subj.i : subj.i + 1]
        person = self.who(name_span.text)
        sub = _subtree_span(subj)
        work = self.work_at(base + sub.start_char, base + sub.end_char)
        if person:
            return person, work
        owner = next((c for c in subj.children if c.dep_ == "poss"), None)
        if owner is not None and subj.lemma_.lower() in self.rules.research_nouns:
            if owner.lower_ in _PRONOUNS:
                near = self.person_before(base + owner.idx, base + owner.sent.start_char)
                if near or last_person:
                    return near or last_person[0], work
            lefts = [c for c in owner.lefts if c.dep_ == "compound"]
            span = owner.doc[lefts[0].i if lefts else owner.i : owner.i + 1]
            p = self.who(span.text)
            if p:
                return p, work
            if owner.lower_ in ("book", "book’s", "study", "work") or span.text.lower().startswith(
                "the book"
            ):
                return None, work or self.subject_work
        if subj.lemma_.lower() in self.rules.work_nouns and any(
            c.lower_ == "the" for c in subj.children
        ):
            return None, work or self.subject_work
        return None, work

    def _attributed(self, sent, base: int, info: Sentence, last_person: list) -> None:
        for tok in sent:
            if (
                tok.pos_ not in ("VERB", "AUX")
                or tok.lemma_.lower() not in self.rules.reporting_verbs
            ):
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                continue
            subj = find_subject(tok)
            person, work = self._speaker(subj, base, last_person)
            if subj is None and tok.tag_ in ("VBG", "VBN"):
                person = self.person_before(base + tok.idx, base + sent.start_char)
            if subj is not None and subj.lower_ in ("i", "we") and not person:
                person = self.speaker_at(base + tok.idx)  # "I think that ..." in a post
                if not person:
                    continue  # the document's author: a thesis, scored below
            if not person and not work:
                continue
            span = _subtree_span(comp)
            text, s, e = clause_text(span)
            if len(text.split()) < 4:
                continue
            strong = tok.lemma_.lower() in (
                "document",
                "show",
                "demonstrate",
                "prove",
                "reveal",
                "establish",
                "confirm",
            )
            info.claims.append(
                Claim(
                    text,
                    base + s,
                    base + e,
                    person,
                    work,
                    "attributed",
                    0.8 if strong else 0.7,
                    "reporting-verb-clause",
                    tok.lemma_.lower(),
                )
            )

    def _condemnation(self, sent, base: int, info: Sentence, last_person: list) -> None:
        """'X condemned Y's comments': X's statements here dispute Y's."""
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.rules.condemn_verbs:
                continue
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is None or obj.lemma_.lower() not in self.rules.statement_nouns:
                continue
            owner = next((c for c in obj.children if c.dep_ == "poss"), None)
            if owner is None:
                continue
            lefts = [c for c in owner.lefts if c.dep_ == "compound"]
            target = self.who(sent.doc[lefts[0].i if lefts else owner.i : owner.i + 1].text)
            person, _work = self._speaker(find_subject(tok), base, last_person)
            if target and person != target:
                info.condemned, info.condemner = target, person
                return

    def _fallback(self, sent, base: int, info: Sentence) -> None:
        """'X documents how ...' when the tagger read the verb as a noun: a surface pattern."""
        if info.claims:
            return
        verbs = "|".join(sorted(self.rules.reporting_verbs_3sg))
        m = re.match(
            rf"^(?:[^:]{{0,60}}:\s*)?(?P<who>[A-Z][\w’'.-]+(?:\s[A-Z][\w’'.-]+){{0,3}}?)(?:['’]s\s+(?P<noun>\w+))?"
            rf"\s+(?:{verbs})\s+(?:that\s+|how\s+|why\s+)?(?P<rest>.{{12,}})$",
            sent.text,
        )
        if not m:
            return
        person = self.who(m.group("who"))
        if not person or (
            m.group("noun") and m.group("noun").lower() not in self.rules.research_nouns
        ):
            return
        rest = m.group("rest").rstrip(" .")
        s0 = base + sent.start_char + m.start("rest")
        toks = [t for t in sent if t.idx >= sent.start_char + m.start("rest")]
        if not toks or toks[0].pos_ == "ADP" or not _independent_clause(toks):
            return  # "X writes about Y", "X documents the machinery": an object, not a statement
        info.claims.append(
            Claim(
                rest, s0, s0 + len(rest), person, None, "attributed", 0.65, "reporting-verb-surface"
            )
        )

    def _according(self, sent, base: int, info: Sentence) -> None:
        if not info.claims:
            self._parenthetical(sent, base, info)
        if info.claims:
            return
        low = sent.text.lower()
        for cue in self.rules.according_to:
            pos = low.find(cue)
            if pos < 0:
                continue
            after = sent.text[pos + len(cue) :]
            m = re.match(r"\s*([^,;:]{2,60})", after)
            if not m:
                continue
            person = self.who(m.group(1).strip())
            work = self.work_at(base + sent.start_char + pos, base + sent.end_char)
            if not person and not work:
                continue
            rest_start = pos + len(cue) + m.end()
            if pos < 3:  # "According to X, CLAIM."
                body = sent.text[rest_start:].lstrip(" ,")
                s = sent.start_char + len(sent.text) - len(body)
            else:  # "CLAIM, according to X."
                body = sent.text[:pos].rstrip(" ,")
                s = sent.start_char
            body = body.rstrip(" .;")
            if len(body.split()) >= 4:
                info.claims.append(
                    Claim(
                        body,
                        base + s,
                        base + s + len(body),
                        person,
                        work,
                        "according",
                        0.7,
                        "according-to",
                    )
                )

    def _as_reported(self, sent, base: int, info: Sentence, last_person: list) -> None:
        """'CLAIM, as X notes.' / 'As X has shown, CLAIM.': the sentence without the aside."""
        if info.claims:
            return
        for tok in sent:
            verb = tok.head
            if not (
                tok.lower_ == "as"
                and tok.dep_ == "mark"
                and verb.dep_ == "advcl"
                and verb.lemma_.lower() in self.rules.reporting_verbs
                and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children)
            ):
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            aside = _subtree_span(verb)
            if aside.start == sent.start:
                body = sent.doc[aside.end : sent.end]
            elif all(t.is_punct for t in sent.doc[aside.end : sent.end]):
                body = sent.doc[sent.start : aside.start]
            else:
                continue
            text, s, e = clause_text(body)
            if len(text.split()) < 5:
                continue
            person, work = self._speaker(subj, base, last_person)
            info.claims.append(
                Claim(text, base + s, base + e, person, work, "according", 0.7, "as-reported")
            )
            return

    def _parenthetical(self, sent, base: int, info: Sentence) -> None:
        """'CLAIM, says X in Y, CLAIM.' / 'A, according to X, B.': the aside removed."""
        verbs = "|".join(sorted(self.rules.reporting_verbs_3sg))
        cues = "|".join(re.escape(c) for c in self.rules.according_to)
        m = re.search(rf",\s*(?:{cues}|(?:{verbs}))\s+([^,;]{{2,90}}?),\s*", sent.text)
        if not m or m.start() < 8:
            return
        who = m.group(1)
        person = self.who(re.split(r"\s+in\s+", who)[0])
        work = self.work_at(base + sent.start_char + m.start(1), base + sent.start_char + m.end(1))
        if not (person or work):
            return
        text = (sent.text[: m.start()] + " " + sent.text[m.end() :]).strip().rstrip(" .")
        if len(text.split()) >= 5:
            s0 = base + sent.start_char
            info.claims.append(
                Claim(
                    text,
                    s0,
                    s0 + len(sent.text.rstrip()),
                    person,
                    work,
                    "according",
                    0.7,
                    "parenthetical-attribution",
                )
            )

    def _quoted(self, sent, base: int, info: Sentence, last_person: list) -> None:
        """Quotations that speech verbs attribute: 'calling X “...”', 'accused Y of “...”'.

        Several speakers may share a sentence; each verb whose words hold a quotation and do
        not overlap a claim already read gives one claim.
        """
        at = base + sent.start_char
        quotes = [
            m
            for m in _QUOTE.finditer(sent.text)
            if len(m.group(1).split()) >= 3
            # a title in quotation marks names a work, it states nothing
            and len(self.work_at(at + m.start(), at + m.end()) or "") < 0.8 * len(m.group(1))
        ]
        if not quotes:
            return
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.rules.reporting_verbs:
                continue
            right = [t for t in tok.subtree if t.i > tok.i]
            if not right:
                continue
            start, end = right[0].idx, right[-1].idx + len(right[-1].text)
            rel = start - sent.start_char, end - sent.start_char
            if not any(rel[0] <= q.start() < rel[1] for q in quotes):
                continue
            if any(c.start < base + end and base + start < c.end for c in info.claims):
                continue
            subj = find_subject(tok)
            person, work = self._speaker(subj, base, last_person)
            if subj is None and tok.tag_ in ("VBG", "VBN"):
                person = self.person_before(base + tok.idx, base + sent.start_char)
            if not (person or work):
                continue
            text = sent.doc.text[start:end].rstrip(" ,.;")
            if len(text.split()) < 4:
                continue
            info.claims.append(
                Claim(
                    text,
                    base + start,
                    base + start + len(text),
                    person,
                    work,
                    "quoted",
                    0.65,
                    "attributed-quotation",
                    tok.lemma_.lower(),
                )
            )

    # -- negated alternatives -----------------------------------------------------------
    def _negated(self, claim: Claim, info: Sentence) -> None:
        """'X shows that A was not B but C': the claim 'A was B', which X disputes. Only for
        reported statements: in the document's own voice "not B but C" is mostly rhetoric."""
        if claim.kind not in ("attributed", "quoted", "according"):
            return
        m = _NOT_BUT.match(claim.text)
        if not m or m.group("subj").split()[0].lower() in _VAGUE_SUBJECTS:
            return
        neg = f"{m.group('subj')} {m.group('cop')} {m.group('neg')}".strip()
        off = claim.start + m.start("neg")
        c = Claim(neg, off, claim.start + m.end("neg"), None, None, "negated", 0.6, "not-x-but-y")
        c.denied_by = claim  # type: ignore[attr-defined]
        info.claims.append(c)

    # -- theses -------------------------------------------------------------------------
    def _thesis_score(self, sent, info: Sentence) -> float:
        """How likely the sentence states one of the document's claims (rules.claim_weights)."""
        features = self._features(sent, info)
        info.statement = bool(features)
        weights = self.rules.claim_weights
        return sum(weights.get(name, 0.0) for name, on in features.items() if on)

    def _features(self, sent, info: Sentence) -> dict[str, bool]:
        """The thesis features a sentence has; none for questions, headings and fragments."""
        toks = [t for t in sent if not t.is_space]
        n = len(toks)
        if (
            n < 6
            or info.text.endswith(("?", ":"))
            or not any(t.pos_ in ("VERB", "AUX") for t in toks)
        ):
            return {}
        if info.text[-1] not in '.!”"’)' and n < 12:
            return {}  # a heading or a list fragment
        if _imperative(sent):
            return {}  # "Consider the following.": a directive, not an assertion
        words = {t.lower_ for t in toks}
        root = sent.root
        return {
            "superlative": any(t.tag_ in ("JJS", "RBS") for t in toks),
            "past_perfect_or_aux": any(
                c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in root.children
            ),
            "proper_noun_subject": any(t.dep_ == "nsubj" and t.pos_ == "PROPN" for t in toks),
            "quotation": bool(_QUOTE_MARK.search(info.text)),
            "names_a_person": any(e.label_ == "PERSON" for e in sent.ents),
            "passive": any(t.dep_ == "nsubjpass" for t in toks),
            "long": n > 40,
            "clausal_complement": any(t.dep_ == "ccomp" for t in toks),
            "past_tense": root.tag_ in ("VBD", "VBN"),
            "date": any(e.label_ == "DATE" for e in sent.ents),
            "numbers": any(t.like_num for t in toks),
            "negation": any(t.dep_ == "neg" for t in toks),
            "not_but": any(t.dep_ == "neg" for t in toks) and " but " in info.lower,
            "evaluative": bool(words & _EVALUATIVE),
            "first_in_paragraph": info.first_in_paragraph,
            "copula_adjective": root.lemma_ == "be"
            and any(c.dep_ == "acomp" for c in root.children),
            "first_person": bool(words & _FIRST_PERSON),
            "second_person": bool(words & _SECOND_PERSON),
            "short": n < 12,
            "conclusion_opener": any(info.lower.startswith(c + " ") for c in self.rules.conclusion),
            "aside": info.text.startswith("("),
            "evidential": _evidential(sent, self.rules.evidence_nouns),
        }

    def theses(self, threshold: float) -> None:
        """Make a document-level claim of every sentence without claims scoring >= threshold."""
        for info in self.sentences:
            if info.claims or info.score < threshold:
                continue
            confidence = min(0.9, 0.3 + 0.1 * info.score)
            for a, b, rule in info.parts or [(0, len(info.text), "thesis-sentence")]:
                text = info.text[a:b].rstrip(" .")
                start = info.start + a
                label = _INLINE_HEADING.match(text)
                if label and not self.work_at(
                    start, start + label.end()
                ):  # "Method notes: Hallin measured ..." -> the statement only
                    start += label.end()
                    text = text[label.end() :]
                info.claims.append(
                    Claim(text, start, start + len(text), None, None, "thesis", confidence, rule)
                )

    def main_statement(self, start: int, end: int, author: str) -> None:
        """A thread post that made no claim so far: its best-scoring statement is the
        poster's claim (a post is short and usually makes one point)."""
        inside = [s for s in self.sentences if start <= s.start < end]
        if any(s.claims for s in inside):
            return
        best = max((s for s in inside if s.statement), key=lambda s: s.score, default=None)
        if best is not None:
            text, start = best.text.rstrip(" ."), best.start
            cue = _REPLY_CUE.match(text)  # "Nonsense, the survey ..." -> "the survey ..."
            cues = {c.strip(" ,.!?") for c in (*self.rules.reply_agree, *self.rules.reply_disagree)}
            if cue and cue.group(1).lower() in cues:
                text, start = text[cue.end() :], start + cue.end()
            c = Claim(text, start, start + len(text), author, None, "thesis", 0.5)
            c.rule, c.posted = "post-thesis", True
            best.claims.append(c)

    def cited(self, text: str, start: int, end: int, author: str | None, work: str) -> None:
        """'X (Author, Title)': the clause before a parenthetical citation is that work's claim."""
        info = next((s for s in self.sentences if s.start <= start < s.end + 1), None)
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

    def rebuttals(self, dispute_cues) -> None:
        """'It can't be A (cited) or B (cited); these estimates are wrong': after ';' the
        author answers the cited claims of the same sentence."""
        for info in self.sentences:
            cited = [
                c for c in info.claims if c.kind in ("cited", "attributed", "quoted", "according")
            ]
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
