"""find_works on invented passages (never the samples): every citation pattern, and negatives."""

from __future__ import annotations

import hashlib
import re

import pytest

from claimgraph.graph.model import Document
from claimgraph.ingest.markers import mask_footnote_markers
from claimgraph.ingest.nlp import load_nlp
from claimgraph.ingest.works import WorkMention, find_works

_EM = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def run(nlp, text: str, *, markdown: bool = False, mask: bool = True, title: str | None = None):
    """find_works over `text`, one passage per non-empty line (as the benchmark does)."""
    plain, emphasis = text, []
    if markdown:  # *italics*: blank the stars, record the span between them
        chars = list(text)
        for m in _EM.finditer(text):
            chars[m.start()] = chars[m.end() - 1] = " "
            emphasis.append((m.start(1), m.end(1)))
        plain = "".join(chars)
    doc = Document(
        "t.md" if markdown else "t.txt",
        "t",
        text,
        hashlib.sha256(text.encode()).hexdigest(),
        title=title,
    )
    doc.plain = mask_footnote_markers(plain) if mask else (plain if markdown else None)
    doc.emphasis = emphasis
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    docs = nlp.pipe([doc.nlp_text[s:e] for s, e in spans])
    return find_works(doc, list(zip([s for s, _ in spans], docs, strict=True)))


def titles(works: list[WorkMention]) -> set[str]:
    return {w.title for w in works}


def by_title(works: list[WorkMention], title: str) -> WorkMention:
    found = [w for w in works if w.title == title]
    assert found, f"{title!r} not in {sorted(titles(works))}"
    return max(found, key=lambda w: w.confidence)


# -- reference lists ----------------------------------------------------------------------

SUMMARY = """Book Citation
Varga, H. (2004). The Amber Throne: Debt and Decline in a Lost Empire. Kestrel Books.
What the Book Argues
Helena Varga's The Amber Throne argues that the empire fell because its treasury was empty long before the invasions began, and that the court hid the debt from its own generals for decades. The Amber Throne: Debt and Decline in a Lost Empire draws on tax ledgers.
How This Study Is Used in the Book
Varga's research appears in Salt and Silver as the main source, particularly in Chapter 4: The Empty Treasury, which examines the last decades.
Further Reading
- Osei, P. K. (1999). Winter Harbours: Trade on the Frozen Coast. Palm Press.
- Holm, A. (2011-2019). The Baltic Trade (4 vols.). Fjord Press.
- Okafor, R., & Lee, C. (2015). Tides of the North Sea. Harbour University Press.
"""


def test_reference_list_and_subject(nlp):
    works = run(nlp, SUMMARY)
    subject = by_title(works, "The Amber Throne: Debt and Decline in a Lost Empire")
    assert subject.is_subject and subject.rule == "reference-apa"
    assert subject.authors[0].endswith("Varga") and subject.year == "2004"
    assert subject.publisher == "Kestrel Books" and subject.subtype == "Book"
    osei = by_title(works, "Winter Harbours: Trade on the Frozen Coast")
    assert osei.rule == "reference-apa" and osei.authors == ["P. K. Osei"] and not osei.is_subject
    holm = by_title(works, "The Baltic Trade")
    assert holm.year == "2011"
    tides = by_title(works, "Tides of the North Sea")
    assert tides.authors == ["R. Okafor", "C. Lee"]
    # offsets point at the title, the citing context is the whole entry
    text = SUMMARY
    assert text[osei.start : osei.end] == "Winter Harbours: Trade on the Frozen Coast"
    assert text[osei.cite_start : osei.cite_end].startswith("Osei, P. K. (1999)")


def test_short_title_shares_full_display_title(nlp):
    works = run(nlp, SUMMARY)
    full = "The Amber Throne: Debt and Decline in a Lost Empire"
    mentions = [w for w in works if w.title == full]
    assert len(mentions) >= 3  # entry, "Varga's The Amber Throne", the repeated full title
    assert {SUMMARY[w.start : w.end] for w in mentions} >= {"The Amber Throne", full}
    assert all(w.is_subject for w in mentions)


def test_work_named_in_prose_and_chapter(nlp):
    works = run(nlp, SUMMARY)
    assert "Salt and Silver" in titles(works)
    chapter = by_title(works, "The Empty Treasury")
    assert chapter.subtype == "Chapter"
    assert "Chapter 4: The Empty Treasury" in chapter.aliases


def test_headings_and_publishers_are_not_works(nlp):
    found = titles(run(nlp, SUMMARY))
    for wrong in (
        "How This Study Is Used in the Book",
        "What the Book Argues",
        "the Book",
        "Kestrel Books",
        "Harbour University Press",
        "Palm Press",
        "Further Reading",
    ):
        assert wrong not in found


