"""The article's own words around what it cites: evaluative wording and scare quotes.

- Evaluative wording (`data/evaluative.tsv`): "a misleading report", "so-called", "bombshell", found in a
  sentence outside its quotations (words inside quote marks are the source's, not the article's).
- A scare quote is a quotation of one to four words that is not a whole utterance (no sentence
  punctuation inside its marks, no finite verb such as "is" or "must", not introduced by a colon, not
  followed by "…,” she said") and not a
  figure ("£6 million" has digits: a quoted number, not a scare quote). Whether the
  source uses the words is the matcher's answer (short quotes are matched exactly, on whole words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..lexicon import Attribution
from ..lexicon.words import MARKS, speaker_words
from . import lexicon

SCARE_QUOTE_MAX_WORDS = 4
_WORDS = re.compile(r"\w+(?:[’'.,\-]\w+)*")  # "2,400", "don't", "gold-plated" are one word each
_SPACE = " \t\n\u00a0\u202f\u2009"


def outside(lo: int, hi: int, quoted: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The parts of `[lo, hi)` outside the quotations (sorted (start, end) pairs, marks excluded)."""
    pos = lo
    for s, e in quoted:
        if e <= lo or s >= hi:
            continue
        if s > pos:
            yield pos, max(pos, s - 1)
        pos = max(pos, e + 1)
    if pos < hi:
        yield pos, hi


def evaluative(text: str, lo: int, hi: int, quoted: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(words, start, end) of evaluative wording in `text[lo:hi]`, outside the quotations."""
    found = []
    for s, e in outside(lo, hi, quoted):
        for hit in lexicon.evaluative_words().find_in(text, s, e):
            found.append((text[hit.start : hit.end], hit.start, hit.end))
        for hit in lexicon.evaluative_words().find_strings(text, s, e):
            found.append((text[hit.start : hit.end], hit.start, hit.end))
    return sorted(found, key=lambda f: f[1])


def is_scare_quote(text: str, start: int, end: int, attribution: Attribution | None, block: bool) -> bool:
    """Is the quotation `text[start:end]` (without its marks) a scare quote rather than an utterance?"""
    if block:
        return False
    words = _WORDS.findall(text, start, end)
    if not 1 <= len(words) <= SCARE_QUOTE_MAX_WORDS or any(c.isdigit() for c in text[start:end]):
        return False  # too long, or a figure ("£6 million"), which is a quotation, not a scare quote
    if any(w.casefold() in speaker_words()["finite"] for w in words):
        return False  # “lessons must be learned”: a clause of its own, an utterance
    inner = text[start:end].rstrip(_SPACE + MARKS)
    if inner[-1:] in ".!?…,":
        return False  # “No.” / “Not this year,” she said
    before = text[max(0, start - 4) : start].rstrip(_SPACE + MARKS)
    if before[-1:] in ":：":
        return False  # she said: “No”
    if attribution is not None and attribution.verb is not None and attribution.verb.start >= end:
        after = text[end : attribution.verb.start]
        if any(c in after for c in ",!?") and text[start].isupper():
            return False  # “Never”, he said (but: made “scapegoats”, the paper reported)
    return True
