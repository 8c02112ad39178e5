"""Score a claimgraph graph against hand-made gold annotations (precision, recall, F1).

A gold file (see ``shared/gold/FORMAT.md`` and ``docs/evaluation.md``) lists, for one source
document, the people, works, events and claims a careful reader would put into the graph and
the supports/disputes/cites relations between them. :func:`evaluate` finds the document's
named graph (the graph whose IRI has ``cg:fileName`` equal to the gold ``document``), matches
predicted nodes to gold entities one-to-one per type, maps predicted edges onto gold relations
through that matching, and counts.

Matching, in short:

* people, works, events: any name of one side (``rdfs:label``, ``schema:alternateName``;
  gold ``label``, ``aliases``) equals any name of the other after :func:`fold_name`; a work
  also matches when its title before ``":"`` equals a name of the other side;
* claims: content-word token F1 (:func:`token_f1`) of at least :data:`CLAIM_THRESHOLD`
  between the predicted ``schema:text`` or any ``oa:exact`` quote of its appearances and the
  gold ``text`` or ``quote``, best of the pairs;
* one-to-one by an optimal assignment over the score matrix
  (:func:`scipy.optimize.linear_sum_assignment`); a further predicted node that would match an
  already matched gold entity is a *duplicate* (a false positive, reported separately);
* edges: *strict* = same relation, same target and same source; *lenient* = same relation
  and target. Endpoints map to gold ids through the node matching; the document's own IRI
  (or one of its passages) is gold ``doc``; a claim or work authored by person P also stands
  for P as a source, and a claim quoted from work W also stands for W.

Python API::

    report = evaluate(dataset, load_gold("gold/"))
    print(format_report(report))
    json.dumps(report.to_dict())

No spaCy model is loaded: only spaCy's English stop-word list is imported, when claims are
compared.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.namespace import PROV, RDF, RDFS
from scipy.optimize import linear_sum_assignment

from claimgraph.graph.errors import UserError
from claimgraph.graph.namespaces import CG, CITO, OA, SCHEMA, WORK_SUBTYPES

__all__ = [
    "CLAIM_THRESHOLD",
    "KINDS",
    "RELATIONS",
    "DocumentReport",
    "EvalReport",
    "RuleScore",
    "Score",
    "TypeScore",
    "evaluate",
    "fold_name",
    "format_report",
    "load_gold",
    "token_f1",
]

KINDS = ("Person", "Work", "Event", "Claim")
RELATIONS = ("supports", "disputes", "cites")
ALL = "all"
#: Gold pseudo-id of the source document itself.
DOC = "doc"
#: Minimum content-word token F1 for a predicted claim to match a gold claim.
CLAIM_THRESHOLD = 0.5
#: Rule name reported for nodes and edges that carry no cg:rule.
NO_RULE = "(no rule)"

_EPS = 1e-9
# Scores in the assignment matrices: a better kind of match wins a tie between candidates.
_LABEL_MATCH = 1.0  # label equals label
_NAME_MATCH = 0.9  # some name (label or alias) equals some name
_PREFIX_MATCH = 0.8  # a work's title before ":" equals a name of the other
_DIRECT_SOURCE = 1.0  # edge source maps to the gold source itself
_PROXY_SOURCE = 0.9  # edge source stands for the gold source (its author, its work)

_CLASSES = {
    "Person": (SCHEMA.Person,),
    "Work": (SCHEMA.CreativeWork, *(SCHEMA[t] for t in sorted(WORK_SUBTYPES))),
    "Event": (SCHEMA.Event,),
    "Claim": (SCHEMA.Claim,),
}


# --------------------------------------------------------------------------- report types
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
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
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
        d["duplicate_share"] = _round(self.duplicate_share)
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
            "kinds": sorted(self.kinds, key=_kind_order),
            "count": self.count,
            "correct": self.correct,
            "duplicates": self.duplicates,
            "precision": _round(self.precision),
        }


@dataclass
class DocumentReport:
    """Scores of one gold document (or, as ``EvalReport.total``, of all of them)."""

    document: str
    graph: str | None = None  # IRI of the named graph scored; None = the whole input graph
    entities: dict[str, TypeScore] = field(default_factory=dict)  # KINDS and "all"
    strict: dict[str, Score] = field(default_factory=dict)  # RELATIONS and "all"
    lenient: dict[str, Score] = field(default_factory=dict)
    rules: dict[str, RuleScore] = field(default_factory=dict)
    skipped_relations: int = 0  # gold relations touching unscored entities (places, ...)

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

    def sorted_rules(self) -> list[RuleScore]:
        """Weakest rules first: by precision, then by how much they produce."""
        return sorted(
            self.rules.values(),
            key=lambda r: (r.precision if r.precision is not None else 2.0, -r.count, r.rule),
        )

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "graph": self.graph,
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
    """Per-document reports and their micro-average (counts summed over documents)."""

    documents: list[DocumentReport]
    total: DocumentReport

    def to_dict(self) -> dict:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "total": self.total.to_dict(),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _kind_order(kind: str) -> tuple[int, str]:
    order = (*KINDS, *RELATIONS)
    return (order.index(kind) if kind in order else len(order), kind)


# --------------------------------------------------------------------------- normalising
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_TRAILING = string.punctuation + " "
_SURROUNDING_QUOTES = "'\" "


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_QUOTES).lower().split())


def fold_name(name: str) -> str:
    """The form in which names are compared.

    NFKD with combining marks dropped (Bożek = Bozek), lower case, curly quotes and dashes
    made straight, whitespace collapsed, surrounding quotes, a leading "the " and trailing
    punctuation removed: "The Harbour Years." and "harbour years" fold alike.
    """
    text = _fold(name).strip(_SURROUNDING_QUOTES)
    if text.startswith("the "):
        text = text[4:]
    return text.rstrip(_TRAILING).strip(_SURROUNDING_QUOTES)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (importing the list loads no model)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_CONTRACTION = re.compile(r"'(?:s|d|ll|m|re|ve)\b")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def content_tokens(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens of `text` without stop words ("n't" counts as "not")."""
    text = _fold(text).replace("n't", " not")
    text = _CONTRACTION.sub(" ", text)
    stops = stop_words()
    return tuple(t for t in _WORD.findall(text) if t not in stops)


