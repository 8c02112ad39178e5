"""The explorer's list pages: saved queries of the library shown as linked tables, and the
store's corrections (the corrections list and the review badges every page shows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from claimgraph.graph.display import display_text
from claimgraph.graph.namespaces import base_iri
from claimgraph.queries.explorer_data import Runner, key_of, node_ref
from claimgraph.queries.library import load_query

RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
#: Rows drawn on a list page; the whole answer is one click away at /query.
SHOWN_ROWS = 500


@dataclass(frozen=True)
class ListPage:
    """A saved query shown as a table: (header, value column, label column) per column."""

    slug: str
    query: str
    columns: tuple[tuple[str, str, str | None], ...]
    params: tuple[str, ...] = ()


LISTS = {
    page.slug: page
    for page in (
        ListPage(
            "contested",
            "contested-claims",
            (
                ("claim", "claim", "label"),
                ("supports", "supports", None),
                ("disputes", "disputes", None),
            ),
        ),
        ListPage(
            "disputes",
            "who-disputes-whom",
            (
                ("disputer", "disputer", "disputerLabel"),
                ("disputes claims of", "disputed", "disputedLabel"),
                ("claims", "claims", None),
                ("documents", "documents", None),
                ("for example", "exampleClaim", None),
            ),
        ),
        ListPage(
            "most-cited",
            "most-cited-works",
            (
                ("work", "work", "label"),
                ("published", "published", None),
                ("authors", "authors", None),
                ("documents citing it", "documents", None),
                ("citers", "citers", None),
            ),
        ),
        ListPage(
            "low-confidence",
            "low-confidence-edges",
            (
                ("confidence", "confidence", None),
                ("stance", "stance", None),
                ("source", "source", "sourceLabel"),
                ("target", "target", "targetLabel"),
                ("quote", "quote", None),
                ("document", "document", None),
            ),
            ("threshold",),
        ),
    )
}


def _cell(r: Runner, row: dict, value: str, label: str | None) -> dict:
    v = row.get(value)
    if isinstance(v, str) and (key_of(v) or "").startswith("doc/") and not label:
        return r.doc(v)
    if isinstance(v, str) and key_of(v) is not None:
        return node_ref(v, row.get(label) if label else None)
    if isinstance(v, float):
        return {"label": f"{v:.3g}", "href": None}
    return {"label": display_text("" if v is None else v, True), "href": None}


def list_page(r: Runner, page: ListPage, params: dict[str, str]) -> dict:
    """The rows of a list page, each a list of cells {label, href}."""
    saved = load_query(page.query)
    values = {k: v for k, v in params.items() if k in page.params and v != ""}
    rows, total = r.saved_head(page.query, SHOWN_ROWS, values)
    table = []
    for row in rows:
        cells = [_cell(r, row, value, label) for _, value, label in page.columns]
        table.append(cells)
    return {
        "title": saved.title,
        "description": saved.description,
        "headers": [h for h, _, _ in page.columns],
        "rows": table,
        "total": total,
        "params": {p.name: values.get(p.name, p.default) for p in saved.params},
    }


# -- the corrections list and the review badges of every page ------------------------------
_SNAPSHOT: dict = {}  # the store generation last read -> its corrections and their outcomes


def _snapshot(store) -> dict:
    """The corrections (as shown) and `corrections.status` of the live generation, read once
    per generation: a write makes a new one, so the next page sees it."""
    from claimgraph.graph import corrections

    gen = str(store.current())
    last = _SNAPSHOT.get("last")
    if last is None or last["gen"] != gen:
        orphans = {c.iri for c in corrections.orphans(store)}
        every = corrections.corrections(store)
        names = _labels(store, {x for c in every for x in (c.subject, c.object, c.value) if x})
        rows = [_shown(c, c.iri in orphans, names) for c in every]
        last = {"gen": gen, "rows": rows, "status": corrections.status(store)}
        _SNAPSHOT["last"] = last
    return last


def corrections_now(store) -> list[dict]:
    """Every correction of the store as the pages show it, oldest first."""
    return _snapshot(store)["rows"]


def _labels(store, iris: set[str]) -> dict[str, str]:
    """The labels of the nodes corrections name (a node no longer there has none)."""
    import pyoxigraph as ox

    named = [ox.NamedNode(i) for i in sorted(iris) if i.startswith(base_iri()) and " " not in i]
    if not named:
        return {}
    values = " ".join(str(n) for n in named)
    query = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s {RDFS_LABEL} ?l }} }}"
    return {row[0].value: row[1].value for row in store.oxigraph().query(query)}


def _shown(c, orphan: bool, labels: dict[str, str]) -> dict:
    """A correction as a list shows it: its fields, links to what it names, orphan mark."""
    row = asdict(c)
    row["orphan"] = orphan
    row["names"] = sorted({c.subject, c.object or "", c.value or ""} - {""})  # IRIs or text
    row["subject_ref"] = node_ref(c.subject, labels.get(c.subject))
    row["object_ref"] = node_ref(c.object, labels.get(c.object)) if c.object else None
    row["predicate_name"] = _short(c.predicate)
    row["property_name"] = _short(c.property)
    merged = c.action == "merge" and c.value and c.value.startswith(base_iri())
    row["value_ref"] = node_ref(c.value, labels.get(c.value)) if merged else None
    row["value"] = display_text(c.value) if c.value and not merged else ""
    row["note"] = display_text(c.note)
    row["agent"] = display_text(c.agent)
    return row


def _short(iri: str | None) -> str:
    return (iri or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def annotate(store, result: dict, iri: str | None) -> dict:
    """Add review badges (`status`) to a page's node, edges and linked nodes, and the list
    of corrections that name the node (`curation`); runs in a thread."""
    snapshot = _snapshot(store)
    items: list[dict] = []
    node = result.get("node")
    if isinstance(node, dict):
        items.append(node)
    for row in result.get("evidence", []) + result.get("edges", []):
        items += [row, row["other"]]
    for refs in result.get("links", {}).values():
        items += refs
    items += result.get("hits", []) + result.get("claims", [])
    for x in items:
        x["status"] = snapshot["status"].get(_key(x) or "")
    if iri:
        result["curation"] = [c for c in snapshot["rows"] if iri in c["names"]]
    return result


def _key(item: dict) -> str | None:
    edge = item.get("edge")
    return edge["key"] if edge else item.get("iri")
