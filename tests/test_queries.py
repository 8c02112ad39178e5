"""The saved-query library, run_query's DataFrames and `claimgraph query`, on the fixture graph.

Every saved query runs on both engines (Oxigraph through the DiskStore, rdflib's own engine
through a MemoryStore) and must return the rows that tests/fixtures_graph.py implies.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import fixtures_graph as fg
import pandas as pd
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from claimgraph.errors import UserError, user_message
from claimgraph.graph.identity import document_iri
from claimgraph.graph.namespaces import SCHEMA, base_iri
from claimgraph.graph.store import MemoryStore
from claimgraph.queries.frames import run_query
from claimgraph.queries.library import (
    QUERY_DIR,
    expand_iri,
    list_queries,
    load_query,
    parse_header,
    to_term,
)

F = fg.full
REQUIRED_QUERIES = {
    "contested-claims",
    "who-disputes-whom",
    "evidence-trail",
    "claims-about",
    "person-claims",
    "most-cited-works",
    "co-cited-works",
    "low-confidence-edges",
    "indirect-disputes",
    "documents",
    "orphan-claims",
}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    return fg.build_store(tmp_path_factory.mktemp("store") / "store")


@pytest.fixture(scope="module")
def memory():
    store = MemoryStore()
    store.replace_graphs(fg.fixture_graphs())
    return store


@pytest.fixture(params=["oxigraph", "rdflib"])
def store(request, disk, memory):
    return disk if request.param == "oxigraph" else memory


def records(df: pd.DataFrame, *columns: str) -> list[tuple]:
    """Rows of the chosen columns as plain Python values, in the query's order."""
    out = []
    for row in df[list(columns)].itertuples(index=False):
        out.append(
            tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row)
        )
    return out


# -- the library --------------------------------------------------------------------------
def test_library_has_every_required_query_with_a_full_header():
    queries = {q.name: q for q in list_queries()}
    assert set(queries) >= REQUIRED_QUERIES
    for q in queries.values():
        assert q.title and q.description, q.name
        assert q.examples and all(f"claimgraph query {q.name}" in e for e in q.examples), q.name
        assert q.text.lstrip().startswith("# title:"), q.name
        for p in q.params:
            assert p.type in ("iri", "string", "decimal", "integer")
            assert p.meaning
            # Oxigraph substitutes only projected variables: every parameter is selected.
            select = q.text[q.text.index("SELECT") : q.text.index("WHERE")]
            assert f"?{p.name}" in select, (q.name, p.name)


def test_header_parsing():
    q = parse_header(
        "# title: T\n# description: first line\n#   second line\n"
        "# param limit (integer): 5 — how many\n# param who (iri): any — someone\n"
        "# example: claimgraph query x --param limit=2\nSELECT * {}",
        "x",
    )
    assert q.title == "T"
    assert q.description == "first line second line"
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("limit", "integer", "5"),
        ("who", "iri", "any"),
    ]
    assert q.params[1].optional and not q.params[0].required
    assert q.examples == ["claimgraph query x --param limit=2"]


def test_load_query_and_close_names():
    q = load_query("low-confidence-edges")
    assert q.param("threshold").type == "decimal" and q.param("threshold").default == "0.5"
    assert q.path == QUERY_DIR / "low-confidence-edges.rq"
    with pytest.raises(UserError, match="did you mean contested-claims"):
        load_query("contsted-claims")


