"""Read one file into a `Document`: decode it, normalise it, and mask its markup.

All offsets (passages, emphasis, evidence) refer to the normalised text: newlines are
"\\n" (CRLF, CR, U+2028 and U+2029 become "\\n") and the text is Unicode NFC.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from configparser import ConfigParser
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura
from charset_normalizer.utils import is_multi_byte_encoding
from trafilatura.settings import use_config

from claimgraph.graph.identity import shown
from claimgraph.graph.model import Document

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
SUPPORTED_SUFFIXES = tuple(MEDIA_TYPES)


class ReadError(Exception):
    """A file that cannot be read as a document; the message is one line naming the file."""


def read_document(path: Path, name: str) -> Document:
    """Read a .txt, .md or .html file into a Document named `name`; raise ReadError if unusable.

    Offsets into `text` are offsets into the normalised text (newlines as "\\n", NFC).
    """
    label = shown(name)  # as messages print it: one line whatever the name holds
    data, media_type = _read(path, label)
    declared = _declared_charset(data) if media_type == "text/html" else None
    raw = normalise(decode(data, label, declared))
    if not raw.strip():
        raise ReadError(f"{label}: file is empty (only whitespace)")

    text, title, genre = raw, None, None
    if media_type == "text/html":
        text, title, genre = html_main_text(raw, label)
    plain, emphasis = None, []
    if media_type != "text/plain":  # HTML's main text comes out as Markdown
        plain, emphasis, heading = markdown_plain(text)
        if media_type == "text/markdown":
            title = heading
    return Document(
        path=str(path),
        name=name,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        media_type=media_type,
        title=title,
        genre=genre,
        plain=plain,
        emphasis=emphasis,
    )


# --- bytes and encodings -------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}))
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.02
#: Below this share of bytes >= 0x80 a text is mostly ASCII: a CJK multi-byte guess is wrong.
_MOSTLY_ASCII = 0.3


def _read(path: Path, name: str) -> tuple[bytes, str]:
    """The file's bytes and media type; opened first so a missing file is not called unsupported."""
    try:
        with path.open("rb") as handle:
            media_type = _media_type(path, name)
            data = handle.read()
    except FileNotFoundError:
        raise ReadError(f"{name}: no such file or directory") from None
    except IsADirectoryError:
        raise ReadError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise ReadError(f"{name}: permission denied") from None
    except OSError as exc:
        raise ReadError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not data:
        raise ReadError(f"{name}: file is empty")
    return data, media_type


def _media_type(path: Path, name: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        raise ReadError(
            f"{name}: unsupported file type {suffix or '(none)'} (supported: {supported})"
        )
    return MEDIA_TYPES[suffix]


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Bytes to text: a BOM's encoding, else UTF-8, else `declared`, else a detected encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ReadError(
                    f"{name}: invalid {encoding} text after its byte-order mark"
                ) from None
            _refuse_binary(text, name)
            return text.removeprefix("\ufeff")  # a second BOM, as some tools write
    if b"\x00" in data or _control_share(data) > _MAX_CONTROL_SHARE:
        raise ReadError(f"{name}: looks binary, not text")
    for encoding in ("utf-8", declared):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    text = _detect(data)
    if text is None:
        raise ReadError(f"{name}: cannot detect the text encoding")
    _refuse_binary(text, name)
    return text


def _detect(data: bytes) -> str | None:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    high = 1 - len(data.translate(None, _HIGH_BYTES)) / len(data)
    # A few accented names in English text give charset-normalizer little to go on: it may
    # guess GB18030 or Baltic. For mostly-ASCII bytes prefer Windows-1252 when it is as clean.
    if high < _MOSTLY_ASCII and (
        best is None
        or is_multi_byte_encoding(best.encoding)
        or any(r.chaos <= best.chaos and "cp1252" in r.could_be_from_charset for r in results)
    ):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return None if best is None else str(best)


def _control_share(data: bytes) -> float:
    return 1 - len(data.translate(None, _CONTROL_BYTES)) / len(data)


