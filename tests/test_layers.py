"""The package's layers and size limits, read from the source with `ast` (nothing is imported).

Layers, lowest first (docs/architecture.md draws them): graph <- ingest, queries, evaluation;
evaluation <- corpora; ingest, corpora, evaluation <- training; everything <- the top
(claimgraph/__init__.py, cli.py, errors.py, commands/). A module may import its own layer and
the layers listed for it, nothing above; ingest and queries never import each other.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP = "top"
#: Layer -> the other layers its modules may import.
MAY_IMPORT: dict[str, set[str]] = {
    "graph": set(),
    "ingest": {"graph"},
    "queries": {"graph"},
    "evaluation": {"graph"},
    "corpora": {"graph", "ingest", "evaluation"},
    "training": {"graph", "ingest", "corpora", "evaluation"},
}
#: Top-level modules of the package that belong to the top layer.
TOP_MODULES = {"cli", "errors", "commands", "__init__", "__main__"}
#: Names the folders had before they became subpackages; importing them is always a mistake.
OLD_NAMES = {"graph", "ingest", "queries", "evaluation"}
MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 80
LONG_MARK = "long:"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. claimgraph.ingest.works
    path: Path
    is_package: bool  # an __init__.py


def _package_dirs() -> dict[str, Path]:
    """Package name -> its folder, from pyproject's [tool.setuptools.package-dir]."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"].get("package-dir", {})
    dirs = {name: ROOT / folder for name, folder in mapping.items()}
    dirs.setdefault("claimgraph", ROOT / "claimgraph")
    return dirs


def _modules() -> list[Module]:
    """Every .py file of the package's source folders, with its installed module name."""
    dirs = _package_dirs()
    mapped = set(dirs.values())
    found: dict[Path, Module] = {}
    for package, folder in dirs.items():
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder)
            # A folder mapped to another package (claimgraph.graph = graph/) is its own walk.
            if any(parent in mapped and parent != folder for parent in path.parents):
                continue
            parts = [*rel.parent.parts, rel.stem]
            is_package = rel.stem == "__init__"
            if is_package:
                parts = parts[:-1]
            found[path] = Module(".".join([package, *parts]), path, is_package)
    return list(found.values())


MODULES = _modules()


def layer_of(module: str) -> str:
    """The layer of a dotted claimgraph module name."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in TOP_MODULES:
        return TOP
    if parts[1] in MAY_IMPORT:
        return parts[1]
    if (ROOT / "claimgraph" / f"{parts[1]}.py").is_file():
        return TOP  # a new top-level module of the package (say claimgraph/config.py)
    return f"unknown subpackage claimgraph.{parts[1]}"


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if not module.is_package:
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(module: Module) -> list[tuple[int, str]]:
    """(line, imported module) of every import in the file, nested ones included.

    `from claimgraph import evaluation` counts as claimgraph.evaluation.
    """
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target == "claimgraph":
                found += [(node.lineno, f"claimgraph.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(ROOT)}:{line}"


def test_the_walk_finds_every_layer():
    names = {m.name for m in MODULES}
    for expected in (
        "claimgraph.cli",
        "claimgraph.graph.store",
        "claimgraph.ingest.pipeline",
        "claimgraph.queries.library",
        "claimgraph.evaluation.scoring",
        "claimgraph.commands.eval",
    ):
        assert expected in names
    # The layer rules themselves, on names.
    assert layer_of("claimgraph") == layer_of("claimgraph.commands.eval") == TOP
    assert layer_of("claimgraph.ingest.works") == "ingest"
    assert layer_of("claimgraph.nowhere").startswith("unknown")


def test_relative_imports_resolve():
    mod = Module("claimgraph.ingest.works", ROOT / "ingest" / "works.py", False)
    node = ast.parse("from ..graph import model").body[0]
    assert _resolve(mod, node) == "claimgraph.graph"
    pkg = Module("claimgraph.ingest", ROOT / "ingest" / "__init__.py", True)
    assert _resolve(pkg, ast.parse("from .rules import x").body[0]) == "claimgraph.ingest.rules"


def test_no_import_goes_up_a_layer():
    problems = []
    for module in MODULES:
        own = layer_of(module.name)
        if own.startswith("unknown"):
            problems.append(f"{module.path.relative_to(ROOT)}: {own}; add it to MAY_IMPORT")
            continue
        for line, target in imports(module):
            head = target.split(".")[0]
            if head in OLD_NAMES:
                problems.append(
                    f"{_where(module, line)}: imports {target}; use claimgraph.{target}"
                )
                continue
            if head != "claimgraph" or own == TOP:
                continue
            theirs = layer_of(target)
            if theirs != own and theirs not in MAY_IMPORT[own]:
                problems.append(
                    f"{_where(module, line)}: {module.name} ({own}) imports {target} ({theirs})"
                )
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_no_source_file_is_too_long():
    long = []
    for module in MODULES:
        n = len(module.path.read_text(encoding="utf-8").splitlines())
        if n > MAX_FILE_LINES:
            long.append(f"{module.path.relative_to(ROOT)}: {n} lines")
    assert not long, f"source files over {MAX_FILE_LINES} lines:\n" + "\n".join(long)


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def long_functions(path: Path, root: Path = ROOT) -> list[str]:
    """Functions over MAX_FUNCTION_LINES lines without a "long:" comment just above them."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for fn in _functions(ast.parse(text, str(path))):
        size = fn.end_lineno - fn.lineno + 1
        if size <= MAX_FUNCTION_LINES:
            continue
        first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
        above = lines[first - 2].strip() if first >= 2 else ""
        if above.startswith("#") and LONG_MARK in above:
            continue
        found.append(f"{path.relative_to(root)}:{fn.lineno} {fn.name}() is {size} lines")
    return found


def test_long_function_check_honours_the_mark(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    marked = tmp_path / "marked.py"
    marked.write_text(f"# long: one table, read top to bottom\n@staticmethod\ndef f():\n{body}\n")
    bare = tmp_path / "bare.py"
    bare.write_text(f"# a comment\ndef g():\n{body}\n")
    assert long_functions(marked, tmp_path) == []
    assert long_functions(bare, tmp_path) == [f"bare.py:2 g() is {MAX_FUNCTION_LINES + 1} lines"]


@pytest.mark.parametrize("folder", ["ingest"])
def test_no_unexplained_long_function(folder):
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        found += long_functions(path)
    assert not found, (
        f"functions over {MAX_FUNCTION_LINES} lines (split them, or put a '# long: why' "
        "comment on the line above the def):\n" + "\n".join(found)
    )
