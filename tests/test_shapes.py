"""graph/shapes.ttl, graph/ontology.ttl, graph.validate and `claimgraph validate`."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from decimal import Decimal

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from claimgraph.graph.identity import claim_key, document_iri, iri, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.graph.namespaces import CG, CITO, OA, SCHEMA
from claimgraph.graph.rdf import Run, document_quads
from claimgraph.graph.validate import ontology_graph, shapes_graph, validate

# rdflib's XSD DefinedNamespace warns when pytest probes module attributes; a plain
# Namespace mints the same IRIs.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# rdflib's own TriG serializer still calls deprecated Dataset methods.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")

TEXT = (
    "Robert Conquest wrote The Great Terror in 1968. "
    "Conquest claimed that millions died in the purges. "
    "A later essay disputes that millions died, arguing that Khrushchev lied about Stalin. "
    "The essay cites The Great Terror."
)
PERSON = node_key("Person", "Robert Conquest")
WORK = node_key("Work", "The Great Terror")
CLAIM1_TEXT = "millions died in the purges"
CLAIM2_TEXT = "Khrushchev lied about Stalin"
CLAIM1 = claim_key(CLAIM1_TEXT)
CLAIM2 = claim_key(CLAIM2_TEXT)


def span(text: str, quote: str) -> Mention:
    start = text.index(quote)
    return Mention(start, start + len(quote))


def document(name: str = "essay.txt", text: str = TEXT, genre: str | None = None) -> Document:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(
        path=name, name=name, text=text, sha256=sha, passages=[(0, len(text))], genre=genre
    )


def extraction(text: str = TEXT) -> Extraction:
    """A person, a work by that person, two claims, and supports/disputes/cites edges whose
    subjects are the work, a claim and the document itself."""
    ex = Extraction()
    ex.add_node(
        Node("Person", PERSON, "Robert Conquest", aliases={"Conquest"},
             mentions=[span(text, "Robert Conquest")], rule="test-person")
    )  # fmt: skip
    ex.add_node(
        Node("Work", WORK, "The Great Terror", subtype="Book", authors=[PERSON], date="1968",
             mentions=[span(text, "The Great Terror")], rule="test-work")
    )  # fmt: skip
    ex.add_node(
        Node("Claim", CLAIM1, CLAIM1_TEXT, text=CLAIM1_TEXT, authors=[PERSON], about=[WORK],
             work=WORK, mentions=[span(text, CLAIM1_TEXT)], confidence=0.7, rule="test-claim")
    )  # fmt: skip
    ex.add_node(
        Node("Claim", CLAIM2, CLAIM2_TEXT, text=CLAIM2_TEXT,
             mentions=[span(text, CLAIM2_TEXT)], confidence=0.6, rule="test-claim")
    )  # fmt: skip
    edges = [
        (WORK, "supports", CLAIM1, "Conquest claimed that millions died in the purges", 0.8),
        (CLAIM2, "disputes", CLAIM1, "disputes that millions died", 0.55),
        (DOC, "cites", WORK, "The essay cites The Great Terror", 0.9),
    ]
    for source, relation, target, quote, confidence in edges:
        m = span(text, quote)
        ex.add_edge(Edge(source, relation, target, m.start, m.end, confidence, "test-edge"))
    return ex


def dataset(*docs: tuple[Document, Extraction]) -> Dataset:
    ds = Dataset(default_union=True)
    for doc, ex in docs or [(document(), extraction())]:
        ds.addN(document_quads(doc, ex, Run.now("test")))
    return ds


def doc_graph(ds: Dataset, name: str = "essay.txt") -> Graph:
    return ds.graph(document_iri(name))


def evidence_node(g: Graph, source: URIRef, relation: URIRef, target: URIRef) -> URIRef:
    for e in g.subjects(CITO.hasCitingEntity, source):
        if (e, CITO.hasCitationCharacterization, relation) in g and (
            e,
            CITO.hasCitedEntity,
            target,
        ) in g:
            return e
    raise AssertionError("no evidence node")


def messages(result) -> list[str]:
    return [v.message for v in result.errors]


def assert_violation(result, text: str, focus=None) -> None:
    assert not result.conforms, result.text
    hits = [v for v in result.errors if text in v.message]
    assert hits, f"no violation containing {text!r}:\n{result.text}"
    if focus is not None:
        assert focus in {v.focus for v in hits}, result.text


# -- the correct graph ---------------------------------------------------------------------


def test_correct_graph_conforms():
    ds = dataset()
    result = validate(ds)
    assert result.conforms, result.text
    assert result.violations == [], result.text  # not even warnings
    assert result.graphs == 1
    assert result.triples == len(doc_graph(ds))
    assert result.text.startswith(f"valid: {result.triples} triples, 1 named graph conform")
    assert result.summary() == {}


def test_union_of_two_documents_conforms():
    other = "Another text. The Great Terror by Robert Conquest is cited here."
    ex = Extraction()
    ex.add_node(Node("Work", WORK, "The Great Terror", subtype="Book",
                     mentions=[span(other, "The Great Terror")]))  # fmt: skip
    m = span(other, "The Great Terror by Robert Conquest is cited here")
    ex.add_edge(Edge(DOC, "cites", WORK, m.start, m.end, 0.5, "test-edge"))
    # the second document has a genre (schema:Article) but is no schema:CreativeWork
    ds = dataset((document(), extraction()), (document("other.md", other, "Article"), ex))
    result = validate(ds)
    assert result.conforms, result.text
    assert result.graphs == 2


def test_plain_graph_is_validated_too():
    g = Graph()
    for s, p, o, _ in document_quads(document(), extraction(), Run.now("test")):
        g.add((s, p, o))
    result = validate(g)
    assert result.conforms, result.text
    assert result.graphs == 0


def test_store_normalised_integers_are_accepted():
    # Oxigraph stores xsd:nonNegativeInteger as xsd:integer; negative offsets still fail.
    ds = dataset()
    g = doc_graph(ds)
    pos = next(g.subjects(RDF.type, OA.TextPositionSelector))
    start = g.value(pos, OA.start).toPython()
    g.set((pos, OA.start, Literal(start, datatype=XSD.integer)))
    assert validate(ds).conforms
    g.set((pos, OA.start, Literal(-1, datatype=XSD.integer)))
    assert_violation(validate(ds), "oa:start, a non-negative integer", pos)


# -- targeted breakages --------------------------------------------------------------------


def test_person_as_supports_subject():
    # graph/rdf.py never writes such an edge; a hand-made graph must still be caught.
    ds = dataset((document(), extraction()))
    g = doc_graph(ds)
    evidence = URIRef("https://example.org/edge/person-supports")
    g.add((iri(PERSON), CITO.supports, iri(CLAIM1)))
    g.add((evidence, RDF.type, CITO.Citation))
    g.add((evidence, CITO.hasCitingEntity, iri(PERSON)))
    g.add((evidence, CITO.hasCitedEntity, iri(CLAIM1)))
    g.add((evidence, CITO.hasCitationCharacterization, CITO.supports))
    result = validate(ds)
    assert_violation(result, "A person is never the subject or object", iri(PERSON))


def test_rdf_builder_refuses_person_endpoints_and_wrong_targets():
    ex = extraction()
    m = span(TEXT, "Conquest claimed that millions died in the purges")
    ex.add_edge(Edge(PERSON, "supports", CLAIM1, m.start, m.end, 0.8, "test-edge"))
    ex.add_edge(Edge(CLAIM2, "disputes", WORK, m.start, m.end, 0.5, "test-edge"))
    ds = dataset((document(), ex))
    assert (iri(PERSON), CITO.supports, iri(CLAIM1)) not in doc_graph(ds)
    assert (iri(CLAIM2), CITO.disputes, iri(WORK)) not in doc_graph(ds)
    assert validate(ds).conforms


def test_person_as_cites_object():
    ds = dataset()
    doc_graph(ds).add((iri(WORK), CITO.cites, iri(PERSON)))
    result = validate(ds)
    assert_violation(result, "A person is never the subject or object", iri(PERSON))
    assert_violation(result, "The object of cito:cites must be a schema:CreativeWork", iri(PERSON))


def test_disputes_object_that_is_not_a_claim():
    ds = dataset((document(), extraction()))
    g = doc_graph(ds)
    evidence = URIRef("https://example.org/edge/disputes-work")
    g.add((iri(CLAIM2), CITO.disputes, iri(WORK)))
    g.add((evidence, RDF.type, CITO.Citation))
    g.add((evidence, CITO.hasCitingEntity, iri(CLAIM2)))
    g.add((evidence, CITO.hasCitedEntity, iri(WORK)))
    g.add((evidence, CITO.hasCitationCharacterization, CITO.disputes))
    result = validate(ds)
    assert_violation(
        result, "The object of cito:supports or cito:disputes must be a schema:Claim", iri(WORK)
    )


def test_plain_stance_triple_without_evidence_node():
    ds = dataset()
    doc_graph(ds).add((iri(CLAIM2), CITO.supports, iri(CLAIM1)))
    result = validate(ds)
    assert_violation(result, "triple has no evidence node", iri(CLAIM2))
    (v,) = [v for v in result.errors if "has no evidence node" in v.message]
    assert (v.path, v.value) == (CITO.supports, iri(CLAIM1))


def test_evidence_node_without_plain_triple():
    ds = dataset()
    g = doc_graph(ds)
    e = evidence_node(g, iri(WORK), CITO.supports, iri(CLAIM1))
    g.remove((iri(WORK), CITO.supports, iri(CLAIM1)))
    assert_violation(validate(ds), "evidence node has no matching plain triple", e)


def test_confidence_above_one():
    ds = dataset()
    g = doc_graph(ds)
    e = evidence_node(g, iri(CLAIM2), CITO.disputes, iri(CLAIM1))
    g.set((e, CG.confidence, Literal(Decimal("1.5"))))
    result = validate(ds)
    assert_violation(result, "cg:confidence must be between 0 and 1", e)
    assert len(result.errors) == 1, result.text


@pytest.mark.parametrize(
    "literal",
    [
        Literal(0.5, datatype=XSD.double),
        Literal(0.5, datatype=XSD.float),
        Literal(0.81, datatype=XSD.decimal),  # built from a Python float: MODEL.md's pitfall
    ],
    ids=["double", "float", "decimal-from-float"],
)
def test_float_typed_confidence(literal):
    ds = dataset()
    g = doc_graph(ds)
    e = evidence_node(g, iri(WORK), CITO.supports, iri(CLAIM1))
    g.set((e, CG.confidence, literal))
    assert_violation(validate(ds), "cg:confidence must be an xsd:decimal", e)


def test_evidence_node_with_two_confidences():
    ds = dataset()
    g = doc_graph(ds)
    e = evidence_node(g, iri(WORK), CITO.supports, iri(CLAIM1))
    g.add((e, CG.confidence, Literal(Decimal("0.1"))))
    assert_violation(validate(ds), "needs exactly one cg:confidence", e)


def test_evidence_node_without_passage():
    ds = dataset()
    g = doc_graph(ds)
    e = evidence_node(g, iri(WORK), CITO.supports, iri(CLAIM1))
    g.remove((e, PROV.wasDerivedFrom, None))
    assert_violation(validate(ds), "needs exactly one prov:wasDerivedFrom", e)


def test_claim_with_two_labels():
    ds = dataset()
    doc_graph(ds).add((iri(CLAIM1), RDFS.label, Literal("millions died")))
    result = validate(ds)
    assert_violation(result, "more than one rdfs:label", iri(CLAIM1))
    assert len(result.errors) == 1, result.text


def test_claim_without_text():
    ds = dataset()
    doc_graph(ds).remove((iri(CLAIM1), SCHEMA.text, None))
    assert_violation(validate(ds), "A claim has no schema:text", iri(CLAIM1))


def test_person_without_label():
    ds = dataset()
    doc_graph(ds).remove((iri(PERSON), RDFS.label, None))
    assert_violation(validate(ds), "has no rdfs:label", iri(PERSON))


def test_author_that_is_not_a_person():
    ds = dataset()
    doc_graph(ds).add((iri(CLAIM2), SCHEMA.author, iri(WORK)))
    assert_violation(validate(ds), "A schema:author must be a schema:Person", iri(CLAIM2))


def test_work_subtype_without_creative_work():
    ds = dataset()
    doc_graph(ds).remove((iri(WORK), RDF.type, SCHEMA.CreativeWork))
    assert_violation(validate(ds), "must also be a schema:CreativeWork", iri(WORK))


@pytest.mark.parametrize("inverse", [CITO.isCitedBy, CITO.isSupportedBy, CITO.isDisputedBy])
def test_inverse_cito_property(inverse):
    ds = dataset()
    doc_graph(ds).add((iri(WORK), inverse, iri(CLAIM2)))
    result = validate(ds)
    assert_violation(result, "Inverse CiTO properties", iri(WORK))
    assert any(v.path == inverse for v in result.errors)


def test_passage_with_start_after_end():
    ds = dataset()
    g = doc_graph(ds)
    pos = next(g.subjects(RDF.type, OA.TextPositionSelector))
    end = g.value(pos, OA.end).toPython()
    g.set((pos, OA.start, Literal(end + 5, datatype=XSD.nonNegativeInteger)))
    assert_violation(validate(ds), "oa:start is after its oa:end", pos)


def test_passage_beyond_end_of_document():
    ds = dataset()
    g = doc_graph(ds)
    doc = document_iri("essay.txt")
    g.set((doc, CG.characterCount, Literal(10, datatype=XSD.nonNegativeInteger)))
    assert_violation(validate(ds), "ends after the end of its source document")


def test_quote_length_mismatch_is_only_a_warning():
    ds = dataset()
    g = doc_graph(ds)
    quote = next(g.subjects(RDF.type, OA.TextQuoteSelector))
    g.set((quote, OA.exact, Literal("a different quote of another length")))
    result = validate(ds)
    assert result.conforms, result.text
    (warning,) = result.warnings
    assert "quote length differs" in warning.message
    assert warning.severity == "Warning"
    assert "[warning]" in result.text


def test_passage_without_quote_selector():
    ds = dataset()
    g = doc_graph(ds)
    quote = next(g.subjects(RDF.type, OA.TextQuoteSelector))
    passage = g.value(predicate=OA.hasSelector, object=quote)
    g.remove((passage, OA.hasSelector, quote))
    assert_violation(validate(ds), "exactly one oa:TextQuoteSelector", passage)


def test_source_document_without_sha256():
    ds = dataset()
    doc = document_iri("essay.txt")
    doc_graph(ds).remove((doc, CG.sha256, None))
    assert_violation(validate(ds), "needs exactly one cg:sha256", doc)


def test_report_is_short_and_grouped():
    ds = dataset()
    g = doc_graph(ds)
    for i in range(30):  # 30 plain triples without evidence, to claims that are not claims
        g.add((iri(CLAIM2), CITO.supports, iri(f"claim/missing-{i}")))
    g.add((iri(CLAIM1), RDFS.label, Literal("second label")))
    result = validate(ds)
    summary = result.summary()
    assert sum(summary.values()) == len(result.violations)
    assert max(summary.values()) == 30
    lines = result.text.splitlines()
    assert len(lines) <= 20
    assert lines[0].startswith("invalid: ")


# -- the ontology --------------------------------------------------------------------------


def test_ontology_labels_every_cg_term_written_by_rdf_py():
    onto = ontology_graph()
    used = set()
    for s, p, o, _ in document_quads(document(), extraction(), Run.now("test")):
        for term in (s, p, o):
            if isinstance(term, URIRef) and str(term).startswith(str(CG)):
                used.add(term)
    assert used >= {CG.Passage, CG.SourceDocument, CG.ExtractorRun, CG.confidence, CG.sha256}
    for term in used:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term
    assert (CG.ExtractorRun, RDFS.subClassOf, PROV.Activity) in onto
    assert (CG.SourceDocument, RDFS.subClassOf, PROV.Entity) in onto
    assert (CG.Passage, RDFS.subClassOf, OA.SpecificResource) in onto
    assert (CG.confidence, RDFS.range, XSD.decimal) in onto
    assert (None, RDF.type, OWL.Ontology) in onto


def test_shapes_parse():
    shapes = shapes_graph()
    assert len(shapes) > 100


# -- the command ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m claimgraph.cli ARGS`. While sibling command modules are still
    missing (cli.py imports every listed command), run the same `cli.main` with only the
    importable commands registered."""
    from claimgraph import cli

    missing = [c for c in cli.COMMANDS if not importlib.util.find_spec(f"claimgraph.commands.{c}")]
    if not missing:
        cmd = [sys.executable, "-m", "claimgraph.cli", *args]
    else:
        code = (
            "import sys; from claimgraph import cli; "
            f"cli.COMMANDS[:] = [c for c in cli.COMMANDS if c not in {missing!r}]; "
            "sys.exit(cli.main())"
        )
        cmd = [sys.executable, "-c", code, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_cli_valid_and_invalid_trig(tmp_path):
    ds = dataset()
    good = tmp_path / "good.trig"
    ds.serialize(good, format="trig")
    done = _cli("validate", str(good))
    assert done.returncode == 0, done.stderr
    assert (
        "valid: " in done.stdout and "1 named graph conform to claimgraph's shapes" in done.stdout
    )

    doc_graph(ds).add((iri(PERSON), CITO.disputes, iri(CLAIM1)))
    doc_graph(ds).add((iri(WORK), CITO.isCitedBy, iri(CLAIM2)))
    bad = tmp_path / "bad.trig"
    ds.serialize(bad, format="trig")
    done = _cli("validate", str(bad))
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("invalid: ")
    assert "A person is never the subject or object" in done.stdout
    assert "Inverse CiTO properties" in done.stdout
    assert len(done.stdout.splitlines()) <= 21


def test_cli_store(tmp_path):
    # Oxigraph normalises xsd:nonNegativeInteger to xsd:integer: the shapes must accept it
    from claimgraph.graph.store import DiskStore

    store = DiskStore(tmp_path / "store")
    quads = document_quads(document(), extraction(), Run.now("test"))
    store.replace_graphs({document_iri("essay.txt"): quads})
    done = _cli("validate", "--store", str(store.path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"valid: {len(set(quads))} triples, 1 named graph conform" in done.stdout

    done = _cli("validate", "--store", str(tmp_path / "nothing-here"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("kind", ["missing", "unparseable", "folder"])
def test_cli_bad_input_is_one_line(tmp_path, kind):
    if kind == "missing":
        path = tmp_path / "nothere.trig"
    elif kind == "unparseable":
        path = tmp_path / "broken.trig"
        path.write_text("this is <not turtle\n", encoding="utf-8")
    else:
        path = tmp_path
    done = _cli("validate", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("claimgraph validate: error: ")
