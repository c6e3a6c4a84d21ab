"""Find a quoted passage in a source's text and say how faithfully the article reproduces it.

Order of attempts (each on the folded text, see normalize.py):
1. exact: the quote split at ellipses (omissions) and [brackets] (editor's insertions) into pieces, each
   found in order close to the previous one -> "verbatim", similarity 1.0;
2. fuzzy, for quotes of 4+ words only: seed-and-extend. Rare quote words vote, through a word index of
   the source, for the diagonal (source token - quote token) they sit on; the best few windows are aligned
   with diff-match-patch on word tokens, the aligned run is trimmed of stray edge matches, and scored by
   Dice similarity over words (2 * matched / (quote words + passage words), words dropped by an
   ellipsis not counted). At or above SIMILARITY_THRESHOLD -> "altered", else "not_found".
   diff-match-patch's own match_main (Bitap) is limited to 32-character patterns and is not used.

Short quotes (1-3 words, typically scare quotes) are matched exactly on whole words and never fuzzily.

`match_quote` searches `Source.text` (readable main text) first, then `Source.page_text`; when the
passage was found only in the page text, `in_main_text` is False and the offsets point into
`Source.page_text`, not `Source.text`.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import repeat
from operator import itemgetter, rshift, sub

from diff_match_patch import diff_match_patch

from . import flags as flagmod
from .evidence import find_evidence
from .models import NOT_FOUND, QuoteMatch, Source
from .normalize import Folded, fold
from .worddiff import word_diff

# Chosen by measurement on tests/test_match_accuracy.py (corpus quotes, 3 seeds, ~520 of each kind):
# altered quotes (1-3 words substituted/inserted/dropped in 8-40 word quotes) score 0.50-1.0, 1st
# percentile 0.53-0.67; fabricated quotes score 0-0.50, 99th percentile 0.36-0.42. At 0.6: 98.8-100% of
# altered found, 0% of fabricated.
SIMILARITY_THRESHOLD = 0.6
SHORT_QUOTE_WORDS = 3  # quotes this short are matched on whole words only, never fuzzily
ELLIPSIS_MAX_GAP = 3000  # folded chars an omission may span
BRACKET_MAX_GAP = 80  # folded chars an editor's [insertion] may replace
BRACKET_GAP_WORDS = 6  # source words an [insertion] may stand for, in fuzzy alignment
CONTEXT_CHARS = 48  # prefix/suffix length (TextQuoteSelector)
MAX_OCCURRENCES = 1000  # stop counting repeats of a quote here
INDEXED_EXACT_MIN_CHARS = 256_000  # from this size on, exact search goes through the word index
VOTE_BUDGET = 20_000  # seed occurrences looked at per quote (rarest words first)

WORD_RE = re.compile(r"\w+(?:['.,]\w+)*")
_ELLIPSIS_RE = re.compile(r"\[\s*(?:\.\s*){3,}\]|\[\s*…\s*\]|…|\.\s?\.\s?\.(?:\s?\.)*")
_BRACKET_RE = re.compile(r"\[[^\[\]]*\]")
_EDGE_PUNCT = " ,.;:!?"

__all__ = [
    "SIMILARITY_THRESHOLD",
    "SourceIndex",
    "find_evidence",
    "index_source",
    "index_text",
    "match_across",
    "match_quote",
    "parse_quote",
]

_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0.2


# ---------------------------------------------------------------------------------------------- index


@dataclass
class SourceIndex:
    """A source text folded once, with a word index built on first fuzzy use; reused across quotes.

    Positions live in `array`s, not lists: a 5 MB text has ~1M tokens, and lists of that size make every
    full garbage collection of the process walk them (seen as 100+ ms stalls on unrelated quotes).
    """

    text: str
    folded: Folded
    _starts: array | None = field(default=None, repr=False)
    _ends: array | None = field(default=None, repr=False)
    _postings: dict[str, array] | None = field(default=None, repr=False)

    @property
    def ftext(self) -> str:
        return self.folded.text

    def _build(self) -> None:
        starts, ends = array("l"), array("l")
        post: dict[str, list[int]] = {}
        for i, m in enumerate(WORD_RE.finditer(self.folded.text)):
            s, e = m.span()
            starts.append(s)
            ends.append(e)
            w = m.group()
            lst = post.get(w)
            if lst is None:
                post[w] = [i]
            else:
                lst.append(i)
        self._starts, self._ends = starts, ends
        self._postings = {w: array("l", lst) for w, lst in post.items()}

    def spans(self) -> tuple[array, array]:
        """Start and end offsets (folded) of the word tokens."""
        if self._starts is None:
            self._build()
        return self._starts, self._ends  # type: ignore[return-value]

    def postings(self) -> dict[str, array]:
        """Word -> token numbers where it occurs."""
        if self._postings is None:
            self._build()
        return self._postings  # type: ignore[return-value]

    def words(self, lo: int, hi: int) -> list[str]:
        starts, ends = self.spans()
        t = self.folded.text
        return [t[starts[i] : ends[i]] for i in range(lo, hi)]


@lru_cache(maxsize=64)
def _index_for_text(text: str) -> SourceIndex:
    return SourceIndex(text, fold(text))


def index_text(text: str) -> SourceIndex:
    """The (cached) index of one text; the cache is keyed on the string, whose hash Python caches."""
    return _index_for_text(text)


def index_source(source: Source) -> tuple[SourceIndex, SourceIndex | None]:
    """Indexes of a source's readable text and (when it differs) its page text."""
    main = index_text(source.text)
    page = index_text(source.page_text) if source.page_text and source.page_text != source.text else None
    return main, page


