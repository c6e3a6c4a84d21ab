"""safe_text: the one function that makes untrusted text safe for a terminal, offset-preserving."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.safe_text import escape_json_text, one_line, safe_text

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
        or code in (0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0)
        or 0x2061 <= code <= 0x2064
        or 0x206A <= code <= 0x206F
        or 0xFFF9 <= code <= 0xFFFB
        or 0x1D173 <= code <= 0x1D17A
        or 0xE0000 <= code <= 0xE007F
    )


def _zero_width(ch: str) -> bool:
    code = ord(ch)
    return code in (0x200B, 0x200C, 0x200D, 0x2060) or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


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
    assert all(
        a == b
        for a, b in zip(text, cleaned, strict=True)
        if not _unsafe(a) and not _zero_width(a) and a != "\t"
    )
    # a zero-width character kept never stands beside a space, an edge, ASCII letters, or another one
    for i, ch in enumerate(cleaned):
        if _zero_width(ch) and ord(ch) in (0x200B, 0x200C, 0x200D, 0x2060):
            assert 0 < i < len(cleaned) - 1
            assert not cleaned[i + 1].isspace() and ord(cleaned[i + 1]) > 0x7F
            assert not _zero_width(cleaned[i + 1])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("quo\u200bte", "quo\ufffdte"),  # a word split so it reads the same and matches nothing
        ("\u200bstart and end\u2060", "\ufffdstart and end\ufffd"),
        ("a \u200d b", "a \ufffd b"),
        ("hid\U000e0069\U000e0067den", "hid\ufffd\ufffdden"),  # tag characters: invisible ASCII
        ("x\u2062y\u206ez\ufeffw", "x\ufffdy\ufffdz\ufffdw"),
        ("\U0001f600\ufe00\ufe01\ufe02", "\U0001f600\ufe00\ufffd\ufffd"),  # data smuggled in selectors
        ("name\u3164here", "name\ufffdhere"),  # a Hangul filler renders as a blank
    ],
)
def test_invisible_characters_are_made_visible(text: str, shown: str) -> None:
    assert safe_text(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\u200d\U0001f4bb",  # woman technologist: an emoji ZWJ sequence
        "\u2764\ufe0f\u200d\U0001f525",  # heart on fire: ZWJ after a variation selector
        "1\ufe0f\u20e3",  # keycap one
        "\u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22",  # Thai word break
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian ZWNJ
        "\u845b\U000e0100",  # an ideographic variation sequence
    ],
)
def test_zero_width_characters_doing_their_job_are_kept(text: str) -> None:
    assert safe_text(text) == text


def test_json_escapes_are_exact_above_the_bmp() -> None:
    dumped = json.dumps({"q": "x\U000e0041\u200b\u202e"}, ensure_ascii=False)
    escaped = escape_json_text(dumped)
    assert escaped.isascii()
    assert json.loads(escaped) == {"q": "x\U000e0041\u200b\u202e"}


def test_log_lines_are_one_safe_line_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """Library and core log records (a URL, a file name, an exception's text) reach stderr cleaned, and an
    exception as one parenthesis, never a stack."""
    import logging
    import warnings

    from tui.core.safe_text import install_safe_logging

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    logging.captureWarnings(False)  # pytest records warnings itself: take them back for this test
    install_safe_logging()
    log = logging.getLogger("some.library")
    try:
        raise ValueError("bad \x1b]52;c;eA==\x07 input\nsecond line")
    except ValueError:
        log.exception("fetching %s failed", "http://x.test/\x1b[2J")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a warning with \x9b31m in it", stacklevel=1)
    err = capsys.readouterr().err
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(False)
    lines = err.splitlines()
    assert lines[0] == (
        "sourcecheck: fetching http://x.test/␛[2J failed (ValueError: bad ␛]52;c;eA==␇ input second line)"
    )
    assert "a warning with \ufffd31m in it" in lines[1]
    assert "Traceback" not in err and "\x1b" not in err and "\x9b" not in err and len(lines) == 2


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_zero_width_characters_in_an_article_are_shown_in_every_format(
    tmp_path, capsys: pytest.CaptureFixture[str], fmt: str, suffix: str
) -> None:
    """`bri\\u200bdge was un\\u2060safe` in a quotation printed as plain "bridge was unsafe" in the claim
    and the quote lines: the article loader dropped the characters before any stream could show them.
    Inside a Latin word they can only hide something, so every stream shows them, as README "Safety"
    says (`�` in text and Markdown, the exact `\\u200b` escape in JSON); the quote is still matched as
    written without them (the matcher's own normalisation)."""
    from tui.cli import main

    sentence = "The mayor said “the bri\u200bdge was un\u2060safe” according to {link}."
    if suffix == ".md":
        body = "# T\n\n" + sentence.format(link="[the report](https://news.example/r)") + "\n"
    else:
        link = '<a href="https://news.example/r">the report</a>'
        body = f"<html><body><article><p>{sentence.format(link=link)}</p></article></body></html>"
    path = tmp_path / f"a{suffix}"
    path.write_text(body, encoding="utf-8")
    code = main(["check", str(path), "--no-fetch", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "\u200b" not in out and "\u2060" not in out
    if fmt == "json":
        report = json.loads(out)
        assert report["links"][0]["claim"].count("\u200b") == 1  # exact data, escaped on the stream
        assert report["links"][0]["quotes"][0]["text"] == "the bri\u200bdge was un\u2060safe"
        assert "bri\\u200bdge was un\\u2060safe" in out
    else:
        assert "bridge" not in out and "unsafe" not in out
        claim_and_quote = out.count("bri\ufffddge was un\ufffdsafe")
        assert claim_and_quote >= 2, out  # the claim's line and the quote's line


def test_a_quote_with_zero_width_characters_still_matches_its_source() -> None:
    """Kept in the article's text to be shown, the characters are dropped by the matcher's normalisation:
    the quotation is found verbatim in a source that prints the same words without them (and the other
    way round)."""
    from tui.core.match import match_quote
    from tui.core.models import Source

    text = "Inspectors said the bridge was unsafe on Monday."
    plain = Source("https://s.example/", None, "S", text, text)
    assert match_quote("the bri\u200bdge was un\u2060safe", plain).match == "verbatim"
    hidden = text.replace("bridge", "bri\u200bdge")
    assert match_quote(
        "the bridge was unsafe", Source("https://s.example/", None, "S", hidden, hidden)
    ).match == ("verbatim")
