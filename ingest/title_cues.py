"""Titles announced by the words before them in running text.

"his book X", "Osei's first book X", "her essay “X”", "his collection, X, appeared",
"author of X", "she published “X”", "Varga's The Amber Throne", "says Name in X",
"In X, Name argues", "Chapter 7: X", "entitled “X”", "whose works include X and Y".
Each scanner takes the finder, one passage and `free(c)` (local char c is not in a
reference line), and adds what it finds.
"""

from __future__ import annotations

import re

from claimgraph.ingest.authorship import (
    NAME_OK,
    clean_name,
    owner_or_near,
    person_near,
    possessor,
)
from claimgraph.ingest.title_scan import emit, list_rest, run_ok, title_at
from claimgraph.ingest.work_candidates import Finder, Free, ParsedPassage

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
#: Regex alternation of every work noun, singular and plural, longest first.
NOUN_ALT = "|".join(re.escape(n) for n in _ALL_NOUNS)

_TITLE_START = r"(?=[“\"‘'*_A-Z0-9À-ÞĀ-ſ])"

_WORK_NOUN = re.compile(rf"\b(?P<noun>{NOUN_ALT})\s+{_TITLE_START}")
_DET_BEFORE = re.compile(
    r"(?:\b(?i:his|her|their|its|my|our|your|the|a|an|this|that|whose|one|another|new|latest)"
    r"|(?P<own>[A-ZÀ-ÞĀ-ſ][\w\-]*)['’]s?)(?:\s+(?:[a-z][\w\-]*(?:['’]s)?|\d{4}|[A-Z][a-z]+(?=\s+[a-z])))"
    r"{0,3}\s+$"
)
_WORK_NOUN_APPOS = re.compile(rf"\b(?P<noun>{NOUN_ALT}),\s+{_TITLE_START}")
_AUTHOR_OF = re.compile(
    rf"\b(?:author|co-author|editor|translator|director|writer|creator|compiler|illustrator|"
    rf"composer|screenwriter)s?\s+of\s+(?:(?:the|a|an)\s+(?:[a-z\-]+\s+){{0,2}}?(?:{NOUN_ALT})\s+)?"
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
_CHAPTER = re.compile(
    r"\bChapter\s+(?P<num>\d{1,3}|[IVXLC]{1,6}|[A-Z][a-z]+)\s*(?::|\.|,|–|—|-)\s*" + _TITLE_START
)
_ENTITLED = re.compile(r"\b(?:entitled|titled|headlined|subtitled)\s*,?\s+(?=[“\"‘'*_A-Z])")
_CALLED = re.compile(
    rf"\b(?P<noun>{NOUN_ALT}|gallery|exhibition|series|collection)(?:\s+[\w\-]+){{0,3}}?,?\s+(?:called|named)\s+(?=[“\"‘'])"
)
_LIST = re.compile(
    r"\b(?:(?i:other|his|her|their|whose|its)\s+)?(?:works|books|novels|essays|titles|writings|"
    r"publications|films|plays|poems|studies|articles|memoirs|pamphlets|monographs)\s+"
    r"(?:include|includes|included|including|such as|like)\s+" + _TITLE_START
)
_ARTICLES = ("The", "A", "An")


def _subject_not_title(finder: Finder, p: ParsedPassage, i: int, j: int) -> bool:
    """'In the novel Smith appears ...': a known person followed by a verb is a subject."""
    doc = p.doc
    words = [t for t in doc[i:j] if not t.is_punct]
    if not words:
        return True
    if len(words) == 1 and words[0].lower_ in finder.person_surnames:
        return True
    ent = p.ent_covering(i, j)
    return (
        ent is not None
        and ent.label_ == "PERSON"
        and j < len(doc)
        and doc[j].pos_ in ("VERB", "AUX")
    )


def _noun_run_ok(finder: Finder, p: ParsedPassage, span, noun: str, d: re.Match) -> bool:
    """A capitalised run after a work noun ("his novel Wings") is its title."""
    i, j = span
    ent = p.ent_covering(i, j)
    if ent is not None and ent.label_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"):
        return False
    if j - i == 1 and p.doc[i].is_sent_start:
        return False
    if _PLURAL.get(noun, noun) in WEAK_NOUNS and not (
        p.doc[i].text in _ARTICLES
        or any(x.text == ":" for x in p.doc[i:j])
        or (ent is not None and ent.label_ == "WORK_OF_ART")
    ):
        return False
    # "his novel Wings is ..." names the novel; "in the novel Smith appears" may not
    possessed = bool(d.group("own")) or re.match(
        r"(?i)(?:his|her|their|its|my|our|your|whose)\b", d.group()
    )
    return bool(possessed) or not _subject_not_title(finder, p, i, j)


def scan_work_nouns(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after a work noun: "his book X", "Osei's first book X", "her essay “X”",
    "the novels X and Y"."""
    text = p.text
    for m in _WORK_NOUN.finditer(text):
        if not free(m.start()):
            continue
        noun = m.group("noun")
        d = _DET_BEFORE.search(text, max(0, m.start() - 70), m.start())
        if d is None:
            continue
        plural = noun in _PLURAL and noun not in WORK_NOUNS
        t = title_at(finder, p, m.end(), list_mode=plural)
        if t is None:
            continue
        if t[2] == "run" and not _noun_run_ok(finder, p, t[3], noun, d):
            continue
        authors = owner_or_near(p, d, m.start(), t, finder.person_surnames)
        sub = WORK_NOUNS.get(_PLURAL.get(noun, noun))
        f = emit(finder, p, t, "in-his-book", d.start(), authors=authors, subtype=sub, strong=True)
        if plural and f is not None:
            list_rest(finder, p, t[1], "in-his-book", d.start(), authors, sub)


def scan_appositives(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title set off by commas after a work noun: "his collection, Stone Psalms, appeared"."""
    text = p.text
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
        t = title_at(finder, p, m.end())
        if t is None:
            continue
        after = t[1] + (0 if t[2] == "run" else 1)
        if not re.match(r"[”\"’']?\s*[,)]", text[after : after + 3]):
            continue
        if t[2] == "run" and not run_ok(p, t[3], strong=True):
            continue
        authors = owner_or_near(p, d, m.start(), t, finder.person_surnames)
        noun = m.group("noun")
        sub = WORK_NOUNS.get(_PLURAL.get(noun, noun))
        emit(finder, p, t, "in-his-book", d.start(), authors=authors, subtype=sub, confidence=0.75)


def _scan_cue_near_person(
    finder: Finder, p: ParsedPassage, free: Free, rx: re.Pattern, rule: str, run_test
) -> None:
    """A cue right before a title; the author is the person named nearest the cue."""
    for m in rx.finditer(p.text):
        if not free(m.start()):
            continue
        t = title_at(finder, p, m.end())
        if t is None or (t[2] == "run" and not run_test(p, t[3])):
            continue
        k = p.tok_at(m.start())
        who = person_near(p, k, p.tok_at(t[1] - 1) + 1)
        emit(finder, p, t, rule, m.start(), authors=[who] if who else [])


def _verb_run_ok(p: ParsedPassage, span) -> bool:
    """After "published", a run must open with an article and have two words or more."""
    i, j = span
    return p.doc[i].text in _ARTICLES and j - i >= 2 and run_ok(p, (i, j))


def scan_author_of(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after "author of": "Peter Brandt, author of Waterfront Law"."""
    _scan_cue_near_person(
        finder, p, free, _AUTHOR_OF, "author-of", lambda q, s: run_ok(q, s, strong=True)
    )


def scan_verb_titles(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after a verb of making: "she published “Title”", "he directed The Long Night"."""
    _scan_cue_near_person(finder, p, free, _VERB_TITLE, "verb-title", _verb_run_ok)


def scan_entitled(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after "entitled" or "called": "an essay entitled “X”", "a gallery called “X”"."""
    for rx in (_ENTITLED, _CALLED):
        _scan_cue_near_person(
            finder, p, free, rx, "quoted-title", lambda q, s: run_ok(q, s, min_tokens=2)
        )


def scan_possessives(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after its author's possessive: "Varga's The Amber Throne", "Name's 'Title'"."""
    for m in _POSSESSIVE.finditer(p.text):
        if not free(m.start()):
            continue
        nb = possessor(p, m.start() + len(m.group("own")), finder.person_surnames)
        if nb is None:
            continue
        t = title_at(finder, p, m.end())
        if t is None:
            continue
        if t[2] == "run":
            i, j = t[3]
            first = p.doc[i].text
            ent = p.ent_covering(i, j)
            has_colon = any(x.text == ":" for x in p.doc[i:j])
            if not (
                first in _ARTICLES or has_colon or (ent is not None and ent.label_ == "WORK_OF_ART")
            ):
                continue
            if first not in _ARTICLES and not run_ok(p, (i, j)):
                continue
        emit(finder, p, t, "inline-possessive", nb[0], authors=[nb[1]])


def scan_verb_in(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A title after a verb and "in": "says Name in Title", "recounts in Title"."""
    for m in _VERB_IN.finditer(p.text):
        if not free(m.start()):
            continue
        t = title_at(finder, p, m.end())
        if t is None:
            continue
        if t[2] == "run" and not run_ok(p, t[3], min_tokens=2):
            continue
        k = p.tok_at(m.start())
        name = clean_name(m.group("name") or "")
        authors = [name] if name and NAME_OK.match(name) and len(name.split()) >= 2 else []
        if not authors:
            who = person_near(p, k, p.tok_at(t[1] - 1) + 1)
            authors = [who] if who else []
        emit(finder, p, t, "verb-in-title", m.start(), authors=authors)


def scan_in_title_comma(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A sentence opening "In Title, Name argues ..."."""
    text = p.text
    for m in _IN_TITLE_COMMA.finditer(text):
        if not free(m.start()):
            continue
        k = p.tok_starting(m.start())
        if k is None or not (p.doc[k].is_sent_start or k == 0):
            continue
        t = title_at(finder, p, m.end())
        if t is None:
            continue
        _a, b, kind, span = t
        after = b + (0 if kind == "run" else 1)
        if not re.match(r"[”\"’']?\s*,\s+", text[after : after + 4]):
            continue
        if kind == "run" and not run_ok(p, span, min_tokens=2):
            continue
        kk = p.tok_at(text.index(",", after)) + 1
        who = None
        for s, e, i, _j in p.persons():
            if kk <= i <= kk + 5:
                who = clean_name(p.text[s:e])
                break
        if not who:
            continue
        emit(finder, p, t, "in-title-comma-name", m.start(), authors=[who])


def scan_chapters(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A chapter title: "Chapter 7: Title"."""
    for m in _CHAPTER.finditer(p.text):
        if not free(m.start()):
            continue
        t = title_at(finder, p, m.end())
        if t is None:
            continue
        f = emit(finder, p, t, "chapter", m.start(), subtype="Chapter", strong=True)
        if f is not None:
            f.aliases.append(" ".join(finder.text[p.base + m.start() : f.end].split()))


def scan_title_lists(finder: Finder, p: ParsedPassage, free: Free) -> None:
    """A list of titles: "whose other works include X and Y"."""
    for m in _LIST.finditer(p.text):
        if not free(m.start()):
            continue
        k = p.tok_at(m.start())
        who = person_near(p, k, k + 1)
        authors = [who] if who else []
        t = title_at(finder, p, m.end(), list_mode=True)
        if t is None:
            continue
        if emit(finder, p, t, "title-list", m.start(), authors=authors) is not None:
            list_rest(finder, p, t[1], "title-list", m.start(), authors, None)
