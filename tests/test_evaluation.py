"""`claimgraph eval` and claimgraph.evaluation on small constructed graphs and gold files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

from claimgraph.errors import UserError
from claimgraph.evaluation import (
    EvalReport,
    evaluate,
    fold_name,
    format_report,
    load_gold,
    token_f1,
)
from claimgraph.graph.identity import claim_key, document_iri, iri, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.graph.namespaces import CITO, OA
from claimgraph.graph.rdf import Run, document_quads
from claimgraph.graph.store import DiskStore

ROOT = Path(__file__).resolve().parents[1]
NAME = "notes/harbour.txt"
TEXT = (
    "In The Glass Harbour: A History of the Docks (1998), Marta Kowalska argued that the "
    "harbour strike was organised by the dock workers themselves. Piet Brandt disagrees: the "
    "union leadership planned the harbour strike in advance. Kowalska cites the Port Ledger."
)

# Predicted keys (the identity the extractor would mint).
KOWALSKA = node_key("Person", "Marta Kowalska")
BRANDT = node_key("Person", "Piet Brandt")
HARBOUR = node_key("Work", "The Glass Harbour: A History of the Docks")
LEDGER = node_key("Work", "Port Ledger")
STRIKE = node_key("Event", "Harbour strike")
SELF_TEXT = "The harbour strike was organised by the dock workers themselves"
PLANNED_TEXT = "The union leadership planned the harbour strike in advance"
SELF = claim_key(SELF_TEXT)
PLANNED = claim_key(PLANNED_TEXT)


# --------------------------------------------------------------------------- builders
def node(kind, key, label, *, aliases=(), rule="test-node", **kw) -> Node:
    return Node(kind, key, label, aliases=set(aliases), mentions=[Mention(0, 10)], rule=rule, **kw)


def claim(key, text, *, rule="test-claim", **kw) -> Node:
    start = max(0, TEXT.find(text[4:30]))
    return Node(
        "Claim", key, text, text=text, mentions=[Mention(start, start + 40)], rule=rule, **kw
    )


def edge(source, relation, target, rule="test-edge") -> Edge:
    return Edge(source, relation, target, 0, 40, 0.8, rule)


def base_nodes() -> list[Node]:
    return [
        node("Person", KOWALSKA, "Marta Kowalska", aliases={"Kowalska"}),
        node("Person", BRANDT, "Piet Brandt"),
        node("Work", HARBOUR, "The Glass Harbour: A History of the Docks", authors=[KOWALSKA]),
        node("Work", LEDGER, "Port Ledger"),
        node("Event", STRIKE, "Harbour strike"),
        claim(SELF, SELF_TEXT, authors=[KOWALSKA], work=HARBOUR),
        claim(PLANNED, PLANNED_TEXT, authors=[BRANDT]),
    ]


def base_edges() -> list[Edge]:
    return [
        edge(HARBOUR, "supports", SELF),
        edge(PLANNED, "disputes", SELF),
        edge(DOC, "cites", LEDGER),
    ]


def quads(nodes, edges, name=NAME, text=TEXT) -> list[tuple]:
    ex = Extraction()
    for n in nodes:
        ex.add_node(n)
    for e in edges:
        ex.add_edge(e)
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = Document(path=name, name=name, text=text, sha256=sha, passages=[(0, len(text))])
    return document_quads(doc, ex, Run.now("test"))


def dataset(*quad_lists) -> Dataset:
    ds = Dataset(default_union=True)
    for q in quad_lists:
        ds.addN(q)
    return ds


def gold_entity(id, type, label=None, aliases=(), **kw) -> dict:
    d = {"id": id, "type": type, **kw}
    if label is not None:
        d["label"] = label
    if aliases:
        d["aliases"] = list(aliases)
    return d


def base_gold(document=NAME) -> dict:
    return {
        "document": document,
        "entities": [
            gold_entity("p_kow", "Person", "Marta Kowalska", ["Kowalska", "M. Kowalska"]),
            gold_entity("p_brandt", "Person", "Piet Brandt", ["Brandt"]),
            gold_entity("w_harbour", "Work", "The Glass Harbour", authors=["p_kow"], year=1998),
            gold_entity("w_ledger", "Work", "the Port Ledger"),
            gold_entity("e_strike", "Event", "the harbour strike", ["strike"]),
            gold_entity(
                "c_self",
                "Claim",
                text="Dock workers themselves organised the harbour strike.",
                quote="the harbour strike was organised by the dock workers themselves",
                claimed_by=["p_kow"],
            ),
            gold_entity(
                "c_planned",
                "Claim",
                text="The union leadership planned the strike in advance.",
                quote="the union leadership planned the harbour strike in advance",
                claimed_by=["p_brandt"],
            ),
        ],
        "relations": [
            {"source": "w_harbour", "type": "supports", "target": "c_self", "quote": "x"},
            {"source": "c_planned", "type": "disputes", "target": "c_self", "quote": "x"},
            {"source": "doc", "type": "cites", "target": "w_ledger", "quote": "x"},
        ],
    }


def doc_report(report: EvalReport):
    assert len(report.documents) == 1
    return report.documents[0]


# --------------------------------------------------------------------------- normalising
def test_fold_name_is_case_accent_quote_and_article_insensitive():
    assert fold_name("Slavoj Žižek") == fold_name("SLAVOJ ZIZEK") == "slavoj zizek"
    assert fold_name("The Glass Harbour.") == fold_name("glass  harbour") == "glass harbour"
    assert fold_name("“Port Ledger”") == fold_name('"port ledger"') == "port ledger"
    assert fold_name("Kowalska’s strike – notes") == "kowalska's strike - notes"


def test_token_f1_ignores_stop_words_and_case():
    assert token_f1("The strike was ORGANISED", "organised strike") == 1.0
    assert token_f1("alpha bravo", "alpha charlie") == 0.5
    assert token_f1("the of and", "alpha") == 0.0


# --------------------------------------------------------------------------- entities
def test_perfect_match_scores_one_everywhere():
    report = evaluate(dataset(quads(base_nodes(), base_edges())), [base_gold()])
    r = doc_report(report)
    assert r.graph == str(document_iri(NAME))
    for kind in ("Person", "Work", "Event", "Claim", "all"):
        s = r.entities[kind]
        assert (s.precision, s.recall, s.f1, s.duplicates) == (1.0, 1.0, 1.0, 0), kind
    assert r.entities["all"].matched == 7
    for scores in (r.strict, r.lenient):
        for rel in ("supports", "disputes", "cites", "all"):
            assert (scores[rel].precision, scores[rel].recall, scores[rel].f1) == (1.0, 1.0, 1.0)
    assert report.total.to_dict()["entities"] == r.to_dict()["entities"]


def test_extra_node_lowers_precision_only():
    nodes = [*base_nodes(), node("Person", node_key("Person", "Jan Visser"), "Jan Visser")]
    r = doc_report(evaluate(dataset(quads(nodes, base_edges())), [base_gold()]))
    person = r.entities["Person"]
    assert (person.predicted, person.gold, person.matched) == (3, 2, 2)
    assert person.precision == pytest.approx(2 / 3)
    assert person.recall == 1.0
    assert person.f1 == pytest.approx(0.8)
    assert person.duplicates == 0


def test_missing_node_lowers_recall_and_empty_type_has_no_precision():
    nodes = [n for n in base_nodes() if n.kind != "Event"]
    r = doc_report(evaluate(dataset(quads(nodes, base_edges())), [base_gold()]))
    event = r.entities["Event"]
    assert (event.predicted, event.gold, event.matched) == (0, 1, 0)
    assert event.precision is None and event.recall == 0.0 and event.f1 == 0.0
    assert r.to_dict()["entities"]["Event"]["precision"] is None


def test_duplicate_node_is_counted_and_is_a_false_positive():
    dup = node("Person", node_key("Person", "M. Kowalska"), "M. Kowalska")
    r = doc_report(evaluate(dataset(quads([*base_nodes(), dup], base_edges())), [base_gold()]))
    person = r.entities["Person"]
    assert (person.predicted, person.matched, person.duplicates) == (3, 2, 1)
    assert person.precision == pytest.approx(2 / 3)
    assert person.duplicate_share == pytest.approx(1 / 3)
    assert r.entities["all"].duplicates == 1


def test_duplicate_maps_edges_to_the_same_gold_id():
    # A second node for the same work carries the supports edge: still strictly right.
    dup_key = node_key("Work", "Glass Harbour")
    nodes = [*base_nodes(), node("Work", dup_key, "Glass Harbour")]
    edges = [edge(dup_key, "supports", SELF), *base_edges()[1:]]
    r = doc_report(evaluate(dataset(quads(nodes, edges)), [base_gold()]))
    assert r.entities["Work"].duplicates == 1
    assert r.strict["supports"].matched == 1


def test_accent_and_case_insensitive_alias_match():
    zizek = node_key("Person", "Slavoj Zizek")
    nodes = [
        node("Person", zizek, "Slavoj Zizek"),
        node("Person", node_key("Person", "dr brandt"), "DR BRANDT", aliases={"brandt"}),
    ]
    gold = {
        "document": NAME,
        "entities": [
            gold_entity("p_zizek", "Person", "Slavoj Žižek", ["Žižek"]),
            gold_entity("p_brandt", "Person", "Piet Brandt", ["Brandt"]),
        ],
        "relations": [],
    }
    r = doc_report(evaluate(dataset(quads(nodes, [])), [gold]))
    assert r.entities["Person"].matched == 2
    assert r.entities["Person"].f1 == 1.0


def test_work_matches_on_title_before_colon():
    nodes = [node("Work", HARBOUR, "The Glass Harbour: A History of the Docks")]
    gold = {
        "document": NAME,
        "entities": [gold_entity("w", "Work", "Glass Harbour")],
        "relations": [],
    }
    assert doc_report(evaluate(dataset(quads(nodes, [])), [gold])).entities["Work"].matched == 1
    # ...but not for people.
    nodes = [node("Person", KOWALSKA, "Marta Kowalska: the historian")]
    gold["entities"] = [gold_entity("p", "Person", "Marta Kowalska")]
    assert doc_report(evaluate(dataset(quads(nodes, [])), [gold])).entities["Person"].matched == 0


def _words(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(n)]


def test_claim_token_f1_threshold():
    shared = _words("common", 12)
    below_pred = " ".join(shared + _words("predonly", 12))  # 24 tokens
    below_gold = " ".join(shared + _words("goldonly", 13))  # 25 tokens: F1 = 24/49
    assert token_f1(below_pred, below_gold) == pytest.approx(24 / 49)
    at_pred = " ".join(_words("common", 2) + ["the", "of"])  # stop words do not count
    at_gold = " ".join(_words("common", 1) + _words("goldonly", 1))  # F1 = 2*1/4 = 0.5

    def matched(pred_text: str, gold_text: str) -> int:
        nodes = [claim(claim_key(pred_text), pred_text)]
        gold = {
            "document": NAME,
            "entities": [gold_entity("c", "Claim", text=gold_text)],
            "relations": [],
        }
        return doc_report(evaluate(dataset(quads(nodes, [])), [gold])).entities["Claim"].matched

    assert matched(below_pred, below_gold) == 0
    assert token_f1(at_pred, at_gold) == 0.5
    assert matched(at_pred, at_gold) == 1


def test_claim_matches_on_appearance_quote_and_gold_quote():
    # The predicted text is a paraphrase; its appearance quote is the passage itself.
    text = "Spontaneity, not planning, explains the stoppage"
    start = TEXT.find("harbour strike was organised")
    n = Node("Claim", claim_key(text), text, text=text, mentions=[Mention(start, start + 63)])
    gold = {
        "document": NAME,
        "entities": [gold_entity("c", "Claim", text="x y z", quote=TEXT[start : start + 63])],
        "relations": [],
    }
    assert doc_report(evaluate(dataset(quads([n], [])), [gold])).entities["Claim"].matched == 1


# --------------------------------------------------------------------------- relations
def test_strict_and_lenient_differ_on_the_source():
    # Brandt's claim is predicted as supported by the wrong source (the Ledger, not the book).
    edges = [edge(LEDGER, "supports", SELF), *base_edges()[1:]]
    r = doc_report(evaluate(dataset(quads(base_nodes(), edges)), [base_gold()]))
    assert r.strict["supports"].matched == 0
    assert r.lenient["supports"].matched == 1
    assert r.strict["all"].precision == pytest.approx(2 / 3)
    assert r.strict["all"].recall == pytest.approx(2 / 3)
    assert r.lenient["all"].f1 == 1.0
    # A wrong relation type matches neither way.
    edges = [edge(HARBOUR, "disputes", SELF), *base_edges()[1:]]
    r = doc_report(evaluate(dataset(quads(base_nodes(), edges)), [base_gold()]))
    assert r.strict["disputes"].predicted == 2
    assert r.strict["disputes"].matched == r.lenient["disputes"].matched == 1
    assert r.strict["supports"].recall == r.lenient["supports"].recall == 0.0


def test_person_as_source_through_authorship_and_work_through_quotation():
    gold = base_gold()
    gold["relations"] = [
        {"source": "p_brandt", "type": "disputes", "target": "c_self"},
        {"source": "w_harbour", "type": "disputes", "target": "c_planned"},
    ]
    # PLANNED is authored by Brandt; SELF appears in (is quoted from) the Harbour book.
    edges = [edge(PLANNED, "disputes", SELF), edge(SELF, "disputes", PLANNED)]
    r = doc_report(evaluate(dataset(quads(base_nodes(), edges)), [gold]))
    assert r.strict["disputes"].matched == 2
    assert r.strict["disputes"].f1 == 1.0
    # Without authorship and quotation the sources stand for nothing else.
    nodes = [
        claim(SELF, SELF_TEXT)
        if n.key == SELF
        else claim(PLANNED, PLANNED_TEXT)
        if n.key == PLANNED
        else n
        for n in base_nodes()
    ]
    r = doc_report(evaluate(dataset(quads(nodes, edges)), [gold]))
    assert r.strict["disputes"].matched == 0
    assert r.lenient["disputes"].matched == 2


def test_document_iri_maps_to_gold_doc():
    gold = base_gold()
    edges = [edge(DOC, "cites", LEDGER), edge(DOC, "cites", HARBOUR)]
    gold["relations"] = [
        {"source": "doc", "type": "cites", "target": "w_ledger"},
        {"source": "w_harbour", "type": "cites", "target": "w_ledger"},
    ]
    r = doc_report(evaluate(dataset(quads(base_nodes(), edges)), [gold]))
    cites = r.strict["cites"]
    assert (cites.predicted, cites.gold, cites.matched) == (2, 2, 1)
    assert r.lenient["cites"].matched == 1  # one-to-one: the Ledger target is used once


def test_edges_are_matched_one_to_one():
    gold = base_gold()
    gold["relations"] = [{"source": "doc", "type": "cites", "target": "w_ledger"}]
    dup_key = node_key("Work", "The Port Ledger")
    nodes = [*base_nodes(), node("Work", dup_key, "Port Ledger")]
    edges = [edge(DOC, "cites", LEDGER), edge(DOC, "cites", dup_key)]
    r = doc_report(evaluate(dataset(quads(nodes, edges)), [gold]))
    assert (r.strict["cites"].predicted, r.strict["cites"].matched) == (2, 1)
    assert r.strict["cites"].precision == 0.5


# --------------------------------------------------------------------------- rules
def test_per_rule_precision():
    nodes = base_nodes()
    for n in nodes:
        n.rule = "good-node"
    nodes += [
        node("Person", node_key("Person", "Jan Visser"), "Jan Visser", rule="weak-node"),
        node("Person", node_key("Person", "Kowalska"), "Kowalska", rule="weak-node"),
    ]
    edges = [
        edge(HARBOUR, "supports", SELF, rule="good-edge"),
        edge(PLANNED, "disputes", SELF, rule="good-edge"),
        edge(DOC, "cites", LEDGER, rule="weak-edge"),
        edge(DOC, "cites", HARBOUR, rule="weak-edge"),
    ]
    r = doc_report(evaluate(dataset(quads(nodes, edges)), [base_gold()]))
    rules = {x.rule: x for x in r.rules.values()}
    assert (rules["good-node"].count, rules["good-node"].correct) == (7, 7)
    assert rules["good-node"].precision == 1.0
    assert (rules["weak-node"].count, rules["weak-node"].correct) == (2, 0)
    assert rules["weak-node"].duplicates == 1
    assert rules["weak-node"].kinds == {"Person"}
    assert (rules["good-edge"].count, rules["good-edge"].correct) == (2, 2)
    assert (rules["weak-edge"].count, rules["weak-edge"].correct) == (2, 1)
    assert rules["weak-edge"].precision == 0.5
    assert rules["weak-edge"].kinds == {"cites"}
    # Weakest first in the report.
    assert [x.rule for x in r.sorted_rules()][0] == "weak-node"
    assert r.to_dict()["rules"][0] == {
        "rule": "weak-node",
        "kinds": ["Person"],
        "count": 2,
        "correct": 0,
        "duplicates": 1,
        "precision": 0.0,
    }


# --------------------------------------------------------------------------- documents
def test_two_documents_and_micro_average():
    other = "other/second.txt"
    other_text = "Piet Brandt wrote the Port Ledger."
    q1 = quads(base_nodes(), base_edges())
    q2 = quads(
        [node("Person", BRANDT, "Piet Brandt"), node("Person", KOWALSKA, "Marta Kowalska")],
        [],
        name=other,
        text=other_text,
    )
    gold2 = {
        "document": "second.txt",  # matches the graph's file name by its last part
        "entities": [gold_entity("p", "Person", "Piet Brandt")],
        "relations": [],
    }
    report = evaluate(dataset(q1, q2), [base_gold(), gold2])
    assert [d.document for d in report.documents] == [NAME, "second.txt"]
    assert report.documents[1].graph == str(document_iri(other))
    person = report.total.entities["Person"]
    assert (person.predicted, person.gold, person.matched) == (4, 3, 3)
    assert person.precision == 0.75
    text = format_report(report)
    assert "All 2 documents (micro-average)" in text


def test_missing_gold_document_lists_graph_documents():
    gold = base_gold(document="nowhere.txt")
    with pytest.raises(UserError) as err:
        evaluate(dataset(quads(base_nodes(), base_edges())), [gold])
    message = str(err.value)
    assert "nowhere.txt" in message and NAME in message and "\n" not in message


def test_union_graph_scores_whole_graph_for_one_gold_file(tmp_path):
    ds = dataset(quads(base_nodes(), base_edges()))
    ttl = tmp_path / "union.ttl"
    ds.serialize(ttl, format="turtle")
    from claimgraph.commands.eval import load_graph_file

    union = load_graph_file(ttl)
    r = doc_report(evaluate(union, [base_gold()]))
    assert r.graph is None
    assert r.entities["all"].f1 == 1.0 and r.strict["all"].f1 == 1.0
    with pytest.raises(UserError, match="no named graphs"):
        evaluate(union, [base_gold(), base_gold("second.txt")])
    # The union names its document: a gold file for another document is a mistake.
    with pytest.raises(UserError, match=f"'second.txt' is not in the graph.*{NAME}"):
        evaluate(union, [base_gold("second.txt")])


def test_passage_of_the_document_maps_to_doc():
    ds = dataset(quads(base_nodes(), base_edges()[:2]))
    doc = document_iri(NAME)
    passage = next(ds.subjects(OA.hasSource, doc))
    ds.add((passage, CITO.cites, iri(LEDGER), doc))
    r = doc_report(evaluate(ds, [base_gold()]))
    assert (r.strict["cites"].predicted, r.strict["cites"].matched) == (1, 1)


def test_store_dataset_and_gold_folder(tmp_path):
    store = DiskStore(tmp_path / "store")
    store.replace_graphs({document_iri(NAME): quads(base_nodes(), base_edges())})
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.json").write_text(json.dumps(base_gold()), encoding="utf-8")
    (gold_dir / "README.md").write_text("not gold", encoding="utf-8")
    assert len(load_gold(gold_dir)) == 1
    r = doc_report(evaluate(store.dataset(), gold_dir))
    assert r.entities["all"].f1 == 1.0 and r.strict["all"].f1 == 1.0


def test_bad_gold_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "document": NAME,
                "entities": [],
                "relations": [{"source": "x", "type": "supports", "target": "doc"}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="not an entity id"):
        load_gold(bad)
    with pytest.raises(UserError, match="not found"):
        load_gold(tmp_path / "missing.json")


# --------------------------------------------------------------------------- CLI
def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "eval", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture()
def files(tmp_path):
    trig = tmp_path / "graph.trig"
    dataset(quads(base_nodes(), base_edges())).serialize(trig, format="trig")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(base_gold()), encoding="utf-8")
    return tmp_path, trig, gold


def test_cli_eval_tables(files):
    tmp, trig, gold = files
    proc = _cli("--gold", str(gold), str(trig), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert NAME in out
    lines = out.splitlines()
    person = next(line for line in lines if line.startswith("Person "))
    assert person.split() == ["Person", "2", "2", "2", "0", "0%", "1.000", "1.000", "1.000"]
    assert any(line.startswith("supports ") for line in lines)
    assert any(line.startswith("test-edge ") for line in lines)


def test_cli_eval_json(files):
    tmp, trig, gold = files
    proc = _cli("--gold", str(gold), str(trig), "--json", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["documents"][0]["document"] == NAME
    assert data["total"]["entities"]["all"]["f1"] == 1.0
    assert data["total"]["relations"]["strict"]["all"]["f1"] == 1.0
    assert data["total"]["relations"]["lenient"]["cites"]["matched"] == 1


def test_cli_eval_document_filter_and_store(files):
    tmp, trig, gold = files
    store = DiskStore(tmp / "claimgraph-store")
    store.replace_graphs({document_iri(NAME): quads(base_nodes(), base_edges())})
    proc = _cli("--gold", str(gold), "--document", "harbour.txt", "--json", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"]["entities"]["all"]["matched"] == 7
    proc = _cli("--gold", str(gold), "--document", "other.txt", str(trig), cwd=tmp)
    assert proc.returncode == 2
    assert "other.txt" in proc.stderr


def test_cli_missing_gold_document_is_one_line(files):
    tmp, trig, _ = files
    gold = tmp / "missing.json"
    gold.write_text(json.dumps(base_gold(document="absent.txt")), encoding="utf-8")
    proc = _cli("--gold", str(gold), str(trig), cwd=tmp)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "absent.txt" in lines[0] and NAME in lines[0]


def test_cli_missing_store_and_bad_suffix(files):
    tmp, _, gold = files
    proc = _cli("--gold", str(gold), "--store", str(tmp / "nostore"), cwd=tmp)
    assert proc.returncode == 2 and "no claimgraph store" in proc.stderr
    odd = tmp / "graph.txt"
    odd.write_text("x", encoding="utf-8")
    proc = _cli("--gold", str(gold), str(odd), cwd=tmp)
    assert proc.returncode == 2 and "suffix" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- folders and genres
VISSER = node_key("Person", "Jan Visser")


def _folder(tmp_path: Path, per_genre: int = 6) -> tuple[Path, Path]:
    """`per_genre` documents of genre "forum" read perfectly and as many of genre "news" that
    miss Piet Brandt and invent Jan Visser; one gold file each, and one TriG of all graphs."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    quad_lists = []
    for genre in ("forum", "news"):
        for i in range(per_genre):
            name = f"{genre}/post{i:02d}.txt"
            nodes = base_nodes()
            if genre == "news":
                nodes = [n for n in nodes if n.key != BRANDT]
                nodes.append(node("Person", VISSER, "Jan Visser"))
            quad_lists.append(quads(nodes, base_edges(), name=name))
            gold = {**base_gold(document=name), "genre": genre}
            (gold_dir / f"{genre}-{i:02d}.json").write_text(json.dumps(gold), encoding="utf-8")
    trig = tmp_path / "all.trig"
    dataset(*quad_lists).serialize(trig, format="trig")
    return gold_dir, trig