# ---------------------------------------------------------------------------------------------- quote


@dataclass(frozen=True)
class Piece:
    text: str  # folded, stripped
    glued_left: bool  # touches a [bracket] with no space: no word-boundary check on that side
    glued_right: bool


@dataclass(frozen=True)
class ParsedQuote:
    pieces: tuple[Piece, ...]
    gaps: tuple[str, ...]  # between pieces[i] and pieces[i+1]: "ellipsis" or "bracket"
    words: tuple[str, ...]  # folded words outside brackets, for fuzzy matching
    gap_before: frozenset[int]  # word indices preceded by an omission or an insertion
    ellipsis_before: frozenset[int]  # word indices preceded by an omission
    has_ellipsis: bool


@lru_cache(maxsize=4096)
def parse_quote(quote: str) -> ParsedQuote:
    """Split a quote at ellipses and [brackets]."""
    marks = sorted(
        [(m.start(), m.end(), "ellipsis") for m in _ELLIPSIS_RE.finditer(quote)]
        + [(m.start(), m.end(), "bracket") for m in _BRACKET_RE.finditer(quote)]
    )
    segments: list[tuple[str, str]] = []  # ("text", s) | ("ellipsis"|"bracket", "")
    pos = 0
    for s, e, kind in marks:
        if s < pos:  # overlapping ("[...]" matched by both)
            continue
        segments.append(("text", quote[pos:s]))
        segments.append((kind, ""))
        pos = e
    segments.append(("text", quote[pos:]))

    pieces: list[Piece] = []
    gaps: list[str] = []
    words: list[str] = []
    gap_before: set[int] = set()
    ellipsis_before: set[int] = set()
    pending_gap: str | None = None
    for i, (kind, raw) in enumerate(segments):
        if kind != "text":
            pending_gap = "ellipsis" if kind == "ellipsis" or pending_gap == "ellipsis" else "bracket"
            continue
        folded = fold(raw).text
        prev_kind = segments[i - 1][0] if i > 0 else None
        next_kind = segments[i + 1][0] if i + 1 < len(segments) else None
        glued_left = prev_kind == "bracket" and not folded[:1].isspace()
        glued_right = next_kind == "bracket" and not folded[-1:].isspace()
        # sentence punctuation at a piece's edge is the article's ("taxes," she said), not the source's
        stripped = folded.strip()
        if not glued_left:
            stripped = stripped.lstrip(_EDGE_PUNCT)
        if not glued_right:
            stripped = stripped.rstrip(_EDGE_PUNCT)
        if not stripped or not any(c.isalnum() for c in stripped):
            continue
        piece = Piece(stripped, glued_left, glued_right)
        if pieces:
            gaps.append(pending_gap or "bracket")
            gap_before.add(len(words))
            if pending_gap == "ellipsis":
                ellipsis_before.add(len(words))
        pending_gap = None
        pieces.append(piece)
        words.extend(WORD_RE.findall(stripped))
    return ParsedQuote(
        tuple(pieces),
        tuple(gaps),
        tuple(words),
        frozenset(gap_before),
        frozenset(ellipsis_before),
        "ellipsis" in gaps,
    )


