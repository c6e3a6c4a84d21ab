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
_LOOK_BACK = 600  # characters of prose searched for the person a pronoun stands for


class Speakers:
    """The people an article's quotations name, for resolving pronouns and checking links."""

    def __init__(self, text: str, named: list[Span]) -> None:
        self.text = text
        self.people: set[str] = set()
        for span in named:
            self.people.update(phrases.name_words(text[span.start : span.end]))

    def words(self, speaker: Span | None, before: int, floor: int) -> list[str] | None:
        """Words that name the speaker (lower-case; a CJK speaker whole), None when unknown. A pronoun
        is resolved to the last person named in the prose between `floor` and `before`."""
        if speaker is None:
            return None
        name = self.text[speaker.start : speaker.end]
        if _CJK.search(name):
            return None if name in _CJK_PRONOUNS or len(name) < 2 else [name]
        if name.split()[0].lower() in phrases.PRONOUNS:
            return self._resolve(max(floor, before - _LOOK_BACK), before)
        if phrases.is_named(name):
            return [w for w in phrases.name_words(name) if len(w) >= 3] or None
        # a role ("the agency", "el concejal de Hacienda, Luis Prieto"): its name when the phrase gives
        # one; a role alone may well be the link's own subject named again ("the agency said")
        for m in _PERSON.finditer(self.text, speaker.start + 1, min(len(self.text), speaker.end + 40)):
            words = [w for w in phrases.name_words(m.group()) if len(w) >= 3]
            inside = m.start() < speaker.end  # "pani Ewa": a name in the phrase; after it, an apposition
            if words and (inside or len(m.group().split()) >= 2 or any(w in self.people for w in words)):
                return words
        return None

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
