"""Fuzzing the endpoint's policy check (`sparql_policy.check`) with Hypothesis.

Random and adversarial query strings (escapes, comments, nested braces, mixed scripts, bidi
and control characters, long runs) must each be decided within a budget proportional to their
length and end in an allowed query or the documented `Refused`, nothing else. Queries built
around a real SERVICE clause are also run in Oxigraph, inside a network-locked process: if
the check let one through, Oxigraph's attempt to open a socket shows. The checks run in a
subprocess so that a hang is caught. 200 examples per test; set CLAIMGRAPH_FUZZ_EXAMPLES for
a longer run.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CLAIMGRAPH_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE_BUDGET = 20.0  # seconds for any query, plus PER_CHAR for each character
PER_CHAR = 0.002

_CHECKER = r"""
import json, sys
from claimgraph.queries.sandbox import lock_down_network
layers = lock_down_network()
import pyoxigraph
from claimgraph.queries.sparql_policy import Refused, check
store = pyoxigraph.Store()
print(json.dumps({"ready": bool(layers)}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    try:
        checked = check(job["query"], {"ex": "http://e/"})
        reply = {"outcome": "accepted", "form": checked.form}
    except Refused as refused:
        reply = {"outcome": "refused", "status": refused.status, "message": refused.message}
    except BaseException as exc:
        reply = {"outcome": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
    if reply["outcome"] == "accepted" and job["evaluate"]:
        try:
            list(store.query(job["query"], prefixes={"ex": "http://e/"}))
        except BaseException as exc:
            reply["oxigraph"] = str(exc)[:300]
    print(json.dumps(reply), flush=True)
"""


class Checker:
    """The policy check in a locked-down subprocess, one JSON line per query each way."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHECKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = json.loads(self._line(120))
        assert ready["ready"], "no network lockdown available for the fuzz checker"

    def _line(self, budget: float) -> str:
        ready, _, _ = select.select([self.proc.stdout], [], [], budget)
        if not ready:
            raise TimeoutError
        line = self.proc.stdout.readline()
        assert line, "the checker process died"
        return line

    def decide(self, query: str, evaluate: bool = False) -> dict:
        budget = BASE_BUDGET + PER_CHAR * len(query)
        self.proc.stdin.write(json.dumps({"query": query, "evaluate": evaluate}) + "\n")
        self.proc.stdin.flush()
        started = time.monotonic()
        try:
            return json.loads(self._line(budget))
        except TimeoutError:
            self.close()
            self.__init__()
            pytest.fail(f"no decision within {budget:.0f} s for a query of {len(query)} chars")
        finally:
            self.elapsed = time.monotonic() - started

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module")
def checker():
    c = Checker()
    yield c
    c.close()


def _assert_decided(reply: dict, query: str) -> None:
    assert reply["outcome"] in ("accepted", "refused"), (reply, query)
    if reply["outcome"] == "refused":
        assert reply["status"] in (400, 403)
        assert reply["message"] and "\n" not in reply["message"]


# -- strategies -----------------------------------------------------------------------------
REMOTE = "<http://127.0.0.1:9/x>"
FRAGMENTS = [
    "PREFIX ex: <http://e/>", "SELECT *", "SELECT ?s", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE",
    "{", "}", "(", ")", "[", "]", ".", ";", ",", "?s", "?p", "?o", "$v", "ex:a", "ex:a·\\'",
    'ex:b\\"', "ex:c\\#", "ex:", ":x", "_:b", "'", '"', "'''", '"""', "\\", "\\'", '\\"', "#",
    "# '", '# "', "\n", "\r\n", " ", "\t", "BIND(", "AS ?v)", "FILTER", "EXISTS", "NOT",
    "OPTIONAL", "UNION", "MINUS", "GRAPH", "FROM", "FROM NAMED", "SERVICE", "SILENT", REMOTE,
    "<http://e/x>", "<", ">", "'s'", '"s"@en', '"1"^^ex:t', "1", "1.5e3", "INSERT DATA",
    "DELETE", "LOAD", "CLEAR ALL", "DROP", "WITH", "ORDER BY", "LIMIT 1", "VALUES ?s {",
    "\u202e", "\u2066", "\u200f", "\x00", "\x1b", "\u00b7", "Ω", "日本", "ﷺ", "𝔖", "\ufeff",
]  # fmt: skip
fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
raw_text = st.text(max_size=400)
sparql_chars = st.text(alphabet=st.sampled_from(list("{}()<>'\"\\#?:._ \n\tSERVICEselect·\u202e")))
long_runs = st.builds(
    lambda prefix, ch, n, suffix: prefix + ch * n + suffix,
    st.sampled_from(["", "SELECT * WHERE ", "ASK { FILTER(", "SELECT * { ?s ?p '"]),
    st.sampled_from(["{", "(", "'", '"', "\\", "#", "a", " ", "\u202e", "!", "-", "1+"]),
    st.integers(min_value=1, max_value=3000),
    st.sampled_from(["", "}", ")", "'", " ?s ?p ?o }"]),
)
# Noise that tries to hide the SERVICE clause that follows it from a careless tokenizer.
NOISE = [
    "BIND(ex:a·\\' AS ?v)", 'BIND(ex:b\\" AS ?v)', "BIND('x\\'' AS ?v)", 'BIND("\\"" AS ?v)',
    "?s ex:c\\# ?o .", "BIND('''a''b''' AS ?v)", "FILTER(?s != <http://e/'>)", "{ }",
    "OPTIONAL { ?s ?p ?o }", "# a ' comment\n", 'BIND("# not a comment" AS ?v)',
    "BIND(\"\u202e\" AS ?v)", "?s ?p \"Ω'日本\" .",
]  # fmt: skip
hidden_service = st.builds(
    lambda before, keyword, after, close: (
        "PREFIX ex: <http://e/>\nSELECT * WHERE { "
        + " ".join(before)
        + f" {keyword} {REMOTE} {{ ?s ?p ?o }} "
        + " ".join(after)
        + close
    ),
    st.lists(st.sampled_from(NOISE), max_size=4),
    st.sampled_from(["SERVICE", "service", "SeRvIcE"]),
    st.lists(st.sampled_from(NOISE), max_size=3),
    st.sampled_from([" }", " # '\n}", ' # "\n}', "\n}"]),
)


# -- properties -----------------------------------------------------------------------------
@FUZZ
@given(query=st.one_of(fragments, raw_text, sparql_chars, long_runs))
def test_every_query_is_decided_within_budget(checker, query):
    _assert_decided(checker.decide(query), query)


@FUZZ
@given(query=hidden_service)
def test_a_hidden_service_clause_never_reaches_oxigraph(checker, query):
    reply = checker.decide(query, evaluate=True)
    _assert_decided(reply, query)
    assert reply["outcome"] == "refused", query
    if reply["status"] == 403:
        assert "SERVICE" in reply["message"]


@FUZZ
@given(query=fragments)
def test_accepted_queries_never_open_a_socket_in_oxigraph(checker, query):
    reply = checker.decide(query, evaluate=True)
    _assert_decided(reply, query)
    problem = reply.get("oxigraph", "")
    assert "os error 13" not in problem and "os error 101" not in problem, (query, reply)


def test_the_probe_reproducer_is_refused(checker):
    query = (
        "PREFIX ex: <http://e/>\nSELECT * WHERE { BIND(ex:a·\\' AS ?v) "
        f"SERVICE SILENT {REMOTE} {{ ?s ?p ?o }} # '\n}}"
    )
    reply = checker.decide(query)
    assert reply["outcome"] == "refused" and reply["status"] == 403