# ---------------------------------------------------------------------------------------------- exact


def _bounded(hay: str, pos: int, end: int, check_left: bool, check_right: bool) -> bool:
    if check_left and pos > 0 and hay[pos].isalnum() and hay[pos - 1].isalnum():
        return False
    return not (check_right and end < len(hay) and hay[end - 1].isalnum() and hay[end].isalnum())


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


# ---------------------------------------------------------------------------------------------- fuzzy


@dataclass(frozen=True)
class _Fuzzy:
    start: int  # folded offsets
    end: int
    similarity: float


def _encode(seq: Sequence[str], table: dict[str, str]) -> str:
    out = []
    for w in seq:
        ch = table.get(w)
        if ch is None:
            n = len(table) + 0x100
            ch = chr(n + 0x800 if n >= 0xD800 else n)
            table[w] = ch
        out.append(ch)
    return "".join(out)


def _align(index: SourceIndex, parsed: ParsedQuote, lo: int, hi: int) -> _Fuzzy | None:
    """Align the quote's words with source tokens [lo, hi) and score the best-matching run."""
    starts, ends = index.spans()
    q = parsed.words
    window = index.words(lo, hi)
    table: dict[str, str] = {}
    a = _encode(q, table)
    b = _encode(window, table)
    diffs = _DMP.diff_main(a, b, False)
    pairs: list[tuple[int, int]] = []  # (quote word, window token)
    j = i = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 0:
            pairs.extend((j + k, i + k) for k in range(n))
            j += n
            i += n
        elif op == -1:
            j += n
        else:
            i += n
    if not pairs:
        return None

    def excused(pq: int, qj: int, extra: int) -> int:
        """Source tokens between two matches that an omission (all) or an [insertion] (up to 6)
        in the quote between them accounts for."""
        if not parsed.gap_before or extra <= 0:
            return 0
        crossed = range(pq + 1, qj + 1)
        if any(g in parsed.ellipsis_before for g in crossed):
            return extra
        if any(g in parsed.gap_before for g in crossed):
            return min(extra, BRACKET_GAP_WORDS)
        return 0

    # best contiguous run of pairs: +1 per matched word, -0.5 per unmatched source token between matches
    best = (-1.0, 0, 0)
    cur, cur_start = 0.0, 0
    for k, (qj, wi) in enumerate(pairs):
        if k == 0:
            cur, cur_start = 1.0, 0
        else:
            pq, pw = pairs[k - 1]
            gap = wi - pw - 1
            gap -= excused(pq, qj, gap)
            val = 1.0 - 0.5 * gap
            if cur + val < 1.0:
                cur, cur_start = 1.0, k
            else:
                cur += val
        if cur > best[0]:
            best = (cur, cur_start, k)
    _, k0, k1 = best
    q0, w0 = pairs[k0]
    q1, w1 = pairs[k1]
    matched = k1 - k0 + 1
    # stretch over quote words left unmatched at the edges (a substituted first/last word)
    w0 = max(0, w0 - min(q0, 3))
    w1 = min(len(window) - 1, w1 + min(len(q) - 1 - q1, 3))
    passage_words = w1 - w0 + 1
    # source tokens an omission or insertion accounts for do not count against the quote
    skipped = 0
    for k in range(k0 + 1, k1 + 1):
        pq, pw = pairs[k - 1]
        qj, wi = pairs[k]
        skipped += excused(pq, qj, (wi - pw - 1) - (qj - pq - 1))
    sim = 2.0 * matched / (len(q) + passage_words - skipped)
    return _Fuzzy(starts[lo + w0], ends[lo + w1], min(1.0, sim))


