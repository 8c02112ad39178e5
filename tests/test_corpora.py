"""Corpus readers, gold conversion, `corpus export` and the sentence baseline, on tiny invented
corpora written in each format (the real corpora in ../shared are never needed here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.cli import COMMANDS
from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.corpora.gold import to_gold, write_corpus
from claimgraph.corpora.perspectrum import read_perspectrum
from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.evaluation import evaluate, load_gold
from claimgraph.graph.errors import UserError
from claimgraph.training.baseline import baseline_dataset, baseline_extraction, sentences

ROOT = Path(__file__).resolve().parent.parent

WD_TEXT = (
    "Uniforms should be optional. Children learn better when they feel at ease. "
    "Some say uniforms reduce bullying. That claim has never been measured."
)
CLAIM = "Uniforms should be optional."
PREMISE = "Children learn better when they feel at ease."
REBUTTAL = "Some say uniforms reduce bullying."
REFUTATION = "That claim has never been measured."


def _span(text: str, part: str) -> str:
    start = text.index(part)
    return f'begin="{start}" end="{start + len(part)}"'


def write_xmi(folder: Path, number: str = "42", topic: str = "school-uniforms") -> None:
    t = WD_TEXT
    body = f"""<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI"
 xmlns:cas="http:///uima/cas.ecore" xmlns:types="http:///de/tudarmstadt/ukp/dkpro/argumentation/types.ecore"
 xmi:version="2.0"><cas:NULL xmi:id="0"/>
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="{t}"/>
<types:WebArgumentMetadata xmi:id="2" sofa="1" begin="0" end="0" author="someone"
 docType="forumpost" topic="{topic}" origId="{number}"/>
