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
        "Decides which sentences of a passage are argument units (claims, premises) and which "
        "unit supports or disputes which. Two linear models over hashed lemma n-grams, "
        "discourse markers, position and length features and the mean tok2vec vector of the "
        "sentence (spaCy's small English model, already run by ingest); scored with numpy "
        "only (`claimgraph/ingest/argument_model.py`).",
        "",
        f"Trained: {settings.get('trained')} with seed {settings.get('seed')} by "
        "`claimgraph train --what arguments` (claimgraph/training/arguments.py).",
        "",
        "## Data",
        "",
        data or "- (none recorded)",
        "",
        f"{settings.get('documents')} documents, {settings.get('sentences')} sentences "
        f"({settings.get('positive_sentences')} matching an annotated unit), "
        f"{settings.get('pairs')} candidate pairs ({settings.get('relations_in_window')} of "
        f"{settings.get('relations_gold')} annotated relations inside the window of "
        f"{settings.get('window')} sentences).",
        "",
        "## Thresholds",
        "",
        f"- claim_threshold = {settings.get('claim_threshold')}: P(argumentative) at or above "
        "which a sentence becomes a claim;",
        f"- relation_threshold = {settings.get('relation_threshold')}: P(supports) + "
        "P(disputes) at or above which a unit's best target in its window gets an edge.",
        "",
        "Both were chosen by 3-fold cross-validation inside the training data (first the claim "
        "threshold maximising the mean over training corpora of claim F1, then the relation "
        "threshold maximising strict relation F1, matched like `claimgraph eval`). Override "
        "them in claimgraph.toml: `[model] claim_threshold = 0.4`, `relation_threshold = 0.5`.",
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
        f"Units are {settings.get('units', 'sentences')}; finer propositions and implicit "
        "claims are not found. English only. Trained on user comments, forum and blog posts about education "
        "and public comments on a consumer-finance rule: other genres and topics will score "
        "lower, and density (how much of a text is argument) is learned from these genres.",
        "",
    ]
    (folder / "MODEL_CARD.md").write_text("\n".join(lines), "utf-8")


def _prf(fig: dict | None) -> str:
    if not fig:
        return "-"
    return f"{fig['precision']:.3f} / {fig['recall']:.3f} / {fig['f1']:.3f}"
