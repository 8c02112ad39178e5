"""The claim network (graph.network), its analyses (graph.analysis) and the HTML it renders."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from claimgraph.graph import analysis, views
from claimgraph.graph.network import (
    NodeNotFound,
    build_network,
    filter_network,
    find_node,
    neighbourhood,
    normalise_name,
)
from claimgraph.graph.store import DiskStore, StoreError

PREFIX = """PREFIX schema: <https://schema.org/> PREFIX cito: <http://purl.org/spar/cito/>
PREFIX cg: <https://w3id.org/claimgraph/vocab#>
"""


def count(ds, query: str) -> int:
    return int(next(iter(ds.query(PREFIX + query)))[0])


@pytest.fixture(scope="module")
def store(sample_store) -> DiskStore:
    return DiskStore(sample_store)


@pytest.fixture(scope="module")
def G(store) -> nx.MultiDiGraph:
    return build_network(store)


def label_of(G, node):
    return G.nodes[node]["label"]


def test_nodes_and_edges_match_the_store(G, store):
    ds = store.dataset()
    for kind, cls in [("Person", "Person"), ("Work", "CreativeWork"), ("Claim", "Claim")]:
        expected = count(ds, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a schema:{cls} }}")
        assert sum(d["type"] == kind for _, d in G.nodes(data=True)) == expected
    docs = count(ds, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a cg:SourceDocument }")
    assert sum(d["type"] == "Document" for _, d in G.nodes(data=True)) == docs == 2
    for rel in ("supports", "disputes", "cites"):
        expected = count(
            ds,
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a cito:Citation ;"
            f" cito:hasCitationCharacterization cito:{rel} }}",
        )
        assert sum(d["relation"] == rel for *_, d in G.edges(data=True)) == expected > 0
    authors = count(
        ds, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?w ?p { ?w schema:author ?p } }"
    )
    assert sum(d["relation"] == "author" for *_, d in G.edges(data=True)) == authors > 0


def test_every_evidence_edge_keeps_its_quote_document_and_confidence(G):
    evidence = [d for *_, d in G.edges(data=True) if d["relation"] != "about"]
    cito = [d for d in evidence if d["relation"] in ("supports", "disputes", "cites")]
    assert cito and all(d["quote"] and d["document"].endswith(".txt") for d in cito)
    assert all(0 <= d["confidence"] <= 1 for d in cito)
    assert all(d["start"] < d["end"] for d in cito)


def test_names_are_found_by_any_alias_without_case_or_accents(G):
    shapiro = find_node(G, "Ben Shapiro")
    assert G.nodes[shapiro]["type"] == "Person"
    assert find_node(G, "BEN SHAPIRO") == find_node(G, "shapiro") == shapiro
    assert find_node(G, "Bén Shapíro") == shapiro
    assert normalise_name("Jesús") == "jesus"
    with pytest.raises(NodeNotFound):
        find_node(G, "Nobody Of That Name")


def test_shapiro_authors_a_claim_disputing_one_by_bair(G):
    shapiro, bair = find_node(G, "Ben Shapiro"), find_node(G, "Asatar Bair")
    disputed_by_shapiro = {
        v
        for _, claim, d in G.out_edges(shapiro, data=True)
        if d["relation"] == "author"
        for _, v, e in G.out_edges(claim, data=True)
        if e["relation"] == "disputes"
    }
    bairs = {v for _, v, d in G.out_edges(bair, data=True) if d["relation"] == "author"}
    assert disputed_by_shapiro & bairs


def test_the_great_terror_is_cited_and_written_by_conquest(G):
    work = find_node(G, "The Great Terror")
    assert G.nodes[work]["type"] == "Work"
    assert any(d["relation"] == "cites" for *_, d in G.in_edges(work, data=True))
    authors = [
        label_of(G, u) for u, _, d in G.in_edges(work, data=True) if d["relation"] == "author"
    ]
    assert "Robert Conquest" in authors


def test_filters(G):
    only = filter_network(G, relations=["disputes"])
    assert {d["relation"] for *_, d in only.edges(data=True)} == {"disputes"}
    assert only.number_of_nodes() == G.number_of_nodes()
    claims = filter_network(G, types=["claim"])
    assert {d["type"] for _, d in claims.nodes(data=True)} == {"Claim"}
    strong = filter_network(G, min_confidence=0.7)
    assert all(
        d["confidence"] is None or d["confidence"] >= 0.7 for *_, d in strong.edges(data=True)
    )
    assert strong.number_of_edges() < G.number_of_edges()
    doc = sorted({d["document"] for *_, d in G.edges(data=True)})[0]
    one = filter_network(G, documents=[doc])
    assert all(doc in d["documents"] for _, d in one.nodes(data=True))
    assert 0 < one.number_of_nodes() < G.number_of_nodes()
    with pytest.raises(ValueError, match="unknown relation"):
        filter_network(G, relations=["likes"])


def test_neighbourhood_grows_with_hops(G):
    near = neighbourhood(G, "Ben Shapiro", hops=1)
    far = neighbourhood(G, "Ben Shapiro", hops=3)
    bair = find_node(G, "Asatar Bair")
    assert near.graph["focus"] == find_node(G, "Ben Shapiro")
    assert bair not in near and bair in far
    assert set(near) < set(far) < set(G)


def test_contested_claims_include_the_death_toll_claims(G):
    df = analysis.contested_claims(G)
    assert (df["supports"] > 0).all() and (df["disputes"] > 0).all()
    labels = list(df["label"])
    assert any(lab.startswith("It couldn’t possibly be 20 million victims") for lab in labels)
    assert any(lab.startswith("30-40 million") for lab in labels)
    weaker = df[["supports", "disputes"]].min(axis=1)
    assert list(weaker) == sorted(weaker, reverse=True)


def test_influential_sources_rank_cited_works(G):
    df = analysis.influential_sources(G)
    assert list(df["pagerank"]) == sorted(df["pagerank"], reverse=True)
    assert "Person" not in set(df["type"])
    row = df[df["label"] == "The Great Terror"].iloc[0]
    assert row["cited_by"] >= 1 and row["supports"] >= 1


def test_single_source_claims_have_exactly_one_supporter(G):
    df = analysis.single_source_claims(G)
    assert len(df) > 0
    for claim, source in zip(df["claim"], df["source"], strict=True):
        supporters = {u for u, _, d in G.in_edges(claim, data=True) if d["relation"] == "supports"}
        assert supporters == {source}


def test_argument_clusters_group_supporting_claims_and_name_opponents(G):
    df = analysis.argument_clusters(G)
    assert (df["size"] >= 2).all()
    assert df["size"].sum() == sum(map(len, df["members"]))
    contested = df[df["members"].map(lambda ms: any(m.startswith("30-40 million") for m in ms))]
    assert len(contested) == 1 and contested.iloc[0]["disputes_against"] >= 1
    assert contested.iloc[0]["opponents"]


def test_evidence_path_from_shapiro_to_bair(G):
    df = analysis.evidence_path(G, "shapiro", "Asatar Bair")
    assert df.iloc[0]["from"] == "Ben Shapiro" and df.iloc[-1]["to"] == "Asatar Bair"
    assert "disputes" in set(df["relation"])
    step = df[df["relation"] == "disputes"].iloc[0]
    assert step["quote"] and step["document"].endswith(".txt")
    with pytest.raises(nx.NetworkXNoPath):
        analysis.evidence_path(G, "Ben Shapiro", "Asatar Bair", relations=["cites"])


def test_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no claimgraph store"):
        build_network(DiskStore(tmp_path / "nothing"))


def test_render_leaves_the_graph_alone_and_escapes_untrusted_text(G):
    H = filter_network(G)
    H.add_node("x", label="<script>alert(1)</script>", type="Claim", text="a \\ \" ' </script>")
    before = copy.deepcopy(H)
    page = views.render_html(H, title="<img src=x onerror=alert(2)>")
    assert nx.utils.graphs_equal(H, before)
    assert dict(H.nodes(data=True)) == dict(before.nodes(data=True))
    assert "<script>alert(1)" not in page and "</script>\\" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "cdn." not in page and "bootstrap" not in page.lower()


def test_large_graphs_are_cut_to_the_most_important_part(G):
    page = views.render_html(G, max_nodes=40)
    assert "Showing the 40 most important of" in page
    top = views.most_important(G, 40)
    assert len(top) == 40 and find_node(G, "Josef Stalin") in top
