"""What the extraction stages of one document share: its text and passages, what earlier
stages found, and the Extraction being built. A stage reads and writes this state only.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimgraph.graph.identity import fold, node_key
from claimgraph.graph.model import Document, Extraction
from claimgraph.ingest.people import compatible
from claimgraph.ingest.threads import post_at

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from claimgraph.ingest.claims import ClaimFinder, Sentence
    from claimgraph.ingest.events import Event
    from claimgraph.ingest.people import Person
    from claimgraph.ingest.rules import Rules
    from claimgraph.ingest.stance import Stance
    from claimgraph.ingest.threads import Post
    from claimgraph.ingest.works import WorkMention

Span = tuple[int, int]


@dataclass
class DocState:
    """One document under extraction; each stage fills some fields and later ones read them."""

    document: Document
    pdocs: list[tuple[int, Doc]]  # (offset in document.text, spaCy Doc of that passage)
    rules: Rules
    extraction: Extraction = field(default_factory=Extraction)
    works: list[WorkMention] = field(default_factory=list)
    title_spans: list[Span] = field(default_factory=list)
    reference_spans: list[Span] = field(default_factory=list)  # reference and footnote entries
    subject: str | None = None  # the title of the work the document is about, if any
    posts: list[Post] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    surface: dict[str, str] = field(default_factory=dict)  # folded name form -> person label
    work_keys: dict[str, str] = field(default_factory=dict)  # folded title -> Work node key
    events: dict[str, Event] = field(default_factory=dict)
    person_mentions: list[tuple[int, str]] = field(default_factory=list)  # (start, label) sorted
    claims: ClaimFinder | None = None
    claim_keys: dict[int, str] = field(default_factory=dict)  # id(Claim) -> Claim node key
    stances: list[Stance] = field(default_factory=list)
    # Set by a learned unit stage for a learned relation stage: (model, candidates, scores, chosen).
    argument_units: tuple | None = None

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def sentences(self) -> list[Sentence]:
        """The claim sentences found so far (none before a claims stage ran)."""
        return self.claims.sentences if self.claims is not None else []

    def who(self, name: str) -> str | None:
        """The person a name-like string stands for: whole, or its last two or one words."""
        key = fold(name).replace("’s", "").replace("'s", "").strip(" ,.")
        parts = key.split()
        for n in (len(parts), 2, 1):
            tail = " ".join(parts[-n:]) if parts else ""
            if tail in self.surface and (n == len(parts) or len(parts) <= 4):
                return self.surface[tail]
        return None

    def person_key(self, name: str) -> str | None:
        """The Person node key for a name, also for a shorter form compatible with one label."""
        label = self.who(name)
        if label is None:
            label = next((lab for lab in self.people if compatible(name, lab)), None)
        return node_key("Person", label) if label else None

    def work_at(self, start: int, end: int) -> str | None:
        """The title of the first work mentioned between `start` and `end`."""
        for w in self.works:
            if start <= w.start < end:
                return w.title
        return None

    def person_before(self, offset: int, floor: int) -> str | None:
        """The person named last before `offset`, if in the same sentence (from `floor`)."""
        i = bisect_left(self.person_mentions, (offset, ""))
        if i and self.person_mentions[i - 1][0] >= floor:
            return self.person_mentions[i - 1][1]
        return None

    def poster_at(self, offset: int) -> str | None:
        """The poster whose words these are, in a thread (quoted lines are someone else's)."""
        i = post_at(self.posts, offset)
        if i is None or any(a <= offset < b for a, b in self.posts[i].quotes):
            return None
        return self.who(self.posts[i].author)
