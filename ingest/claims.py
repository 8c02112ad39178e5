"""Claims that someone is reported to hold: attributed statements ("X argues that ...",
"..., as X notes"), quoted statements and negated alternatives ("not A but B"), each with
its offsets.

Each sentence becomes a `Sentence` with the claims read from it and its thesis score, so that
later steps can add the document's own theses (`theses.py`) and cited claims
(`citation_claims.py`), and stance rules can look at neighbouring sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.ingest.claim_syntax import (
    clause_text,
    find_subject,
    independent_clause,
    statement_parts,
    subtree_span,
    thesis_features,
)

_QUOTE = re.compile(r"[“\"]([^”\"]{12,400})[”\"]")
_NOT_BUT = re.compile(
    r"^(?P<subj>\w[^,;:—]{2,80}?) (?P<cop>was|is|were|are|has been|had been) not "
    r"(?:only |merely |just |simply )?(?P<neg>[^;:—]{4,120}?)(?:,? nor [^;:—]{3,120}?)?,? but "
    r"(?P<pos>.{4,})$"
)
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
            info.parts = statement_parts(sent, info.text, self.rules.framing_words)
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
        sub = subtree_span(subj)
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
            span = subtree_span(comp)
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
        if not toks or toks[0].pos_ == "ADP" or not independent_clause(toks):
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
            aside = subtree_span(verb)
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
        features = thesis_features(sent, info.text, info.lower, info.first_in_paragraph, self.rules)
        info.statement = bool(features)
        weights = self.rules.claim_weights
        return sum(weights.get(name, 0.0) for name, on in features.items() if on)
