"""Works and citations: which books, articles, letters, laws and pictures a document cites.

Three sources of evidence, strongest first:

1. Reference lists and notes (`ingest.references`): lines under a "References" /
   "Bibliography" / "Further Reading" / "Notes" heading, numbered note lines at the end, and
   lines that are unmistakably APA/Chicago/MLA entries. An entry above the body text is the
   work the document is about (`is_subject`).
2. Prose patterns around a title, read from spaCy tokens (`ingest.titles`): "his book X",
   "Author's X", "X by Author", "X (Author, 2001)", "(Author, X)", "In X, Author ...",
   "recounts in X", "works include X and Y", "his essay “X”", "entitled “X”", italics.
3. Descriptive works that have no title: "Name's last letter", "in his memoirs", "a 1936
   interview with Name", "the civil code of 1904", "Article 7".

Mentions of the same work are then merged (short title = pre-colon part of a full title of a
compatible author), given the longest display title, and every further verbatim occurrence of
a known multi-word title is added as a mention.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from claimgraph.ingest.references import Reference, parse_reference, split_name_list
from claimgraph.ingest.titles import (
    FUNCTION_WORDS,
    PERIODICAL_END,
    PUBLISHER_END,
    plausible_title,
    run_backward,
    run_forward,
    span_text,
    title_case_ratio,
)


@dataclass
class WorkMention:
    """One mention of a work in a document, with the citation context it came from."""

    title: str  # display title: no surrounding quotes or italics marks; subtitle kept
    start: int  # offsets of the title in document.text
    end: int
    cite_start: int  # offsets of the whole citing context (entry, note line, clause)
    cite_end: int
    authors: list[str]  # "Given Surname" as far as known; surname only if that is all
    year: str | None
    subtype: str | None  # schema.org class: Book, Article, ScholarlyArticle, Movie, ...
    publisher: str | None
    rule: str
    confidence: float
    is_subject: bool = False  # the document is about this work
    aliases: list[str] = field(default_factory=list)  # other titles seen for it here


# -- vocabulary ---------------------------------------------------------------------------

#: Nouns that introduce a title ("his book X", "the essay “X”"), with the schema.org class.
# fmt: off
WORK_NOUNS: dict[str, str | None] = {
    **dict.fromkeys(("book", "novel", "memoir", "memoirs", "biography", "autobiography", "treatise",
                     "monograph", "volume", "collection", "anthology", "novella", "bestseller",
                     "best-seller", "classic", "textbook", "trilogy", "handbook", "history",
                     "pamphlet", "tract"), "Book"),
    **dict.fromkeys(("essay", "article", "editorial", "column", "op-ed", "review", "piece"), "Article"),
    **dict.fromkeys(("study", "work", "opus", "manifesto", "poem", "story", "play", "speech",
                     "lecture", "sermon", "series", "podcast", "post"), None),
    **dict.fromkeys(("film", "movie", "documentary"), "Movie"),
    **dict.fromkeys(("thesis", "dissertation"), "Thesis"),
    **dict.fromkeys(("song", "opera"), "MusicComposition"),
    "paper": "ScholarlyArticle", "report": "Report", "painting": "Painting", "poster": "Poster",
    "photograph": "Photograph", "sculpture": "Sculpture", "letter": "Message", "chapter": "Chapter",
    "album": "MusicAlbum", "episode": "Episode", "blog": "Blog",
}
#: Nouns too common before a capitalised word ("the study Harvard ran", "the work Marin
#: ordered"): their title must be quoted, in italics, or open with an article.
WEAK_NOUNS = frozenset((
    "study", "work", "history", "piece", "post", "series", "story", "classic", "collection",
    "volume", "review", "column", "paper", "report", "letter", "speech", "play", "lecture", "opus",
    "blog", "episode", "song",
))
# fmt: on
_PLURAL = {n + "s": n for n in WORK_NOUNS if not n.endswith("s")}
_PLURAL.update({"stories": "story", "histories": "history", "studies": "study", "series": "series"})
_ALL_NOUNS = sorted(set(WORK_NOUNS) | set(_PLURAL), key=len, reverse=True)
_NOUN_ALT = "|".join(re.escape(n) for n in _ALL_NOUNS)

_Q_OPEN = "“\"‘'"
_QUOTE_CLOSE = {"“": "”", '"': '"', "‘": "’", "'": "'"}
_TITLE_START = r"(?=[“\"‘'*_A-Z0-9À-ÞĀ-ſ])"

_WORK_NOUN = re.compile(rf"\b(?P<noun>{_NOUN_ALT})\s+{_TITLE_START}")
_DET_BEFORE = re.compile(
    r"(?:\b(?i:his|her|their|its|my|our|your|the|a|an|this|that|whose|one|another|new|latest)"
    r"|(?P<own>[A-ZÀ-ÞĀ-ſ][\w\-]*)['’]s?)(?:\s+(?:[a-z][\w\-]*(?:['’]s)?|\d{4}|[A-Z][a-z]+(?=\s+[a-z])))"
    r"{0,3}\s+$"
)
_WORK_NOUN_APPOS = re.compile(rf"\b(?P<noun>{_NOUN_ALT}),\s+{_TITLE_START}")
_AUTHOR_OF = re.compile(
    rf"\b(?:author|co-author|editor|translator|director|writer|creator|compiler|illustrator|"
    rf"composer|screenwriter)s?\s+of\s+(?:(?:the|a|an)\s+(?:[a-z\-]+\s+){{0,2}}?(?:{_NOUN_ALT})\s+)?"
    + _TITLE_START
)
_VERB_TITLE = re.compile(
    r"\b(?:wrote|writes|published|publishes|authored|penned|co-wrote|directed|painted|composed|"
    r"released|edited|translated|reviewed|filmed|recorded|illustrated)\s+" + _TITLE_START
)
_POSSESSIVE = re.compile(rf"(?P<own>[A-ZÀ-ÞĀ-ſ][\w\-]*)['’]s\s+{_TITLE_START}")
_VERB_IN = re.compile(
    r"\b(?:recounts?|recounted|writes?|wrote|written|argues?|argued|notes?|noted|says?|said|"
    r"explains?|explained|describes?|described|recalls?|recalled|claims?|claimed|observes?|"
    r"observed|suggests?|suggested|shows?|showed|documents?|documented|details?|detailed|"
    r"appears?|appeared|published|puts? it|states?|stated|asserts?|asserted|contends?|"
    r"contended|insists?|insisted|warns?|warned|concludes?|concluded|remarks?|remarked|"
    r"reports?|reported|discuss(?:es|ed)?|examines?|examined|explores?|explored|reveals?|"
    r"revealed|traces?|traced|chronicles?|chronicled|depicts?|depicted|portrays?|portrayed|"
    r"mentions?|mentioned|admits?|admitted|acknowledges?|acknowledged|laments?|lamented|"
    r"predicts?|predicted|proposes?|proposed|defends?|defended|quoted|cited|featured|"
    r"reprinted|collected|included|analy[sz]es|analy[sz]ed|introduced|sets? out|set out)"
    r"(?P<name>(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'.\-]+){0,4})\s+in\s+" + _TITLE_START
)
_IN_TITLE_COMMA = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"’)]\s)|(?<=\n))In\s+" + _TITLE_START)
_NAME_COMMA = re.compile(
    r"(?:\(|(?<=\s)/\s+|(?<=;)\s+)(?P<name>[A-ZÀ-ÞĀ-ſ][\w’'.\-]+(?:\s+(?:[A-ZÀ-ÞĀ-ſ][\w’'.\-]+|de|van|von|"
    r"der|da|di|du|le|la|bin|dze)){0,4}),\s+(?=[“\"‘'*_A-Z0-9À-ÞĀ-ſ]|untitled\s)"
)
_BY = re.compile(r"(?<=[\w”\"’'*_?!])(?P<comma>,)?\s+by\s+(?=[A-ZÀ-ÞĀ-ſ])")
_PAREN_YEAR = re.compile(
    r"\s*\((?:(?P<role>dir\.|directed by|ed\.|edited by|trans\.|translated by|by)\s+)?"
    r"(?:(?P<name>[A-ZÀ-ÞĀ-ſ][^()\d,;]{1,50}?)(?:,\s*|\s+))?(?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)"
)
_CHAPTER = re.compile(
    r"\bChapter\s+(?P<num>\d{1,3}|[IVXLC]{1,6}|[A-Z][a-z]+)\s*(?::|\.|,|–|—|-)\s*" + _TITLE_START
)
_ENTITLED = re.compile(r"\b(?:entitled|titled|headlined|subtitled)\s*,?\s+(?=[“\"‘'*_A-Z])")
_CALLED = re.compile(
    rf"\b(?P<noun>{_NOUN_ALT}|gallery|exhibition|series|collection)(?:\s+[\w\-]+){{0,3}}?,?\s+(?:called|named)\s+(?=[“\"‘'])"
)
_LIST = re.compile(
    r"\b(?:(?i:other|his|her|their|whose|its)\s+)?(?:works|books|novels|essays|titles|writings|"
    r"publications|films|plays|poems|studies|articles|memoirs|pamphlets|monographs)\s+"
    r"(?:include|includes|included|including|such as|like)\s+" + _TITLE_START
)
_NAME_LIST = re.compile(
    r"[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+"
    r"(?:,\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+)*"
    r",?\s+and\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+)+"
)
_RESPECTIVELY = re.compile(r"\((?=[^()]{3,400}?,\s*respectively\s*\))")
_WORK_CONTEXT = re.compile(
    r"\b(?:wrote|written|writes|authored|published|books?|works?|novels?|essays?|films?)\b"
)

# descriptive works (no title)
_DESC_NOUNS = (
    r"letter|letters|message|memoirs|memoir|diary|diaries|editorial|speech|testimony|manifesto|"
    r"telegram|interview|lecture|sermon|confession|autobiography|op-ed|memorandum|memo|petition|"
    r"will and testament|last will"
)
_POSS_DESC = re.compile(
    rf"(?P<own>[A-ZÀ-ÞĀ-ſ][\w\-]*)['’]s\s+(?P<mods>(?:(?:\d{{4}}|[a-z][\w\-]*)\s+){{0,2}}?)"
    rf"(?P<noun>{_DESC_NOUNS})\b(?!\s+(?:to\s+)?[“\"A-Z])(?!\s+(?:of|that)\b)"
)
_IN_HIS_MEMOIRS = re.compile(
    r"\b[Ii]n\s+(?:his|her|their)\s+(?:own\s+|later\s+|published\s+|posthumous\s+)?"
    r"(?P<noun>memoirs|memoir|autobiography|diary|diaries|journals|notebooks|correspondence)\b"
)
_LETTER_TO = re.compile(
    r"\b(?:wrote|writes|sent|sends|addressed|penned|drafted|dispatched)\s+(?:(?:his|her|their|a|an|the)\s+)?"
    r"(?:(?:[a-z]+|\d{4})\s+){0,3}?(?P<noun>letter|message|telegram|memorandum|petition)\s+to\s+"
    r"(?P<to>[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+){0,2})"
)
_INTERVIEW = re.compile(
    r"\b(?:an?|his|her|their|the)\s+(?:(?P<year>\d{4})\s+)?(?:[a-z]+\s+)?interview\s+with\s+"
)
_WRITTEN_BY = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<noun>editorial|letter|article|essay|pamphlet|speech|report|"
    r"memo|memorandum|manifesto|poem|review|column|book)\s+(?:in question\s+)?(?:was|had been|is|has been)\s+"
    r"(?:actually\s+|in fact\s+|originally\s+)?(?:written|penned|authored|drafted|composed)\s+by\s+"
    r"(?P<name>[A-ZÀ-ÞĀ-ſ][\w’'\-]+(?:\s+[A-ZÀ-ÞĀ-ſ][\w’'\-]+){0,2})"
)
_UNTITLED = re.compile(
    r"\buntitled\s+(?:[a-z\-]+\s+){0,2}?(?P<noun>poster|painting|photograph|photo|sculpture|drawing|"
    r"print|woodcut|lithograph|collage|film|poem|sketch|mural)\b"
)
_ACT = re.compile(
    r"\b(?P<t>(?:[A-Z][\w\-]+\s+){1,6}(?:Act|Code|Statute|Ordinance|Decree|Edict|Treaty|Accords?|"
    r"Charter|Constitution|Amendment|Bill of Rights|Declaration)(?:\s+of\s+(?P<y>\d{4}))?)\b"
)
_CODE_OF_YEAR = re.compile(
    r"\b(?P<t>(?:(?:penal|criminal|civil|legal|labou?r|family|land|tax|commercial|electoral|"
    r"press|marriage)\s+)(?:code|law|statute))\s+of\s+(?P<y>1[5-9]\d\d|20\d\d)\b"
)
_LAWS_IN_YEAR = re.compile(
    r"\b(?P<t>(?:[a-z]+-[a-z]+|[a-z]+-[a-z]+-[a-z]+)\s+(?:laws?|decrees?|statutes?|acts?))\s+"
    r"(?:introduced|passed|enacted|adopted|issued|decreed|signed)\s+in\s+(?P<y>1[5-9]\d\d|20\d\d)\b"
)
_ARTICLE_OF = re.compile(
    r"\b(?P<t>(?:Article|Section|§)\s+\d+[a-z]?)(?=\s+of\s+the\s+(?:[\w\-]+\s+){0,4}?"
    r"(?:[Cc]ode|[Cc]onstitution|[Aa]ct|[Cc]onvention|[Cc]harter|[Tt]reaty|[Ll]aw)\b)"
)

# reference sections
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?P<h>(?:(?:APA|MLA|Chicago|Harvard)\s+)?(?:Citations?|Reference)|"
    r"References|Reference List|Bibliography|Select(?:ed)? Bibliography|Works Cited|Works Consulted|"
    r"Further Reading|Suggested Reading|Recommended Reading|Additional Reading|Reading List|"
    r"Sources|Sources and Further Reading|Literature|Selected Works|Notes|Endnotes|Footnotes|"
    r"Notes and References|How to Cite(?: This)?|Cite This(?: Article| Page| Work)?|"
    r"(?:Selected |Major |Principal )?(?:Works|Publications|Writings|Books|Filmography|Discography))"
    r"\s*(?:\*\*|__)?\s*:?\s*$",
    re.I,
)
_NOTES_HEADING = re.compile(r"notes|endnotes|footnotes", re.I)
_WORKS_HEADING = re.compile(
    r"(?:selected |major |principal )?(?:works|publications|writings|books|filmography|discography)",
    re.I,
)
#: A line of a works list: "- The Harbour (1999)", "3. Salt and Silver (2004), a novel".
_WORKS_LINE = re.compile(
    r"^\s*(?:[-*•–]\s+|\d{1,3}[.)]\s+)?(?P<t>[^\s()][^()]{1,150}?)\s*\((?P<y>1[5-9]\d\d|20\d\d)\)"
    r"\s*(?:$|[,.;:–—-])"
)
_NOTE_LINE = re.compile(r"^\s*(?:\[\d{1,3}\]|\^\d{1,3}|\(?\d{1,3}[.)])\s*\S")

# fmt: off
_CONF = {
    "reference-apa": 0.95, "reference-chicago": 0.92, "reference-mla": 0.92,
    "reference-vancouver": 0.9, "reference-note": 0.85, "footnote": 0.85, "in-his-book": 0.85,
    "quoted-title": 0.8, "title-paren-author-year": 0.8, "name-comma-title": 0.8, "chapter": 0.8,
    "inline-possessive": 0.75, "title-by-author": 0.75, "title-list": 0.75, "author-of": 0.75,
    "in-title-comma-name": 0.7, "known-title": 0.7, "verb-in-title": 0.65, "verb-title": 0.65,
    "legislation": 0.65, "emphasis-title": 0.6, "descriptive": 0.6, "works-list": 0.8,
}
_SKIP_ENTS = frozenset(("GPE", "LOC", "NORP", "ORG", "FAC", "EVENT", "DATE", "TIME", "LANGUAGE",
                        "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"))
# fmt: on
_NAME_OK = re.compile(
    r"^[A-ZÀ-ÞĀ-ſ][\w’'.\-]*(?:\s+(?:[A-ZÀ-ÞĀ-ſ][\w’'.\-]*|de|van|von|der|den|da|di|du|le|la|bin|dze|y))*$"
)
_NOT_NAME = re.compile(
    r"\b(?:University|Press|Party|Army|Committee|Books|Company|News|Times|Journal|Review|Institute|"
    r"Foundation|Ministry|Department|Council|Union|Republic|Kingdom|State|States|Government|Church|"
    r"School|College|Society|Association|League|Congress|Museum|Library|Archive|Archives|Daily)\b"
)
_ORG_WORDS = re.compile(
    r"\b(?:Bank|Ministry|University|Department|Council|Committee|Party|Institute|Society|Church|"
    r"Court|Commission|Agency|Office|Board|Association|Union|League|Company|Corporation|Corp|Inc|"
    r"Ltd|Army|Navy|Forces?|School|College|Museum|Library|Foundation|Academy|Parliament|Senate|"
    r"Congress|Assembly|Government|Republic|Kingdom|Federation|Organi[sz]ation|Cent(?:re|er)|Club|"
    r"Group|Press|Books|Publishers|Times|Post|News|Network|Studios?|Records|Airlines?|Railways?|"
    r"Police|Guard|Service|Services|Trust|Fund|Bureau|Authority|Council|Nations|States)\b"
)
_PART_ONLY = re.compile(
    r"^(?:Chapter|Part|Section|Volume|Vol\.|Book|Page|Figure|Fig\.|Table|Appendix|Act|Scene|Episode|"
    r"Season|Article|Verse|Canto)\s+(?:\d+|[IVXLC]+|[A-Z])$"
)
_HONORIFIC = re.compile(
    r"^(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Sir|Dame|Lord|Lady|General|Gen|Marshal|Admiral|Colonel|"
    r"Captain|President|Senator|Comrade|Father|Saint|St|Rev|Reverend|Judge|Justice)\.?\s+)+"
)


# -- helpers ------------------------------------------------------------------------------


def _fold(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(s.casefold().strip(" \"'.,;:*_").split())


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    name = re.sub(r"['’]s?$", "", name).strip(" ,.;:—–-")
    name = re.sub(r"\d+$", "", name)
    name = _HONORIFIC.sub("", name)
    name = re.sub(r"\s+(?:himself|herself|themselves)$", "", name)
    return name.strip()


def _surname(name: str) -> str:
    return name.split()[-1].casefold() if name.split() else ""


def _same_person(a: str, b: str) -> bool:
    """'Varga' / 'H. Varga' / 'Helena Varga' can be one person; 'Ann X' / 'Bo X' not."""
    wa, wb = a.split(), b.split()
    if not wa or not wb or wa[-1].casefold() != wb[-1].casefold():
        return False
    ga, gb = wa[:-1], wb[:-1]
    if not ga or not gb:
        return True
    return ga[0][0].casefold() == gb[0][0].casefold()


def _merge_authors(lists: list[list[str]]) -> list[str]:
    """Authors of all mentions of one work, in order, each person once in its fullest form."""
    out: list[str] = []
    for names in lists:
        for a in names:
            for k, b in enumerate(out):
                if _same_person(a, b):
                    if len(a) > len(b) and "." not in a.split()[0]:
                        out[k] = a
                    break
            else:
                out.append(a)
    return out


class _Passage:
    """One passage's spaCy Doc with cheap lookups from characters to tokens."""

    __slots__ = ("base", "doc", "text", "_idx", "_persons", "_ents")

    def __init__(self, base: int, doc) -> None:
        self.base = base
        self.doc = doc
        self.text = doc.text
        self._idx: list[int] | None = None
        self._persons: list[tuple[int, int, int, int]] | None = None
        self._ents = None

    @property
    def idx(self) -> list[int]:
        if self._idx is None:
            self._idx = [t.idx for t in self.doc]
        return self._idx

    def tok_starting(self, c: int) -> int | None:
        idx = self.idx
        i = bisect_left(idx, c)
        return i if i < len(idx) and idx[i] == c else None

    def tok_at(self, c: int) -> int:
        return max(0, bisect_right(self.idx, c) - 1)

    def persons(
        self, surnames: set[str] | frozenset[str] = frozenset()
    ) -> list[tuple[int, int, int, int]]:
        """PERSON entities and lone known surnames as (start_char, end_char, start_tok, end_tok).

        The first call decides the surnames (the finder calls it after reading references)."""
        if self._persons is None:
            out = [
                (e.start_char, e.end_char, e.start, e.end)
                for e in self.doc.ents
                if e.label_ == "PERSON"
            ]
            if surnames:
                for t in self.doc:
                    if (
                        t.pos_ == "PROPN"
                        and t.ent_type_ not in ("PERSON", "GPE", "LOC", "FAC")
                        and t.lower_ in surnames
                        and t.text[:1].isupper()
                    ):
                        out.append((t.idx, t.idx + len(t.text), t.i, t.i + 1))
                out.sort()
            self._persons = out
        return self._persons

    def ent_covering(self, i: int, j: int):
        """The entity covering tokens [i, j), if any."""
        if self._ents is None:
            self._ents = list(self.doc.ents)
        for e in self._ents:
            if e.start <= i and e.end >= j:
                return e
            if e.start >= j:
                break
        return None

    def sent_bounds(self, i: int) -> tuple[int, int]:
        s = self.doc[i].sent
        return s.start, s.end


