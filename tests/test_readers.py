"""Reading real files: encodings, refusals, HTML main text, Markdown masking; and discovery."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from claimgraph.ingest.discover import discover
from claimgraph.ingest.readers import SUPPORTED_SUFFIXES, ReadError, markdown_plain, read_document


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def read(tmp_path: Path, name: str, content: str | bytes):
    return read_document(write(tmp_path, name, content), name)


def refusal(path: Path, name: str | None = None) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path, name or path.name)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{name or path.name}: ")
    return message


# --- plain text and encodings ------------------------------------------------------------


def test_utf8_with_curly_quotes_is_read_as_is(tmp_path):
    text = "\u201cThe reform was rushed,\u201d Kowalczyk\u2019s review says.\n"
    doc = read(tmp_path, "quotes.txt", text)
    assert doc.text == text
    assert doc.plain is None and doc.nlp_text == text
    assert doc.media_type == "text/plain" and doc.name == "quotes.txt"
    assert doc.path == str(tmp_path / "quotes.txt")
    assert doc.sha256 == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "Slavoj \u017di\u017eek and \u00c9mile Durkheim disagree about crime.\n"),
        (
            "cp1252",
            "\u201cCaf\u00e9 society,\u201d wrote Bo\u017eena Nemcov\u00e1\u2019s editor.\n",
        ),
        ("latin-1", "\u00c9mile Durkheim argues that soci\u00e9t\u00e9 shapes the individual.\n"),
    ],
)
def test_single_byte_encodings_are_detected(tmp_path, encoding, text):
    doc = read(tmp_path, "legacy.txt", text.encode(encoding))
    assert doc.text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_honoured_and_stripped(tmp_path, encoding):
    text = "\u00c9mile \u017di\u017eek said \u201cno\u201d.\nSecond line.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    doc = read(tmp_path, "bom.txt", data)
    assert doc.text == text


def test_newlines_and_unicode_are_normalised(tmp_path):
    doc = read(tmp_path, "mixed.txt", "Cafe\u0301 one.\r\nTwo.\rThree.\u2028Four.\n")
    assert doc.text == "Caf\u00e9 one.\nTwo.\nThree.\nFour.\n"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_and_whitespace_only_files_are_refused(tmp_path, content):
    message = refusal(write(tmp_path, "empty.txt", content))
    assert "is empty" in message


def test_binary_content_is_refused(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + bytes(range(256)) * 4
    assert "looks binary, not text" in refusal(write(tmp_path, "image.txt", png))
    controls = b"text" + bytes(range(1, 9)) * 50
    assert "looks binary" in refusal(write(tmp_path, "controls.md", controls))


def test_undecodable_bytes_are_refused(tmp_path):
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    message = refusal(write(tmp_path, "noise.txt", noise))
    assert "cannot detect the text encoding" in message or "looks binary" in message


def test_unsupported_suffix_is_named(tmp_path):
    message = refusal(write(tmp_path, "notes.pdf", "%PDF-1.4 text"))
    assert message == (
        f"notes.pdf: unsupported file type .pdf (supported: {' '.join(SUPPORTED_SUFFIXES)})"
    )
    assert ".txt .text .md .markdown .html .htm" in message


def test_missing_file_and_directory_are_refused(tmp_path):
    assert "no such file or directory" in refusal(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "is a directory" in refusal(folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_refused(tmp_path):
    path = write(tmp_path, "secret.txt", "Hidden words.\n")
    path.chmod(0)
    try:
        assert "permission denied" in refusal(path)
    finally:
        path.chmod(0o644)


def test_message_names_the_given_name_not_the_path(tmp_path):
    path = write(tmp_path, "sub/empty.md", "")
    assert refusal(path, "sub/empty.md").startswith("sub/empty.md: ")


def test_sha256_is_stable_and_follows_the_content(tmp_path):
    path = write(tmp_path, "a.txt", "One claim.\nAnother.\n")
    first, again = read_document(path, "a.txt"), read_document(path, "a.txt")
    assert first.sha256 == again.sha256
    path.write_bytes(b"One claim.\r\nAnother.\r\n")  # same text once newlines are normalised
    assert read_document(path, "a.txt").sha256 == first.sha256
    path.write_bytes(b"One claim.\nAnother, changed.\n")
    assert read_document(path, "a.txt").sha256 != first.sha256


# --- HTML --------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8"><title>Reform review | Example Site</title>
<style>p { color: red } .secretstyle { display: none }</style>
<script>alert(1)</script>
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/about">Navigation link words</a></nav></header>
<!-- an editorial comment nobody should read -->
<article>
<h1>The reform years</h1>
<p>Marta Kowalczyk argues in <em>Title</em> that the reform was rushed, and her colleague
agrees in <i>Another Book</i>. She cites <cite>The Cited Work</cite> at length.</p>
<script>document.write("injected script words")</script>
<p>Rolf Lindqvist disputes this: prices, he writes, fell within a year of the change.</p>
</article>
<footer>Copyright footer words</footer>
</body></html>
"""


