"""The rule-based extraction stages and `extract_document`, which runs the configured ones.

The default order (ingest/rules.toml, `[pipeline] stages`) matters: works first (their titles
must not be read as people, their reference entries not as claims), then posts and people,
work nodes (their authors are people), events, claims, claim nodes, and stance last.
"""

from __future__ import annotations

from collections import Counter

from claimgraph.graph.identity import claim_key, fold, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.ingest.citation_claims import cited_claim, rebuttal_claims
from claimgraph.ingest.claims import Claim, ClaimFinder
from claimgraph.ingest.events import EventFinder
from claimgraph.ingest.people import PeopleFinder, plausible_name
from claimgraph.ingest.stages import run_stages, stage
from claimgraph.ingest.stance import Stance, cue_regex, find_stances, reply_stances
from claimgraph.ingest.state import DocState
from claimgraph.ingest.theses import post_thesis, thesis_claims
from claimgraph.ingest.threads import find_posts, quoted_spans
from claimgraph.ingest.works import WorkMention, find_works

LABEL_CHARS = 140


def _label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def extract_document(document: Document, pdocs: list[tuple[int, object]], rules) -> Extraction:
    """Read one document; `pdocs` are (offset, spaCy Doc) pairs of its passages in order."""
    state = DocState(document, pdocs, rules)
    run_stages(state, rules.stages)
    return state.extraction


@stage("works")
def extract_works(state: DocState) -> None:
    """Works cited: titles, reference entries and footnotes (later stages skip them)."""
    state.works = find_works(state.document, state.pdocs, state.rules.reference_tagger)
    state.title_spans = [(w.start, w.end) for w in state.works]
    state.reference_spans = [(w.cite_start, w.cite_end) for w in state.works if _is_reference(w)]
    state.subject = next((w.title for w in state.works if w.is_subject), None)


@stage("posts")
def extract_posts(state: DocState) -> None:
    """Posts and their posters, when the document is a discussion thread."""
    state.posts = find_posts(state.text, state.rules.thread_headers, state.rules.not_posters)


@stage("people")
def extract_people(state: DocState) -> None:
    """People: names in the text, posters and work authors, merged into Person nodes."""
    rules, text = state.rules, state.text
    finder = PeopleFinder(rules, rules.aliases)
    for post in state.posts:
        finder.add(post.author, "thread-poster", weight=2, checked=False)
    for base, doc in state.pdocs:
        # Inside reference entries only the parsed authors are people, not publishers.
        finder.scan(doc, base, state.title_spans + state.reference_spans)
    for w in state.works:
        for a in w.authors:
            finder.add(a, "work-author", weight=2)
    people = state.people = finder.resolve(text, state.title_spans)
    surnames = Counter(fold(label.split()[-1]) for label in people)
    for label, p in people.items():
        for form in sorted({label, *p.aliases}):
            state.surface[fold(form)] = label
        if surnames[fold(label.split()[-1])] == 1:
            state.surface.setdefault(fold(label.split()[-1]), label)
    for label, p in people.items():
        state.extraction.add_node(
            Node(
                "Person",
                node_key("Person", label),
                label,
                set(p.aliases),
                [Mention(s, e) for s, e in p.mentions],
                rule=p.rule,
            )
        )


@stage("work-nodes")
def add_work_nodes(state: DocState) -> None:
    """Work nodes with their authors, and a `cites` edge to each mention."""
    ex = state.extraction
    for w in state.works:
        authors = [k for k in (state.person_key(a) for a in w.authors) if k]
        key = node_key("Work", w.title)
        state.work_keys[fold(w.title)] = key
        node = ex.add_node(
            Node(
                "Work",
                key,
                w.title,
                set(),
                [Mention(w.start, w.end)],
                subtype=w.subtype,
                authors=authors,
                date=w.year,
                identifiers=list(w.identifiers),
                confidence=w.confidence,
                rule=w.rule,
            )
        )
        ex.add_edge(Edge(DOC, "cites", node.key, w.cite_start, w.cite_end, w.confidence, w.rule))


@stage("events")
def extract_events(state: DocState) -> None:
    """Events, named or headed by an event noun, that are not people: Event nodes."""
    events = EventFinder(state.rules, set(state.people))
    events.scan_names(state.text)
    for base, doc in state.pdocs:
        events.scan(doc, base, state.title_spans + state.reference_spans)
    state.events = events.resolve()
    for ev in state.events.values():
        if state.who(ev.label):
            continue
        state.extraction.add_node(
            Node(
                "Event",
                node_key("Event", ev.label),
                ev.label,
                ev.aliases,
                [Mention(s, e) for s, e in ev.mentions],
                date=ev.date,
                rule=ev.rule,
            )
        )


