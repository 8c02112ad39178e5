"""Discussion threads: posts, who wrote each, and which earlier post a reply answers.

A forum thread, comment section or mailing-list digest pasted as text marks each post with a
header line ("Marta wrote:", "Posted by lindqvist_r on 3 May", "u/tidewatcher · 4h",
"**Ivo Brandt**"). The header patterns are data (`[threads] headers` in rules.toml, each a
regular expression with a `who` group). A document is a thread when at least two headers
from two posters are found; then every claim stated in a post is its poster's, and the opening
of a reply that agrees or disagrees supports or disputes the post it answers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class Post:
    author: str  # the poster's name as written in the header
    header: tuple[int, int]  # the header line
    start: int  # the body, after the header
    end: int
    quotes: list[tuple[int, int]] = field(default_factory=list)  # "> ..." lines in the body
    reply_to: int | None = None  # index of the post this one answers


_QUOTE_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.M)
_RULE_LINE = re.compile(r"^(?:[-*_=~]\s*){3,}$")
_WORD = re.compile(r"[^\W_]{3,}")
#: How many earlier posts a reply is matched against: keeps a huge thread linear.
LOOK_BACK = 200


def find_posts(
    text: str, headers: tuple[re.Pattern, ...], not_posters: frozenset[str]
) -> list[Post]:
    """The posts of `text` in order, or [] when it does not read as a thread."""
    found: dict[int, tuple[int, str]] = {}
    for pattern in headers:
        for m in pattern.finditer(text):
            who = m.group("who").strip(" *_@[]")
            if not _opens_block(text, m.start()):
                continue
            if who and who.lower() not in not_posters and m.start() not in found:
                found[m.start()] = (m.end(), who)
    marks = sorted((s, e, who) for s, (e, who) in found.items())
    if len(marks) < 2 or len({who.lower() for _, _, who in marks}) < 2:
        return []
    posts = []
    for i, (s, e, who) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        quotes = [(m.start(), m.end()) for m in _QUOTE_LINE.finditer(text, e, end)]
        posts.append(Post(who, (s, e), e, end, quotes))
    # each post's own words, without the lines it quotes: a quote is found where it was said
    words = [
        " ".join(_WORD.findall(_QUOTE_LINE.sub("", text[p.start : p.end]).lower())) for p in posts
    ]
    other = _last_by_other(posts)
    for i, post in enumerate(posts):
        post.reply_to = _answered(text, posts, words, i)
        if post.reply_to is None and i > 0:
            post.reply_to = other[i]
    return posts


def _last_by_other(posts: list[Post]) -> list[int | None]:
    """For each post, the last earlier post by someone else (in one pass, not a search)."""
    out: list[int | None] = [None] * len(posts)
    # differs[j]: the last post at or before j whose author is not posts[j]'s author
    differs: list[int | None] = []
    for i, post in enumerate(posts):
        me = post.author.lower()
        if i > 0:
            j = i - 1
            out[i] = j if posts[j].author.lower() != me else differs[j]
        prev = i - 1
        if prev >= 0 and posts[prev].author.lower() != me:
            differs.append(prev)
        else:
            differs.append(differs[prev] if prev >= 0 else None)
    return out


def _opens_block(text: str, start: int) -> bool:
    """Whether the line at `start` follows a blank line, a rule ("---") or the text's start."""
    newline = text.rfind("\n", 0, start)  # looks back one line only: linear over all headers
    if newline < 0:
        return True
    previous = text[text.rfind("\n", 0, newline) + 1 : newline].strip()
    return previous == "" or bool(_RULE_LINE.match(previous))


def _answered(text: str, posts: list[Post], words: list[str], i: int) -> int | None:
    """The earlier post that post i answers: the one it quotes or the poster it addresses
    by name in its opening (among the last LOOK_BACK posts)."""
    if i == 0:
        return None
    post = posts[i]
    quoted = " ".join(text[s:e].lstrip(" \t>") for s, e in post.quotes)
    said = _WORD.findall(quoted.lower())
    if len(said) >= 3:
        probe = " ".join(said[:8])
        for j in range(i - 1, max(-1, i - 1 - LOOK_BACK), -1):
            if probe in words[j]:
                return j
    opening = text[post.start : min(post.end, post.start + 400)].lstrip()[:80].lower()
    for j in range(i - 1, max(-1, i - 1 - LOOK_BACK), -1):
        name = posts[j].author.lower()
        if posts[j].author.lower() != post.author.lower() and re.search(
            rf"(?<![\w@]){re.escape(name)}(?![\w])|@{re.escape(name)}(?![\w])", opening
        ):
            return j
    return None  # the caller falls back to the last post by someone else


def post_at(posts: list[Post], offset: int) -> int | None:
    """Index of the post whose body holds `offset`."""
    i = bisect_right(posts, offset, key=lambda p: p.start) - 1
    return i if i >= 0 and posts[i].start <= offset < posts[i].end else None


def quoted_spans(posts: list[Post]) -> list[tuple[int, int]]:
    """Quoted lines and headers: text that is not the poster's own words."""
    return [span for p in posts for span in (p.header, *p.quotes)]
