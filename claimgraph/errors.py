"""The CLI's view of user errors; they live in `claimgraph.graph.errors` so every layer can raise them."""

from claimgraph.graph.errors import UserError, user_message

__all__ = ["UserError", "user_message"]
