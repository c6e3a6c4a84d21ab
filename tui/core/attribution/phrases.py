"""The attribution phrase of a quotation: who speaks ("said Ada Lindqvist", "she said", "市の担当者は"),
with which verb, and which source the prose names ("the Ledger reported", "according to the Ledger").

Everything here reads the prose *outside* the quotation's pieces, within the sentences that hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..models import Span
from . import cues

_WINDOW = 160  # characters of prose looked at on each side of a quotation
_STOP = frozenset(
    (
        "the", "a", "an", "der", "die", "das", "le", "la", "les", "el", "il", "lo", "los", "las", "o", "this",
        "that", "these", "those", "our", "his", "her", "their", "its", "mr", "mrs", "ms", "dr", "prof", "sir",
        "one", "two", "three", "some", "many", "most", "another", "several", "each", "every", "all", "both",
        "none", "no",
    )
)  # fmt: skip
PRONOUNS = frozenset(cues.PRONOUN.lower().split("|"))
_WORD = re.compile(r"[^\W_]+")


def speaker_and_cue(
    text: str, marks: Sequence[tuple[int, int]], sentence: Span, between: Sequence[tuple[int, int]] = ()
) -> tuple[Span | None, Span | None]:
    """(speaker, verb) spans for a quotation whose pieces sit between the marks `marks` (each the
    offsets of the opening mark and just past the closing mark) in `sentence`; `between` are the
    stretches of narration between its pieces ("…,” she said, “…"), looked at first."""
    first_open = marks[0][0]
    last_close = marks[-1][1]
    windows = [*between, (last_close, min(sentence.end, last_close + _WINDOW))]
    for s, e in windows:
        chunk = text[s:e]
        for pattern in (cues.AFTER_VERB_FIRST, cues.AFTER_SPEAKER_FIRST):
            m = pattern.match(chunk)
            if m:
                return Span(s + m.start("speaker"), s + m.end("speaker")), Span(
                    s + m.start("verb"), s + m.end("verb")
                )
        m = cues.CJK_VERB_AFTER.match(chunk)
        if m:
            speaker = _cjk_speaker(text, sentence.start, first_open)
            return speaker, Span(s + m.start(), s + m.end())
    lo = max(sentence.start, first_open - _WINDOW)
    chunk = text[lo:first_open]
    m = cues.BEFORE.search(chunk)
    if m:
        return Span(lo + m.start("speaker"), lo + m.end("speaker")), Span(
            lo + m.start("verb"), lo + m.end("verb")
        )
    m = cues.CJK_VERB_BEFORE.search(chunk)
    if m:
        verb_at = lo + m.start()
        speaker = _cjk_speaker(text, sentence.start, verb_at) or _clause_before(text, sentence.start, verb_at)
        return speaker, Span(verb_at, lo + m.end())
    m = cues.BEFORE_COLON.search(chunk)
    if m:
        return Span(lo + m.start("speaker"), lo + m.end("speaker")), None
    return None, None


def _cjk_speaker(text: str, start: int, end: int) -> Span | None:
    """The topic of a Japanese sentence ("市の担当者は「…」と述べた"): the words before は/が."""
    m = re.search(r"(?:^|[、。])([^、。「」『』]{1,20}?)[はが][^「」『』]{0,40}$", text[start:end])
    if m is None:
        return None
    return Span(start + m.start(1), start + m.end(1))


def _clause_before(text: str, start: int, end: int) -> Span | None:
    """The clause right before a Chinese reporting verb ("读者代表李明说"): its subject."""
    m = re.search(r"([^，。：；、“”「」]{1,20})$", text[start:end])
    return Span(start + m.start(1), start + m.end(1)) if m else None


def name_words(name: str) -> list[str]:
    """The significant words of a name, lower-case ("the Larkmoor Ledger" -> ["larkmoor", "ledger"])."""
    return [
        w
        for w in (x.lower() for x in _WORD.findall(name))
        if w not in _STOP and w not in PRONOUNS and len(w) > 1
    ]


def is_named(speaker: str) -> bool:
    """A speaker given by name (not a pronoun, not "the mayor")."""
    words = speaker.split()
    if not words or words[0].lower() in PRONOUNS or words[0].lower() in _STOP:
        return False
    return words[0][:1].isupper()


def words_match(a: str, b: str) -> bool:
    """Two words naming the same thing, allowing inflection: one is a prefix of the other, or they
    share a long prefix (Ledgerin ~ Ledger, Sanomien ~ Sanomat)."""
    if a == b:
        return True
    short = min(len(a), len(b))
    if short < 4 or abs(len(a) - len(b)) > 3:  # an ending, not a compound ("kirjasto" ≠ "kirjastonjohtaja")
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common == short or common >= max(5, int(0.8 * short))


def named_sources(
    text: str, start: int, end: int, patterns: Sequence[re.Pattern[str]] = cues.NAMED_SOURCE
) -> list[tuple[list[str], Span]]:
    """Sources the prose names in `text[start:end]` ("according to the Ledger"): (name words, span)."""
    chunk = text[start:end]
    out = []
    for pattern in patterns:
        for m in pattern.finditer(chunk):
            words = name_words(m.group("source"))
            if words:
                out.append((words, Span(start + m.start("source"), start + m.end("source"))))
    return out


def said_to_writer(text: str, start: int, end: int, quoted: Callable[[int], bool]) -> Span | None:
    """Where the prose (not the quoted words: `quoted(offset)` tells) says the words were said to the
    writer ("she told this newspaper")."""
    for m in cues.SAID_TO_WRITER.finditer(text, start, end):
        if not quoted(m.start()):
            return Span(m.start(), m.end())
    return None