def test_folder_is_micro_averaged_overall_and_per_genre(tmp_path):
    gold_dir, trig = _folder(tmp_path)
    from claimgraph.commands.eval import load_graph_file

    report = evaluate(load_graph_file(trig), gold_dir)
    assert len(report.documents) == 12
    person = report.total.entities["Person"]
    assert (person.predicted, person.gold, person.matched) == (24, 24, 18)
    assert person.precision == person.recall == 0.75
    assert report.total.document_count == 12
    assert report.total.strict["all"].matched == 36
    assert sorted(report.genres) == ["forum", "news"]
    forum, news = report.genres["forum"], report.genres["news"]
    assert forum.document_count == news.document_count == 6
    assert forum.entities["Person"].f1 == 1.0
    assert (news.entities["Person"].predicted, news.entities["Person"].matched) == (12, 6)
    assert news.entities["Claim"].f1 == 1.0
    data = report.to_dict()
    assert data["genres"]["news"]["entities"]["Person"]["precision"] == 0.5
    assert data["total"]["document_count"] == 12
    assert data["documents"][0]["genre"] == "forum"


def test_micro_average_weighs_documents_by_their_counts():
    small = "small.txt"
    q_small = quads([node("Person", VISSER, "Jan Visser")], [], name=small, text="Jan Visser.")
    gold_small = {
        "document": small,
        "entities": [gold_entity("p", "Person", "Ada Quill")],
        "relations": [],
    }
    report = evaluate(
        dataset(quads(base_nodes(), base_edges()), q_small), [base_gold(), gold_small]
    )
    # Macro would be (1.0 + 0.0) / 2; micro is 7 matched of 8 predicted.
    assert report.total.entities["all"].precision == pytest.approx(7 / 8)
    assert report.genres == {}


