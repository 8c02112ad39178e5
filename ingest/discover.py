"""Expand the files and folders a user names into the documents to read, with their names.

A document's name (which becomes its IRI) is its path relative to the folder given, or its
file name if the file was given directly. Problems come back as one line each, with names
escaped (`shown`) so a newline or terminal escape in a file name cannot break the line.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from claimgraph.graph.identity import shown
from claimgraph.ingest.readers import SUPPORTED_SUFFIXES

#: Folders and files that are never documents: skipped without a word.
JUNK_DIRS = frozenset({"__pycache__", "node_modules", "__MACOSX", "site-packages"})
JUNK_FILES = frozenset({"Thumbs.db", "desktop.ini"})


def discover(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file, name) pairs to read from `paths`, in order, each file once; and problems.

    Files given directly are returned whatever their type, so the reader can say what is
    wrong with them; inside folders only supported files are, and the rest are reported.
    """
    files: list[tuple[Path, str]] = []
    problems: list[str] = []
    seen: set[Path] = set()
    owner: dict[str, Path] = {}

    def add(path: Path, name: str) -> None:
        real = path.resolve()
        if real in seen:
            return
        seen.add(real)
        if not _encodable(name):
            problems.append(f"skipped {shown(name)}: the file name is not valid UTF-8; rename it")
            return
        if name in owner:
            problems.append(
                f"skipped {shown(str(path))}: the name {shown(name)} is already taken by"
                f" {shown(str(owner[name]))}"
            )
            return
        owner[name] = path
        files.append((path, name))

    for path in paths:
        kind = _kind(path)
        if kind == "dir":
            found = _folder(path, problems)
            if not found:
                suffixes = " ".join(SUPPORTED_SUFFIXES)
                problems.append(f"no supported files ({suffixes}) in {shown(str(path))}")
            for file in found:
                add(file, file.relative_to(path).as_posix())
        elif kind == "file":
            add(path, path.name)
        else:
            problems.append(f"{shown(str(path))}: {kind}")
    return files, problems


def _kind(path: Path) -> str:
    """What `path` is ("dir" or "file"), or else what is wrong with it."""
    try:
        if path.is_dir():
            return "dir"
        if path.is_file():
            return "file"
        os.stat(path)
        return "not a regular file or folder"
    except FileNotFoundError:
        return (
            "broken symlink (its target is missing)"
            if path.is_symlink()
            else ("no such file or directory")
        )
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        return f"cannot access ({exc.strerror or exc})"


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:  # undecodable bytes in a file name (surrogate escapes)
        return False


def _folder(root: Path, problems: list[str]) -> list[Path]:
    """Supported files under `root`, sorted by relative path; the others reported."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    visited: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = folder.resolve()
        if real in visited:  # a symlink loop
            continue
        visited.add(real)
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            problems.append(
                f"skipped {shown(str(folder))}: cannot list the folder ({exc.strerror or exc})"
            )
            continue
        for entry in entries:
            if _junk(entry.name):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif not entry.is_file():
                why = _kind(entry)
                why = "not a regular file" if why == "not a regular file or folder" else why
                skipped.append((entry.relative_to(root).as_posix(), why))
            elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(entry)
            else:
                skipped.append((entry.relative_to(root).as_posix(), "unsupported file type"))
    problems.extend(f"skipped {shown(name)}: {why}" for name, why in sorted(skipped))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _junk(name: str) -> bool:
    return (
        name.startswith(".")
        or name in JUNK_DIRS
        or name in JUNK_FILES
        or name.endswith("~")
        or name.startswith("~$")
    )
