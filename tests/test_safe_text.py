"""safe_text: the one function that makes untrusted text safe for a terminal, offset-preserving."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tui.core.safe_text import one_line, safe_text

HOSTILE = (
    "red \x1b[31mALERT\x1b[0m clip \x1b]52;c;aGVsbG8=\x07 link \x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\"
    " c1-csi \x9b2J bell \x07 back\bspace nul\x00 del\x7f cr\r bidi \u202eevil\u202c iso\u2066x\u2069"
)


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 0x20 and ch != "\n")
        or 0x7F <= code <= 0x9F
        or ch in "\u061c\u200e\u200f\u2028\u2029"
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or unicodedata.category(ch) == "Cs"
    )


def test_escape_sequences_lose_their_introducer() -> None:
    cleaned = safe_text(HOSTILE)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\x07" not in cleaned
    assert "␛[31mALERT" in cleaned  # visible, inert
    assert "␛]52;c;aGVsbG8=␇" in cleaned
    assert not any(_unsafe(ch) for ch in cleaned)


def test_bidi_overrides_become_visible() -> None:
    cleaned = safe_text("a\u202eb\u2067c\u200fd")
    assert cleaned == "a\ufffdb\ufffdc\ufffdd"


def test_newlines_survive_tabs_become_spaces() -> None:
    assert safe_text("one\ttwo\nthree\r\n") == "one two\nthree␍\n"
    assert one_line("one\ntwo\u2028three") == "one two three"


def test_markup_is_left_as_text() -> None:
    # Markup is neutralised by never parsing it (Content, markup=False), not by rewriting it.
    assert safe_text("[bold]x[/bold] [link=https://e.example]y[/link]") == (
        "[bold]x[/bold] [link=https://e.example]y[/link]"
    )


def test_lone_surrogates_are_replaced() -> None:
    assert safe_text("a\ud800b") == "a\ufffdb"


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_same_length_nothing_unsafe_and_idempotent(text: str) -> None:
    cleaned = safe_text(text)
    assert len(cleaned) == len(text)
    assert not any(_unsafe(ch) for ch in cleaned)
    assert safe_text(cleaned) == cleaned
    # characters that were safe are untouched, so offsets into the original still select the same words
    assert all(a == b for a, b in zip(text, cleaned, strict=True) if not _unsafe(a) and a != "\t")
