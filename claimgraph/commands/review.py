"""`claimgraph review`: list what awaits review, and accept, reject, edit, merge, add, undo.

    claimgraph review list                       # edges, lowest confidence first
    claimgraph review reject edge/0f1275c4f720ef5b --note "misread"
    claimgraph review accept "The Salt Ledger"
    claimgraph review edit claim/1a2b3c4d5e6f --text "the wardens kept few records"
    claimgraph review merge person/varga person/tomas-varga
    claimgraph review add work/the-salt-ledger supports claim/1a2b3c4d5e6f --quote "..."
    claimgraph review undo 26c1993a7a8b
    claimgraph review --orphans

See docs/corrections.md.
"""

from __future__ import annotations

import argparse
import json

from claimgraph.commands._store import add_store_argument, add_wait_argument, open_store
from claimgraph.errors import UserError

NAME = "review"
HELP = "review the extracted graph: list doubtful edges; accept, reject, edit, merge, add, undo"
SUBCOMMANDS = ("list", "accept", "reject", "edit", "merge", "add", "undo")
QUOTE_WIDTH = 100
_CITO = "http://purl.org/spar/cito/"
_CG = "https://w3id.org/claimgraph/vocab#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _list_options(parser, argparse.SUPPRESS)
    add_store_argument(parser)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    p = sub.add_parser("list", help="what awaits review (default), or --corrections, --orphans")
    _list_options(p, None)
    _common(p, write=False)
    for action, what in (("accept", "mark as reviewed and right"), ("reject", "remove")):
        p = sub.add_parser(action, help=f"{what}: a node, or an edge (its id or S P O)")
        p.add_argument("target", nargs="+", metavar="TARGET", help=_TARGET_HELP)
        _common(p)
    p = sub.add_parser("edit", help="change a claim's wording or a node's label")
    p.add_argument("target", nargs="+", metavar="TARGET", help="the node (IRI, key or name)")
    p.add_argument("--text", required=True, help="the new text")
    p.add_argument("--property", metavar="P", help="property to change (default: the wording)")
    _common(p)
    p = sub.add_parser("merge", help="merge DUPLICATE into KEPT (same person, work, event...)")
    p.add_argument("duplicate", metavar="DUPLICATE")
    p.add_argument("kept", metavar="KEPT")
    _common(p)
    p = sub.add_parser("add", help="add a missing edge with the quote that shows it")
    p.add_argument("subject", metavar="SUBJECT")
    p.add_argument("relation", metavar="supports|disputes|cites")
    p.add_argument("object", metavar="OBJECT")
    p.add_argument("--quote", required=True, help="the words of a document that show the edge")
    _common(p)
    p = sub.add_parser("undo", help="remove a correction (its id from list --corrections)")
    p.add_argument("correction", metavar="CORRECTION")
    _common(p)


_TARGET_HELP = (
    "a node (IRI, key like claim/1a2b3c4d5e6f, or exact name), an edge id (edge/...) shown "
    "by `review list`, or an edge as SUBJECT PREDICATE OBJECT (cito:supports or supports)"
)


def _list_options(p: argparse.ArgumentParser, default) -> None:
    kw = {} if default is None else {"default": default}
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--corrections", action="store_true", help="list the corrections", **kw)
    shown.add_argument("--orphans", action="store_true", help="list orphan corrections", **kw)
    p.add_argument("--json", action="store_true", help="print JSON for scripts", **kw)
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="list at most N edges (default 20)",
        **({"default": 20} if default is None else kw),
    )


def _common(p: argparse.ArgumentParser, write: bool = True) -> None:
    p.add_argument(
        "--store",
        default=argparse.SUPPRESS,
        metavar="DIR|URL",
        help="store folder, or a SPARQL server's http(s) URL (default: ./claimgraph-store)",
    )
    if write:
        p.add_argument("--by", default="", metavar="NAME", help="who (default: your user name)")
        p.add_argument("--note", default="", help="why, in a few words")
        add_wait_argument(p)


def run(args: argparse.Namespace) -> int:
    store = open_store(args)
    if not store.exists():
        raise UserError(f"no store at {store.path}: run `claimgraph ingest` first")
    action = args.action or "list"
    if action == "list":
        return _list(store, args)
    return _change(store, action, args)