BIBLIOGRAPHY = """The harbour records survive in two archives, as later historians noted.

Bibliography

Fitzgerald, Marta. Everyday Harbours: Ordinary Life on the Docks. New York: Lantern Press, 1999.
Doe, Jane, and John Roe. The Long Road. Gull Books, 2004.
Alvarez, Maria. "The Salt Roads." Coastal Review 12, no. 3 (2001): 45–67.
"""


def test_chicago_and_mla_bibliography(nlp):
    works = run(nlp, BIBLIOGRAPHY)
    assert (
        by_title(works, "Everyday Harbours: Ordinary Life on the Docks").rule == "reference-chicago"
    )
    mla = by_title(works, "The Long Road")
    assert mla.rule == "reference-mla" and mla.authors == ["Jane Doe", "John Roe"]
    art = by_title(works, "The Salt Roads")
    assert art.subtype == "ScholarlyArticle"


# -- footnotes ----------------------------------------------------------------------------

ESSAY = """The Quiet Coast

Few critics saw it coming. The harbour master noted3 that “trade is a conversation,” and his brother kept the ledgers.2 In her memoir The Salt Wife4 is a scene on the pier. The old law was repealed in a hurry.

Notes

  1. “A Sailor Looks at the Northern Ports,” 1951 edition, p. 12
  2. Anna and Petra Kowal, The Hidden Ledger, 2007, p. 41. Other sources differ.
  3. “Harbour Masters Remember,” ed. Ivo Brandt, 1990, p. 17-19
  4. Lindqvist, “The Herring Wars” p. 88
  5. Section 14 – in “Collected Statutes of the Free Port,” ed. Olga Marin, p. 3.
  6. Quoted in Brandt, p. 6
"""


def test_footnotes(nlp):
    works = run(nlp, ESSAY)
    found = titles(works)
    for t in (
        "A Sailor Looks at the Northern Ports",
        "The Hidden Ledger",
        "Harbour Masters Remember",
        "The Herring Wars",
        "Collected Statutes of the Free Port",
        "Section 14",
    ):
        assert t in found
    ledger = by_title(works, "The Hidden Ledger")
    assert ledger.rule == "footnote" and ledger.authors == ["Anna Kowal", "Petra Kowal"]
    assert ledger.year == "2007"
    assert by_title(works, "Harbour Masters Remember").authors == ["Ivo Brandt"]
    assert by_title(works, "Section 14").subtype == "Legislation"
    assert by_title(works, "A Sailor Looks at the Northern Ports").year == "1951"


def test_glued_footnote_markers_do_not_break_titles(nlp):
    for mask in (True, False):
        works = run(nlp, ESSAY, mask=mask)
        salt = by_title(works, "The Salt Wife")
        assert ESSAY[salt.start : salt.end] == "The Salt Wife"


# -- inline patterns ----------------------------------------------------------------------


def test_in_his_book_and_quoted_essay(nlp):
    works = run(
        nlp,
        (
            "Among the defenders is the historian Ivo Marin, who wrote in his book Harbour of Lies that the "
            "blockade never happened.\n"
            "Others found excuses, as Tomas Rijk admits in his essay “Confessions of a Harbour Clerk”: "
            "the ledgers were wrong.\n"
            "Kuzmich is a forgotten writer; his novel Feathers is the first to describe the docks.\n"
        ),
    )
    book = by_title(works, "Harbour of Lies")
    assert book.rule == "in-his-book" and book.authors == ["Ivo Marin"] and book.subtype == "Book"
    essay = by_title(works, "Confessions of a Harbour Clerk")
    assert essay.authors == ["Tomas Rijk"] and essay.subtype == "Article"
    assert "Feathers" in titles(works)


def test_possessive_signature_book_and_title_by_author(nlp):
    works = run(
        nlp,
        (
            "The regime was innocent (the theme of Ivo Marin's signature book Nobody Drowned), or so he says.\n"
            "Then there is Kaplan, who cites Osei's The Frozen Quay as an influence.\n"
            "Read The Long Winter by Pieter Osei instead; it covers the plague.\n"
        ),
    )
    assert by_title(works, "Nobody Drowned").authors == ["Ivo Marin"]
    quay = by_title(works, "The Frozen Quay")
    assert quay.rule == "inline-possessive" and quay.authors == ["Pieter Osei"]
    winter = by_title(works, "The Long Winter")
    assert winter.rule == "title-by-author" and winter.authors == ["Pieter Osei"]


