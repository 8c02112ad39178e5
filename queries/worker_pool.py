"""The server's side of the query workers: start, ask with a deadline, kill and replace.

A worker that overruns the time limit is killed (SIGKILL) and replaced; one that dies (its
memory limit makes the allocator abort) is replaced too, and the client gets 503 either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
import time

from claimgraph.queries.query_worker import HEADER, MEMORY_MESSAGE, answer, send


class WorkerGone(Exception):
    """The worker process exited (or could not start)."""


class Worker:
    """One worker process and its pipes."""

    def __init__(self, max_memory: int | None = None) -> None:
        command = [sys.executable, "-m", "claimgraph.queries.query_worker", "--worker"]
        if max_memory:
            command += ["--max-memory", str(max_memory)]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C in the terminal reaches the server only
            env={**os.environ, "RUST_BACKTRACE": "0"},  # an allocation failure: one line
        )
        try:
            hello = self._read(time.monotonic() + 60)
        except (TimeoutError, WorkerGone, EOFError, pickle.UnpicklingError):
            hello = None
        if not hello or not hello.get("ready"):
            self.kill()
            raise WorkerGone("query worker failed to start")
        self.network_lockdown: list[str] = hello.get("network_lockdown") or []
        self.memory_limit: str | None = hello.get("memory_limit")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerGone("query worker exited")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float):
        (size,) = HEADER.unpack(self._read_exact(HEADER.size, deadline))
        return pickle.loads(self._read_exact(size, deadline))

    def ask(self, job: dict, timeout: float) -> dict:
        """Send one job and wait at most `timeout` seconds for its answer."""
        deadline = time.monotonic() + timeout
        try:
            send(self.proc.stdin, job)
        except (BrokenPipeError, OSError):
            raise WorkerGone("query worker exited") from None
        return self._read(deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class WorkerPool:
    """A fixed number of workers, each replaced when it overruns, dies or runs out of memory."""

    def __init__(self, size: int, max_memory: int | None = None) -> None:
        self.size = size
        self.max_memory = max_memory
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.closed = False
        self.lock = threading.Lock()
        self.live: set[Worker] = set()
        first = Worker(max_memory)
        self.network_lockdown = first.network_lockdown
        self._add(first)
        for _ in range(size - 1):
            self._add(Worker(max_memory))

    def _add(self, worker: Worker) -> None:
        with self.lock:
            self.live.add(worker)
        self.idle.put(worker)

    def _retire(self, worker: Worker) -> None:
        worker.kill()
        with self.lock:
            self.live.discard(worker)
        threading.Thread(target=self._replace, daemon=True).start()

    def _replace(self) -> None:
        while not self.closed:
            try:
                worker = Worker(self.max_memory)
            except Exception:  # noqa: BLE001 - try again shortly
                time.sleep(1)
                continue
            if self.closed:
                worker.kill()
            else:
                self._add(worker)
            return

    def pids(self) -> list[int]:
        """The process ids of the live workers (for RSS measurements)."""
        with self.lock:
            return [w.pid for w in self.live]

    def run(self, job: dict, timeout: float) -> dict:
        """Run `job` on an idle worker within `timeout` seconds (waiting for one included)."""
        started = time.monotonic()
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return answer(503, f"all {self.size} query workers are busy; try again later")
        left = max(0.001, timeout - (time.monotonic() - started))
        try:
            reply = worker.ask(job, left)
        except TimeoutError:
            self._retire(worker)
            return answer(503, f"query stopped: it ran past the time limit of {timeout:g} s")
        except (WorkerGone, EOFError, pickle.UnpicklingError) as exc:
            try:
                code = worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            self._retire(worker)
            if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS) and self.max_memory:
                return answer(503, MEMORY_MESSAGE.format(mib=self.max_memory >> 20))
            return answer(500, f"query failed: {exc} (the worker was restarted)")
        if reply.pop("retire", False):
            self._retire(worker)
        else:
            self.idle.put(worker)
        return reply

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers = list(self.live)
            self.live.clear()
        for worker in workers:
            worker.kill()
