"""Labels shown to people: bidi controls neutralised, one table row per result row; numeric
query parameters that Oxigraph cannot hold are refused in one line."""

from __future__ import annotations

import subprocess
import sys

import fixtures_graph as fg
import networkx as nx
import pytest
from rdflib import Literal, URIRef

from claimgraph.commands.query import format_markdown, format_table
from claimgraph.errors import UserError
from claimgraph.graph.display import BIDI_CONTROLS, display_text
from claimgraph.graph.views import render_html
from claimgraph.queries.library import to_term

SPOOF = "Mark \u202eTuager"  # displays as "Mark regauT" where the override is honoured


def test_display_text_drops_every_bidi_control_and_shows_control_chars():
    for control in BIDI_CONTROLS:
        assert display_text(f"a{control}b") == "ab"
    assert display_text(SPOOF) == "Mark Tuager"
    assert display_text("red\x1b[31m") == "red\ufffd[31m"
    assert display_text("one\ntwo\r\nthree\u2028four\vfive", one_line=True) == (
        "one two three four five"
    )
    assert display_text("keeps\nlines") == "keeps\nlines"
    assert display_text("עברית and English") == "עברית and English"


def test_html_view_has_no_bidi_controls_anywhere():
    G = nx.MultiDiGraph()
    G.add_node("p", label=SPOOF, type="Person", aliases=["\u2067Mallory\u2069"])
    G.add_node(
        "c", label="A claim\u200f", type="Claim", text="It \u202bwas\u202c so", quote="q\u061c"
    )
    G.add_edge("p", "c", relation="supports", quote="\u202dquoted\u202c", document="d\u200e")
    page = render_html(G, title="view \u202e of things")
    for control in BIDI_CONTROLS:
        assert control not in page
        assert f"\\u{ord(control):04x}" not in page.lower()  # nor escaped inside the JSON
    assert "Mark Tuager" in page


def test_cli_table_row_stays_one_line_and_unspoofed():
    rows = [
        (URIRef("http://example.org/x"), Literal(f"{SPOOF}\nsecond line\u2028third")),
        (None, Literal("ok")),
    ]
    for text in (format_table(["who", "label"], rows), format_markdown(["who", "label"], rows)):
        assert not any(c in text for c in BIDI_CONTROLS)
        assert "Mark Tuager second line third" in text
    table = format_table(["who", "label"], rows).splitlines()
    assert len(table) == 2 + len(rows) + 1  # header, rule, one line per row, count


@pytest.mark.parametrize("value", ["1e999", "-1e999", "1e-999", "Infinity", "nan", "1e20"])
def test_out_of_range_decimal_parameters_are_refused(value):
    with pytest.raises(UserError) as error:
        to_term(value, "decimal", "threshold")
    assert "threshold" in str(error.value) and "\n" not in str(error.value)


def test_integer_parameters_must_fit_64_bits():
    assert to_term(str(2**63 - 1), "integer", "n") == Literal(2**63 - 1)
    with pytest.raises(UserError):
        to_term(str(2**63), "integer", "n")


def test_decimal_parameters_are_plain_decimals():
    assert str(to_term("1E+3", "decimal", "t")) == "1000.0"
    assert str(to_term("0.25", "decimal", "t")) == "0.25"


def test_cli_refuses_an_infinite_threshold_in_one_line(tmp_path):
    store = fg.build_store(tmp_path / "store")
    proc = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "query", "low-confidence-edges"]
        + ["--store", str(store.path), "--param", "threshold=1e999"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "threshold" in proc.stderr
