"""Reliability of `claimgraph serve` under load and under SSRF attempts, on loopback only.

    python benchmarks/reliability_server.py                 # 50 clients for 60 s
    python benchmarks/reliability_server.py --seconds 30    # a shorter run

A small synthetic store (benchmarks/synthetic_graph.py) is served by `claimgraph serve`
on 127.0.0.1 with a free port. Then:

(a) load: N client threads, each a bounded loop of queries (a mix of saved queries, counts,
    CONSTRUCT and ASK) until the time is up; prints answered / busy (503) / errors, latency
    p50 / p99 / max, and the peak resident memory of the server plus its workers;
(b) SSRF: the probe's reproducer and fuzzed variants (noise that hides a SERVICE clause from
    a careless tokenizer), sent by GET, POST form and cross-origin POST form, with a loopback
    listener as the SERVICE target; prints how they were answered and how many connections the
    listener received (target 0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

MIX = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT DISTINCT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } LIMIT 50",
    "ASK { ?c a schema:Claim }",
    "CONSTRUCT WHERE { ?c a schema:Claim ; schema:text ?t } LIMIT 100",
    "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x cito:supports ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
]
NOISE = [
    "BIND(ex:a·\\' AS ?v)", 'BIND(ex:b\\" AS ?v)', "BIND('x\\'' AS ?v)", 'BIND("\\"" AS ?v)',
    "?s ex:c\\# ?o .", "BIND('''a''b''' AS ?v)", "FILTER(?s != <http://e/'>)", "{ }",
    "# a ' comment\n", 'BIND("# not a comment" AS ?v)', 'BIND("\u202e" AS ?v)',
]  # fmt: skip


def build_store(folder: Path, triples: int) -> Path:
    from synthetic_graph import generate

    from claimgraph.graph.store import DiskStore

    graphs, total, _ = generate(triples)
    DiskStore(folder).replace_graphs(graphs)
    print(f"store: {total:,} triples in {len(graphs)} documents")
    return folder


def start_server(store: Path, log) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "claimgraph.cli", "serve", "--store", str(store)]
    command += ["--host", "127.0.0.1", "--port", "0", "--timeout", "10", "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    buf, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if select.select([proc.stdout], [], [], 0.5)[0]:
            buf += os.read(proc.stdout.fileno(), 4096)
            m = re.search(rb"(http://127\.0\.0\.1:\d+/query)", buf)
            if m:
                return proc, m.group(1).decode()
    stop_server(proc)
    raise SystemExit(f"the server did not start: {buf!r}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next((int(ln.split()[1]) for ln in f if ln.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return kids


def sample_rss(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Peak of server + worker RSS (KiB), sampled every 0.2 s."""
    while not stop.wait(0.2):
        peak[0] = max(peak[0], _rss_kib(pid) + sum(_rss_kib(k) for k in _children(pid)))


def ask(url: str, query: str, data: bytes | None = None, headers=None) -> tuple[int, float]:
    started = time.monotonic()
    if data is None:
        target = f"{url}?{urllib.parse.urlencode({'query': query})}"
        req = urllib.request.Request(target, headers=headers or {})
    else:
        req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError as exc:
        status = -1 if not isinstance(exc, ConnectionResetError) else -2
    return status, time.monotonic() - started


def load(url: str, clients: int, seconds: float) -> None:
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        for _ in range(100_000):  # bounded; the clock ends it long before
            if time.monotonic() >= end:
                return
            outcome = ask(url, rng.choice(MIX))
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(t for _, t in results)
    count = lambda pred: sum(1 for s, _ in results if pred(s))  # noqa: E731
    print(
        f"load: {clients} clients, {seconds:g} s: {len(results)} requests, "
        f"answered {count(lambda s: s == 200)}, busy (503) {count(lambda s: s == 503)}, "
        f"connection resets {count(lambda s: s == -2)}, "
        f"other errors {count(lambda s: s not in (200, 503, -2))}"
    )
    if times:
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"latency: p50 {statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )


class Listener:
    """A loopback TCP listener that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def ssrf_queries(port: int, count: int, seed: int = 7) -> list[str]:
    remote = f"<http://127.0.0.1:{port}/x>"
    out = [
        "PREFIX ex: <http://e/>\nSELECT * WHERE { BIND(ex:a·\\' AS ?v) "
        f"SERVICE SILENT {remote} {{ ?s ?p ?o }} # '\n}}"
    ]
    rng = random.Random(seed)
    for _ in range(count - 1):
        before = " ".join(rng.choices(NOISE, k=rng.randint(0, 3)))
        after = " ".join(rng.choices(NOISE, k=rng.randint(0, 2)))
        keyword = rng.choice(["SERVICE", "SERVICE SILENT", "service silent", "SeRvIcE"])
        close = rng.choice([" }", " # '\n}", ' # "\n}', "\n}"])
        pattern = f"{keyword} {remote} {{ ?s ?p ?o }}"
        if rng.random() < 0.3:
            pattern = f"FILTER EXISTS {{ {pattern} }}"
        out.append(f"PREFIX ex: <http://e/>\nSELECT * WHERE {{ {before} {pattern} {after}{close}")
    return out


def ssrf(url: str, count: int) -> None:
    listener = Listener()
    statuses: dict[int, int] = {}
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        queries = ssrf_queries(listener.port, count)
        for query in queries:
            body = urllib.parse.urlencode({"query": query}).encode()
            for data, headers in (
                (None, None),
                (body, form),
                (body, {**form, "Origin": "http://evil.example"}),
            ):
                status, _ = ask(url, query, data, headers)
                statuses[status] = statuses.get(status, 0) + 1
        time.sleep(1)
    finally:
        listener.close()
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    print(f"ssrf: {len(queries)} queries x 3 ways -> statuses {{{shown}}}")
    print(f"ssrf: connections the loopback listener received: {listener.connections} (target 0)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load phase length (60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--triples", type=int, default=20000, help="store size (20000)")
    parser.add_argument("--ssrf-queries", type=int, default=200, help="SSRF queries (200)")
    args = parser.parse_args(argv)
    if not (0 < args.seconds <= 3600 and 0 < args.clients <= 500):
        parser.error("--seconds must be in (0, 3600] and --clients in (0, 500]")
    with tempfile.TemporaryDirectory(prefix="claimgraph-reliability-") as work:
        store = build_store(Path(work) / "store", args.triples)
        with open(Path(work) / "serve.log", "wb") as log:
            proc, url = start_server(store, log)
            print(f"server: {url} (pid {proc.pid})")
            stop, peak = threading.Event(), [0]
            sampler = threading.Thread(target=sample_rss, args=(proc.pid, stop, peak))
            sampler.start()
            try:
                load(url, args.clients, args.seconds)
                ssrf(url, args.ssrf_queries)
            finally:
                stop.set()
                sampler.join()
                stop_server(proc)
            print(f"peak RSS, server + workers: {peak[0] / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
