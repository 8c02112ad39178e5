"""The model card written beside a trained argument model: data, licences, settings, figures."""

from __future__ import annotations

from pathlib import Path

LICENCES = {
    "web-discourse": "Habernal & Gurevych 2017, Argumentation Mining in User-Generated Web "
    "Discourse (Computational Linguistics 43(1)); Apache-2.0",
    "cdcp": "Park & Cardie 2018, Cornell eRulemaking Corpus (CDCP); Open Database License + "
    "Database Contents License",
    "perspectrum": "Chen et al. 2019, PERSPECTRUM; CC BY-SA 4.0",
}


def write_card(folder: Path, settings: dict, evaluation: str = "") -> None:
    """Write MODEL_CARD.md into `folder` from the training settings (and an evaluation table)."""
    corpora = list(settings.get("corpora", []))
    data = "\n".join(f"- {c}: {LICENCES.get(c, 'licence not recorded')}" for c in corpora)
    cv = settings.get("cross_validated", {})
    lines = [
        "# Argument model (claimgraph)",
        "",
        "Decides which candidate units (sentences or clauses) of a passage are argument units "
        "(claims, premises) and which unit supports or disputes which. Linear models over "
        "hashed lemma n-grams, discourse markers, position and length features and the mean "
        "tok2vec vector of the unit (spaCy's small English model, already run by ingest), "
        "scored with numpy only (`claimgraph/ingest/argument_model.py`): three unit heads "
        "(argument unit, relation target, relation source); a link model ranking each unit's "
        "candidate targets (its window, the document's first unit and likeliest targets) by "
        "pair features (distance, positions, ranks, markers, overlap, tok2vec similarity), "
        "trained listwise so its softmax is P(target | source); and a polarity model "
        "(disputes against supports) applied to the chosen link. A unit's edge has confidence "
        "P(source) x P(target | source).",
        "",
        f"Trained: {settings.get('trained')} with seed {settings.get('seed')} by "
        "`claimgraph train --what arguments` (claimgraph/training/arguments.py).",
        "",
        "## Data",
        "",
        data or "- (none recorded)",
        "",
        f"{settings.get('documents')} documents, {settings.get('sentences')} candidate units "
        f"({settings.get('units', 'sentences')}; {settings.get('positive_sentences')} matching "
        "an annotated unit), "
        f"{settings.get('pairs')} candidate pairs ({settings.get('relations_in_window')} of "
        f"{settings.get('relations_gold')} annotated relations inside the window of "
        f"{settings.get('window')} units).",
        "",
        _units_line(settings),
        "",
        _polarity_line(settings),
        "",
        "## Thresholds",
        "",
        _selection_line(settings),
        f"- claim_threshold = {settings.get('claim_threshold')}: P(argumentative) at or above "
        "which a candidate unit becomes a claim when claim_selection is `threshold`;",
        f"- relation_threshold = {settings.get('relation_threshold')}: the confidence "
        "P(source) x P(target | source) at or above which a unit's best target gets an edge;",
        f"- relation_share = {settings.get('relation_share', 0.0)}: the share of a document's "
        "units whose best edge is kept whatever its probability (the likeliest first), so a "
        "genre whose scores run low still gets its surest edges;",
        f"- fallback = {settings.get('fallback', 'none')}: the structural edges a document gets "
        "when no pair reaches the relation threshold (previous: each unit supports the one "
        "before it in its paragraph; hub: each unit supports its paragraph's likeliest "
        "relation target; none). Their rule is `structural-support`.",
        "",
        "All were chosen inside the training data only: first the claim selection and "
        "threshold maximising the mean over training corpora of claim F1, then the relation "
        "threshold, "
        "share and fallback maximising the mean over training corpora of strict relation F1 "
        "(matched like `claimgraph eval`; ties go to a fallback). With more than one training "
        "corpus each corpus is scored twice, by 3-fold cross-validation within the mixture and "
        "by a model trained on the other corpora only (cross-corpus), so the thresholds also "
        "hold on a genre denser or sparser than the training ones. Override them in "
        "claimgraph.toml: `[model] claim_selection`, `claim_threshold` (alone, it also "
        'means `claim_selection = "threshold"`), `relation_threshold`, `relation_share`, '
        "`fallback`.",
        "",
        f"Cross-corpus claims (P / R / F1) with this selection: "
        f"{_prf(settings.get('cross_corpus', {}).get('units'))}.",
        "",
        "Cross-validated on the training data at these thresholds (P / R / F1): "
        f"claims {_prf(cv.get('units'))}, relations {_prf(cv.get('relations'))}.",
        "",
        "## Evaluation",
        "",
        evaluation or "(see the report of the training run)",
        "",
        "## Limits",
        "",
        f"Units are {_UNITS.get(settings.get('units'), 'sentences')}; finer propositions and "
        "implicit claims are not found. English only. Trained on user comments, forum and blog posts about education "
        "and public comments on a consumer-finance rule: other genres and topics will score "
        "lower, and density (how much of a text is argument, how many units have a relation) is "
        "learned from these genres. For densely argued texts where nearly every unit supports "
        "or disputes another (essays, short argument texts), raise `[model] relation_share` "
        '(e.g. 1.0: every unit keeps its best edge) or set `fallback = "previous"`.',
        "",
    ]
    (folder / "MODEL_CARD.md").write_text("\n".join(lines), "utf-8")


