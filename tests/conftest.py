"""Shared fixtures: the real CLI run as a subprocess, and the sample corpus ingested once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
GOLD = ROOT / "examples" / "gold"


def cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `claimgraph ARGS` exactly as a user would, capturing output."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    """A private copy of the sample corpus that tests may edit."""
    dst = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store holding the sample corpus, ingested once through the real CLI."""
    store = tmp_path_factory.mktemp("store") / "store"
    result = cli("ingest", str(CORPUS), "--store", str(store), "--quiet")
    assert result.returncode == 0, result.stderr
    return store
