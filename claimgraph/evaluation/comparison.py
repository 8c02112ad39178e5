"""Two extractions of the same documents scored against the same gold: is one really better?

`claimgraph eval --against OTHER` answers it for each genre and in total: the F1 of both, the
difference, and the 95% interval of that difference when the documents are resampled together
(`intervals.difference_interval`); a difference whose interval excludes zero is one that a
different draw of documents would not undo.
"""

from __future__ import annotations

from claimgraph.evaluation.intervals import MIN_DOCUMENTS, difference_interval, micro_f1
from claimgraph.evaluation.results import PARTS, EvalReport


def compare_reports(new: EvalReport, old: EvalReport) -> dict[str, dict[str, dict]]:
    """Per genre (as the gold names them) and "TOTAL", per part (PARTS): `new` and `old` F1,
    their difference and its paired 95% interval, over the documents both reports scored."""
    before = {d.document: d for d in old.documents}
    out: dict[str, dict[str, dict]] = {}
    for name, group in new.groups().items():
        members = [d for d in group if d.document in before]
        out[name] = {"documents": len(members)}
        for part in PARTS:
            a = [d.counts(part) for d in members]
            b = [before[d.document].counts(part) for d in members]
            diff, lo, hi = difference_interval(a, b)
            out[name][part] = {
                "new": round(micro_f1(a), 4),
                "old": round(micro_f1(b), 4),
                "difference": round(diff, 4),
                "interval": [round(lo, 4), round(hi, 4)],
            }
    return out


def format_comparison(table: dict[str, dict[str, dict]]) -> str:
    """Plain-text rows: genre, documents, then per part: old -> new, difference [interval],
    and "beyond chance" where the interval excludes zero (groups of MIN_DOCUMENTS or more)."""
    lines = [
        "this graph against the other (same gold, same documents; 95% paired intervals, "
        "documents resampled 1,000 times)",
        "",
    ]
    for name, row in table.items():
        n = row["documents"]
        lines.append(f"{name} ({n} document{'' if n == 1 else 's'})")
        for part in PARTS:
            f = row[part]
            lo, hi = f["interval"]
            if row["documents"] < MIN_DOCUMENTS:
                verdict = "too few documents to tell"
            elif lo == hi == f["difference"] == 0:
                verdict = "no change"
            else:
                verdict = "beyond chance" if lo > 0 or hi < 0 else "may be chance"
            lines.append(
                f"  {part:<10} {f['old']:.3f} -> {f['new']:.3f}  {f['difference']:+.3f} "
                f"[{lo:+.3f}, {hi:+.3f}]  {verdict}"
            )
    return "\n".join(lines) + "\n"