def test_paren_patterns(nlp):
    works = run(
        nlp,
        (
            "It could not be ten thousand ships (Anna Brel, The Drowned Ledger) or twenty thousand "
            "(Jon Vik-Larsen, The Age of Sail); these are guesses.\n"
            "Compare the older view in The Companion to Harbour Studies (Levenson, 1999).\n"
            "Before and after. (Ola Berg, “A Fishing Family” (The Blessed Catch), 1914 / Emil Dorn, "
            "untitled propaganda poster, 1933)\n"
        ),
    )
    sea = by_title(works, "The Drowned Ledger")
    assert sea.rule == "name-comma-title" and sea.authors == ["Anna Brel"]
    assert by_title(works, "The Age of Sail").authors == ["Jon Vik-Larsen"]
    comp = by_title(works, "The Companion to Harbour Studies")
    assert comp.rule == "title-paren-author-year" and comp.year == "1999"
    fam = by_title(works, "A Fishing Family")
    assert fam.year == "1914" and "The Blessed Catch" in fam.aliases
    poster = by_title(works, "untitled propaganda poster")
    assert poster.subtype == "Poster" and poster.authors == ["Emil Dorn"]


def test_in_title_comma_name_and_verb_in_title(nlp):
    works = run(
        nlp,
        (
            "In The Enduring Harbour: A Defence, Kerry Moss praises the old port authority.\n"
            "Western scholarship, says Michael Brandt in Blackguards and Saints, offers inflated numbers.\n"
            "Some simply refused to believe it, as Vera Gold recounts in The Romance of the Docks:\n"
        ),
    )
    assert by_title(works, "The Enduring Harbour: A Defence").authors == ["Kerry Moss"]
    saints = by_title(works, "Blackguards and Saints")
    assert saints.rule == "verb-in-title" and saints.authors == ["Michael Brandt"]
    assert by_title(works, "The Romance of the Docks").authors == ["Vera Gold"]


def test_lists_of_titles(nlp):
    works = run(
        nlp,
        (
            "Kerry Moss, whose other works include The Tide Myth and Neptune and the Pharisees, praises him.\n"
            "Historians Ola Berg and Ivo Marin have each written one (Another View of the Port and "
            "Harbour: The History and Critique of a Legend, respectively).\n"
        ),
    )
    found = titles(works)
    assert {
        "The Tide Myth",
        "Neptune and the Pharisees",
        "Another View of the Port",
        "Harbour: The History and Critique of a Legend",
    } <= found
    assert by_title(works, "The Tide Myth").authors == ["Kerry Moss"]
    assert by_title(works, "Another View of the Port").authors == ["Ola Berg"]


def test_entitled_quoted_title(nlp):
    works = run(
        nlp,
        "In May the newspaper ran a photo gallery, entitled “THE LAST CREW OF THE NORTHERN STAR.”\n",
    )
    assert "THE LAST CREW OF THE NORTHERN STAR" in titles(works)


def test_author_of_and_appositive(nlp):
    works = run(
        nlp,
        (
            "The ruling may limit the council, according to the scholar Peter Brandt, author of Waterfront Law: "
            "Cases and Commentary.\n"
            "Her friend's own collection, Stone Psalms, appeared two years later.\n"
        ),
    )
    assert by_title(works, "Waterfront Law: Cases and Commentary").authors == ["Peter Brandt"]
    assert "Stone Psalms" in titles(works)


def test_italic_titles(nlp):
    text = (
        "I first read *The Orchard Keeper's Daughter* in college. It is *not* a happy book. "
        "Lena Marsh also wrote *Winter Apples* and the memoir *A Field of Stones*. "
        "The *Harbour Gazette* reviewed it. *Seriously.*\n"
    )
    works = run(nlp, text, markdown=True)
    found = titles(works)
    assert {"The Orchard Keeper's Daughter", "Winter Apples", "A Field of Stones"} <= found
    assert not found & {"not", "Harbour Gazette", "Seriously"}
    fs = by_title(works, "A Field of Stones")
    assert text[fs.start : fs.end] == "A Field of Stones"


def test_document_title_marks_subject(nlp):
    works = run(
        nlp,
        "Readers love *The Salt Wife*, and Lena Marsh's A Field of Stones too.\n",
        markdown=True,
        title="Why I keep rereading The Salt Wife",
    )
    assert by_title(works, "The Salt Wife").is_subject
    assert not by_title(works, "A Field of Stones").is_subject


# -- descriptive works and laws -----------------------------------------------------------


