"""A synthetic graph shaped like claimgraph's, for the benchmarks: documents with people,
works, events and claims drawn from shared pools (so nodes recur across documents, as after
real ingest), supports/disputes/cites edges with evidence nodes and passages, built with
graph.rdf.document_quads. `generate(triples)` is the same for the same arguments.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from hashlib import sha256

SEED = 20260101
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ta",
    "le",
    "vi",
    "sa",
    "no",
    "du",
    "be",
    "ro",
    "mi",
    "ga",
    "ze",
    "lu",
    "pa",
    "ko",
    "fe",
    "si",
    "na",
    "tor",
    "vel",
    "han",
    "dor",
    "mar",
    "lin",
    "gus",
    "ber",
    "wen",
    "ost",
    "ild",
    "kar",
    "rev",
    "sta",
    "nis",
    "lav",
]
WORK_KINDS = ("Book", "Article", "Report", "Legislation", "Movie", None)
TOPICS = (
    "the famine", "the purge", "the census", "the archives", "the trial", "the treaty",
    "the harvest", "the deportations", "the speech", "the memoir", "the army", "the camps",
)  # fmt: skip
VERBS = ("caused", "ended", "hid", "revealed", "shaped", "doubled", "halved", "began")


# -- the synthetic graph ---------------------------------------------------------------------
class Pools:
    """Shared people, works, events and claims that documents draw from."""

    def __init__(self, rng: random.Random, target: int):
        from claimgraph.graph.identity import claim_key, node_key

        def name(i: int, parts: int) -> str:
            words = []
            for _ in range(parts):
                word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
                words.append(word.capitalize())
            return " ".join(words) + ("" if i < 400 else f" {i}")

        scale = max(1, target // 1000)
        self.persons = []
        for i in range(max(20, 2 * scale)):
            label = name(i, 2)
            self.persons.append((node_key("Person", label), label, label.split()[-1]))
        self.works = []
        for i in range(max(30, 3 * scale)):
            label = "The " + name(i, rng.randint(1, 2))
            year = str(rng.randint(1900, 2024))
            self.works.append((node_key("Work", label), label, rng.choice(WORK_KINDS), year))
        self.events = []
        for i in range(max(10, scale // 2)):
            label = "Battle of " + name(i, 1)
            self.events.append((node_key("Event", label), label, str(rng.randint(1900, 1990))))
        self.claims = []
        for i in range(max(200, 20 * scale)):
            subject = rng.choice(self.events + self.works)[1]
            text = f"{subject} {rng.choice(VERBS)} {rng.choice(TOPICS)} (claim {i})"
            self.claims.append((claim_key(text), text))
        # a few hot claims that many documents argue about (contested, long evidence trails)
        self.hot = self.claims[: max(5, len(self.claims) // 200)]


def synthetic_document(rng: random.Random, pools: Pools, number: int):
    """One Document and its Extraction, with a text whose spans the evidence quotes."""
    from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node

    x = Extraction()
    sentences: list[str] = []
    length = 0

    def say(text: str) -> tuple[int, int]:
        nonlocal length
        start = length
        sentences.append(text + " ")
        length += len(text) + 1
        return start, start + len(text)

    persons = rng.sample(pools.persons, 8)
    works = rng.sample(pools.works, 6)
    events = rng.sample(pools.events, 2)
    claims = rng.sample(pools.claims, 22) + rng.sample(pools.hot, 3)
    for key, label, alias in persons:
        s, e = say(f"{label}, known as {alias}, wrote about this.")
        x.add_node(Node("Person", key, label, {alias}, [Mention(s, e)], rule="bench"))
    for key, label, kind, year in works:
        s, e = say(f"In {label} ({year}) the case is made at length.")
        author = rng.choice(persons)[0]
        x.add_node(
            Node("Work", key, label, set(), [Mention(s, e)], kind, [author], year, rule="bench")
        )
    for key, label, year in events:
        s, e = say(f"The {label} of {year} is the background.")
        x.add_node(Node("Event", key, label, {label.split()[-1]}, [Mention(s, e)], date=year))
    work_keys = [w[0] for w in works]
    claim_sources: list[str] = []
    for key, text in claims:
        s, e = say(f"Some hold that {text}.")
        about = [rng.choice(events)[0], rng.choice(persons)[0]]
        node = Node(
            "Claim",
            key,
            text,
            mentions=[Mention(s, e)],
            authors=[rng.choice(persons)[0]],
            text=text,
            about=about,
            work=rng.choice(works)[0],
            confidence=round(rng.uniform(0.3, 1.0), 3),
            rule="bench",
        )
        x.add_node(node)
        claim_sources.append(key)
    claim_keys = [c[0] for c in claims]
    for target in claim_keys:
        for relation, p in (("supports", 0.8), ("disputes", 0.45)):
            if rng.random() < p:
                # who argues: the document itself, a work it discusses, or another claim
                pick = rng.random()
                if pick < 0.45:
                    source = DOC
                elif pick < 0.8:
                    source = rng.choice(work_keys)
                else:
                    source = rng.choice(claim_sources)
                if source == target:
                    continue
                s, e = say(f"This {relation} the view that {target[-6:]} holds.")
                conf = round(rng.uniform(0.2, 1.0), 3)
                x.add_edge(Edge(source, relation, target, s, e, conf, f"bench-{relation}"))
    for key, label, _kind, _year in works + rng.sample(pools.works, 4):
        source = rng.choice([DOC, DOC, rng.choice(works)[0]])
        if source == key:
            source = DOC
        s, e = say(f"See {label} for the sources.")
        x.add_edge(Edge(source, "cites", key, s, e, round(rng.uniform(0.4, 1.0), 3), "bench-cites"))
    text = "".join(sentences)
    name = f"corpus/doc-{number:05d}.txt"
    doc = Document(
        path=name,
        name=name,
        text=text,
        sha256=sha256(text.encode()).hexdigest(),
        title=f"Document {number}",
        genre="Article",
        passages=[(0, len(text))],
    )
    return doc, x


def generate(target: int, seed: int = SEED, native: bool = False):
    """{graph IRI: quads} of about `target` triples, the same for the same arguments
    (`native`: pyoxigraph Quads, as ingest builds them for the on-disk store)."""
    from claimgraph.graph.identity import document_iri
    from claimgraph.graph.rdf import Run, document_quads

    rng = random.Random(seed)
    pools = Pools(rng, target)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    run = Run("bench", t0, t0)
    graphs, total, number = {}, 0, 0
    while total < target:
        doc, x = synthetic_document(rng, pools, number)
        quads = document_quads(doc, x, run, native)
        graphs[document_iri(doc.name)] = quads
        total += len(quads)
        number += 1
    params = {
        "evidence-trail": {"claim": pools.hot[0][0]},
        "claims-about": {"name": pools.persons[0][2].lower()},
    }
    return graphs, total, params
