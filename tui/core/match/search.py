"""`match_quote` and `match_across`: the search order, and the `QuoteMatch` a hit becomes (the passage in
the source's own characters, its context, the word diff and the flags)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from .. import flags as flagmod
from ..models import NOT_FOUND, QuoteMatch, Source
from ..skipped import pieces_in
from ..worddiff import word_diff
from .exact import find_exact
from .fuzzy import SIMILARITY_THRESHOLD, find_fuzzy
from .index import SourceIndex, search_order
from .parse import EDGE_PUNCT, ParsedQuote, parse_quote

CONTEXT_CHARS = 48  # prefix/suffix length (TextQuoteSelector)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"))


def _balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a closing (opening) quote mark right after (before) the passage when it has an unmatched
    opening (closing) one: folding drops quote marks, so the match itself never includes edge marks."""
    passage = text[start:end]
    for op, cl in _PAIRS:
        n_op, n_cl = passage.count(op), passage.count(cl)
        if n_op > n_cl and text[end : end + 1] == cl:
            end += 1
        elif n_cl > n_op and start > 0 and text[start - 1] == op:
            start -= 1
    if passage.count('"') % 2 == 1:
        if text[end : end + 1] == '"':
            end += 1
        elif start > 0 and text[start - 1] == '"':
            start -= 1
    return start, end


def _result(
    quote: str,
    index: SourceIndex,
    parsed: ParsedQuote,
    fstart: int,
    fend: int,
    match: str,
    sim: float,
    others: int,
    omitted: Sequence[str] = (),
) -> QuoteMatch:
    text = index.text
    start, end = _balance_quotes(text, *index.folded.span_to_original(fstart, fend))
    while end < len(text) and unicodedata.combining(text[end]):  # an accent folding dropped (NFD text)
        end += 1
    passage = text[start:end]
    prefix, suffix = _context(text, start, end)
    skipped = _skipped_inside(index, start, end)
    # the diff compares the author's words: a skipped piece is reported under `skipped`, not as a change
    diff = word_diff(_without(text, start, end, skipped), quote.strip().strip(EDGE_PUNCT))
    flags: list[str] = []
    if match == "altered":
        flags += flagmod.change_flags(diff)
    if omitted:
        flags += flagmod.omission_flags(omitted)
    if flagmod.qualifier_cut(text, end):
        flags.append("qualifier_cut")
    if flagmod.condition_cut(text, start):
        flags.append("condition_cut")
    return QuoteMatch(
        match=match,  # type: ignore[arg-type]
        similarity=round(sim, 4),
        source_text=passage,
        source_start=start,
        source_end=end,
        prefix=prefix,
        suffix=suffix,
        other_matches=others,
        flags=tuple(flags),
        diff=diff,
        skipped=skipped,
    )


def _skipped_inside(index: SourceIndex, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The index's skipped spans that overlap [start, end), clipped to it."""
    return tuple((max(s, start), min(e, end)) for s, e in index.skipped if s < end and e > start)


def _without(text: str, start: int, end: int, skipped: Sequence[tuple[int, int]]) -> str:
    """text[start:end] with the skipped pieces taken out (a space kept where one would vanish)."""
    if not skipped:
        return text[start:end]
    out, pos = [], start
    for s, e in skipped:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:end])
    return re.sub(r"(?<=\S)  +(?=\S)", " ", "".join(out))


def _exact_result(quote: str, index: SourceIndex, parsed: ParsedQuote) -> QuoteMatch | None:
    hits = find_exact(index, parsed)
    if not hits:
        return None
    hit = hits[0]
    omitted = []
    for (_, e), (s, _), kind in zip(hit.spans[:-1], hit.spans[1:], parsed.gaps, strict=True):
        if kind == "ellipsis":
            a, b = index.folded.span_to_original(e, s)
            omitted.append(_without(index.text, a, b, _skipped_inside(index, a, b)))
    return _result(quote, index, parsed, hit.start, hit.end, "verbatim", 1.0, len(hits) - 1, omitted)


def _fuzzy_result(quote: str, index: SourceIndex, parsed: ParsedQuote) -> QuoteMatch | None:
    found = [f for f in find_fuzzy(index, parsed) if f.similarity >= SIMILARITY_THRESHOLD]
    if not found:
        return None
    best = found[0]
    # the words are all there but something else (punctuation) differs: not verbatim, so below 1.0
    sim = min(best.similarity, 0.99)
    return _result(quote, index, parsed, best.start, best.end, "altered", sim, len(found) - 1)


def match_quote(quote_text: str, source: Source) -> QuoteMatch:
    """Match one quote against one source: readable text first, then the whole page's visible text.

    When the passage is found only in `source.page_text`, `in_main_text` is False and source_start/end
    are offsets into `source.page_text`.
    """
    parsed = parse_quote(quote_text)
    if not parsed.pieces:
        return NOT_FOUND
    order = search_order(source)
    for search in (_exact_result, _fuzzy_result):  # an exact hit anywhere beats a fuzzy one in the main text
        for index, in_main_text in order:
            if (found := search(quote_text, index, parsed)) is not None:
                pieces = pieces_in(index.text, found.skipped, pdf=source.format == "pdf")
                return replace(found, in_main_text=in_main_text, skipped_pieces=pieces)
    return NOT_FOUND


def _rank(m: QuoteMatch) -> tuple[int, float]:
    return ({"verbatim": 2, "altered": 1}.get(m.match, 0), m.similarity)


def match_across(quote_text: str, own: Source | None, others: Sequence[tuple[int, Source]]) -> QuoteMatch:
    """Own source first; when the quote is not there, the best match among the article's other sources
    (with `found_in_link` set to that link's index)."""
    if own is not None:
        r = match_quote(quote_text, own)
        if r.match != "not_found":
            return r
    best: QuoteMatch = NOT_FOUND
    for link_index, src in others:
        if src is own:
            continue
        r = match_quote(quote_text, src)
        if r.match != "not_found" and _rank(r) > _rank(best):
            best = replace(r, found_in_link=link_index)
            if r.match == "verbatim":
                break
    return best
