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

from .models import Article, Link, Paragraph, Quote, Span
from .sentences import sentence_spans, trim_span

_OPEN_D = "“„«"
_CLOSE_D = "”»"
_SPACE = " \t\n\r\f\v\u00a0"
_OPEN_PUNCT = "([{—–-/‘“'\"«„…:"
_CLOSE_PUNCT = ".,;:!?)]}—–-…’”'\"»/"
# Words that begin with an elided letter: ’90s, ’em, ’til, ’tis, ’n’, 'cause ...
_ELISION = re.compile(
    r"(?:\d0s|\d\d\b|em\b|til\b|tis\b|twas\b|cause\b|bout\b|round\b|n(?=[’'])|nuff\b|kay\b|sup\b|s\b)",
    re.IGNORECASE,
)

_MARK = re.compile("[“”„«»\"‘’']")

DC, DS, S = "DC", "DS", "S"  # curly double, straight double, single
OPEN, CLOSE, BOTH = "open", "close", "both"


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
        spans, unclosed = _scan_paragraph(text, para, continuing)
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
    return para.start < para.end and (text[para.start] in _OPEN_D or text[para.start] == '"')


def _strip_enclosing_marks(text: str, start: int, end: int) -> tuple[int, int]:
    s, e = trim_span(text, start, end)
    if e - s >= 2 and (text[s] in _OPEN_D + '"') and (text[e - 1] in _CLOSE_D + '"'):
        s, e = trim_span(text, s + 1, e - 1)
    return s, e


def _marks(text: str, start: int, end: int) -> list[tuple[int, str, str]]:
    """Quote-mark events (position, DC|DS|S, open|close|both) in one paragraph; apostrophes dropped."""
    events: list[tuple[int, str, str]] = []
    skip_next_at = -1
    low_open = False
    reversed_open = False  # German/Danish »…«: a » opened, so the next « closes
    for m in _MARK.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        if i == skip_next_at:
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch == "“" and low_open:  # German „…“: this “ closes
            events.append((i, DC, CLOSE))
            low_open = False
        elif ch == "«" and reversed_open:
            events.append((i, DC, CLOSE))
            reversed_open = False
        elif ch == "»" and (prev in _SPACE or prev in _OPEN_PUNCT) and nxt not in _SPACE:
            events.append((i, DC, OPEN))  # »das ist falsch«: a » before a word opens
            reversed_open, low_open = True, False
        elif ch in _OPEN_D:
            events.append((i, DC, OPEN))
            low_open = ch == "„"
        elif ch in _CLOSE_D:
            events.append((i, DC, CLOSE))
            low_open = False
        elif ch == '"':
            role = _flank(prev, nxt)
            if role:
                events.append((i, DS, role))
        else:  # ‘ ’ '
            if prev.isalnum() and nxt.isalnum():
                continue  # don't, o’clock, Russia's
            if not prev.isalnum() and (m := _ELISION.match(text, i + 1, end)):
                if m.group(0).lower() == "n":  # rock ’n’ roll: the closing ’ is part of it too
                    skip_next_at = m.end()
                continue
            if ch == "‘":
                events.append((i, S, OPEN))
                continue
            role = _flank(prev, nxt)
            if role == BOTH:
                continue
            if role:
                events.append((i, S, role))
    return events


def _flank(prev: str, nxt: str) -> str | None:
    left = nxt not in _SPACE  # could open: a word follows
    right = prev not in _SPACE  # could close: a word precedes
    can_open = left and (prev in _SPACE or prev in _OPEN_PUNCT)
    can_close = right and (nxt in _SPACE or nxt in _CLOSE_PUNCT)
    if can_open and can_close:
        return BOTH
    if can_open:
        return OPEN
    if can_close:
        return CLOSE
    return None


