"""`claimgraph viz` end to end: the real CLI writes the page, headless Chromium opens it offline.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/test.sh), driven by Playwright.
Every request that is not for the file itself is aborted and recorded: there must be none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, cli

from claimgraph.graph.network import build_network, find_node
from claimgraph.graph.store import DiskStore

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
PLANTED = """Notes on the famine debate <script>window.__pwned = 1</script>

In The Harvest of Sorrow <script>window.__pwned = 2</script> (1986), Robert Conquest argued \
that the famine of 1932 was deliberate <img src=x onerror="window.__pwned=3;alert(3)">. \
Historian Mark Tauger disputes this claim, writing that "the famine was caused by a poor \
harvest <img src=x onerror=alert(4)> and not by design \\" quoted \\\\ backslash".

Conquest's book The Great Terror <b onmouseover="window.__pwned=5">(1968)</b> supports the \
claim that millions died in the purges.
"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


class Page:
    """An opened view, with the requests it attempted and what it logged."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=90_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def counts(self) -> tuple[int, int]:
        return tuple(self.js("[network.body.data.nodes.length, network.body.data.edges.length]"))

    def hover_node(self, node: str) -> str:
        """Move the mouse onto `node` and return the tooltip's text."""
        self.js(f"network.focus({node!r}, {{scale: 1.5, animation: false}})")
        # a point of the node that no other node covers (nodes may overlap where it is drawn)
        x, y = self.js(
            f"(() => {{ const id = {node!r}, b = network.getBoundingBox(id);"
            " const c = network.getPositions([id])[id];"
            " const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
            " const points = [[c.x, c.y]];"
            " for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85])"
            "   for (const fy of [0.5, 0.3, 0.7, 0.15, 0.85])"
            "     points.push([b.left + fx * (b.right - b.left), b.top + fy * (b.bottom - b.top)]);"
            " for (const [px, py] of points) {"
            "   const d = network.canvasToDOM({x: px, y: py});"
            "   if (network.getNodeAt(d) === id) return [r.left + d.x, r.top + d.y];"
            " }"
            " const d = network.canvasToDOM(c); return [r.left + d.x, r.top + d.y]; })()"
        )
        self.page.mouse.move(x - 30, y - 30)
        self.page.mouse.move(x, y, steps=5)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=10_000)
        return tip.inner_text()

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def sample_view(sample_store, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("viz") / "sample.html"
    result = cli("viz", "--store", str(sample_store), "--all", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_sample_view_renders_offline_with_every_node_and_edge(browser, sample_view, sample_store):
    path, stdout = sample_view
    G = build_network(DiskStore(sample_store))
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges" in stdout
    view = Page(browser, path)
    try:
        assert view.counts() == (G.number_of_nodes(), G.number_of_edges())
        assert view.requests == [] and view.errors == []
        legend = view.page.inner_text("#cg-legend")
        for word in ("Person", "Work", "Event", "Claim", "supports", "disputes", "cites", "author"):
            assert word in legend
        arrows = view.js("network.body.data.edges.get().every(e => e.arrows === 'to')")
        assert arrows
        ARTIFACTS.mkdir(exist_ok=True)
        view.page.screenshot(path=str(ARTIFACTS / "viz-sample.png"))
    finally:
        view.close()
    html = path.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html
    assert "https://cdn" not in html


def test_search_finds_a_person_by_alias(browser, sample_view, sample_store):
    shapiro = find_node(build_network(DiskStore(sample_store)), "Ben Shapiro")
    view = Page(browser, sample_view[0])
    try:
        view.page.fill("#cg-search", "shapiro")
        assert "Ben Shapiro" in view.page.inner_text("#cg-results")
        view.page.press("#cg-search", "Enter")
        assert view.js("network.getSelectedNodes()") == [shapiro]
        assert view.page.inner_text("#cg-found") == "Ben Shapiro"
    finally:
        view.close()


def test_hovering_a_contested_claim_shows_its_quote_and_document(
    browser, sample_view, sample_store
):
    G = build_network(DiskStore(sample_store))
    claim = find_node(G, "It couldn’t possibly be 20 million victims")
    view = Page(browser, sample_view[0])
    try:
        tip = view.hover_node(claim)
    finally:
        view.close()
    assert G.nodes[claim]["quote"][:60] in tip
    assert G.nodes[claim]["quote_document"] in tip
    assert "disputed" in tip and "supported" in tip


def test_focus_draws_the_neighbourhood_with_live_physics(browser, sample_store, tmp_path):
    out = tmp_path / "focus.html"
    result = cli(
        "viz", "--store", str(sample_store), "--focus", "shapiro", "--hops", "3", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "focus: Ben Shapiro (person)" in result.stdout
    view = Page(browser, out)
    try:
        labels = view.js("network.body.data.nodes.get().map(n => n.search.split(' | ')[0])")
        assert "Ben Shapiro" in labels and "Asatar Bair" in labels
        assert view.js("network.physics.physicsEnabled") is True
        relations = set(view.js("network.body.data.edges.get().map(e => e.relation)"))
        assert {"author", "disputes"} <= relations
    finally:
        view.close()


def test_a_cut_view_says_so_on_the_page(browser, sample_store, tmp_path):
    out = tmp_path / "cut.html"
    result = cli("viz", "--store", str(sample_store), "--all", "--max-nodes", "200", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "the most important of" in result.stdout
    view = Page(browser, out)
    try:
        assert view.counts()[0] == 200
        notice = view.page.inner_text("#cg-notice")
        assert "Showing the 200 most important of" in notice
        assert view.js("network.physics.physicsEnabled") is False
    finally:
        view.close()


def test_filters_on_the_command_line(browser, sample_store, tmp_path):
    out = tmp_path / "disputes.html"
    result = cli(
        "viz",
        "--store",
        str(sample_store),
        "--relations",
        "disputes",
        "--types",
        "Claim",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    view = Page(browser, out)
    try:
        relations = set(view.js("network.body.data.edges.get().map(e => e.relation)"))
        kinds = set(view.js("network.body.data.nodes.get().map(n => n.kind)"))
    finally:
        view.close()
    assert relations == {"disputes"} and kinds == {"Claim"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "Nobody Of That Name"], "no person, work, event or claim is called"),
        (["--types", "Planet"], "unknown type 'Planet'"),
        (["--min-confidence", "2"], "--min-confidence must be between 0 and 1"),
        (["--documents", "missing.txt"], "no document called 'missing.txt'"),
    ],
)
def test_bad_requests_fail_with_one_line(sample_store, tmp_path, args, message):
    result = cli("viz", "--store", str(sample_store), *args, "-o", str(tmp_path / "x.html"))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_a_missing_store_fails_with_one_line(tmp_path):
    result = cli("viz", "--store", str(tmp_path / "none"), "-o", str(tmp_path / "x.html"))
    assert result.returncode == 2
    assert "no claimgraph store" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_planted_script_in_a_document_renders_as_text_and_never_runs(browser, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "planted.txt").write_text(PLANTED, encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "planted.html"
    assert cli("ingest", str(corpus), "--store", str(store), "--quiet").returncode == 0
    result = cli("viz", "--store", str(store), "--all", "-o", str(out))
    assert result.returncode == 0, result.stderr
    G = build_network(DiskStore(store))
    payload = [n for n, d in G.nodes(data=True) if "onerror=" in d["label"]]
    assert payload, "the planted text should reach a node label"
    view = Page(browser, out)
    try:
        assert view.js("typeof window.__pwned") == "undefined"
        assert view.dialogs == [] and view.errors == [] and view.requests == []
        assert view.js("document.querySelectorAll('img, b[onmouseover]').length") == 0
        titles = view.js("network.body.data.nodes.get().map(n => n.title).join('\\n')")
        assert '<img src=x onerror="window.__pwned=3;alert(3)">' in titles
        tip = view.hover_node(payload[0])
        assert "onerror=" in tip
        tags = view.js(
            "[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)"
        )
        assert set(tags) <= {"BR"}  # innerText turns line breaks into <br>, and nothing else
        view.page.fill("#cg-search", "1932 was deliberate")
        assert "<img" in view.page.inner_text("#cg-results")
        assert view.js("typeof window.__pwned") == "undefined" and view.dialogs == []
    finally:
        view.close()


# -- the overview (claimgraph viz without --focus or --all) ---------------------------------
@pytest.fixture(scope="module")
def overview(sample_store, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("overview") / "overview.html"
    result = cli("viz", "--store", str(sample_store), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_the_overview_fits_one_screen_and_leaves_isolated_nodes_out(
    browser, overview, sample_store
):
    path, stdout = overview
    G = build_network(DiskStore(sample_store))
    isolated = sum(1 for n in G if G.degree(n) == 0)
    assert f"{isolated:,} isolated nodes left out" in stdout
    view = Page(browser, path)
    try:
        n_nodes, _ = view.counts()
        assert 10 <= n_nodes <= 60
        drawn = view.js("network.body.data.nodes.getIds()")
        assert all(G.degree(n) > 0 for n in drawn)
        # the most contested claim is on it, with its supporters and disputers
        contested = claimgraph_contested(G)
        assert contested in drawn
        assert view.js("network.physics.physicsEnabled") is False
        # labels legible at the first zoom: drawn at 10 px or more on screen
        scale = view.js("network.getScale()")
        assert 19 * scale >= 10
        # every node is on screen at the first zoom
        box = view.js(
            "(() => { const r = document.querySelector('#mynetwork')"
            ".getBoundingClientRect(); return [r.width, r.height]; })()"
        )
        positions = view.js(
            "Object.values(network.getPositions()).map(p => network.canvasToDOM(p))"
        )
        assert all(0 <= p["x"] <= box[0] and 0 <= p["y"] <= box[1] for p in positions)
        # no label is drawn over another (vis-network's own measure of each drawn label)
        labels = view.js(
            "network.body.data.nodes.getIds().map(id => network.body.nodes[id].labelModule.size)"
        )
        overlapping = [
            (i, j)
            for i, a in enumerate(labels)
            for j, b in enumerate(labels[:i])
            if a["left"] < b["left"] + b["width"]
            and b["left"] < a["left"] + a["width"]
            and a["top"] < b["top"] + b["height"]
            and b["top"] < a["top"] + a["height"]
        ]
        assert overlapping == []
        assert f"{isolated:,} isolated nodes" in view.page.inner_text("#cg-summary")
        assert view.requests == [] and view.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        view.page.screenshot(path=str(ARTIFACTS / "overview-sample.png"))
    finally:
        view.close()


def claimgraph_contested(G) -> str:
    from claimgraph.graph.analysis import contested_claims

    return contested_claims(G)["claim"][0]


def test_clicking_a_node_shows_its_text_and_evidence_in_the_side_panel(
    browser, overview, sample_store
):
    G = build_network(DiskStore(sample_store))
    claim = claimgraph_contested(G)
    view = Page(browser, overview[0])
    try:
        x, y = view.js(
            f"(() => {{ const p = network.canvasToDOM(network.getPositions([{claim!r}])[{claim!r}]);"
            " const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
            " return [r.left + p.x, r.top + p.y]; })()"
        )
        view.page.mouse.click(x, y)
        side = view.page.inner_text("#cg-side")
        assert G.nodes[claim]["label"][:40] in side
        assert "supports" in side and "disputes" in side
        quotes = [d["quote"] for _, _, d in G.in_edges(claim, data=True) if d.get("quote")]
        assert any(q[:40] in side for q in quotes)
    finally:
        view.close()


def test_the_legend_hides_and_shows_a_type_and_a_relation(browser, overview):
    view = Page(browser, overview[0])
    try:
        visible = (
            "network.body.data.nodes.get().filter(n => !n.hidden && n.kind === 'Claim').length"
        )
        assert view.js(visible) > 0
        view.page.click(".cg-item[data-name='Claim']")
        assert view.js(visible) == 0
        view.page.click(".cg-item[data-name='Claim']")
        assert view.js(visible) > 0
        shown = (
            "network.body.data.edges.get().filter(e => !e.hidden && e.relation === 'cites').length"
        )
        assert view.js(shown) > 0
        view.page.click(".cg-item[data-name='cites']")
        assert view.js(shown) == 0
    finally:
        view.close()


def test_planted_script_is_inert_in_the_overview(browser, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "planted.txt").write_text(PLANTED, encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "overview.html"
    assert cli("ingest", str(corpus), "--store", str(store), "--quiet").returncode == 0
    result = cli("viz", "--store", str(store), "-o", str(out))
    assert result.returncode == 0, result.stderr
    view = Page(browser, out)
    try:
        for node in view.js("network.body.data.nodes.getIds()"):
            view.js(f"window.cgShow({node!r})")
        assert "onerror=" in view.js("JSON.stringify(network.body.data.nodes.get())")
        assert view.js("typeof window.__pwned") == "undefined"
        assert view.dialogs == [] and view.errors == [] and view.requests == []
        assert view.js("document.querySelectorAll('img, svg, b[onmouseover]').length") == 0
    finally:
        view.close()


def test_declutter_leaves_no_two_node_boxes_overlapping_on_a_crowded_layout():
    import random

    from claimgraph.graph.overview import _label_box, declutter

    rng = random.Random(7)
    words = ["harbour", "TAX", "ledger", "of", "1921", "salt", "Keepers", "guild", "the"]
    labels = {i: " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for i in range(60)}
    sizes = {i: rng.uniform(10, 32) for i in labels}
    crowded = {i: (rng.uniform(0, 300), rng.uniform(0, 200)) for i in labels}  # a tight cluster
    pos = declutter(crowded, labels, sizes)
    boxes = {i: _label_box(labels[i], sizes[i]) for i in labels}
    for i in labels:
        for j in range(i):
            (xi, yi), (xj, yj) = pos[i], pos[j]
            (wi, hi, di), (wj, hj, dj) = boxes[i], boxes[j]
            apart_x = abs(xi - xj) >= (wi + wj) / 2
            apart_y = abs((yi + di) - (yj + dj)) >= (hi + hj) / 2
            assert apart_x or apart_y, (labels[i], labels[j])
