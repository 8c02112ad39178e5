"""`claimgraph review` and `claimgraph export --raw` through the real CLI, as a reader uses them."""

from __future__ import annotations

import json

import pytest
from conftest import cli
from test_corrections import LEDGER, REPLY, write

from claimgraph.graph.namespaces import base_iri


def ok(*args: str) -> str:
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    corpus = write(root / "corpus")
    ok("ingest", str(corpus), "--store", str(root / "store"), "--quiet")
    return root


def test_a_reader_reviews_corrects_and_the_corrections_outlive_a_reingest(store):
    s = ["--store", str(store / "store")]
    waiting = json.loads(ok("review", "list", "--json", "--limit", "50", *s))
    assert waiting and waiting == sorted(waiting, key=lambda r: r["confidence"])
    # the least sure edge of the sentences that stay when the document changes below
    worst = next(
        r for r in waiting if "salt" not in r["subjectLabel"] + r["objectLabel"] + r["quote"]
    )
    assert worst["quote"] and worst["id"].startswith("edge/")
    out = ok("review", "reject", worst["id"], "--note", "misread", "--by", "Ana Reviewer", *s)
    assert out.startswith("rejected: ")
    key = f"{worst['subject']} {worst['predicate']} {worst['object']}"
    after = json.loads(ok("review", "list", "--json", "--limit", "50", *s))
    assert key not in {f"{r['subject']} {r['predicate']} {r['object']}" for r in after}

    assert ok("review", "accept", "Tomas Varga", *s).startswith("accepted: person/tomas-varga")
    claims = {r["objectLabel"]: r["object"] for r in waiting if "/claim/" in r["object"]}
    salt = next(iri for label, iri in claims.items() if "paid in salt" in label)
    ok("review", "edit", salt, "--text", "the keepers were paid in salt, mostly", *s)
    ok("review", "merge", "person/jonas-ferreira", "Tomas Varga", *s)
    ok("review", "add", "The Lantern Accounts", "cites", "work/silver-on-the-shore",
       "--quote", "Silver on the Shore", *s)  # fmt: skip

    made = json.loads(ok("review", "--corrections", "--json", *s))
    assert [m["action"] for m in made] == ["reject", "accept", "edit", "merge", "add"]
    assert made[0]["by"] == "Ana Reviewer" and made[0]["note"] == "misread"
    assert "orphan" not in ok("review", "list", "--corrections", *s)

    # the document changes: the edited claim's sentence goes, the rest is read again
    corpus = write(store / "corpus", ledger=[x for x in LEDGER if "salt" not in x], reply=REPLY)
    ok("ingest", str(corpus), *s, "--quiet")
    orphans = json.loads(ok("review", "--orphans", "--json", *s))
    assert [o["action"] for o in orphans] == ["edit"]
    assert "in no document now" in orphans[0]["orphan"]
    assert "in no document now" in ok("review", "list", "--orphans", *s)

    edges = json.loads(ok("query", "low-confidence-edges", "--param", "threshold=1.1",
                          "--format", "json", *s))  # fmt: skip
    cito = "http://purl.org/spar/cito/"
    shown = {
        (b["source"]["value"], cito + b["stance"]["value"], b["target"]["value"])
        for b in edges["results"]["bindings"]
    }
    assert shown and (worst["subject"], worst["predicate"], worst["object"]) not in shown
    assert "CorrectionEffect" in ok("export", "--format", "nquads", *s)
    assert "CorrectionEffect" in ok("export", "--with-corrections", "--format", "trig", *s)
    raw = ok("export", "--raw", "--format", "nquads", *s)
    assert "CorrectionEffect" not in raw and f"{base_iri()}correction" not in raw
    assert ok("validate", *s).startswith("valid")

    out = ok("review", "undo", made[1]["id"], *s)
    assert out.startswith("undone: accept")
    assert len(json.loads(ok("review", "--corrections", "--json", *s))) == 4


@pytest.mark.parametrize(
    "args,message",
    [
        (["reject", "nobody at all"], "no node"),
        (["reject", "a", "b"], "SUBJECT PREDICATE OBJECT"),
        (["reject", "edge/0000000000000000"], "no edge"),
        (["undo", "feedface"], "no correction"),
        (["merge", "Tomas Varga", "The Lantern Accounts"], "same kind"),
        (["add", "Tomas Varga", "supports", "The Lantern Accounts", "--quote", "q"], "claim"),
        (["edit", "Tomas Varga", "--text", "  "], "needs new text"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store, args, message):
    r = cli("review", *args, "--store", str(store / "store"))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_review_without_a_store_is_one_line(tmp_path):
    r = cli("review", "list", "--store", str(tmp_path / "none"))
    assert r.returncode == 2 and "no store" in r.stderr and "Traceback" not in r.stderr
