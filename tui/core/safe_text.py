"""The one place where untrusted text (from articles and sources) is made safe to put on a terminal.

Textual never interprets the text we hand it as markup when it arrives as `Content`, but it passes most
control characters through: an ESC in a fetched page could start a CSI/OSC sequence (OSC 52 writes the
user's clipboard, OSC 8 forges hyperlinks), and bidi overrides can make a quote read differently from
what it says; zero-width and other invisible format characters can hide text inside a quote or split a
word so it reads the same and matches nothing. `safe_text` replaces each such character with ONE
visible stand-in, so the cleaned text has exactly the length of the original and every offset (quote
spans, highlights, notes) still points at the same characters. With the ESC gone, the rest of a
sequence is harmless printable text.
"""

from __future__ import annotations

import logging
import re
import sys

# C0 controls except TAB and LF, plus DEL, mapped to their Unicode "control pictures" (␛ for ESC ...).
_C0 = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_C0[0x7F] = "\u2421"  # ␡
# C1 controls (0x80-0x9F): 0x9B is a one-byte CSI, 0x9D a one-byte OSC on some terminals.
_C1 = dict.fromkeys(range(0x80, 0xA0), "\ufffd")
# Bidi embeddings/overrides/isolates and marks: shown as a visible diamond-question mark.
_BIDI = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")
# Invisible format characters with no business in prose, which can hide text or split a word so it
# reads the same and matches differently: the Mongolian vowel separator, invisible math operators,
# deprecated format controls, interlinear annotation marks, BOM/ZWNBSP, Hangul fillers (blank glyphs),
# musical format controls, and the tag characters (U+E0000 block: "ASCII smuggling", invisible text
# that a program reads and a person does not). Unicode's Cf category and Default_Ignorable_Code_Point.
_INVISIBLE = dict.fromkeys(
    [
        0x115F,
        0x1160,
        0x180E,
        *range(0x2061, 0x2065),
        *range(0x206A, 0x2070),
        0x3164,
        0xFEFF,
        0xFFA0,
        *range(0xFFF9, 0xFFFC),
        *range(0x1D173, 0x1D17B),
        *range(0xE0000, 0xE0080),
    ],
    "\ufffd",
)
# Zero-width characters that some scripts and emoji need: ZWSP (Thai, Khmer word breaks), ZWNJ/ZWJ
# (Persian, Indic, emoji sequences), WJ; variation selectors (emoji presentation, CJK variants). They
# are kept where that use is possible and made visible where they can only hide something (see
# `_legitimate`).
_JOINERS = frozenset({0x200B, 0x200C, 0x200D, 0x2060})
_SELECTORS = frozenset({*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})
_CONTEXTUAL = dict.fromkeys([*_JOINERS, *_SELECTORS], "\ufffd")
_TABLE = {**_C0, **_C1, **_BIDI, **_INVISIBLE, **_CONTEXTUAL, 0x09: " ", 0x2028: " ", 0x2029: " "}


def _char_class(codes: list[int]) -> str:
    """A regex character class of `codes` written as ranges: listed one by one, the astral ones (tag
    characters, variation selectors) make the regex engine test every character against each of
    hundreds of items (4 s on a 3 MB text, against 0.02 s for the 18 ranges)."""
    spans: list[list[int]] = []
    for code in sorted(codes):
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans
    )


# One character class for all of them plus lone surrogates: a regex scan is ~15x faster than
# str.translate with a dict on megabyte texts, and unsafe characters are rare, so the callback is too.
_UNSAFE = re.compile("[" + _char_class(list(_TABLE)) + "\ud800-\udfff]")


def _plain(ch: str, *, ascii_ok: bool) -> bool:
    """A visible character that may stand beside a zero-width joiner or a variation selector."""
    code = ord(ch)
    if ch.isspace() or code in _TABLE or 0xD800 <= code <= 0xDFFF:
        return False
    return ascii_ok or code > 0x7F


def _legitimate(text: str, at: int) -> bool:
    """Whether the zero-width character at `at` can be doing its job rather than hiding something.

    A variation selector follows a visible character (an emoji, a CJK ideograph, a keycap digit), once.
    ZWSP, ZWNJ, ZWJ and WJ stand between two non-ASCII visible characters (Thai or Persian letters,
    emoji; a ZWJ may follow an emoji's variation selector). Between Latin letters, at an edge, beside a
    space or in a run, they only hide: "quo\u200bte" reads as "quote" and matches nothing.
    """
    code = ord(text[at])
    before = text[at - 1] if at else " "
    if code in _SELECTORS:
        return _plain(before, ascii_ok=True)
    after = text[at + 1] if at + 1 < len(text) else " "
    before_ok = _plain(before, ascii_ok=False) or (code == 0x200D and ord(before) in _SELECTORS and at > 1)
    return before_ok and _plain(after, ascii_ok=False)


def _stand_in(match: re.Match[str]) -> str:
    ch = match.group()
    if ord(ch) in _CONTEXTUAL and _legitimate(match.string, match.start()):
        return ch
    return _TABLE.get(ord(ch), "\ufffd")


def safe_text(text: str) -> str:
    """Return `text` with every control, escape-introducing, bidi and hiding invisible character
    replaced one-for-one by a visible stand-in.

    Newlines survive (they are the text's line structure); tabs become a space (their width would
    depend on the column); lone surrogates become U+FFFD. The result has the same length as `text`.
    """
    return _UNSAFE.sub(_stand_in, text)


def escape_json_text(dumped: str) -> str:
    """Make `json.dumps(..., ensure_ascii=False)` output safe to print: JSON escapes C0 controls itself,
    but passes C1 controls, DEL, bidi overrides, invisible format characters and lone surrogates
    through; write those as \\uXXXX escapes (a UTF-16 pair above U+FFFF, RFC 8259 section 7), which
    keeps the data exact for whatever parses it."""
    return _UNSAFE.sub(_json_escape, dumped)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def one_line(text: str) -> str:
    """`safe_text` for a single row (list rows, headers): line breaks become spaces."""
    return safe_text(text).replace("\n", " ")


class SafeLogFormatter(logging.Formatter):
    """Log lines that are safe on a terminal: the message (which may quote a URL, a file name or a
    library's exception text) passes `safe_text` on one line, and an exception is summarised as
    `(ExceptionType: message)` instead of a traceback: a person reads one sentence, never a stack."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a malformed %-format in a library's log call must not raise here
            message = f"{record.msg!r} {record.args!r}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail = str(exc).strip()[:300]
            message = f"{message} ({type(exc).__name__}{': ' + detail if detail else ''})"
        return one_line(f"sourcecheck: {message}" if record.levelno >= logging.WARNING else message)


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (the reader's screen replaces it while it runs)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def install_safe_logging(level: int = logging.WARNING) -> None:
    """Route every log record and Python warning (ours and the libraries') through `SafeLogFormatter`
    to stderr; called once by each entry point (the CLI) before anything runs."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if any(isinstance(h, _CurrentStderr) for h in root.handlers):
        return
    handler = _CurrentStderr()
    handler.setFormatter(SafeLogFormatter())
    root.addHandler(handler)
    root.setLevel(level)
