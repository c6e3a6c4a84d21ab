"""Word lists read from package data files, and the words of a text matched against them.

A list is a tab-separated file (`<package>/data/NAME.tsv`) whose header states its source and licence. A
form is matched word by word on `\\w+` tokens, case-folded; a hyphen or an apostrophe counts as a word break
on both sides ("so-called" is the two words "so", "called"; "d’après" is "d", "après"). A last word ending
in "*" matches any word beginning with it (inflected adjectives). Forms of the languages written without
spaces (STRING_LANGUAGES) are matched as strings. A form with "…" in it is a verb whose particle comes
later in its clause (German "gab … zu", Dutch "gaf … toe": "Laut X gab der Stadtrat zu"): the words after
"…" must follow within PARTICLE_WORDS words, with no punctuation between; the match covers the words
before "…" only (the finite verb).

Used by the reporting verbs and speaker words of this package and by the framing cues' own lists
(`tui/core/framing/data/`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import islice
from typing import NamedTuple

_WORD = re.compile(r"\w+")
PARTICLE_WORDS = 6  # how far a separable verb's particle may stand from it ("gab der Stadtrat gestern zu")
_PREFIX_KEY = 3  # prefix forms ("sogenannt*") are looked up by their first letters; all are longer
STRING_LANGUAGES = frozenset({"ja", "zh"})  # written without spaces: forms are matched as strings


class Token(NamedTuple):
    """A word of a text: `[start, end)` offsets into it, and the case-folded word (a tuple: cheap to make,
    and a long article makes hundreds of thousands)."""

    start: int
    end: int
    low: str


SPACE = " \t\n\r\f\v\u00a0\u202f\u2009"
MARKS = "“”„«»\"‘’'‹›「」『』‚"  # quotation marks of every convention the article side reads


def gap(text: str, a: Token, b: Token) -> str:
    """What stands between two words: spaces, punctuation."""
    return text[a.end : b.start]


def possessive_s(text: str, tok: Token) -> bool:
    """The "s" of "Reyes’s", "the firm's"."""
    return tok.low == "s" and tok.start > 0 and text[tok.start - 1] in "’'"


def tokens(text: str, start: int = 0, end: int | None = None, limit: int | None = None) -> list[Token]:
    """The words of `text[start:end]` with offsets into `text`; only the first `limit` when given."""
    end = len(text) if end is None else end
    new = tuple.__new__  # Token's own __new__ is a Python call per word; a long article has millions
    found = _WORD.finditer(text, start, end)
    return [new(Token, (m.start(), m.end(), m[0].casefold())) for m in islice(found, limit)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One form of a list: `words` to match (the last may be a prefix), and the columns of its line."""

    lang: str
    form: str
    words: tuple[str, ...]
    prefix: bool  # the last word matches any word beginning with it
    columns: tuple[str, ...]  # the line's other columns, in order, without the language and the forms
    particle: tuple[str, ...] = ()  # the words after "…": a separable verb's particle, later in its clause


class Hit(NamedTuple):
    """A match of an entry: token positions `[first, first + count)` or, for strings, character offsets.
    (A tuple: the finder makes one for every verb it meets.)"""

    entry: Entry
    start: int  # character offsets into the searched text
    end: int
    first: int = -1  # token index of the first word (-1 for a string match)
    count: int = 0


