"""Fuzzing the string parsers of ingest: random and adversarial text must finish in time
linear in its length and raise nothing but the documented one-line errors.

The time bound (2 s + 50 µs per character, inputs up to 200,000 characters) is far above
normal running times: it exists to catch exponential or quadratic blowups (catastrophic
regex backtracking), not to measure speed. Examples per target: 100, or
$CLAIMGRAPH_FUZZ_EXAMPLES.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.ingest.markers import mask_footnote_markers, mask_long_runs
from claimgraph.ingest.passages import split_passages
from claimgraph.ingest.pipeline import DocumentTimeout, time_budget
from claimgraph.ingest.readers import ReadError, markdown_plain, read_document
from claimgraph.ingest.references import parse_reference, split_name_list
from claimgraph.ingest.rules import load_rules
from claimgraph.ingest.threads import find_posts

EXAMPLES = int(os.environ.get("CLAIMGRAPH_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
RULES = load_rules(None)

#: Pieces that make parsers backtrack: separators, delimiters, initials, names, markup.
UNITS = [
    "Abelard, A., ", "Ab Cd Ef, ", "A. B. ", "J.-P. ", "Van ", "de ", "Smith AB, ", "(2001). ",
    "`a ", "``", "**a ", "*a ", "_a ", "__a ", "~~a ", "<em>x ", "<a x ", "<script ", "<!--",
    "# ", "  ", "\t", "- ", "> ", "[a ", "[a](", "(", ")", "[^1", "a1 ", "!!", "...", '"', "“",
    "x wrote:\n", "Posted by a b ", "u/abc · ", "**Ivo Brandt**\n", "---\n", "\n", "\n\n",
    "1. ", "\\", "|", "日本", "Ωμέγα ", "עברית ", "\u202e", "\u200b", "\x1b[31m", "\x00", "\ufeff",
    "\u0301", "e\u0301", "\U0001f600", "&amp;", "\r", "\u2028",
]  # fmt: skip
#: Bibliography lines: a run of authors (where backtracking explodes), then anything.
AUTHORS = [
    "Abelard, A., ", "Brenan, C.A., ", "O'Neil, J.-P., ", "van der Berg, H., ", "Smith AB, ",
    "Ann Bo Cy Dee, ", "J. K. L. ", "Gärtner, L., ", "Ωμέγα, Ω., ", "& ", "and ",
]  # fmt: skip
REF_TAILS = [
    "et al. ", "(2001). ", "(n.d.). ", "2014. ", "Title Words Here. ", '"Quoted Title," ',
    "ed. Ola Berg, ", "pp. 4-9. ", "Press, ", ". ", ", ", "J. Virol. 85, 1403–1407.",
]  # fmt: skip
unit_runs = st.lists(
    st.tuples(st.sampled_from(UNITS), st.integers(1, 20_000)), min_size=1, max_size=4
).map(lambda parts: "".join(u * n for u, n in parts)[:200_000])
texts = st.one_of(
    unit_runs,
    unit_runs,
    unit_runs,
    st.text(max_size=2000),
    st.lists(st.sampled_from(UNITS)).map("".join),
)
reference_lines = st.builds(
    lambda authors, tail: "".join(authors + tail),
    st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=45),
    st.lists(st.sampled_from(REF_TAILS), max_size=5),
)


def bounded(fn, text, *args, size: int | None = None):
    """Call fn(text, *args); fail if it takes longer than 2 s + 50 µs per character
    (some 25 times what these linear parsers need: a quadratic one fails on long input).

    The limit is enforced by the ingest time budget (SIGALRM, which also interrupts a
    regular-expression match), so an exponential case fails at once instead of hanging.
    """
    limit = 2.0 + 0.00005 * (len(text) if size is None else size)
    try:
        with time_budget(limit):
            return fn(text, *args)
    except DocumentTimeout:
        pytest.fail(f"{fn.__name__} took over {limit:.1f} s on {size or len(text)} characters")


@FUZZ
@given(texts)
def test_passages_are_well_formed_and_linear(text):
    passages = bounded(split_passages, text)
    for s, e in passages:
        assert 0 <= s < e <= len(text) and text[s:e] == text[s:e].strip()
    assert all(e1 <= s2 for (_s1, e1), (s2, _e2) in zip(passages, passages[1:], strict=False))


@FUZZ
@given(texts)
def test_markdown_masking_keeps_length_and_is_linear(text):
    plain, emphasis, _title = bounded(markdown_plain, text)
    assert len(plain) == len(text)
    assert all(0 <= s < e <= len(text) for s, e in emphasis)


@FUZZ
@given(texts)
def test_markers_and_long_runs_keep_length(text):
    assert len(bounded(mask_footnote_markers, text)) == len(text)
    assert len(bounded(mask_long_runs, text)) == len(text)


@FUZZ
@given(st.one_of(reference_lines, reference_lines, texts))
def test_reference_parsing_is_linear(text):
    for line in text.split("\n")[:50]:
        ref = bounded(parse_reference, line)
        if ref is not None:
            assert 0 <= ref.title_start <= ref.title_end <= len(line.rstrip())
    bounded(split_name_list, text)


@FUZZ
@given(texts)
def test_thread_headers_are_linear(text):
    posts = bounded(find_posts, text, RULES.thread_headers, RULES.not_posters)
    assert all(p.start <= p.end for p in posts)


@FUZZ
@given(texts, st.sampled_from([".txt", ".md", ".html"]))
def test_readers_raise_only_read_errors(tmp_path_factory, text, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"doc{suffix}"
    body = f"<html><body><p>{text}</p></body></html>" if suffix == ".html" else text
    path.write_bytes(body.encode("utf-8", "surrogatepass"))
    try:
        doc = bounded(read_document, path, path.name, size=len(body))
    except ReadError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(path.name)
    else:
        assert len(doc.nlp_text) == len(doc.text)


@FUZZ
@given(texts.map(lambda t: t[:300]))
def test_name_and_title_helpers_are_linear(text):
    """Helpers of people.py, titles.py and events.py that need no spaCy. They read entity
    spans, so inputs are cut to 300 characters (clean_name is quadratic in a long run of
    punctuation: 8,000 characters of "- " take over a second)."""
    from claimgraph.ingest.events import event_name
    from claimgraph.ingest.people import clean_name, plausible_name, surname
    from claimgraph.ingest.titles import plausible_title

    bounded(clean_name, text, frozenset({"dr", "prof"}))
    bounded(plausible_name, text, frozenset({"the"}))
    if text.split():  # a name is never empty where surname() is called
        bounded(surname, text)
    bounded(plausible_title, text)
    bounded(event_name, text)