def test_parameters_are_typed_terms():
    assert to_term("0.3", "decimal") == Literal(Decimal("0.3"), datatype=XSD.decimal)
    assert to_term("7", "integer") == Literal(7, datatype=XSD.integer)
    assert to_term("x y", "string") == Literal("x y")
    assert expand_iri("claim/abc") == URIRef(base_iri() + "claim/abc")
    assert expand_iri("schema:Person") == SCHEMA.Person
    assert expand_iri("<http://example.org/a>") == URIRef("http://example.org/a")
    assert expand_iri("https://example.org/b") == URIRef("https://example.org/b")
    for bad, kind in (("abc", "decimal"), ("1.5", "integer"), ("a b", "iri"), ("nan", "decimal")):
        with pytest.raises(UserError):
            to_term(bad, kind)
    q = load_query("low-confidence-edges")
    with pytest.raises(UserError, match="no parameter 'treshold'"):
        q.bindings({"treshold": "1"})
    with pytest.raises(UserError, match="needs --param claim"):
        load_query("evidence-trail").bindings({})


def test_parameter_values_never_reach_the_query_text(store):
    # A value that would break out of a string if it were pasted into the query.
    evil = 'Stalin") } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("'
    df = run_query(store, "claims-about", name=evil)
    assert df.empty
    with pytest.raises(UserError, match="not an IRI"):
        run_query(store, "evidence-trail", claim="claim/x> } UNION { ?a ?b ?c")


# -- every saved query, on both engines ------------------------------------------------
def test_contested_claims(store):
    df = run_query(store, "contested-claims")
    assert records(df, "claim", "label", "supports", "disputes") == [
        (F(fg.PURGE_TOLL), fg.PURGE_TOLL_TEXT, 3, 1)
    ]


def test_who_disputes_whom(store):
    df = run_query(store, "who-disputes-whom")
    rows = records(
        df, "disputer", "disputerLabel", "disputed", "disputedLabel", "claims", "documents"
    )
    assert sorted(rows) == [
        (F(fg.FURR), "Grover Furr", F(fg.KHRUSHCHEV), "Nikita Khrushchev", 1, 1),
        (F(fg.FURR), "Grover Furr", F(fg.CONQUEST), "Robert Conquest", 1, 1),
    ]


def test_evidence_trail(store):
    df = run_query(store, "evidence-trail", claim=fg.PURGE_TOLL)
    rows = records(df, "stance", "source", "target", "confidence", "document")
    assert sorted(rows) == sorted(
        [
            ("supports", F(fg.GREAT_TERROR), F(fg.PURGE_TOLL), 0.9, fg.DOC_A),
            ("disputes", F(fg.KHRUSHCHEV_LIED), F(fg.PURGE_TOLL), 0.8, fg.DOC_A),
            ("supports", F(fg.STALIN_ORDERED), F(fg.PURGE_TOLL), 0.6, fg.DOC_A),
            ("supports", F(fg.PURGE_TOLL), F(fg.OFFICERS), 0.55, fg.DOC_A),
            ("supports", fg.DOC_B, F(fg.PURGE_TOLL), 0.35, fg.DOC_B),
        ]
    )
    # the exact quote and its offsets into the source text
    for quote, start, end, doc in records(df, "quote", "start", "end", "document"):
        text = fg.DOC_A_TEXT if doc == fg.DOC_A else fg.DOC_B_TEXT
        assert text[start:end] == quote
    dispute = df[df["stance"] == "disputes"].iloc[0]
    assert dispute["quote"] == "Khrushchev Lied (2011) rejects the toll outright"
    assert dispute["sourceLabel"] == "Khrushchev Lied"


def test_claims_about_any_alias_any_case(store):
    expected = [
        (F(fg.PURGE_TOLL), F(fg.STALIN), 3, 1),
        (F(fg.STALIN_ORDERED), F(fg.STALIN), 0, 1),
        (F(fg.ORPHAN), F(fg.STALIN), 0, 0),
    ]
    for name in ("Stalin", "KOBA", "joseph stalin"):
        df = run_query(store, "claims-about", name=name)
        assert sorted(records(df, "claim", "about", "supports", "disputes")) == sorted(expected)
    # "Great Terror" is an alternate name of the event, not the title of the book
    df = run_query(store, "claims-about", name="great terror")
    assert set(df["about"]) == {F(fg.GREAT_PURGE)}
    assert set(df["claim"]) == {F(fg.PURGE_TOLL), F(fg.STALIN_ORDERED), F(fg.OFFICERS)}