class Lexicon:
    """Forms of one data file, indexed by their first word."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._exact: dict[str, list[Entry]] = {}
        self._prefixed: dict[str, list[Entry]] = {}  # one-word prefix entries, by their first 3 letters
        self.strings: list[Entry] = []
        for entry in entries:
            if entry.lang in STRING_LANGUAGES:
                self.strings.append(entry)
            elif entry.prefix and len(entry.words) == 1:
                self._prefixed.setdefault(entry.words[0][:_PREFIX_KEY], []).append(entry)
            else:
                self._exact.setdefault(entry.words[0], []).append(entry)
        for group in self._exact.values():
            group.sort(key=lambda e: -len(e.words))  # longest first
        self.strings.sort(key=lambda e: -len(e.form))
        self._by_form: dict[str, Entry] = {}
        for entry in self.strings:
            self._by_form.setdefault(entry.form, entry)  # the first listed wins
        # one pass over the text for every string form: at each position the longest form that matches
        alternation = "|".join(re.escape(form) for form in self._by_form)
        self._string_re = re.compile(alternation) if alternation else None
        firsts = sorted(
            {e.words[0] for e in entries if e.lang not in STRING_LANGUAGES}, key=len, reverse=True
        )
        # matched against the case-folded text: a case-insensitive alternation is several times slower
        self._quick = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in firsts) + ")")

    def find_in(self, text: str, start: int, end: int) -> list[Hit]:
        """`find` over the words of `text[start:end]`; a text holding no first word is not tokenised."""
        if not self._quick.search(text[start:end].casefold()):
            return []
        return list(self.find(tokens(text, start, end)))

    def match_at(self, toks: Sequence[Token], i: int) -> Hit | None:
        """The longest entry whose words start at token `i`."""
        word = toks[i].low
        for entry in self._exact.get(word, ()):
            n = len(entry.words)
            if i + n > len(toks):
                continue
            if all(_word_matches(entry, k, toks[i + k].low) for k in range(1, n)) and (
                not entry.particle or _particle_follows(entry.particle, toks, i + n)
            ):
                return Hit(entry, toks[i].start, toks[i + n - 1].end, i, n)
        for entry in self._prefixed.get(word[:_PREFIX_KEY], ()):
            if word.startswith(entry.words[0]):
                return Hit(entry, toks[i].start, toks[i].end, i, 1)
        return None

    def find(self, toks: Sequence[Token]) -> Iterator[Hit]:
        """Every non-overlapping match, left to right (longest at each position)."""
        exact, prefixed = self._exact, self._prefixed
        i, n = 0, len(toks)
        while i < n:
            word = toks[i][2]
            if word in exact or (prefixed and word[:_PREFIX_KEY] in prefixed):  # most words start nothing
                hit = self.match_at(toks, i)
                if hit is not None:
                    yield hit
                    i += hit.count
                    continue
            i += 1

    def find_strings(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Matches of the string forms (Japanese, Chinese) in `text[start:end]`, left to right, not
        overlapping (the longest form wins where two start at one place)."""
        if self._string_re is None:
            return
        end = len(text) if end is None else end
        for m in self._string_re.finditer(text, start, end):
            yield Hit(self._by_form[m.group()], m.start(), m.end())

    def string_at(self, text: str, pos: int, end: int) -> Hit | None:
        """The longest string form starting right at `pos` (and ending by `end`), or None."""
        m = self._string_re.match(text, pos, end) if self._string_re is not None else None
        return Hit(self._by_form[m.group()], m.start(), m.end()) if m else None


def _particle_follows(particle: tuple[str, ...], toks: Sequence[Token], i: int) -> bool:
    """The particle's words follow token `i` within PARTICLE_WORDS words of one clause: every gap up to
    them is one character (a space; a comma, a full stop or a quotation mark with its space is two, and
    ends the clause)."""
    n = len(particle)
    for k in range(i, min(len(toks) - n + 1, i + PARTICLE_WORDS + 1)):
        if toks[k].start - toks[k - 1].end > 1:
            return False
        if all(toks[k + j].low == particle[j] for j in range(n)):
            return True
    return False


def _word_matches(entry: Entry, k: int, word: str) -> bool:
    want = entry.words[k]
    if entry.prefix and k == len(entry.words) - 1:
        return word.startswith(want)
    return word == want


def rows(package: str, name: str) -> Iterator[list[str]]:
    """The data lines of `<package>/data/<name>` split on tabs (comment and blank lines skipped)."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def entries(package: str, name: str, form_column: int) -> list[Entry]:
    """Entries of a file whose first column is the language and `form_column` holds the forms."""
    out = []
    for row in rows(package, name):
        lang, forms = row[0], row[form_column]
        others = tuple(c for k, c in enumerate(row[1:], 1) if k != form_column)
        for form in forms.split("|"):
            form = form.strip()
            if not form:
                continue
            prefix = form.endswith("*")
            bare = form.rstrip("*")
            bare, _, after = (p.strip() for p in bare.partition("…"))
            words = (
                tuple(w.casefold() for w in _WORD.findall(bare)) if lang not in STRING_LANGUAGES else (bare,)
            )
            particle = tuple(w.casefold() for w in _WORD.findall(after))
            out.append(Entry(lang, bare, words, prefix, others, particle))
    return out


@cache
def speaker_words() -> dict[str, frozenset[str]]:
    """Kind (interviewer, answerer, pronoun, document, organisation, title, skip, determiner,
    not_a_label, ...: `data/speakers.tsv`) -> the words of that kind, lower case."""
    kinds: dict[str, set[str]] = {}
    for kind, forms in rows(__package__, "speakers.tsv"):
        kinds.setdefault(kind, set()).update(f.strip() for f in forms.split("|") if f.strip())
    return {k: frozenset(v) for k, v in kinds.items()}