def find_fuzzy(index: SourceIndex, parsed: ParsedQuote, candidates: int = 12) -> list[_Fuzzy]:
    """Seed-and-extend: rare words vote for a diagonal; the best windows are aligned. Best first."""
    q = parsed.words
    if len(q) <= SHORT_QUOTE_WORDS:
        return []
    post = index.postings()
    n_tokens = len(index.spans()[0])
    if n_tokens == 0:
        return []
    df_cap = max(32, n_tokens // 1000)
    seeds = sorted((len(post[w]), j, w) for j, w in enumerate(q) if w in post)
    votes: Counter[int] = Counter()
    budget = VOTE_BUDGET
    for used, (df, j, w) in enumerate(seeds):
        if (df > df_cap and used >= 3) or budget <= 0:
            break
        # diagonal bucket (source token - quote word) // 8, counted in C
        votes.update(map(rshift, map(sub, post[w], repeat(j)), repeat(3)))
        budget -= df
    if not votes:
        return []
    # neighbouring buckets together: an insertion or deletion moves the diagonal a little
    top_buckets = heapq.nlargest(8 * candidates, votes.items(), key=itemgetter(1))
    scored = sorted(
        ((n + max(votes.get(b - 1, 0), votes.get(b + 1, 0)), b) for b, n in top_buckets), reverse=True
    )
    chosen: list[int] = []
    top = scored[0][0]
    for score, b in scored:
        if score < 0.5 * top:  # windows voted for this weakly cannot beat the best one
            break
        if all(abs(b - c) > 2 + len(q) // 8 for c in chosen):
            chosen.append(b)
            if len(chosen) == candidates:
                break
    pad = 8 + len(q) // 3
    results = []
    for b in chosen:
        diag = b << 3
        lo = max(0, diag - pad)
        hi = min(n_tokens, diag + len(q) + 8 + pad + (ELLIPSIS_MAX_GAP // 6 if parsed.has_ellipsis else 0))
        r = _align(index, parsed, lo, hi)
        if r is not None:
            results.append(r)
    results.sort(key=lambda r: (-r.similarity, r.start))
    # neighbouring windows can converge on the same passage: keep the best of overlapping ones
    distinct: list[_Fuzzy] = []
    for r in results:
        if all(r.end <= d.start or d.end <= r.start for d in distinct):
            distinct.append(r)
    return distinct


# ---------------------------------------------------------------------------------------------- result


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
    diff = word_diff(passage, quote.strip().strip(_EDGE_PUNCT))
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
    )


def _exact_result(quote: str, index: SourceIndex, parsed: ParsedQuote) -> QuoteMatch | None:
    hits = find_exact(index, parsed)
    if not hits:
        return None
    hit = hits[0]
    omitted = []
    for (_, e), (s, _), kind in zip(hit.spans[:-1], hit.spans[1:], parsed.gaps, strict=True):
        if kind == "ellipsis":
            a, b = index.folded.span_to_original(e, s)
            omitted.append(index.text[a:b])
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
    main, page = index_source(source)
    for search in (_exact_result, _fuzzy_result):  # an exact hit anywhere beats a fuzzy one in the main text
        for index, in_main_text in ((main, True), (page, False)):
            if index is not None and (found := search(quote_text, index, parsed)) is not None:
                return replace(found, in_main_text=in_main_text)
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
