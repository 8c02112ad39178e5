"""The query worker process: checks a query's policy, then evaluates it with Oxigraph.

Started by the endpoint as `python -m claimgraph.queries.query_worker --worker`; before it reads
a job it locks itself down (no network sockets, capped memory: `sandbox.py`). Jobs arrive
pickled and length-prefixed on stdin, answers leave the same way on stdout. The server kills a
worker that overruns the time limit or dies, and starts a fresh one.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys

from claimgraph.queries.negotiation import GRAPH_TYPES, RESULT_TYPES, negotiate

HEADER = struct.Struct(">Q")
MEMORY_MESSAGE = "query stopped: it needed more than the memory limit of {mib} MiB"


def send(stream, obj) -> None:
    """Write one length-prefixed pickled message and flush."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def recv(stream):
    """Read one length-prefixed pickled message, or None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    return pickle.loads(stream.read(size))


def answer(status, body, media="text/plain", rows=None, truncated=False) -> dict:
    """An answer message: HTTP status, body bytes, media type, row count, truncation flag."""
    if isinstance(body, str):
        body = (body + "\n").encode("utf-8")
    return {"status": status, "body": body, "media": media, "rows": rows, "truncated": truncated}


def _not_acceptable(graph: bool) -> dict:
    types = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
    return answer(406, f"cannot answer in any of the accepted media types; available: {types}")


def _tsv_term(term) -> str:
    return "" if term is None else str(term)


def _term(ox, term: tuple):
    """A pyoxigraph term from ("iri", value) or ("literal", value, datatype IRI or None)."""
    if term[0] == "iri":
        return ox.NamedNode(term[1])
    datatype = ox.NamedNode(term[2]) if term[2] else None
    return ox.Literal(term[1], datatype=datatype)


class Evaluator:
    """Runs jobs against the live generation, reopening it when the store moves on."""

    def __init__(self, max_memory: int | None = None) -> None:
        import pyoxigraph

        self.ox = pyoxigraph
        self.gen: str | None = "<none>"
        self.store = None
        self.max_memory = max_memory

    def open(self, gen: str | None):
        if gen != self.gen or self.store is None:
            self.store = None
            self.store = self.ox.Store.read_only(gen) if gen else self.ox.Store()
            self.gen = gen
        return self.store

    def run(self, job: dict) -> dict:
        """Decide the policy on the parsed query, then evaluate it."""
        from claimgraph.queries.sparql_policy import Refused, check

        try:
            checked = check(job["query"], job["prefixes"])
        except Refused as refused:
            return answer(refused.status, refused.message)
        except MemoryError:
            return self.out_of_memory()
        job = {**job, "from_graphs": checked.from_graphs, "from_named": checked.from_named}
        job["prefixes"] = checked.prefixes
        return self.evaluate(job)

    def out_of_memory(self) -> dict:
        mib = (self.max_memory or 0) >> 20
        return {**answer(503, MEMORY_MESSAGE.format(mib=mib)), "retire": True}

    def evaluate(self, job: dict) -> dict:
        """Evaluate a job whose policy has been decided (no check here: see `run`)."""
        try:
            store = self.open(job["gen"])
        except OSError as exc:
            return answer(503, f"cannot open the store: {exc}")
        iris = job["from_graphs"] + job["from_named"] + job["default_graphs"] + job["named_graphs"]
        try:
            missing = [i for i in iris if not store.contains_named_graph(self.ox.NamedNode(i))]
        except ValueError as exc:
            return answer(400, f"bad graph IRI: {exc}")
        if missing:
            return answer(
                400,
                f"<{missing[0]}> is not a graph in this store; FROM, FROM NAMED, "
                "default-graph-uri and named-graph-uri may only name the store's own graphs "
                "(this endpoint never loads data from elsewhere)",
            )
        try:
            return self._evaluate(store, job)
        except MemoryError:
            return self.out_of_memory()
        except SyntaxError as exc:
            from claimgraph.queries.sparql_policy import oxigraph_syntax_message

            message = oxigraph_syntax_message(exc, job["query"]) or " ".join(str(exc).split())
            return answer(400, f"syntax error at {message}")
        except (OSError, RuntimeError, ValueError) as exc:
            return answer(400, f"query failed: {' '.join(str(exc).split())}")

    def _options(self, job: dict) -> dict:
        ox = self.ox
        options: dict = {"prefixes": job["prefixes"]}
        if job["default_graphs"] or job["named_graphs"]:
            options["default_graph"] = [ox.NamedNode(i) for i in job["default_graphs"]]
            options["named_graphs"] = [ox.NamedNode(i) for i in job["named_graphs"]]
        elif not (job["from_graphs"] or job["from_named"]):
            from claimgraph.graph.store import default_graph_options

            options.update(default_graph_options(self.store))
        if job.get("bindings"):  # the explorer's parameters, bound as terms (never pasted)
            options["substitutions"] = {
                ox.Variable(name): _term(ox, term) for name, term in job["bindings"].items()
            }
        return options

    def _evaluate(self, store, job: dict) -> dict:
        ox = self.ox
        max_rows = job["max_rows"]
        result = store.query(job["query"], **self._options(job))
        if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
            media = negotiate(job["accept"], job["format"], graph=False)
            if media is None:
                return _not_acceptable(False)
            fmt = getattr(ox.QueryResultsFormat, RESULT_TYPES[media])
            if isinstance(result, ox.QueryBoolean):
                return answer(200, result.serialize(format=fmt), media, rows=None)
            names = [str(v) for v in result.variables]
            lines = ["\t".join(names)]
            truncated = False
            for solution in result:
                if len(lines) > max_rows:
                    truncated = True
                    break
                lines.append("\t".join(_tsv_term(solution[i]) for i in range(len(names))))
            del result
            tsv = "\n".join(lines) + "\n"
            if media == "text/tab-separated-values":
                body = tsv.encode("utf-8")
            else:
                body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt)
            return answer(200, body, media, rows=len(lines) - 1, truncated=truncated)
        media = negotiate(job["accept"], job["format"], graph=True)
        if media is None:
            return _not_acceptable(True)
        triples = []
        truncated = False
        for triple in result:
            if len(triples) >= max_rows:
                truncated = True
                break
            triples.append(triple)
        fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
        prefixes = job["prefixes"] if media == "text/turtle" else None
        body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        return answer(200, body, media, rows=len(triples), truncated=truncated)


def worker_main(max_memory: int | None) -> int:
    """The worker loop: lock down, then jobs in on stdin, answers out on stdout."""
    from claimgraph.queries.sandbox import limit_memory, lock_down_network

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us; Ctrl-C goes to it
    network = lock_down_network()  # first, while this process has a single thread
    memory = limit_memory(max_memory)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by accident goes to stderr, not into the answer stream
    inp = os.fdopen(os.dup(0), "rb")
    evaluator = Evaluator(max_memory)
    import rdflib.plugins.sparql.algebra  # noqa: F401 - loaded once, not on the first query

    send(out, {"ready": True, "network_lockdown": network, "memory_limit": memory})
    while True:
        job = recv(inp)
        if job is None:
            return 0
        try:
            reply = evaluator.run(job)
        except MemoryError:
            reply = evaluator.out_of_memory()
        except Exception as exc:  # noqa: BLE001 - report, never die silently
            reply = answer(500, f"internal error: {type(exc).__name__}: {exc}")
        send(out, reply)


def main(argv: list[str]) -> int:
    """`--worker [--max-memory BYTES]`."""
    if not argv or argv[0] != "--worker":
        sys.stderr.write("usage: python -m claimgraph.queries.query_worker --worker\n")
        return 2
    max_memory = int(argv[2]) if argv[1:2] == ["--max-memory"] else None
    return worker_main(max_memory or None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