def test_html_keeps_the_main_text_and_its_italics(tmp_path):
    doc = read(tmp_path, "page.html", PAGE)
    assert doc.media_type == "text/html"
    assert doc.title == "Reform review | Example Site"
    assert doc.genre == "Article"
    assert "Marta Kowalczyk argues in" in doc.plain
    assert "Rolf Lindqvist disputes this" in doc.plain
    for absent in (
        "alert",
        "injected",
        "Navigation link",
        "editorial comment",
        "color",
        "secretstyle",
        "Copyright footer",
        "<",
    ):
        assert absent not in doc.text, absent
    italics = [doc.text[s:e] for s, e in doc.emphasis]
    assert italics == ["Title", "Another Book", "The Cited Work"]
    assert "*" not in doc.plain and "#" not in doc.plain
    assert len(doc.plain) == len(doc.text)
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


def test_html_title_from_h1_and_genre_from_og_type(tmp_path):
    page = (
        "<html><head><meta property='og:type' content='article'></head><body>"
        "<h1>Heading  title</h1><p>Some words about a reform, long enough.</p></body></html>"
    )
    doc = read(tmp_path, "h1.htm", page)
    assert doc.title == "Heading title" and doc.genre == "Article"
    plain = read(tmp_path, "plain.html", "<html><body><p>Just words.</p></body></html>")
    assert plain.title is None and plain.genre is None and plain.text == "Just words."


def test_html_short_page_falls_back_to_body_text(tmp_path):
    page = (
        "<html><body><nav>Menu words</nav><script>alert(2)</script>"
        "<div class='comments'><p>Jones cites <i>The Book</i> again.</p></div></body></html>"
    )
    doc = read(tmp_path, "short.html", page)
    assert "Jones cites" in doc.plain and "The Book" in doc.plain
    assert "Menu" not in doc.text and "alert" not in doc.text
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["The Book"]


def test_html_without_main_text_is_refused(tmp_path):
    page = "<html><head><title>Empty</title></head><body><nav>Home</nav><script>x()</script></body></html>"
    assert "no main text" in refusal(write(tmp_path, "empty.html", page))


def test_html_declared_charset_is_used(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body><p>\u00c9mile Durkheim\u2019s <em>Suicide</em> and Slavoj \u017di\u017eek."
        "</p></body></html>"
    )
    doc = read(tmp_path, "legacy.html", page.encode("cp1252"))
    assert "\u00c9mile Durkheim\u2019s" in doc.text and "\u017di\u017eek" in doc.text
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["Suicide"]


# --- Markdown ----------------------------------------------------------------------------

MARKDOWN = """# The *Reform* Years ##

Kowalczyk argues in *The Reform Years* that **prices** doubled; see [the report](https://example.org/a_(b)).
> Lindqvist, in _Counting Costs_, disagrees.

- a bullet with ***strong emphasis*** and `code *not emphasis*`
1. a numbered item citing <cite>Cited Work</cite> <!-- hidden note -->

snake_case_names stay, 2 * 3 * 4 stays, and so does \\*escaped\\*.
"""


