"""Context that turns against a quoted passage: the rest of its sentence ("…, unless we get another
winter like that one") or the next sentence of the same paragraph ("But the money is not there yet.").

Turn words come from `data/context_markers.tsv`, each marked contrast or condition and where it counts
(opening the next sentence, right after the passage, or both). A next sentence counts only inside the
passage's paragraph and speaker turn: a new paragraph, or a transcript line with another speaker label,
is someone else's context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon.words import Hit, tokens
from . import lexicon, passages

_CLAUSE = ",;:—–("
REST_WORDS = 8  # a sentence that goes on longer than this after the passage is not followed for a turn
_LEAD = " \t\n\u00a0,;:—–-)”’»\"'.…"  # what may stand between the passage and the rest of its sentence
_LABEL_LINE = re.compile(r"\n[ \t]*[^\W\d_][^\n:：]{0,40}[:：][ \t]")


@dataclass(frozen=True)
class Turn:
    text: str  # the words that turn, as printed (the rest of the sentence, or the next sentence)
    relation: str  # "contrast" | "condition"
    start: int
    end: int


def _opening(text: str, start: int, end: int, where: str) -> Hit | None:
    """A turn word at the very start of `text[start:end]` that counts at `where` ("next" or "rest")."""
    toks = tokens(text, start, min(end, start + 200))
    if toks and toks[0].start - start <= 2:
        hit = lexicon.turns().match_at(toks, 0)
        if hit is not None and hit.entry.columns[1] in (where, "both"):
            return hit
    for hit in lexicon.turns().find_strings(text, start, min(end, start + 12)):
        if hit.start == start and hit.entry.columns[1] in (where, "both"):
            return hit
        break
    return None


def turn_after(text: str, start: int, end: int) -> Turn | None:
    """The rest of the passage's sentence, or the next sentence, when it turns against the passage."""
    para = passages.paragraph_around(text, start, end)
    label = _LABEL_LINE.search(text, end, para[1])
    if label is not None:  # a transcript: the next speaker's line is not this speaker's context
        para = (para[0], label.start())
    spans = passages.sentences_in(text, para)
    i = passages.sentence_at(spans, max(start, end - 1))
    if i is None:
        return None
    sentence = spans[i]
    rest = end
    while rest < sentence.end and text[rest] in _LEAD:
        rest += 1
    if rest < sentence.end:
        hit = _opening(text, rest, sentence.end, "rest")
        if hit is None and not any(c in _CLAUSE for c in text[end:rest]):
            # the passage's clause goes on ("… only 25 minutes away by car, though …"): the clause
            # after its first break may turn; once the passage ended its clause, only the next word can
            brk = next((k for k in range(rest, sentence.end) if text[k] in _CLAUSE), None)
            if brk is not None:
                start_next = brk + 1
                while start_next < sentence.end and text[start_next] in _LEAD:
                    start_next += 1
                hit = _opening(text, start_next, sentence.end, "rest")
                rest = start_next
        if hit is not None:
            return _turn(text, hit, rest, sentence.end)
        if len(tokens(text, rest, sentence.end)) > REST_WORDS:
            return None  # the sentence goes on at length: its next sentence answers that, not the passage
    if i + 1 < len(spans):
        nxt = spans[i + 1]
        hit = _opening(text, nxt.start, nxt.end, "next")
        if hit is not None:
            return _turn(text, hit, nxt.start, nxt.end)
    return None


def _turn(text: str, hit: Hit, start: int, end: int) -> Turn:
    """The turn from its first word to the end of its sentence, or to the quotation's closing mark."""
    for k in range(start, end):
        closing = text[k] in "”»" or (text[k] == '"' and '"' not in text[start:k])
        if closing and not any(c in "“«" for c in text[start:k]):
            end = k
            break
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return Turn(passages.trimmed(text, start, end), hit.entry.columns[0], start, end)


def turn_within(text: str, sentence: tuple[int, int], claim: str) -> Turn | None:
    """In a source sentence a claim paraphrases: a clause that turns ("…, unless …") whose turn word the
    claim does not carry."""
    s_lo, s_hi = sentence
    toks = tokens(text, s_lo, s_hi)
    claim_words = {t.low for t in tokens(claim)}
    for k, tok in enumerate(toks):
        if k == 0 or k < len(toks) // 4:
            continue
        hit = lexicon.turns().match_at(toks, k)
        if hit is None or hit.entry.columns[1] not in ("rest", "both"):
            continue
        gap = text[toks[k - 1].end : tok.start]
        if "," not in gap and ";" not in gap and "—" not in gap and hit.entry.columns[0] != "condition":
            continue
        if tok.low in claim_words:
            return None
        return Turn(passages.trimmed(text, tok.start, s_hi), hit.entry.columns[0], tok.start, s_hi)
    return None


def turn_next(text: str, sentence: tuple[int, int]) -> Turn | None:
    """The sentence after `sentence`, in the same paragraph, when it opens with a turn word."""
    para = passages.paragraph_around(text, sentence[0], sentence[1])
    spans = passages.sentences_in(text, para)
    i = passages.sentence_at(spans, max(sentence[0], sentence[1] - 1))
    if i is None or i + 1 >= len(spans):
        return None
    nxt = spans[i + 1]
    hit = _opening(text, nxt.start, nxt.end, "next")
    return _turn(text, hit, nxt.start, nxt.end) if hit is not None else None
