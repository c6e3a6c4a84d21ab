"""Exact search: every place the quote's pieces occur in order on the folded text, word-bounded."""

from __future__ import annotations

from dataclasses import dataclass

from ..normalize import spaced_script
from .index import WORD_RE, SourceIndex
from .parse import SHORT_QUOTE_WORDS, ParsedQuote, Piece

ELLIPSIS_MAX_GAP = 3000  # folded chars an omission may span
BRACKET_MAX_GAP = 80  # folded chars an editor's [insertion] may replace

MAX_OCCURRENCES = 1000  # stop counting repeats of a quote here
INDEXED_EXACT_MIN_CHARS = 256_000  # from this size on, exact search goes through the word index


def _bounded(hay: str, pos: int, end: int, check_left: bool, check_right: bool) -> bool:
    """No word is cut at either end (in a script without spaces every character is a word)."""
    if check_left and pos > 0 and spaced_script(hay[pos]) and spaced_script(hay[pos - 1]):
        return False
    return not (check_right and end < len(hay) and spaced_script(hay[end - 1]) and spaced_script(hay[end]))


def _occurrences(hay: str, needle: str, lo: int = 0, hi: int | None = None, limit: int = MAX_OCCURRENCES):
    hi = len(hay) if hi is None else hi
    pos = hay.find(needle, lo, hi)
    n = 0
    while pos >= 0 and n < limit:
        yield pos
        n += 1
        pos = hay.find(needle, pos + 1, hi)


@dataclass(frozen=True)
class _Hit:
    spans: tuple[tuple[int, int], ...]  # folded spans of each piece

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def _all_positions(index: SourceIndex, needle: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    """Every (overlapping) occurrence of `needle` in the folded text, ascending.

    In a large text, scanning 5 MB per quote costs milliseconds; instead the rarest word strictly inside
    the needle (its tokenisation cannot depend on what surrounds the needle) is looked up in the word
    index and each occurrence verified in place.
    """
    hay = index.ftext
    if len(hay) >= INDEXED_EXACT_MIN_CHARS:
        toks = list(WORD_RE.finditer(needle))
        if len(toks) >= 3:
            post = index.postings()
            inner = min(toks[1:-1], key=lambda m: len(post.get(m.group(), ())))
            offset = inner.start()
            out = []
            starts = index.spans()[0]
            for i in post.get(inner.group(), ()):
                pos = starts[i] - offset
                if pos >= 0 and hay.startswith(needle, pos):
                    out.append(pos)
                    if len(out) >= limit:
                        break
            return out
    return list(_occurrences(hay, needle, limit=limit))


def _find_forward(hay: str, piece: Piece, lo: int, hi: int) -> int:
    for pos in _occurrences(hay, piece.text, lo, hi + len(piece.text)):
        if _bounded(hay, pos, pos + len(piece.text), not piece.glued_left, not piece.glued_right):
            return pos
    return -1


def _find_backward(hay: str, piece: Piece, lo: int, hi: int) -> int:
    """Last occurrence ending at or before `hi` and starting at or after `lo`."""
    n = len(piece.text)
    end = hi
    while True:
        pos = hay.rfind(piece.text, max(0, lo), end)
        if pos < 0:
            return -1
        if _bounded(hay, pos, pos + n, not piece.glued_left, not piece.glued_right):
            return pos
        end = pos + n - 1


def _max_gap(kind: str) -> int:
    return ELLIPSIS_MAX_GAP if kind == "ellipsis" else BRACKET_MAX_GAP


def find_exact(index: SourceIndex, parsed: ParsedQuote) -> list[_Hit]:
    """Every place the quote's pieces occur in order (word-bounded places preferred), first first."""
    hay = index.ftext
    pieces = parsed.pieces
    if not pieces:
        return []
    if len(pieces) == 1:
        p = pieces[0]
        bounded, loose = [], []
        for pos in _all_positions(index, p.text):
            span = (pos, pos + len(p.text))
            (bounded if _bounded(hay, *span, True, True) else loose).append(_Hit((span,)))
        if bounded:
            return bounded
        return loose if len(parsed.words) > SHORT_QUOTE_WORDS else []

    anchor = max(range(len(pieces)), key=lambda i: len(pieces[i].text))
    hits: list[_Hit] = []
    for pos in _all_positions(index, pieces[anchor].text, limit=200):
        a = pieces[anchor]
        if not _bounded(hay, pos, pos + len(a.text), not a.glued_left, not a.glued_right):
            continue
        spans: list[tuple[int, int] | None] = [None] * len(pieces)
        spans[anchor] = (pos, pos + len(a.text))
        ok = True
        for i in range(anchor - 1, -1, -1):
            nxt_start = spans[i + 1][0]  # type: ignore[index]
            q = pieces[i]
            p = _find_backward(hay, q, nxt_start - _max_gap(parsed.gaps[i]) - len(q.text), nxt_start)
            if p < 0:
                ok = False
                break
            spans[i] = (p, p + len(q.text))
        for i in range(anchor + 1, len(pieces)) if ok else ():
            prev_end = spans[i - 1][1]  # type: ignore[index]
            p = _find_forward(hay, pieces[i], prev_end, prev_end + _max_gap(parsed.gaps[i - 1]))
            if p < 0:
                ok = False
                break
            spans[i] = (p, p + len(pieces[i].text))
        if ok:
            hits.append(_Hit(tuple(spans)))  # type: ignore[arg-type]
    # an early anchor can chain to a later piece that belongs to the next occurrence: of overlapping
    # chains keep the tightest; the places left are reported in document order
    hits.sort(key=lambda h: (h.end - h.start, h.start))
    distinct: list[_Hit] = []
    for h in hits:
        if all(h.end <= d.start or d.end <= h.start for d in distinct):
            distinct.append(h)
    distinct.sort(key=lambda h: h.start)
    return distinct