def token_f1(a: str, b: str) -> float:
    """Content-word token F1 of two texts (multiset overlap; 0.0 if either has none)."""
    ta, tb = _token_counts(a), _token_counts(b)
    if not ta or not tb:
        return 0.0
    overlap = sum((ta & tb).values())
    return 2 * overlap / (ta.total() + tb.total())


@lru_cache(maxsize=65536)
def _token_counts(text: str) -> Counter:
    return Counter(content_tokens(text))


def _names_score(kind: str, pred: tuple[str, list[str]], gold: tuple[str, list[str]]) -> float:
    """Name match score of a predicted and a gold entity (folded label, folded names)."""
    p_label, p_names = pred
    g_label, g_names = gold
    if p_label and p_label == g_label:
        return _LABEL_MATCH
    p_set, g_set = set(p_names), set(g_names)
    if p_set & g_set:
        return _NAME_MATCH
    if kind == "Work":
        p_pre = {_title_prefix(n) for n in p_names} - {""}
        g_pre = {_title_prefix(n) for n in g_names} - {""}
        if p_pre & g_set or g_pre & p_set:
            return _PREFIX_MATCH
    return 0.0


def _title_prefix(folded: str) -> str:
    """The folded part of a title before ":" ("" if there is no colon)."""
    if ":" not in folded:
        return ""
    return fold_name(folded.split(":", 1)[0])


