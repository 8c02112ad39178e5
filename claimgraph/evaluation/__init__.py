"""Scoring extraction against gold annotations (`claimgraph eval`); reads the graph, never the CLI.

Modules: `gold` (gold files), `matching` (names, claim text, one-to-one assignment),
`predicted` (what a document's named graph holds), `scoring` (evaluate), `results` (the
report types and micro-averages), `report` (plain-text tables), `intervals` (bootstrap
intervals over documents), `comparison` (two graphs on the same gold: which differences are
beyond chance).
"""

from claimgraph.evaluation.gold import load_gold
from claimgraph.evaluation.matching import CLAIM_THRESHOLD, fold_name, token_f1
from claimgraph.evaluation.report import PER_DOCUMENT_LIMIT, format_report
from claimgraph.evaluation.results import (
    KINDS,
    RELATIONS,
    DocumentReport,
    EvalReport,
    RuleScore,
    Score,
    TypeScore,
)
from claimgraph.evaluation.scoring import evaluate

__all__ = [
    "CLAIM_THRESHOLD",
    "KINDS",
    "PER_DOCUMENT_LIMIT",
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
