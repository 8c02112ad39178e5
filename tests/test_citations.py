"""Reference lists read through the trained tagger, in-text citations linked to their entries,
and the claim edges they give, on invented texts (never the samples).

The pipeline runs through `claimgraph.ingest.pipeline.ingest`: once a `claimgraph.ingest.*`
module is imported, the attribute `claimgraph.ingest` is that package, not the API function.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from claimgraph import open_store
from claimgraph.graph.model import Document
from claimgraph.ingest.identifiers import entry_identifiers
from claimgraph.ingest.intext_citations import find_citations, resolve_citations
from claimgraph.ingest.markers import mask_footnote_markers
from claimgraph.ingest.nlp import load_nlp
from claimgraph.ingest.pipeline import ingest
from claimgraph.ingest.reference_adapter import (
    ENV_SWITCH,
    TaggedReference,
    reference_from_tagger,
    tagged_reference,
)
from claimgraph.ingest.references import parse_reference
from claimgraph.ingest.works import WorkMention, find_works

STAGES = [
    "works",
    "posts",
    "people",
    "work-nodes",
    "events",
    "claims",
    "claim-nodes",
    "stance",
    "claimgraph.ingest.citation_stage:link_citations",
]

ESSAY = """Salt and Memory on the Northern Coast

The salt trade shaped every harbour town on the northern coast for three centuries. Historians have long argued that the trade collapsed within a decade after the railway reached the coast (Marsh 1990, 45). Okafor and Lindqvist (2004) showed that the harbour records of the period were rewritten by later clerks who wanted to hide the losses. The pilots' guild kept its own tide tables and recorded every ship that entered the port between 1850 and 1890 (Quist 2011b; Okafor and Lindqvist 2004). The guild's ledgers prove that salt imports doubled in the same decade (ibid., 12).

References
Marsh, D. (1990). Salt roads of the north: Trade and memory. Harbour Press.
Okafor, N., & Lindqvist, R. (2004). Rewriting the ledger? Clerks and archives. Coastal Review, 14(2), 101–119. https://doi.org/10.1234/cr.2004.14
Quist, E. (2011a). The lantern keepers. Fjord Books.
Quist, E. (2011b). Pilots and their guilds. Fjord Books.
"""

NUMERIC = """Stone Quays of the Western Fjords

The old quay was rebuilt twice during the nineteenth century, each time with timber from the inland forests [1]. Later surveys found that the original stone foundations were never replaced and still carry the modern quay [2, 3]. The harbour board nevertheless claimed in 1902 that the foundations had been renewed, a claim the surveys contradict [3].

References
[1] Berg A, Holm K. Stone and timber in harbour building. J Coastal Eng. 1998;12(3):45-67.
[2] Svensson T. The quay surveys of the western fjords. Nordic Hist Rev. 2003;7(1):1-20.
[3] Holm K. Foundations under water. Oslo: Fjord Books; 2009.
"""

NOTES = """The Harbour Master's Ledger

Ingrid Berg's study of the harbour ledgers changed how the strike of 1921 is remembered. The harbour master insisted3 that the quay was safe, yet the ledgers record four collapses in a single winter. His assistant later admitted4 that the repairs had been paid for twice and never carried out. The board's own minutes show that the money was moved to the new customs house.5

Notes

1. Ingrid Berg, The Harbour Ledger (Oslo: Fjord Books, 1999), 45.
2. Tomas Holm, Strikes on the Western Fjords (Bergen: Coast Press, 2004), 112.
3. Berg, The Harbour Ledger, 61.
4. Ibid., 63.
5. Holm, Strikes on the Western Fjords, 140.
"""

TAGGED_ONLY = """Further reading on the salt coast

This short guide lists the studies that shaped the field and that every reader of harbour history should know before visiting the archives in person.