def test_documents_without_genre_are_grouped_when_others_have_one():
    other = "other/plain.txt"
    q2 = quads(base_nodes(), base_edges(), name=other)
    golds = [{**base_gold(), "genre": "essay"}, base_gold(document=other)]
    report = evaluate(dataset(quads(base_nodes(), base_edges()), q2), golds)
    assert sorted(report.genres) == ["(none)", "essay"]
    assert report.genres["(none)"].document_count == 1
    assert report.genres["essay"].entities["all"].f1 == 1.0


def test_many_documents_are_summarised_unless_asked(tmp_path):
    gold_dir, trig = _folder(tmp_path)
    from claimgraph.commands.eval import load_graph_file

    report = evaluate(load_graph_file(trig), gold_dir)
    text = format_report(report)
    assert "12 documents (per-document tables left out" in text
    assert "(graph " not in text  # no per-document block
    assert "All 12 documents (micro-average)" in text
    rows: dict[str, list[str]] = {}  # first row of each name: the entity table
    for line in text.splitlines():
        if line.strip():
            rows.setdefault(line.split()[0], line.split())
    assert "Micro-average by genre" in text
    # genre rows: name, docs, pred, gold, match, P, R, F1 ...
    assert rows["forum"][1:8] == ["6", "42", "42", "42", "1.000", "1.000", "1.000"]
    assert rows["news"][1:5] == ["6", "42", "42", "36"]
    assert rows["TOTAL"][1:5] == ["12", "84", "84", "78"]
    assert "weakest documents (entity F1):" in text
    full = format_report(report, per_document=True)
    assert full.count("(graph ") == 12
    assert "news/post00.txt (graph" in full


