"""A trained reference-string parser: a CRF labels each token of a bibliography entry.

Runtime only (no training code): `tag_reference(text)` gives the fields as character spans,
`parse_reference(text)` a `ParsedReference`. Tokens, features and Viterbi decoding are all
linear in the length of the string; strings longer than `MAX_CHARS` are cut to that length.
The model (`models/references.crfsuite`, see `models/MODEL_CARD-references.md`) loads lazily once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MAX_CHARS = 2000
MODEL_PATH = Path(__file__).with_name("models") / "references.crfsuite"

# URL and DOI first (kept whole), then letter/digit runs joined by inner - – . ' ’, then any mark.
_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:)\]]"
    r"|10\.\d{4,9}/[^\s<>\"]*[^\s<>\".,;:)\]]"
    r"|[^\W_]+(?:[-–‐'’.][^\W_]+)*"
    r"|\S"
)
_YEAR = re.compile(r"(?:1[5-9]\d\d|20\d\d)[a-z]?")
_RANGE = re.compile(r"[a-z]?\d+[-–‐][a-z]?\d+", re.I)
_ROMAN = re.compile(r"[ivxlcdm]+", re.I)
_DIGITS = re.compile(r"\d+")

# fmt: off
_DICT: dict[str, str] = {
    **dict.fromkeys(("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may",
                     "jun", "june", "jul", "july", "aug", "august", "sep", "sept", "september",
                     "oct", "october", "nov", "november", "dec", "december", "spring", "summer",
                     "autumn", "fall", "winter", "janvier", "février", "mars", "avril", "mai",
                     "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
                     "januar", "februar", "märz", "juni", "juli", "oktober", "dezember"), "month"),
    **dict.fromkeys(("p", "pp", "pages", "page", "s", "ss", "seiten"), "pp"),
    **dict.fromkeys(("vol", "vols", "volume", "bd", "band", "tome", "t"), "vol"),
    **dict.fromkeys(("no", "nr", "num", "issue", "iss", "n", "heft"), "no"),
    **dict.fromkeys(("ed", "eds", "editor", "editors", "edited", "hrsg", "hg", "dir", "éd",
                     "éds", "coord", "comp"), "ed"),
    **dict.fromkeys(("edn", "edition", "éd", "aufl", "auflage", "rev"), "edn"),
    **dict.fromkeys(("trans", "translated", "transl", "tr", "übers", "trad"), "trans"),
    **dict.fromkeys(("doi", "https", "http", "www", "url", "available", "retrieved", "accessed",
                     "online", "viewed", "isbn", "issn", "pmid", "arxiv"), "web"),
    **dict.fromkeys(("in", "dans", "im", "en"), "in"),
    **dict.fromkeys(("and", "&", "und", "et", "y", "e"), "and"),
    **dict.fromkeys(("al", "others"), "al"),
    **dict.fromkeys(("press", "verlag", "publishers", "publisher", "publishing", "books", "éditions",
                     "editions", "university", "univ", "inc", "ltd", "co", "gmbh", "sons",
                     "company", "presses", "editora", "editorial", "institute", "wiley",
                     "springer", "elsevier", "routledge", "sage"), "pub"),
    **dict.fromkeys(("journal", "j", "proceedings", "proc", "review", "rev", "transactions",
                     "trans", "annals", "ann", "bulletin", "bull", "quarterly", "letters", "lett",
                     "acta", "conference", "conf", "symposium", "workshop", "magazine",
                     "zeitschrift", "revue", "rivista", "international", "int", "am", "res",
                     "sci", "med"), "jour"),
    **dict.fromkeys(("thesis", "dissertation", "phd", "report", "paper", "working", "film",
                     "unpublished", "manuscript", "preprint", "technical"), "genre"),
}
# fmt: on
_OPEN = {"(": "(", "[": "[", "“": "q", '"': "q", "«": "q", "„": "q", "‘": "q"}
_CLOSE = {")": "(", "]": "[", "”": "q", "»": "q", "’": "q"}


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each word, number, URL, DOI or punctuation mark; linear time."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(w: str) -> str:
    out = []
    for c in w[:10]:
        out.append("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c)
    return "".join(out)


def _short_shape(shape: str) -> str:
    out: list[str] = []
    for c in shape:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _caps(w: str) -> str:
    if not w[0].isalnum():
        return "punct"
    if w.isdigit():
        return "digit"
    if w.isupper():
        return "upper" if len(w) > 1 else "single"
    if w[0].isupper():
        return "title"
    return "lower" if w.islower() else "mixed"


@lru_cache(maxsize=50_000)
def _own(w: str) -> tuple[str, ...]:
    """Features of one token by itself (cached: most tokens of a reference list repeat)."""
    lw = w.lower()
    ss = _short_shape(_shape(w))
    f = ["w=" + lw, "ss=" + ss, "cap=" + _caps(w)]
    if w[0].isalnum():
        f += ["p2=" + lw[:2], "p3=" + lw[:3], "s2=" + lw[-2:], "s3=" + lw[-3:]]
        f.append("len=" + str(min(len(w), 8)))
    else:
        f.append("punct")
    key = lw.rstrip(".")
    if key in _DICT:
        f.append("dict=" + _DICT[key])
    if _YEAR.fullmatch(w):
        f.append("year")
    elif w.isdigit():
        f.append("num")
    elif _RANGE.fullmatch(w):
        f.append("range")
    elif len(w) <= 6 and _ROMAN.fullmatch(w) and w.upper() == w:
        f.append("roman")
    if len(w) <= 3 and w.isalpha() and w.isupper():
        f.append("initial")
    if w.startswith(("http", "www.")):
        f.append("url")
    elif w.startswith("10.") and "/" in w:
        f.append("doi")
    return tuple(f)


@lru_cache(maxsize=50_000)
def _around(w: str) -> tuple[tuple[str, ...], ...]:
    """What a token tells its neighbours at offsets -2, -1, +1, +2 (word and shape; the
    capitalisation too for the nearest)."""
    word, ss, cap = _own(w)[:3]
    return (
        ("-2:" + word, "-2:" + ss),
        ("-1:" + word, "-1:" + ss, "-1:" + cap),
        ("+1:" + word, "+1:" + ss, "+1:" + cap),
        ("+2:" + word, "+2:" + ss),
    )


_EDGES = (("-2:edge",), ("-1:edge",), ("+1:edge",), ("+2:edge",))


def features(tokens: list[str]) -> list[list[str]]:
    """Per-token feature strings: the token, layout so far, position, neighbours within ±2."""
    n = len(tokens)
    around = [_around(w) for w in tokens]
    shapes = [_own(w)[1][3:] for w in tokens]
    out: list[list[str]] = []
    depth: dict[str, int] = {"(": 0, "[": 0, "q": 0}
    periods = commas = 0
    year_seen = False
    last_punct = "none"
    for i, w in enumerate(tokens):
        own = _own(w)
        f = [*own, f"pos={10 * i // n}", f"seg={min(periods, 6)}", f"com={min(commas, 8)}"]
        f.append("after=" + last_punct)
        if year_seen:
            f.append("yearseen")
        if depth["("]:
            f.append("in(")
        if depth["["]:
            f.append("in[")
        if depth["q"]:
            f.append("inq")
        nxt = tokens[i + 1] if i + 1 < n else ""
        if nxt == "." and "initial" in own:
            f.append("initial.")
        f.append(f"b+1={shapes[i]}|{shapes[i + 1] if nxt else 'edge'}")
        f.append(f"b-1={shapes[i - 1] if i else 'edge'}|{shapes[i]}")
        if "year" in own:
            f.append("year+1=" + nxt)
        for k, j in enumerate((i - 2, i - 1, i + 1, i + 2)):
            f.extend(around[j][k] if 0 <= j < n else _EDGES[k])
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        out.append(f)
        if w in _OPEN and not (w in _CLOSE and depth[_CLOSE[w]] > 0):
            depth[_OPEN[w]] += 1
        elif w in _CLOSE:
            depth[_CLOSE[w]] = max(0, depth[_CLOSE[w]] - 1)
        if w == ".":
            periods += 1
        elif w == ",":
            commas += 1
        if not w[0].isalnum():
            last_punct = w if w in ",.:;()[]" else "q" if w in _OPEN or w in _CLOSE else "other"
        else:
            last_punct = "none"
            year_seen = year_seen or "year" in own
    return out


@lru_cache(maxsize=4)
def _tagger(path: str):
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(path)
    return t


def tag_reference(text: str, model: Path | None = None) -> list[tuple[str, int, int, str]]:
    """(field, start, end, text) for each run of tokens with one label, in reading order."""
    text = text[:MAX_CHARS]
    toks = tokenize(text)
    if not toks:
        return []
    labels = _tagger(str(model or MODEL_PATH)).tag(features([t for t, _, _ in toks]))
    spans: list[tuple[str, int, int, str]] = []
    for (_, a, b), lab in zip(toks, labels, strict=True):
        if spans and spans[-1][0] == lab:
            spans[-1] = (lab, spans[-1][1], b, "")
        else:
            spans.append((lab, a, b, ""))
    return [(lab, a, b, text[a:b]) for lab, a, b, _ in spans]


@dataclass
class ParsedReference:
    """The fields of one reference string; authors and editors as 'Given Surname'."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    year: str | None = None
    container: str | None = None  # journal, or the book a chapter is in
    volume: str | None = None
    pages: str | None = None
    publisher: str | None = None
    location: str | None = None
    doi: str | None = None
    url: str | None = None
    subtype: str | None = None  # schema.org class guessed from the fields present
    title_start: int = 0  # offsets of the title in the string given
    title_end: int = 0
    fields: list[tuple[str, int, int, str]] = field(default_factory=list)