References
Marsh D, Salt roads of the north, Coastal History, 1990, 3, 45-67.
Okafor N, Lindqvist R (2004) Rewriting the ledger. Coast Rev 14:101–119
"""


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def works_of(nlp, text: str) -> list[WorkMention]:
    """find_works over `text`, one passage per non-empty line, footnote markers masked."""
    doc = Document("t.txt", "t", text, hashlib.sha256(text.encode()).hexdigest())
    doc.plain = mask_footnote_markers(text)
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    docs = nlp.pipe([doc.nlp_text[s:e] for s, e in spans])
    return find_works(doc, list(zip([s for s, _ in spans], docs, strict=True)))


def by_title(works: list[WorkMention], title: str) -> WorkMention:
    found = [w for w in works if w.title == title]
    assert found, f"{title!r} not in {sorted({w.title for w in works})}"
    return found[0]


# -- reference lists through the tagger ---------------------------------------------------


def test_the_tagger_reads_the_fields_of_an_author_year_list(nlp):
    works = works_of(nlp, ESSAY)
    article = by_title(works, "Rewriting the ledger? Clerks and archives")
    assert article.authors == ["N. Okafor", "R. Lindqvist"]
    assert (article.year, article.subtype) == ("2004", "ScholarlyArticle")
    assert article.rule == "reference-apa"  # the regexes still decide what is an entry
    book = by_title(works, "Salt roads of the north: Trade and memory")
    assert (book.authors, book.year, book.subtype) == (["D. Marsh"], "1990", "Book")
    assert {"The lantern keepers", "Pilots and their guilds"} <= {w.title for w in works}


def test_without_the_tagger_the_regex_title_stops_at_the_question_mark(nlp, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, "0")
    titles = {w.title for w in works_of(nlp, ESSAY)}
    assert "Rewriting the ledger?" in titles
    assert "Rewriting the ledger? Clerks and archives" not in titles


def test_section_lines_the_regexes_miss_are_read_by_the_tagger(nlp, monkeypatch):
    works = works_of(nlp, TAGGED_ONLY)
    salt = by_title(works, "Salt roads of the north")
    assert (salt.rule, salt.year, salt.authors) == ("reference-tagged", "1990", ["D. Marsh"])
    ledger = by_title(works, "Rewriting the ledger")
    assert ledger.authors == ["N. Okafor", "R. Lindqvist"]
    assert ledger.subtype == "ScholarlyArticle"
    monkeypatch.setenv(ENV_SWITCH, "off")
    assert not any(w.rule == "reference-tagged" for w in works_of(nlp, TAGGED_ONLY))


def test_harvard_entry_gets_the_tagger_title_and_its_offsets():
    line = (
        "Marsh, D. and Lee, A. (1990) ‘Salt roads of the north’, Coastal History, 3(2), pp. 45–67."
    )
    gate = parse_reference(line)
    assert gate is not None and gate.title != "Salt roads of the north"
    ref = reference_from_tagger(line, gate)
    assert line[ref.title_start : ref.title_end] == ref.title == "Salt roads of the north"
    assert ref.authors == ["D. Marsh", "A. Lee"]
    assert (ref.year, ref.subtype, ref.container) == ("1990", "ScholarlyArticle", "Coastal History")
    assert ref.style == gate.style


def test_a_note_with_commentary_keeps_the_cited_title_and_shared_surname():
    line = (
        "2. Ann and Bo Lund, The Salt Ledger, 2006, p. 296. Other accounts of the Western "
        "Fjords give the date as the spring of the great flood, two years later."
    )
    ref = reference_from_tagger(line, parse_reference(line))
    assert ref.title == "The Salt Ledger"
    assert ref.authors == ["Ann Lund", "Bo Lund"]
    assert ref.year == "2006"


def test_the_doi_is_kept_on_the_tagged_reference():
    line = "Okafor, N. (2011). Tidal archives. Coastal Review, 14(2), 101–119. https://doi.org/10.1234/cr.2011.14"
    ref = reference_from_tagger(line, parse_reference(line))
    assert isinstance(ref, TaggedReference)
    assert ref.doi == "10.1234/cr.2011.14"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "Okafor, N. (2011). Tidal archives. Coastal Review, 14(2). https://doi.org/10.1234/CR.2011.14.",
            ["https://doi.org/10.1234/cr.2011.14"],
        ),
        ("Ruiz, P. Salt (1999), doi:10.5555/salt-1; see also", ["https://doi.org/10.5555/salt-1"]),
        (
            "Dunmore, E. Harbour notes (online at https://example.org/notes_(2)).",
            ["https://example.org/notes_(2)"],
        ),
        ("Iqbal, S. Quays. https://example.org/a{b}|c", ["https://example.org/a"]),
        ("Marsh, T. Tides rose 10.5 per cent in 1990.", []),
    ],
)
def test_a_reference_entry_gives_its_doi_and_address_as_valid_iris(entry, expected):
    found = entry_identifiers(entry)
    assert found == expected
    for value in found:
        ox.NamedNode(value)  # raises on an invalid IRI


def test_a_work_read_from_a_reference_list_carries_its_doi_and_url_in_the_graph(tmp_path):
    (tmp_path / "tides.txt").write_text(
        "Tides and their critics\n\nOkafor argues that tides follow the moon.\n\nReferences\n\n"
        "Okafor, N. (2011). Tidal archives of the north. Coastal Review, 14(2), 101-119. "
        "https://doi.org/10.1234/cr.2011.14\n"
        "Ruiz, P. (2005). Waves without moons. Harbour Press. https://example.org/waves\n",
        encoding="utf-8",
    )
    store = open_store(None)
    ingest([tmp_path / "tides.txt"], store, progress=False)
    rows = store.dataset().query(
        "PREFIX schema: <https://schema.org/> SELECT ?l ?p ?v WHERE { ?w a schema:CreativeWork ; "
        "rdfs:label ?l ; ?p ?v FILTER(?p IN (schema:identifier, schema:url)) }"
    )
    got = {(str(r.l), str(r.p).rsplit("/", 1)[-1], str(r.v)) for r in rows}
    assert got == {
        ("Tidal archives of the north", "identifier", "https://doi.org/10.1234/cr.2011.14"),
        ("Waves without moons", "url", "https://example.org/waves"),
    }


@pytest.mark.parametrize(
    "line",
    [
        "The harbour was rebuilt in 1871, and the new quay opened two years later.",
        "This argument was made in 1990 by Marsh in his study of the salt trade, Harbour Press.",
        "4. Ibid., 45.",
    ],
)
def test_the_tagger_alone_does_not_take_prose_or_ibid_for_an_entry(line):
    assert tagged_reference(line) is None


# -- finding and resolving in-text citations ----------------------------------------------


def test_citation_forms_are_found():
    text = (
        "A (Marsh 1990, 45). B (see Marsh and Lee 1990; Okafor et al. 2004a). Marsh (1990) "
        "says so, and Lee’s (1991, 3) too. C [12]. D [3, 5–7]. E¹ F (ibid., 4). G (Marsh, op. cit., 9)."
    )
    found = {text[c.start : c.end]: c for c in find_citations(text)}
    assert found["Marsh 1990, 45"].pages == "45"
    assert found["see Marsh and Lee 1990"].surnames == ("Marsh", "Lee")
    assert found["Okafor et al. 2004a"].years == ("2004a",)
    assert found["Marsh (1990)"].kind == "author-year"
    assert found["Lee’s (1991, 3)"].surnames == ("Lee",)
    assert found["[12]"].numbers == (12,)
    assert found["[3, 5–7]"].numbers == (3, 5, 6, 7)
    assert found["¹"].kind == "note"
    assert found["ibid."].kind == "ibid"
    assert found["Marsh, op. cit."].surnames == ("Marsh",)


def test_glued_note_markers_are_the_digits_the_masked_text_blanked():
    text = "She noted3 that the quay held 100,000 tonnes in 1921, all winter.4"
    found = find_citations(text, mask_footnote_markers(text))
    assert [(c.kind, c.numbers) for c in found] == [("note", (3,)), ("note", (4,))]


def test_resolution_by_surname_year_letter_and_ibid(nlp):
    works = works_of(nlp, ESSAY)
    links = resolve_citations(find_citations(ESSAY), works, ESSAY)
    got = [
        (ESSAY[link.citation.start : link.citation.end], [w.title for w in link.works])
        for link in links
    ]
    assert got == [
        ("Marsh 1990, 45", ["Salt roads of the north: Trade and memory"]),
        ("Okafor and Lindqvist (2004)", ["Rewriting the ledger? Clerks and archives"]),
        ("Quist 2011b", ["Pilots and their guilds"]),
        ("Okafor and Lindqvist 2004", ["Rewriting the ledger? Clerks and archives"]),
        ("ibid.", ["Rewriting the ledger? Clerks and archives"]),
    ]


def test_same_year_entries_without_a_letter_stay_unresolved(nlp):
    works = works_of(nlp, ESSAY)
    text = "The guild was older than the port (Quist 2011)."
    assert resolve_citations(find_citations(text), works, ESSAY + text) == []


def test_an_ibid_note_cites_what_the_note_before_it_cites(nlp):
    works = works_of(nlp, NOTES)
    links = resolve_citations(find_citations(NOTES, mask_footnote_markers(NOTES)), works, NOTES)
    got = {link.citation.numbers: [w.title for w in link.works] for link in links}
    assert got[(3,)] == ["The Harbour Ledger"]
    assert got[(4,)] == ["The Harbour Ledger"]  # note 4 reads "Ibid."
    assert got[(5,)] == ["Strikes on the Western Fjords"]


# -- edges through the real pipeline -------------------------------------------------------

EDGES = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX cg: <https://w3id.org/claimgraph/vocab#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?file ?rule ?source ?target WHERE { GRAPH ?g {
  ?g cg:fileName ?file .
  ?e a cito:Citation ; cito:hasCitingEntity ?s ; cito:hasCitedEntity ?o ; cg:rule ?rule .
  ?o rdfs:label ?target .
  OPTIONAL { ?s schema:text ?claim } OPTIONAL { ?s rdfs:label ?slabel }
  BIND(COALESCE(?claim, ?slabel, "doc") AS ?source)
} }
"""


