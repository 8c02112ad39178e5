"""`claimgraph eval` from the command line, on folders of gold files with genres, and its
intervals and comparisons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eval_fixtures import (
    BRANDT,
    NAME,
    ROOT,
    base_edges,
    base_gold,
    base_nodes,
    dataset,
    gold_entity,
    node,
    quads,
)

from claimgraph.errors import UserError
from claimgraph.evaluation import (
    evaluate,
    format_report,
    load_gold,
)
from claimgraph.graph.identity import document_iri, node_key
from claimgraph.graph.store import DiskStore


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
