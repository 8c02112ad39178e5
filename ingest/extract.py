"""One document's extraction: works, people, events, claims and stance, as graph.model data.

Order matters and is fixed: works first (their titles must not be read as people, their
reference entries not as claims), then people, events, claims, and stance last.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from claimgraph.graph.identity import claim_key, fold, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.ingest.claims import Claim, ClaimFinder
from claimgraph.ingest.events import EventFinder
from claimgraph.ingest.people import PeopleFinder, compatible, plausible_name
from claimgraph.ingest.stance import cue_regex, find_stances, reply_stances
from claimgraph.ingest.threads import find_posts, post_at, quoted_spans
from claimgraph.ingest.works import WorkMention, find_works

LABEL_CHARS = 140


def _label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def extract_document(document: Document, pdocs: list[tuple[int, object]], rules) -> Extraction:
    """Read one document; `pdocs` are (offset, spaCy Doc) pairs of its passages in order."""
    text = document.text
    ex = Extraction()

    # -- works --------------------------------------------------------------------------
    works: list[WorkMention] = find_works(document, pdocs)
    title_spans = [(w.start, w.end) for w in works]
    reference_spans = [
        (w.cite_start, w.cite_end) for w in works if w.rule.startswith(("reference", "footnote"))
    ]
    subject = next((w.title for w in works if w.is_subject), None)

    posts = find_posts(text, rules.thread_headers, rules.not_posters)

    # -- people -------------------------------------------------------------------------
    finder = PeopleFinder(rules, rules.aliases)
    for post in posts:
        finder.add(post.author, "thread-poster", weight=2, checked=False)
    for base, doc in pdocs:
        # Inside reference entries only the parsed authors are people, not publishers.
        finder.scan(doc, base, title_spans + reference_spans)
    for w in works:
        for a in w.authors:
            finder.add(a, "work-author", weight=2)
    people = finder.resolve(text, title_spans)
    surface: dict[str, str] = {}
    surnames = Counter(fold(label.split()[-1]) for label in people)
    for label, p in people.items():
        for form in sorted({label, *p.aliases}):
            surface[fold(form)] = label
        if surnames[fold(label.split()[-1])] == 1:
            surface.setdefault(fold(label.split()[-1]), label)

    def who(name: str) -> str | None:
        """The person a name-like string stands for: whole, or its last two or one words."""
        key = fold(name).replace("’s", "").replace("'s", "").strip(" ,.")
        parts = key.split()
        for n in (len(parts), 2, 1):
            tail = " ".join(parts[-n:]) if parts else ""
            if tail in surface and (n == len(parts) or len(parts) <= 4):
                return surface[tail]
        return None

    def person_key(name: str) -> str | None:
        label = who(name)
        if label is None:
            label = next((lab for lab in people if compatible(name, lab)), None)
        return node_key("Person", label) if label else None

    for label, p in people.items():
        ex.add_node(
            Node(
                "Person",
                node_key("Person", label),
                label,
                set(p.aliases),
                [Mention(s, e) for s, e in p.mentions],
                rule=p.rule,
            )
        )

    # -- works as nodes -----------------------------------------------------------------
    work_keys: dict[str, str] = {}
    for w in works:
        authors = [k for k in (person_key(a) for a in w.authors) if k]
        key = node_key("Work", w.title)
        work_keys[fold(w.title)] = key
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
                confidence=w.confidence,
                rule=w.rule,
            )
        )
        ex.add_edge(Edge(DOC, "cites", node.key, w.cite_start, w.cite_end, w.confidence, w.rule))

    def work_at(start: int, end: int) -> str | None:
        for w in works:
            if start <= w.start < end:
                return w.title
        return None

    # -- events -------------------------------------------------------------------------
    events = EventFinder(rules, set(people))
    events.scan_names(text)
    for base, doc in pdocs:
        events.scan(doc, base, title_spans + reference_spans)
    for ev in events.resolve().values():
        if who(ev.label):
            continue
        ex.add_node(
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

    # -- claims -------------------------------------------------------------------------
    # Possessives ("Y's comments") name whose something is, not who speaks: not candidates.
    person_mentions = sorted(
        (m.start, n.label)
        for n in ex.nodes.values()
        if n.kind == "Person"
        for m in n.mentions
        if text[m.end : m.end + 2] not in ("’s", "'s")
    )

    def person_before(offset: int, floor: int) -> str | None:
        """The person named last before `offset`, if in the same sentence (from `floor`)."""
        i = bisect_left(person_mentions, (offset, ""))
        if i and person_mentions[i - 1][0] >= floor:
            return person_mentions[i - 1][1]
        return None

    def poster_at(offset: int) -> str | None:
        """The poster whose words these are, in a thread (quoted lines are someone else's)."""
        i = post_at(posts, offset)
        if i is None or any(a <= offset < b for a, b in posts[i].quotes):
            return None
        return who(posts[i].author)

    claims = ClaimFinder(rules, who, work_at, subject, person_before, poster_at)
    last_person: list[str] = []  # carried across paragraphs: "He" often opens one
    not_own_words = reference_spans + quoted_spans(posts)
    for i, (base, doc) in enumerate(pdocs):
        claims.scan(doc, base, i, not_own_words, last_person)
    for w in works:
        if w.rule.startswith(("reference", "footnote")):
            continue
        authors = [who(a) for a in w.authors]
        claims.cited(
            document.nlp_text,
            w.cite_start,
            w.cite_end,
            next((a for a in authors if a), None),
            w.title,
        )
    claims.theses(rules.claim_threshold)
    claims.rebuttals(cue_regex(rules.dispute_cues))
    for s in claims.sentences:
        for c in s.claims:
            poster = poster_at(c.start) if c.author is None and c.kind == "thesis" else None
            if poster:
                c.author, c.posted = poster, True
    for post in posts:
        poster = who(post.author)
        if poster:
            claims.main_statement(post.start, post.end, poster)
    works_by_author: dict[str, list[str]] = {}
    for w in works:
        for a in w.authors:
            label = who(a)
            if label:
                works_by_author.setdefault(label, []).append(w.title)

    claim_keys: dict[int, str] = {}
    mentions_index = [
        (m.start, m.end, n.key)
        for n in ex.nodes.values()
        if n.kind in ("Person", "Work", "Event")
        for m in n.mentions
    ]
    for s in claims.sentences:
        for c in s.claims:
            if c.work is None and c.author:
                # What an author says in a summary of their work comes from that work.
                own = list(dict.fromkeys(works_by_author.get(c.author, [])))
                if subject in own:
                    c.work = subject
                elif len(own) == 1:
                    c.work = own[0]
            if c.text == document.nlp_text[c.start : c.end]:
                c.text = text[c.start : c.end]  # the source's own characters, not the masked ones
            _claim_node(ex, c, claim_keys, person_key, work_keys, mentions_index)

    # -- stance -------------------------------------------------------------------------
    stances = find_stances(claims.sentences, rules)
    stances += reply_stances(posts, claims.sentences, rules, document.nlp_text)
    for st in stances:
        target = claim_keys.get(id(st.target))
        if target is None:
            continue
        if isinstance(st.source, Claim):
            source = claim_keys.get(id(st.source))
        elif st.source.startswith("work:"):
            source = work_keys.get(fold(st.source[5:]))
        else:
            source = DOC
        if source is None or source == target:
            continue
        ex.add_edge(Edge(source, st.relation, target, st.start, st.end, st.confidence, st.rule))
    return ex


def _claim_node(
    ex: Extraction, c: Claim, claim_keys: dict[int, str], person_key, work_keys, mentions_index
) -> None:
    text = " ".join(c.text.split())
    key = claim_key(text)
    claim_keys[id(c)] = key
    authors = [k for k in [person_key(c.author)] if k] if c.author else []
    work = work_keys.get(fold(c.work)) if c.work else None
    about = sorted({k for s, e, k in mentions_index if c.start <= s < c.end})
    ex.add_node(
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


__all__ = ["extract_document", "plausible_name"]
