"""Passages: exact, stripped offsets; paragraphs by newlines; long paragraphs cut at sentences."""

from __future__ import annotations

import random

import pytest

from claimgraph.ingest.passages import passage_of, split_passages
from claimgraph.ingest.readers import read_document


def texts(text: str, passages: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in passages]


def assert_well_formed(text: str, passages: list[tuple[int, int]]) -> None:
    """Ordered, disjoint, stripped, non-empty, and every non-space character covered."""
    for s, e in passages:
        assert 0 <= s < e <= len(text) and text[s:e] == text[s:e].strip()
    for (_s1, e1), (s2, _e2) in zip(passages, passages[1:], strict=False):
        assert e1 < s2 and text[e1:s2].strip() == ""
    covered = "".join(text[s:e] for s, e in passages)
    assert "".join(covered.split()) == "".join(text.split())


def test_offsets_are_exact_after_crlf_normalisation(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"  First paragraph.  \r\n\r\n\r\nSecond one.\r\n\tThird, indented.\r\n\r\n")
    doc = read_document(path, "crlf.txt")
    passages = split_passages(doc.text)
    assert texts(doc.text, passages) == ["First paragraph.", "Second one.", "Third, indented."]
    assert passages[0] == (2, 18)
    assert_well_formed(doc.text, passages)


def test_single_and_multiple_newlines_both_separate_paragraphs():
    text = "One.\nTwo.\n\n\n\nThree?\n   \n\nFour!"
    assert texts(text, split_passages(text)) == ["One.", "Two.", "Three?", "Four!"]


def test_hard_wrapped_lines_are_joined():
    text = "The reform, Kowalczyk argues,\nwas rushed and badly\nplanned.\nLindqvist disagrees.\n"
    assert texts(text, split_passages(text)) == [
        "The reform, Kowalczyk argues,\nwas rushed and badly\nplanned.",
        "Lindqvist disagrees.",
    ]


@pytest.mark.parametrize("text", ["", " \n\t\n  ", "\n"])
def test_blank_text_has_no_passages(text):
    assert split_passages(text) == []


def test_long_paragraph_is_cut_at_sentence_ends():
    sentences = [f"Sentence number {i} says that prices rose by {i} percent." for i in range(80)]
    text = "Intro.\n\n" + " ".join(sentences) + "\n"
    passages = split_passages(text, max_chars=300)
    assert_well_formed(text, passages)
    assert texts(text, passages)[0] == "Intro."
    for piece in texts(text, passages)[1:]:
        assert len(piece) <= 300
        assert piece.startswith("Sentence number ") and piece.endswith("percent.")
    assert len(passages) > 10


def test_cut_prefers_sentences_and_skips_abbreviations():
    text = "Alpha beta gamma. Dr. Smith agrees with Prof. Jones and W. Brown on every point made"
    passages = split_passages(text, max_chars=60)
    assert texts(text, passages)[0] == "Alpha beta gamma."
    quoted = '"Stop." "Go on," he said, and the argument went on and on.'
    assert texts(quoted, split_passages(quoted, max_chars=40))[0] == '"Stop."'


def test_without_sentence_ends_cut_at_spaces_never_mid_word():
    words = [f"word{i}" for i in range(200)]
    text = " ".join(words)
    passages = split_passages(text, max_chars=50)
    assert_well_formed(text, passages)
    assert all(e - s <= 50 for s, e in passages)
    assert " ".join(texts(text, passages)).split() == words


def test_a_word_longer_than_the_limit_is_kept_whole():
    text = "short " + "x" * 120 + " tail words here"
    passages = split_passages(text, max_chars=50)
    assert_well_formed(text, passages)
    assert "x" * 120 in texts(text, passages)


def test_random_texts_give_well_formed_passages():
    pieces = [
        "Word",
        "word",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r",
        ". ",
        "? ",
        "! ",
        "\u201c",
        "\u201d",
        "Dr. ",
        "\t",
        "\u00e9t\u00e9",
        "x" * 30,
    ]
    rng = random.Random(11)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 120)))
        max_chars = rng.randrange(10, 200)
        passages = split_passages(text, max_chars=max_chars)
        assert_well_formed(text, passages)
        for piece in texts(text, passages):
            assert len(piece) <= max_chars or not any(c.isspace() for c in piece)


def test_passage_of_finds_the_containing_passage():
    text = "First one.\n\nSecond one here.\nThird."
    passages = split_passages(text)
    assert passages == [(0, 10), (12, 28), (29, 35)]
    assert passage_of(passages, 0) == 0
    assert passage_of(passages, 10) == 0  # an end offset belongs to its passage
    assert passage_of(passages, 12) == 1
    assert passage_of(passages, 20) == 1
    assert passage_of(passages, 34) == 2
    with pytest.raises(ValueError):
        passage_of(passages, 11)
    with pytest.raises(ValueError):
        passage_of(passages, 99)
    with pytest.raises(ValueError):
        passage_of([], 0)
