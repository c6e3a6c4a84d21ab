"""Sentence boundaries in plain text, tuned for news prose.

A claim is "the sentence that holds the link", so a wrong break cuts a claim in half. The splitter
therefore errs towards *not* breaking: abbreviations, initials, decimals, URLs, ellipses followed by a
lower-case word and anything inside a double quotation never end a sentence. Paragraph breaks
("\\n\\n") always do.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .language import guess_language
from .marks import SPACE, closed_quote_spans, trim_span
from .models import Article, Span

# Lower-case, without the final dot. Titles, months, and the Latin shorthands news copy uses.
_ABBREVIATION_WORDS = """
    mr mrs ms mx dr prof sr jr st gen sen rep gov lt col capt cmdr sgt maj adm pres supt rev hon fr
    messrs mmes mme mlle atty insp det ald amb
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    e.g i.e etc vs v al cf approx est no nos vol vols fig figs p pp ch sec art ed eds op
    inc ltd co corp bros dept univ assn ave blvd rd mt ft
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

_TERMINATORS = ".!?…。！？｡"
_CJK_TERMINATORS = "。！？｡"  # end a sentence with no space after them (Japanese, Chinese)
_CLOSERS = "\"'”’»«)]}」』）›‹"
_INTERESTING = re.compile("[.!?…。！？｡]")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # "U.S" (final dot already removed)


def sentence_spans(
    text: str, start: int = 0, end: int | None = None, language: str | None = None
) -> list[Span]:
    """Split `text[start:end]` into sentences; spans are trimmed of surrounding whitespace.

    `language` (an ISO 639-1 code, see language.py) decides which way guillemets point. Linear in the
    length of the range.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    spans: list[Span] = []
    for para_start, para_end in _paragraph_ranges(text, start, end):
        for s, e in _split_paragraph(text, para_start, para_end, language):
            s, e = trim_span(text, s, e)
            if s < e:
                spans.append(Span(s, e))
    return spans


class ParagraphSentences:
    """The sentences of one article's paragraphs in its language, each paragraph split once, when first
    asked: the claims (links.py), the quotations' attribution and the framing cues read the same spans.

    `language` is the article's declared language, else a guess from its text (language.py)."""

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.paragraphs = article.paragraphs
        self.language = article.language or guess_language(article.text)
        self._spans: dict[int, tuple[list[Span], list[int]]] = {}

    def _of(self, pi: int) -> tuple[list[Span], list[int]]:
        found = self._spans.get(pi)
        if found is None:
            para = self.paragraphs[pi]
            spans = sentence_spans(self.text, para.start, para.end, self.language)
            found = self._spans[pi] = (spans, [sp.start for sp in spans])
        return found

    def of(self, pi: int) -> list[Span]:
        """The sentences of paragraph `pi`, in order."""
        return self._of(pi)[0]

    def starts(self, pi: int) -> list[int]:
        """Where each sentence of paragraph `pi` starts (for bisection)."""
        return self._of(pi)[1]

    def at(self, pi: int, offset: int) -> Span:
        """The sentence of paragraph `pi` holding `offset` (the one before, for an offset between two),
        or the whole paragraph when it starts before the first sentence."""
        spans, starts = self._of(pi)
        i = bisect_right(starts, offset) - 1
        if i >= 0:
            return spans[i]
        para = self.paragraphs[pi]
        return Span(para.start, para.end)


def _paragraph_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ranges = []
    pos = start
    for m in re.finditer(r"\n[ \t]*\n", text[start:end]):
        ranges.append((pos, start + m.start()))
        pos = start + m.end()
    ranges.append((pos, end))
    return ranges


def _split_paragraph(text: str, start: int, end: int, language: str | None) -> list[tuple[int, int]]:
    """Split one paragraph. Quotations the mark pairing closed (marks.py) are kept whole: a terminator
    inside never ends a sentence, and a closing mark right after one does when a new sentence follows
    (“We won.” Then ...). A mark that never closed protects nothing."""
    out: list[tuple[int, int]] = []
    quoted = closed_quote_spans(text, start, end, language)
    q = 0  # next quoted span that may hold the current position
    sent_start = start
    i = start
    while True:
        m = _INTERESTING.search(text, i, end)
        if m is None:
            break
        i = m.start()
        while q < len(quoted) and quoted[q][1] <= i:
            q += 1
        if q < len(quoted) and quoted[q][0] < i:  # inside a closed quotation: go to its closing mark
            i = quoted[q][1]
            j = _boundary_after_quote(text, quoted[q][0], i, end)
            if j is not None:
                out.append((sent_start, j))
                sent_start = i = j
            else:
                i += 1
            continue
        j = _boundary_after(text, i, end, start)
        if j is not None:
            out.append((sent_start, j))
            sent_start = i = j
            continue
        i += 1
    out.append((sent_start, end))
    return out


def _boundary_after_quote(text: str, opening: int, closing: int, end: int) -> int | None:
    """A quotation whose last word ends a sentence (“We won.” Then ...; « C'est fini ! » Puis ...)
    ends the sentence after its closing mark when a new one follows; the offset past the mark."""
    k = closing - 1
    while k > opening and text[k] in SPACE:
        k -= 1
    if k <= opening or text[k] not in _TERMINATORS:
        return None
    j = closing + 1
    while j < end and text[j] in _CLOSERS:
        j += 1
    if j >= end or text[k] in _CJK_TERMINATORS:
        return None  # 「…。」と述べた: a Japanese or Chinese quotation goes on into its sentence
    if text[j] not in SPACE:
        return None
    while j < end and text[j] in SPACE:
        j += 1
    if j >= end or text[j].islower() or text[j] in "—–-,":
        return None  # “Jak dojadę?” – pyta pani Ewa: the attribution goes on after the dash
    return j if text[k] != "." or not _is_abbreviation(text, k, opening + 1) else None


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
    if terminators[-1] in _CJK_TERMINATORS:
        return j
    if text[j] not in SPACE:
        return None  # "3.5", "example.com", "U.S." inside a token
    k = j
    while k < end and text[k] in SPACE:
        k += 1
    if k >= end:
        return None
    nxt = text[k]
    if nxt.islower():
        return None  # "e.g. apples", "... and then"
    if terminators == "." and _is_abbreviation(text, i, para_start):
        return None
    if terminators in ("...", "…") and not (nxt.isupper() or nxt in "“\"‘'«»„"):
        return None
    return j


def _is_abbreviation(text: str, dot: int, para_start: int) -> bool:
    w = dot
    while w > para_start and text[w - 1] not in SPACE and text[w - 1] not in "(“\"‘'[—–«»„":
        w -= 1
    word = text[w:dot]
    if not word:
        return False
    if word.lower() in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. R. R. Tolkien"
    return bool(_ACRONYM.match(word))  # "U.S.", "U.K.", "p.m." style
