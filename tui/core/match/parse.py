"""A quote split at ellipses (omissions) and [square brackets] (an editor's insertions) into the pieces
that must be found in order, and the words fuzzy matching aligns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..normalize import fold
from .index import WORD_RE

SHORT_QUOTE_WORDS = 3  # quotes this short are matched on whole words only, never fuzzily

_ELLIPSIS_RE = re.compile(r"\[\s*(?:\.\s*){3,}\]|\[\s*…\s*\]|…|\.\s?\.\s?\.(?:\s?\.)*")
_BRACKET_RE = re.compile(r"\[[^\[\]]*\]")
# Sentence and clause punctuation at a quote's edge is the article's, in every script: Latin ,.;:!?,
# CJK 。、，．！？；： (fullwidth and halfwidth forms), Arabic ؟ ، ؛ ۔, Devanagari । ॥, Armenian ։,
# Ethiopic ። ፣ ፤ ፧, Myanmar ၊ ။, Khmer ។ ៕, Greek ; (U+037E), Spanish ¿ ¡, ‼ ‽ ⁇ ⁈ ⁉ (Unicode's
# Sentence_Terminal property, UAX #29, and the commas and colons of the same scripts)
EDGE_PUNCT = " ,.;:!?¿¡。、，．！？；：｡､﹐﹑﹒﹔﹕﹖﹗؟،؛۔।॥։።፣፤፧၊။។៕\u037e‼‽⁇⁈⁉"


@dataclass(frozen=True)
class Piece:
    text: str  # folded, stripped
    glued_left: bool  # touches a [bracket] with no space: no word-boundary check on that side
    glued_right: bool


@dataclass(frozen=True)
class ParsedQuote:
    pieces: tuple[Piece, ...]
    gaps: tuple[str, ...]  # between pieces[i] and pieces[i+1]: "ellipsis" or "bracket"
    words: tuple[str, ...]  # folded words outside brackets, for fuzzy matching
    gap_before: frozenset[int]  # word indices preceded by an omission or an insertion
    ellipsis_before: frozenset[int]  # word indices preceded by an omission
    has_ellipsis: bool


@lru_cache(maxsize=4096)
def parse_quote(quote: str) -> ParsedQuote:
    """Split a quote at ellipses and [brackets]."""
    marks = sorted(
        [(m.start(), m.end(), "ellipsis") for m in _ELLIPSIS_RE.finditer(quote)]
        + [(m.start(), m.end(), "bracket") for m in _BRACKET_RE.finditer(quote)]
    )
    segments: list[tuple[str, str]] = []  # ("text", s) | ("ellipsis"|"bracket", "")
    pos = 0
    for s, e, kind in marks:
        if s < pos:  # overlapping ("[...]" matched by both)
            continue
        segments.append(("text", quote[pos:s]))
        segments.append((kind, ""))
        pos = e
    segments.append(("text", quote[pos:]))

    pieces: list[Piece] = []
    gaps: list[str] = []
    words: list[str] = []
    gap_before: set[int] = set()
    ellipsis_before: set[int] = set()
    pending_gap: str | None = None
    for i, (kind, raw) in enumerate(segments):
        if kind != "text":
            pending_gap = "ellipsis" if kind == "ellipsis" or pending_gap == "ellipsis" else "bracket"
            continue
        folded = fold(raw).text
        prev_kind = segments[i - 1][0] if i > 0 else None
        next_kind = segments[i + 1][0] if i + 1 < len(segments) else None
        glued_left = prev_kind == "bracket" and not folded[:1].isspace()
        glued_right = next_kind == "bracket" and not folded[-1:].isspace()
        # sentence punctuation at a piece's edge is the article's ("taxes," she said), not the source's
        stripped = folded.strip()
        if not glued_left:
            stripped = stripped.lstrip(EDGE_PUNCT)
        if not glued_right:
            stripped = stripped.rstrip(EDGE_PUNCT)
        if not stripped or not any(c.isalnum() for c in stripped):
            continue
        piece = Piece(stripped, glued_left, glued_right)
        if pieces:
            gaps.append(pending_gap or "bracket")
            gap_before.add(len(words))
            if pending_gap == "ellipsis":
                ellipsis_before.add(len(words))
        pending_gap = None
        pieces.append(piece)
        words.extend(WORD_RE.findall(stripped))
    return ParsedQuote(
        tuple(pieces),
        tuple(gaps),
        tuple(words),
        frozenset(gap_before),
        frozenset(ellipsis_before),
        "ellipsis" in gaps,
    )
