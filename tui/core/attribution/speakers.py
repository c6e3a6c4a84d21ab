"""Who speaks, and whether a link's prose is about them.

A quotation whose attribution phrase names its speaker ("said Tom Blake", "dijo el concejal de
Hacienda", "estime l’architecte") does not lean on a nearby link whose sentence never mentions that
speaker: the link is someone else's source. A pronoun ("she said", "hän sanoi") stands for the last
person the prose named before the quotation: a speaker named elsewhere in the article, or a name of
two or more capitalised words.
"""

from __future__ import annotations

import re

from ..models import Span
from . import cues, phrases

_PERSON = re.compile(cues.NAME)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CJK_PRONOUNS = frozenset(["他", "她", "他们", "她们", "彼", "彼女", "彼ら"])
_THING_PRONOUNS = frozenset({"it", "es"})  # never a person ("It reveals that …": the review)
_POSSESSIVE = (
    r"(?i:his|her|its|their|our|sein|seine|ihr|ihre|son|sa|ses|leur|su|sus|suo|sua|zijn|haar|hans|hennes|"
    r"его|её|их)"
)
_RELATIONAL = re.compile(rf"{_POSSESSIVE}\s")
_APPOSED = re.compile(
    rf"\b{_POSSESSIVE}\s[^,.;:!?\n]{{1,40}},\s*$"
)  # "Its managing director, " before a name
_APPOSED_CHARS = 60
_OPENERS = " \t\u00a0\"“”'‘’«»„‚"
_CLAUSE_END = re.compile(r"\n|[;!?]|(?<=[^\W\d_]{4})\.\s")  # not "Dr. ", "S. "
_LOOK_BACK = 600  # characters of prose searched for the person a pronoun stands for


class Speakers:
    """The people an article's quotations name, for resolving pronouns and checking links."""

    def __init__(self, text: str, named: list[Span]) -> None:
        self.text = text
        self.people: set[str] = set()
        for span in named:
            self.people.update(phrases.name_words(text[span.start : span.end]))
        self._names_seen: dict[str, bool] = {}

    def words(self, speaker: Span | None, before: int, floor: int) -> list[str] | None:
        """Words that name the speaker (lower-case; a CJK speaker whole), None when unknown. A pronoun
        is resolved to the last person named in the prose between `floor` and `before`."""
        if speaker is None:
            return None
        name = self.text[speaker.start : speaker.end]
        if _CJK.search(name):
            return None if name in _CJK_PRONOUNS or len(name) < 2 else [name]
        first = name.split()[0].lower()
        if first in _THING_PRONOUNS or self._relational(speaker):
            return None  # "It reveals", "Her deputy, Tomas Reyes": whose, the prose alone does not say
        if first in phrases.PRONOUNS:
            return self._resolve(max(floor, before - _LOOK_BACK), before)
        if phrases.is_named(name):
            if " " not in name.strip() and self._opens_sentence(speaker) and not self._known(name):
                return None  # "Critics have called": capitalised by its place, maybe not a name
            return [w for w in phrases.name_words(name) if len(w) >= 3] or None
        # a role ("the agency", "el concejal de Hacienda, Luis Prieto"): its name when the phrase gives
        # one; a role alone may well be the link's own subject named again ("the agency said")
        hi = min(len(self.text), speaker.end + 40)
        stop = _CLAUSE_END.search(self.text, speaker.end, hi)  # an apposition stays in its clause
        for m in _PERSON.finditer(self.text, speaker.start + 1, stop.start() if stop else hi):
            words = [w for w in phrases.name_words(m.group()) if len(w) >= 3]
            inside = m.start() < speaker.end  # "pani Ewa": a name in the phrase; after it, an apposition
            if words and (inside or len(m.group().split()) >= 2 or any(w in self.people for w in words)):
                return words
        return None

    def _relational(self, speaker: Span) -> bool:
        """A speaker named by their relation to someone just named: "Her deputy", "His colleague Anita
        Rao", "Its managing director, Leo Grant, said"."""
        if _RELATIONAL.match(self.text, speaker.start, speaker.end):
            return True
        lo = max(0, speaker.start - _APPOSED_CHARS)
        return bool(_APPOSED.search(self.text, lo, speaker.start))

    def _opens_sentence(self, speaker: Span) -> bool:
        before = self.text[max(0, speaker.start - 3) : speaker.start].rstrip(_OPENERS)
        return not before or before[-1] in ".!?\n"

    def _known(self, word: str) -> bool:
        """The capitalised word stands inside a sentence somewhere ("Olu Brandt", "said Brandt"), so its
        capital is a name's, not the sentence's."""
        if word not in self._names_seen:
            inside = re.compile(rf"[^\W\d_][,;]? {re.escape(word)}\b")
            self._names_seen[word] = inside.search(self.text) is not None
        return self._names_seen[word]

    def _resolve(self, lo: int, hi: int) -> list[str] | None:
        chunk = self.text[lo:hi]
        found: list[str] | None = None
        for m in _PERSON.finditer(chunk):
            words = phrases.name_words(m.group())
            if len(words) >= 2 or any(w in self.people for w in words):
                found = [w for w in words if w in self.people] or words
        return found

    def fits(self, words: list[str] | None, prose: str) -> bool:
        """The prose around a link mentions the speaker (any of its words, allowing inflection)."""
        if not words:
            return True
        if _CJK.search(words[0]):
            return words[0] in prose
        prose_words = phrases.name_words(prose)
        return any(phrases.words_match(w, p) for w in words for p in prose_words)