def test_person_claims(store):
    df = run_query(store, "person-claims")
    assert sorted(records(df, "person", "claim", "work", "document", "start", "end")) == sorted(
        [
            (F(fg.CONQUEST), F(fg.PURGE_TOLL), F(fg.GREAT_TERROR), fg.DOC_A, 56, 99),
            (F(fg.KHRUSHCHEV), F(fg.STALIN_ORDERED), F(fg.SECRET_SPEECH), fg.DOC_A, 145, 190),
            (F(fg.KHRUSHCHEV), F(fg.OFFICERS), F(fg.SECRET_SPEECH), fg.DOC_A, 201, 247),
            (F(fg.FURR), F(fg.SPEECH_FALSE), F(fg.KHRUSHCHEV_LIED), fg.DOC_A, 333, 377),
        ]
    )
    assert fg.DOC_A_TEXT[56:99] == "the Great Purge killed about 700,000 people"
    one = run_query(store, "person-claims", person="person/grover-furr")
    assert records(one, "personLabel", "text", "workLabel") == [
        ("Grover Furr", fg.SPEECH_FALSE_TEXT, "Khrushchev Lied")
    ]


def test_most_cited_works(store):
    df = run_query(store, "most-cited-works")
    assert records(df, "work", "label", "published", "authors", "documents", "citers") == [
        (F(fg.SECRET_SPEECH), "Secret Speech", "1956", "Nikita Khrushchev", 2, 3),
        (F(fg.GREAT_TERROR), "The Great Terror", "1968", "Robert Conquest", 2, 2),
    ]


def test_co_cited_works(store):
    df = run_query(store, "co-cited-works")
    assert records(df, "work1", "work2", "documents") == [
        (F(fg.SECRET_SPEECH), F(fg.GREAT_TERROR), 2)
    ]
    assert run_query(store, "co-cited-works", min_documents=3).empty


def test_low_confidence_edges(store):
    df = run_query(store, "low-confidence-edges")
    assert records(df, "confidence", "stance", "source", "target", "document") == [
        (0.35, "supports", fg.DOC_B, F(fg.PURGE_TOLL), fg.DOC_B)
    ]
    assert df["quote"][0] == "tentatively accepts that the Great Purge killed about 700,000 people"
    higher = run_query(store, "low-confidence-edges", threshold="0.6")
    assert records(higher, "confidence", "source", "target") == [
        (0.35, fg.DOC_B, F(fg.PURGE_TOLL)),
        (0.55, F(fg.PURGE_TOLL), F(fg.OFFICERS)),
    ]
    assert run_query(store, "low-confidence-edges", threshold=Decimal("0.1")).empty


def test_indirect_disputes(store):
    df = run_query(store, "indirect-disputes")
    assert sorted(records(df, "disputer", "via", "claim")) == sorted(
        [
            (F(fg.SPEECH_FALSE), F(fg.STALIN_ORDERED), F(fg.PURGE_TOLL)),
            (F(fg.SPEECH_FALSE), F(fg.STALIN_ORDERED), F(fg.OFFICERS)),
            (F(fg.KHRUSHCHEV_LIED), F(fg.PURGE_TOLL), F(fg.OFFICERS)),
        ]
    )
    one = run_query(store, "indirect-disputes", claim=fg.PURGE_TOLL)
    assert records(one, "disputer", "via") == [(F(fg.SPEECH_FALSE), F(fg.STALIN_ORDERED))]


def test_documents(store):
    df = run_query(store, "documents")
    doc_a, doc_b = fg.document_a()[0], fg.document_b()[0]
    assert records(df, "document", "file", "sha256", "characters", "nodes", "edges") == [
        (fg.DOC_A, fg.DOC_A_NAME, doc_a.sha256, len(fg.DOC_A_TEXT), 12, 8),
        (fg.DOC_B, fg.DOC_B_NAME, doc_b.sha256, len(fg.DOC_B_TEXT), 6, 3),
    ]
    assert list(df["ended"]) == [pd.Timestamp(fg.RUN_ENDED)] * 2
    assert list(df["extractor"]) == ["claimgraph-rules 0.1.0"] * 2