# --------------------------------------------------------------------------- gold
def load_gold(path: str | Path) -> list[dict]:
    """Read one gold JSON file, or every ``*.json`` file of a folder (sorted by name).

    Checks the shape of each file and raises UserError with the file name when it is wrong.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
        if not files:
            raise UserError(f"no gold files (*.json) in {path}")
    elif path.is_file():
        files = [path]
    else:
        raise UserError(f"gold file or folder not found: {path}")
    golds = []
    seen: dict[str, Path] = {}
    for file in files:
        try:
            gold = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"cannot read gold file {file}: {exc}") from None
        _check_gold(gold, str(file))
        name = gold["document"]
        if name in seen:
            raise UserError(f"gold files {seen[name]} and {file} both describe document {name!r}")
        seen[name] = file
        golds.append(gold)
    return golds


def _check_gold(gold: object, where: str) -> None:
    if not isinstance(gold, dict):
        raise UserError(f"{where}: a gold file is one JSON object")
    if not isinstance(gold.get("document"), str) or not gold["document"]:
        raise UserError(f'{where}: "document" (the source file name) is missing')
    entities = gold.get("entities", [])
    relations = gold.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        raise UserError(f'{where}: "entities" and "relations" must be lists')
    ids = {DOC}
    for i, e in enumerate(entities):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            raise UserError(f"{where}: entity {i} has no id")
        if not isinstance(e.get("type"), str):
            raise UserError(f"{where}: entity {e['id']!r} has no type")
        if e["id"] in ids:
            raise UserError(f"{where}: entity id {e['id']!r} is used twice")
        ids.add(e["id"])
        if e["type"] == "Claim" and not (e.get("text") or e.get("quote")):
            raise UserError(f"{where}: claim {e['id']!r} has neither text nor quote")
        if e["type"] in KINDS and e["type"] != "Claim" and not e.get("label"):
            raise UserError(f"{where}: entity {e['id']!r} has no label")
    for i, r in enumerate(relations):
        if not isinstance(r, dict):
            raise UserError(f"{where}: relation {i} is not an object")
        if r.get("type") not in RELATIONS:
            raise UserError(
                f"{where}: relation {i} has type {r.get('type')!r}; "
                f"expected one of {', '.join(RELATIONS)}"
            )
        for end in ("source", "target"):
            if r.get(end) not in ids:
                raise UserError(f"{where}: relation {i} {end} {r.get(end)!r} is not an entity id")


@dataclass
class _GoldEntity:
    id: str
    kind: str
    label: str
    names: list[str]  # folded label and aliases (Person, Work, Event)
    texts: list[str]  # text and quote (Claim)


def _gold_entities(gold: Mapping) -> dict[str, list[_GoldEntity]]:
    by_kind: dict[str, list[_GoldEntity]] = {k: [] for k in KINDS}
    for e in gold.get("entities", []):
        if e["type"] not in KINDS:
            continue
        label = fold_name(e.get("label") or "")
        names = _unique([label, *(fold_name(a) for a in e.get("aliases", []) if a)])
        texts = [t for t in (e.get("text"), e.get("quote"), e.get("label")) if t]
        by_kind[e["type"]].append(_GoldEntity(e["id"], e["type"], label, names, texts))
    return by_kind


def _unique(items: Iterable[str]) -> list[str]:
    return [x for x in dict.fromkeys(items) if x]


# --------------------------------------------------------------------------- graph
@dataclass
class _PredNode:
    iri: URIRef
    kind: str
    label: str
    names: list[str]
    texts: list[str]
    rules: list[str]


@dataclass
class _PredEdge:
    source: URIRef
    relation: str
    target: URIRef
    rules: list[str]


def _documents(data: Graph) -> dict[str, URIRef]:
    """File name -> document IRI, from every `D cg:fileName "name"` in the input."""
    docs: dict[str, URIRef] = {}
    if isinstance(data, ConjunctiveGraph):  # Datasets too: see every graph, union or not
        pairs = ((d, name) for d, _, name, _ in data.quads((None, CG.fileName, None, None)))
    else:
        pairs = data.subject_objects(CG.fileName)
    for d, name in pairs:
        if isinstance(d, URIRef):
            docs.setdefault(str(name), d)
    return docs


def _named_graphs(data: Graph) -> set[URIRef]:
    if isinstance(data, Dataset):
        graphs = data.graphs()
    elif isinstance(data, ConjunctiveGraph):
        graphs = data.contexts()
    else:
        return set()
    return {
        g.identifier
        for g in graphs
        if isinstance(g.identifier, URIRef)
        and g.identifier != DATASET_DEFAULT_GRAPH_ID
        and len(g) > 0
    }


def _find_document(name: str, docs: Mapping[str, URIRef]) -> URIRef | None:
    if name in docs:
        return docs[name]
    tail = "/" + name.lstrip("/")
    hits = sorted({d for file, d in docs.items() if file.endswith(tail)})
    if len(hits) > 1:
        raise UserError(
            f"gold document {name!r} is ambiguous: it ends "
            f"{len(hits)} document file names in the graph; give the full name in the gold file"
        )
    return hits[0] if hits else None


def _literals(g: Graph, s, p) -> list[str]:
    return [str(o) for o in g.objects(s, p) if isinstance(o, Literal)]


def _predicted(g: Graph, doc_iris: set[URIRef]):
    """Predicted nodes by kind, edges, and the proxies that may stand for each edge source."""
    nodes: dict[str, list[_PredNode]] = {k: [] for k in KINDS}
    kind_of: dict[URIRef, str] = {}
    for kind in KINDS:
        members: set[URIRef] = set()
        for cls in _CLASSES[kind]:
            members.update(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))
        for s in sorted(members - doc_iris):
            if s in kind_of:  # typed twice (say Claim and Work): count it once
                continue
            kind_of[s] = kind
            labels = _literals(g, s, RDFS.label)
            label = labels[0] if labels else ""
            names, texts = [], []
            if kind == "Claim":
                texts = _literals(g, s, SCHEMA.text) or labels[:1]
                for passage in g.objects(s, SCHEMA.appearance):
                    for sel in g.objects(passage, OA.hasSelector):
                        texts += _literals(g, sel, OA.exact)
                texts = _unique(texts)
            else:
                names = _unique(
                    fold_name(n)
                    for n in (
                        *labels,
                        *_literals(g, s, SCHEMA.alternateName),
                        *_literals(g, s, SCHEMA.name),
                    )
                )
            rules = sorted(set(_literals(g, s, CG.rule))) or [NO_RULE]
            nodes[kind].append(_PredNode(s, kind, fold_name(label), names, texts, rules))

    edge_rules: dict[tuple, set[str]] = defaultdict(set)
    for ev in g.subjects(RDF.type, CITO.Citation):
        key = (
            g.value(ev, CITO.hasCitingEntity),
            g.value(ev, CITO.hasCitationCharacterization),
            g.value(ev, CITO.hasCitedEntity),
        )
        edge_rules[key].update(_literals(g, ev, CG.rule))
    edges = []
    for relation in RELATIONS:
        p = CITO[relation]
        for s, o in sorted(g.subject_objects(p)):
            rules = sorted(edge_rules.get((s, p, o), ())) or [NO_RULE]
            edges.append(_PredEdge(s, relation, o, rules))

    # What else an edge source stands for: its authors, the work a claim is quoted from.
    proxies: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, a in g.subject_objects(SCHEMA.author):
        proxies[s].add(a)
    for s, w in g.subject_objects(PROV.wasQuotedFrom):
        if kind_of.get(s) == "Claim":
            proxies[s].add(w)
    # A passage of the document stands for the document.
    passages = {
        p
        for p, src in g.subject_objects(OA.hasSource)
        if src in doc_iris and (p, RDF.type, CG.Passage) in g
    }
    return nodes, edges, proxies, passages


# --------------------------------------------------------------------------- matching
def _assign(scores: np.ndarray) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (row, col) with a positive score."""
    if scores.size == 0 or not scores.any():
        return []
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(r, c) for r, c in zip(rows, cols, strict=True) if scores[r, c] > _EPS]


