"""parse_reference on invented entries: APA, Chicago, MLA, Vancouver, IEEE and note styles."""

from __future__ import annotations

import pytest

from claimgraph.ingest.references import parse_reference, split_name_list


def ref(line: str):
    r = parse_reference(line)
    assert r is not None, line
    assert line[r.title_start : r.title_end] == r.title
    return r


# -- APA ----------------------------------------------------------------------------------


def test_apa_book_single_author():
    r = ref("Varga, H. (2004). The Amber Throne: Debt and Decline in a Lost Empire. Kestrel Books.")
    assert r.style == "apa"
    assert r.authors == ["H. Varga"]
    assert r.year == "2004"
    assert r.title == "The Amber Throne: Debt and Decline in a Lost Empire"
    assert r.publisher == "Kestrel Books"
    assert r.subtype == "Book"


@pytest.mark.parametrize("mark", ["- ", "* ", "1. ", "[4] ", "  12) ", "• "])
def test_apa_with_list_marks(mark):
    r = ref(mark + "Osei, P. K. (1999). Winter Harbours. Palm Press.")
    assert r.authors == ["P. K. Osei"]
    assert r.title == "Winter Harbours"


def test_apa_compact_initials_are_spaced():
    r = ref("Lindqvist, R.M. (2010). Salt and Herring. Fjord Press.")
    assert r.authors == ["R. M. Lindqvist"]


def test_apa_multiple_authors_ampersand_and_et_al():
    r = ref(
        "Okafor, R., Lee, C., & Brandt, P. (2015). Tides of the North Sea. Harbour University Press."
    )
    assert r.authors == ["R. Okafor", "C. Lee", "P. Brandt"]
    assert r.publisher == "Harbour University Press"
    r = ref("Okafor, R., et al. (2016). Estuary Atlas. Palm Press.")
    assert r.authors == ["R. Okafor"]
    assert r.title == "Estuary Atlas"


def test_apa_year_range_and_volumes():
    r = ref("Holm, A. (2011-2019). The Baltic Trade (4 vols.). Fjord Press.")
    assert r.year == "2011"
    assert r.title == "The Baltic Trade"
    assert r.publisher == "Fjord Press"


def test_apa_editors():
    r = ref(
        "Patel, N., & Moreau, K. (Eds.). (2018). Handbook of Coastal Law (2nd ed.). Lantern Press."
    )
    assert r.editors == ["N. Patel", "K. Moreau"]
    assert r.authors == []
    assert r.title == "Handbook of Coastal Law"


def test_apa_journal_article_is_scholarly_article():
    r = ref(
        "Smith, A. B., & Jones, C. (2019). Measuring rivers: A field guide. "
        "Journal of Inland Waters, 12(3), 45–67. https://doi.org/10.1/xyz"
    )
    assert r.subtype == "ScholarlyArticle"
    assert r.container == "Journal of Inland Waters"
    assert r.pages == "45–67"
    assert r.title == "Measuring rivers: A field guide"


def test_apa_news_article_and_dissertation():
    r = ref("Chen, L. (2020, March 3). Flood barriers fail again. The Harbour Times.")
    assert r.subtype == "NewsArticle"
    assert r.container == "The Harbour Times"
    r = ref("Kim, S. (2017). Salt marsh restoration [Doctoral dissertation, Coast University].")
    assert r.subtype == "Thesis"
    assert r.title == "Salt marsh restoration"


def test_apa_organisation_author():
    r = ref("Northern Fisheries Council. (2021). State of the herring stocks. NFC Publishing.")
    assert r.authors == ["Northern Fisheries Council"]
    assert r.title == "State of the herring stocks"


def test_apa_title_with_initials_and_abbreviation():
    r = ref("Reyes, D. (2001). John F. Kennedy and the U.S. Coast Guard. Palm Press.")
    assert r.title == "John F. Kennedy and the U.S. Coast Guard"


# -- Chicago / MLA ------------------------------------------------------------------------


def test_chicago_book_with_place():
    r = ref(
        "Fitzgerald, Marta. Everyday Harbours: Ordinary Life on the Docks. New York: Lantern Press, 1999."
    )
    assert r.style == "chicago"
    assert r.authors == ["Marta Fitzgerald"]
    assert r.title == "Everyday Harbours: Ordinary Life on the Docks"
    assert (r.place, r.publisher, r.year) == ("New York", "Lantern Press", "1999")
    assert r.subtype == "Book"


def test_chicago_particles_and_two_authors():
    r = ref("de Vries, Anke, and Tomas Rijk. The Dutch Polders. Leiden: Dune Press, 1974.")
    assert r.authors == ["Anke de Vries", "Tomas Rijk"]
    assert r.title == "The Dutch Polders"


def test_chicago_article_and_author_date():
    r = ref('Alvarez, Maria. "The Salt Roads." Coastal Review 12, no. 3 (2001): 45–67.')
    assert r.quoted and r.title == "The Salt Roads"
    assert r.container == "Coastal Review"
    assert r.subtype == "ScholarlyArticle"
    assert r.year == "2001"
    r = ref("Smith, J. 2001. The Long Road Home. London: Harbour Books.")
    assert r.authors == ["J. Smith"]
    assert r.year == "2001"
    assert r.publisher == "Harbour Books"


