"""Sentence boundaries in plain text, tuned for news prose.

A claim is "the sentence that holds the link", so a wrong break cuts a claim in half. The splitter
therefore errs towards *not* breaking: abbreviations, initials, decimals, URLs, ellipses followed by a
lower-case word and anything inside a double quotation never end a sentence. Paragraph breaks
("\\n\\n") always do.
"""

from __future__ import annotations

import re

from .marks import closed_quote_spans, trim_span
from .models import Span

# Lower-case, without the final dot. Titles, months, and the Latin shorthands news copy uses.
_ABBREVIATION_WORDS = """
    mr mrs ms mx dr prof sr jr st gen sen rep gov lt col capt cmdr sgt maj adm pres supt rev hon fr
    messrs mmes mme mlle atty insp det ald amb
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    e.g i.e etc vs v al cf approx est no nos vol vols fig figs p pp ch sec art ed eds op
    inc ltd co corp bros dept univ assn ave blvd rd mt ft
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_TERMINATORS = ".!?…"
_CLOSERS = "\"'”’»)]}"
_SPACE = " \t\n\r\f\v\u00a0"
_INTERESTING = re.compile("[.!?…“„«”»\"‘’']")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # "U.S" (final dot already removed)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split `text[start:end]` into sentences; spans are trimmed of surrounding whitespace."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    spans: list[Span] = []
    for para_start, para_end in _paragraph_ranges(text, start, end):
        for s, e in _split_paragraph_balanced(text, para_start, para_end):
            s, e = trim_span(text, s, e)
            if s < e:
                spans.append(Span(s, e))
    return spans


def _paragraph_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ranges = []
    pos = start
    for m in re.finditer(r"\n[ \t]*\n", text[start:end]):
        ranges.append((pos, start + m.start()))
        pos = start + m.end()
    ranges.append((pos, end))
    return ranges


def _split_paragraph_balanced(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split, then redo it ignoring any quote mark that never closed (a stray mark must not glue
    the rest of the paragraph into one sentence)."""
    # Marks the quote finder paired: a terminator inside never ends a sentence, and a closing mark
    # right after one does when a new sentence follows. This is what covers ‘single’ quotes.
    inside = bytearray(end - start)
    closers: set[int] = set()
    for s, e in closed_quote_spans(text, start, end):
        inside[s - start : e - start] = b"\x01" * (e - s)
        closers.add(e)
    ignored: set[int] = set()
    for _ in range(8):
        out, unclosed = _split_paragraph(text, start, end, ignored, inside, closers)
        if unclosed is None:
            break
        ignored.add(unclosed)
    return out


def _split_paragraph(
    text: str, start: int, end: int, ignored: set[int], inside: bytearray, closers: set[int]
) -> tuple[list[tuple[int, int]], int | None]:
    out: list[tuple[int, int]] = []
    sent_start = start
    # Curly and straight marks are tracked apart, so “He said "no" twice.” stays one quotation.
    curly_at: int | None = None  # where the open curly quotation began
    straight_at: int | None = None
    i = start
    while True:
        # only terminators and quote marks matter: jump from one to the next
        m = _INTERESTING.search(text, i, end)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if i in ignored:
            pass
        elif ch in _OPEN_DOUBLE:
            curly_at = i
        elif ch in _CLOSE_DOUBLE:
            curly_at = None
        elif ch == '"':
            prev = text[i - 1] if i > start else " "
            if prev in _SPACE + "([{—–-“‘":
                straight_at = i
            elif straight_at is not None:
                straight_at = None
            else:
                straight_at = i
        in_double = curly_at is not None or straight_at is not None or inside[i - start]
        if ch in _TERMINATORS and not in_double:
            j = _boundary_after(text, i, end, start)
            if j is not None:
                out.append((sent_start, j))
                sent_start = j
                i = j
                continue
        elif (
            (ch in _CLOSE_DOUBLE + '"' or i in closers)
            and not in_double
            and i > start
            and text[i - 1] in _TERMINATORS
        ):
            # “We won.” Then ...  -> the closing mark ends the sentence when a new one follows.
            j = _boundary_after(text, i - 1, end, start)
            if j is not None and j > i:
                out.append((sent_start, j))
                sent_start = j
                i = j
                continue
        i += 1
    out.append((sent_start, end))
    unclosed = [p for p in (curly_at, straight_at) if p is not None]
    return out, (min(unclosed) if unclosed else None)


def _boundary_after(text: str, i: int, end: int, para_start: int) -> int | None:
    """If the terminator at `i` ends a sentence, the offset just past it (and its closing marks)."""
    j = i
    while j < end and text[j] in _TERMINATORS:
        j += 1
    terminators = text[i:j]
    while j < end and text[j] in _CLOSERS:
        j += 1
    if j >= end:
        return None  # the paragraph's end closes the sentence anyway
    if text[j] not in _SPACE:
        return None  # "3.5", "example.com", "U.S." inside a token
    k = j
    while k < end and text[k] in _SPACE:
        k += 1
    if k >= end:
        return None
    nxt = text[k]
    if nxt.islower():
        return None  # "e.g. apples", "... and then"
    if terminators == "." and _is_abbreviation(text, i, para_start):
        return None
    if terminators in ("...", "…") and not (nxt.isupper() or nxt in "“\"‘'"):
        return None
    return j


def _is_abbreviation(text: str, dot: int, para_start: int) -> bool:
    w = dot
    while w > para_start and text[w - 1] not in _SPACE and text[w - 1] not in "(“\"‘'[—–":
        w -= 1
    word = text[w:dot]
    if not word:
        return False
    if word.lower() in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. R. R. Tolkien"
    return bool(_ACRONYM.match(word))  # "U.S.", "U.K.", "p.m." style