@stage("claims")
def extract_claims(state: DocState) -> None:
    """Claims by rule: attributed statements, cited findings, theses, rebuttals."""
    text, rules, who = state.text, state.rules, state.who
    # Possessives ("Y's comments") name whose something is, not who speaks: not candidates.
    state.person_mentions = sorted(
        (m.start, n.label)
        for n in state.extraction.nodes.values()
        if n.kind == "Person"
        for m in n.mentions
        if text[m.end : m.end + 2] not in ("’s", "'s")
    )
    claims = state.claims = ClaimFinder(
        rules, who, state.work_at, state.subject, state.person_before, state.poster_at
    )
    last_person: list[str] = []  # carried across paragraphs: "He" often opens one
    not_own_words = state.reference_spans + quoted_spans(state.posts)
    for i, (base, doc) in enumerate(state.pdocs):
        claims.scan(doc, base, i, not_own_words, last_person)
    for w in state.works:
        if _is_reference(w):
            continue
        authors = [who(a) for a in w.authors]
        author = next((a for a in authors if a), None)
        cited_claim(
            claims.sentences, state.document.nlp_text, w.cite_start, w.cite_end, author, w.title
        )
    thesis_claims(claims.sentences, rules.claim_threshold, claims.work_at)
    rebuttal_claims(claims.sentences, cue_regex(rules.dispute_cues))
    for s in claims.sentences:
        for c in s.claims:
            poster = state.poster_at(c.start) if c.author is None and c.kind == "thesis" else None
            if poster:
                c.author, c.posted = poster, True
    for post in state.posts:
        poster = who(post.author)
        if poster:
            post_thesis(claims.sentences, post.start, post.end, poster, rules)


@stage("claim-nodes")
def add_claim_nodes(state: DocState) -> None:
    """Claim nodes: the author, work, source text and subjects of each claim."""
    works_by_author: dict[str, list[str]] = {}
    for w in state.works:
        for a in w.authors:
            label = state.who(a)
            if label:
                works_by_author.setdefault(label, []).append(w.title)
    mentions_index = [
        (m.start, m.end, n.key)
        for n in state.extraction.nodes.values()
        if n.kind in ("Person", "Work", "Event")
        for m in n.mentions
    ]
    nlp_text = state.document.nlp_text
    for s in state.sentences:
        for c in s.claims:
            if c.work is None and c.author:
                # What an author says in a summary of their work comes from that work.
                own = list(dict.fromkeys(works_by_author.get(c.author, [])))
                if state.subject in own:
                    c.work = state.subject
                elif len(own) == 1:
                    c.work = own[0]
            if c.text == nlp_text[c.start : c.end]:
                c.text = state.text[c.start : c.end]  # the source's characters, not the masked
            _claim_node(state, c, mentions_index)


@stage("stance")
def extract_stance(state: DocState) -> None:
    """`supports`/`disputes` edges from cue words, argument structure and replies."""
    rules, sentences = state.rules, state.sentences
    stances = find_stances(sentences, rules)
    stances += reply_stances(state.posts, sentences, rules, state.document.nlp_text)
    add_stance_edges(state, stances)


def add_stance_edges(state: DocState, stances: list[Stance]) -> None:
    """Record `stances` and add their edges: claim or work or document -> a Claim node."""
    state.stances.extend(stances)
    for st in stances:
        target = state.claim_keys.get(id(st.target))
        if target is None:
            continue
        if isinstance(st.source, Claim):
            source = state.claim_keys.get(id(st.source))
        elif st.source.startswith("work:"):
            source = state.work_keys.get(fold(st.source[5:]))
        else:
            source = DOC
        if source is None or source == target:
            continue
        state.extraction.add_edge(
            Edge(source, st.relation, target, st.start, st.end, st.confidence, st.rule)
        )


def _is_reference(w: WorkMention) -> bool:
    return w.rule.startswith(("reference", "footnote"))


def _claim_node(state: DocState, c: Claim, mentions_index: list[tuple[int, int, str]]) -> None:
    text = " ".join(c.text.split())
    key = claim_key(text)
    state.claim_keys[id(c)] = key
    authors = [k for k in [state.person_key(c.author)] if k] if c.author else []
    work = state.work_keys.get(fold(c.work)) if c.work else None
    about = sorted({k for s, e, k in mentions_index if c.start <= s < c.end})
    state.extraction.add_node(
        Node(
            "Claim",
            key,
            _label(text),
            set(),
            [Mention(c.start, c.end)],
            authors=authors,
            text=text,
            about=about,
            work=work,
            confidence=c.confidence,
            rule=c.rule,
        )
    )


__all__ = ["add_stance_edges", "extract_document", "plausible_name"]
