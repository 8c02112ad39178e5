"""The explorer of `claimgraph serve`, in headless Chromium over loopback.

An invented corpus (a harbour debate, a bridge inquiry, and a document whose text and names
carry script, event-handler and bidi payloads) is ingested through the real CLI and served on
a free port; pages are opened in Debian's Chromium, which may reach nothing but the server.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, cli
from test_endpoint import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
BASE = "https://w3id.org/claimgraph/id/"
HARBOUR = """Notes on the harbour debate

Rolf Lindqvist, The Harbour Years, 1998.

Senator Mara Quist said that the canal would pay for itself within a year.
Consider the engineer Tove Hallin, who rushed to condemn Quist's comments, insisting that \
the canal "will lose money for a generation."

It cannot possibly be 40,000 drowned sailors (Rolf Lindqvist, The Harbour Years); these \
estimates count every shipwreck of the decade as a storm victim.
"""
BRIDGE = """# The bridge inquiry

Commentator Ilse Varga insisted that the bridge collapse was caused by sabotage.
But this is absurd: the inspection reports of 1998, 2003 and 2009 had documented rusted \
cables that the city never replaced.

After the 1911 general strike the city changed. The economist Tomas Brandvold argues that \
the harbour tax ruined the fishing towns.
"""
HOSTILE = """Notes on the dam <script>window.__pwned = 1</script>

In The Salt Ledger <script>window.__pwned = 2</script> (1974), Helena Varga argued that the \
dam failure of 1923 was deliberate <img src=x onerror="window.__pwned=3;alert(3)">.
Historian Ivo Brandt disputes this claim, writing that "the failure was caused by a flood \
"><svg onload="window.__pwned=4;alert(4)"> and not by design".

Senator Oskar \u202eLund\u202c said that the \u202etolls would pay for the dam within a year.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explorer")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (corpus / "bridge.md").write_text(BRIDGE, encoding="utf-8")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    store = tmp / "store"
    result = cli("ingest", str(corpus), "--store", str(store), "--quiet")
    assert result.returncode == 0, result.stderr
    with running_server(store, tmp) as url:
        yield url.removesuffix("/query"), store


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Tab:
    """A page that may reach only the server; records dialogs, errors and other requests."""

    def __init__(self, browser, base: str):
        self.base = base
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str) -> int:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return response.status

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def inert(self) -> None:
        """Nothing from the documents ran or became markup, here or in the embedded view."""
        assert self.js("typeof window.__pwned") == "undefined"
        assert self.js("document.scripts.length") == 0  # explorer pages carry no script
        assert self.js("document.querySelectorAll('img, svg, [onload], [onerror]').length") == 0
        assert "\u202e" not in self.page.content()
        for frame in self.page.frames[1:]:
            frame.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
            assert frame.evaluate("typeof window.__pwned") == "undefined"
            assert frame.evaluate("document.querySelectorAll('img, svg').length") == 0
        assert self.dialogs == [] and self.outside == [] and self.errors == []

    def close(self) -> None:
        self.page.close()


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def _keys(base: str, query: str, raw: bool = False) -> list[str]:
    """Node keys (or, raw, the values) answering a SELECT ?n through /query."""
    url = base + "/query?" + urllib.parse.urlencode({"query": query})
    rows = json.loads(_get(url)[1])["results"]["bindings"]
    values = {r["n"]["value"] for r in rows}
    return sorted(values if raw else {v.removeprefix(BASE) for v in values})


def test_search_claim_evidence_document_highlight(browser, server):
    base, _ = server
    tab = Tab(browser, base)
    try:
        assert tab.open("/") == 200
        tab.page.fill("input[name=q]", "canal would pay")
        tab.page.press("input[name=q]", "Enter")
        tab.page.wait_for_url("**/search?q=*")
        tab.page.click("ul.hits a.k-claim")
        tab.page.wait_for_url("**/claim/*")
        assert "the canal would pay for itself within a year" in tab.page.inner_text("h1")
        assert "Mara Quist" in tab.page.inner_text("main")  # who holds it
        disputed = tab.page.locator("li.stance-disputes").first
        quote = disputed.locator("blockquote").inner_text()
        assert "Tove Hallin" in quote
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "explorer-claim.png"), full_page=True)
        disputed.locator("a.passage").click()
        tab.page.wait_for_url("**/doc/*")
        marked = "".join(tab.page.locator(".doctext .target").all_inner_texts())
        assert marked == quote
        assert tab.js("location.hash").startswith("#at-")
        claims = tab.page.locator(".doctext a.hl-claim")
        assert "the canal would pay for itself within a year" in claims.all_inner_texts()
        tab.page.screenshot(path=str(ARTIFACTS / "explorer-document.png"), full_page=True)
        tab.inert()
    finally:
        tab.close()


def test_every_page_type_renders_and_hostile_text_stays_inert(browser, server):
    base, _ = server
    kinds = {
        "claim": "schema:Claim",
        "person": "schema:Person",
        "work": "schema:CreativeWork",
        "event": "schema:Event",
        "doc": "cg:SourceDocument",
    }
    pages = ["/", "/search?q=%3Cscript", "/search?q=lund", "/list/contested", "/list/disputes"]
    pages += ["/list/most-cited", "/list/low-confidence?threshold=0.95"]
    for kind, cls in kinds.items():
        keys = _keys(base, f"SELECT DISTINCT ?n WHERE {{ ?n a {cls} }}")
        assert keys, f"the corpus should give at least one {kind}"
        pages += ["/" + urllib.parse.quote(k) for k in keys]
    hostile_seen = False
    for path in pages:
        tab = Tab(browser, base)
        try:
            assert tab.open(path) == 200, path
            text = tab.page.inner_text("body")
            # served without --curate: no form that writes
            assert tab.js("document.querySelectorAll('form[method=post]').length") == 0
            hostile_seen |= "<script>" in text or "onerror=" in text or "<svg" in text
            tab.inert()
        finally:
            tab.close()
    assert hostile_seen, "the hostile text should be shown, as text"


