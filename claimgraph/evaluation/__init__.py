"""Scoring extraction against gold annotations (`claimgraph eval`); reads the graph, never the CLI."""

from claimgraph.evaluation.scoring import EvalReport, evaluate, format_report, load_gold

__all__ = ["EvalReport", "evaluate", "format_report", "load_gold"]