@dataclass
class _Found:
    """A candidate before merging."""

    start: int
    end: int
    cite_start: int
    cite_end: int
    rule: str
    authors: list[str] = field(default_factory=list)
    year: str | None = None
    subtype: str | None = None
    publisher: str | None = None
    title: str | None = None  # display text if not the span's text
    confidence: float = 0.0
    is_subject: bool = False
    aliases: list[str] = field(default_factory=list)
    strong: bool = False  # bibliographic entry or explicit work noun


class _Finder:
    def __init__(self, document, passages) -> None:
        self.document = document
        self.text = document.text
        self.plain = document.nlp_text
        self.passages = [_Passage(b, d) for b, d in passages]
        self.found: list[_Found] = []
        self.blocked: list[tuple[int, int]] = []  # reference / note lines
        self._blocked_starts: list[int] = []
        emph = sorted(getattr(document, "emphasis", None) or [])
        self.emph = emph
        self.emph_starts = [s for s, _ in emph]
        self._pbases = [p.base for p in self.passages]
        self.person_surnames: set[str] = set()
        for p in self.passages:
            for s, e, _i, _j in p.persons():
                name = _clean_name(p.text[s:e])
                if name:
                    self.person_surnames.add(_surname(name))

    # -- shared ---------------------------------------------------------------------------
    def is_blocked(self, pos: int) -> bool:
        i = bisect_right(self._blocked_starts, pos) - 1
        return i >= 0 and self.blocked[i][0] <= pos < self.blocked[i][1]

    def emphasis_at(self, pos: int, slack: int = 2) -> tuple[int, int] | None:
        i = bisect_left(self.emph_starts, pos)
        if i < len(self.emph) and self.emph[i][0] - pos <= slack:
            return self.emph[i]
        return None

    def add(self, f: _Found) -> None:
        f.start, f.end = span_text(self.text, f.start, f.end)
        if f.end <= f.start:
            return
        if not f.confidence:
            f.confidence = _CONF.get(f.rule, 0.6)
        self.found.append(f)

    def _add_noun_work(
        self, m: re.Match, base: int, author: str, title: str, subtype: str | None = None
    ) -> None:
        """A work named by its noun alone ("Name's letter to X"): the noun is its span."""
        self.add(
            _Found(
                base + m.start("noun"),
                base + m.end("noun"),
                base + m.start(),
                base + m.end(),
                "descriptive",
                authors=[author],
                title=title,
                subtype=subtype,
            )
        )

    # -- 1. reference lists and notes -----------------------------------------------------
    def scan_lines(self) -> None:
        plain = self.plain
        lines: list[tuple[int, int]] = []
        pos = 0
        n = len(plain)
        while pos <= n:
            e = plain.find("\n", pos)
            if e < 0:
                e = n
            lines.append((pos, e))
            pos = e + 1
        body_seen = False
        section: str | None = None
        misses = 0
        half = n // 2
        blocked: list[tuple[int, int]] = []
        pending_subject: list[_Found] = []
        for s, e in lines:
            line = plain[s:e]
            stripped = line.strip()
            if not stripped:
                continue
            hm = _HEADING.match(line)
            if hm and len(stripped) < 60:
                h = hm.group("h").strip()
                section = (
                    "notes"
                    if _NOTES_HEADING.fullmatch(h)
                    else "works"
                    if _WORKS_HEADING.fullmatch(h)
                    else "refs"
                )
                misses = 0
                continue
            ref: Reference | None = None
            rule = None
            if section or _NOTE_LINE.match(line) or len(stripped) < 400:
                ref = parse_reference(line)
            if ref is not None:
                numbered = bool(_NOTE_LINE.match(line))
                if ref.style == "note":
                    ok = section is not None or (numbered and s >= half)
                    rule = "footnote"
                elif section is not None or not body_seen:
                    ok = True
                    rule = f"reference-{ref.style}"
                else:
                    # a lone entry in the body: only the unmistakable APA shape
                    ok = ref.style == "apa" or (numbered and s >= half)
                    rule = f"reference-{ref.style}"
                if section == "notes" or (numbered and ref.style == "note"):
                    rule = "footnote"
                if ok:
                    f = self._from_reference(ref, s, e, rule)
                    blocked.append((s, e))
                    if not body_seen and f is not None:
                        pending_subject.append(f)
                    misses = 0
                    continue
            if section is not None:
                wm = _WORKS_LINE.match(line)
                if wm and title_case_ratio(wm.group("t").split()) >= 0.75:
                    a, b = s + wm.start("t"), s + wm.end("t")
                    if plausible_title(self.plain[a:b].strip(" *_")):
                        # a works list on a page about a person: the person wrote them
                        owner = (self.document.title or "").strip()
                        authors = (
                            [owner]
                            if 2 <= len(owner.split()) <= 4
                            and _NAME_OK.match(owner)
                            and not _NOT_NAME.search(owner)
                            else []
                        )
                        self.add(
                            _Found(
                                a,
                                b,
                                s,
                                e,
                                "works-list",
                                authors=authors,
                                year=wm.group("y"),
                                strong=True,
                            )
                        )
                        blocked.append((s, e))
                        misses = 0
                        continue
                misses += 1
                if misses >= 2 or (len(stripped.split()) > 40):
                    section = None
            words = len(stripped.split())
            if words >= 25 and not body_seen:
                body_seen = True
                if 0 < len(pending_subject) <= 2:  # one entry (or entry + note) above the body
                    pending_subject[0].is_subject = True
        self.blocked = sorted(blocked)
        self._blocked_starts = [b[0] for b in self.blocked]

    def _from_reference(self, ref: Reference, s: int, e: int, rule: str) -> _Found | None:
        line_start = s
        a, b = line_start + ref.title_start, line_start + ref.title_end
        cs, ce = s, e
        while cs < ce and self.text[cs] in " \t-*•–·":
            cs += 1
        while ce > cs and self.text[ce - 1] in " \t\u00a0\r":
            ce -= 1
        # a title set in italics inside the entry gives its exact extent
        em = self.emphasis_at(a, slack=3)
        if em and em[0] < e and em[1] <= e and em[1] - em[0] >= 2:
            a, b = em
        authors = list(ref.authors) or list(ref.editors)
        for name in authors:
            if name.split():
                self.person_surnames.add(_surname(name))
        title_text = self.text[a:b]
        if not plausible_title(title_text):
            return None
        f = _Found(
            a,
            b,
            cs,
            ce,
            rule,
            authors=authors,
            year=ref.year,
            subtype=ref.subtype,
            publisher=ref.publisher,
            strong=True,
        )
        self.add(f)
        if ref.part:
            p = self.plain.find(ref.part, s, e)
            if p >= 0:
                self.add(
                    _Found(
                        p,
                        p + len(ref.part),
                        cs,
                        ce,
                        rule,
                        year=ref.year,
                        subtype="Legislation",
                        strong=True,
                        confidence=0.8,
                    )
                )
        return f

    # -- 2. prose -------------------------------------------------------------------------
    def title_at(self, p: _Passage, c: int, *, list_mode: bool = False):
        """(start, end, kind, token span) of a title starting at local char c, or None."""
        text = p.text
        n = len(text)
        while c < n and text[c] in " \t":
            c += 1
        if c >= n:
            return None
        em = self.emphasis_at(p.base + c)
        if em and em[0] - (p.base + c) <= 2 and em[1] - p.base <= n:
            return em[0] - p.base, em[1] - p.base, "emphasis", None
        ch = text[c]
        if ch in _Q_OPEN:
            close = _QUOTE_CLOSE[ch]
            if close in "’'":
                m = re.compile(rf"{close}(?=[\s,.;:!?)\]—–-]|$)").search(
                    text, c + 1, min(n, c + 250)
                )
                end = m.start() if m else -1
            else:
                end = text.find(close, c + 1, min(n, c + 250))
            if end < 0 or "\n" in text[c:end]:
                return None
            inner = text[c + 1 : end].strip(" ,.")
            if not inner or not (inner[0].isupper() or inner[0].isdigit()):
                return None
            return c + 1, end, "quoted", None
        i = p.tok_starting(c)
        if i is None:
            return None
        span = run_forward(p.doc, i, list_mode=list_mode)
        if span is None:
            return None
        i, j = span
        return p.doc[i].idx, p.doc[j - 1].idx + len(p.doc[j - 1].text), "run", span

    def _run_ok(
        self,
        p: _Passage,
        span,
        *,
        min_tokens: int = 1,
        allow_person: bool = False,
        strong: bool = False,
    ) -> bool:
        """A capitalised run is a credible title: not just a place, organisation or date.

        `strong`: the context names a work ("author of", "his book,"), so only dates,
        numbers and single-word places are refused (the NER often tags titles as people)."""
        i, j = span
        doc = p.doc
        words = [t.text for t in doc[i:j] if not t.is_punct]
        if len(words) < min_tokens:
            return False
        if len(words) == 1 and (words[0].isupper() and len(words[0]) <= 5):
            return False  # an acronym
        ent = p.ent_covering(i, j)
        if ent is not None and strong:
            if ent.label_ in (
                "DATE",
                "TIME",
                "CARDINAL",
                "ORDINAL",
                "MONEY",
                "PERCENT",
                "QUANTITY",
            ):
                return False
            return not (len(words) == 1 and ent.label_ in ("GPE", "LOC", "NORP", "LANGUAGE"))
        if ent is not None:
            if ent.label_ == "WORK_OF_ART":
                return True
            # the model often tags titles as organisations: keep those without organisation words
            if ent.label_ == "ORG" and len(words) >= 2 and not _ORG_WORDS.search(" ".join(words)):
                return True
            if ent.label_ in _SKIP_ENTS and (
                ent.start == i or doc[i].text not in ("The", "A", "An")
            ):
                return False
            if ent.label_ == "PERSON" and not allow_person:
                return False
        return True

    def _subject_not_title(self, p: _Passage, i: int, j: int) -> bool:
        """'In the novel Smith appears ...': a known person followed by a verb is a subject."""
        doc = p.doc
        words = [t for t in doc[i:j] if not t.is_punct]
        if not words:
            return True
        if len(words) == 1 and words[0].lower_ in self.person_surnames:
            return True
        ent = p.ent_covering(i, j)
        return (
            ent is not None
            and ent.label_ == "PERSON"
            and j < len(doc)
            and doc[j].pos_ in ("VERB", "AUX")
        )

    def _person_near(self, p: _Passage, i: int, j: int, *, after_first: bool = False) -> str | None:
        """Nearest PERSON before token i in its sentence, else the first after token j.

        Tokens [i, j) (the trigger and the title) are never searched."""
        s0, s1 = p.sent_bounds(i)
        s1 = max(s1, p.sent_bounds(min(j, len(p.doc)) - 1)[1]) if j > i else s1
        before = [x for x in p.persons() if s0 <= x[2] and x[3] <= i]
        after = [x for x in p.persons() if x[2] >= j and x[3] <= s1]
        order = (after[:1] + before[-1:]) if after_first else (before[-1:] + after[:1])
        for x in order:
            name = _clean_name(p.text[x[0] : x[1]])
            if name and _NAME_OK.match(name) and not _NOT_NAME.search(name):
                return name
        # the model missed the name: the last run of proper nouns before the trigger
        names = self._propn_names(p, s0, i)
        return names[-1] if names else None

    def _name_before(self, p: _Passage, c: int) -> tuple[int, str] | None:
        """Capitalised name tokens ending at local char c (before a possessive)."""
        k = p.tok_at(max(0, c - 1))
        doc = p.doc
        if k < 0 or k >= len(doc):
            return None
        j = k
        start = k
        while j >= 0 and k - j < 4:
            t = doc[j]
            if (
                t.text[:1].isupper()
                and t.is_alpha
                or (t.text.endswith(".") and t.text[:1].isupper())
            ):
                start = j
            elif t.text == "-" and not t.whitespace_ and j > 0 and not doc[j - 1].whitespace_:
                pass
            else:
                break
            if t.is_sent_start:
                break
            j -= 1
        name = _clean_name(p.text[doc[start].idx : c])
        if not name:
            return None
        # drop a sentence-initial non-name word ("Then Smith's ...")
        if doc[start].is_sent_start and doc[start].pos_ not in ("PROPN",) and len(name.split()) > 1:
            name = " ".join(name.split()[1:])
        return doc[start].idx, name

    def _is_person_name(self, p: _Passage, c0: int, c1: int, name: str) -> bool:
        if not name or not _NAME_OK.match(name) or _NOT_NAME.search(name):
            return False
        i = p.tok_at(c1 - 1)
        ent = p.doc[i].ent_type_
        if ent == "PERSON":
            return True
        if _surname(name) in self.person_surnames:
            return ent not in ("GPE", "LOC", "FAC")
        if ent in ("GPE", "LOC", "FAC", "NORP", "DATE", "EVENT", "LANGUAGE"):
            return False
        # an untagged (or mis-tagged organisation) "Given Surname" of plain name words
        return len(name.split()) >= 2 and all(w[:1].isupper() for w in name.split())

    def _after_title(self, p: _Passage, end: int) -> tuple[list[str], str | None, int]:
        """Author and year written right after a title: "by Name", "(Name, 2001)", "(2001)"."""
        text = p.text
        m = _PAREN_YEAR.match(text, end)
        if m:
            names = [_clean_name(m.group("name"))] if m.group("name") else []
            return [x for x in names if x], m.group("year"), m.end()
        m = _BY.match(text, end)
        if m and not m.group("comma"):
            k = p.tok_starting(m.end())
            if k is not None:
                name = self._name_from(p, k)
                if name:
                    return [name[1]], None, name[0]
        return [], None, end

    def _name_from(self, p: _Passage, k: int) -> tuple[int, str] | None:
        """A person name starting at token k: (end char, name)."""
        doc = p.doc
        for s, e, i, _j in p.persons():
            if i == k:
                name = _clean_name(p.text[s:e])
                return (s + len(name), name) if name else None
        j = k
        while (
            j < len(doc)
            and j - k < 4
            and (doc[j].text[:1].isupper() and (doc[j].is_alpha or doc[j].text.endswith(".")))
        ):
            j += 1
        if j - k >= 2:
            name = _clean_name(p.text[doc[k].idx : doc[j - 1].idx + len(doc[j - 1].text)])
            if _NAME_OK.match(name) and not _NOT_NAME.search(name):
                return doc[k].idx + len(name), name
        return None

    def emit(
        self,
        p: _Passage,
        t,
        rule: str,
        cite_start: int,
        *,
        authors=None,
        year=None,
        subtype=None,
        strong=False,
        confidence=0.0,
    ) -> _Found | None:
        a, b, kind, _span = t
        title = p.text[a:b]
        if not plausible_title(title.strip(" ,.;:")):
            return None
        if (
            PERIODICAL_END.search(title.strip(" ,.;:’'\"”"))
            and kind == "run"
            and rule != "in-his-book"
        ):
            return None
        if _PART_ONLY.match(title.strip(" ,.;:")):
            return None  # "Chapter 7": a part of some work, not a title
        if kind == "run" and self._heading_line(p, a):
            return None  # a title-case headline of the document itself
        more_authors, more_year, after = self._after_title(p, b if kind == "run" else b + 1)
        authors = [x for x in (authors or []) if x] or more_authors
        base = p.base
        f = _Found(
            base + a,
            base + b,
            base + min(cite_start, a),
            base + max(after, b + (0 if kind == "run" else 1)),
            rule,
            authors=authors,
            year=year or more_year,
            subtype=subtype,
            strong=strong,
            confidence=confidence,
        )
        self.add(f)
        return f

    def _heading_line(self, p: _Passage, c: int) -> bool:
        """Is the line holding local char c a heading (short, title case, no final stop)?"""
        text = p.text
        s = text.rfind("\n", 0, c) + 1
        e = text.find("\n", c)
        line = text[s : e if e >= 0 else len(text)].strip(" \t#*_")
        words = line.split()
        if not words or len(words) > 15 or line[-1:] in '.!?"”':
            return False
        return title_case_ratio([w.strip("\"“”‘’'()") for w in words]) >= 0.8

    def scan_passage(self, p: _Passage) -> None:
        text = p.text
        base = p.base
        if not text.strip():
            return
        p._persons = None
        p.persons(self.person_surnames)
        if self.blocked and all(self.is_blocked(base + k) for k in (0, max(0, len(text) - 1))):
            return

        def free(c: int) -> bool:
            return not self.is_blocked(base + c)

        # "his book X", "Osei's signature book X", "her essay “X”", "the novels X and Y"
        for m in _WORK_NOUN.finditer(text):
            if not free(m.start()):
                continue
            noun = m.group("noun")
            d = _DET_BEFORE.search(text, max(0, m.start() - 70), m.start())
            if d is None:
                continue
            plural = noun in _PLURAL and noun not in WORK_NOUNS
            t = self.title_at(p, m.end(), list_mode=plural)
            if t is None:
                continue
            if t[2] == "run":
                i, j = t[3]
                ent = p.ent_covering(i, j)
                if ent is not None and ent.label_ in (
                    "DATE",
                    "TIME",
                    "CARDINAL",
                    "ORDINAL",
                    "MONEY",
                ):
                    continue
                if j - i == 1 and p.doc[i].is_sent_start:
                    continue
                if _PLURAL.get(noun, noun) in WEAK_NOUNS and not (
                    p.doc[i].text in ("The", "A", "An")
                    or any(x.text == ":" for x in p.doc[i:j])
                    or (ent is not None and ent.label_ == "WORK_OF_ART")
                ):
                    continue
                # "his novel Wings is ..." names the novel; "in the novel Smith appears" may not
                possessed = bool(d.group("own")) or re.match(
                    r"(?i)(?:his|her|their|its|my|our|your|whose)\b", d.group()
                )
                if not possessed and self._subject_not_title(p, i, j):
                    continue
            authors = self._owner_or_near(p, d, m.start(), t)
            sub = WORK_NOUNS.get(_PLURAL.get(noun, noun))
            f = self.emit(p, t, "in-his-book", d.start(), authors=authors, subtype=sub, strong=True)
            if plural and f is not None:
                self._list_rest(p, t[1], "in-his-book", d.start(), authors, sub)

        # "his own collection, Stone Psalms, appeared": the title set off by commas
        for m in _WORK_NOUN_APPOS.finditer(text):
            if not free(m.start()):
                continue
            d = _DET_BEFORE.search(text, max(0, m.start() - 70), m.start())
            if (
                d is None
                or not d.group("own")
                and not re.search(r"\b(?i:his|her|their|its|the|a|an)\b", d.group())
            ):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            after = t[1] + (0 if t[2] == "run" else 1)
            if not re.match(r"[”\"’']?\s*[,)]", text[after : after + 3]):
                continue
            if t[2] == "run" and not self._run_ok(p, t[3], strong=True):
                continue
            authors = self._owner_or_near(p, d, m.start(), t)
            noun = m.group("noun")
            self.emit(
                p,
                t,
                "in-his-book",
                d.start(),
                authors=authors,
                subtype=WORK_NOUNS.get(_PLURAL.get(noun, noun)),
                confidence=0.75,
            )

        # "Peter Brandt, author of Waterfront Law"
        for m in _AUTHOR_OF.finditer(text):
            if not free(m.start()):
                continue
            t = self.title_at(p, m.end())
            if t is None or (t[2] == "run" and not self._run_ok(p, t[3], strong=True)):
                continue
            k = p.tok_at(m.start())
            who = self._person_near(p, k, p.tok_at(t[1] - 1) + 1)
            self.emit(p, t, "author-of", m.start(), authors=[who] if who else [])

        # "she published “Title”", "he directed The Long Night"
        for m in _VERB_TITLE.finditer(text):
            if not free(m.start()):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            if t[2] == "run":
                i, j = t[3]
                if (
                    p.doc[i].text not in ("The", "A", "An")
                    or j - i < 2
                    or not self._run_ok(p, (i, j))
                ):
                    continue
            k = p.tok_at(m.start())
            who = self._person_near(p, k, p.tok_at(t[1] - 1) + 1)
            self.emit(p, t, "verb-title", m.start(), authors=[who] if who else [])

        # "Varga's The Amber Throne", "Name's 'Title'"
        for m in _POSSESSIVE.finditer(text):
            if not free(m.start()):
                continue
            own_end = m.start() + len(m.group("own"))
            nb = self._name_before(p, own_end)
            if nb is None or not self._is_person_name(p, nb[0], own_end, nb[1]):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            if t[2] == "run":
                i, j = t[3]
                first = p.doc[i].text
                ent = p.ent_covering(i, j)
                has_colon = any(x.text == ":" for x in p.doc[i:j])
                if not (
                    first in ("The", "A", "An")
                    or has_colon
                    or (ent is not None and ent.label_ == "WORK_OF_ART")
                ):
                    continue
                if first not in ("The", "A", "An") and not self._run_ok(p, (i, j)):
                    continue
            self.emit(p, t, "inline-possessive", nb[0], authors=[nb[1]])

        # "says Name in Title", "recounts in Title", "appears in Title"
        for m in _VERB_IN.finditer(text):
            if not free(m.start()):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            if t[2] == "run" and not self._run_ok(p, t[3], min_tokens=2):
                continue
            k = p.tok_at(m.start())
            name = _clean_name(m.group("name") or "")
            authors = [name] if name and _NAME_OK.match(name) and len(name.split()) >= 2 else []
            if not authors:
                who = self._person_near(p, k, p.tok_at(t[1] - 1) + 1)
                authors = [who] if who else []
            self.emit(p, t, "verb-in-title", m.start(), authors=authors)

        # "In Title, Name argues ..."
        for m in _IN_TITLE_COMMA.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_starting(m.start())
            if k is None or not (p.doc[k].is_sent_start or k == 0):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            a, b, kind, span = t
            after = b + (0 if kind == "run" else 1)
            if not re.match(r"[”\"’']?\s*,\s+", text[after : after + 4]):
                continue
            if kind == "run" and not self._run_ok(p, span, min_tokens=2):
                continue
            comma = text.index(",", after)
            kk = p.tok_at(comma) + 1
            who = None
            for s, e, i, _j in p.persons():
                if kk <= i <= kk + 5:
                    who = _clean_name(p.text[s:e])
                    break
            if not who:
                continue
            self.emit(p, t, "in-title-comma-name", m.start(), authors=[who])

        # "(Name, Title)", "(Name, “Title” (Alt), 1914 / Name, untitled poster, 1933)"
        for m in _NAME_COMMA.finditer(text):
            if not free(m.start()):
                continue
            name = _clean_name(m.group("name"))
            s0, s1 = m.start("name"), m.end("name")
            if not (len(name.split()) >= 2 or p.doc[p.tok_at(s1 - 1)].ent_type_ == "PERSON"):
                continue
            if not self._is_person_name(p, s0, s1, name):
                continue
            um = _UNTITLED.match(text, m.end())
            if um:
                t = (um.start(), um.end(), "plain", None)
                sub = {"photo": "Photograph"}.get(um.group("noun"), um.group("noun").capitalize())
            else:
                t = self.title_at(p, m.end())
                sub = None
                if t is None:
                    continue
                if t[2] == "run" and not self._run_ok(p, t[3], allow_person=False):
                    continue
            a, b, kind, _span = t
            after = b + (1 if kind in ("quoted",) else 0)
            rest = text[after : after + 80]
            alias = None
            am = re.match(r"\s*\((?P<alt>[A-Z][^()]{1,80})\)", rest)
            if am:
                alias = am.group("alt").strip()
                rest = rest[am.end() :]
            if not re.match(r"\s*(?:[),;/]|$)", rest):
                continue
            ym = re.match(r"\s*,\s*(?P<y>1[5-9]\d\d|20\d\d)\b", rest)
            f = self.emit(
                p,
                t,
                "name-comma-title",
                s0,
                authors=[name],
                year=ym.group("y") if ym else None,
                subtype=sub,
            )
            if f is not None and alias:
                f.aliases.append(alias)

        # "Title by Name"
        for m in _BY.finditer(text):
            if m.group("comma") or not free(m.start()):
                continue
            k = p.tok_starting(m.end())
            if k is None:
                continue
            who = self._name_from(p, k)
            if who is None or not self._is_person_name(p, p.doc[k].idx, who[0], who[1]):
                continue
            t = self._title_ending(p, m.start())
            if t is None:
                continue
            if t[2] == "run":
                i, j = t[3]
                if j - i < 2 and not (
                    p.ent_covering(i, j) is not None
                    and p.ent_covering(i, j).label_ == "WORK_OF_ART"
                ):
                    continue
                if not self._run_ok(p, (i, j)):
                    continue
                if (
                    i > 0
                    and p.doc[i - 1].lower_ in ("the", "a", "an")
                    and p.doc[i - 1].text.islower()
                ):
                    continue
            f = self.emit(p, t, "title-by-author", t[0], authors=[who[1]])
            if f is not None:
                f.cite_end = max(f.cite_end, base + who[0])

        # "Title (Name, 2001)", "“Title” (2001)"
        for m in _PAREN_YEAR.finditer(text):
            if not free(m.start()):
                continue
            t = self._title_ending(p, m.start())
            if t is None:
                continue
            if t[2] == "run":
                i, j = t[3]
                if not m.group("name") and not (
                    p.ent_covering(i, j) is not None
                    and p.ent_covering(i, j).label_ == "WORK_OF_ART"
                ):
                    continue
                if j - i < 2 or not self._run_ok(p, (i, j)):
                    continue
                if i > 0 and p.doc[i - 1].text in ("the", "a", "an"):
                    continue
            name = _clean_name(m.group("name") or "")
            if name and not _NAME_OK.match(name):
                continue
            role = m.group("role") or ""
            self.emit(
                p,
                t,
                "title-paren-author-year",
                t[0],
                authors=[name] if name else [],
                year=m.group("year"),
                subtype="Movie" if role.startswith("dir") else None,
            )

        # "Chapter 7: Title"
        for m in _CHAPTER.finditer(text):
            if not free(m.start()):
                continue
            t = self.title_at(p, m.end())
            if t is None:
                continue
            f = self.emit(p, t, "chapter", m.start(), subtype="Chapter", strong=True)
            if f is not None:
                f.aliases.append(" ".join(self.text[base + m.start() : f.end].split()))

        # "a gallery, entitled “X”", "an essay called “X”"
        for rx in (_ENTITLED, _CALLED):
            for m in rx.finditer(text):
                if not free(m.start()):
                    continue
                t = self.title_at(p, m.end())
                if t is None or (t[2] == "run" and not self._run_ok(p, t[3], min_tokens=2)):
                    continue
                k = p.tok_at(m.start())
                who = self._person_near(p, k, p.tok_at(t[1] - 1) + 1)
                self.emit(p, t, "quoted-title", m.start(), authors=[who] if who else [])

        # "whose other works include X and Y"
        for m in _LIST.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_at(m.start())
            who = self._person_near(p, k, k + 1)
            authors = [who] if who else []
            t = self.title_at(p, m.end(), list_mode=True)
            if t is None:
                continue
            if self.emit(p, t, "title-list", m.start(), authors=authors) is not None:
                self._list_rest(p, t[1], "title-list", m.start(), authors, None)

        # "have each written one (X and Y, respectively)"
        for m in _RESPECTIVELY.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_at(m.start())
            s0, _s1 = p.sent_bounds(k)
            before = text[p.doc[s0].idx : m.start()]
            if not _WORK_CONTEXT.search(before):
                continue
            items = self._list_items(p, m.end(), stop=text.find("respectively", m.end()))
            if not items:
                continue
            people = [
                _clean_name(p.text[s:e])
                for s, e, i, _j in p.persons()
                if s0 <= i and e <= m.start()
            ]
            people = [x for x in people if x]
            if len(people) < len(items):
                people = self._propn_names(p, s0, p.tok_at(m.start()))
            if len(people) != len(items):
                # "A and B have each written one (X and Y, respectively)": the coordinated names
                found = list(_NAME_LIST.finditer(before))
                if found:
                    nm = found[-1]
                    a = p.doc[s0].idx + nm.start()
                    k = p.tok_starting(a)
                    while (
                        k is not None
                        and k + 1 < len(p.doc)
                        and p.doc[k].pos_ != "PROPN"
                        and p.doc[k + 1].pos_ == "PROPN"
                    ):
                        a = p.doc[k + 1].idx  # "Historians Ola Berg and ...": not a name word
                        k += 1
                    names = text[a : p.doc[s0].idx + nm.end()]
                    listed = [_clean_name(x) for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", names)]
                    if len(listed) == len(items):
                        people = listed
            people = people[-len(items) :]
            for n_item, t in enumerate(items):
                authors = [people[n_item]] if len(people) == len(items) else []
                self.emit(p, t, "title-list", m.start(), authors=authors)

        self._descriptive(p, free)

    def _propn_names(self, p: _Passage, i: int, j: int) -> list[str]:
        """Runs of two or more proper-noun tokens in tokens [i, j): names the NER missed."""
        doc = p.doc
        out: list[str] = []
        k = i
        while k < j:
            if doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
                e = k
                while e + 1 < j and (
                    doc[e + 1].pos_ == "PROPN"
                    or (doc[e + 1].text == "-" and not doc[e].whitespace_)
                ):
                    e += 1
                tagged = {t.ent_type_ for t in doc[k : e + 1]} - {"", "PERSON"}
                if e > k and not tagged:
                    name = _clean_name(p.text[doc[k].idx : doc[e].idx + len(doc[e].text)])
                    if _NAME_OK.match(name) and not _NOT_NAME.search(name):
                        out.append(name)
                k = e + 1
            else:
                k += 1
        return out

    def _title_ending(self, p: _Passage, c: int):
        """A title that ends at local char c (quotes, italics or a capitalised run)."""
        text = p.text
        e = c
        while e > 0 and text[e - 1] in " \t":
            e -= 1
        if e == 0:
            return None
        ch = text[e - 1]
        # italics ending here
        i = bisect_right(self.emph_starts, p.base + e) - 1
        if i >= 0:
            es, ee = self.emph[i]
            if 0 <= (p.base + e) - ee <= 2 and es >= p.base:
                return es - p.base, ee - p.base, "emphasis", None
        if ch in "”\"’'":
            opener = {"”": "“", '"': '"', "’": "‘", "'": "'"}[ch]
            s = text.rfind(opener, max(0, e - 250), e - 1)
            if s < 0 or "\n" in text[s:e]:
                return None
            inner = text[s + 1 : e - 1].strip(" ,.")
            if not inner or not inner[0].isupper():
                return None
            return s + 1, e - 1, "quoted", None
        span = run_backward(p.doc, p.tok_at(e - 1) + 1)
        if span is None:
            return None
        i, j = span
        return p.doc[i].idx, p.doc[j - 1].idx + len(p.doc[j - 1].text), "run", span

    def _list_items(self, p: _Passage, c: int, stop: int):
        items = []
        text = p.text
        pos = c
        while pos < stop and len(items) < 12:
            t = self.title_at(p, pos, list_mode=True)
            if t is None:
                break
            items.append(t)
            after = t[1] + (0 if t[2] == "run" else 1)
            sm = re.match(r"\s*(?:,\s*(?:and\s+|or\s+|&\s+)?|\s(?:and|or|&)\s+)", text[after:stop])
            if not sm:
                break
            pos = after + sm.end()
        return items

    def _owner_or_near(self, p, d, start: int, t) -> list[str]:
        """The author of "X's book T" (the possessor), else the person named near the title."""
        if d.group("own"):
            nb = self._name_before(p, d.start() + len(d.group("own")))
            if nb and self._is_person_name(p, nb[0], d.start() + len(d.group("own")), nb[1]):
                return [nb[1]]
        who = self._person_near(p, p.tok_at(start), p.tok_at(t[1] - 1) + 1)
        return [who] if who else []

    def _list_rest(self, p: _Passage, end: int, rule: str, cite: int, authors, sub) -> None:
        text = p.text
        sm = re.match(r"[”\"’']?\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)", text[end:])
        if not sm:
            return
        stop = len(text)
        punct = re.search(r"[.;:—–)(]", text[end + sm.end() :])
        if punct:
            stop = end + sm.end() + punct.start() + 1
        for t in self._list_items(p, end + sm.end(), stop):
            if t[2] == "run" and not self._run_ok(p, t[3], allow_person=True):
                continue
            self.emit(p, t, rule, cite, authors=authors, subtype=sub)

    def _descriptive(self, p: _Passage, free) -> None:
        text = p.text
        base = p.base
        # "Marin's last message"
        for m in _POSS_DESC.finditer(text):
            if not free(m.start()):
                continue
            own_end = m.start() + len(m.group("own"))
            nb = self._name_before(p, own_end)
            if nb is None or not self._is_person_name(p, nb[0], own_end, nb[1]):
                continue
            mods = m.group("mods").split()
            if any(w in ("own", "other", "many", "several", "few", "various") for w in mods):
                continue
            sub = (
                "Message"
                if m.group("noun") in ("letter", "letters", "message", "telegram")
                else ("Book" if m.group("noun").startswith(("memoir", "autobiography")) else None)
            )
            # the span is the noun phrase only, so that the owner stays a person mention
            title = " ".join(self.plain[base + nb[0] : base + m.end()].split())
            self.add(
                _Found(
                    base + m.start("mods") if mods else base + m.start("noun"),
                    base + m.end(),
                    base + nb[0],
                    base + m.end(),
                    "descriptive",
                    authors=[nb[1]],
                    subtype=sub,
                    title=title,
                )
            )
        # "recalls in his memoirs" -> "Name's memoirs"
        for m in _IN_HIS_MEMOIRS.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_at(m.start())
            starts_sentence = p.doc[k].is_sent_start
            who = self._person_near(p, k, k + 3, after_first=starts_sentence)
            if not who:
                continue
            noun = m.group("noun")
            sub = "Book" if noun.startswith(("memoir", "autobiography")) else None
            self._add_noun_work(m, base, who, f"{who}'s {noun}", sub)
        # "Name wrote his own impassioned letter to Name2"
        for m in _LETTER_TO.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_at(m.start())
            s0, _ = p.sent_bounds(k)
            who = None
            for s, e, i, _j in reversed(p.persons()):
                if s0 <= i and e <= m.start():
                    who = _clean_name(p.text[s:e])
                    break
            to = _clean_name(m.group("to"))
            if not who or not to:
                continue
            self._add_noun_work(m, base, who, f"{who}'s {m.group('noun')} to {to}", "Message")
        # "a 1936 interview with the American journalist Name"
        for m in _INTERVIEW.finditer(text):
            if not free(m.start()):
                continue
            k = p.tok_starting(m.end())
            if k is None:
                continue
            for s, e, i, _j in p.persons():
                if k <= i <= k + 4 and e - m.end() < 60:
                    name = _clean_name(p.text[s:e])
                    if not name:
                        break
                    year = m.group("year")
                    title = f"{year + ' ' if year else ''}interview with {name}"
                    start = (
                        m.start("year") if year else text.rindex("interview", m.start(), m.end())
                    )
                    noun_end = text.rindex("interview", m.start(), m.end()) + len("interview")
                    self.add(
                        _Found(
                            base + start,
                            base + noun_end,
                            base + m.start(),
                            base + e,
                            "descriptive",
                            authors=[name],
                            title=title,
                            year=year,
                        )
                    )
                    break
        # "the editorial in question was written by Name"
        for m in _WRITTEN_BY.finditer(text):
            if not free(m.start()):
                continue
            name = _clean_name(m.group("name"))
            if not name or not _NAME_OK.match(name) or _NOT_NAME.search(name):
                continue
            self._add_noun_work(m, base, name, f"{name}'s {m.group('noun')}")
        # legislation
        for rx in (_CODE_OF_YEAR, _LAWS_IN_YEAR, _ARTICLE_OF):
            for m in rx.finditer(text):
                if not free(m.start()):
                    continue
                y = m.groupdict().get("y")
                self.add(
                    _Found(
                        base + m.start("t"),
                        base + (m.end() if rx is _CODE_OF_YEAR else m.end("t")),
                        base + m.start(),
                        base + m.end(),
                        "legislation",
                        year=y,
                        subtype="Legislation",
                        title=None if rx is not _LAWS_IN_YEAR else m.group("t"),
                    )
                )
        for m in _ACT.finditer(text):
            if not free(m.start()):
                continue
            t = m.group("t")
            words = t.split()
            k = p.tok_starting(m.start("t"))
            if (
                k is not None
                and p.doc[k].is_sent_start
                and words[0] in ("The", "A", "In", "By", "Under")
            ):
                t = " ".join(words[1:])
                if len(t.split()) < 2:
                    continue
                off = m.group("t").index(t)
            else:
                off = 0
            self.add(
                _Found(
                    base + m.start("t") + off,
                    base + m.end("t"),
                    base + m.start(),
                    base + m.end(),
                    "legislation",
                    year=m.group("y"),
                    subtype="Legislation",
                )
            )

    # -- 3. italics -----------------------------------------------------------------------
    def scan_emphasis(self) -> None:
        taken = sorted((f.start, f.end) for f in self.found)
        starts = [s for s, _ in taken]
        for s, e in self.emph:
            if self.is_blocked(s):
                continue
            i = bisect_right(starts, e) - 1
            if i >= 0 and taken[i][1] > s:
                continue  # already a title (or inside one)
            a, b = span_text(self.text, s, e)
            title = self.plain[a:b]
            words = title.split()
            if (
                not words
                or len(words) > 15
                or not (words[0][:1].isupper() or words[0][:1].isdigit())
            ):
                continue
            if title_case_ratio(words) < 0.75 or title.endswith((".", "!")) and len(words) > 3:
                continue
            before = self.plain[max(0, a - 60) : a]
            trigger = bool(re.search(rf"\b(?:{_NOUN_ALT})\s*,?\s*$|['’]s\s*$|\bin\s*$", before))
            if all(w.lower() in FUNCTION_WORDS for w in words):
                continue
            if not trigger:
                if PERIODICAL_END.search(title.rstrip("?!")):
                    continue  # a newspaper or magazine named as such
                if len(words) == 1:
                    # a lone italic word mid-sentence (not "*Never* again", not "*USSR*")
                    lead = before.rstrip(' \t"“‘(')
                    if (
                        not lead
                        or lead[-1] in ".!?:\n"
                        or len(title) < 3
                        or title.isupper()
                        or not title[1:].islower()
                    ):
                        continue
                p = self._passage_at(a)
                if p is not None:
                    i = p.tok_starting(a - p.base)
                    k = p.tok_at(b - 1 - p.base)
                    if i is not None:
                        ent = p.ent_covering(i, k + 1)
                        if ent is not None and ent.label_ in _SKIP_ENTS:
                            continue
                        if ent is not None and ent.label_ == "PERSON" and len(words) <= 3:
                            continue
            self.add(
                _Found(
                    a,
                    b,
                    max(0, a - len(before) + before.rfind(" ") + 1) if trigger else a,
                    b,
                    "emphasis-title",
                    confidence=0.8 if trigger else (0.6 if len(words) > 1 else 0.5),
                )
            )

    def _passage_at(self, pos: int) -> _Passage | None:
        i = bisect_right(self._pbases, pos) - 1
        if i >= 0 and pos < self.passages[i].base + len(self.passages[i].text):
            return self.passages[i]
        return None

    def _full_names(self) -> dict[str, str]:
        """'Okafor' / 'A. Okafor' -> 'Ada Okafor' when the document names one such person."""
        fulls: dict[str, set[str]] = {}
        for p in self.passages:
            for s, e, i, j in p.persons():
                if j - i < 2:
                    continue
                name = _clean_name(p.text[s:e])
                words = name.split()
                if (
                    len(words) >= 2
                    and "." not in words[0]
                    and _NAME_OK.match(name)
                    and not _NOT_NAME.search(name)
                ):
                    fulls.setdefault(words[-1].casefold(), set()).add(name)
        for f in self.found:  # full names written in reference entries and notes
            if f.strong:
                for a in f.authors:
                    words = a.split()
                    if len(words) >= 2 and "." not in words[0] and _NAME_OK.match(a):
                        fulls.setdefault(words[-1].casefold(), set()).add(a)
        out: dict[str, str] = {}
        for f in self.found:
            for a in f.authors:
                words = a.split()
                cands = fulls.get(words[-1].casefold(), set()) if words else set()
                if len(cands) != 1 or a in cands:
                    continue
                (cand,) = cands
                if len(words) == 1 or (
                    all(w.endswith(".") for w in words[:-1])
                    and cand[0].casefold() == a[0].casefold()
                ):
                    out[a] = cand
        return out

    def _note_authors(self, groups: dict[str, list[_Found]]) -> None:
        """A note without author cites the person named just before its marker in the body:
        'Okafor (who noted3 that ...)' + '3. "Title," 1951' -> Okafor wrote Title."""
        notes = [f for fs in groups.values() for f in fs if f.rule == "footnote" and not f.authors]
        if not notes:
            return
        for f in notes:
            line = self.text[f.cite_start : f.cite_end]
            nm = re.match(r"\s*\(?(\d{1,3})[.)]", line)
            if not nm:
                continue
            num = nm.group(1)
            marker = re.compile(rf"(?<=[a-z’”\"),.]){num}(?=[\s,.;:)”\"’]|$)")
            m = marker.search(self.text, 0, f.cite_start)
            if m is None or self.is_blocked(m.start()):
                continue
            p = self._passage_at(m.start())
            if p is None:
                continue
            k = p.tok_at(m.start() - p.base)
            s0, _ = p.sent_bounds(k)
            for s, e, i, _j in reversed(p.persons()):
                if s0 <= i and e <= m.start() - p.base and m.start() - p.base - e <= 60:
                    name = _clean_name(p.text[s:e])
                    if name and _NAME_OK.match(name):
                        f.authors = [name]
                    break

    def _first_line_title(self) -> str | None:
        """The opening line when it reads as a title (short, no sentence punctuation)."""
        for line in self.plain[:400].split("\n"):
            line = line.strip(" #*_\t")
            if not line:
                continue
            if (
                len(line.split()) <= 15
                and not re.search(r"[.!?]$", line)
                and not _HEADING.match(line)
            ):
                return line
            return None
        return None

    # -- merging --------------------------------------------------------------------------
    def finish(self) -> list[WorkMention]:
        found = self.found
        # one candidate per span: the most confident
        best: dict[tuple[int, int], _Found] = {}
        for f in found:
            key = (f.start, f.end)
            old = best.get(key)
            if old is None or f.confidence > old.confidence:
                if old is not None:
                    f.authors = f.authors or old.authors
                    f.year = f.year or old.year
                    f.subtype = f.subtype or old.subtype
                    f.is_subject = f.is_subject or old.is_subject
                    f.aliases = f.aliases or old.aliases
                best[key] = f
            else:
                old.authors = old.authors or f.authors
                old.year = old.year or f.year
                old.subtype = old.subtype or f.subtype
                old.aliases = old.aliases or f.aliases
        cands = sorted(best.values(), key=lambda f: (f.start, -(f.end - f.start)))
        # drop candidates nested in a stronger one (a run inside a reference title, ...)
        kept: list[_Found] = []
        for f in cands:
            if (
                kept
                and kept[-1].start <= f.start
                and f.end <= kept[-1].end
                and (kept[-1].start, kept[-1].end) != (f.start, f.end)
            ):
                outer = kept[-1]
                if outer.confidence >= f.confidence or outer.strong:
                    outer.authors = outer.authors or f.authors
                    continue
            kept.append(f)
        for f in kept:
            if f.title is None:
                f.title = " ".join(self.plain[f.start : f.end].split())
            f.title = f.title.strip(" ,;:")
        author_names = {_fold(a) for f in kept for a in f.authors}
        kept = [
            f
            for f in kept
            if f.strong
            or f.rule.startswith(("reference", "footnote"))
            or (_fold(f.title) not in author_names and not PUBLISHER_END.search(f.title))
        ]
        kept = [f for f in kept if plausible_title(f.title)]

        # groups: same folded title; short title = pre-colon part of one compatible full title
        groups: dict[str, list[_Found]] = {}
        for f in kept:
            groups.setdefault(_fold(f.title), []).append(f)
        full_by_short: dict[str, list[str]] = {}
        for key in groups:
            if ":" in key:
                full_by_short.setdefault(key.split(":", 1)[0].strip(), []).append(key)
        for short in list(groups):
            fulls = full_by_short.get(short)
            if not fulls or short not in groups:
                continue
            mine = {_surname(a) for f in groups[short] for a in f.authors}
            ok = []
            for full in fulls:
                theirs = {_surname(a) for f in groups[full] for a in f.authors}
                if not mine or not theirs or mine & theirs:
                    ok.append(full)
            if len(ok) == 1:
                groups[ok[0]].extend(groups.pop(short))

        # verbatim repeats of known multi-word titles (and their short forms)
        covered = sorted((f.start, f.end) for fs in groups.values() for f in fs)
        cov_starts = [s for s, _ in covered]
        for fs in list(groups.values()):
            forms = {f.title for f in fs if f.rule != "descriptive" and f.rule != "legislation"}
            for form in list(forms):
                if ":" in form:
                    pre = form.split(":", 1)[0].strip()
                    if pre in forms or _fold(pre) not in groups:
                        forms.add(pre)
            for form in forms:
                if len(form.split()) < 2 or form.islower() or len(form) > 200:
                    continue
                if _fold(form) in author_names:
                    continue
                for m in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", self.plain):
                    s, e = m.start(), m.end()
                    i = bisect_right(cov_starts, e) - 1
                    if (i >= 0 and covered[i][1] > s) or self.is_blocked(s):
                        continue
                    ref = fs[0]
                    fs.append(
                        _Found(
                            s,
                            e,
                            s,
                            e,
                            "known-title",
                            authors=list(ref.authors),
                            year=ref.year,
                            subtype=ref.subtype,
                            title=form,
                            confidence=min(_CONF["known-title"], ref.confidence),
                        )
                    )

        self._note_authors(groups)
        full = self._full_names()
        for fs in groups.values():
            for f in fs:
                f.authors = [full.get(a, a) for a in f.authors]
        doc_title = _fold(self.document.title or self._first_line_title() or "")
        out: list[WorkMention] = []
        for fs in groups.values():
            display = max((f.title for f in fs), key=lambda t: (len(t), ":" in t))
            authors = _merge_authors([f.authors for f in sorted(fs, key=lambda f: -f.confidence)])
            year = next((f.year for f in sorted(fs, key=lambda f: -f.confidence) if f.year), None)
            subtype = next(
                (f.subtype for f in sorted(fs, key=lambda f: -f.confidence) if f.subtype), None
            )
            publisher = next((f.publisher for f in fs if f.publisher), None)
            subject = any(f.is_subject for f in fs) or bool(
                doc_title
                and len(display.split()) >= 2
                and _fold(display.split(":")[0]) in doc_title
            )
            aliases = sorted(
                {f.title for f in fs if f.title != display} | {a for f in fs for a in f.aliases}
            )
            for f in sorted(fs, key=lambda f: f.start):
                out.append(
                    WorkMention(
                        title=display,
                        start=f.start,
                        end=f.end,
                        cite_start=f.cite_start,
                        cite_end=f.cite_end,
                        authors=list(authors),
                        year=year,
                        subtype=subtype,
                        publisher=publisher,
                        rule=f.rule,
                        confidence=round(max(f.confidence, 0.0), 3),
                        is_subject=subject,
                        aliases=aliases,
                    )
                )
        out.sort(key=lambda w: (w.start, w.end))
        return out


def find_works(document, passages) -> list[WorkMention]:
    """Works a document cites, one mention per occurrence, display titles shared per work.

    `passages` are (base offset in document.text, spaCy Doc of document.nlp_text[base:...]).
    """
    finder = _Finder(document, passages)
    finder.scan_lines()
    for p in finder.passages:
        finder.scan_passage(p)
    finder.scan_emphasis()
    return finder.finish()


__all__ = ["WORK_NOUNS", "WorkMention", "find_works", "split_name_list"]