def _node_scores(kind: str, preds: list[_PredNode], golds: list[_GoldEntity]) -> np.ndarray:
    scores = np.zeros((len(preds), len(golds)))
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if kind == "Claim":
                best = max((token_f1(a, b) for a in p.texts for b in g.texts), default=0.0)
                scores[i, j] = best if best >= CLAIM_THRESHOLD - _EPS else 0.0
            else:
                scores[i, j] = _names_score(kind, (p.label, p.names), (g.label, g.names))
    return scores


def _score_document(
    name: str, gold: Mapping, g: Graph, graph_iri: URIRef | None, doc_iris: set[URIRef]
) -> DocumentReport:
    report = DocumentReport(document=name, graph=str(graph_iri) if graph_iri else None)
    nodes, edges, proxies, passages = _predicted(g, doc_iris)
    gold_entities = _gold_entities(gold)

    to_gold: dict[URIRef, str] = {d: DOC for d in doc_iris} | {p: DOC for p in passages}
    node_status: dict[URIRef, str] = {}  # "correct" | "duplicate"
    for kind in KINDS:
        preds, golds = nodes[kind], gold_entities[kind]
        scores = _node_scores(kind, preds, golds)
        pairs = _assign(scores)
        matched_cols = {c for _, c in pairs}
        for r, c in pairs:
            to_gold.setdefault(preds[r].iri, golds[c].id)
            node_status[preds[r].iri] = "correct"
        duplicates = 0
        paired_rows = {r for r, _ in pairs}
        for r in range(len(preds)):
            if r in paired_rows or not matched_cols:
                continue
            cols = sorted(matched_cols)
            best = max(cols, key=lambda c, r=r: scores[r, c])
            if scores[r, best] > _EPS:
                duplicates += 1
                to_gold.setdefault(preds[r].iri, golds[best].id)
                node_status[preds[r].iri] = "duplicate"
        report.entities[kind] = TypeScore(len(preds), len(golds), len(pairs), duplicates)
        report.entities[ALL].add(report.entities[kind])
        for p in preds:
            status = node_status.get(p.iri)
            for rule in p.rules:
                rs = report.rules.setdefault(rule, RuleScore(rule))
                rs.count += 1
                rs.correct += status == "correct"
                rs.duplicates += status == "duplicate"
                rs.kinds.add(kind)

    scored_ids = {DOC} | {e.id for kind in KINDS for e in gold_entities[kind]}
    gold_edges = []
    for r in gold.get("relations", []):
        if r["source"] in scored_ids and r["target"] in scored_ids:
            gold_edges.append((r["source"], r["type"], r["target"]))
        else:
            report.skipped_relations += 1

    strictly_matched: set[int] = set()
    for relation in RELATIONS:
        p_idx = [i for i, e in enumerate(edges) if e.relation == relation]
        g_rel = [e for e in gold_edges if e[1] == relation]
        strict = np.zeros((len(p_idx), len(g_rel)))
        lenient = np.zeros((len(p_idx), len(g_rel)))
        for row, i in enumerate(p_idx):
            e = edges[i]
            target = to_gold.get(e.target)
            if target is None:
                continue
            source = to_gold.get(e.source)
            stand_ins = {to_gold.get(x) for x in proxies.get(e.source, ())} - {None}
            for col, (g_source, _, g_target) in enumerate(g_rel):
                if g_target != target:
                    continue
                lenient[row, col] = 1.0
                if g_source == source:
                    strict[row, col] = _DIRECT_SOURCE
                elif g_source in stand_ins:
                    strict[row, col] = _PROXY_SOURCE
        strict_pairs = _assign(strict)
        strictly_matched.update(p_idx[r] for r, _ in strict_pairs)
        report.strict[relation] = Score(len(p_idx), len(g_rel), len(strict_pairs))
        report.lenient[relation] = Score(len(p_idx), len(g_rel), len(_assign(lenient)))
        report.strict[ALL].add(report.strict[relation])
        report.lenient[ALL].add(report.lenient[relation])

    for i, e in enumerate(edges):
        for rule in e.rules:
            rs = report.rules.setdefault(rule, RuleScore(rule))
            rs.count += 1
            rs.correct += i in strictly_matched
            rs.kinds.add(e.relation)
    return report


