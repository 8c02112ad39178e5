"""The explorer's list pages: saved queries of the library shown as linked tables."""

from __future__ import annotations

from dataclasses import dataclass

from claimgraph.graph.display import display_text
from claimgraph.queries.explorer_data import Runner, key_of, node_ref
from claimgraph.queries.library import load_query

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
    rows = r.saved(page.query, **values)
    table = []
    for row in rows[:SHOWN_ROWS]:
        cells = [_cell(r, row, value, label) for _, value, label in page.columns]
        table.append(cells)
    return {
        "title": saved.title,
        "description": saved.description,
        "headers": [h for h, _, _ in page.columns],
        "rows": table,
        "total": len(rows),
        "params": {p.name: values.get(p.name, p.default) for p in saved.params},
    }
