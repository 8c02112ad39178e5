"""What an evaluation reports: counts per type, relation and rule, per document and summed.

Sums are micro-averages: counts add up over documents (or over the documents of one genre)
and precision, recall and F1 are computed from the sums, so larger documents weigh more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from claimgraph.evaluation.intervals import MIN_DOCUMENTS, f1_interval

KINDS = ("Person", "Work", "Event", "Claim")
RELATIONS = ("supports", "disputes", "cites")
ALL = "all"
#: What the intervals and comparisons cover: claims, all entities, strict relations.
PARTS = ("claims", "entities", "relations")
#: Gold pseudo-id of the source document itself.
DOC = "doc"
#: Rule name reported for nodes and edges that carry no cg:rule.
NO_RULE = "(no rule)"
#: Genre of the documents whose gold file names none, when others do.
NO_GENRE = "(none)"


@dataclass
class Score:
    """Counts of one comparison and the figures derived from them.

    ``precision`` is None when nothing was predicted, ``recall`` when there is no gold item,
    ``f1`` when there is neither; ``f1 = 2 * matched / (predicted + gold)``.
    """

    predicted: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        total = self.predicted + self.gold
        return 2 * self.matched / total if total else None

    def add(self, other: Score) -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched

    def to_dict(self) -> dict:
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched,
            "precision": rounded(self.precision),
            "recall": rounded(self.recall),
            "f1": rounded(self.f1),
        }


@dataclass
class TypeScore(Score):
    """A node type's score; ``duplicates`` are counted among the false positives."""

    duplicates: int = 0

    @property
    def duplicate_share(self) -> float | None:
        return self.duplicates / self.predicted if self.predicted else None

    def add(self, other: Score) -> None:
        super().add(other)
        self.duplicates += getattr(other, "duplicates", 0)

    def to_dict(self) -> dict:
        d = super().to_dict()
        d["duplicates"] = self.duplicates
        d["duplicate_share"] = rounded(self.duplicate_share)
        return d


@dataclass
class RuleScore:
    """How often the nodes and edges made by one extractor rule are right.

    A node is correct when it matched a gold entity one-to-one (a duplicate is not); an edge
    when it matched a gold relation strictly. ``kinds`` are the node types and relations
    the rule produced.
    """

    rule: str
    count: int = 0
    correct: int = 0
    duplicates: int = 0
    kinds: set[str] = field(default_factory=set)

    @property
    def precision(self) -> float | None:
        return self.correct / self.count if self.count else None

    def add(self, other: RuleScore) -> None:
        self.count += other.count
        self.correct += other.correct
        self.duplicates += other.duplicates
        self.kinds |= other.kinds

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "kinds": sorted(self.kinds, key=kind_order),
            "count": self.count,
            "correct": self.correct,
            "duplicates": self.duplicates,
            "precision": rounded(self.precision),
        }


