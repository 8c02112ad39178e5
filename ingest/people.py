"""People: who is named in a document, under which surface forms, resolved to one name each.

Candidates come from spaCy's PERSON entities, from authors of cited works, and from
capitalised names standing where only a person can (subject of a reporting verb, owner of
"research"). Every surface form of a resolved person is then found throughout the text, so
a surname that the NER model never tagged still counts as a mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from claimgraph.graph.identity import fold

_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]$")
_NAME_TOKEN = re.compile(
    r"^[A-ZÀ-ÞĀ-ſ][\w'’.-]*$|^(?:de|da|di|du|van|von|der|den|del|la|le|bin|al|dze|ibn|y)$"
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# The lookbehind starts the trailing match only at the start of a run: linear, not quadratic.
_EDGE_JUNK = re.compile(r"^[^\wÀ-ſ]+|(?<![^\wÀ-ſ.])[^\wÀ-ſ.]+$")
_FOOTNOTE_DIGITS = re.compile(r"(?<=[a-zà-ÿ])\d+$")
_KNOWN_AS = re.compile(
    r"(?P<a>[A-Z][\w’'-]+(?: [\w’'-]+){0,5}), (?:better |also |more commonly )?known"
    r"(?: to (?:the world|history|most))? as (?P<b>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})"
)
_PERSON_SLOTS = {"nsubj", "nsubjpass", "poss", "agent", "pobj", "appos", "conj", "dobj"}


@dataclass
class Person:
    """A resolved person in one document."""

    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rule: str = "ner-person"


_SPACED_INITIALS = re.compile(r"\b([A-Z])\.\s+(?=[A-Z]\.)")


def clean_name(raw: str, titles: frozenset[str]) -> str:
    """Strip possessives, honorifics, footnote digits and stray punctuation from a name."""
    name = " ".join(raw.replace("\n", " ").split())
    name = _SPACED_INITIALS.sub(r"\1.", name)  # "S. S. Name" -> "S.S. Name"
    name = _EDGE_JUNK.sub("", name)
    name = _POSSESSIVE.sub("", name)
    name = _FOOTNOTE_DIGITS.sub("", name)
    words = name.split()
    while words and (words[0].lower() in titles or words[0].lower().rstrip(".") in titles):
        words = words[1:]
    while len(words) > 1 and words[0].lower() + " " + words[1].lower() in titles:
        words = words[2:]
    return _EDGE_JUNK.sub("", " ".join(words))


def plausible_name(name: str, not_name_words: frozenset[str]) -> bool:
    """Does `name` look like a person's name (capitalised words, no digits, no org words)?"""
    words = name.split()
    if not words or len(words) > 5 or any(c.isdigit() for c in name):
        return False
    if not all(_NAME_TOKEN.match(w) for w in words):
        return False
    if not words[-1][0].isupper() or _INITIAL.match(words[-1]):
        return False
    if any(w.lower().strip(".,") in not_name_words for w in words):
        return False
    return len(words[-1].strip(".")) >= 2


def surname(name: str) -> str:
    return name.split()[-1]


def _given(name: str) -> list[str]:
    return name.split()[:-1]


def compatible(short: str, full: str) -> bool:
    """Can `short` ("R. Lindqvist", "Lindqvist") name the same person as `full`?"""
    if fold(surname(short)) != fold(surname(full)):
        return False
    sg, fg = _given(short), _given(full)
    if not sg or not fg:
        return True
    a, b = sg[0].rstrip("."), fg[0].rstrip(".")
    if not a or not b:
        return True
    if len(a) == 1 or len(b) == 1 or "." in sg[0] or "." in fg[0]:
        return fold(a[0]) == fold(b[0])
    return fold(a) == fold(b)


def _richness(name: str) -> tuple[int, int]:
    """Prefer names with full given names over initials, then longer ones."""
    given = _given(name)
    full_given = sum(1 for g in given if len(g.rstrip(".")) > 1 and "." not in g)
    return (full_given, len(given))