def _change(store, action: str, args: argparse.Namespace) -> int:
    from claimgraph.graph.corrections import Correction, record, undo

    wait = None if args.wait < 0 else args.wait
    if action == "undo":
        gone = undo(store, args.correction, wait=wait)
        print(f"undone: {gone.action} {short(gone.key)} ({_id(gone.iri)})")
        return 0
    who = {"agent": args.by, "note": args.note}
    if action in ("accept", "reject"):
        words = args.target
        if len(words) == 1 and not _edge_id(words[0]):
            c = Correction(action, node_of(store, words[0]), **who)
        elif len(words) in (1, 3):
            s, p, o = edge_of(store, words)
            c = Correction(action, s, p, o, **who)
        else:
            raise UserError(f"{action}: give one node or edge id, or SUBJECT PREDICATE OBJECT")
    elif action == "edit":
        node = node_of(store, " ".join(args.target))
        c = Correction("edit", node, value=args.text, property=args.property, **who)
    elif action == "merge":
        dup, kept = node_of(store, args.duplicate), node_of(store, args.kept)
        c = Correction("merge", dup, value=kept, **who)
    else:
        s, o = node_of(store, args.subject), node_of(store, args.object)
        c = Correction("add", s, args.relation, o, value=args.quote, **who)
    done = record(store, c, wait=wait)
    print(f"{_PAST[action]}: {short(done.key)} ({_id(done.iri)})")
    return 0


_PAST = {"accept": "accepted", "reject": "rejected", "edit": "edited", "merge": "merged"}
_PAST["add"] = "added"


def _edge_id(word: str) -> bool:
    from claimgraph.graph.corrections import expand

    try:
        iri = expand(word)
    except UserError:
        return False
    return "/edge/" in iri or iri.endswith("/evidence")


def _id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1][:12]


# -- names: nodes by IRI, key or label; edges by evidence id or S P O ---------------------------

_PREFIX = "".join(
    f"PREFIX {p}: <{ns}>\n" for p, ns in (("cito", _CITO), ("cg", _CG), ("rdfs", _RDFS))
)


def short(text: str) -> str:
    """IRIs (one, or "s p o") as keys relative to the id base or as prefix:local."""
    from claimgraph.graph.identity import shown
    from claimgraph.graph.namespaces import PREFIXES, base_iri

    out = []
    for iri in text.split(" "):
        if iri.startswith(base_iri()):
            iri = iri[len(base_iri()) :]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
                iri = f"{prefix}:{iri[len(str(ns)) :]}"
        out.append(shown(iri))
    return " ".join(out)


def _rows(store, query: str) -> list:
    return list(store.dataset().query(_PREFIX + query))


def _in_graph(store, iri: str) -> bool:
    n = f"<{iri}>"
    q = f"ASK {{ GRAPH ?g {{ {{ {n} ?p ?o }} UNION {{ ?s ?p {n} }} }} }}"
    return bool(store.dataset().query(_PREFIX + q).askAnswer)


def node_of(store, text: str) -> str:
    """The node a user names: an IRI, a CURIE or key present in the graph, or an exact
    (case-insensitive) label or alias."""
    from claimgraph.graph.corrections import expand
    from claimgraph.graph.identity import shown

    text = " ".join(text.split())
    if not text:
        raise UserError("no node given")
    try:
        iri = expand(text)
    except UserError:
        iri = None
    if iri and _in_graph(store, iri):
        return iri
    literal = json.dumps(text.lower())
    found = sorted(
        {
            str(r[0])
            for r in _rows(
                store,
                "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n rdfs:label|<https://schema.org/"
                f"alternateName> ?l FILTER(LCASE(STR(?l)) = {literal}) }} }}",
            )
        }
    )
    if len(found) == 1:
        return found[0]
    if found:
        listing = ", ".join(short(f) for f in found[:6])
        raise UserError(f"{shown(text)!r} names {len(found)} nodes ({listing}); give its key")
    raise UserError(f"no node {shown(text)!r} in the store (give an IRI, a key or a name)")


