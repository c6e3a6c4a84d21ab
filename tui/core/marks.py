"""The quote-mark lexicon and the pairing of marks in one paragraph, shared by the quote finder
(`quotes.py`) and the sentence splitter (`sentences.py`), which both need to know where a quotation
opens and closes; neither imports the other.

- Apostrophes (don't, Russia's, ’90s, rock ’n’ roll, o’clock, the Joneses’ house) are never marks.
- An unbalanced mark is capped at its paragraph: a stray “ quotes at most the rest of that paragraph,
  a stray ‘ that never closes is taken for an apostrophe, a stray ” is ignored.
"""

from __future__ import annotations

import re

from .models import Paragraph

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
SPACE = " \t\n\r\f\v\u00a0"
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


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    """`[s, e)` without the white space at either end."""
    while s < e and text[s] in SPACE:
        s += 1
    while e > s and text[e - 1] in SPACE:
        e -= 1
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
        elif ch == "»" and (prev in SPACE or prev in _OPEN_PUNCT) and nxt not in SPACE:
            events.append((i, DC, OPEN))  # »das ist falsch«: a » before a word opens
            reversed_open, low_open = True, False
        elif ch in OPEN_DOUBLE:
            events.append((i, DC, OPEN))
            low_open = ch == "„"
        elif ch in CLOSE_DOUBLE:
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
    left = nxt not in SPACE  # could open: a word follows
    right = prev not in SPACE  # could close: a word precedes
    can_open = left and (prev in SPACE or prev in _OPEN_PUNCT)
    can_close = right and (nxt in SPACE or nxt in _CLOSE_PUNCT)
    if can_open and can_close:
        return BOTH
    if can_open:
        return OPEN
    if can_close:
        return CLOSE
    return None


def scan_paragraph(text: str, para: Paragraph, continuing: bool) -> tuple[list[tuple[int, int]], bool]:
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
    spans, ran_to_end = scan_paragraph(text, para, False)
    if ran_to_end:
        spans = spans[:-1]
    out = []
    for s, e in spans:
        # spans are trimmed of white space: walk back out to the marks themselves
        while s > start and text[s - 1] in SPACE:
            s -= 1
        while e < end and text[e] in SPACE:
            e += 1
        if s > start and e < end:
            out.append((s - 1, e))
    return out