def test_markdown_plain_keeps_length_and_offsets(tmp_path):
    doc = read(tmp_path, "notes.md", MARKDOWN)
    text, plain = doc.text, doc.plain
    assert doc.media_type == "text/markdown"
    assert len(plain) == len(text)
    assert [text[s:e] for s, e in doc.emphasis] == [
        "Reform",
        "The Reform Years",
        "Counting Costs",
        "strong emphasis",
        "Cited Work",
    ]
    for word in ("Kowalczyk", "prices", "the report", "Lindqvist", "Cited Work", "code"):
        assert plain.index(word) == text.index(word)
    assert "#" not in plain and ">" not in plain and "https" not in plain
    assert "`" not in plain and "<" not in plain and "hidden note" not in plain
    assert "**" not in plain and "*The" not in plain
    assert "snake_case_names" in plain and "2 * 3 * 4" in plain and "*escaped" in plain
    assert doc.title == "The Reform Years"
    line = plain.splitlines()[5]
    assert line.strip().startswith("a bullet with")


def test_markdown_front_matter_gives_the_title_and_is_blanked(tmp_path):
    doc = read(tmp_path, "fm.markdown", '---\ntitle: "Front Title"\ntags: [a]\n---\nBody *text*.\n')
    assert doc.title == "Front Title"
    assert doc.plain.strip() == "Body  text ."
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["text"]


def test_markdown_code_blocks_are_not_read_as_markup():
    text = "Intro.\n\n```python\n# not a heading *nor emphasis*\n```\nAfter.\n"
    plain, emphasis, title = markdown_plain(text)
    assert "# not a heading *nor emphasis*" in plain and "```" not in plain
    assert emphasis == [] and title is None


def test_markdown_masking_never_changes_length():
    pieces = [
        "*",
        "**",
        "_",
        "#",
        "# ",
        "> ",
        "- ",
        "1. ",
        "[",
        "](",
        ")",
        "`",
        "<em>",
        "</em>",
        "<!--",
        "-->",
        "\\",
        "\n",
        "\n\n",
        "word",
        " ",
        "\u00e9",
        "|",
        "---\n",
        "```\n",
    ]
    rng = random.Random(3)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40)))
        plain, emphasis, _title = markdown_plain(text)
        assert len(plain) == len(text), text
        assert all(plain[i] == "\n" for i, c in enumerate(text) if c == "\n"), text
        for s, e in emphasis:
            assert 0 <= s < e <= len(text) and plain[s:e] == plain[s:e].strip()


# --- discovery ---------------------------------------------------------------------------


def test_discover_walks_folders_with_relative_names(tmp_path):
    root = tmp_path / "corpus"
    for name in (
        "b.txt",
        "a.md",
        "sub/c.html",
        "sub/deeper/d.htm",
        ".hidden.txt",
        ".git/config.txt",
        "__pycache__/x.txt",
        "notes.pdf",
        "sub/data.csv",
        "e.txt~",
    ):
        write(root, name, "words\n")
    files, problems = discover([root])
    assert [n for _p, n in files] == ["a.md", "b.txt", "sub/c.html", "sub/deeper/d.htm"]
    assert all(p == root / n for p, n in files)
    assert problems == [
        "skipped notes.pdf: unsupported file type",
        "skipped sub/data.csv: unsupported file type",
    ]


def test_discover_reports_missing_paths_and_folders_without_documents(tmp_path):
    (tmp_path / "nothing").mkdir()
    write(tmp_path, "nothing/data.csv", "a,b\n")
    files, problems = discover([tmp_path / "missing.txt", tmp_path / "nothing"])
    assert files == []
    assert problems[0] == f"{tmp_path / 'missing.txt'}: no such file or directory"
    assert (
        f"no supported files ({' '.join(SUPPORTED_SUFFIXES)}) in {tmp_path / 'nothing'}" in problems
    )
    assert "skipped data.csv: unsupported file type" in problems


def test_discover_keeps_each_file_once_and_passes_given_files_through(tmp_path):
    root = tmp_path / "corpus"
    a = write(root, "a.txt", "words\n")
    pdf = write(tmp_path, "given.pdf", "x")
    other = write(tmp_path, "elsewhere/a.txt", "other words\n")
    files, problems = discover([root, a, pdf, root, other])
    assert files == [(a, "a.txt"), (pdf, "given.pdf")]
    assert problems == [f"skipped {other}: the name a.txt is already taken by {a}"]
    assert discover([]) == ([], [])
