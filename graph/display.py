"""Text from documents made safe to display: no bidi overrides, no control characters.

A label is untrusted text. A right-to-left override (U+202E) in "Mark \u202eTuager" makes it
display as another name, and a newline or an escape sequence breaks a table row or a
terminal. `display_text` removes the bidi controls and replaces other control characters.

>>> display_text("Mark \u202eTuager")
'Mark Tuager'
>>> display_text("two\\nlines\\u2028here", one_line=True)
'two lines here'
"""

from __future__ import annotations

import re

# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), marks (U+200E, U+200F,
# U+061C): each can reorder what a reader sees.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # C0/C1 but whitespace
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")


def display_text(text: object, one_line: bool = False) -> str:
    """`text` without bidi controls, other control characters shown as U+FFFD; with
    `one_line`, line breaks and runs of whitespace become single spaces."""
    s = _BIDI.sub("", str(text))
    if one_line:
        s = " ".join(_BREAKS.sub(" ", s).split()) if _BREAKS.search(s) else s
    return _CONTROL.sub("\ufffd", s)