_UNITS = {
    "clauses": "clauses (sentences cut at ';' and before 'but', 'because', 'since', ... when "
    "both sides are long enough)",
    "learned": "the pieces the learned segmenter cuts sentences into (where an annotated unit "
    "would start or end, as learned from the training corpora)",
}


def _units_line(settings: dict) -> str:
    """How the candidate units were chosen: the clause rule or the learned segmenter, with
    the cross-validated mean claim F1 of each option."""
    choice = settings.get("segment_choice")
    if not choice:
        return f"Units: {settings.get('units', 'sentences')}."
    options = ", ".join(
        f"{'the clause rule' if k == 'clauses' else 'learned segmenter at P(boundary) >= ' + k} "
        f"{v:.3f}"
        for k, v in choice.items()
    )
    chosen = (
        "the clause rule"
        if settings.get("units") != "learned"
        else f"the learned segmenter, cutting where P(boundary) >= {settings['segment_threshold']}"
    )
    also = (
        ""
        if settings.get("units") == "learned" or "segment_threshold" not in settings
        else " The learned segmenter ships too (cutting where P(boundary) >= "
        f'{settings["segment_threshold"]}): `[model] units = "learned"` in claimgraph.toml '
        "uses it, e.g. for genres argued clause by clause."
    )
    return (
        f"Units: {chosen}, chosen by the mean claim F1 over the training corpora, "
        f"cross-validated ({options}; `claimgraph/training/segments.py`).{also}"
    )


def _selection_line(settings: dict) -> str:
    """How claims are picked from P(argumentative), and the score of each way."""
    mode = settings.get("claim_selection", "threshold")
    scores = settings.get("selection_choice", {})
    measured = ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
    return (
        f"- claim_selection = {mode}: `expected-f1` keeps, in each document, the likeliest "
        "units that maximise its expected claim F1 if P(argumentative) were calibrated (so it "
        "follows the document's own density); `threshold` keeps every unit at or above "
        "claim_threshold"
        + (
            f" (mean claim F1 over the training corpora and views: {measured});"
            if measured
            else ";"
        )
    )


def _polarity_line(settings: dict) -> str:
    """What the polarity model learned from: the corpora that annotate disputes, and the
    stance pairs at the weight chosen by cross-validation."""
    head = (
        "Polarity (supports or disputes, given a link) is learned only from the corpora that "
        "annotate disputes at all (a supports-only scheme such as CDCP's says nothing about "
        "polarity)"
    )
    cv = settings.get("polarity_cv")
    if not cv:
        return f"{head}. PERSPECTRUM stance pairs passed to training: " + (
            f"{settings.get('stance_pairs', 0)} (not used)."
        )
    options = ", ".join(
        f"weight {k}: disputes P / R / F1 {v['precision']:.3f} / {v['recall']:.3f} / "
        f"{v['f1']:.3f}, AUC {_n(v['auc'])}"
        for k, v in cv.items()
    )
    return (
        f"{head}, plus {settings.get('stance_rows')} PERSPECTRUM stance pairs (a perspective "
        f"supports or undermines a claim; each one sentence) at weight "
        f"{settings.get('stance_weight')} against 1 for an annotated relation, the weight "
        f"chosen by the disputes F1 of the polarity model on the training corpora's own "
        f"annotated relations, cross-validated ({options}; `claimgraph/training/stance.py`)."
    )


def _prf(fig: dict | None) -> str:
    if not fig:
        return "-"
    return f"{fig['precision']:.3f} / {fig['recall']:.3f} / {fig['f1']:.3f}"


def evaluation_table(rows: list[dict], note: str = "") -> str:
    """The held-out rows of benchmarks/extraction.py (its --json output) as a Markdown table:
    claims P / R / F1 and strict / lenient relation F1 of each system, with the 95% bootstrap
    intervals of claims and strict F1 where the benchmark gives them."""
    lines = [
        note,
        "",
        "| row | docs | system | claims P / R / F1 | relations strict F1 | lenient F1 "
        "| claims F1 95% | strict F1 95% |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for system in ("baseline", "rules", "learned"):
            fig = row.get(system)
            if fig is None:
                continue
            c = fig["claims"]
            claims = " / ".join(_n(c[k]) for k in ("precision", "recall", "f1"))
            spans = fig.get("intervals") or {}
            lines.append(
                f"| {row['row']} | {fig['documents']} | {system} | {claims} | "
                f"{_n(fig['strict']['f1'])} | {_n(fig['lenient']['f1'])} | "
                f"{_span(spans.get('claims'))} | {_span(spans.get('strict'))} |"
            )
    return "\n".join(lines).strip() + "\n"


def _span(pair: list[float] | None) -> str:
    return "-" if not pair else f"{pair[0]:.3f} - {pair[1]:.3f}"


def _n(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
