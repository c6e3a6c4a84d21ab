"""Who says a passage, and with which verb: "Reyes insisted that “…”", "“…,” she said", "said the minister",
「…」と述べた, 李明说：“…”. The one finder: the article side credits its quotations with it (`Quote.cue`,
`Quote.speaker`), the framing cues read a source's quotations and reported speech with it.

Works on any text with quote spans known (the article's quotes; the quotations found in a source). The
verb comes from `data/reporting_verbs.tsv`; the speaker is the phrase the verb governs: the subject before
it ("the operations director, Petra Lind, said"), or the phrase after it when the sentence inverts ("said
Bell", "according to the report", "ajoute-t-il", "…“, so Müller"). In Japanese the verb follows the
closing bracket and the speaker is the sentence's topic (市の担当者は「…」と述べた); in Chinese the verb
comes before the opening mark and the speaker is the clause before it. Rules of thumb, not a parser: the
window is the passage's own sentence, at most `BEFORE_WORDS` words before the opening mark and
`AFTER_WORDS` after the closing one, never across another quotation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..models import Span
from .subjects import (
    APPOSITIVE_WORDS,
    SUBJECT_WORDS,
    ends_sentence,
    sentence_subject,
    speaker_after,
    speaker_before,
)
from .verbs import Verb, string_verb, string_verb_before, verb_of, verbs_in
from .words import MARKS, SPACE, Hit, Token, gap, speaker_words, tokens

BEFORE_WORDS = 20  # "He described the preferred design, a three-span concrete bridge with …, as “…”"
AFTER_WORDS = 8  # "“…” in April, the Millbrook Examiner reported"
AFTER_FIRST_WORDS = 4  # an inverted or trailing verb must come this soon after the closing mark
WINDOW_CHARS = 600  # BEFORE_WORDS words fit in this many characters of any prose: no need to read more
CJK_TOPIC_CHARS = 20  # the longest Japanese topic or Chinese clause read as a speaker
_JOINERS = frozenset({"and", "but", "und", "et", "и", "ja", "y", "e", "och", "en", "og", "oraz"})
_AFTER_SCOPES = frozenset({"any", "quotation", "tail"})
_TOPIC = re.compile(rf"(?:^|[、。])([^、。「」『』]{{1,{CJK_TOPIC_CHARS}}}?)[はが][^「」『』]{{0,40}}$")
_CLAUSE = re.compile(rf"([^，。：；、“”「」]{{1,{CJK_TOPIC_CHARS}}})$")
_OPENING = re.compile(r"\s*(?:[,.!?;]\s*)?(?:[—–-]\s*)?")  # before an attribution phrase: ", — "

__all__ = ["Attribution", "Verb", "find_attribution", "opening_phrase", "passage_marks"]


@dataclass(frozen=True)
class Attribution:
    """The verb that introduces a passage and the speaker phrase it governs (either may be missing)."""

    verb: Verb | None
    speaker: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1

    @property
    def speaker_span(self) -> Span | None:
        """The speaker phrase's offsets, None when there is none."""
        return Span(self.speaker_start, self.speaker_end) if self.speaker is not None else None

    @property
    def cue(self) -> Span | None:
        """The verb's offsets, None when there is none."""
        return Span(self.verb.start, self.verb.end) if self.verb is not None else None


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
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    quoted: Sequence[tuple[int, int]] = (),
    *,
    marks: tuple[int, int] | None = None,
) -> Attribution | None:
    """The attribution of the passage `text[start:end]` inside `sentence` (character offsets).

    `quoted` lists the quotations near it as (start, end) offsets; the windows never reach into the
    others. `marks` are the offsets of its opening mark and just past its closing mark when the caller
    knows them (else they are read around the passage). Returns None when no reporting verb is near the
    passage.
    """
    s_lo, s_hi = sentence
    open_at, close_at = marks if marks is not None else passage_marks(text, start, end, s_lo, s_hi)
    lo, hi = _outside(s_lo, s_hi, [q for q in quoted if q != (start, end)], open_at, close_at)
    closing = string_verb(text, close_at, hi)  # 「…」と述べた: the verb right after the closing bracket
    if closing is not None:
        return _with_span(text, closing, _topic(text, s_lo, open_at))
    opening = string_verb_before(text, lo, open_at)  # 李明说：“…”: the verb right before the opening mark
    if opening is not None:
        return _with_span(
            text, opening, _topic(text, s_lo, opening.start) or _clause(text, s_lo, opening.start)
        )
    before = tokens(text, max(lo, open_at - WINDOW_CHARS), open_at)[-BEFORE_WORDS:]
    after = tokens(text, close_at, hi, AFTER_WORDS + SUBJECT_WORDS + 4)  # room for the speaker phrase
    before_hits = verbs_in(text, before)
    after_all = [(i, h) for i, h in verbs_in(text, after, _AFTER_SCOPES) if i < AFTER_WORDS]
    after_hits = [(i, h) for i, h in after_all if i < AFTER_FIRST_WORDS]
    # "“…,” she said": a verb right after the quotation takes it when nothing precedes the quotation in
    # its sentence or no verb does; "X said Y was “…”, the Courier reported": the verb before wins
    opens_sentence = not text[lo:open_at].strip()
    if after_hits and not any(c in ",!?—–" for c in text[max(start, end - 2) : after_hits[0][1].start]):
        after_hits = []  # "the club's “impact study” claims …": the quotation is the verb's subject
    # a source phrase yields to the speaker's own verb beside it: "The ministry admitted, according to
    # the auditors, that “…”", "Laut Protokoll gab der Stadtrat zu, „…“" (the verb is the quotation's)
    own_before = [(i, h) for i, h in before_hits if not _is_source(h)]
    own_after = [(i, h) for i, h in after_hits if not _is_source(h)]
    if before_hits and _is_source(before_hits[-1][1]) and own_before:
        before_hits = own_before
    elif before_hits and not own_before and own_after:  # "According to X, “…”, the minister admitted"
        after_hits, opens_sentence = own_after, True
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


