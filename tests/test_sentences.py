"""Sentence boundaries: the claim is the sentence that holds a link, so wrong breaks cut claims."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.sentences import sentence_spans


def split(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith and Mrs. Jones met Dr. Who at St. Mary's.",
        "The U.S. and the U.K. signed it.",
        "Gen. Ames, Sen. Ruiz and Rep. Cole spoke on Jan. 5 and Feb. 9.",
        "J. R. R. Tolkien wrote it.",
        "Inflation hit 3.5 per cent, up from 2.75.",
        "Fruit, e.g. Apples, and i.e. Pears are fine.",
        "See https://example.com/a.b?c=d. for details.",
        "He paused... and then went on.",
        "He paused … and then went on.",
        "“We will win. We always do,” she said.",
        '"We will win. We always do!" she said.',
        "Harrow & Finch Ltd. Said nothing.",
    ],
)
def test_no_break(text: str) -> None:
    assert split(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two! Three? Four.", ["One.", "Two!", "Three?", "Four."]),
        ("She said: “We won.” Then she left.", ["She said: “We won.”", "Then she left."]),
        ('"It works." It does.', ['"It works."', "It does."]),
        ("He waited... Nothing came.", ["He waited...", "Nothing came."]),
        ("First para.\n\nSecond para", ["First para.", "Second para"]),
        ("No terminator\n\nat all", ["No terminator", "at all"]),
        ("A line\nbreak. Keeps going.", ["A line\nbreak.", "Keeps going."]),
        ("(Aside.) Next one.", ["(Aside.)", "Next one."]),
        ("It was 1974. The bridge closed.", ["It was 1974.", "The bridge closed."]),
        # a stray opening mark must not glue the rest of the paragraph into one sentence
        ("A stray “ mark. Then more. End.", ["A stray “ mark.", "Then more.", "End."]),
    ],
)
def test_breaks(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_window_and_offsets() -> None:
    text = "Skip this. Keep one. Keep two. Skip that."
    start = text.index("Keep one")
    end = text.index(" Skip that")
    spans = sentence_spans(text, start, end)
    assert [text[s.start : s.end] for s in spans] == ["Keep one.", "Keep two."]
    assert sentence_spans(text, 5, 5) == []
    assert sentence_spans("", 0) == []
    assert sentence_spans("   \n\n  ") == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"aA. !?…“”\"'’\n", "Mr.", "U.S.", " e.g.", "3.5", "\n\n"])))
def test_property_spans_cover_every_word_once(pieces: list[str]) -> None:
    text = "".join(pieces)
    spans = sentence_spans(text)
    last = 0
    for s in spans:
        assert 0 <= last <= s.start < s.end <= len(text)
        assert text[s.start] not in " \n" and text[s.end - 1] not in " \n"
        assert "\n\n" not in text[s.start : s.end]
        last = s.end
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.integers(0, 300), st.integers(0, 300))
def test_property_any_text_any_window(text: str, a: int, b: int) -> None:
    for s in sentence_spans(text, a, b):
        assert min(a, len(text)) <= s.start < s.end <= min(b, len(text))


def test_sentences_and_quotes_do_not_import_each_other() -> None:
    """What both need (the quote-mark lexicon and pairing) lives in core/marks.py."""
    import ast
    from pathlib import Path

    import tui.core

    core = Path(tui.core.__file__).parent

    def imported(name: str) -> set[str]:
        tree = ast.parse((core / f"{name}.py").read_text(encoding="utf-8"))
        return {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }

    assert not {m for m in imported("sentences") if m.endswith("quotes")}
    assert not {m for m in imported("marks") if m.endswith(("quotes", "sentences"))}
