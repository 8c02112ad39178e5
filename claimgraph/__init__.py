"""claimgraph: a claim-and-evidence knowledge graph from passages of text."""

__version__ = "0.1.0"
