"""Discussion threads (invented posts): posters, their claims, and replies that agree or disagree."""

from __future__ import annotations

import csv
import io

import pytest

from claimgraph.ingest.rules import load_rules
from claimgraph.ingest.threads import find_posts
from tests.conftest import cli
from tests.test_extraction import extract, nodes

RULES = load_rules()

THREAD = """Harbour forum: the new pier

tidewatcher · 4h

The new pier will sink within a decade because the sand under it was never surveyed.

harbourfan | 12 points | 2 hours ago

> the sand under it was never surveyed

Nonsense, the survey of 1998 covered the whole bay and found solid clay under the pier.

**Ivo Brandt** wrote:

Agreed with tidewatcher. The council ignored every warning about the foundations of the pier.
"""


@pytest.fixture(scope="module")
def nlp():
    from claimgraph.ingest.nlp import load_nlp

    return load_nlp()


def test_posts_posters_and_what_each_reply_answers():
    posts = find_posts(THREAD, RULES.thread_headers, RULES.not_posters)
    assert [p.author for p in posts] == ["tidewatcher", "harbourfan", "Ivo Brandt"]
    assert THREAD[posts[0].start : posts[0].end].strip().startswith("The new pier will sink")
    # harbourfan quotes tidewatcher; Ivo Brandt names tidewatcher rather than answering
    # the post just before his.
    assert [p.reply_to for p in posts] == [None, 0, 0]
    assert posts[1].quotes and THREAD[slice(*posts[1].quotes[0])].startswith("> the sand")


def test_an_essay_quoting_writers_is_not_a_thread():
    essay = (
        "Two writers saw the harbour differently. As Rolf Lindqvist wrote:\n\n"
        "> The pier is a monument to vanity.\n\n"
        "The engineers answered him in kind. Anna Strand said:\n\n"
        "> The pier will stand for a century.\n"
    )
    assert find_posts(essay, RULES.thread_headers, RULES.not_posters) == []
    # one poster alone is not a discussion either
    alone = "tidewatcher · 4h\n\nFirst point.\n\ntidewatcher · 3h\n\nSecond point.\n"
    assert find_posts(alone, RULES.thread_headers, RULES.not_posters) == []


def test_posters_hold_their_claims_and_replies_take_sides(nlp):
    ex = extract(nlp, THREAD)
    assert {"tidewatcher", "harbourfan", "Ivo Brandt"} <= set(nodes(ex, "Person"))
    claims = {n.key: n for n in ex.nodes.values() if n.kind == "Claim"}
    by_author = {n.authors[0]: n for n in claims.values() if n.authors}
    sink = by_author["person/tidewatcher"]
    assert sink.text.startswith("The new pier will sink within a decade")
    survey = by_author["person/harbourfan"]
    # the reply's own words, without its opening interjection or the line it quotes
    assert survey.text.startswith("the survey of 1998 covered the whole bay")
    assert not any(n.text == "the sand under it was never surveyed" for n in claims.values())
    edges = {(e.source, e.relation, e.target, e.rule) for e in ex.edges}
    assert (survey.key, "disputes", sink.key, "reply-disagrees") in edges
    council = by_author["person/ivo-brandt"]
    assert (council.key, "supports", sink.key, "reply-agrees") in edges
    assert not any(e.relation == "disputes" and e.source == council.key for e in ex.edges)


def test_who_disputes_whom_in_an_ingested_thread(tmp_path):
    (tmp_path / "thread.md").write_text(THREAD, encoding="utf-8")
    store = tmp_path / "store"
    result = cli("ingest", str(tmp_path / "thread.md"), "--store", str(store), "--quiet")
    assert result.returncode == 0, result.stderr
    result = cli("query", "who-disputes-whom", "--store", str(store), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    pairs = {(r["disputerLabel"], r["disputedLabel"]) for r in rows}
    assert ("harbourfan", "tidewatcher") in pairs