def test_mla_book_and_article():
    r = ref("Doe, Jane, and John Roe. The Long Road. Gull Books, 2004.")
    assert r.style == "mla"
    assert r.authors == ["Jane Doe", "John Roe"]
    assert (r.title, r.publisher, r.year) == ("The Long Road", "Gull Books", "2004")
    r = ref('Alvarez, Maria. "The Salt Roads." Coastal Review, vol. 12, no. 3, 2001, pp. 45-67.')
    assert r.style == "mla"
    assert r.container == "Coastal Review"
    assert r.pages == "45-67"


def test_mla_translator_is_not_the_publisher():
    r = ref("Marquez Luna, Gabriel. A Hundred Tides. Translated by Greta Rabe, Harper, 1970.")
    assert r.title == "A Hundred Tides"
    assert r.publisher == "Harper"


def test_mla_editor():
    r = ref("Brown, Alice, editor. Essays on the Coast. Gull Books, 1995.")
    assert r.editors == ["Alice Brown"]
    assert r.authors == []


# -- Vancouver / IEEE ---------------------------------------------------------------------


def test_vancouver_article():
    r = ref("Okafor R, Lee C. Tidal patterns in estuaries. Mar Sci. 2019;12(3):45-67.")
    assert r.style == "vancouver"
    assert r.authors == ["R. Okafor", "C. Lee"]
    assert r.title == "Tidal patterns in estuaries"
    assert r.year == "2019"


def test_ieee_article_and_book():
    r = ref(
        '[1] A. Smith, B. Jones, and C. Lee, "Deep rivers of the north," '
        "Journal of Hydrology, vol. 3, no. 2, pp. 1-20, 2001."
    )
    assert r.authors == ["A. Smith", "B. Jones", "C. Lee"]
    assert r.title == "Deep rivers of the north"
    assert r.container == "Journal of Hydrology"
    r = ref("[2] R. Okafor, The Quiet Harbour. Lagos: Palm Press, 1999.")
    assert r.title == "The Quiet Harbour"
    assert r.publisher == "Palm Press"
    assert r.year == "1999"


# -- notes --------------------------------------------------------------------------------


def test_note_quoted_title_with_edition():
    r = ref("  3. “A Sailor Looks at the Northern Ports,” 1951 edition, p. 12 ")
    assert r.style == "note"
    assert r.title == "A Sailor Looks at the Northern Ports"
    assert r.year == "1951"
    assert r.pages == "12"
    assert r.authors == []


def test_note_surname_quoted_title_page():
    r = ref("4. Lindqvist, “The Herring Wars” p. 88")
    assert r.authors == ["Lindqvist"]
    assert r.title == "The Herring Wars"
    assert r.pages == "88"


def test_note_shared_surname_authors():
    r = ref("2. Anna and Petra Kowal, The Hidden Ledger, 2007, p. 41. Other sources differ.")
    assert r.authors == ["Anna Kowal", "Petra Kowal"]
    assert r.title == "The Hidden Ledger"
    assert r.year == "2007"


def test_note_editor_and_part():
    r = ref("5. “Harbour Masters Remember,” ed. Ivo Brandt, 1990, p. 17-19")
    assert r.title == "Harbour Masters Remember"
    assert r.editors == ["Ivo Brandt"]
    assert r.subtype == "Book"
    r = ref("6. Section 14 – in “Collected Statutes of the Free Port,” ed. Olga Marin, p. 3.")
    assert r.part == "Section 14"
    assert r.title == "Collected Statutes of the Free Port"


def test_chicago_note_with_publication_facts():
    r = ref("1. Marta Kowalczyk, The Glass Harbour (Boston: Lantern Books, 2011), 45.")
    assert r.authors == ["Marta Kowalczyk"]
    assert r.title == "The Glass Harbour"
    assert (r.place, r.publisher, r.year) == ("Boston", "Lantern Books", "2011")


def test_short_note_with_bare_page():
    r = ref("7. See Kowalczyk, Glass Harbour, 12.")
    assert r.authors == ["Kowalczyk"]
    assert r.title == "Glass Harbour"


@pytest.mark.parametrize(
    "line",
    [
        "He said this was true, and nothing else.",
        "12. Ibid., 45.",
        "7. Quoted in Brandt, p. 6",
        "Further Reading",
        "In 1990, Smith wrote a lot about herring, and 1991 too.",
        "Chapter 4 explains this in more detail, see p. 45.",
        "",
    ],
)
def test_not_references(line):
    assert parse_reference(line) is None


def test_split_name_list():
    assert split_name_list("Roy and Zhores Kaplan") == ["Roy Kaplan", "Zhores Kaplan"]
    assert split_name_list("Ann Lee and Bo Chan") == ["Ann Lee", "Bo Chan"]
    assert split_name_list("A. Smith, B. Jones, and C. Lee") == ["A. Smith", "B. Jones", "C. Lee"]
