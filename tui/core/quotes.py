"""Passages an article quotes, grouped into quotations, each credited to the link it comes from.

Choices worth knowing:
- Only the OUTER passage is reported: a ‘single’ quote nested in a “double” one (or the reverse, or
  “…” inside «…», 『…』 inside 「…」) is part of its outer passage; the matcher checks the outer text.
- HTML `<q>` elements are quotations although the text holds no marks (the browser draws them).
- A block quote (`Paragraph.block_quote`) is one piece per paragraph, its marks stripped when it is
  wrapped in them; the paragraphs of one block quote element are one quotation. A credit line
  ("— A. Name (@handle) date", a `<footer>`) is not quoted text.
- A quote kept open across paragraphs by the typographic convention (each continued paragraph
  re-opens with “, only the last closes) is one quotation of one piece per paragraph.
- A quotation interrupted by its attribution ("…,” she said, “…") is one quotation of two pieces:
  the narration between them is never quoted, and both pieces share one speaker and one source.
- Marks are paired by marks.py in the article's language (declared, else guessed: language.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from . import marks
from .attribution import Piece, attribute, is_credit_line
from .lexicon import opening_phrase
from .models import Article, Link, Paragraph, Quote
from .sentences import ParagraphSentences

_INTERRUPTION_MAX = 120  # characters of narration between two pieces of one quotation
_SPACES = "".join(marks.SPACE)
_INTERRUPTION_REST = 60  # characters after the attribution phrase ("on Tuesday", "adding:") still allowed


def find_quotes(
    article: Article, links: Sequence[Link], sentences: ParagraphSentences | None = None
) -> tuple[Quote, ...]:
    """Every quoted passage in reading order, grouped into quotations and attributed to links.
    `sentences`: the article's sentences when an earlier stage split them (else split here)."""
    sentences = sentences or ParagraphSentences(article)
    by_start = {lk.anchor_start: lk for lk in links}
    pieces = [p for p in scan_pieces(article, sentences.language) if not _linked_title(p, by_start)]
    return attribute(article, links, pieces, sentences)


def _linked_title(piece: Piece, by_start: dict[int, Link]) -> bool:
    """A name or title between marks that is itself a link's whole text, marks included
    ([«Орлемских вестей»](…), [“Trams for all”](…)): a title, not a quotation."""
    lk = by_start.get(piece.open_at)
    return not piece.block and lk is not None and lk.anchor_end >= piece.close_at


def scan_pieces(article: Article, language: str | None) -> list[Piece]:
    """The quoted pieces of the article in reading order, each with its quotation number."""
    text = article.text
    marked: dict[int, list] = {}
    if article.marked_quotes:
        starts = [p.start for p in article.paragraphs]
        for mq in article.marked_quotes:
            marked.setdefault(bisect_right(starts, mq.start) - 1, []).append(mq)
    pieces: list[Piece] = []
    phrases = _Phrases(text)
    carry: int | None = None  # quotation continuing into the next paragraph
    number = 0
    paragraphs = article.paragraphs
    for pi, para in enumerate(paragraphs):
        if para.code or para.credit:
            carry = None
            continue
        if para.block_quote:
            carry = None
            if _closes_block(text, paragraphs, pi):
                continue  # "> — A. Name (@handle) date": the block's credit line, not quoted text
            s, e = marks.strip_enclosing_marks(text, para.start, para.end)
            if s < e:
                last = pieces[-1] if pieces else None
                same_block = (
                    last is not None
                    and last.block
                    and last.paragraph == pi - 1
                    and paragraphs[pi - 1].block == para.block
                )
                if not same_block:
                    number += 1
                pieces.append(Piece(s, e, pi, True, number, s, e))
            continue
        continuing = carry is not None and _opens_quotation(text, para)
        spans, unclosed = marks.scan_paragraph(text, para, continuing, language)
        found = _with_marked(text, para, spans, marked.get(pi, ()))
        first_in_para = len(pieces)
        k = 0
        for s, e, cite in found:
            open_at, close_at = _marks_around(text, para, s, e, cite is not None)
            for j, (a, b, oa, ca) in enumerate(_split_narration(text, s, e, open_at, close_at)):
                if j > 0:  # «…, — заявил он, — …»: the author's words inside the marks
                    q = pieces[-1].quotation
                elif k == 0 and continuing and carry is not None:
                    q = carry
                elif k > 0 and _interrupted(phrases, pieces[-1], oa, ca, para.end):
                    q = pieces[-1].quotation
                else:
                    number += 1
                    q = number
                pieces.append(Piece(a, b, pi, False, q, oa, ca, cite or None))
                k += 1
        carry = None
        if unclosed and len(pieces) > first_in_para:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is not None and not nxt.block_quote and _opens_quotation(text, nxt):
                carry = pieces[-1].quotation
    return pieces


