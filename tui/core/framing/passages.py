"""Where a passage sits in its text: its paragraph, its sentence, the quotations around it.

Shared by both sides: the article (paragraphs known from loading) and a source (paragraphs are the
readable text's blank-line breaks). Windows are capped so a page with no paragraph breaks costs no more
than a normal one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..marks import scan_paragraph
from ..models import Paragraph, Span
from ..sentences import sentence_spans

WINDOW_CHARS = 3000  # at most this much text either side of a passage is looked at
_BREAK = re.compile(r"\n[ \t]*\n")


def paragraph_around(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The blank-line paragraph holding `text[start:end]`, capped at WINDOW_CHARS either side."""
    end = start if end is None else end
    lo = max(0, start - WINDOW_CHARS)
    hi = min(len(text), end + WINDOW_CHARS)
    before = [m.end() for m in _BREAK.finditer(text, lo, start)]
    p_start = before[-1] if before else lo
    after = _BREAK.search(text, end, hi)
    p_end = after.start() if after else hi
    return p_start, p_end


def sentences_in(text: str, para: tuple[int, int]) -> list[Span]:
    """The sentences of one paragraph (see core/sentences.py)."""
    return sentence_spans(text, para[0], para[1])


def sentence_at(spans: Sequence[Span], pos: int) -> int | None:
    """Index of the sentence holding offset `pos` (or starting after it, when `pos` is a gap)."""
    starts = [s.start for s in spans]
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < spans[i].end:
        return i
    if i + 1 < len(spans):
        return i + 1
    return i if i >= 0 else None


def quotations_in(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    """The quoted passages of a paragraph (inside the marks), as the article's quote finder pairs them."""
    spans, _ = scan_paragraph(text, Paragraph(para[0], para[1]), False)
    return spans


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def trimmed(text: str, start: int, end: int, limit: int = 300) -> str:
    """`text[start:end]` on one line, cut at `limit` characters with an ellipsis."""
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1].rstrip() + "…"
