"""Passages an article prints between quote marks, and the link each one leans on.

Choices worth knowing:
- Only the OUTER passage is reported: a ‘single’ quote nested in a “double” one (or the reverse) is
  part of its outer passage, not a Quote of its own; the matcher checks the outer text anyway.
- A block quote (`Paragraph.block_quote`) is one Quote per paragraph, its marks stripped when it is
  wrapped in them; consecutive block-quote paragraphs share one attribution.
- A quote kept open across paragraphs by the typographic convention (each continued paragraph
  re-opens with “, only the last closes) is reported as one Quote per paragraph piece, every piece
  attributed like the first; text is never lost and never runs past the closing paragraph.
- An unbalanced mark is capped at its paragraph: a stray “ quotes at most the rest of that paragraph,
  a stray ‘ that never closes is taken for an apostrophe, a stray ” is ignored.
- Apostrophes (don't, Russia's, ’90s, rock ’n’ roll, o’clock, the Joneses’ house) are never marks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from .marks import CLOSE_DOUBLE, OPEN_DOUBLE, scan_paragraph, trim_span
from .models import Article, Link, Paragraph, Quote, Span
from .sentences import sentence_spans


def find_quotes(article: Article, links: Sequence[Link]) -> tuple[Quote, ...]:
    """Every quoted passage in reading order, attributed to a link where the prose says so."""
    text = article.text
    pieces: list[tuple[int, int, int, bool, int]] = []  # start, end, paragraph, block, group
    carry: int | None = None  # group id of a quote continuing into the next paragraph
    group = 0
    paragraphs = article.paragraphs
    for pi, para in enumerate(paragraphs):
        if para.code:
            carry = None
            continue
        if para.block_quote:
            carry = None
            s, e = _strip_enclosing_marks(text, para.start, para.end)
            if s < e:
                # consecutive block-quote paragraphs are one quoted block: attributed together
                if not (pieces and pieces[-1][3] and pieces[-1][2] == pi - 1):
                    group += 1
                pieces.append((s, e, pi, True, group))
            continue
        continuing = carry is not None and _opens_with_double(text, para)
        spans, unclosed = scan_paragraph(text, para, continuing)
        for k, (s, e) in enumerate(spans):
            if k == 0 and continuing and carry is not None:
                g = carry
            else:
                group += 1
                g = group
            pieces.append((s, e, pi, False, g))
        carry = None
        if unclosed and spans:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is not None and not nxt.block_quote and _opens_with_double(text, nxt):
                carry = pieces[-1][4]
    return _attribute(article, links, pieces)


# ---------------------------------------------------------------------------------------------
# scanning


def _opens_with_double(text: str, para: Paragraph) -> bool:
    return para.start < para.end and (text[para.start] in OPEN_DOUBLE or text[para.start] == '"')


def _strip_enclosing_marks(text: str, start: int, end: int) -> tuple[int, int]:
    s, e = trim_span(text, start, end)
    if e - s >= 2 and (text[s] in OPEN_DOUBLE + '"') and (text[e - 1] in CLOSE_DOUBLE + '"'):
        s, e = trim_span(text, s + 1, e - 1)
    return s, e


# ---------------------------------------------------------------------------------------------
# attribution


def _attribute(
    article: Article, links: Sequence[Link], pieces: list[tuple[int, int, int, bool, int]]
) -> tuple[Quote, ...]:
    text = article.text
    by_para: dict[int, list[Link]] = {}
    for link in sorted(links, key=lambda lk: lk.anchor_start):
        by_para.setdefault(link.paragraph, []).append(link)
    sentences: dict[int, list[Span]] = {}
    # A quote continued over paragraphs is one passage: a link in the sentence of any piece wins,
    # else the first piece's nearest preceding citation.
    group_link: dict[int, tuple[int | None, bool]] = {}
    for s, _e, pi, _block, group in pieces:
        if pi not in sentences:
            para = article.paragraphs[pi]
            sentences[pi] = sentence_spans(text, para.start, para.end)
        found = _link_for(s, pi, sentences[pi], by_para)
        known = group_link.get(group)
        if known is None or (found[1] and not known[1]):
            group_link[group] = found
    last_block_para: dict[int, int] = {g: pi for _s, _e, pi, block, g in pieces if block}
    for group, pi in last_block_para.items():
        if not group_link[group][1]:
            credit = _credit_line_link(article, pi + 1, by_para)
            if credit is not None:
                group_link[group] = (credit, True)
    return tuple(Quote(text[s:e], s, e, pi, group_link[group][0], block) for s, e, pi, block, group in pieces)


_CREDIT_LINE = re.compile(r"^\s*(?:[—–―~]|--?\s)")


def _credit_line_link(article: Article, pi: int, by_para: dict[int, list[Link]]) -> int | None:
    """The citation in a credit line right after a block quote ("— as the report put it"), which
    names the block's source better than whatever link came before it."""
    if pi >= len(article.paragraphs) or article.paragraphs[pi].block_quote:
        return None
    para = article.paragraphs[pi]
    if not _CREDIT_LINE.match(article.text[para.start : para.end]):
        return None
    for lk in by_para.get(pi, []):
        if lk.role == "citation" and lk.target_kind in ("web", "fragment"):
            return lk.index
    return None


def _sentence_of(spans: list[Span], offset: int) -> Span | None:
    starts = [sp.start for sp in spans]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and spans[i].start <= offset < max(spans[i].end, offset + 1):
        return spans[i]
    return None


def _link_for(s: int, pi: int, spans: list[Span], by_para: dict[int, list[Link]]) -> tuple[int | None, bool]:
    """(link index, found in the quote's own sentence)."""
    sent = _sentence_of(spans, s)
    in_para = by_para.get(pi, [])
    if sent is not None:
        # a footnote marker or a share button in the sentence is not what the quote leans on
        here = [lk for lk in in_para if sent.start <= lk.anchor_start < sent.end and lk.role == "citation"]
        if here:
            before = [lk for lk in here if lk.anchor_start < s]
            return (before[-1] if before else here[0]).index, True
    lo = sent.start if sent is not None else s

    def citable(lk: Link) -> bool:
        return lk.role == "citation" and lk.target_kind in ("web", "fragment")

    preceding = [lk for lk in in_para if lk.anchor_start < lo and citable(lk)]
    if preceding:
        return preceding[-1].index, False
    previous = [lk for lk in by_para.get(pi - 1, []) if citable(lk)]
    if previous:
        return previous[-1].index, False
    return None, False
