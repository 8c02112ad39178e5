"""Events: named happenings ("the Crimean War") and dated ones ("the 1911 general strike").

Sources: spaCy EVENT entities; noun phrases headed by an event noun (war, trial, strike,
uprising, ...) that are capitalised or carry a year; "X's death/birthday"; "the murder of X".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.graph.identity import fold

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_FULL_DATE = re.compile(
    r"\b(?:(\d{1,2}) )?(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?: (\d{1,2}))?,? (1[0-9]{3}|20[0-9]{2})\b"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    )
}
_LEADING = re.compile(r"^(?:the|a|an|his|her|their|its|our|this|that|these|those)\s+", re.I)
_OF_HEADS = {
    "murder",
    "assassination",
    "invasion",
    "siege",
    "battle",
    "execution",
    "death",
    "liberation",
    "occupation",
    "collapse",
    "dissolution",
    "fall",
    "partition",
    "bombing",
    "sack",
    "trial",
    "coronation",
    "funeral",
    "massacre",
}


@dataclass
class Event:
    label: str
    date: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rule: str = "ner-event"


def event_name(text: str) -> str:
    """Display form: without a leading article or possessive determiner, single-spaced."""
    text = " ".join(text.split()).strip(" ,.;:()\"'“”‘’")
    return _LEADING.sub("", text)


_AFTER = re.compile(
    r"^[\s,]*(?:in|of|on|during)\s+(?:the\s+year\s+)?((?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?\d{4})\b"
)
_ORDINALS = {
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
}


def _date_near(after: str, span_text: str) -> str | None:
    """A date for an event: a full date or year inside its span, or 'in YEAR' right after it."""
    m = _AFTER.match(after)
    for source in (span_text, m.group(1) if m else ""):
        m2 = _FULL_DATE.search(source)
        if m2:
            day = m2.group(1) or m2.group(3)
            month = _MONTHS[m2.group(2)]
            return f"{m2.group(4)}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        m2 = _YEAR.search(source)
        if m2:
            return m2.group(1)
    return None


def _acronym(label: str) -> str:
    """'Second Punic War' -> 'SPW': initials of capitalised words, Roman numerals kept whole."""
    parts = []
    for w in label.split():
        if re.fullmatch(r"[IVX]+", w):
            parts.append(w)
        elif w[:1].isupper():
            parts.append(w[0])
    return "".join(parts)


class EventFinder:
    def __init__(self, rules, person_names: set[str]):
        self.rules = rules
        self.people = person_names
        self.events: dict[str, Event] = {}

    def _add(self, label: str, start: int, end: int, date: str | None, rule: str) -> None:
        label = event_name(label)
        if len(label) < 3 or not any(c.isalpha() for c in label):
            return
        key = fold(label).rstrip("s")
        ev = self.events.get(key)
        if ev is None:
            ev = self.events[key] = Event(label, date, rule=rule)
        ev.mentions.append((start, end))
        if date and (not ev.date or len(date) > len(ev.date)):
            ev.date = date

    def scan_names(self, text: str) -> None:
        """Event names the user listed in their rules file, found verbatim."""
        for name in self.rules.events:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                self._add(name, m.start(), m.end(), None, "user-event-name")

    def scan(self, doc, base: int, exclude: list[tuple[int, int]]) -> None:
        rules = self.rules
        taken: set[int] = set()
        for ent in doc.ents:
            if ent.label_ != "EVENT" or any(s <= base + ent.start_char < e for s, e in exclude):
                continue
            span = ent
            if ent.start > 0:
                before = doc[ent.start - 1]
                if _YEAR.fullmatch(before.text) or before.lower_ in _ORDINALS:
                    span = doc[ent.start - 1 : ent.end]  # "the first Balkan War", "1911 X"
            after = doc.text[span.end_char : span.end_char + 30]
            self._add(
                span.text,
                base + span.start_char,
                base + span.end_char,
                _date_near(after, span.text),
                "ner-event",
            )
            taken.update(range(ent.start, ent.end))
        for tok in doc:
            lemma = tok.lemma_.lower()
            word = tok.text.lower()
            if (
                tok.i in taken
                or tok.pos_ not in ("NOUN", "PROPN")
                or (lemma not in rules.event_heads and word not in rules.event_heads)
            ):
                continue
            if any(s <= base + tok.idx < e for s, e in exclude):
                continue
            if not tok.whitespace_ and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-":
                continue  # part of a hyphenated word: "death-dealing"
            if (
                tok.dep_ == "compound"
                and tok.head.is_title
                and tok.head.lemma_.lower() not in rules.event_heads
            ):
                continue  # "War" in "the War Committee" names an organisation
            found = self._phrase(doc, tok)
            if found is None:
                continue
            span, rule = found
            taken.update(range(span.start, span.end))
            after = doc.text[span.end_char : span.end_char + 30]
            self._add(
                span.text,
                base + span.start_char,
                base + span.end_char,
                _date_near(after, span.text),
                rule,
            )

    def _phrase(self, doc, head):
        """The event phrase headed by `head`, or None if it is not specific enough."""
        rules = self.rules
        lemma = head.lemma_.lower()
        left = head.i
        while left > 0:
            t = doc[left - 1]
            if (
                t.dep_ in ("compound", "amod", "nummod", "nmod")
                and t.head.i >= left
                and (t.is_title or t.like_num or t.is_upper or t.pos_ in ("ADJ", "NOUN", "PROPN"))
                and t.text not in ("’s", "'s")
            ):
                left -= 1
            elif t.dep_ == "case" and left - 2 >= 0 and doc[left - 2].pos_ == "PROPN":
                left -= 1  # possessive: "X's death", "the Union's collapse"
            elif t.pos_ == "PROPN" and doc[left].dep_ == "case":
                left -= 1
            else:
                break
        # Lower-case adjectives in front are description, not name: "the lavish 60th birthday".
        while (
            left < head.i
            and doc[left].pos_ == "ADJ"
            and doc[left].is_lower
            and not doc[left].like_num
            and doc[left].ent_type_ != "ORDINAL"
        ):
            left += 1
        right = head.i + 1
        # "the murder of Karl Lindgren", "Battle of Narva", "Siege of the Harbour"
        if (
            right < len(doc) - 1
            and doc[right].lower_ == "of"
            and (lemma in _OF_HEADS or head.is_title)
        ):
            j = right + 1
            if doc[j].lower_ == "the":
                j += 1
            k = j
            while (
                k < len(doc)
                and (doc[k].is_title or doc[k].is_upper)
                and doc[k].pos_ in ("PROPN", "NOUN")
            ):
                k += 1
            if k > j:
                right = k
        span = doc[left:right]
        mods = doc[left : head.i]
        # A nationality adjective alone ("European movements") does not make a name.
        capitalised = (head.is_title and head.i > span.sent.start) or any(
            t.is_title and t.pos_ in ("PROPN", "NOUN") for t in mods
        )
        has_year = any(_YEAR.fullmatch(t.text) for t in mods) or bool(_YEAR.search(span.text))
        owned = any(t.pos_ == "PROPN" for t in mods) and any(t.dep_ == "case" for t in mods)
        of_phrase = right > head.i + 1
        ordinal = any(t.ent_type_ == "ORDINAL" or t.lower_ in _ORDINALS for t in mods)
        weak = lemma in rules.weak_event_heads or head.lower_ in rules.weak_event_heads
        if weak and not (has_year or owned or ordinal or capitalised or of_phrase):
            return None
        if owned or (of_phrase and lemma in _OF_HEADS):
            return span, "possessive-event" if owned else "event-of-name"
        definite = left > 0 and doc[left - 1].lower_ == "the" and head.tag_ == "NN"
        if definite and not weak and any(c.dep_ == "relcl" for c in head.children):
            return span, "definite-event"  # "the flood that drowned the valley"
        if has_year or ordinal:
            return span, "dated-event"
        if capitalised and len(span) > 1:
            return span, "named-event"
        return None

    def resolve(self) -> dict[str, Event]:
        """Events keyed by folded label, merging "X" into "the 1936 X" style longer names and
        acronyms into their full names ("SPW" into "Second Punic War")."""
        out = dict(self.events)
        acronyms = {_acronym(ev.label): key for key, ev in out.items() if len(ev.label.split()) > 1}
        for key, ev in list(out.items()):
            full = acronyms.get(ev.label) if ev.label.isupper() else None
            if full and full != key and full in out:
                out[full].mentions.extend(ev.mentions)
                out[full].aliases.add(ev.label)
                out[full].date = out[full].date or ev.date
                del out[key]
        for key, ev in list(out.items()):
            for other_key, other in out.items():
                if other is ev or len(other_key) <= len(key):
                    continue
                bare = _YEAR.sub("", other_key).strip()
                if bare == key or bare.endswith(" " + key) and len(key.split()) > 1:
                    other.mentions.extend(ev.mentions)
                    other.aliases.add(ev.label)
                    other.date = other.date or ev.date
                    out.pop(key, None)
                    break
        return out
