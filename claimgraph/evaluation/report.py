"""Plain-text tables of an evaluation: per document (or a summary of many), the micro-average
with its rules, and one headline row per genre plus TOTAL.
"""

from __future__ import annotations

import numpy as np

from claimgraph.evaluation.intervals import MIN_DOCUMENTS
from claimgraph.evaluation.results import (
    ALL,
    KINDS,
    PARTS,
    RELATIONS,
    DocumentReport,
    EvalReport,
    Score,
    kind_order,
)

#: With more documents than this, per-document tables are summarised unless asked for.
PER_DOCUMENT_LIMIT = 10
#: How many of the weakest documents the summary names.
WEAKEST_SHOWN = 5


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _table(header: list[str], rows: list[list], left: int = 1) -> list[str]:
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


def _prf(s: Score) -> list[str]:
    return [_fmt(s.precision), _fmt(s.recall), _fmt(s.f1)]


def _entity_table(r: DocumentReport) -> list[str]:
    rows = []
    for kind in (*KINDS, ALL):
        s = r.entities[kind]
        rows.append(
            [kind, s.predicted, s.gold, s.matched, s.duplicates, _pct(s.duplicate_share), *_prf(s)]
        )
    return _table(["entities", "pred", "gold", "match", "dup", "dup%", "P", "R", "F1"], rows)


def _relation_table(r: DocumentReport) -> list[str]:
    rows = []
    for rel in (*RELATIONS, ALL):
        s, le = r.strict[rel], r.lenient[rel]
        rows.append([rel, s.predicted, s.gold, s.matched, *_prf(s), le.matched, *_prf(le)])
    header = ["relations", "pred", "gold", "strict", "P", "R", "F1", "lenient", "P", "R", "F1"]
    return _table(header, rows)


def _rule_table(r: DocumentReport) -> list[str]:
    rows = [
        [
            rs.rule,
            ", ".join(sorted(rs.kinds, key=kind_order)),
            rs.count,
            rs.correct,
            rs.duplicates,
            _fmt(rs.precision),
        ]
        for rs in r.sorted_rules()
    ]
    if not rows:
        return ["rules: nothing predicted"]
    return _table(["rules (weakest first)", "makes", "count", "correct", "dup", "P"], rows, 2)


def _format_document(r: DocumentReport, title: str) -> list[str]:
    lines = [title, "=" * len(title), "", *_entity_table(r), "", *_relation_table(r)]
    if r.skipped_relations:
        lines.append(
            f"({r.skipped_relations} gold relation(s) touch unscored entities and are left out)"
        )
    return [*lines, "", *_rule_table(r)]


def _quartiles(values: list[float]) -> list[str]:
    if not values:
        return ["-"] * 5
    qs = np.percentile(values, [0, 25, 50, 75, 100])
    return [_fmt(float(q)) for q in qs]


def _summary(report: EvalReport) -> list[str]:
    """Many documents: the spread of per-document F1 and the weakest documents by name."""
    docs = report.documents
    title = f"{len(docs)} documents (per-document tables left out; --per-document shows them)"
    measures = {
        "entities": lambda d: d.entities[ALL].f1,
        "claims": lambda d: d.entities["Claim"].f1,
        "relations strict": lambda d: d.strict[ALL].f1,
    }
    rows = []
    for label, get in measures.items():
        values = [v for v in (get(d) for d in docs) if v is not None]
        rows.append([label, len(values), *_quartiles(values)])
    lines = [title, "=" * len(title), ""]
    lines += _table(["per-document F1", "docs", "min", "25%", "median", "75%", "max"], rows)
    scored = [d for d in docs if d.entities[ALL].f1 is not None]
    weakest = sorted(scored, key=lambda d: (d.entities[ALL].f1, d.document))[:WEAKEST_SHOWN]
    if weakest:
        lines += ["", "weakest documents (entity F1):"]
        lines += [f"  {d.document}  {_fmt(d.entities[ALL].f1)}" for d in weakest]
    return lines


def _headline_rows(report: EvalReport) -> list[tuple[str, DocumentReport]]:
    return [*report.genres.items(), ("TOTAL", report.total)]


def format_totals(report: EvalReport) -> list[str]:
    """Micro-averaged rows: one per genre (when gold files name genres), then TOTAL."""
    title = "Micro-average by genre" if report.genres else "Micro-average"
    rows = []
    for name, r in _headline_rows(report):
        s = r.entities[ALL]
        per_type = [_fmt(r.entities[k].f1) for k in KINDS]
        rows.append([name, r.document_count, s.predicted, s.gold, s.matched, *_prf(s), *per_type])
    header = ["genre", "docs", "pred", "gold", "match", "P", "R", "F1", *KINDS]
    lines = [title, "=" * len(title), "", "entities (F1 per type on the right)"]
    lines += _table(header, rows)
    rows = []
    for name, r in _headline_rows(report):
        s = r.strict[ALL]
        per_rel = [_fmt(r.strict[k].f1) for k in RELATIONS]
        rows.append(
            [name, r.document_count, s.predicted, s.gold, s.matched, *_prf(s), *per_rel]
            + [_fmt(r.lenient[ALL].f1)]
        )
    header = ["genre", "docs", "pred", "gold", "strict", "P", "R", "F1", *RELATIONS, "lenient F1"]
    lines += ["", "relations (strict; F1 per relation on the right)", *_table(header, rows)]
    if len(report.documents) < MIN_DOCUMENTS:
        return lines
    spans = report.intervals()
    rows = []
    for name, r in _headline_rows(report):
        f = spans[name]
        cells = [f"{_fmt(f[p][0])} - {_fmt(f[p][1])}" if f else "-" for p in PARTS]
        rows.append([name, r.document_count, *cells])
    header = ["genre", "docs", "Claim F1", "entities F1", "relations F1"]
    lines += [
        "",
        "how sure: 95% intervals of F1, documents resampled 1,000 times (a change inside them "
        "may be chance)",
        *_table(header, rows),
    ]
    return lines


def format_report(report: EvalReport, per_document: bool | None = None) -> str:
    """Aligned plain-text tables.

    One block per document (`per_document` True, or None with at most
    :data:`PER_DOCUMENT_LIMIT` documents) or else a summary of them; then, with several
    documents, the micro-average block with its rules and the per-genre / TOTAL rows.
    """
    docs = report.documents
    if per_document is None:
        per_document = len(docs) <= PER_DOCUMENT_LIMIT
    blocks = []
    if per_document:
        for r in docs:
            where = f" (graph {r.graph})" if r.graph else " (whole graph)"
            blocks.append(_format_document(r, f"{r.document}{where}"))
    else:
        blocks.append(_summary(report))
    if len(docs) > 1:
        blocks.append(_format_document(report.total, f"All {len(docs)} documents (micro-average)"))
        blocks.append(format_totals(report))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
