"""Evidence for a claim without quotes: the source sentences that best bear on it (BM25).

A claim such as "Unemployment fell for the third year running" rarely quotes its source; the reader still
wants to see where the source talks about it. Sentences are ranked by Okapi BM25 over folded words with a
small stopword list; the index of a source's sentences is built once and cached.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .models import Evidence, Source
from .normalize import fold_text
from .sentences import sentence_spans as split_sentences

K1 = 1.5
B = 0.75
MIN_SENTENCE_WORDS = 4
MAX_SENTENCE_CHARS = 600

_WORD_RE = re.compile(r"\w+(?:['.,]\w+)*")


# a sentence ends at . ! ? (plus closing quotes/brackets) followed by space, or at a line break
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _wordset(
    """a about above after again against all am an and any are as at be because been before being below
    between both by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i in into is it its itself just me more most my myself
    of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves also said says"""
)


def terms(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(fold_text(text)) if w not in STOPWORDS and len(w) > 1]


@dataclass(frozen=True)
class _Sentences:
    spans: tuple[tuple[int, int], ...]
    tfs: tuple[Counter[str], ...]
    lengths: tuple[int, ...]
    postings: dict[str, list[int]]  # term -> sentences holding it
    avg_len: float


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The article's sentence splitter (abbreviations, decimals, quotes), with over-long runs cut at
    MAX_SENTENCE_CHARS so one unpunctuated page section cannot become a single huge "sentence"."""
    spans = []
    for span in split_sentences(text):
        s, e = span.start, span.end
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s, s + MAX_SENTENCE_CHARS)
            cut = cut if cut > s else s + MAX_SENTENCE_CHARS
            spans.append((s, cut))
            s = cut + 1
        if e > s:
            spans.append((s, e))
    return spans


@lru_cache(maxsize=32)
def _sentences(text: str) -> _Sentences:
    spans, tfs, lengths = [], [], []
    postings: dict[str, list[int]] = {}
    for s, e in sentence_spans(text):
        ts = terms(text[s:e])
        if len(_WORD_RE.findall(text[s:e])) < MIN_SENTENCE_WORDS or not ts:
            continue
        tf = Counter(ts)
        spans.append((s, e))
        tfs.append(tf)
        lengths.append(len(ts))
        for t in tf:
            postings.setdefault(t, []).append(len(spans) - 1)
    avg = sum(lengths) / len(lengths) if lengths else 1.0
    return _Sentences(tuple(spans), tuple(tfs), tuple(lengths), postings, avg)


def find_evidence(claim: str, source: Source, k: int = 3) -> tuple[Evidence, ...]:
    """The k source sentences with the highest BM25 score for the claim (offsets into `source.text`)."""
    index = _sentences(source.text)
    n = len(index.spans)
    q = set(terms(claim))
    if not n or not q:
        return ()
    scores: dict[int, float] = {}
    for t in q:
        holders = index.postings.get(t)
        if not holders:
            continue
        df = len(holders)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i in holders:
            f = index.tfs[i][t]
            norm = K1 * (1 - B + B * index.lengths[i] / index.avg_len)
            scores[i] = scores.get(i, 0.0) + idf * f * (K1 + 1) / (f + norm)
    scored = sorted(((sc, i) for i, sc in scores.items()), key=lambda t: (-t[0], t[1]))
    out = []
    for score, i in scored[:k]:
        s, e = index.spans[i]
        out.append(Evidence(source.text[s:e], s, e, round(score, 4)))
    return tuple(out)
