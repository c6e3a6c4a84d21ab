"""Who says a passage, and with which verb: "Reyes insisted that “…”", "“…,” she said", "said the minister".

Works on any text with quote spans known (the article's quotes; the quotations found in a source), so the
article side and the source side read attributions the same way. The verb comes from
`data/attribution_verbs.tsv`; the speaker is the phrase the verb governs: the subject before it ("the
operations director, Petra Lind, said"), or the phrase after it when the sentence inverts ("said Bell",
"according to the report"). Rules of thumb, not a parser: the window is the passage's own sentence, at most
`BEFORE_WORDS` words before the opening mark and `AFTER_WORDS` after the closing one, never across
another quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .lexicon import MARKS, SPACE, Hit, Token, gap, tokens
from .subjects import SUBJECT_WORDS, sentence_subject, speaker_after, speaker_before
from .verbs import SPEAKER_AFTER, Verb, string_verb, verb_of, verbs_in

BEFORE_WORDS = 20  # "He described the preferred design, a three-span concrete bridge with …, as “…”"
AFTER_WORDS = 8  # "“…” in April, the Millbrook Examiner reported"
AFTER_FIRST_WORDS = 4  # an inverted or trailing verb must come this soon after the closing mark

__all__ = ["MARKS", "SPEAKER_AFTER", "Attribution", "Verb", "find_attribution", "passage_marks"]


@dataclass(frozen=True)
class Attribution:
    """The verb that introduces a passage and the speaker phrase it governs (either may be missing)."""

    verb: Verb | None
    speaker: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1


def _outside(
    lo: int, hi: int, quoted: Sequence[tuple[int, int]], open_at: int, close_at: int
) -> tuple[int, int]:
    """Shrink [lo, hi) so that it holds no other quotation around the passage's marks."""
    for s, e in quoted:
        if lo < e <= open_at:
            lo = e + 1
        if s >= close_at and s < hi:
            hi = s - 1
    return lo, max(lo, hi)


def passage_marks(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The positions of the opening mark before `start` and just after the closing mark after `end`
    (or `start`/`end` when the passage has no marks, as a block quote)."""
    open_at = start
    while open_at > lo and (text[open_at - 1] in SPACE or text[open_at - 1] in MARKS):
        open_at -= 1
    close_at = end
    while close_at < hi and (text[close_at] in SPACE or text[close_at] in MARKS or text[close_at] in ",.!?…"):
        close_at += 1
    return open_at, close_at


def find_attribution(
    text: str, start: int, end: int, sentence: tuple[int, int], quoted: Sequence[tuple[int, int]] = ()
) -> Attribution | None:
    """The attribution of the passage `text[start:end]` inside `sentence` (character offsets).

    `quoted` lists the other quotations as (start, end) offsets; the windows never reach into them.
    Returns None when no attribution verb is near the passage.
    """
    s_lo, s_hi = sentence
    open_at, close_at = passage_marks(text, start, end, s_lo, s_hi)
    lo, hi = _outside(s_lo, s_hi, [q for q in quoted if q != (start, end)], open_at, close_at)
    closing = string_verb(text, close_at, hi)  # 「…」と述べた: the verb right after the closing bracket
    if closing is not None:
        return Attribution(closing)
    before = tokens(text, lo, open_at)[-BEFORE_WORDS:]
    after = tokens(text, close_at, hi)[: AFTER_WORDS + SUBJECT_WORDS + 4]  # room for the speaker phrase
    before_hits = verbs_in(text, before)
    after_all = [(i, h) for i, h in verbs_in(text, after) if i < AFTER_WORDS]
    after_hits = [(i, h) for i, h in after_all if i < AFTER_FIRST_WORDS]
    # "“…,” she said": a verb right after the quotation takes it when nothing precedes the quotation in
    # its sentence or no verb does; "X said Y was “…”, the Courier reported": the verb before wins
    opens_sentence = not text[lo:open_at].strip()
    if after_hits and not any(c in ",!?—–" for c in text[max(start, end - 2) : after_hits[0][1].start]):
        after_hits = []  # "the club's “impact study” claims …": the quotation is the verb's subject
    if after_hits and (opens_sentence or not before_hits):
        i, hit = after_hits[0]
        return _with_speaker(text, after, i, hit, inverted=i == 0)
    if before_hits:
        i, hit = before_hits[-1]
        return _with_speaker(text, before, i, hit, inverted=False, sentence_start=s_lo)
    # "“…” in April, the Examiner reported": no verb before, one later on
    if after_all and any(c in ",;" for c in text[end : after_all[0][1].start]):
        i, hit = after_all[0]
        return _with_speaker(text, after, i, hit, inverted=False)
    return None


def _with_speaker(
    text: str, toks: Sequence[Token], i: int, hit: Hit, *, inverted: bool, sentence_start: int | None = None
) -> Attribution:
    verb = verb_of(text, hit)
    if hit.entry.columns[1] == "quote" and hit.count == 1 and _as_saying(toks, i + 1):
        inverted = True  # "the paper quoted the chief chemist, Neil Abara, as saying"
    coordinated = i > 0 and toks[i - 1].low in ("and", "but", "und", "et", "и", "ja")  # "… and said"
    if (
        not inverted
        and (coordinated or _participle_after_comma(text, toks, i))
        and sentence_start is not None
    ):
        span = sentence_subject(text, sentence_start, toks[i].start)  # "The release goes further, claiming"
        if span is not None:
            return Attribution(verb, text[span[0] : span[1]], span[0], span[1])
    if inverted or hit.entry.columns[1] in SPEAKER_AFTER:
        span = speaker_after(text, toks, i + hit.count)
        if span is None and not inverted:
            span = speaker_before(text, toks, i)
    else:
        span = speaker_before(text, toks, i)
    if span is None:
        return Attribution(verb)
    return Attribution(verb, text[span[0] : span[1]], span[0], span[1])


def _participle_after_comma(text: str, toks: Sequence[Token], i: int) -> bool:
    return toks[i].low.endswith("ing") and i > 0 and "," in gap(text, toks[i - 1], toks[i])


def _as_saying(toks: Sequence[Token], i: int) -> bool:
    lows = [t.low for t in toks[i : i + SUBJECT_WORDS + 4]]
    return any(a == "as" and b in ("saying", "telling", "writing") for a, b in pairwise(lows))
