"""What language processing should not read: footnote markers glued to words ("noted1"),
which hide the word from the parser, and huge runs without spaces (inlined data).

They are blanked to spaces in the text language processing reads (same length, so offsets
stay valid); the document text itself keeps them.
"""

from __future__ import annotations

import re

# A number right after a word, or after a word and a comma/period ("offense,3"), but not
# after a digit and a comma ("100,000"), which is a thousands separator.
_GLUED_MARKER = re.compile(
    r"(?:(?<=[a-z\u2019\u201d\")])|(?<=[a-z\u2019\u201d\")][,.]))\d{1,3}(?=[\s,.;:)\u201d\"\u2019]|$)",
    re.M,
)


def mask_footnote_markers(text: str) -> str:
    """`text` with footnote numbers glued to the end of words replaced by spaces."""
    return _GLUED_MARKER.sub(lambda m: " " * len(m.group()), text)


#: Longer than any word or sentence-bearing token: an inlined base64 blob, a hex dump.
LONG_RUN = 1000
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def mask_long_runs(text: str) -> str:
    """`text` with runs of more than LONG_RUN non-space characters replaced by spaces:
    language processing would spend seconds on each and find nothing in them."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
