"""The notebooks in notebooks/: committed clean, and run top to bottom in a fresh kernel.

Each notebook is executed with nbclient in a new ``python3`` kernel (jupyter_client starts it
with this interpreter, i.e. the project's venv), in the notebook's own folder as Jupyter does,
with a time limit per cell; a failing cell fails the test. Cells the tests look at carry a
tag in their metadata (``counts``, ``contested``, ``final``, ...).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell
DURATIONS: dict[str, float] = {}


def execute(nb, cwd: Path = NOTEBOOKS):
    """Run `nb` in place in a fresh python3 kernel started in `cwd`."""
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute()


def run_notebook(path: Path):
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    execute(nb)
    DURATIONS[path.name] = time.monotonic() - started
    print(f"\n{path.name}: ran in {DURATIONS[path.name]:.1f} s")
    return nb


def tagged(nb, tag: str):
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"one cell tagged {tag!r} expected, found {len(cells)}"
    return cells[0]


def text_of(cell) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def all_text(nb) -> str:
    return "\n".join(text_of(c) for c in nb.cells if c.cell_type == "code")


def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*") if "__pycache__" not in p.parts}


def group_alive(pgid: int) -> list[int]:
    """Processes still in process group `pgid` (Linux /proc), zombies excluded."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def server_pid(nb) -> int:
    match = re.search(
        r"server pid (\d+): .*SPARQL endpoint at http://", text_of(tagged(nb, "server"))
    )
    assert match, text_of(tagged(nb, "server"))
    return int(match.group(1))


# --- committed notebooks ------------------------------------------------------------------------


def test_the_four_notebooks_are_there():
    assert [p.name for p in PATHS] == [
        "01-quickstart.ipynb",
        "02-contested-claims.ipynb",
        "03-your-own-corpus.ipynb",
        "04-sparql-from-outside.ipynb",
    ]
    listed = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    for p in PATHS:
        assert p.name in listed


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    """No outputs (no inlined vis.js, no images) and no execution counts in git."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
        assert "attachments" not in cell or not cell.attachments
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_opens_with_what_it_shows_and_how_to_run_it(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# ")
    assert "**What it shows:**" in first.source
    assert "jupyter lab notebooks/" in first.source
    assert f"jupyter execute notebooks/{path.name}" in first.source


# --- executed notebooks --------------------------------------------------------------------------


@pytest.mark.slow
def test_kernel_is_this_interpreter():
    """The python3 kernel nbclient starts is the venv's Python, where claimgraph is installed."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys, claimgraph; print(sys.executable)")]
    )
    execute(nb)
    printed = text_of(nb.cells[0]).strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


@pytest.fixture(autouse=True)
def kernel_tmp(tmp_path, monkeypatch):
    """The kernels inherit TMPDIR: a notebook's temporary work folder lands under tmp_path."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def repo_files():
    """Files of the folders a notebook could write to by mistake, before and after."""
    before = files_under(NOTEBOOKS, ROOT / "examples")
    yield before
    after = files_under(NOTEBOOKS, ROOT / "examples")
    assert after == before, f"notebooks wrote into the repository: {sorted(after ^ before)}"


@pytest.mark.slow
def test_quickstart(repo_files):
    nb = run_notebook(NOTEBOOKS / "01-quickstart.ipynb")
    counts = text_of(tagged(nb, "counts"))
    for kind in ("Person", "Work", "Event", "Claim", "supports", "disputes", "cites"):
        assert re.search(rf"\b{kind}\s+[1-9]\d*\b", counts), (kind, counts)
    assert "20 million" in text_of(tagged(nb, "contested"))
    view = tagged(nb, "view")
    html = "".join(o.data.get("text/html", "") for o in view.outputs if "data" in o)
    assert html.startswith("<iframe srcdoc=") and "vis-network" in html
    assert "Jan Plamper" in html


@pytest.mark.slow
def test_contested_claims(repo_files):
    nb = run_notebook(NOTEBOOKS / "02-contested-claims.ipynb")
    assert "20 million" in text_of(tagged(nb, "contested"))
    trails = text_of(tagged(nb, "trails"))
    assert "supports" in trails and "disputes" in trails
    assert "“It couldn’t possibly be 20 million victims" in trails  # the quote itself
    assert "The Stalin Cult" in text_of(tagged(nb, "sources"))
    for tag in ("plot-stance", "plot-cited"):
        images = [o for o in tagged(nb, tag).outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, tag


@pytest.mark.slow
def test_your_own_corpus(repo_files, kernel_tmp):
    nb = run_notebook(NOTEBOOKS / "03-your-own-corpus.ipynb")
    diff = text_of(tagged(nb, "rules-diff"))
    assert re.search(r"Port Velin Lockout\s+new", diff), diff  # an event name from the TOML
    assert re.search(r"Mother\s+gone", diff), diff  # the nickname now resolves to Kowalska
    report = text_of(tagged(nb, "eval"))
    assert "harbour.txt" in report and "rules (weakest first)" in report
    assert re.search(r"^Person\s+\d+\s+2\s+2\b", report, re.M), report  # both people found
    assert "f1" in text_of(tagged(nb, "eval-json"))
    export = text_of(tagged(nb, "export"))
    page = Path(re.search(r"^(\S+harbour-dispute\.html) \(", export, re.M).group(1))
    assert page.is_file() and page.is_relative_to(kernel_tmp)
    assert "Marta Kowalska" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_sparql_from_outside(repo_files):
    nb = run_notebook(NOTEBOOKS / "04-sparql-from-outside.ipynb")
    final = text_of(tagged(nb, "final"))
    assert not final.startswith("Empty DataFrame")
    assert re.search(r"Robert Conquest\s+1\s+1\s+1", final), final
    assert "server stopped (exit status 0)" in text_of(tagged(nb, "stop"))
    pid = server_pid(nb)
    assert not pid_alive(pid) and group_alive(pid) == []


@pytest.mark.slow
def test_sparql_server_is_stopped_when_a_cell_fails(repo_files):
    """A failing cell after the server started: the kernel's exit still stops the server."""
    nb = nbformat.read(NOTEBOOKS / "04-sparql-from-outside.ipynb", as_version=4)
    start = nb.cells.index(tagged(nb, "server"))
    nb.cells.insert(start + 1, nbformat.v4.new_code_cell("raise RuntimeError('a cell fails')"))
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="a cell fails"):
        execute(nb)
    pid = server_pid(nb)
    deadline = time.monotonic() + 15
    while (pid_alive(pid) or group_alive(pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(pid) and group_alive(pid) == [], "the server outlived its notebook"


def teardown_module():
    if DURATIONS:
        print("\nnotebook run times: " + ", ".join(f"{k} {v:.1f} s" for k, v in DURATIONS.items()))
