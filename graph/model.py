"""Plain data that ingest hands to graph: one document's nodes, edges and evidence.

These dataclasses carry no spaCy objects, only strings and character offsets into the
document text, so that `graph/` can turn them into RDF without any language tooling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("Person", "Work", "Event", "Claim")
RELATIONS = ("supports", "disputes", "cites")

#: Pseudo-key for the source document itself as the subject of an edge.
DOC = "doc"


@dataclass(frozen=True)
class Mention:
    """Where a node is named or stated: offsets into the document text."""

    start: int
    end: int


@dataclass
class Node:
    """A person, work, event or claim found in one document.

    `key` is a document-independent identity (a slug of the resolved name for people,
    works and events, a hash of the normalised text for claims); nodes with the same key
    in different documents are the same RDF node.
    """

    kind: str
    key: str
    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    subtype: str | None = None  # precise schema.org class of a work (Book, Article, ...)
    authors: list[str] = field(default_factory=list)  # person keys (works and claims)
    date: str | None = None  # work: datePublished; event: startDate (ISO prefix or year)
    text: str | None = None  # claim: the statement as stated
    about: list[str] = field(default_factory=list)  # keys of nodes a claim is about
    work: str | None = None  # claim: key of the work it appears in
    identifiers: list[str] = field(default_factory=list)  # work: DOI and web address, as IRIs
    confidence: float = 1.0
    rule: str = ""  # extractor rule that made the node


@dataclass
class Edge:
    """`source relation target` with its evidence: the quote's offsets and a confidence."""

    source: str  # node key or DOC
    relation: str  # supports | disputes | cites
    target: str  # node key
    start: int
    end: int
    confidence: float
    rule: str


@dataclass
class Extraction:
    """Everything ingest read from one document."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_node(self, node: Node) -> Node:
        """Add a node, merging aliases, mentions and missing fields into an existing one."""
        old = self.nodes.get(node.key)
        if old is None:
            self.nodes[node.key] = node
            return node
        old.aliases |= node.aliases
        old.aliases.discard(old.label)
        seen = set(old.mentions)
        old.mentions.extend(m for m in node.mentions if m not in seen)
        for name in ("subtype", "date", "text", "work"):
            if getattr(old, name) is None and getattr(node, name) is not None:
                setattr(old, name, getattr(node, name))
        old.authors.extend(a for a in node.authors if a not in old.authors)
        old.about.extend(a for a in node.about if a not in old.about)
        old.confidence = max(old.confidence, node.confidence)
        return old

    def add_edge(self, edge: Edge) -> None:
        """Add an edge unless the same edge with the same quote is already there."""
        for e in self.edges:
            if (e.source, e.relation, e.target) == (edge.source, edge.relation, edge.target):
                if e.confidence < edge.confidence:
                    self.edges[self.edges.index(e)] = edge
                return
        self.edges.append(edge)


@dataclass
class Document:
    """A source document as read: its text (offsets refer to it) and provenance."""

    path: str  # path as given by the user, for messages
    name: str  # file name relative to the ingested root, used in the document IRI
    text: str
    sha256: str
    media_type: str = "text/plain"
    title: str | None = None
    genre: str | None = None  # schema.org class name: Article, DiscussionForumPosting, ...
    passages: list[tuple[int, int]] = field(default_factory=list)
    #: `text` with markup (Markdown emphasis, link targets, heading marks) blanked to spaces:
    #: same length, so offsets are shared; language processing reads this. None = `text`.
    plain: str | None = None
    #: spans set in italics/emphasis/<cite> in the source: a strong hint for titles of works.
    emphasis: list[tuple[int, int]] = field(default_factory=list)

    @property
    def nlp_text(self) -> str:
        return self.text if self.plain is None else self.plain