# --------------------------------------------------------------------------- entry point
def evaluate(data: Graph, gold: list[dict] | str | Path) -> EvalReport:
    """Score a graph against gold annotations.

    `data` is an rdflib Dataset (say ``DiskStore(path).dataset()`` or a parsed TriG file),
    a ConjunctiveGraph, or a plain Graph. `gold` is a list of gold objects or a path to a
    gold file or folder. Each gold document is scored against the named graph whose IRI has
    that ``cg:fileName`` (or one ending with "/" + the name). An input without named graphs
    (a Turtle or JSON-LD union) is scored as a whole, which needs exactly one gold document
    (and, if the union names its documents, that one among them).
    Raises UserError when a gold document is not in the graph.
    """
    golds = load_gold(gold) if isinstance(gold, str | Path) else list(gold)
    for i, g in enumerate(golds):
        _check_gold(g, f"gold document {i}")
    if not golds:
        raise UserError("no gold documents to score")
    docs = _documents(data)
    named = _named_graphs(data)
    reports = []
    for gold_doc in golds:
        name = gold_doc["document"]
        doc_iri = _find_document(name, docs)
        if named:
            if doc_iri is None or doc_iri not in named:
                have = ", ".join(sorted(f for f, d in docs.items() if d in named)) or "none"
                raise UserError(
                    f"gold document {name!r} is not in the graph; the graph has documents: {have}"
                )
            g = Graph(store=data.store, identifier=doc_iri)
            graph = Graph()
            for triple in g:
                graph.add(triple)
            reports.append(_score_document(name, gold_doc, graph, doc_iri, {doc_iri}))
        else:
            if len(golds) > 1:
                raise UserError(
                    "the graph has no named graphs (a Turtle or JSON-LD union), so it can be "
                    "scored against one gold document only; give one gold file or a TriG/N-Quads "
                    "export"
                )
            if doc_iri is None and docs:
                raise UserError(
                    f"gold document {name!r} is not in the graph; "
                    f"the graph has documents: {', '.join(sorted(docs))}"
                )
            doc_iris = {doc_iri} if doc_iri is not None else set()
            reports.append(_score_document(name, gold_doc, data, None, doc_iris))
    total = DocumentReport(document="all documents (micro-average)")
    for r in reports:
        total.add(r)
    return EvalReport(reports, total)


