"""Reliability of ingest under kills and hostile input (issue 11). Prints the figures.

(a) `--kills` times: run `claimgraph ingest` (one or two processes) or `claimgraph remove`
    on a generated corpus, SIGKILL it at a random moment, then check that the store opens
    and holds exactly the old or the new content (documents, hashes, quads per graph), and
    that no process of the killed command is left 10 s later (found by an environment
    marker, so spaCy workers are counted too). Local files only.
(b) Ingest a folder of hostile files (the issue's cases plus `--hostile` generated ones)
    and good files through the CLI: every hostile file must be stored or reported in
    exactly one line, and every good file stored.

    python benchmarks/reliability_ingest.py [--kills 30] [--hostile 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from claimgraph.graph import catalog
from claimgraph.graph.identity import shown
from claimgraph.graph.store import DiskStore

ROOT = Path(__file__).resolve().parent.parent
MARK = "CLAIMGRAPH_RELIABILITY_RUN"
PEOPLE = ["Marta Lindqvist", "Ivo Brandt", "Ola Berg", "Helena Varga", "Tomas Rieger"]
VERBS = ["argues", "claims", "denies", "insists", "writes"]
TOPICS = ["the harbour tax", "the river dam", "the old mill", "the rail strike", "the census"]


def sentence(rng: random.Random) -> str:
    who, verb, topic = rng.choice(PEOPLE), rng.choice(VERBS), rng.choice(TOPICS)
    return f"{who} {verb} that {topic} changed the town in {rng.randint(1850, 1990)}."


def write_corpus(folder: Path, docs: int, rng: random.Random) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        paras = [" ".join(sentence(rng) for _ in range(6)) for _ in range(8)]
        (folder / f"doc{i:03d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def snapshot(store: Path) -> tuple:
    """What the store holds: (name, sha256) pairs and quads per graph; raises if damaged."""
    ds = DiskStore(store).dataset()
    docs = sorted((n, i.sha256) for n, i in catalog.documents(ds).items())
    rows = ds.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return tuple(docs), tuple(sorted((str(g), int(n)) for g, n in rows))


def claimgraph(args: list[str], marker: str) -> subprocess.Popen:
    env = dict(os.environ, **{MARK: marker})
    return subprocess.Popen(
        [sys.executable, "-m", "claimgraph.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a kill of the command must not reach this script
    )


def marked(marker: str) -> list[int]:
    """Live processes whose environment carries `marker`."""
    needle = f"{MARK}={marker}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


def kill_rounds(work: Path, kills: int, rng: random.Random) -> None:
    corpus, changed = work / "v1", work / "v2"
    write_corpus(corpus, 12, random.Random(1))
    write_corpus(changed, 12, random.Random(2))
    base = work / "base"
    run = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "ingest", str(corpus), "--store", str(base),
         "--quiet"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    ops = {
        "ingest": ["ingest", str(changed), "--quiet", "--force"],
        "ingest --jobs 2": ["ingest", str(changed), "--quiet", "--force", "--jobs", "2"],
        "remove": ["remove", "doc003.txt", "doc007.txt"],
    }
    old = snapshot(base)
    expected, durations = {}, {}
    for name, args in ops.items():  # each operation run to the end once: the "new" state
        store = work / "expected"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(base, store)
        started = time.monotonic()
        claimgraph([*args, "--store", str(store)], "full").wait()
        durations[name] = time.monotonic() - started
        expected[name] = snapshot(store)
    print("operation times (uncut): " + ", ".join(f"{k} {v:.1f} s" for k, v in durations.items()))

    outcome = {"old": 0, "new": 0, "damaged": 0}
    orphans_after_10s, killed_in_time = 0, 0
    for i in range(kills):
        name = list(ops)[i % len(ops)]
        store = work / "store"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(base, store)
        marker = uuid.uuid4().hex
        proc = claimgraph([*ops[name], "--store", str(store)], marker)
        time.sleep(rng.uniform(0.05, durations[name]))
        if proc.poll() is None:
            killed_in_time += 1
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        try:
            state = snapshot(store)
            outcome["old" if state == old else "new" if state == expected[name] else "damaged"] += 1
        except Exception as exc:  # noqa: BLE001 - a store that does not open is the finding
            print(f"  round {i}: store does not open: {exc}")
            outcome["damaged"] += 1
        deadline = time.monotonic() + 10
        while marked(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = marked(marker)
        orphans_after_10s += len(left)
        for pid in left:  # do not leave them running after the benchmark
            os.kill(pid, signal.SIGKILL)
    print(f"(a) kills: {kills} rounds, {killed_in_time} killed while running")
    print(f"    store afterwards: {outcome['old']} old, {outcome['new']} new, "
          f"{outcome['damaged']} damaged")  # fmt: skip
    print(f"    processes left 10 s after the kills: {orphans_after_10s}")


def hostile_files(folder: Path, count: int, rng: random.Random) -> dict[str, str]:
    """Write hostile files; returns name -> kind. The issue's cases come first."""
    kinds: dict[str, str] = {}
    good = "Marta Lindqvist argues that the harbour tax ruined the town.\n"
    ref = (
        "Abelard, A., Brookmayer, V., Carter, B., Dunnigan, J., Eboue, C., Fakambe, F., "
        "Mbanza, D., Kalue, L., Ndoro, N., Gärtner, L., Devane, S., Brenan, C.A., 2014. "
        "Evidence of Putative XYZ-2 Type Q in Gabon. J. Virol. 85, 1403–1407."
    )

    def put(name: str, data: bytes | str, kind: str) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        kinds[name] = kind

    for name in ("日本.txt", "中国.txt", "Report.txt", "report.txt", "a b.txt", "a-b.txt"):
        put(name, good + name + "\n", "colliding name")
    blob = base64.b64encode(rng.randbytes(1_650_000)).decode()
    put("blob.txt", f"Intro.\n\n{blob}\n\n{good}", "2.2 MB without spaces")
    put("refs.txt", "\n".join([ref] * 16), "backtracking reference")
    put("new\nline.txt", good, "newline in name")
    (folder / "loop.txt").symlink_to("loop.txt")
    kinds["loop.txt"] = "symlink loop"
    put("empty.txt", b"", "empty")
    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00" + rng.randbytes(4000), "binary")
    makers = [
        ("random bytes", lambda: rng.randbytes(rng.randint(1, 5000)), ".txt"),
        ("whitespace only", lambda: " \n\t" * rng.randint(1, 500), ".md"),
        ("no-space run", lambda: "x" * rng.randint(10_000, 300_000), ".txt"),
        ("deep html", lambda: "<div>" * rng.randint(500, 20_000) + good, ".html"),
        ("markdown delimiters", lambda: rng.choice(["**a ", "[a ", "`a ", "_a "]) * 30_000, ".md"),
        (
            "many authors",
            lambda: ", ".join(["Ab, C."] * rng.randint(10, 80)) + ", 2001. T.",
            ".txt",
        ),
        ("thread headers", lambda: "ann wrote:\n\n> a b c\n\n" * rng.randint(100, 5000), ".txt"),
        ("bidi and controls", lambda: "\u202e\u200b\x1b[2J" * 300 + good, ".txt"),
        ("utf-16 no bom", lambda: good.encode("utf-16-le") * 20, ".txt"),
        ("mixed scripts", lambda: "Ωμέγα 日本語 עברית Привет " * 2000 + good, ".md"),
        ("sentence marks", lambda: "!" * rng.randint(10_000, 200_000) + " " + good, ".txt"),
    ]
    odd = ["", " ", "\t", "\x1b", "\u202e"]  # odd characters in the generated names
    for i in range(count):
        kind, make, suffix = makers[i % len(makers)]
        name = f"gen{i:03d}{rng.choice(odd)}{suffix}"
        put(name, make(), kind)
    return kinds


