"""Works and citations: which books, articles, letters, laws and pictures a document cites.

Three sources of evidence, strongest first:

1. Reference lists and notes (`ingest.reference_lists`, parsed by `ingest.references`):
   lines under a "References" / "Bibliography" / "Further Reading" / "Notes" heading,
   numbered note lines at the end, and lines that are unmistakably APA/Chicago/MLA entries.
   An entry above the body text is the work the document is about (`is_subject`).
2. Prose patterns around a title, read from spaCy tokens (`ingest.title_cues`,
   `ingest.title_credits`, `ingest.italic_titles`): "his book X", "Author's X",
   "X by Author", "X (Author, 2001)", "(Author, X)", "In X, Author ...", "recounts in X",
   "works include X and Y", "his essay “X”", "entitled “X”", italics.
3. Descriptive works that have no title (`ingest.descriptive_works`): "Name's last letter",
   "in his memoirs", "a 1936 interview with Name", "the civil code of 1904", "Article 7".

Mentions of the same work are then merged here (short title = pre-colon part of a full title
of a compatible author), given the longest display title, and every further verbatim
occurrence of a known multi-word title is added as a mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from claimgraph.ingest import descriptive_works, title_credits, title_cues
from claimgraph.ingest.authorship import full_names, merge_authors, surname
from claimgraph.ingest.italic_titles import scan_emphasis
from claimgraph.ingest.reference_lists import HEADING, note_authors, scan_lines
from claimgraph.ingest.references import split_name_list
from claimgraph.ingest.title_cues import WORK_NOUNS
from claimgraph.ingest.titles import PUBLISHER_END, plausible_title
from claimgraph.ingest.work_candidates import CONF, Finder, Found, ParsedPassage


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
    identifiers: list[str] = field(default_factory=list)  # DOI and URL IRIs from its entry


#: Passage scanners in the order they run (earlier candidates win ties when merging).
_PASSAGE_SCANS = (
    title_cues.scan_work_nouns,
    title_cues.scan_appositives,
    title_cues.scan_author_of,
    title_cues.scan_verb_titles,
    title_cues.scan_possessives,
    title_cues.scan_verb_in,
    title_cues.scan_in_title_comma,
    title_credits.scan_name_comma,
    title_credits.scan_title_by,
    title_credits.scan_paren_year,
    title_cues.scan_chapters,
    title_cues.scan_entitled,
    title_cues.scan_title_lists,
    title_credits.scan_respectively,
    descriptive_works.scan_possessed,
    descriptive_works.scan_memoirs,
    descriptive_works.scan_letters_to,
    descriptive_works.scan_interviews,
    descriptive_works.scan_written_by,
    descriptive_works.scan_legislation,
)


def find_works(document, passages, tagger: bool | None = None) -> list[WorkMention]:
    """Works a document cites, one mention per occurrence, display titles shared per work.

    `passages` are (base offset in document.text, spaCy Doc of document.nlp_text[base:...]).
    """
    finder = Finder(document, passages)
    scan_lines(finder, tagger)
    for p in finder.passages:
        _scan_passage(finder, p)
    scan_emphasis(finder)
    return finish(finder)


def _scan_passage(finder: Finder, p: ParsedPassage) -> None:
    """Every prose scanner over one passage, unless it lies wholly in reference lines."""
    text = p.text
    base = p.base
    if not text.strip():
        return
    p.reset_persons(finder.person_surnames)
    if finder.blocked and all(finder.is_blocked(base + k) for k in (0, max(0, len(text) - 1))):
        return

    def free(c: int) -> bool:
        return not finder.is_blocked(base + c)

    for scan in _PASSAGE_SCANS:
        scan(finder, p, free)


def _fold(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(s.casefold().strip(" \"'.,;:*_").split())


def _first_line_title(finder: Finder) -> str | None:
    """The opening line when it reads as a title (short, no sentence punctuation)."""
    for line in finder.plain[:400].split("\n"):
        line = line.strip(" #*_\t")
        if not line:
            continue
        if len(line.split()) <= 15 and not re.search(r"[.!?]$", line) and not HEADING.match(line):
            return line
        return None
    return None


def finish(finder: Finder) -> list[WorkMention]:
    """Merge the candidates into works and return one mention per occurrence, by position."""
    kept = _drop_nested(_best_per_span(finder.found))
    for f in kept:
        if f.title is None:
            f.title = " ".join(finder.plain[f.start : f.end].split())
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
    groups = _group_by_title(kept)
    _add_known_repeats(finder, groups, author_names)
    note_authors(finder, groups)
    full = full_names(finder)
    for fs in groups.values():
        for f in fs:
            f.authors = [full.get(a, a) for a in f.authors]
    return _mentions(finder, groups)


def _best_per_span(found: list[Found]) -> list[Found]:
    """One candidate per span, the most confident, filled in from the others; by position."""
    best: dict[tuple[int, int], Found] = {}
    for f in found:
        key = (f.start, f.end)
        old = best.get(key)
        if old is None or f.confidence > old.confidence:
            if old is not None:
                f.authors = f.authors or old.authors
                f.year = f.year or old.year
                f.subtype = f.subtype or old.subtype
                f.identifiers = f.identifiers or old.identifiers
                f.is_subject = f.is_subject or old.is_subject
                f.aliases = f.aliases or old.aliases
            best[key] = f
        else:
            old.authors = old.authors or f.authors
            old.year = old.year or f.year
            old.subtype = old.subtype or f.subtype
            old.identifiers = old.identifiers or f.identifiers
            old.aliases = old.aliases or f.aliases
    return sorted(best.values(), key=lambda f: (f.start, -(f.end - f.start)))


def _drop_nested(cands: list[Found]) -> list[Found]:
    """Drop candidates nested in a stronger one (a run inside a reference title, ...)."""
    kept: list[Found] = []
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
    return kept


def _group_by_title(kept: list[Found]) -> dict[str, list[Found]]:
    """Groups of one folded title; a short title joins the one compatible full title it opens."""
    groups: dict[str, list[Found]] = {}
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
        mine = {surname(a) for f in groups[short] for a in f.authors}
        ok = []
        for full in fulls:
            theirs = {surname(a) for f in groups[full] for a in f.authors}
            if not mine or not theirs or mine & theirs:
                ok.append(full)
        if len(ok) == 1:
            groups[ok[0]].extend(groups.pop(short))
    return groups


def _repeatable_forms(fs: list[Found], groups: dict[str, list[Found]]) -> set[str]:
    """The titles of one work worth finding again verbatim, with pre-colon short forms."""
    forms = {f.title for f in fs if f.rule != "descriptive" and f.rule != "legislation"}
    for form in list(forms):
        if ":" in form:
            pre = form.split(":", 1)[0].strip()
            if pre in forms or _fold(pre) not in groups:
                forms.add(pre)
    return forms


def _add_known_repeats(
    finder: Finder, groups: dict[str, list[Found]], author_names: set[str]
) -> None:
    """Verbatim repeats of known multi-word titles (and their short forms) are mentions."""
    covered = sorted((f.start, f.end) for fs in groups.values() for f in fs)
    cov_starts = [s for s, _ in covered]
    for fs in list(groups.values()):
        for form in _repeatable_forms(fs, groups):
            if len(form.split()) < 2 or form.islower() or len(form) > 200:
                continue
            if _fold(form) in author_names:
                continue
            for m in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", finder.plain):
                s, e = m.start(), m.end()
                i = bisect_right(cov_starts, e) - 1
                if (i >= 0 and covered[i][1] > s) or finder.is_blocked(s):
                    continue
                ref = fs[0]
                fs.append(
                    Found(
                        s,
                        e,
                        s,
                        e,
                        "known-title",
                        authors=list(ref.authors),
                        year=ref.year,
                        subtype=ref.subtype,
                        title=form,
                        confidence=min(CONF["known-title"], ref.confidence),
                    )
                )


def _mentions(finder: Finder, groups: dict[str, list[Found]]) -> list[WorkMention]:
    """One WorkMention per candidate, sharing its work's display title, authors and year."""
    doc_title = _fold(finder.document.title or _first_line_title(finder) or "")
    out: list[WorkMention] = []
    for fs in groups.values():
        display = max((f.title for f in fs), key=lambda t: (len(t), ":" in t))
        by_conf = sorted(fs, key=lambda f: -f.confidence)
        authors = merge_authors([f.authors for f in by_conf])
        year = next((f.year for f in by_conf if f.year), None)
        subtype = next((f.subtype for f in by_conf if f.subtype), None)
        publisher = next((f.publisher for f in fs if f.publisher), None)
        identifiers = sorted({i for f in fs for i in f.identifiers})
        subject = any(f.is_subject for f in fs) or bool(
            doc_title and len(display.split()) >= 2 and _fold(display.split(":")[0]) in doc_title
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
                    identifiers=identifiers,
                )
            )
    out.sort(key=lambda w: (w.start, w.end))
    return out


__all__ = ["WORK_NOUNS", "WorkMention", "find_works", "split_name_list"]
