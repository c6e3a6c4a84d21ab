"""Flags for changes that can flip a quote's meaning, so a reader can sort by what matters.

- "number": a number differs between source and article (digits or number words).
- "negation": a negation (not, never, no, n't, ...) was added or removed.
- "qualifier_cut": the quote stops where the source goes on with a qualifier ("but", "unless", "if",
  "except", "although", ...; in the same sentence or opening the next), so the author's condition is lost.
- "condition_cut": the quote starts right after a leading condition ("If the levy passes, [quote]").
- "ellipsis": an omission (… or [...]) removed a negation or a qualifier.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_WORD_RE = re.compile(r"\w+(?:['.,]\w+)*")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


NUMBER_WORDS = _wordset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion trillion dozen half twice thrice first second third percent "
    "per cent"
)
NEGATIONS = _wordset(
    "not no never none nothing nobody nowhere neither nor cannot without hardly barely scarcely"
)
QUALIFIERS = _wordset(
    "but unless if although though however except provided providing whereas while yet only until assuming"
)
# words that, opening a sentence, make what follows conditional on them
_LEADING_QUALIFIERS = _wordset("if unless although though while whereas provided assuming")


def words(text: str) -> list[str]:
    """Lower-cased words, apostrophes kept (fold_text drops them, and "don't" must stay a negation)."""
    return _WORD_RE.findall(text.lower().replace("’", "'").replace("‘", "'"))


def is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in NUMBER_WORDS


def is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _changed(diff: Sequence[tuple[int, str]], op: int) -> list[str]:
    return [w for o, text in diff if o == op for w in words(text)]


def _differs(removed: Iterable[str], added: Iterable[str]) -> bool:
    return Counter(removed) != Counter(added)


def change_flags(diff: Sequence[tuple[int, str]]) -> list[str]:
    """'number' / 'negation' when the changed words of an altered quote differ in those respects."""
    removed, added = _changed(diff, -1), _changed(diff, 1)
    flags = []
    if _differs([w for w in removed if is_number(w)], [w for w in added if is_number(w)]):
        flags.append("number")
    if _differs([w for w in removed if is_negation(w)], [w for w in added if is_negation(w)]):
        flags.append("negation")
    return flags


def omission_flags(omitted: Sequence[str]) -> list[str]:
    """'ellipsis' when text an elision left out held a negation or a qualifier."""
    ws = [w for text in omitted for w in words(text)]
    if any(is_negation(w) or w in QUALIFIERS for w in ws):
        return ["ellipsis"]
    return []


# a qualifier right after the quote's end, in the same sentence or opening the next one
CUT_QUALIFIERS = _wordset("but unless if except although though provided providing however")
_AFTER_RE = re.compile(r"[\s,;:.!?\"'()\[\]\-–—“”‘’«»]*(\w+)(?:\s+(\w+))?")


def qualifier_cut(text: str, end: int) -> bool:
    """Does the source go on, right after the quoted passage, with "but", "unless", "if", ...?"""
    m = _AFTER_RE.match(text, end, min(len(text), end + 200))
    if not m:
        return False
    first = m.group(1).lower()
    second = (m.group(2) or "").lower()
    return first in CUT_QUALIFIERS or (first == "only" and second in {"if", "when", "after"})


def condition_cut(text: str, start: int) -> bool:
    """Does the quote start right after a leading condition ("If X, [quoted part]")?"""
    before = text[max(0, start - 200) : start]
    if not re.search(r",\s*$", before):
        return False
    sentence = re.split(r"[.!?][\s\"'”’)]+", before)[-1]
    first = re.match(r"\W*(\w+)", sentence)
    return bool(first and first.group(1).lower() in _LEADING_QUALIFIERS)
