"""Typography folding with a map back to the original text.

A quote printed in an article rarely has the same bytes as its source: curly vs straight quotes (or inner
quotes dropped or swapped), en/em dashes vs hyphens, line breaks, non-breaking spaces, soft hyphens,
ligatures, accents (composed, decomposed or dropped) and letter case all differ while the words are the
same. Matching happens on the *folded* text; every folded offset maps back to an offset in the original,
so a match can always be reported as `original[start:end]`.

The map is piecewise linear (slope 1 between breakpoints), so it costs memory only where folding changed
the length: collapsed whitespace runs, deleted invisible characters and expanded ligatures.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK ideographs): each
# character is a token of its own, so matching and diffs work on characters there (Unicode blocks).
NO_SPACE_SCRIPTS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
_NO_SPACE_CHAR = re.compile(f"[{NO_SPACE_SCRIPTS}]")


def spaced_script(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces (a word boundary test)."""
    return ch.isalnum() and not _NO_SPACE_CHAR.match(ch)


# Quotation marks and apostrophes disappear: an article re-quoting a passage turns its inner double
# quotes into single ones, drops them, or swaps curly for straight; none of that changes the words.
QUOTE_MARKS = "'\"‘’‚‛“”„‟′″‹›«»`´"
# One character in -> one character out.
_DASHES = {c: "-" for c in "‐‑‒–—―−﹘﹣－⁃"}
_OTHER = {"\u0130": "i"}  # 'İ'.lower() is two code points; fold it to one


def _accent_table() -> dict[str, str]:
    """Precomposed Latin letters -> their base letter (é -> e), so NFC, NFD and unaccented agree."""
    table = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)
        if len(base) > 1 and base[0].isascii() and base[0].isalpha():
            table[ch] = base[0]
    return table


_ONE_TO_ONE = _DASHES | _OTHER | _accent_table()
# re.sub over the few characters that need it is ~15x faster than str.translate with a dict on 5 MB
_ONE_TO_ONE_RE = re.compile("[" + re.escape("".join(_ONE_TO_ONE)) + "]")


def _one_to_one(m: re.Match[str]) -> str:
    return _ONE_TO_ONE[m.group()]


# Characters that disappear entirely: soft hyphen, zero-width space/joiners, word joiner, BOM, quote
# marks, combining accents.
# Combining accents (U+0300-U+036F) go too: "cafe\u0301" (NFD) folds like "café" (NFC) and "cafe".
_COMBINING = "".join(chr(c) for c in range(0x300, 0x370))
_DELETE = "\u00ad\u200b\u200c\u200d\u2060\ufeff" + QUOTE_MARKS + _COMBINING
# One character in -> several out.
_EXPAND = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u2026": "...",
}

# Runs that change length: 2+ whitespace/invisible chars, a lone non-space whitespace char, a lone
# invisible char, or an expanding character.
_DEL_CLASS = re.escape(_DELETE)
_SPECIAL_RE = re.compile(rf"[\s{_DEL_CLASS}]{{2,}}|[^\S ]|[{_DEL_CLASS}]|[{''.join(_EXPAND)}]")
_DELETE_SET = frozenset(_DELETE)


@dataclass(frozen=True)
class Folded:
    """A folded text plus the breakpoints mapping its offsets back to the original."""

    text: str
    original_length: int
    _fpos: tuple[int, ...]
    _opos: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """Original offset of the folded character at `i` (or the original length for `i == len`)."""
        if i >= len(self.text):
            return self.original_length
        k = bisect_right(self._fpos, i) - 1
        return self._opos[k] + (i - self._fpos[k])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded half-open span to the original; the end covers the whole last character."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


def fold(text: str, ignore: Sequence[tuple[int, int]] = ()) -> Folded:
    """Fold quotes, dashes, whitespace, invisible characters, ligatures and case.

    `ignore`: half-open spans of `text` that fold away entirely, like invisible characters (a source's
    reference markers, page furniture, a line-end hyphen read as a split word); offsets still map back.
    """
    if ignore:
        chars = list(text)
        for start, end in ignore:
            chars[start:end] = "\u00ad" * (end - start)  # deleted by the fold below, offsets kept
        folded = fold("".join(chars))
        return folded
    parts: list[str] = []
    fpos: list[int] = [0]
    opos: list[int] = [0]
    flen = 0  # length of the folded output so far
    last = 0
    for m in _SPECIAL_RE.finditer(text):
        s, e = m.span()
        if s > last:
            parts.append(text[last:s])
            flen += s - last
        run = m.group()
        if len(run) == 1 and run in _EXPAND:
            out = _EXPAND[run]
            # every output char maps to the one original char; resume slope 1 after it
            for k in range(len(out)):
                fpos.append(flen + k)
                opos.append(s)
            parts.append(out)
            flen += len(out)
            fpos.append(flen)
            opos.append(e)
        elif all(c in _DELETE_SET for c in run):
            fpos.append(flen)
            opos.append(e)
        elif len(run) == 1:  # a lone tab/newline/nbsp: same length
            parts.append(" ")
            flen += 1
        else:
            # the space stands for the first whitespace char of the run
            first_ws = s + next(i for i, c in enumerate(run) if c not in _DELETE_SET)
            fpos.append(flen)
            opos.append(first_ws)
            parts.append(" ")
            flen += 1
            fpos.append(flen)
            opos.append(e)
        last = e
    if last < len(text):
        parts.append(text[last:])
    folded = _ONE_TO_ONE_RE.sub(_one_to_one, "".join(parts)).lower()
    return Folded(folded, len(text), tuple(fpos), tuple(opos))


def fold_text(text: str) -> str:
    """Just the folded string (for keys and comparisons)."""
    return fold(text).text
