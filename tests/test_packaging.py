"""The built distribution: the sdist and the wheel built from it install one package,
`claimgraph`, with its data files, and its command runs from a fresh venv without the source.

Needs `build` and setuptools>=77 in the test environment (it builds with --no-isolation, so
nothing is downloaded); the installed dependencies are borrowed through PYTHONPATH.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = CONFIG["project"]["version"]
#: Not part of a source tree: environments, caches, stores, build output.
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
    "claimgraph-store",
    "demo-store",
    "test-artifacts",
    "out",
)
DATA_FILES = [
    "claimgraph/graph/ontology.ttl",
    "claimgraph/graph/shapes.ttl",
    "claimgraph/ingest/rules.toml",
]
CHECK_INSTALLED = """
import importlib, importlib.resources, sys
import claimgraph, claimgraph.graph.store
assert claimgraph.__file__.startswith(sys.argv[1]), claimgraph.__file__
for old in ("graph", "ingest", "queries"):
    try:
        importlib.import_module(old)
    except ModuleNotFoundError:
        continue
    raise SystemExit(f"import {old} worked; only claimgraph may be a top-level name")
graph = importlib.resources.files("claimgraph.graph")
assert graph.joinpath("ontology.ttl").is_file() and graph.joinpath("shapes.ttl").is_file()
queries = [p.name for p in importlib.resources.files("claimgraph.queries").iterdir()]
assert any(name.endswith(".rq") for name in queries), queries
print("installed ok")
"""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _expected_files() -> set[str]:
    """Wheel paths of every file in the package's source folders (pyproject's package-dir):
    modules and data files alike (a model file added without package-data is caught here)."""
    dirs = {n: ROOT / f for n, f in CONFIG["tool"]["setuptools"].get("package-dir", {}).items()}
    dirs.setdefault("claimgraph", ROOT / "claimgraph")
    others = {folder for folder in dirs.values()}
    expected = set()
    for package, folder in dirs.items():
        for path in folder.rglob("*"):
            if any(p in others and p != folder for p in path.parents):
                continue  # a folder mapped to its own package
            if "__pycache__" in path.parts or not path.is_file() or path.suffix == ".pyc":
                continue
            rel = path.relative_to(folder).as_posix()
            expected.add("/".join([*package.split("."), rel]))
    return expected


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel (built from the sdist) of a copy of the working tree."""
    try:
        import build  # noqa: F401
    except ImportError:
        pytest.fail("the `build` package is missing: pip install build (it is in the test extra)")
    setuptools = importlib.metadata.version("setuptools")
    if int(setuptools.split(".")[0]) < 77:
        pytest.fail(
            f"setuptools {setuptools} cannot build this project: pip install 'setuptools>=77'"
        )
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    out = base / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)])
    return out


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {folder}: {found}"
    return found[0]


def test_wheel_holds_one_package_with_its_data(dist):
    wheel = _one(dist, "*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"claimgraph", f"claimgraph-{VERSION}.dist-info"}
    for data in DATA_FILES:
        assert data in names
    assert any(n.startswith("claimgraph/queries/") and n.endswith(".rq") for n in names)
    rq_source = {p.name for p in (ROOT / "queries").glob("*.rq")}
    rq_wheel = {n.rsplit("/", 1)[1] for n in names if n.startswith("claimgraph/queries/")}
    assert rq_source <= rq_wheel
    missing = sorted(_expected_files() - set(names))
    assert not missing, (
        "source files not in the wheel (list new subpackages in pyproject's packages, "
        "data files in its package-data):\n" + "\n".join(missing)
    )
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "claimgraph = claimgraph.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_sdist_holds_the_source_folders(dist):
    sdist = _one(dist, "*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "graph/ontology.ttl", "ingest/rules.toml"):
        assert needed in names
    assert not any(n.startswith((".venv/", ".git/", "claimgraph-store/")) for n in names)


def test_installed_wheel_runs_without_the_source_tree(dist, tmp_path):
    wheel = _one(dist, "*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    _run([*pip, "--no-deps", "--no-index", "--no-cache-dir", str(wheel)])
    # The dependencies come from this environment; the source tree is nowhere on the path.
    paths = sysconfig.get_paths()
    deps = os.pathsep.join(dict.fromkeys([paths["purelib"], paths["platlib"]]))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = deps
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    proc = _run([str(venv / "bin" / "claimgraph"), "--help"], cwd=cwd, env=env)
    assert proc.stdout.startswith("usage: claimgraph")
    for command in ("ingest", "query", "eval"):
        assert command in proc.stdout
    proc = _run([str(python), "-c", CHECK_INSTALLED, str(venv)], cwd=cwd, env=env)
    assert "installed ok" in proc.stdout