def _closes_block(text: str, paragraphs: Sequence[Paragraph], pi: int) -> bool:
    """A dash line that ends its block quote (a Markdown embed's "> — Name (@handle) date")."""
    para = paragraphs[pi]
    nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
    last = nxt is None or not nxt.block_quote or (para.block is not None and nxt.block != para.block)
    first = pi == 0 or not paragraphs[pi - 1].block_quote
    return last and not first and is_credit_line(text, para.start, para.end)


def _opens_quotation(text: str, para: Paragraph) -> bool:
    return (
        para.start < para.end and text[para.start] in marks.OPENING_MARKS and text[para.start] not in "'‘‚‹›"
    )


def _with_marked(
    text: str, para: Paragraph, spans: list[tuple[int, int]], marked
) -> list[tuple[int, int, str]]:
    """The paragraph's spans with its `<q>` quotations merged in (cite "" = none): a `<q>` inside a
    quotation is part of it, a quotation inside a `<q>` part of the `<q>`."""
    out = [(s, e, None) for s, e in spans]
    for mq in marked:
        s, e = marks.trim_span(text, mq.start, mq.end)
        if s >= e or any(a <= s and e <= b for a, b, _ in out):
            continue
        out = [(a, b, c) for a, b, c in out if not (s <= a and b <= e)]
        out.append((s, e, mq.cite or ""))
    out.sort()
    return out  # type: ignore[return-value]


def _marks_around(text: str, para: Paragraph, s: int, e: int, markup: bool) -> tuple[int, int]:
    """The opening mark's offset and the offset just past the closing mark of a piece (its own span
    for a `<q>`, whose marks the browser draws)."""
    if markup:
        return s, e
    a, b = s, e
    while a > para.start and text[a - 1] in marks.SPACE:
        a -= 1
    while b < para.end and text[b] in marks.SPACE:
        b += 1
    return max(para.start, a - 1), min(para.end, b + 1)


_DASH_NARRATION = re.compile(r"(?<=[,!?…])\s*[—–]\s+(?=\S)")


_NEXT_OPENING = re.compile("[“„«»「『‹›]")  # typographic opening marks (not the apostrophe-like ones)


class _Phrases:
    """Where the attribution phrase opening a stretch of narration ends (`opening_phrase`), each stretch
    read once: the narration after one piece is both "what follows it" and "what comes before the next"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: dict[tuple[int, int], int | None] = {}

    def end(self, lo: int, hi: int) -> int | None:
        key = (lo, hi)
        if key not in self._ends:
            self._ends[key] = opening_phrase(self.text, lo, hi)
        return self._ends[key]

    def after(self, close_at: int, end: int) -> bool:
        """An attribution phrase follows the closing mark at `close_at`, before the next quotation."""
        hi = min(end, close_at + 80)
        nxt = _NEXT_OPENING.search(self.text, close_at, hi)
        return self.end(close_at, nxt.start() if nxt else hi) is not None


def _split_narration(
    text: str, s: int, e: int, open_at: int, close_at: int
) -> list[tuple[int, int, int, int]]:
    """A quotation that holds its own attribution between dashes («Это вынужденная мера, — заявил
    он, — иначе…», the Russian convention) is two pieces; the narration between them is not quoted.
    Each piece as (start, end, opening mark, just past the closing mark)."""
    for m in _DASH_NARRATION.finditer(text, s, e):
        head = text[m.end() : e]
        if opening_phrase(text, m.end(), e) is None:
            continue
        close = re.search(r"[,.]?\s*[—–]\s+", head)
        if close is None or close.start() > _INTERRUPTION_MAX:
            continue
        second = m.end() + close.end()
        if second >= e:
            continue
        first_end = m.start()
        return [(s, first_end, open_at, first_end), (second, e, second, close_at)]
    return [(s, e, open_at, close_at)]


def _interrupted(phrases: _Phrases, previous: Piece, open_at: int, close_at: int, end: int) -> bool:
    """The narration between two pieces is only their attribution ("…,” she said, “…"); after a full
    stop ("…,” said Kim. “…”) only when the second piece does not name a speaker of its own."""
    text = phrases.text
    between = text[previous.close_at : open_at]
    if not between.strip() or len(between) > _INTERRUPTION_MAX or "\n" in between:
        return False
    if between.lstrip(" \u00a0\u202f\u2009")[:1] in (".", "!", "?", "…"):
        return False  # the sentence ended after the first piece: what follows is new narration
    phrase_end = phrases.end(previous.close_at, open_at)
    if phrase_end is None:
        return False
    rest = text[phrase_end:open_at].strip(_SPACES).rstrip(",;:—–-" + _SPACES)
    body = rest[:-1] if rest.endswith(".") else rest  # "…,” said Kim. “…": one speaker goes on
    if rest.endswith(".") and phrases.after(close_at, end):
        return False
    # what may follow the phrase: an apposition ("…», raconte S. M., présidente du club, «…")
    return len(body) <= _INTERRUPTION_REST and not any(c in body for c in ".!?")
