"""The one place where untrusted text (from articles and sources) is made safe to put on a terminal.

Textual never interprets the text we hand it as markup when it arrives as `Content`, but it passes most
control characters through: an ESC in a fetched page could start a CSI/OSC sequence (OSC 52 writes the
user's clipboard, OSC 8 forges hyperlinks), and bidi overrides can make a quote read differently from
what it says. `safe_text` replaces each such character with ONE visible stand-in, so the cleaned text
has exactly the length of the original and every offset (quote spans, highlights, notes) still points
at the same characters. With the ESC gone, the rest of a sequence is harmless printable text.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, plus DEL, mapped to their Unicode "control pictures" (␛ for ESC ...).
_C0 = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_C0[0x7F] = "\u2421"  # ␡
# C1 controls (0x80-0x9F): 0x9B is a one-byte CSI, 0x9D a one-byte OSC on some terminals.
_C1 = dict.fromkeys(range(0x80, 0xA0), "\ufffd")
# Bidi embeddings/overrides/isolates and marks: shown as a visible diamond-question mark.
_BIDI = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")
_TABLE = {**_C0, **_C1, **_BIDI, 0x09: " ", 0x2028: " ", 0x2029: " "}
# One character class for all of them plus lone surrogates: a regex scan is ~15x faster than
# str.translate with a dict on megabyte texts, and unsafe characters are rare, so the callback is too.
_UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "\ud800-\udfff]")


def _stand_in(match: re.Match[str]) -> str:
    return _TABLE.get(ord(match.group()), "\ufffd")


def safe_text(text: str) -> str:
    """Return `text` with every control, escape-introducing and bidi character replaced one-for-one.

    Newlines survive (they are the text's line structure); tabs become a space (their width would
    depend on the column); lone surrogates become U+FFFD. The result has the same length as `text`.
    """
    return _UNSAFE.sub(_stand_in, text)


def escape_json_text(dumped: str) -> str:
    """Make `json.dumps(..., ensure_ascii=False)` output safe to print: JSON escapes C0 controls itself,
    but passes C1 controls, DEL, bidi overrides and lone surrogates through; write those as \\uXXXX
    escapes, which keeps the data exact for whatever parses it."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def one_line(text: str) -> str:
    """`safe_text` for a single row (list rows, headers): line breaks become spaces."""
    return safe_text(text).replace("\n", " ")
