"""The attribution phrase of a quotation: who speaks ("said Ada Lindqvist", "she said", "市の担当者は"),
with which verb, and which source the prose names ("the Ledger reported", "according to the Ledger").

Everything here reads the prose *outside* the quotation's pieces, within the sentences that hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..lexicon import Attribution, find_attribution
from ..models import Span
from . import cues

_COLON_WINDOW = 160  # characters before an opening mark read for a "Name:" introduction
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
    text: str,
    pieces: Sequence[tuple[int, int, int, int]],
    sentences: Sequence[Span],
    quoted: Callable[[int, int, int, int], list[tuple[int, int]]],
) -> tuple[Span | None, Span | None]:
    """(speaker, verb) spans of a quotation: `pieces` are its pieces as (start, end, opening mark, just
    past the closing mark), `sentences` the sentence of each, `quoted(lo, hi, open_at, close_at)` the
    quoted pieces of the article within [lo, hi) next to the piece whose marks are at `open_at`/`close_at`
    (the nearest before and after it: all the finder reads of them). The first piece whose attribution
    the lexicon's finder reads gives both ("…,” she said, “…"); else a speaker introduced by a colon with
    no verb ("Mayor Ines Calloway, in a statement: “…”") gives the speaker alone."""
    found: Attribution | None = None
    for (start, end, open_at, close_at), sentence in zip(pieces, sentences, strict=True):
        lo, hi = sentence.start, sentence.end
        found = find_attribution(
            text, start, end, (lo, hi), quoted(lo, hi, open_at, close_at), marks=(open_at, close_at)
        )
        if found is not None:
            break
    if found is not None and found.speaker is not None:
        return found.speaker_span, found.cue
    first_open = pieces[0][2]
    lo = max(sentences[0].start, first_open - _COLON_WINDOW)
    m = cues.BEFORE_COLON.search(text[lo:first_open])
    speaker = Span(lo + m.start("speaker"), lo + m.end("speaker")) if m else None
    return speaker, found.cue if found is not None else None


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