_EDGE = " \t,.;:()[]{}“”\"'‘’«»„/"
_INITIALS = re.compile(r"(?:[A-ZÀ-ÞА-Я](?:[a-zà-ÿ]?\.)?[\s-]*){1,4}")
_VANC_INIT = re.compile(r"[A-ZÀ-ÞА-Я]{1,4}")
_ETAL = re.compile(r",?\s*(?:et\s+al\.?|and\s+others|u\.\s*a\.|&\s*al\.?)\s*$", re.I)
_ROLE = re.compile(
    r"^(?:in:?\s+|edited\s+by\s+|ed\.\s+by\s+|by\s+|hrsg\.\s+v\.\s+|trans\.\s+(?:by\s+)?)|"
    r"\s*[(\[,]?\s*(?:eds?|editors?|hrsg|hg|éds?|dir|coord|trans|comp)s?\.?\s*[)\]]?\s*$",
    re.I,
)
_NAME_SEP = re.compile(r"\s*;\s*|\s*,?\s+(?:and|&|und|et|y)\s+|\s*,\s*", re.I)


def _clean(s: str) -> str:
    return " ".join(s.strip(_EDGE).split())


def _is_initials(piece: str) -> bool:
    return bool(_INITIALS.fullmatch(piece.strip())) or (
        bool(_VANC_INIT.fullmatch(piece.strip())) and len(piece.strip()) <= 3
    )


