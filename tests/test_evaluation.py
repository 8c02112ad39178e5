"""`claimgraph eval` and claimgraph.evaluation on small constructed graphs and gold files."""

from __future__ import annotations

import json

import pytest
from eval_fixtures import (
    BRANDT,
    HARBOUR,
    KOWALSKA,
    LEDGER,
    NAME,
    PLANNED,
    PLANNED_TEXT,
    SELF,
    SELF_TEXT,
    TEXT,
    base_edges,
    base_gold,
    base_nodes,
    claim,
    dataset,
    doc_report,
    edge,
    gold_entity,
    node,
    quads,
)

from claimgraph.errors import UserError
from claimgraph.evaluation import (
    evaluate,
    fold_name,
    format_report,
    load_gold,
    token_f1,
)
from claimgraph.graph.identity import claim_key, document_iri, iri, node_key
from claimgraph.graph.model import DOC, Mention, Node
from claimgraph.graph.namespaces import CITO, OA
from claimgraph.graph.store import DiskStore


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