def _refuse_binary(text: str, name: str) -> None:
    controls = len(_CONTROL_CHARS.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise ReadError(f"{name}: looks binary, not text")


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def normalise(text: str) -> str:
    """Newlines to "\\n" and Unicode to NFC, so offsets and hashes do not depend on either."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", text)


# --- HTML ----------------------------------------------------------------------------------

#: Never text: dropped with their content before anything reads the page.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "button", "select")
#: Page furniture: dropped unless inside <article> or <main>, where they hold the byline.
_FURNITURE_TAGS = ("nav", "header", "footer", "aside")
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table"}
    | {"blockquote", "section", "article", "main", "pre", "dd", "dt", "figcaption"}
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_main_text(html: str, name: str) -> tuple[str, str | None, str | None]:
    """The main text of a page as Markdown (italics kept as `*x*`), its title and genre.

    Scripts, styles, comments and page furniture go first; trafilatura then keeps the main
    text, and if it finds none the rest of the body is taken with its paragraph breaks.
    """
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (lxml.etree.ParserError, ValueError):
        raise ReadError(f"{name}: cannot parse the HTML") from None
    title = _html_title(tree)
    genre = "Article" if _is_article(tree) else None
    _drop_furniture(tree)
    for cite in tree.iter("cite"):
        cite.tag = "em"  # trafilatura keeps <em> and <i> as italics but drops <cite>
    text = trafilatura.extract(
        lxml.html.tostring(tree, encoding="unicode"),
        output_format="markdown",
        include_formatting=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        include_tables=True,
        with_metadata=False,
        config=_trafilatura_config(),
    )
    if not text or not text.strip():
        text = _fallback_text(tree)
    text = normalise(text).strip()
    if not text.strip():
        raise ReadError(f"{name}: no main text found in the HTML")
    return text, title, genre


@cache
def _trafilatura_config() -> ConfigParser:
    """trafilatura's defaults, but keeping a short main text as it is: its fallback for short
    texts reads the whole page and breaks lines at every <em>."""
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _drop_furniture(tree: lxml.html.HtmlElement) -> None:
    """Remove comments, scripts, styles and navigation, headers, footers and asides."""
    drop = list(tree.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction, *_DROP_TAGS))
    for el in tree.iter(*_FURNITURE_TAGS):
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            drop.append(el)
    for el in drop:
        el.drop_tree()


def _html_title(tree: lxml.html.HtmlElement) -> str | None:
    for found in (tree.find(".//title"), tree.find(".//h1")):
        if found is not None:
            title = " ".join(found.text_content().split())
            if title:
                return title
    return None


def _is_article(tree: lxml.html.HtmlElement) -> bool:
    if tree.find(".//article") is not None:
        return True
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:type":
            return (meta.get("content") or "").strip().lower().startswith("article")
    return False


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Body text of a page rid of its furniture, with paragraph breaks and italics as `*x*`."""
    body = tree.find("body")
    root = body if body is not None else tree
    for el in list(root.iter("form")):
        el.drop_tree()
    for el in root.iter("em", "i", "cite"):
        words = el.text_content()
        if words and words == words.strip():  # `* x *` would not read as emphasis
            el.text = "*" + (el.text or "")
            el.tail = "*" + (el.tail or "")
    for el in root.iter(*_BLOCK_TAGS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)


# --- Markdown masking ----------------------------------------------------------------------

_HIDDEN = "\ue000"  # what patterns see in place of code and escaped characters
# The patterns must take time linear in the text: an opener without a closer must not scan
# to the end of the line (or text) for each of a million openers. So what a span holds
# stops at the next opener ("**", "[", "<em"), and code spans are bounded in length.
_SPAN = 1000
_URL = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)"
_FRONT_MATTER = re.compile(r"\A---\n(?:.*\n)*?(?:---|\.\.\.)\n")
_FRONT_TITLE = re.compile(r"^title:(.*)$", re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_RAW_ELEMENT = re.compile(r"<(script|style)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE = re.compile(rf"(?<!`)(`+)(?!`)(.{{1,{_SPAN}}}?)(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~]|$)", re.M)
_HTML_ITALIC = re.compile(r"<(em|i|cite)\b[^<>]*>((?:[^<]|<(?!\1\b))*?)</\1\s*>", re.S | re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>")
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]" + _URL)
_LINK = re.compile(r"(\[)[^\[\]\n]*(\]" + _URL + r"|\]\[[^\[\]\n]*\])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^[ \t]{0,3}\[\^[^\]\s]+\]:", re.M)
_LINK_DEF = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_QUOTE = re.compile(r"^(?:[ \t]*>[ \t]?)+", re.M)
_RULE = re.compile(
    r"^[ \t]*+(?:=++|(?:-[ \t]*+)++|(?:\*[ \t]*+){3,}+|(?:_[ \t]*+){3,}+)[ \t]*$", re.M
)
#: "# Heading ##": the marks, then the rest of the line (closing marks trimmed in code).
_HEADING = re.compile(r"^[ \t]*+(#{1,6})(?![^ \t\n])([^\n]*)$", re.M)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])(?:[ \t]+\[[ xX]\])?(?=[ \t])", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_STRONG_EM = re.compile(
    r"(?<![*\\])\*{3}(?![\s*])((?:[^*\n]|\*(?!\*\*))+?)(?<![\s*])\*{3}(?!\*)"
    r"|(?<![\w_])_{3}(?![\s_])((?:[^_\n]|_(?!__))+?)(?<![\s_])_{3}(?![\w_])"
)
_STRONG = re.compile(
    r"(?<!\*)\*\*(?![\s*])((?:[^*\n]|\*(?!\*))+?)(?<![\s*])\*\*(?!\*)"
    r"|(?<![\w_])__(?![\s_])((?:[^_\n]|_(?!_))+?)(?<![\s_])__(?![\w_])"
    r"|(?<!~)~~(?![\s~])((?:[^~\n]|~(?!~))+?)(?<![\s~])~~(?!~)"
)
_EM = re.compile(
    r"(?<!\*)\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?!\*)"
    r"|(?<![\w_])_(?![\s_])([^_\n]+?)(?<![\s_])_(?![\w_])"
)


@dataclass
class _Mask:
    """Markdown being masked: `out` becomes `plain`, `scan` is what the patterns see."""

    out: list[str]
    scan: list[str]
    emphasis: list[tuple[int, int]]

    @property
    def text(self) -> str:
        return "".join(self.scan)

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.out[i] != "\n":
                self.out[i] = self.scan[i] = " "

    def hide(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.scan[i] != "\n":
                self.scan[i] = _HIDDEN

    def unwrap(self, m: re.Match, emphasis: bool) -> None:
        """Blank the delimiters around the one group that matched; record it if emphasis."""
        group = next(g for g in range(1, len(m.groups()) + 1) if m.group(g) is not None)
        self.blank(m.start(), m.start(group))
        self.blank(m.end(group), m.end())
        if emphasis:
            self.emphasis.append((m.start(group), m.end(group)))


def markdown_plain(text: str) -> tuple[str, list[tuple[int, int]], str | None]:
    """Markdown to (plain, emphasis spans, first level-1 heading) with offsets into `text`.

    `plain` has the same length as `text`, markup blanked to spaces, so language processing
    can read it while evidence offsets still point into the Markdown. Emphasis is italics
    (`*x*`, `_x_`, `***x***`, <em>, <i>, <cite>), the usual way of setting a work's title.
    """
    mask = _Mask(list(text), list(text), [])
    title = _mask_blocks(mask, text)
    _mask_inline(mask)
    heading = _mask_lines(mask)
    for pattern, emphasis in ((_STRONG_EM, True), (_STRONG, False), (_EM, True)):
        for m in list(pattern.finditer(mask.text)):
            mask.unwrap(m, emphasis)
    plain = "".join(mask.out)
    assert len(plain) == len(text)
    if title is None and heading is not None:
        title = " ".join(plain[heading[0] : heading[1]].split()) or None
    return plain, _trimmed(mask.emphasis, plain), title


def _mask_blocks(mask: _Mask, text: str) -> str | None:
    """Front matter, comments, scripts and fenced code; returns a front-matter title."""
    title = None
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_TITLE.search(front.group())
        if found:
            title = _unquoted(found.group(1)).strip() or None
        mask.blank(0, front.end())
    for pattern in (_COMMENT, _RAW_ELEMENT):
        for m in pattern.finditer(mask.text):
            mask.blank(m.start(), m.end())
    fence, offset, scan = None, 0, mask.text
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(scan[offset : offset + len(line)])
        if fence is None and m:
            fence = m.group(1)
            mask.blank(offset, offset + len(line))
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
                mask.blank(offset, offset + len(line))
            else:
                mask.hide(offset, offset + len(line))
        offset += len(line)
    return title


def _mask_inline(mask: _Mask) -> None:
    """Code spans, escapes, HTML tags, images, links and footnote markers."""
    for m in list(_CODE.finditer(mask.text)):
        mask.blank(m.start(1), m.end(1))
        mask.blank(m.end(2), m.end())
        mask.hide(m.start(2), m.end(2))
    for m in list(_ESCAPE.finditer(mask.text)):
        mask.blank(m.start(), m.start() + 1)
        mask.hide(m.start(1), m.end(1))
    for m in list(_HTML_ITALIC.finditer(mask.text)):
        mask.emphasis.append((m.start(2), m.end(2)))
    for pattern in (_AUTOLINK, _HTML_TAG, _IMAGE, _FOOTNOTE_REF, _LINK_DEF, _FOOTNOTE_DEF):
        for m in list(pattern.finditer(mask.text)):
            mask.blank(m.start(), m.end())
    for m in list(_LINK.finditer(mask.text)):
        mask.blank(m.start(1), m.end(1))
        mask.blank(m.start(2), m.end(2))


def _mask_lines(mask: _Mask) -> tuple[int, int] | None:
    """Line markers: quotes, rules and underlines, headings, bullets, tables; first "# " line."""
    for pattern in (_QUOTE, _RULE):
        for m in list(pattern.finditer(mask.text)):
            mask.blank(m.start(), m.end())
    first_h1 = None
    for m in list(_HEADING.finditer(mask.text)):
        words_end = _heading_words_end(m)
        mask.blank(m.start(), m.end(1))
        mask.blank(words_end if words_end is not None else m.end(1), m.end())
        if first_h1 is None and len(m.group(1)) == 1:
            first_h1 = (m.start(), m.end())
    for m in list(_BULLET.finditer(mask.text)):
        mask.blank(m.start(), m.end())
    for m in list(_TABLE_ROW.finditer(mask.text)):
        for i in range(m.start(), m.end()):
            if mask.scan[i] == "|":
                mask.blank(i, i + 1)
        if not set(mask.scan[m.start() : m.end()]) - set(" \t:-"):
            mask.blank(m.start(), m.end())
    return first_h1


def _unquoted(value: str) -> str:
    """A front-matter value without the spaces and one quotation mark around it."""
    value = value.strip(" \t")
    value = value[1:] if value[:1] in "\"'" else value
    return value[:-1] if value[-1:] in "\"'" else value


def _heading_words_end(m: re.Match) -> int | None:
    """Where the words of a heading line end, before closing marks ("## x ##"); None if none."""
    rest = m.group(2).rstrip(" \t")
    unmarked = rest.rstrip("#")
    if unmarked != rest and (not unmarked or unmarked[-1] in " \t"):
        rest = unmarked.rstrip(" \t")
    return m.start(2) + len(rest) if rest.strip(" \t") else None


def _trimmed(spans: list[tuple[int, int]], plain: str) -> list[tuple[int, int]]:
    """Spans shrunk to their visible words; empty ones dropped; sorted and unique."""
    out = set()
    for start, end in spans:
        while start < end and plain[start].isspace():
            start += 1
        while end > start and plain[end - 1].isspace():
            end -= 1
        if start < end:
            out.add((start, end))
    return sorted(out)