class PeopleFinder:
    """Collects person candidates from a document, then resolves and locates them."""

    def __init__(self, rules, aliases: dict[str, str] | None = None):
        self.rules = rules
        self.counts: Counter[str] = Counter()
        self.rule_of: dict[str, str] = {}
        self.alias_of: dict[str, str] = dict(aliases or {})
        self.nonperson: Counter[str] = Counter()

    def add(self, raw: str, rule: str, weight: int = 1, checked: bool = True) -> str | None:
        """Count a candidate; `checked=False` takes a name as given (a thread's poster)."""
        name = clean_name(raw, self.rules.titles) if checked else raw.strip()
        if not name or checked and not plausible_name(name, self.rules.not_name_words):
            return None
        self.counts[name] += weight
        self.rule_of.setdefault(name, rule)
        return name

    def scan(self, doc, base: int, exclude: list[tuple[int, int]]) -> None:
        """Collect candidates from one spaCy Doc at offset `base`."""
        rules = self.rules
        for ent in doc.ents:
            start = base + ent.start_char
            if any(s <= start < e for s, e in exclude):
                continue
            if ent.label_ == "PERSON":
                if ent.root.tag_ in ("NNPS", "NNS") or re.search(r"['’]s\s", ent.text):
                    continue  # "Supposed Marxists", "X’s NKVD": not one person's name
                self.add(ent.text, "ner-person")
            elif ent.label_ in ("ORG", "GPE", "NORP", "LOC", "FAC"):
                self.nonperson[clean_name(ent.text, rules.titles)] += 1
        for tok in doc:
            if (
                tok.pos_ != "PROPN"
                or tok.dep_ == "compound"
                or tok.ent_type_ not in ("", "PERSON", "ORG")
            ):
                continue
            head = tok.head
            reporting = head.pos_ == "VERB" and head.lemma_ in rules.reporting_verbs
            research = tok.dep_ == "poss" and head.lemma_.lower() in rules.research_nouns
            # "X, who noted that ...": the relative clause's verb speaks for X.
            relative = any(
                c.dep_ == "relcl"
                and c.lemma_ in rules.reporting_verbs
                and any(g.dep_ == "nsubj" and g.lower_ == "who" for g in c.children)
                for c in tok.children
            )
            if (
                tok.dep_ == "appos"
                and tok.head.pos_ == "NOUN"
                and tok.head.dep_ in ("nsubj", "nsubjpass")
            ):
                reporting = (
                    tok.head.head.pos_ == "VERB" and tok.head.head.lemma_ in rules.reporting_verbs
                )
                if reporting:  # "The economist X argues"
                    self.add(
                        doc[tok.left_edge.i if tok.left_edge.is_title else tok.i : tok.i + 1].text,
                        "name-before-reporting-verb",
                    )
                continue
            if not ((tok.dep_ in ("nsubj", "nsubjpass") and reporting) or research or relative):
                continue
            if tok.ent_type_ == "ORG" and not reporting:
                continue  # an organisation's research is not a person's
            if base + tok.idx < 0 or any(s <= base + tok.idx < e for s, e in exclude):
                continue
            start = tok.i  # the run of capitalised words right before: given names, not ranks
            while (
                start > 0
                and doc[start - 1].is_title
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].ent_type_ not in ("NORP", "GPE")
                and (doc[start - 1].ent_type_ != "ORG" or tok.ent_type_ == "ORG")
            ):
                start -= 1
            self.add(doc[start : tok.i + 1].text, "name-before-reporting-verb")
        for m in _KNOWN_AS.finditer(doc.text):
            a = clean_name(m.group("a"), rules.titles)
            b = clean_name(m.group("b"), rules.titles)
            if plausible_name(a, rules.not_name_words) and plausible_name(b, rules.not_name_words):
                self.alias_of[a] = b
                self.add(b, "known-as")

    def resolve(self, text: str, exclude: list[tuple[int, int]]) -> dict[str, Person]:
        """Group surface forms into people and find every mention in `text`."""
        for alias, target in self.alias_of.items():
            if re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text):
                self.counts[target] += 1
                self.rule_of.setdefault(target, "alias")
        names = [n for n in self.counts if self.nonperson[n] <= self.counts[n] or " " in n]
        # "Danish Engineer Tove Hallin" beside "Tove Hallin": the prefix is a description.
        multi = [n for n in names if len(n.split()) > 1]
        names = [n for n in names if not any(n != m and n.endswith(" " + m) for m in multi)] + [
            n for n in names if any(n != m and n.endswith(" " + m) for m in multi)
        ]
        described = {
            n: next(m for m in multi if n != m and n.endswith(" " + m))
            for n in names
            if any(n != m and n.endswith(" " + m) for m in multi)
        }
        # A lone surname that is also the surname of a fuller name belongs to that name.
        full = sorted(
            (n for n in names if len(n.split()) > 1),
            key=lambda n: (_richness(n), self.counts[n]),
            reverse=True,
        )
        canonical: dict[str, str] = {}
        full = [n for n in full if n not in described]
        for n in full:
            for c in dict.fromkeys(canonical.values()):
                if compatible(n, c) and (
                    len(n.split()) < len(c.split()) or _richness(n) <= _richness(c)
                ):
                    canonical[n] = c
                    break
            else:
                canonical[n] = n
        by_surname: dict[str, list[str]] = defaultdict(list)
        for n, c in canonical.items():
            if n == c:
                by_surname[fold(surname(c))].append(c)
        for n, m in described.items():
            canonical[n] = canonical.get(m, m)
        for n in names:
            if n in canonical:
                continue
            options = by_surname.get(fold(surname(n)), [])
            options = [c for c in options if compatible(n, c)]
            if options:
                canonical[n] = max(
                    options,
                    key=lambda c: sum(self.counts[k] for k, v in canonical.items() if v == c),
                )
            else:
                canonical[n] = n
                by_surname[fold(surname(n))].append(n)
        for n in names:
            for alias in self.alias_of:
                if alias.startswith(n + " ") and n not in self.alias_of:
                    canonical[n] = self.alias_of[alias]  # "A B" of "A B C D, known as X"
        for alias, target in self.alias_of.items():
            target = canonical.get(target, target)
            if plausible_name(target, self.rules.not_name_words) or target in canonical.values():
                canonical[alias] = target

        people: dict[str, Person] = {}
        for n, c in canonical.items():
            p = people.setdefault(
                c, Person(c, rule=self.rule_of.get(c, self.rule_of.get(n, "alias")))
            )
            if n != c:
                p.aliases.add(n)
        surnames = Counter(fold(surname(c)) for c in people)
        for p in people.values():
            forms = {p.label} | p.aliases
            if surnames[fold(surname(p.label))] == 1 and len(p.label.split()) > 1:
                forms.add(surname(p.label))
            p.mentions = _find_all(text, forms, exclude)
            p.aliases |= {
                f for f in forms if f != p.label and any(text[s:e] == f for s, e in p.mentions)
            }
        return {c: p for c, p in people.items() if p.mentions}


def _find_all(text: str, forms: set[str], exclude: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets of every capitalised occurrence of any form, outside excluded spans."""
    pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    found = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![\w.-])(?:{pattern})(?![\w-])", text):
        s, e = m.span()
        if any(a <= s < b for a, b in exclude) or any(a <= s < b for a, b in taken):
            continue
        taken.append((s, e))
        found.append((s, e))
    return found
