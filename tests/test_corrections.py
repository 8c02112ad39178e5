"""Readers' corrections (graph.corrections): each action on invented text in a real DiskStore,
atomic writes, undo, raw export, orphans, and no correction lost over 20 re-ingests."""

from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_remote_store import remote, server  # noqa: F401 - the SPARQL server fixtures

from claimgraph.graph.corrections import (
    CORRECTIONS_GRAPH,
    Correction,
    corrections,
    orphan_reasons,
    orphans,
    raw_graphs,
    record,
    status,
    undo,
)
from claimgraph.graph.errors import UserError
from claimgraph.graph.export import export
from claimgraph.graph.namespaces import base_iri
from claimgraph.graph.store import DiskStore, MemoryStore, StoreBusy, named_quads
from claimgraph.graph.validate import validate
from claimgraph.ingest.pipeline import ingest, remove
from claimgraph.queries.frames import run as run_query

LEDGER = [
    "Mirela Dobrev wrote The Lantern Accounts in 1954.",
    "In it, Dobrev claims that the lighthouse keepers were paid in salt.",
    "Jonas Ferreira disputed this and argued that the keepers were paid in silver coins.",
    "The ledger of 1921 supports the claim that the lighthouse keepers were paid in salt, "
    "according to Dobrev.",
    "Ferreira cites The Lantern Accounts in his essay Silver on the Shore.",
]
REPLY = [
    "Tomas Varga wrote Tides of the North in 1960. In it, Varga argues that the harbour tax "
    "funded the lighthouse.",
    "Mirela Dobrev disputed this in The Lantern Accounts and argued that the lighthouse was "
    "funded by the guild.",
    "Varga cites The Lantern Accounts and Silver on the Shore.",
]
FILLER = [
    "The harbour was rebuilt after the storm of 1931.",
    "Fishing boats left the bay before dawn.",
    "The old pier was painted white every spring.",
]
CITO = "http://purl.org/spar/cito/"
PREFIX = "PREFIX schema: <https://schema.org/>\nPREFIX cito: <http://purl.org/spar/cito/>\n"