def edge_of(store, words: list[str]) -> tuple[str, str, str]:
    """(s, p, o) from an edge id (edge/...) or from SUBJECT PREDICATE OBJECT."""
    from claimgraph.graph.corrections import expand
    from claimgraph.graph.identity import shown

    if len(words) == 3:
        rel = words[1] if ":" in words[1] else f"cito:{words[1]}"
        return node_of(store, words[0]), expand(rel), node_of(store, words[2])
    edge = expand(words[0])
    rows = _rows(
        store,
        f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ <{edge}> cito:hasCitingEntity ?s ; "
        "cito:hasCitedEntity ?o ; cito:hasCitationCharacterization ?p } } LIMIT 1",
    )
    if not rows:
        raise UserError(f"no edge {shown(words[0])!r} in the store (see `claimgraph review list`)")
    return tuple(str(t) for t in rows[0])


# -- review list ------------------------------------------------------------------------------

_EDGES = """
SELECT ?edge ?confidence ?s ?p ?o ?sl ?ol ?quote ?g WHERE {
  GRAPH ?g {
    ?edge a cito:Citation ; cito:hasCitingEntity ?s ; cito:hasCitedEntity ?o ;
          cito:hasCitationCharacterization ?p ; cg:confidence ?confidence ;
          <http://www.w3.org/ns/prov#wasDerivedFrom> ?passage .
    ?passage <http://www.w3.org/ns/oa#hasSelector> ?qs .
    ?qs <http://www.w3.org/ns/oa#exact> ?quote .
    OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?o rdfs:label ?ol }
  }
} ORDER BY ?confidence ?edge
"""


def _list(store, args: argparse.Namespace) -> int:
    from claimgraph.graph.corrections import corrections, orphan_reasons, status

    for name, default in (("corrections", False), ("orphans", False), ("json", False)):
        setattr(args, name, getattr(args, name, default))
    args.limit = getattr(args, "limit", 20)
    if args.corrections or args.orphans:
        lost = {c.iri: why for c, why in orphan_reasons(store)}
        items = [c for c in corrections(store) if not args.orphans or c.iri in lost]
        rows = [_correction_row(c, lost.get(c.iri, "")) for c in items]
        _print(
            rows,
            args.json,
            _correction_line,
            "no corrections" if args.corrections else "no orphans",
        )
        return 0
    reviewed = {k for k, v in status(store).items() if v in ("accepted", "rejected")}
    rows, seen = [], set()
    for edge, conf, s, p, o, sl, ol, quote, g in _rows(store, _EDGES):
        key = f"{s} {p} {o}"
        if key in reviewed or (key, str(edge)) in seen:
            continue
        seen.add((key, str(edge)))
        rows.append(
            {
                "id": short(str(edge)), "confidence": float(conf), "subject": str(s),
                "predicate": str(p), "object": str(o), "subjectLabel": str(sl or ""),
                "objectLabel": str(ol or ""), "quote": str(quote), "document": str(g),
            }
        )  # fmt: skip
        if args.limit and len(rows) >= args.limit:
            break
    _print(rows, args.json, _edge_line, "nothing awaits review")
    return 0


def _print(rows: list[dict], as_json: bool, line, empty: str) -> None:
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not rows:
        print(empty)
    for row in [] if as_json else rows:
        print(line(row))


def _cut(text: str, width: int = QUOTE_WIDTH) -> str:
    from claimgraph.graph.identity import shown

    text = shown(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _edge_line(r: dict) -> str:
    return (
        f"{r['id']}  {r['confidence']:.3f}  {short(r['subject'])} {short(r['predicate'])} "
        f"{short(r['object'])}\n    {_cut(r['subjectLabel'], 50)!r} -> {_cut(r['objectLabel'], 50)!r}"
        f"\n    quote: {_cut(r['quote'])!r}  ({short(r['document'])})"
    )


def _correction_row(c, why: str) -> dict:
    return {
        "id": _id(c.iri), "iri": c.iri, "action": c.action, "target": c.key,
        "value": c.value, "property": c.property, "by": c.agent, "time": c.time,
        "note": c.note, "orphan": why,
    }  # fmt: skip


def _correction_line(r: dict) -> str:
    line = f"{r['id']}  {r['time'][:19].replace('T', ' ')}  {r['by']}  {r['action']}  {short(r['target'])}"
    if r["value"]:
        line += f"  -> {_cut(short(r['value']) if r['action'] == 'merge' else r['value'], 60)!r}"
    if r["note"]:
        line += f"  note: {_cut(r['note'], 60)!r}"
    if r["orphan"]:
        line += f"\n    orphan: {r['orphan']}"
    return line