@dataclass
class DocumentReport:
    """Scores of one gold document, or (made by :func:`micro_average`) of several summed."""

    document: str
    graph: str | None = None  # IRI of the named graph scored; None = the whole input graph
    genre: str | None = None  # the gold file's optional "genre"
    entities: dict[str, TypeScore] = field(default_factory=dict)  # KINDS and "all"
    strict: dict[str, Score] = field(default_factory=dict)  # RELATIONS and "all"
    lenient: dict[str, Score] = field(default_factory=dict)
    rules: dict[str, RuleScore] = field(default_factory=dict)
    skipped_relations: int = 0  # gold relations touching unscored entities (places, ...)
    document_count: int = 1  # how many documents these counts add up

    def __post_init__(self) -> None:
        for key in (*KINDS, ALL):
            self.entities.setdefault(key, TypeScore())
        for key in (*RELATIONS, ALL):
            self.strict.setdefault(key, Score())
            self.lenient.setdefault(key, Score())

    def add(self, other: DocumentReport) -> None:
        for key, score in other.entities.items():
            self.entities[key].add(score)
        for key, score in other.strict.items():
            self.strict[key].add(score)
        for key, score in other.lenient.items():
            self.lenient[key].add(score)
        for name, score in other.rules.items():
            self.rules.setdefault(name, RuleScore(name)).add(score)
        self.skipped_relations += other.skipped_relations
        self.document_count += other.document_count

    def sorted_rules(self) -> list[RuleScore]:
        """Weakest rules first: by precision, then by how much they produce."""
        return sorted(
            self.rules.values(),
            key=lambda r: (r.precision if r.precision is not None else 2.0, -r.count, r.rule),
        )

    def counts(self, part: str) -> tuple[int, int, int]:
        """(predicted, gold, matched) of one of PARTS: "claims", "entities" (all four types)
        or "relations" (strict, all relations)."""
        if part == "claims":
            score = self.entities["Claim"]
        elif part == "entities":
            score = self.entities[ALL]
        else:
            score = self.strict[ALL]
        return score.predicted, score.gold, score.matched

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "graph": self.graph,
            "genre": self.genre,
            "document_count": self.document_count,
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "relations": {
                "strict": {k: v.to_dict() for k, v in self.strict.items()},
                "lenient": {k: v.to_dict() for k, v in self.lenient.items()},
            },
            "rules": [r.to_dict() for r in self.sorted_rules()],
            "skipped_relations": self.skipped_relations,
        }


@dataclass
class EvalReport:
    """Per-document reports, their micro-average, and one micro-average per genre.

    ``genres`` is empty unless some gold file names a ``genre``; documents without one are
    then grouped as :data:`NO_GENRE`.
    """

    documents: list[DocumentReport]
    total: DocumentReport
    genres: dict[str, DocumentReport] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: list[DocumentReport]) -> EvalReport:
        """Sum the documents into the total and, when genres are given, per genre."""
        total = micro_average(documents, "all documents (micro-average)")
        genres: dict[str, DocumentReport] = {}
        if any(d.genre for d in documents):
            names = sorted({d.genre or NO_GENRE for d in documents})
            for name in names:
                members = [d for d in documents if (d.genre or NO_GENRE) == name]
                genres[name] = micro_average(members, f"genre {name}", genre=name)
        return cls(documents, total, genres)

    def to_dict(self) -> dict:
        out = {
            "documents": [d.to_dict() for d in self.documents],
            "total": self.total.to_dict(),
            "genres": {name: g.to_dict() for name, g in self.genres.items()},
        }
        if len(self.documents) >= MIN_DOCUMENTS:
            out["intervals"] = self.intervals()
        return out

    def intervals(self) -> dict[str, dict[str, list[float]] | None]:
        """95% bootstrap intervals over documents (evaluation.intervals) of the micro F1 of each
        of PARTS, per genre and for "TOTAL"; None for a group under MIN_DOCUMENTS documents."""
        return {
            name: {
                part: [round(x, 4) for x in f1_interval([d.counts(part) for d in members])]
                for part in PARTS
            }
            if len(members) >= MIN_DOCUMENTS
            else None
            for name, members in self.groups().items()
        }

    def groups(self) -> dict[str, list[DocumentReport]]:
        """The documents of each genre (when the gold names genres), then all as "TOTAL"."""
        out = {
            name: [d for d in self.documents if (d.genre or NO_GENRE) == name]
            for name in self.genres
        }
        out["TOTAL"] = self.documents
        return out


def micro_average(
    reports: Iterable[DocumentReport], title: str, genre: str | None = None
) -> DocumentReport:
    """One report whose counts are the sums of `reports` (true/false positives per key)."""
    total = DocumentReport(document=title, genre=genre, document_count=0)
    for r in reports:
        total.add(r)
    return total


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def kind_order(kind: str) -> tuple[int, str]:
    """Sort key: node types, then relations, in their usual order; anything else last."""
    order = (*KINDS, *RELATIONS)
    return (order.index(kind) if kind in order else len(order), kind)
