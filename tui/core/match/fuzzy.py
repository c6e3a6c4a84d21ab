"""Fuzzy search, seed-and-extend: rare quote words vote for a diagonal through the word index; the best
windows are aligned with diff-match-patch on word tokens and scored by Dice similarity over words."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, rshift, sub

from diff_match_patch import diff_match_patch

from .exact import ELLIPSIS_MAX_GAP
from .index import SourceIndex
from .parse import SHORT_QUOTE_WORDS, ParsedQuote

# Chosen by measurement on tests/test_match_accuracy.py (corpus quotes, 3 seeds, ~520 of each kind):
# altered quotes (1-3 words substituted/inserted/dropped in 8-40 word quotes) score 0.50-1.0, 1st
# percentile 0.53-0.67; fabricated quotes score 0-0.50, 99th percentile 0.36-0.42. At 0.6: 98.8-100% of
# altered found, 0% of fabricated.
SIMILARITY_THRESHOLD = 0.6

BRACKET_GAP_WORDS = 6  # source words an [insertion] may stand for, in fuzzy alignment

VOTE_BUDGET = 20_000  # seed occurrences looked at per quote (rarest words first)

_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0.2


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
