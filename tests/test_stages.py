"""Extraction as named stages: the configured list, --explain, and replacing a stage by config."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from claimgraph.graph.model import DOC
from claimgraph.ingest.rules import RulesError, load_rules
from claimgraph.ingest.stages import STAGES, get_stage, known_names, stage
from tests.test_extraction import extract

# The bundled list, as written in rules.toml (the loader and --explain must agree with it).
DEFAULT = tomllib.loads(
    resources.files("claimgraph.ingest").joinpath("rules.toml").read_text("utf-8")
)["pipeline"]["stages"]
WITHOUT_STANCE = [
    s for s in DEFAULT if s not in ("stance", "argument-relations", "citations")
]  # no edge-making stage

TEXT = (
    "Commentator Ilse Varga insisted that the bridge collapse was caused by sabotage.\n"
    "But this is absurd: the inspection reports of 1998, 2003 and 2009 had documented "
    "rusted cables that the city never replaced.\n"
)

# A stage from outside the package, loaded by its dotted reference "module:function".
PLUGIN = '''"""Invented extraction stages for claimgraph's tests."""

from claimgraph.graph.model import DOC, Edge
from claimgraph.ingest.stages import stage


def doubt_everything(state):
    """Test stage: the document disputes every claim it holds.

    Not the first line, so not the description.
    """
    for key in state.claim_keys.values():
        state.extraction.add_edge(Edge(DOC, "disputes", key, 0, 0, 0.5, "test-doubt"))


@stage("test-registered")
def registered(state):
    """Test stage registered by name when its module is imported."""
'''


def run_cli(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """`claimgraph ARGS` as a user runs it, optionally with a folder of their own modules."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def rules_file(tmp_path: Path, stages: list[str], extra: str = "") -> Path:
    path = tmp_path / "rules.toml"
    listed = ", ".join(f'"{s}"' for s in stages)
    path.write_text(f"[pipeline]\nstages = [{listed}]\n{extra}", encoding="utf-8")
    return path


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "cg_test_stages.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    STAGES.pop("test-registered", None)
    sys.modules.pop("cg_test_stages", None)


@pytest.fixture(scope="module")
def nlp():
    from claimgraph.ingest.nlp import load_nlp

    return load_nlp()


def test_explain_lists_the_default_stages_in_order(tmp_path):
    assert list(load_rules().stages) == DEFAULT
    r = run_cli("ingest", "--explain", cwd=tmp_path)  # no store, no inputs, no ./claimgraph.toml
    assert r.returncode == 0, r.stderr
    assert r.stderr == "" and list(tmp_path.iterdir()) == []
    lines = r.stdout.splitlines()
    assert "bundled rules" in lines[0]
    numbered = [line.split()[:2] for line in lines if line[:3].strip().rstrip(".").isdigit()]
    assert numbered == [[f"{i}.", name] for i, name in enumerate(DEFAULT, 1)]
    for name in DEFAULT:
        s = get_stage(name)
        assert s.description and s.description != "(no description)"
        assert s.description in r.stdout
        assert f"defined in {s.where}" in r.stdout
        assert s.where.startswith("claimgraph.ingest.")


def test_unknown_stage_is_one_line_and_exit_2(tmp_path):
    bad = rules_file(tmp_path, ["works", "claimz"])
    for args in (["--explain"], [str(tmp_path), "--store", str(tmp_path / "store")]):
        r = run_cli("ingest", *args, "--rules", str(bad), cwd=tmp_path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "'claimz'" in r.stderr and str(bad) in r.stderr
        assert "known stages: works, posts" in r.stderr
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(
    "stages,says",
    [
        ('"claims"', "must be a list"),
        ('["works", "works"]', "twice"),
        ('["no_such_module_here:run"]', "cannot import"),
        ('["claimgraph.ingest.extract:nothing"]', "has no 'nothing'"),
        ('["claimgraph.ingest.extract:LABEL_CHARS"]', "is not a function"),
    ],
)
def test_bad_stage_lists_are_rules_errors(tmp_path, stages, says):
    path = tmp_path / "rules.toml"
    path.write_text(f"[pipeline]\nstages = {stages}\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(path)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_user_file_replaces_the_stage_list_but_extends_other_lists(tmp_path, nlp):
    no_stance = WITHOUT_STANCE
    rules = load_rules(rules_file(tmp_path, no_stance, '[stance]\ndisputes = ["is hogwash"]\n'))
    assert list(rules.stages) == no_stance
    assert "is hogwash" in rules.dispute_cues and "absurd" in rules.dispute_cues
    full, bare = extract(nlp, TEXT), extract(nlp, TEXT, rules)
    assert any(e.relation == "disputes" for e in full.edges)
    assert {e.relation for e in bare.edges} <= {"cites"}
    assert bare.nodes.keys() == full.nodes.keys()


def test_a_stage_from_a_dotted_reference_replaces_stance(tmp_path, plugin_dir, nlp):
    custom = [*WITHOUT_STANCE, "cg_test_stages:doubt_everything"]
    rules = load_rules(rules_file(tmp_path, custom))
    ex = extract(nlp, TEXT, rules)
    claims = {k for k, n in ex.nodes.items() if n.kind == "Claim"}
    assert claims
    assert {(e.source, e.relation, e.rule) for e in ex.edges} == {(DOC, "disputes", "test-doubt")}
    assert {e.target for e in ex.edges} == claims
    # Importing the module registered its decorated stage under its own name too.
    assert "test-registered" in known_names()
    assert get_stage("test-registered").where == "cg_test_stages:registered"


def test_custom_stage_through_the_cli(tmp_path, plugin_dir):
    custom = [*WITHOUT_STANCE, "cg_test_stages:doubt_everything"]
    rules = rules_file(tmp_path, custom)
    r = run_cli("ingest", "--explain", "--rules", str(rules), cwd=tmp_path, pythonpath=plugin_dir)
    assert r.returncode == 0, r.stderr
    assert f"{len(custom)}. cg_test_stages:doubt_everything" in r.stdout
    assert "Test stage: the document disputes every claim it holds." in r.stdout
    assert "Not the first line" not in r.stdout
    assert "other known stages: stance" in r.stdout
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "bridge.txt").write_text(TEXT, encoding="utf-8")
    store = tmp_path / "store"
    args = ["ingest", str(corpus), "--store", str(store), "--rules", str(rules), "--quiet"]
    r = run_cli(*args, cwd=tmp_path, pythonpath=plugin_dir)
    assert r.returncode == 0, r.stderr
    claims = int(r.stdout.split(" claims")[0].rsplit(" ", 1)[-1])
    assert claims > 0
    assert f"edges:     0 supports, {claims} disputes" in r.stdout


def test_a_name_is_registered_once():
    @stage("test-once")
    def first(state):
        """One."""

    try:
        with pytest.raises(ValueError, match="already defined"):

            @stage("test-once")
            def second(state):
                """Two."""

    finally:
        STAGES.pop("test-once")
