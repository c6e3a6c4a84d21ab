"""Hedges a source puts on a statement that the article's version drops ("may", "about 4,000",
"reportedly", "preliminary figures").

A hedge counts for a quoted passage when it is inside the passage, or in the same clause of the source's
sentence right before or after it ("Officials estimate that …", "… up to 18 months"); hedges that qualify a
whole sentence (reportedly, allegedly, according to preliminary figures: groups "report" and "estimate")
count anywhere in it. The article keeps a hedge when its own sentence holds one of the same group
(`data/hedges.tsv`: an article writing "around" for the source's "about" kept it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..flags import is_number
from ..lexicon.words import Hit, tokens
from . import lexicon

SENTENCE_WIDE = frozenset({"report", "estimate"})  # groups that qualify a whole sentence
AFTER_WORDS = 12  # a hedge after the passage counts up to this many words on
_CLAUSE = ",;:—–()"
_JA_NUMERALS = "0123456789０１２３４５６７８９一二三四五六七八九十百千万億"


@dataclass(frozen=True)
class Hedge:
    text: str  # as printed in the source
    start: int
    end: int
    group: str


def hedges_in(text: str, start: int, end: int) -> list[Hedge]:
    """Every hedge in `text[start:end]`; one that needs a number ("about") only right before one."""
    toks = tokens(text, start, end)
    out = []
    for hit in lexicon.hedges().find(toks):
        if _needs_number(hit) and not _number_follows(toks, hit.first + hit.count):
            continue
        if _is_month(text, hit):
            continue
        out.append(Hedge(text[hit.start : hit.end], hit.start, hit.end, hit.entry.columns[0]))
    for hit in lexicon.hedges().find_strings(text, start, end):
        if _needs_number(hit) and text[hit.end : hit.end + 1] not in _JA_NUMERALS:
            continue
        out.append(Hedge(hit.entry.form, hit.start, hit.end, hit.entry.columns[0]))
    return sorted(out, key=lambda h: h.start)


def _is_month(text: str, hit: Hit) -> bool:
    """ "in May", "May 2026": the month, unless the word opens a sentence."""
    if text[hit.start : hit.end] != "May":
        return False
    before = text[max(0, hit.start - 3) : hit.start].strip()
    return bool(before) and before[-1] not in ".!?:“\"'‘"


def _needs_number(hit: Hit) -> bool:
    return hit.entry.columns[1] == "number"


def _number_follows(toks, i: int) -> bool:
    for k in range(i, min(i + 2, len(toks))):  # "about 40", "up to a third", "some two-thirds"
        if is_number(toks[k].low):
            return True
        if toks[k].low not in ("a", "an"):
            return False
    return False


def _same_clause(text: str, a: int, b: int) -> bool:
    return not any(c in _CLAUSE for c in text[a:b])


def passage_hedges(text: str, start: int, end: int, sentence: tuple[int, int]) -> list[Hedge]:
    """Hedges that bear on the source passage `text[start:end]` inside `sentence`."""
    s_lo, s_hi = sentence
    out = []
    after_limit = _after_limit(text, end, s_hi)
    for h in hedges_in(text, min(s_lo, start), max(s_hi, end)):
        wide = h.group in SENTENCE_WIDE
        inside = start <= h.start < end
        before = h.end <= start and (wide or _same_clause(text, h.end, start))
        after = h.start >= end and (wide or (h.start <= after_limit and _same_clause(text, end, h.start)))
        if inside or before or after:
            out.append(h)
    return out


def _after_limit(text: str, end: int, hi: int) -> int:
    toks = tokens(text, end, hi)[:AFTER_WORDS]
    return toks[-1].end if toks else end


def dropped(source_hedges: list[Hedge], article_text: str) -> list[Hedge]:
    """The source's hedges whose group the article's text does not carry; one per form."""
    kept = {h.group for h in hedges_in(article_text, 0, len(article_text))}
    out: list[Hedge] = []
    seen: set[str] = set()
    for h in source_hedges:
        key = h.text.casefold()
        if h.group in kept or key in seen:
            continue
        seen.add(key)
        out.append(h)
    return out