# --------------------------------------------------------------------------- formatting
def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    """Columns aligned: the first `left` columns to the left, the others to the right."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            str(c).ljust(w) if i < left else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _format_document(r: DocumentReport, title: str) -> list[str]:
    lines = [title, "=" * len(title), ""]
    rows = []
    for kind in (*KINDS, ALL):
        s = r.entities[kind]
        rows.append(
            [
                kind,
                s.predicted,
                s.gold,
                s.matched,
                s.duplicates,
                _pct(s.duplicate_share),
                _fmt(s.precision),
                _fmt(s.recall),
                _fmt(s.f1),
            ]
        )
    lines += _table(["entities", "pred", "gold", "match", "dup", "dup%", "P", "R", "F1"], rows)
    lines.append("")
    rows = []
    for rel in (*RELATIONS, ALL):
        s, le = r.strict[rel], r.lenient[rel]
        rows.append(
            [
                rel,
                s.predicted,
                s.gold,
                s.matched,
                _fmt(s.precision),
                _fmt(s.recall),
                _fmt(s.f1),
                le.matched,
                _fmt(le.precision),
                _fmt(le.recall),
                _fmt(le.f1),
            ]
        )
    header = ["relations", "pred", "gold", "strict", "P", "R", "F1", "lenient", "P", "R", "F1"]
    lines += _table(header, rows)
    if r.skipped_relations:
        lines.append(
            f"({r.skipped_relations} gold relation(s) touch unscored entities and are left out)"
        )
    lines.append("")
    rows = [
        [
            rs.rule,
            ", ".join(sorted(rs.kinds, key=_kind_order)),
            rs.count,
            rs.correct,
            rs.duplicates,
            _fmt(rs.precision),
        ]
        for rs in r.sorted_rules()
    ]
    if rows:
        lines += _table(["rules (weakest first)", "makes", "count", "correct", "dup", "P"], rows, 2)
    else:
        lines.append("rules: nothing predicted")
    return lines


def format_report(report: EvalReport) -> str:
    """Aligned plain-text tables: one block per document, then the micro-average if several."""
    blocks = []
    for r in report.documents:
        where = f" (graph {r.graph})" if r.graph else " (whole graph)"
        blocks.append(_format_document(r, f"{r.document}{where}"))
    if len(report.documents) > 1:
        n = len(report.documents)
        blocks.append(_format_document(report.total, f"All {n} documents (micro-average)"))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