def hostile_run(work: Path, count: int, rng: random.Random) -> None:
    folder = work / "hostile"
    folder.mkdir()
    kinds = hostile_files(folder, count, rng)
    good = []
    for i in range(5):
        name = f"good{i}.txt"
        (folder / name).write_text(" ".join(sentence(rng) for _ in range(12)) + "\n")
        good.append(name)
    store = work / "hostile-store"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "ingest", str(folder), "--store", str(store),
         "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    seconds = time.monotonic() - started
    stored = set(catalog.documents(DiskStore(store).dataset())) if store.exists() else set()
    lines = run.stderr.strip().splitlines()
    reported, stored_hostile, lost, twice = 0, 0, [], []
    for name in kinds:
        hits = [line for line in lines if line.startswith(f"skipped {shown(name)}:")]
        if len(hits) > 1 or (hits and name in stored):
            twice.append(name)
        if hits:
            reported += 1
        elif name in stored:
            stored_hostile += 1
        else:
            lost.append(name)
    print(f"(b) hostile files: {len(kinds)} ({count} generated), exit status {run.returncode},"
          f" {seconds:.1f} s, traceback: {'yes' if 'Traceback' in run.stderr else 'no'}")  # fmt: skip
    print(f"    reported in one line: {reported}; stored: {stored_hostile}; "
          f"neither: {len(lost)}; more than once: {len(twice)}")  # fmt: skip
    for name in lost + twice:
        print(f"      {shown(name)} ({kinds[name]})")
    print(f"    stderr lines: {len(lines)}; good files stored: "
          f"{sum(n in stored for n in good)}/{len(good)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--hostile", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="claimgraph-reliability-") as tmp:
        work = Path(tmp)
        if args.kills:
            kill_rounds(work, args.kills, rng)
        if args.hostile >= 0:
            hostile_run(work, args.hostile, rng)


if __name__ == "__main__":
    main()