def test_hostile_claim_page_shows_the_payload_as_text(browser, server):
    base, _ = server
    claims = _keys(base, 'SELECT ?n WHERE { ?n schema:text ?t FILTER(CONTAINS(?t, "onerror")) }')
    assert claims
    tab = Tab(browser, base)
    try:
        assert tab.open("/" + claims[0]) == 200
        assert "onerror=" in tab.page.inner_text("h1")
        tab.inert()
    finally:
        tab.close()


def _two_hops(base: str, key: str) -> list[str]:
    """Labels of the nodes within two edges of a node, asked with plain SPARQL at /query."""
    rels = "VALUES ?r { cito:supports cito:disputes cito:cites schema:author schema:about }"
    near = f"{rels} {{ <{BASE}{key}> ?r ?m }} UNION {{ ?m ?r <{BASE}{key}> }}"
    far = near + f" {rels.replace('?r ', '?s ')} {{ ?m ?s ?n }} UNION {{ ?n ?s ?m }}"
    keys = set(_keys(base, f"SELECT DISTINCT (?m AS ?n) WHERE {{ {near} }}"))
    keys |= set(_keys(base, f"SELECT DISTINCT ?n WHERE {{ {far} }}"))
    labels = set()
    for k in keys:
        found = _keys(base, f"SELECT ?n WHERE {{ <{BASE}{k}> rdfs:label ?n }}", raw=True)
        labels.add(found[0] if found else k.rsplit("/", 1)[-1])
    return sorted(labels)


def test_each_node_page_embeds_its_view_and_shows_its_sparql(browser, server):
    base, _ = server
    person = _keys(base, 'SELECT ?n WHERE { ?n rdfs:label "Tove Hallin" }')[0]
    tab = Tab(browser, base)
    try:
        tab.open("/" + person)
        frame = tab.page.frame_locator("section.view iframe")
        frame.locator("body[data-ready='1']").wait_for(state="attached", timeout=60_000)
        labels = tab.page.frames[1].evaluate(
            "network.body.data.nodes.get().map(n => n.search.split(' | ')[0])"
        )
        assert sorted(labels) == _two_hops(base, person)
        tab.page.click("details.sparql summary")
        link = tab.page.locator("a.run").first.get_attribute("href")
        assert link.startswith("/query?")
        assert "VALUES ?node" in urllib.parse.unquote_plus(link)
        tab.inert()
    finally:
        tab.close()
    status, body = _get(base + link)
    assert status == 200 and json.loads(body)["results"]["bindings"]


def test_bad_urls_are_pages_not_tracebacks(server):
    base, _ = server
    for path, status in [("/claim/000000000000", 404), ("/list/nothing", 404)]:
        with pytest.raises(urllib.error.HTTPError) as err:
            _get(base + path)
        assert err.value.code == status
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(base + "/list/low-confidence?threshold=lots")
    assert err.value.code == 400 and b"threshold" in err.value.read()


def test_query_still_answers(server):
    base, _ = server
    ask = urllib.parse.urlencode({"query": "ASK { ?c a schema:Claim }"})
    for path in ("/query?", "/?"):
        status, body = _get(base + path + ask)
        assert status == 200 and json.loads(body)["boolean"] is True


def test_overview_screenshot_of_the_invented_corpus(browser, server, tmp_path):
    _, store = server
    out = tmp_path / "overview.html"
    result = cli("viz", "--store", str(store), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(out.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert 0 < page.evaluate("network.body.data.nodes.length") <= 60
        page.screenshot(path=str(ARTIFACTS / "explorer-overview.png"))
    finally:
        page.close()


_SHOWN = re.compile(
    r"<h3>(?P<title>[^<]*)<small>(?P<rows>\d+) rows?(?P<cut>, cut)?.*?"
    r'<a class="run" href="(?P<link>[^"]+)">',
    re.S,
)


def test_each_page_s_sparql_link_answers_what_the_page_shows(server):
    """ "Run it at /query" runs the page's own query: same rows as the page reports."""
    base, _ = server
    claim = _keys(base, "SELECT ?n WHERE { ?n a schema:Claim ; ^cito:disputes ?x }")[0]
    person = _keys(base, "SELECT ?n WHERE { ?n a schema:Person }")[0]
    work = _keys(base, "SELECT ?n WHERE { ?n a schema:CreativeWork }")[0]
    doc = _keys(base, "SELECT ?n WHERE { ?n a cg:SourceDocument }")[0]
    pages = [claim, person, work, doc, "search?q=harbour", "list/contested", "list/low-confidence"]
    checked = 0
    for path in pages:
        page = _get(f"{base}/{path}")[1].decode()
        shown = list(_SHOWN.finditer(page))
        assert shown, path
        for m in shown:
            if m["cut"]:
                continue
            link = html.unescape(m["link"])
            answer = json.loads(_get(urllib.parse.urljoin(base + "/", link))[1])
            assert len(answer["results"]["bindings"]) == int(m["rows"]), (path, m["title"])
            checked += 1
    assert checked >= 10