def write(folder: Path, ledger=LEDGER, reply=REPLY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sentences in (("ledger.txt", ledger), ("reply.txt", reply)):
        path = folder / name
        if sentences is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    """A store of the two invented documents, ingested once; tests work on copies."""
    root = tmp_path_factory.mktemp("corrections")
    store = DiskStore(root / "store")
    ingest([write(root / "corpus")], store, progress=False)
    return store.path


@pytest.fixture
def store(ingested, tmp_path) -> DiskStore:
    shutil.copytree(ingested, tmp_path / "store")
    return DiskStore(tmp_path / "store")


def ask(store, pattern: str, documents: bool = True) -> bool:
    """Whether `pattern` matches in a document graph (the corrections graph names targets),
    or in any graph."""
    skip = f"FILTER(?g != <{base_iri()}corrections>)" if documents else ""
    query = PREFIX + f"ASK {{ GRAPH ?g {{ {pattern} }} {skip} }}"
    return bool(store.dataset().query(query).askAnswer)


def has_node(store, iri: str) -> bool:
    return ask(store, f"{{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }}")


def has_edge(store, s: str, p: str, o: str) -> bool:
    return ask(store, f"<{s}> <{p}> <{o}>", documents=False)  # added edges are shown too


def claim(store, words: str) -> str:
    rows = store.dataset().query(
        PREFIX + "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?c a schema:Claim ; schema:text ?t "
        f'FILTER(CONTAINS(?t, "{words}")) }} }} ORDER BY ?c'
    )
    return str(next(iter(rows))[0])


def edges(store, o: str | None = None) -> list[tuple[str, str, str]]:
    where = f"VALUES ?o {{ <{o}> }}" if o else ""
    rows = store.dataset().query(
        PREFIX + f"SELECT DISTINCT ?s ?p ?o WHERE {{ {where} GRAPH ?g {{ ?s ?p ?o "
        "FILTER(?p IN (cito:supports, cito:disputes, cito:cites)) } } ORDER BY ?s ?p ?o"
    )
    return [tuple(map(str, r)) for r in rows]


def texts(store, iri: str, prop: str) -> set[str]:
    rows = store.dataset().query(f"SELECT ?v WHERE {{ GRAPH ?g {{ <{iri}> <{prop}> ?v }} }}")
    return {str(r[0]) for r in rows}


def nquads(quads) -> list[str]:
    """Sorted N-Quads lines without the extractor run's wall-clock times, in the store's
    canonical form (Oxigraph writes "0.700"^^xsd:decimal as "0.7")."""
    db = ox.Store()
    db.bulk_extend(quads)
    return sorted(str(q) for q in db if "AtTime" not in str(q.predicate))


def generation(store: DiskStore) -> str:
    return (store.path / "CURRENT").read_text().strip()


P = base_iri() + "person/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TEXT = "https://schema.org/text"


# -- each action ------------------------------------------------------------------------------


def test_each_action_changes_what_every_reader_sees(store):
    salt = claim(store, "keepers were paid in salt")
    s, p, o = edges(store, salt)[0]
    record(store, Correction("reject", s, p, o, note="misread"))
    assert not has_edge(store, s, p, o)
    assert not ask(store, f"?e cito:hasCitingEntity <{s}> ; cito:hasCitedEntity <{o}> ; "
                   f"cito:hasCitationCharacterization <{p}>")  # fmt: skip

    silver = claim(store, "paid in silver coins")
    record(store, Correction("reject", silver))
    assert not has_node(store, silver)

    record(store, Correction("edit", salt, value="the keepers were paid partly in salt"))
    assert texts(store, salt, TEXT) == {"the keepers were paid partly in salt"}
    assert texts(store, salt, LABEL) == {"the keepers were paid partly in salt"}

    record(store, Correction("merge", P + "jonas-ferreira", value=P + "tomas-varga"))
    assert not has_node(store, P + "jonas-ferreira")
    assert texts(store, P + "tomas-varga", LABEL) == {"Tomas Varga"}
    assert "Jonas Ferreira" in texts(store, P + "tomas-varga", "https://schema.org/alternateName")

    tax = claim(store, "harbour tax")
    record(store, Correction("accept", tax, agent="Ana Reviewer"))
    lantern = base_iri() + "work/the-lantern-accounts"
    added = record(store, Correction("add", lantern, "disputes", tax, value="funded by the guild"))
    assert has_edge(store, lantern, CITO + "disputes", tax)

    done = corrections(store)
    assert [c.action for c in done] == ["reject", "reject", "edit", "merge", "accept", "add"]
    assert done[4].agent == "Ana Reviewer" and done[0].note == "misread"
    assert all(c.iri and c.time.endswith("Z") for c in done)
    marks = status(store, [tax, silver, f"{s} {p} {o}", added.key, "nothing"])
    assert marks == {
        tax: "accepted",
        silver: "rejected",
        f"{s} {p} {o}": "rejected",
        added.key: "added",
    }
    assert orphans(store) == []
    result = validate(store.dataset())
    assert result.conforms, result.report()


@pytest.mark.parametrize(
    "correction,message",
    [
        (Correction("reject", "claim/000000000000"), "no node"),
        (Correction("frobnicate", "claim/000000000000"), "unknown action"),
        (Correction("edit", "work/the-lantern-accounts", value=""), "needs new text"),
        (
            Correction("edit", "work/the-lantern-accounts", property="schema:author", value="x"),
            "is not text",
        ),
        (Correction("merge", "person/tomas-varga", value="work/the-lantern-accounts"), "kind"),
        (
            Correction(
                "add", "work/the-lantern-accounts", "cites", "person/tomas-varga", value="q"
            ),
            "must be a work",
        ),  # fmt: skip
        (Correction("reject", "work/the-lantern-accounts", "supports", "person/x"), "no edge"),
    ],
)
def test_a_failed_record_leaves_the_store_unchanged(store, correction, message):
    before, quads = generation(store), nquads(store.oxigraph())
    with pytest.raises(UserError, match=message):
        record(store, correction)
    assert generation(store) == before and nquads(store.oxigraph()) == quads


def test_a_record_is_one_atomic_write_and_waits_for_no_other_writer(store):
    # a person in both documents: both graphs and the corrections graph change together
    before = int(generation(store).split("-")[1])
    record(store, Correction("edit", P + "mirela-dobrev", value="Mirela Dobrev-Ilieva"))
    assert int(generation(store).split("-")[1]) == before + 1
    assert texts(store, P + "mirela-dobrev", LABEL) == {"Mirela Dobrev-Ilieva"}
    quads = nquads(store.oxigraph())
    with DiskStore(store.path).writing(), pytest.raises(StoreBusy):
        record(DiskStore(store.path), Correction("accept", P + "tomas-varga"))
    assert nquads(store.oxigraph()) == quads


def test_undo_restores_the_graph_exactly(store):
    original = nquads(store.oxigraph())
    salt = claim(store, "keepers were paid in salt")
    made = [
        record(store, Correction("merge", P + "jonas-ferreira", value=P + "mirela-dobrev")),
        record(store, Correction("edit", P + "mirela-dobrev", value="M. Dobrev")),
        record(store, Correction("reject", salt)),
        record(store, Correction("reject", *edges(store)[0])),
    ]
    random.Random(4).shuffle(made)
    for c in made:
        assert undo(store, c.iri.rsplit("/", 1)[-1][:10]).iri == c.iri
    assert corrections(store) == []
    assert nquads(store.oxigraph()) == original
    with pytest.raises(UserError, match="no correction"):
        undo(store, "feedface")


def test_a_merge_keeps_one_label_for_the_kept_node_through_edits_and_undo(store):
    """The kept node's edited label holds in the graphs a merge brings it into, and undoing
    the edit gives back its extracted label there too (one rdfs:label in every state)."""
    original = nquads(store.oxigraph())
    kept, dup = P + "jonas-ferreira", P + "tomas-varga"  # named in different documents only
    edit = record(store, Correction("edit", kept, value="J. Ferreira"))
    merge = record(store, Correction("merge", dup, value=kept))
    assert texts(store, kept, LABEL) == {"J. Ferreira"}
    undo(store, edit.iri)
    assert texts(store, kept, LABEL) == {"Jonas Ferreira"}
    again = record(store, Correction("edit", kept, value="Jonas P. Ferreira"))
    assert texts(store, kept, LABEL) == {"Jonas P. Ferreira"}
    undo(store, merge.iri)
    assert texts(store, kept, LABEL) == {"Jonas P. Ferreira"}
    assert has_node(store, dup)
    undo(store, again.iri)
    assert nquads(store.oxigraph()) == original


def test_raw_export_equals_an_uncorrected_store(store, ingested, tmp_path):
    salt = claim(store, "keepers were paid in salt")
    record(store, Correction("reject", salt))
    record(store, Correction("merge", P + "jonas-ferreira", value=P + "tomas-varga"))
    record(store, Correction("edit", P + "mirela-dobrev", value="Mirela D."))
    tax = claim(store, "harbour tax")
    record(store, Correction("add", base_iri() + "work/the-lantern-accounts", "disputes", tax,
                             value="funded by the guild"))  # fmt: skip
    # both stores then read the same changed files
    corpus = write(tmp_path / "corpus", ledger=LEDGER[:4] + FILLER[:1], reply=REPLY[1:])
    plain = DiskStore(tmp_path / "plain")
    shutil.copytree(ingested, plain.path)
    for s in (store, plain):
        ingest([corpus], s, progress=False)
    out = io.BytesIO()
    export(store, "nquads", out, raw=True)
    raw = ox_lines(out.getvalue())
    assert raw == nquads(named_quads(plain.oxigraph()))
    assert nquads(raw_graphs(store)) == raw
    assert not any("/correction" in line or "CorrectionEffect" in line for line in raw)
    out = io.BytesIO()
    export(store, "nquads", out)
    assert any("CorrectionEffect" in line for line in ox_lines(out.getvalue()))


def ox_lines(data: bytes) -> list[str]:
    return nquads(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def test_orphans_when_the_target_leaves_and_applied_when_it_returns(store, tmp_path):
    salt = claim(store, "keepers were paid in salt")
    silver = claim(store, "paid in silver coins")
    rejected = record(store, Correction("reject", silver))
    edited = record(store, Correction("edit", salt, value="keepers were paid in salt and fish"))
    corpus = write(tmp_path / "corpus", ledger=[LEDGER[0], LEDGER[4]], reply=REPLY)
    ingest([corpus], store, progress=False)
    why = {c.iri: reason for c, reason in orphan_reasons(store)}
    assert set(why) == {rejected.iri, edited.iri}
    assert "is in no document now" in why[edited.iri]
    write(corpus)  # the sentences come back
    ingest([corpus], store, progress=False)
    assert orphans(store) == []
    assert not has_node(store, silver)
    assert texts(store, salt, TEXT) == {"keepers were paid in salt and fish"}
    remove(["ledger.txt"], store)  # a removed document keeps its corrections, as orphans
    assert {c.iri for c in orphans(store)} == {rejected.iri, edited.iri}
    assert len(corrections(store)) == 2
    ingest([corpus], store, progress=False)
    assert orphans(store) == [] and not has_node(store, silver)


# -- the issue's target: no correction lost over 20 re-ingests of changed documents ----------


def test_no_correction_lost_over_20_reingests_of_changed_documents(store, ingested, tmp_path):
    plain = DiskStore(tmp_path / "plain")  # the same files, never corrected: the reference
    shutil.copytree(ingested, plain.path)
    salt = claim(store, "keepers were paid in salt")
    tax = claim(store, "harbour tax")
    lantern = base_iri() + "work/the-lantern-accounts"
    made = [
        record(store, Correction("reject", *edges(store, salt)[0])),
        record(store, Correction("reject", claim(store, "paid in silver coins"))),
        record(store, Correction("edit", salt, value="the keepers were paid in salt, mostly")),
        record(store, Correction("edit", P + "mirela-dobrev", value="Mirela Dobrev-Ilieva")),
        record(store, Correction("merge", P + "jonas-ferreira", value=P + "tomas-varga")),
        record(store, Correction("accept", tax)),
        record(store, Correction("add", lantern, "disputes", tax, value="funded by the guild")),
    ]
    rng = random.Random(14)
    corpus = tmp_path / "corpus"
    seen = {"present": 0, "orphan": 0}
    for round_ in range(20):
        ledger = [s for s in LEDGER if rng.random() < 0.6] + rng.sample(FILLER, rng.randint(0, 2))
        reply = [s for s in REPLY if rng.random() < 0.6] or None
        if round_ % 7 == 6:
            ledger = LEDGER  # everything comes back now and then
        write(corpus, ledger or FILLER[:1], reply)
        for s in (store, plain):
            ingest([corpus], s, progress=False)
            if reply is None and "reply.txt" in _documents(s):
                remove(["reply.txt"], s)
        assert nquads(raw_graphs(store)) == nquads(named_quads(plain.oxigraph())), round_
        assert corrections(store) == made, round_
        lost = {c.iri for c in orphans(store)}
        for c in made:
            there = _target_in(plain, c)
            seen["present" if there else "orphan"] += 1
            assert (c.iri not in lost) == there, (round_, c.action, c.key)
            if there:
                _assert_applied(store, c)
        shown = {tuple(map(str, row[1:4])) for row in run_query(store, PREFIX + _CITO_ROWS)}
        low = run_query(store, "low-confidence-edges", {"threshold": "1.1"})
        shown |= {(str(r.source), CITO + str(r.stance), str(r.target)) for r in low}
        assert (made[0].subject, made[0].predicate, made[0].object) not in shown, round_
    assert seen["present"] > 20 and seen["orphan"] > 20  # targets did leave and come back


_CITO_ROWS = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o "
    "FILTER(?p IN (cito:supports, cito:disputes, cito:cites)) } }"
)


def _documents(store) -> set[str]:
    from claimgraph.graph import catalog

    return set(catalog.documents(store.dataset()))


def _target_in(reference, c: Correction) -> bool:
    if c.action == "add":
        return has_node(reference, c.subject) and has_node(reference, c.object)
    if c.is_edge:
        return has_edge(reference, c.subject, c.predicate, c.object)
    return has_node(reference, c.subject)


def _assert_applied(store, c: Correction) -> None:
    if c.action == "reject" and c.is_edge:
        assert not has_edge(store, c.subject, c.predicate, c.object)
    elif c.action == "reject":
        assert not has_node(store, c.subject)
    elif c.action == "edit":
        values = texts(store, c.subject, TEXT) | texts(store, c.subject, LABEL)
        assert values == {c.value}, values
    elif c.action == "merge":
        assert not has_node(store, c.subject) and has_node(store, c.value)
    elif c.action == "accept":
        assert status(store, [c.key]) == {c.key: "accepted"}
    else:
        assert has_edge(store, c.subject, c.predicate, c.object)


# -- MemoryStore through the API --------------------------------------------------------------


def test_memory_store_through_the_api(tmp_path):
    store = MemoryStore()
    ingest([write(tmp_path / "corpus")], store, progress=False)
    before = nquads(_ox(store))
    salt = claim(store, "keepers were paid in salt")
    c = record(store, Correction("reject", salt))
    record(store, Correction("edit", P + "tomas-varga", value="T. Varga"))
    assert not has_node(store, salt)
    assert texts(store, P + "tomas-varga", LABEL) == {"T. Varga"}
    assert nquads(raw_graphs(store)) == before
    # a changed document re-ingested into the store that holds its people
    write(tmp_path / "corpus", ledger=LEDGER + FILLER)
    ingest([tmp_path / "corpus"], store, progress=False)
    assert not has_node(store, salt) and orphans(store) == []
    assert texts(store, P + "tomas-varga", LABEL) == {"T. Varga"}
    # the documents leave: the corrections stay, as orphans, and apply again when they return
    remove(["ledger.txt", "reply.txt"], store)
    assert len(orphans(store)) == 2
    ingest([tmp_path / "corpus"], store, progress=False)
    assert not has_node(store, salt) and orphans(store) == []
    assert texts(store, P + "tomas-varga", LABEL) == {"T. Varga"}
    undo(store, c.iri)
    assert has_node(store, salt)
    assert status(store) == {P + "tomas-varga": "edited"}


def _ox(store: MemoryStore):
    from claimgraph.graph.store import to_ox_quads

    return list(to_ox_quads(store.dataset().quads((None, None, None, None))))


# -- a store on a SPARQL server (Oxigraph server, Virtuoso), when installed ------------------


def test_corrections_on_a_server(remote, ingested, tmp_path):  # noqa: F811 - a fixture
    corpus = write(tmp_path / "corpus")
    try:
        ingest([corpus], remote, progress=False)
        salt = claim(remote, "keepers were paid in salt")
        made = [
            record(remote, Correction("reject", salt)),
            record(remote, Correction("edit", P + "mirela-dobrev", value="Mirela D.")),
            record(remote, Correction("add", base_iri() + "work/the-lantern-accounts", "cites",
                                      base_iri() + "work/silver-on-the-shore", value="q")),
        ]  # fmt: skip
        ingest([corpus], remote, progress=False, force=True)
        assert [c.iri for c in corrections(remote)] == [c.iri for c in made]
        assert orphans(remote) == [] and not has_node(remote, salt)
        assert texts(remote, P + "mirela-dobrev", LABEL) == {"Mirela D."}
        out = io.BytesIO()
        export(remote, "nquads", out, raw=True)
        assert ox_lines(out.getvalue()) == nquads(named_quads(DiskStore(ingested).oxigraph()))
        undo(remote, made[0].iri)
        assert has_node(remote, salt)
    finally:
        remote.replace_graphs({}, remove=[CORRECTIONS_GRAPH, *remote.graphs()])