def test_orphan_claims(store):
    df = run_query(store, "orphan-claims")
    assert records(df, "claim", "text", "document") == [(F(fg.ORPHAN), fg.ORPHAN_TEXT, fg.DOC_B)]


def test_every_saved_query_agrees_on_both_engines(disk, memory):
    params = {"evidence-trail": {"claim": fg.PURGE_TOLL}, "claims-about": {"name": "stalin"}}
    for q in list_queries():
        a = run_query(disk, q.name, **params.get(q.name, {}))
        b = run_query(memory, q.name, **params.get(q.name, {}))
        assert not a.empty, q.name
        key = list(a.columns)
        assert list(b.columns) == key
        a = a.astype(str).sort_values(key).reset_index(drop=True)
        b = b.astype(str).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=q.name)


# -- DataFrames ---------------------------------------------------------------------------
def test_dataframe_dtypes(disk):
    df = run_query(disk, "evidence-trail", claim=fg.PURGE_TOLL)
    assert str(df["source"].dtype) == "string" and str(df["quote"].dtype) == "string"
    assert str(df["start"].dtype) == "Int64" and str(df["end"].dtype) == "Int64"
    assert str(df["confidence"].dtype) == "Float64"
    docs = run_query(disk, "documents")
    assert str(docs["nodes"].dtype) == "Int64"
    assert str(docs["ended"].dtype).startswith("datetime64")
    # an unbound value is <NA>, and the column keeps its type
    adhoc = run_query(
        disk,
        "PREFIX cg: <https://w3id.org/claimgraph/vocab#> SELECT ?x ?n WHERE { "
        "{ BIND(1 AS ?n) } UNION { BIND(<http://e.org/x> AS ?x) } }",
    )
    assert str(adhoc["n"].dtype) == "Int64" and adhoc["n"].isna().sum() == 1
    ask = run_query(disk, "ASK { ?s a <https://schema.org/Claim> }")
    assert list(ask.columns) == ["ask"] and bool(ask["ask"][0]) is True
    construct = run_query(disk, "CONSTRUCT WHERE { ?s a <https://schema.org/Person> }")
    assert list(construct.columns) == ["subject", "predicate", "object"]
    assert set(construct["subject"]) == {
        F(k) for k in (fg.CONQUEST, fg.FURR, fg.KHRUSHCHEV, fg.STALIN)
    }


def test_run_query_accepts_a_path_and_ad_hoc_parameters(disk):
    df = run_query(
        disk.path,
        "SELECT ?x ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        label="Grover Furr",
    )
    assert set(df["x"]) == {F(fg.FURR)}


def test_malformed_query_names_line_and_column(store):
    with pytest.raises(UserError, match=r"^syntax error in query at line 3, column 12: "):
        run_query(store, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  ?s ?p ?o ?oops .\n}")
    with pytest.raises(UserError, match=r"syntax error in query.*undeclared prefix"):
        run_query(store, "SELECT ?s WHERE { ?s nope:p ?o }")