def test_bad_genre_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**base_gold(), "genre": 3}), encoding="utf-8")
    with pytest.raises(UserError, match="genre"):
        load_gold(bad)


def test_cli_eval_folder_json_and_per_document(tmp_path):
    gold_dir, trig = _folder(tmp_path)
    proc = _cli("--gold", str(gold_dir), str(trig), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["documents"]) == 12
    assert data["total"]["entities"]["Person"]["matched"] == 18
    assert data["genres"]["forum"]["document_count"] == 6
    assert data["genres"]["news"]["entities"]["Person"]["recall"] == 0.5
    proc = _cli("--gold", str(gold_dir), str(trig), cwd=tmp_path)
    assert proc.returncode == 0 and "per-document tables left out" in proc.stdout
    assert any(line.startswith("TOTAL ") for line in proc.stdout.splitlines())
    proc = _cli("--gold", str(gold_dir), str(trig), "--per-document", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.count("(graph ") == 12


def test_bootstrap_intervals_cover_the_figure_and_tell_a_real_gain_from_noise():
    import doctest

    import numpy as np

    from claimgraph.evaluation import intervals
    from claimgraph.evaluation.intervals import difference_interval, f1_interval, micro_f1

    assert doctest.testmod(intervals).failed == 0
    rng = np.random.default_rng(3)
    gold = rng.integers(2, 8, 200)
    base = np.column_stack([gold, gold, rng.binomial(gold, 0.5)])  # matches about half
    better = np.column_stack([gold, gold, np.minimum(gold, base[:, 2] + 1)])  # one more each
    lo, hi = f1_interval(base)
    assert lo < micro_f1(base) < hi and hi - lo < 0.1
    assert f1_interval(base) == f1_interval(base)  # seeded: the same interval every run
    d, dlo, dhi = difference_interval(better, base)
    assert 0 < dlo <= d <= dhi  # the gain holds on every resample's documents
    d, dlo, dhi = difference_interval(base, base)
    assert d == dlo == dhi == 0.0
    noisy = base.copy()
    flip = rng.random(200) < 0.5
    noisy[flip, 2] = np.maximum(0, noisy[flip, 2] - 1)
    noisy[~flip, 2] = np.minimum(gold[~flip], noisy[~flip, 2] + 1)  # as many up as down
    _d, dlo, dhi = difference_interval(noisy, base)
    assert dlo < 0 < dhi
    with pytest.raises(ValueError, match="same documents"):
        difference_interval(base, base[:10])


def test_cli_eval_says_how_sure_each_figure_is_over_ten_documents_or_more(tmp_path):
    gold_dir, trig = _folder(tmp_path)
    proc = _cli("--gold", str(gold_dir), str(trig), "--json", cwd=tmp_path)
    data = json.loads(proc.stdout)
    spans = data["intervals"]
    assert spans["forum"] is None and spans["news"] is None  # six documents each: too few
    lo, hi = spans["TOTAL"]["entities"]
    assert lo < data["total"]["entities"]["all"]["f1"] < hi < 1.0  # forum perfect, news not
    assert spans["TOTAL"]["relations"] == [1.0, 1.0]  # every document's relations are right
    text = _cli("--gold", str(gold_dir), str(trig), cwd=tmp_path).stdout
    assert "how sure: 95% intervals" in text
    last = text.split("how sure")[1].splitlines()
    assert next(line for line in last if line.startswith("forum ")).split()[2:] == ["-"] * 3
    assert "1.000 - 1.000" in next(line for line in last if line.startswith("TOTAL "))
    from claimgraph.commands.eval import load_graph_file

    few = evaluate(load_graph_file(trig), load_gold(gold_dir)[:3])
    assert "how sure" not in format_report(few) and "intervals" not in few.to_dict()


def test_cli_eval_against_another_graph_tells_a_real_change_from_chance(tmp_path):
    gold_dir, trig = _folder(tmp_path)
    perfect = [
        quads(base_nodes(), base_edges(), name=f"{genre}/post{i:02d}.txt")
        for genre in ("forum", "news")
        for i in range(6)
    ]
    better = tmp_path / "better.trig"
    dataset(*perfect).serialize(better, format="trig")
    proc = _cli("--gold", str(gold_dir), str(better), "--against", str(trig), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    total = proc.stdout.split("TOTAL (12 documents)")[1].splitlines()
    entities = next(line for line in total if line.strip().startswith("entities"))
    assert "0.929 -> 1.000" in entities and entities.endswith("beyond chance")
    assert next(line for line in total if "claims" in line).endswith("no change")
    news = proc.stdout.split("news (6 documents)")[1].splitlines()[1]
    assert news.endswith("too few documents to tell")  # six documents: no verdict
    proc = _cli(
        "--gold", str(gold_dir), str(trig), "--against", str(better), "--json", cwd=tmp_path
    )
    worse = json.loads(proc.stdout)["against"]["TOTAL"]["entities"]
    assert worse["difference"] < 0 and worse["interval"][1] < 0
    proc = _cli(
        "--gold", str(gold_dir), str(trig), "--against", str(tmp_path / "nope.trig"), cwd=tmp_path
    )
    assert proc.returncode == 2 and "graph file not found" in proc.stderr
    assert "Traceback" not in proc.stderr