<types:Claim xmi:id="10" sofa="1" {_span(t, CLAIM)}/>
<types:Premise xmi:id="11" sofa="1" {_span(t, PREMISE)}/>
<types:Rebuttal xmi:id="12" sofa="1" {_span(t, REBUTTAL)}/>
<types:Refutation xmi:id="13" sofa="1" {_span(t, REFUTATION)}/>
<types:Claim xmi:id="14" sofa="1" begin="0" end="0"/>
<types:ArgumentRelation xmi:id="20" sofa="1" begin="0" end="0" source="11" target="10"/>
<types:ArgumentRelation xmi:id="21" sofa="1" begin="0" end="0" source="12" target="10"/>
<types:ArgumentRelation xmi:id="22" sofa="1" begin="0" end="0" source="13" target="10"/>
<types:ArgumentRelation xmi:id="23" sofa="1" begin="0" end="0" source="11" target="14"/>
</xmi:XMI>"""
    data = folder / "web-discourse" / "gold.data.toulmin"
    data.mkdir(parents=True, exist_ok=True)
    (data / f"{number}.xmi").write_text(body, encoding="utf-8")


CDCP_TEXT = "Fees rose twice last year. I had to pay both. The agency should cap fees."


def write_cdcp(folder: Path) -> None:
    split = folder / "cdcp" / "test"
    split.mkdir(parents=True, exist_ok=True)
    (split / "00007.txt").write_text(CDCP_TEXT, encoding="utf-8")
    ann = {
        "prop_offsets": [[0, 26], [26, 45], [45, len(CDCP_TEXT)]],
        "prop_labels": ["fact", "testimony", "policy"],
        "reasons": [[[0, 1], 2]],
        "evidences": [],
        "url": {},
    }
    (split / "00007.ann.json").write_text(json.dumps(ann), encoding="utf-8")


def write_perspectrum(folder: Path) -> None:
    p = folder / "perspectrum"
    p.mkdir(parents=True, exist_ok=True)
    claims = [
        {"cId": 1, "text": "Cities should ban cars", "perspectives": [
            {"pids": [10, 11], "stance_label_3": "SUPPORT"},
            {"pids": [12], "stance_label_3": "UNDERMINE"},
        ]},
        {"cId": 2, "text": "Homework should be abolished", "perspectives": [
            {"pids": [13], "stance_label_3": "UNDERMINE"},
        ]},
    ]  # fmt: skip
    pool = [
        {"pId": 10, "text": "Cars pollute the air"},
        {"pId": 11, "text": "Streets are safer without traffic"},
        {"pId": 12, "text": "Deliveries need vehicles"},
        {"pId": 13, "text": "Practice at home consolidates learning"},
    ]
    files = {
        "perspectrum_with_answers_v1.0.json": claims,
        "perspective_pool_v1.0.json": pool,
        "dataset_split_v1.0.json": {"1": "train", "2": "test"},
    }
    for name, data in files.items():
        (p / name).write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def corpora(tmp_path: Path) -> Path:
    root = tmp_path / "corpora"
    write_xmi(root)
    write_cdcp(root)
    write_perspectrum(root)
    return root


def corpus_cli(*args: str) -> subprocess.CompletedProcess:
    """`claimgraph corpus ARGS`, through the real CLI once the command is registered there."""
    if "corpus" in COMMANDS:
        command = [sys.executable, "-m", "claimgraph.cli", "corpus", *args]
    else:
        command = [sys.executable, "-m", "claimgraph.commands.corpus", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_web_discourse_units_roles_and_relations(corpora: Path) -> None:
    (doc,) = read_web_discourse(corpora)
    assert (doc.id, doc.genre, doc.topic, doc.split) == (
        "web-discourse/42",
        "forumpost",
        "school-uniforms",
        None,
    )
    texts = {u.id: doc.unit_text(u) for u in doc.units}
    assert sorted(texts.values()) == sorted([CLAIM, PREMISE, REBUTTAL, REFUTATION])
    ids = {text: uid for uid, text in texts.items()}
    got = {(texts[r.source], r.type, texts[r.target]) for r in doc.relations}
    # the implicit claim is skipped, and the premise's link to it dropped
    assert got == {
        (PREMISE, "supports", CLAIM),
        (REBUTTAL, "disputes", CLAIM),
        (REFUTATION, "disputes", REBUTTAL),
    }
    assert {u.role for u in doc.units if u.id == ids[REFUTATION]} == {"refutation"}


def test_cdcp_trims_offsets_and_expands_ranges(corpora: Path) -> None:
    (doc,) = read_cdcp(corpora, "test")
    assert (doc.id, doc.genre, doc.split) == ("cdcp/00007", "policy-comment", "test")
    assert [doc.unit_text(u) for u in doc.units] == [
        "Fees rose twice last year.",
        "I had to pay both.",
        "The agency should cap fees.",
    ]
    assert [u.role for u in doc.units] == ["fact", "testimony", "policy"]
    assert {(r.source, r.type, r.target) for r in doc.relations} == {
        ("p0", "supports", "p2"),
        ("p1", "supports", "p2"),
    }


def test_perspectrum_pairs_and_split(corpora: Path) -> None:
    pairs = read_perspectrum(corpora)
    assert len(pairs) == 4
    train = read_perspectrum(corpora, "train")
    assert {(p.perspective, p.stance) for p in train} == {
        ("Cars pollute the air", "supports"),
        ("Streets are safer without traffic", "supports"),
        ("Deliveries need vehicles", "disputes"),
    }
    assert [p.claim for p in read_perspectrum(corpora, "test")] == ["Homework should be abolished"]


def test_gold_quotes_exact_ids_unique_endpoints_exist(corpora: Path, tmp_path: Path) -> None:
    docs = [*read_web_discourse(corpora), *read_cdcp(corpora, "test")]
    for doc in docs:
        gold = to_gold(doc, "x.txt")
        ids = [e["id"] for e in gold["entities"]]
        assert len(ids) == len(set(ids)) and "doc" not in ids
        assert all(e["type"] == "Claim" and e["quote"] in doc.text for e in gold["entities"])
        assert all(r["source"] in ids and r["target"] in ids for r in gold["relations"])
        assert all(r["quote"] in doc.text for r in gold["relations"])
        assert gold["genre"] == doc.genre
    write_corpus(docs, tmp_path / "texts", tmp_path / "gold")
    golds = load_gold(tmp_path / "gold")  # the scorer's own shape check accepts them
    assert sorted(g["document"] for g in golds) == sorted(
        p.name for p in (tmp_path / "texts").iterdir()
    )


def test_cli_export_then_baseline_scores_the_sentences(corpora: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = corpus_cli(
        "export", "cdcp", "--split", "test", "--corpora", str(corpora), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "exported 1 documents" in result.stdout
    assert (out / "texts" / "cdcp-00007.txt").read_text(encoding="utf-8") == CDCP_TEXT
    # each proposition is a sentence, so the sentence baseline finds every claim
    report = evaluate(baseline_dataset([out / "texts"]), out / "gold")
    claims = report.total.entities["Claim"]
    assert (claims.precision, claims.recall) == (1.0, 1.0)
    assert list(report.genres) == ["policy-comment"]


def test_cli_export_topic_filter(corpora: Path, tmp_path: Path) -> None:
    write_xmi(corpora, "43", topic="longer-school-days")
    args = ["export", "web-discourse", "--corpora", str(corpora), "-o", str(tmp_path / "o")]
    result = corpus_cli(*args, "--topic", "longer-school-days")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "o" / "gold").glob("*.json")] == ["web-discourse-43.json"]
    result = corpus_cli(*args, "--topic", "no-such-topic")
    assert result.returncode == 2
    assert "unknown topic" in result.stderr and "Traceback" not in result.stderr


def test_cli_missing_corpus_folder_is_one_line(tmp_path: Path) -> None:
    result = corpus_cli(
        "export", "cdcp", "--corpora", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "corpus folder not found" in lines[0]
    assert not (tmp_path / "o").exists()


def test_reader_errors_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="corpus folder not found"):
        read_web_discourse(tmp_path)
    with pytest.raises(UserError, match="split"):
        read_cdcp(tmp_path, "dev")


def test_baseline_sentences_by_paragraph() -> None:
    text = 'One claim here. Another follows!\n\nShe said "it works." Then a fragment'
    spans = [[text[s:e] for s, e in p] for p in sentences(text)]
    assert spans == [
        ["One claim here.", "Another follows!"],
        ['She said "it works."', "Then a fragment"],
    ]


def test_baseline_each_sentence_supports_the_previous_in_its_paragraph() -> None:
    text = "First point. Second point.\nA new paragraph."
    ex = baseline_extraction(text)
    said = {key: node.text for key, node in ex.nodes.items()}
    assert sorted(said.values()) == ["A new paragraph.", "First point.", "Second point."]
    assert [(said[e.source], e.relation, said[e.target]) for e in ex.edges] == [
        ("Second point.", "supports", "First point.")
    ]
