"""Attribution verbs in a run of words: "said", "confided", "according to", 「…」と述べた.

The forms come from `data/attribution_verbs.tsv`. Rules of thumb keep nouns and names out: "the report",
"a blog post", "the report’s warning" (a determiner or a possessive before a form that can be a noun, with
agreement telling "its figures show" from "a bombshell report"), "the Fernley Post" (capitalised inside a
sentence), "so-called" (the tail of a hyphenated word), "to respond" (an infinitive), "were told of the
closure" (a passive going on with its own words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import lexicon
from .lexicon import MARKS, SPACE, Hit, Token, gap, possessive_s

STRING_VERB_CHARS = 12  # how far a Japanese verb string may run after the closing bracket
# verbs whose speaker follows them: "according to X", "said X" after a quotation
SPEAKER_AFTER = frozenset({"according to", "in the words of", "laut", "selon", "по словам", "по данным"})


@dataclass(frozen=True)
class Verb:
    """An attribution verb as printed: offsets into the text, tone and lemma from the data file."""

    text: str
    start: int
    end: int
    tone: str  # "neutral" | "loaded"
    lemma: str


def _is_noun_use(text: str, toks: Sequence[Token], i: int, hit: Hit) -> bool:
    """A noun, not a verb: "the report", "her claims", "a bombshell report", "Tuesday’s earnings call".
    Only a form that can be a noun (the lemma itself or its -s form, never "said" or "reported"), with a
    determiner or a possessive one or two words before it, and no "that", colon or quotation after it."""
    if _gerund_noun(text, toks, i):
        return True  # "the report’s warning", "her finding"
    if (
        hit.count > 1
        or hit.entry.columns[2] != "noun"
        or not _ambiguous_form(toks[i].low, hit.entry.columns[1])
    ):
        return False
    if i + 1 < len(toks) and toks[i + 1].low in _OBJECTS:
        return False  # "calls it", "claims the plan": a verb with its object
    words = lexicon.speaker_words()
    for k in (i - 1, i - 2):
        if k < 0 or gap(text, toks[k], toks[k + 1]).strip(SPACE) not in ("", "’", "'"):
            return False
        prev = toks[k]
        if prev.low in words["determiner"] or possessive_s(text, prev):
            # "a blog post", "Tuesday’s earnings call": a noun after its modifier; but a verb agrees with
            # the noun before it: "its figures show", "the council reports"
            return k == i - 1 or _plural(toks[i - 1].low) == (toks[i].low != hit.entry.columns[1])
        if prev.low in words["pronoun"] or text[prev.start].isupper():
            return False  # "Reyes reports", "she claims"
    return False


_PLURAL_FORM_SINGULARS = frozenset(
    {"news", "earnings", "sales", "savings", "goods", "series", "arms", "sports"}
)


def _plural(word: str) -> bool:
    """A plural noun by its form: -s, not -ss ("press"), not a noun that is plural only in form."""
    return word.endswith("s") and not word.endswith("ss") and word not in _PLURAL_FORM_SINGULARS


_OBJECTS = frozenset({"it", "him", "her", "them", "this", "these", "those", "the", "a", "an"})


def _gerund_noun(text: str, toks: Sequence[Token], i: int) -> bool:
    if not toks[i].low.endswith("ing") or i == 0 or gap(text, toks[i - 1], toks[i]).strip(SPACE):
        return False
    prev = toks[i - 1]
    return prev.low in lexicon.speaker_words()["determiner"] or possessive_s(text, prev)


def _ambiguous_form(form: str, lemma: str) -> bool:
    return form == lemma or form in (lemma + "s", lemma + "es", lemma[:-1] + "ies")


def _opens_sentence_as_plural(text: str, tok: Token) -> bool:
    """ "Reports in the trade press suggest …": a capitalised -s form opening a sentence is a plural noun
    (a verb in the third person needs a subject before it)."""
    if not (tok.low.endswith("s") and text[tok.start].isupper()):
        return False
    before = text[max(0, tok.start - 3) : tok.start].strip(SPACE + MARKS)
    return not before or before[-1] in ".!?\n"


def verbs_in(text: str, toks: Sequence[Token]) -> list[tuple[int, Hit]]:
    """Attribution verbs among `toks` as (token index, hit); noun uses ("the report") left out."""
    out = []
    for hit in lexicon.attribution_verbs().find(toks):
        if _is_noun_use(text, toks, hit.first, hit) or _in_compound(text, toks[hit.first].start):
            continue
        if _opens_sentence_as_plural(text, toks[hit.first]) or _proper_noun(text, toks[hit.first]):
            continue
        if hit.first > 0 and toks[hit.first - 1].low == "to" and hit.entry.lang == "en":
            continue  # "to respond to the consultation", "declined to comment": no one is quoted
        if _passive_with_object(text, toks, hit):
            continue
        out.append((hit.first, hit))
    return out


def _proper_noun(text: str, tok: Token) -> bool:
    """A name, not a verb: "the Fernley Post". A capitalised form inside a sentence (German nouns are
    capitalised too; its verbs, like those of the other languages, are not)."""
    if not text[tok.start].isupper():
        return False
    before = text[max(0, tok.start - 3) : tok.start].strip(SPACE + MARKS)
    return bool(before) and before[-1] not in ".!?\n:"


def _in_compound(text: str, start: int) -> bool:
    """ "so-called", "self-described": the verb is the tail of a hyphenated word."""
    return start >= 2 and text[start - 1] in "-‐" and text[start - 2].isalnum()


_PASSIVE = frozenset({"was", "were", "is", "are", "be", "been", "being", "wurde", "wurden", "été"})


def _passive_with_object(text: str, toks: Sequence[Token], hit: Hit) -> bool:
    """ "drivers were told of the closure": a passive verb that goes on with its own words reports
    something said to someone, not the quotation ("we are told, “…”", "were told that" still count)."""
    i, n = hit.first, hit.count
    if n > 1 or i == 0 or toks[i - 1].low not in _PASSIVE or i + 1 >= len(toks):
        return False
    return not gap(text, toks[i], toks[i + 1]).strip(SPACE) and toks[i + 1].low != "that"


def verb_of(text: str, hit: Hit) -> Verb:
    tone, lemma = hit.entry.columns[0], hit.entry.columns[1]
    return Verb(text[hit.start : hit.end], hit.start, hit.end, tone, lemma)


def string_verb(text: str, at: int, hi: int) -> Verb | None:
    """A verb matched as a string (Japanese, no spaces) starting right at `at`."""
    for hit in lexicon.attribution_verbs().find_strings(text, at, min(hi, at + STRING_VERB_CHARS)):
        if hit.start == at:
            return verb_of(text, hit)
    return None


def string_verbs(text: str, lo: int, hi: int) -> list[Verb]:
    """Every string-matched verb in `text[lo:hi]` (a claim's sentence in Japanese)."""
    return [verb_of(text, hit) for hit in lexicon.attribution_verbs().find_strings(text, lo, hi)]