def test_descriptive_works(nlp):
    works = run(
        nlp,
        (
            "(Ivo Marin’s last message is haunting, using the old nickname: why do you need me to die?)\n"
            "As Jonas Weber, a member of the council, recalls in his memoirs, the harbour was closed.\n"
            "When the Scottish sailor Harry Lund wrote his own impassioned letter to Marin, the answer was blunt.\n"
            "He made the point in a 1936 interview with the journalist Roy Anders.\n"
            "The editorial in question was written by Vera Gold herself.\n"
        ),
    )
    found = titles(works)
    assert "Ivo Marin’s last message" in found
    assert "Jonas Weber's memoirs" in found
    assert "Harry Lund's letter to Marin" in found
    assert "1936 interview with Roy Anders" in found
    assert "Vera Gold's editorial" in found
    assert by_title(works, "Harry Lund's letter to Marin").subtype == "Message"


def test_legislation(nlp):
    works = run(
        nlp,
        (
            "The council passed the Harbour Renewal Act of 2023 after months of debate.\n"
            "With its penal code of 1901, the republic was among the first to abolish flogging.\n"
            "New dock-discipline laws introduced in 1938 made lateness a crime.\n"
        ),
    )
    law = by_title(works, "Harbour Renewal Act of 2023")
    assert law.subtype == "Legislation" and law.year == "2023"
    assert "penal code of 1901" in titles(works)
    assert by_title(works, "dock-discipline laws").year == "1938"


# -- negatives ----------------------------------------------------------------------------

NOISE = """Maria Lindgren (1921–1999)

Maria Lindgren was born in Uppsala to a family of teachers. In Stockholm, Lindgren studied chemistry under Professor Karl Berg. In 1945, she joined the Royal Institute of Technology. The prize committee praised her work on catalysts (Berg, 1962).
Lindgren was appointed by King Gustaf to the Academy in 1960. She worked for Volvo and the United Nations. In Geneva, Lindgren met the physicist Henri Dubois. Her team, led by Anna Svensson, found that the process was efficient.
She told The Guardian in 1980 that science is a conversation. Council member Ana Lutz wrote in The Harbour Gazette that the plan ignores residents. In The Hague, the court ruled against her patent. The plan was approved by Parliament (Smith, 2001).
Norway's Anna Berg and Sweden's Karl Berg met in 1950. Many people, including President Carter, praised her. Posted by u/ChemFan on the forum.
Thanks for sharing, see you at the Chemistry Conference in Boston by Friday.
"""


def test_no_false_positives_in_ordinary_prose(nlp):
    assert titles(run(nlp, NOISE)) == set()


def test_person_name_is_not_a_title(nlp):
    works = run(
        nlp, "Historians (Robert Vance, Anna Brel) disagree, and Brel's Anna Brel is not a book.\n"
    )
    assert titles(works) == set()


def test_each_work_once_per_display_title_and_sorted(nlp):
    works = run(nlp, SUMMARY)
    assert works == sorted(works, key=lambda w: (w.start, w.end))
    for w in works:
        assert 0 <= w.start < w.end <= len(SUMMARY)
        assert w.cite_start <= w.start and w.end <= w.cite_end
        assert 0.0 < w.confidence <= 1.0


def test_works_list_on_a_person_page(nlp):
    text = (
        "Oksana Petrenko (born 1961) is a historian of the interwar years who taught in Lviv for two "
        "decades and wrote about grain requisitions and village life under the quotas.\n"
        "Selected works\n"
        "- *Bitter Harvest: The Famine Years* (1998)\n"
        "- Villages Without Bread (2003), with R. W. Dale\n"
    )
    works = run(nlp, text, markdown=True, title="Oksana Petrenko")
    harvest = by_title(works, "Bitter Harvest: The Famine Years")
    assert harvest.rule == "works-list" and harvest.year == "1998"
    assert harvest.authors == ["Oksana Petrenko"]
    assert by_title(works, "Villages Without Bread").year == "2003"


def test_italic_title_inside_a_reference_entry(nlp):
    text = (
        "The ledgers were kept by the harbour master and his clerks for forty years without a break.\n"
        "References\n"
        "Holm, Anders. *Baltic Exchange: Ships, Salt, and Silver*. Oslo: Fjord Press, 2010.\n"
    )
    works = run(nlp, text, markdown=True)
    holm = by_title(works, "Baltic Exchange: Ships, Salt, and Silver")
    assert holm.rule == "reference-chicago" and holm.publisher == "Fjord Press"
    assert text[holm.start : holm.end] == "Baltic Exchange: Ships, Salt, and Silver"


def test_headlines_chapter_numbers_and_newspapers_are_not_works(nlp):
    works = run(
        nlp,
        (
            "Harbour Plan Criticised By Ana Lutz\n"
            "Whatever Levko says in Chapter 7 is disputed.\n"
            "Council member Ana Lutz wrote in The Harbour Gazette that the plan ignores residents.\n"
        ),
    )
    assert titles(works) == set()
