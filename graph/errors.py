"""Errors the user can act on, and how any error becomes one readable line."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a bad request: reported as one line, exit status 2."""


def user_message(exc: BaseException) -> str:
    """One line describing `exc`, without a traceback."""
    text = str(exc).strip() or exc.__class__.__name__
    first = text.splitlines()[0]
    known = ("UserError", "StoreError", "StoreBusy", "ReadError")
    if exc.__class__.__name__ in known:
        return first
    return f"{first} ({exc.__class__.__name__})"