# -- the command line ---------------------------------------------------------------------
def cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """`claimgraph query ARGS`: through the real CLI once `query` is registered, else the
    command module through argparse (the way cli.main runs it)."""
    from claimgraph import cli as cli_module

    if "query" in cli_module.COMMANDS:
        proc = subprocess.run(
            [sys.executable, "-m", "claimgraph.cli", "query", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return proc.returncode, proc.stdout, proc.stderr
    from claimgraph.commands import query as command

    parser = argparse.ArgumentParser(prog="claimgraph query")
    command.add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command.run(parser.parse_args(list(args)))
            except Exception as exc:  # noqa: BLE001 - as cli.main does
                print(f"claimgraph query: error: {user_message(exc)}", file=sys.stderr)
                code = 2
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def test_cli_list():
    code, out, _ = cli("--list")
    assert code == 0
    for name in REQUIRED_QUERIES:
        assert f"{name}: " in out
    assert "Low-confidence edges" in out and "--param threshold" in out


def test_cli_table_is_aligned_and_shortened(disk):
    code, out, _ = cli("contested-claims", "--store", str(disk.path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["claim", "label", "supports", "disputes"]
    assert lines[2].startswith(fg.PURGE_TOLL + "  ")  # data IRIs shown as their key
    assert lines[-1] == "(1 row)"
    assert len(lines[0]) == len(lines[2])  # columns line up; numbers right-aligned


def test_cli_formats(disk):
    store = ["--store", str(disk.path)]
    code, out, _ = cli("most-cited-works", *store, "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "work,label,published,authors,documents,citers"
    assert out.splitlines()[1] == f"{F(fg.SECRET_SPEECH)},Secret Speech,1956,Nikita Khrushchev,2,3"
    code, out, _ = cli("most-cited-works", *store, "--format", "tsv", "--limit", "1")
    assert out.splitlines() == [
        "work\tlabel\tpublished\tauthors\tdocuments\tciters",
        f"{F(fg.SECRET_SPEECH)}\tSecret Speech\t1956\tNikita Khrushchev\t2\t3",
    ]
    code, out, _ = cli("most-cited-works", *store, "--format", "json")
    doc = json.loads(out)
    assert doc["head"]["vars"][:2] == ["work", "label"]
    first = doc["results"]["bindings"][0]
    assert first["work"] == {"type": "uri", "value": F(fg.SECRET_SPEECH)}
    assert first["documents"]["value"] == "2" and first["documents"]["datatype"].endswith(
        "#integer"
    )
    code, out, _ = cli("documents", *store, "--format", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("| document | file | sha256 |")
    assert lines[1].startswith("| --- | --- | --- | ---: |")
    short = document_iri("essays/terror.txt").removeprefix(str(base_iri()))
    assert f"| {short} | essays/terror.txt |" in lines[2]


def test_cli_param_and_stdin(disk):
    code, out, _ = cli(
        "low-confidence-edges", "--store", str(disk.path), "--param", "threshold=0.6", "-f", "csv"
    )
    assert code == 0 and len(out.splitlines()) == 3
    query = "SELECT ?x ?name WHERE { ?x <https://schema.org/alternateName> ?name }"
    code, out, _ = cli("-", "--store", str(disk.path), "-p", "name=Koba", "-f", "tsv", stdin=query)
    assert code == 0 and out.splitlines()[1] == f"{F(fg.STALIN)}\tKoba"
    path = Path(disk.path).parent / "mine.rq"
    path.write_text(
        "# title: Mine\n# param who (iri): required — a person\nSELECT ?who ?l WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> ?l }\n"
    )
    code, out, _ = cli(
        str(path), "--store", str(disk.path), "-p", "who=person/grover-furr", "-f", "csv"
    )
    assert code == 0 and out.splitlines()[1:] == [f"{F(fg.FURR)},Grover Furr"]


def test_cli_errors_are_one_line_with_exit_2(disk):
    store = ["--store", str(disk.path)]
    code, out, err = cli("-", *store, stdin="SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}\n")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "syntax error" in err and "line" in err and "column" in err
    code, _, err = cli("contsted-claims", *store)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "contested-claims" in err
    code, _, err = cli("low-confidence-edges", *store, "--param", "threshold=lots")
    assert code == 2 and "decimal" in err
    code, _, err = cli("evidence-trail", *store)
    assert code == 2 and "--param claim=" in err
    code, _, err = cli("contested-claims", "--store", str(Path(disk.path).parent / "nothing"))
    assert code == 2 and "no claimgraph store" in err