def _scan_paragraph(text: str, para: Paragraph, continuing: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted spans of one paragraph; `unclosed` tells whether a double quote ran to its end."""
    start, end = para.start, para.end
    events = _marks(text, start, end)
    disabled: set[int] = set()
    mix = False
    for _ in range(len(events) + 2):
        spans, unclosed, stray_single, skipped_other = _pair(
            text, events, disabled, start, end, continuing, mix
        )
        if stray_single is not None:
            disabled.add(stray_single)  # a ‘ that never closed was an apostrophe after all
        elif skipped_other and not mix:
            mix = True  # “sloppy" pairs: let a straight mark close a curly one (and vice versa)
        else:
            break
    return spans, unclosed


def _pair(
    text: str,
    events: list[tuple[int, str, str]],
    disabled: set[int],
    start: int,
    end: int,
    continuing: bool,
    mix: bool,
) -> tuple[list[tuple[int, int]], bool, int | None, bool]:
    """Pair marks, outermost first: (spans, ran to the paragraph's end, stray ‘ position, want_mix).

    Curly and straight doubles nest inside each other (“said "no"”) unless `mix`; singles nest
    inside doubles and the reverse. `want_mix` asks for a second pass when a curly quote only makes
    sense closed by a straight mark (or the reverse).
    """
    spans: list[tuple[int, int]] = []
    outer: str | None = None
    open_at = -1
    other_inside = False  # a double mark of the other style was skipped inside the open quote
    want_mix = False
    k = 0
    if continuing and events and events[0][0] == start and events[0][1] != S:
        outer, open_at, k = ("D" if mix else events[0][1]), start, 1
    while k < len(events):
        pos, kind, role = events[k]
        k += 1
        if pos in disabled:
            continue
        if mix and kind != S:
            kind = "D"
        if outer is None:
            if role in (OPEN, BOTH) and (kind != S or role == OPEN):
                outer, open_at, other_inside = kind, pos, False
            continue
        if kind != outer:
            other_inside = other_inside or (kind != S and outer != S)
            continue  # nested marks of another kind belong to the outer passage
        if outer != S:
            if role in (CLOSE, BOTH):
                spans.append((open_at + 1, pos))
                outer = None
            else:  # a second opener: the first one was stray, or closed by a mark of the other style
                want_mix = want_mix or other_inside
                open_at, other_inside = pos, False
        elif role == CLOSE:
            if _possessive_before_better_close(text, events, k, pos, disabled):
                continue
            spans.append((open_at + 1, pos))
            outer = None
        # an S opener inside an open single quote: ignore, the pair closes at the next ’
    if outer == S:
        return spans, False, open_at, want_mix
    unclosed = outer is not None
    if unclosed:
        spans.append((open_at + 1, end))
        want_mix = want_mix or other_inside
    cleaned = []
    for s, e in spans:
        s, e = trim_span(text, s, e)
        if s < e:
            cleaned.append((s, e))
    ran_to_end = unclosed and bool(cleaned) and cleaned[-1][1] == trim_span(text, start, end)[1]
    return cleaned, ran_to_end, None, want_mix and not mix


def _possessive_before_better_close(text: str, events, k: int, pos: int, disabled: set[int]) -> bool:
    """‘the Joneses’ house’: a ’ after an s, followed by a word, yields to a later closing ’ - but
    not when another ‘ opens first (‘assumptions’ were ‘optimistic’: that ’ closed its quote)."""
    if pos == 0 or text[pos - 1].lower() != "s" or pos + 2 >= len(text):
        return False
    if not (text[pos + 1] == " " and text[pos + 2].isalpha()):
        return False
    for p, kind, role in events[k:]:
        if kind != S or p in disabled:
            continue
        return role == CLOSE
    return False


def closed_quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted spans of one paragraph that close inside it, as `(opening mark, closing mark)`
    positions; the sentence splitter keeps them whole (‘We won. It’s over,’ she said)."""
    para = Paragraph(start, end)
    spans, ran_to_end = _scan_paragraph(text, para, False)
    if ran_to_end:
        spans = spans[:-1]
    out = []
    for s, e in spans:
        # spans are trimmed of white space: walk back out to the marks themselves
        while s > start and text[s - 1] in _SPACE:
            s -= 1
        while e < end and text[e] in _SPACE:
            e += 1
        if s > start and e < end:
            out.append((s - 1, e))
    return out


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