def _is_source(hit: Hit) -> bool:
    """A source phrase ("according to", "laut"): data/reporting_verbs.tsv's kind column."""
    return hit.entry.columns[5] == "source"


def opening_phrase(text: str, lo: int, hi: int) -> int | None:
    """Where an attribution phrase that opens `text[lo:hi]` ends ("…,” she said, “…", "…», — заявил он,
    — …", "…,” Petra Lind, the operations director, said"), None when the text does not open with one: a
    reporting verb and its speaker, one of them first, in one sentence, set off from the quotation by a
    comma, a dash or the quotation's own "!" or "?"."""
    m = _OPENING.match(text, lo, hi)
    toks = tokens(text, m.end() if m else lo, hi, AFTER_WORDS + APPOSITIVE_WORDS)
    if not toks or (m and toks[0].start != m.end()):
        return None
    if not any(c in ",!?—–" for c in text[max(0, lo - 3) : toks[0].start]):
        return None  # "the club's “impact study” claims …": the quotation is the verb's subject
    for i, hit in verbs_in(text, toks, _AFTER_SCOPES):
        if any(ends_sentence(text, toks[k], toks[k + 1]) for k in range(i)):
            return None  # "…” ever since. According to the briefing, …": narration, not an attribution
        if i == 0:  # "said Kim", "заявил он", "so Müller"
            span = speaker_after(text, toks, hit.count)
            return span[1] if span is not None else None
        span = speaker_before(text, toks, i)  # "she said", "Petra Lind, the director, said"
        if span is not None and span[0] == toks[0].start:
            return hit.end
        if i >= AFTER_FIRST_WORDS:
            return None
    return None


def _with_span(text: str, verb: Verb, span: tuple[int, int] | None) -> Attribution:
    if span is None:
        return Attribution(verb)
    return Attribution(verb, text[span[0] : span[1]], span[0], span[1])


def _topic(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The topic of a Japanese sentence ("市の担当者は「…」と述べた"): the words before は/が."""
    m = _TOPIC.search(text[start:end])  # sliced: "^" is the sentence's start
    return (start + m.start(1), start + m.end(1)) if m else None


def _clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The clause right before a Chinese reporting verb ("读者代表李明说"): its subject."""
    m = _CLAUSE.search(text, start, end)
    return (m.start(1), m.end(1)) if m else None


def _with_speaker(
    text: str, toks: Sequence[Token], i: int, hit: Hit, *, inverted: bool, sentence_start: int | None = None
) -> Attribution:
    verb = verb_of(text, hit)
    if hit.entry.columns[1] == "quote" and hit.count == 1 and _as_saying(toks, i + 1):
        inverted = True  # "the paper quoted the chief chemist, Neil Abara, as saying"
    k = i - 1  # "… and said", "… and had asked": the verb shares the sentence's subject
    while (
        k > 0 and toks[k].low in speaker_words()["skip"] and not gap(text, toks[k], toks[k + 1]).strip(SPACE)
    ):
        k -= 1
    coordinated = k >= 0 and toks[k].low in _JOINERS
    if (
        not inverted
        and (coordinated or _participle_after_comma(text, toks, i))
        and sentence_start is not None
    ):
        span = sentence_subject(text, sentence_start, toks[i].start)  # "The release goes further, claiming"
        if span is not None:
            return Attribution(verb, text[span[0] : span[1]], span[0], span[1])
    if inverted or verb.speaker_after:
        span = speaker_after(text, toks, i + hit.count)
        if span is None and not inverted:
            span = speaker_before(text, toks, i)
    else:
        span = speaker_before(text, toks, i)
    return _with_span(text, verb, span)


def _participle_after_comma(text: str, toks: Sequence[Token], i: int) -> bool:
    return toks[i].low.endswith("ing") and i > 0 and "," in gap(text, toks[i - 1], toks[i])


def _as_saying(toks: Sequence[Token], i: int) -> bool:
    lows = [t.low for t in toks[i : i + SUBJECT_WORDS + 4]]
    return any(a == "as" and b in ("saying", "telling", "writing") for a, b in pairwise(lows))
