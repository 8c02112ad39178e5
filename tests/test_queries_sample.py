"""Every saved query on the real sample corpus, ingested by the real pipeline.

The rows asserted here are what a reader of the two sample texts expects: the essay weighs
two death-toll estimates against each other (contested claims), one commentator condemns
another (who disputes whom), a summary cites its subject book, and every quote sits at its
offsets in the source file.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from conftest import CORPUS

from claimgraph import open_store
from claimgraph.queries.frames import run_query
from claimgraph.queries.library import list_queries

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graph(sample_store):
    return open_store(sample_store)


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in CORPUS.iterdir() if p.is_file()}


def _labels(df: pd.DataFrame, column: str) -> list[str]:
    return [str(v) for v in df[column].tolist()]


def test_every_saved_query_runs_on_the_sample(graph):
    for q in list_queries():
        params = {p.name: "x" for p in q.params if p.required}
        if "claim" in params:
            params["claim"] = "claim/000000000000"
        run_query(graph, q.name, **params)  # raises on any error


def test_contested_claims_are_the_two_death_toll_estimates(graph):
    df = run_query(graph, "contested-claims")
    by_label = {str(r.label): (r.supports, r.disputes) for r in df.itertuples()}
    assert any("20 million" in k and v == (1, 1) for k, v in by_label.items()), by_label
    assert any("30-40 million" in k and v == (1, 1) for k, v in by_label.items()), by_label
    assert (df["supports"] >= 1).all() and (df["disputes"] >= 1).all()


def test_who_disputes_whom_goes_through_authors(graph):
    df = run_query(graph, "who-disputes-whom")
    pairs = set(zip(_labels(df, "disputerLabel"), _labels(df, "disputedLabel"), strict=True))
    assert ("Ben Shapiro", "Asatar Bair") in pairs
    assert not any(a == b for a, b in pairs)


def test_evidence_trail_quotes_sit_at_their_offsets(graph, sources):
    contested = run_query(graph, "contested-claims")
    claim = next(r.claim for r in contested.itertuples() if "20 million" in str(r.label))
    df = run_query(graph, "evidence-trail", claim=str(claim))
    assert set(df["stance"]) == {"supports", "disputes"}
    supporter = df[df["stance"] == "supports"].iloc[0]
    assert str(supporter["sourceLabel"]) == "The Great Terror"
    files = run_query(graph, "documents").set_index("document")["file"]
    for row in df.itertuples():
        text = sources[str(files[row.document])]
        assert text[int(row.start) : int(row.end)] == row.quote
        assert 0 < float(row.confidence) <= 1


def test_claims_about_matches_any_case_with_a_balance(graph):
    lower = run_query(graph, "claims-about", name="stalin")
    upper = run_query(graph, "claims-about", name="STALIN")
    assert len(lower) == len(upper) >= 3
    assert set(_labels(lower, "aboutLabel")) == {"Josef Stalin"}
    assert lower["disputes"].sum() >= 1 and lower["supports"].sum() >= 1


def test_person_claims_name_the_work_only_when_quoted_from_one(graph):
    df = run_query(graph, "person-claims")
    rows = df[df["personLabel"] == "Anton Antonov-Ovseyenko"]
    assert "The Time of Stalin" in set(_labels(rows, "workLabel"))
    # a work column that is set always names a work the claim was quoted from
    works = run_query(graph, "SELECT ?w WHERE { ?w a <https://schema.org/CreativeWork> }")
    known = set(works["w"].astype(str))
    assert set(df["work"].dropna().astype(str)) <= known


def test_most_cited_works_include_the_reference_list(graph):
    df = run_query(graph, "most-cited-works")
    authors = dict(zip(_labels(df, "label"), _labels(df, "authors"), strict=True))
    assert "Sheila Fitzpatrick" in authors["Everyday Stalinism"]
    assert "Robert Conquest" in authors["The Great Terror"]
    assert (df["documents"] >= 1).all()


def test_co_cited_works_pair_works_from_one_document(graph):
    df = run_query(graph, "co-cited-works")
    pairs = {frozenset(p) for p in zip(_labels(df, "label1"), _labels(df, "label2"), strict=True)}
    assert frozenset({"The Great Terror", "The Time of Stalin"}) in pairs
    assert run_query(graph, "co-cited-works", min_documents=3).empty  # only two documents


def test_documents_report_file_hash_and_size(graph, sources):
    df = run_query(graph, "documents")
    assert sorted(_labels(df, "file")) == sorted(sources)
    for row in df.itertuples():
        text = sources[str(row.file)]
        assert int(row.characters) == len(text)
        assert str(row.sha256) == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert row.nodes > 10 and row.edges > 10


def test_low_confidence_edges_respect_the_threshold(graph):
    low = run_query(graph, "low-confidence-edges", threshold=0.75)
    lower = run_query(graph, "low-confidence-edges", threshold=0.65)
    assert len(low) > len(lower) > 0
    assert (low["confidence"].astype(float) < 0.75).all()
    assert set(low["stance"]) <= {"supports", "disputes", "cites"}
    assert low["quote"].notna().all()


def test_indirect_disputes_are_the_closure_of_plain_edges(graph):
    """The query's rows equal disputes/supports+ computed in Python from the plain edges."""
    edges = run_query(
        graph,
        "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p IN (cito:supports, cito:disputes)) }",
    )
    supports: dict[str, set[str]] = {}
    disputes = []
    for s, p, o in edges.astype(str).itertuples(index=False):
        if p.endswith("supports"):
            supports.setdefault(s, set()).add(o)
        else:
            disputes.append((s, o))
    expected = set()
    for disputer, via in disputes:
        seen, todo = set(), list(supports.get(via, ()))
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(supports.get(c, ()))
        expected |= {(disputer, via, c) for c in seen if c != via}
    df = run_query(graph, "indirect-disputes")
    got = set(df[["disputer", "via", "claim"]].astype(str).itertuples(index=False, name=None))
    assert got == expected


def test_orphan_claims_have_no_stance_edges(graph):
    df = run_query(graph, "orphan-claims")
    contested = set(run_query(graph, "contested-claims")["claim"].astype(str))
    orphans = set(df["claim"].astype(str))
    assert orphans and not orphans & contested