def _dot(initials: str) -> str:
    """'JJ' -> 'J. J.'; 'C.A' -> 'C. A.'; 'J.-P.' stays."""
    s = initials.strip()
    if "-" in s:
        return s if s.endswith(".") else s + "."
    return " ".join(u + "." for u in re.findall(r"[A-ZÀ-ÞА-Я][a-zà-ÿ]?", s))


def _one_name(piece: str) -> str:
    """'de la Cruz JJ' -> 'J. J. de la Cruz'; 'Heidegger M.' -> 'M. Heidegger'."""
    words = piece.split()
    if len(words) >= 2 and _is_initials(words[-1]) and not _is_initials(words[0]):
        return f"{_dot(words[-1])} {' '.join(words[:-1])}"
    return piece


def split_names(block: str) -> list[str]:
    """Names in an author or editor field, in 'Given Surname' order as far as the text shows."""
    block = _clean(_ROLE.sub("", _clean(block)))
    block = _ETAL.sub("", block)
    pieces = [_clean(p) for p in _NAME_SEP.split(block)]
    pieces = [p for p in pieces if p]
    names: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        inverted_given = nxt is not None and (
            _is_initials(nxt) or (i == 0 and len(nxt.split()) == 1 and len(pieces) == 2)
        )
        if nxt is not None and not _is_initials(p) and inverted_given and len(p.split()) <= 3:
            names.append(f"{_dot(nxt) if _is_initials(nxt) else nxt} {p}")
            i += 2
            continue
        if i == 0 and nxt is not None and len(p.split()) == 1 and len(nxt.split()) == 1:
            after = pieces[i + 2] if i + 2 < len(pieces) else ""
            if len(after.split()) >= 2:  # Chicago: "Surname, Given, and Given Surname"
                names.append(f"{nxt} {p}")
                i += 2
                continue
        names.append(_one_name(p))
        i += 1
    return [n for n in names if any(c.isalpha() for c in n)]