@pytest.fixture(scope="module")
def edges(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    root = tmp_path_factory.mktemp("citations")
    for name, text in (("essay.txt", ESSAY), ("numeric.txt", NUMERIC), ("notes.txt", NOTES)):
        (root / name).write_text(text, encoding="utf-8")
    rules = root / "rules.toml"
    rules.write_text(f"[pipeline]\nstages = {STAGES!r}\n".replace("'", '"'), encoding="utf-8")
    store = open_store(None)
    ingest([root], store, rules, progress=False)
    rows = store.dataset().query(EDGES)
    return {(str(r.file), str(r.rule), str(r.source), str(r.target)) for r in rows}


def _cites(edges, file: str, claim_start: str, work: str) -> bool:
    """The claim starting with `claim_start` cites `work` (rule in-text-citation)."""
    return any(
        f == file and r == "in-text-citation" and s.startswith(claim_start) and t == work
        for f, r, s, t in edges
    )


def _supports(edges, file: str, claim_start: str, work: str) -> bool:
    """`work` supports the claim starting with `claim_start` (rule citation-support)."""
    return any(
        f == file and r == "citation-support" and s == work and t.startswith(claim_start)
        for f, r, s, t in edges
    )


def test_author_year_citations_give_supports_edges(edges):
    marsh = "Salt roads of the north: Trade and memory"
    assert _supports(edges, "essay.txt", "Historians have long argued", marsh)
    # one edge per link: no claim-level `cites` beside the supports edge
    assert not _cites(edges, "essay.txt", "Historians have long argued", marsh)
    guilds = "Pilots and their guilds"
    assert _supports(edges, "essay.txt", "The pilots' guild kept", guilds)
    ledger = "Rewriting the ledger? Clerks and archives"
    assert _supports(edges, "essay.txt", "The pilots' guild kept", ledger)
    assert _supports(edges, "essay.txt", "The guild's ledgers prove", ledger)
    # the claim made for a cited sentence leaves the citation out of its text
    assert not any("(Marsh" in s + t for f, _, s, t in edges if f == "essay.txt")


def test_numeric_citations_link_claims_to_numbered_entries(edges):
    first = "Stone and timber in harbour building"
    assert _supports(edges, "numeric.txt", "The old quay was rebuilt", first)
    for target in ("The quay surveys of the western fjords", "Foundations under water"):
        assert _supports(edges, "numeric.txt", "Later surveys found", target)


def test_a_disputing_sentence_cites_its_source_without_being_supported_by_it(edges):
    target = "Foundations under water"
    assert _cites(edges, "numeric.txt", "The harbour board", target)
    assert not _supports(edges, "numeric.txt", "The harbour board", target)


def test_note_markers_and_ibid_notes_link_claims(edges):
    ledger = "The Harbour Ledger"
    assert _supports(edges, "notes.txt", "The harbour master insisted", ledger)
    assert _supports(edges, "notes.txt", "His assistant later admitted", ledger)
    strikes = "Strikes on the Western Fjords"
    assert _supports(edges, "notes.txt", "The board's own minutes", strikes)


# -- hostile input -------------------------------------------------------------------------


def test_a_hostile_bibliography_finishes(tmp_path):
    pieces = [
        "Aaaa, " * 80,
        "(Marsh and " * 60,
        "[1, " * 120,
        "Marsh " * 80 + "(1990",
        "van de " * 80 + "Marsh (1990)",
        "(" + "Marsh 1990; " * 30,
        "Ibid., op. cit. " * 40,
        "“" * 300 + "Title," * 50,
        ". 1990. " * 60,
    ]
    lines = "\n".join(p[:500] for p in pieces)
    text = "Notes\n" + lines + "\n\nReferences\n" + lines + "\n"
    assert len(text) >= 4000
    assert isinstance(find_citations(text), list)
    for line in lines.split("\n"):
        tagged_reference(line)
    (tmp_path / "hostile.txt").write_text(text, encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f"[pipeline]\nstages = {STAGES!r}\n".replace("'", '"'), encoding="utf-8")
    summary = ingest([tmp_path / "hostile.txt"], open_store(None), rules, progress=False)
    assert summary.failed == 0 and summary.documents == 1
