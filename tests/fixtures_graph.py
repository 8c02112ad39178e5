"""A small, realistic claim graph for query tests, built the way ingest builds one.

Two documents, written with graph.model + graph.rdf.document_quads into a DiskStore:

* ``essays/terror.txt`` (doc A): the book *The Great Terror* (Robert Conquest, 1968) supports
  claim PURGE_TOLL (stated by Conquest); Grover Furr's *Khrushchev Lied* (2011) disputes it, so
  the claim is contested. Furr's claim SPEECH_FALSE disputes Khrushchev's claim STALIN_ORDERED,
  which supports PURGE_TOLL, which supports OFFICERS: an indirect-dispute chain. The document
  cites *The Great Terror* and the *Secret Speech*; *Khrushchev Lied* cites the *Secret Speech*.
* ``reviews/review.md`` (doc B): cites *The Great Terror* and the *Secret Speech* again (so both
  works are cited by two documents and co-cited twice), supports PURGE_TOLL itself with a
  low confidence (0.35), and states ORPHAN, a claim with no supports or disputes.

Every constant below names what the tests expect; the tests assert these rows exactly.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from claimgraph.graph.identity import claim_key, document_iri, iri, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.graph.rdf import Run, document_quads
from claimgraph.graph.store import DiskStore

# -- people, works, events -------------------------------------------------------------
CONQUEST = node_key("Person", "Robert Conquest")
FURR = node_key("Person", "Grover Furr")
KHRUSHCHEV = node_key("Person", "Nikita Khrushchev")
STALIN = node_key("Person", "Joseph Stalin")
GREAT_TERROR = node_key("Work", "The Great Terror")
KHRUSHCHEV_LIED = node_key("Work", "Khrushchev Lied")
SECRET_SPEECH = node_key("Work", "Secret Speech")
GREAT_PURGE = node_key("Event", "Great Purge")

# -- claims --------------------------------------------------------------------------------
PURGE_TOLL_TEXT = "The Great Purge killed about 700,000 people"
STALIN_ORDERED_TEXT = "Stalin personally ordered the mass executions"
SPEECH_FALSE_TEXT = "Khrushchev's Secret Speech was largely false"
OFFICERS_TEXT = "The purge destroyed the Red Army officer corps"
ORPHAN_TEXT = "Stalin read The Great Terror in translation"

PURGE_TOLL = claim_key(PURGE_TOLL_TEXT)
STALIN_ORDERED = claim_key(STALIN_ORDERED_TEXT)
SPEECH_FALSE = claim_key(SPEECH_FALSE_TEXT)
OFFICERS = claim_key(OFFICERS_TEXT)
ORPHAN = claim_key(ORPHAN_TEXT)

DOC_A_NAME = "essays/terror.txt"
DOC_B_NAME = "reviews/review.md"
DOC_A = str(document_iri(DOC_A_NAME))
DOC_B = str(document_iri(DOC_B_NAME))

DOC_A_TEXT = (
    "In The Great Terror (1968), Robert Conquest argued that the Great Purge killed about "
    "700,000 people. Khrushchev, in his Secret Speech, said that Stalin personally ordered the "
    "mass executions, and that the purge destroyed the Red Army officer corps. Grover Furr's "
    "Khrushchev Lied (2011) rejects the toll outright, and Furr holds that Khrushchev's Secret "
    "Speech was largely false.\n"
)
DOC_B_TEXT = (
    "# Review\n\nThis review rereads The Great Terror beside the Secret Speech. It tentatively "
    "accepts that the Great Purge killed about 700,000 people. Some say Stalin read The Great "
    "Terror in translation.\n"
)

RUN_STARTED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
RUN_ENDED = datetime(2026, 1, 2, 3, 4, 9, tzinfo=UTC)
RUN = Run("0.1.0", RUN_STARTED, RUN_ENDED)


def full(key: str) -> str:
    """The IRI (as a string) of a node key."""
    return str(iri(key))


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _mention(text: str, quote: str) -> list[Mention]:
    return [Mention(*_span(text, quote))]


def _edge(text: str, source: str, relation: str, target: str, quote: str, conf: float) -> Edge:
    start, end = _span(text, quote)
    return Edge(source, relation, target, start, end, conf, f"test-{relation}")


def _people(x: Extraction, text: str, names: dict[str, tuple[str, set[str], str]]) -> None:
    for key, (label, aliases, quote) in names.items():
        x.add_node(Node("Person", key, label, set(aliases), _mention(text, quote), rule="test"))


def document_a() -> tuple[Document, Extraction]:
    t = DOC_A_TEXT
    doc = Document(
        path=DOC_A_NAME,
        name=DOC_A_NAME,
        text=t,
        sha256=hashlib.sha256(t.encode()).hexdigest(),
        title="On the Great Terror",
        genre="Article",
        passages=[(0, len(t))],
    )
    x = Extraction()
    _people(
        x,
        t,
        {
            CONQUEST: ("Robert Conquest", {"Conquest"}, "Robert Conquest"),
            FURR: ("Grover Furr", {"Furr"}, "Grover Furr"),
            KHRUSHCHEV: ("Nikita Khrushchev", {"Khrushchev"}, "Khrushchev"),
            STALIN: ("Joseph Stalin", {"Stalin", "Koba"}, "Stalin"),
        },
    )
    x.add_node(
        Node(
            "Work",
            GREAT_TERROR,
            "The Great Terror",
            mentions=_mention(t, "The Great Terror"),
            subtype="Book",
            authors=[CONQUEST],
            date="1968",
        )
    )
    x.add_node(
        Node(
            "Work",
            KHRUSHCHEV_LIED,
            "Khrushchev Lied",
            mentions=_mention(t, "Khrushchev Lied"),
            subtype="Book",
            authors=[FURR],
            date="2011",
        )
    )
    x.add_node(
        Node(
            "Work",
            SECRET_SPEECH,
            "Secret Speech",
            {"On the Cult of Personality"},
            mentions=_mention(t, "Secret Speech"),
            authors=[KHRUSHCHEV],
            date="1956",
        )
    )
    x.add_node(
        Node("Event", GREAT_PURGE, "Great Purge", {"Great Terror"}, _mention(t, "Great Purge"))
    )
    claims = [
        (PURGE_TOLL, PURGE_TOLL_TEXT, "the Great Purge killed about 700,000 people", CONQUEST,
         [GREAT_PURGE, STALIN], GREAT_TERROR, 0.9),
        (STALIN_ORDERED, STALIN_ORDERED_TEXT, "Stalin personally ordered the mass executions",
         KHRUSHCHEV, [STALIN, GREAT_PURGE], SECRET_SPEECH, 0.8),
        (SPEECH_FALSE, SPEECH_FALSE_TEXT, "Khrushchev's Secret Speech was largely false", FURR,
         [SECRET_SPEECH, KHRUSHCHEV], KHRUSHCHEV_LIED, 0.7),
        (OFFICERS, OFFICERS_TEXT, "the purge destroyed the Red Army officer corps", KHRUSHCHEV,
         [GREAT_PURGE], SECRET_SPEECH, 0.6),
    ]  # fmt: skip
    for key, text, quote, author, about, work, conf in claims:
        x.add_node(
            Node(
                "Claim",
                key,
                text,
                mentions=_mention(t, quote),
                authors=[author],
                text=text,
                about=about,
                work=work,
                confidence=conf,
                rule="test-claim",
            )
        )
    for edge in [
        _edge(t, GREAT_TERROR, "supports", PURGE_TOLL, "Robert Conquest argued that the Great Purge killed about 700,000 people", 0.9),
        _edge(t, KHRUSHCHEV_LIED, "disputes", PURGE_TOLL, "Khrushchev Lied (2011) rejects the toll outright", 0.8),
        _edge(t, SPEECH_FALSE, "disputes", STALIN_ORDERED, "Furr holds that Khrushchev's Secret Speech was largely false", 0.75),
        _edge(t, STALIN_ORDERED, "supports", PURGE_TOLL, "Stalin personally ordered the mass executions", 0.6),
        _edge(t, PURGE_TOLL, "supports", OFFICERS, "the purge destroyed the Red Army officer corps", 0.55),
        _edge(t, DOC, "cites", GREAT_TERROR, "In The Great Terror (1968)", 0.95),
        _edge(t, DOC, "cites", SECRET_SPEECH, "in his Secret Speech", 0.9),
        _edge(t, KHRUSHCHEV_LIED, "cites", SECRET_SPEECH, "Khrushchev's Secret Speech", 0.85),
    ]:  # fmt: skip
        x.add_edge(edge)
    return doc, x


def document_b() -> tuple[Document, Extraction]:
    t = DOC_B_TEXT
    doc = Document(
        path=DOC_B_NAME,
        name=DOC_B_NAME,
        text=t,
        sha256=hashlib.sha256(t.encode()).hexdigest(),
        media_type="text/markdown",
        title="Review",
        passages=[(0, 8), (10, len(t))],
    )
    x = Extraction()
    x.add_node(Node("Person", STALIN, "Joseph Stalin", {"Stalin"}, _mention(t, "Stalin")))
    x.add_node(
        Node(
            "Work",
            GREAT_TERROR,
            "The Great Terror",
            mentions=_mention(t, "The Great Terror"),
            subtype="Book",
            authors=[CONQUEST],
            date="1968",
        )
    )
    x.add_node(Node("Work", SECRET_SPEECH, "Secret Speech", mentions=_mention(t, "Secret Speech")))
    x.add_node(Node("Event", GREAT_PURGE, "Great Purge", mentions=_mention(t, "Great Purge")))
    x.add_node(
        Node(
            "Claim",
            PURGE_TOLL,
            PURGE_TOLL_TEXT,
            mentions=_mention(t, "the Great Purge killed about 700,000 people"),
            text=PURGE_TOLL_TEXT,
            about=[GREAT_PURGE],
            confidence=0.5,
            rule="test-claim",
        )
    )
    x.add_node(
        Node(
            "Claim",
            ORPHAN,
            ORPHAN_TEXT,
            mentions=_mention(t, "Stalin read The Great Terror in translation"),
            text=ORPHAN_TEXT,
            about=[STALIN, GREAT_TERROR],
            confidence=0.4,
            rule="test-claim",
        )
    )
    for edge in [
        _edge(t, DOC, "cites", GREAT_TERROR, "rereads The Great Terror", 0.9),
        _edge(t, DOC, "cites", SECRET_SPEECH, "beside the Secret Speech", 0.9),
        _edge(t, DOC, "supports", PURGE_TOLL, "tentatively accepts that the Great Purge killed about 700,000 people", 0.35),
    ]:  # fmt: skip
        x.add_edge(edge)
    return doc, x


def fixture_graphs() -> dict:
    """{document IRI: quads} for both documents."""
    graphs = {}
    for doc, extraction in (document_a(), document_b()):
        quads = document_quads(doc, extraction, RUN)
        graphs[quads[0][3]] = quads
    return graphs


def build_store(path: str | Path) -> DiskStore:
    """Write the fixture graph into a new DiskStore at `path` and return it."""
    store = DiskStore(path)
    store.replace_graphs(fixture_graphs())
    return store