def _subtype(fs: dict[str, str]) -> str | None:
    genre = (fs.get("genre", "") + " " + fs.get("note", "")).lower()
    if re.search(r"thesis|dissertation|these|thèse|diss\.", genre):
        return "Thesis"
    if "report" in genre or "working paper" in genre:
        return "Report"
    if "director" in fs or "producer" in fs or re.search(r"\bfilm\b|motion picture", genre):
        return "Movie"
    if "container-title" in fs and "editor" in fs:
        return "Chapter"
    if "journal" in fs or ("container-title" in fs and ("volume" in fs or "pages" in fs)):
        return "ScholarlyArticle"
    if "container-title" in fs:
        return "Article"
    if "publisher" in fs or "location" in fs or "editor" in fs or "edition" in fs:
        return "Book"
    return None


def parse_reference(text: str, model: Path | None = None) -> ParsedReference:
    """Tag `text` and read the fields: title, names, year, container, numbers, identifiers."""
    spans = tag_reference(text, model)
    first: dict[str, str] = {}
    ref = ParsedReference(fields=spans)
    for lab, a, b, s in spans:
        if lab in first:
            continue
        first[lab] = s
        if lab == "title":
            ref.title_start, ref.title_end = a, b
            while ref.title_start < b and text[ref.title_start] in _EDGE:
                ref.title_start += 1
            while ref.title_end > ref.title_start and text[ref.title_end - 1] in _EDGE:
                ref.title_end -= 1
    ref.title = text[ref.title_start : ref.title_end] if "title" in first else None
    ref.authors = split_names(first.get("author", ""))
    ref.editors = split_names(first.get("editor", ""))
    years = [m.group()[:4] for lab, _, _, s in spans if lab == "date" for m in _YEAR.finditer(s)]
    volume = first.get("volume", "")
    glued = _YEAR.match(volume)
    if not years and glued:  # "2019;12(4):" tagged as one volume field: year, then volume
        years, volume = [glued.group()[:4]], volume[glued.end() :]
    ref.year = years[0] if years else None
    ref.container = _clean(first.get("journal") or first.get("container-title") or "") or None
    ref.container = ref.container and re.sub(
        r"^(?:in|dans|im)\s*:?\s+", "", ref.container, flags=re.I
    )
    vol = _DIGITS.search(volume)
    ref.volume = vol.group() if vol else None
    pages = re.search(r"[a-z]?\d+(?:\s*[-–‐]+\s*[a-z]?\d+)?", first.get("pages", ""), re.I)
    ref.pages = re.sub(r"\s+", "", pages.group()) if pages else None
    ref.publisher = _clean(first.get("publisher", "")) or None
    ref.location = _clean(first.get("location", "")) or None
    doi = re.search(r"10\.\d{4,9}/\S+", first.get("doi", "") or first.get("url", ""))
    ref.doi = doi.group().rstrip(".,;") if doi else None
    url = re.search(r"(?:https?://|www\.)\S+", first.get("url", ""))
    ref.url = url.group().rstrip(".,;") if url else None
    ref.subtype = _subtype(first)
    return ref


__all__ = [
    "MAX_CHARS",
    "MODEL_PATH",
    "ParsedReference",
    "features",
    "parse_reference",
    "split_names",
    "tag_reference",
    "tokenize",
]
