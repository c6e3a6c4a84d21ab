"""Reporting verbs in a run of words: "said", "confided", "according to", 「…」と述べた, 他说：“…”.

The forms come from `data/reporting_verbs.tsv` (tone, lemma, whether it can be a noun, its scope, where
its speaker stands). Rules of thumb keep nouns and names out: "the report", "a blog post", "the report’s
warning" (a determiner or a possessive before a form that can be a noun, with agreement telling "its
figures show" from "a bombshell report"), "the Fernley Post" (capitalised inside a sentence), "so-called"
(the tail of a hyphenated word), "to respond" (an infinitive), "were told of the closure" (a passive going
on with its own words).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import NamedTuple

from .words import MARKS, SPACE, Entry, Hit, Lexicon, Token, entries, gap, possessive_s, speaker_words, tokens

STRING_VERB_CHARS = 12  # how far a Japanese verb string may run after the closing bracket
STRING_VERB_BEFORE = 8  # how far before a Chinese opening mark its verb may start (说：“, 表示，“)
_CJK_FROM = 0x2E80  # string forms (Japanese, Chinese) start and end with characters from here on
_QUOTATIVE = "と"  # Japanese: a と right after the closing bracket quotes, whatever verb follows


@cache
def reporting_verbs() -> Lexicon:
    """The reporting verbs of every language. Entry columns: (tone, lemma, noun, scope, speaker)."""
    return Lexicon(entries(__package__, "reporting_verbs.tsv", 3))


class Verb(NamedTuple):
    """A reporting verb as printed: offsets into the text, and tone and lemma from the data file. `tone`
    is None for the Japanese quotative と before a verb the list does not hold (it quotes, tone unknown)."""

    text: str
    start: int
    end: int
    tone: str | None  # "neutral" | "loaded" | None
    lemma: str
    scope: str = "any"  # "any" | "quotation" | "tail" (data/reporting_verbs.tsv)
    speaker_after: bool = False  # its speaker is the phrase after it ("according to X")
    source: bool = False  # a source phrase ("according to", "laut", "selon"), not the speaker's own verb


def _is_noun_use(text: str, toks: Sequence[Token], i: int, hit: Hit) -> bool:
    """A noun, not a verb: "the report", "her claims", "a bombshell report", "Tuesday’s earnings call".
    Only a form that can be a noun (the lemma itself or its -s form, never "said" or "reported"), with a
    determiner or a possessive one or two words before it, and no "that", colon or quotation after it."""
    if _gerund_noun(text, toks, i):
        return True  # "the report’s warning", "her finding"
    if hit.count > 1 or not _noun_form(toks[i].low, hit.entry):
        return False
    english = hit.entry.lang == "en"
    if (
        english
        and i + 1 < len(toks)
        and toks[i + 1].low in _OBJECTS
        and not gap(text, toks[i], toks[i + 1]).strip(SPACE)
    ):
        return False  # "calls it", "claims the plan": a verb with its object (not "its report, the office")
    words = speaker_words()
    for k in (
        (i - 1, i - 2) if english else (i - 1,)
    ):  # "su último informe": agreement is read in English only
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
    return prev.low in speaker_words()["determiner"] or possessive_s(text, prev)


def _noun_form(form: str, entry: Entry) -> bool:
    """Can this form of the entry be a noun? Its "noun" column is "noun" (the lemma and its -s forms:
    "report", "claims"), or lists the forms that are also nouns ("demande|demandes", "denuncia")."""
    nouns, lemma = entry.columns[2], entry.columns[1]
    if nouns == "noun":
        return form == lemma or form in (lemma + "s", lemma + "es", lemma[:-1] + "ies")
    return nouns != "-" and form in _noun_forms(nouns)


@lru_cache(maxsize=256)
def _noun_forms(column: str) -> frozenset[str]:
    return frozenset(f.strip().casefold() for f in column.split("|"))


def _opens_sentence_as_noun(text: str, tok: Token, hit: Hit) -> bool:
    """ "Reports in the trade press suggest …", "Post by @kayak_kit": a capitalised -s form, or the bare
    lemma of a verb that is also a noun, opening a sentence is a noun (a verb in the third person needs a
    subject before it)."""
    if not text[tok.start].isupper():
        return False
    noun_form = tok.low.endswith("s") or (hit.entry.columns[2] == "noun" and tok.low == hit.entry.columns[1])
    return noun_form and _sentence_start(text, tok.start)


def _sentence_start(text: str, start: int) -> bool:
    """Nothing but spaces and quotation marks between `start` and the end of the previous sentence, the
    start of the text or a line break (a paragraph after a heading ends with no full stop)."""
    before = text[max(0, start - 3) : start]
    if "\n" in before:
        before = before.rsplit("\n", 1)[1]
        if not before.strip(SPACE + MARKS):
            return True
    before = before.strip(SPACE + MARKS)
    return not before or before[-1] in ".!?"


QUOTATION_SCOPES = frozenset({"any", "quotation"})  # verbs beside a quotation
CLAIM_SCOPES = frozenset({"any"})  # verbs that introduce a claim sentence


def verbs_in(
    text: str, toks: Sequence[Token], scopes: frozenset[str] = QUOTATION_SCOPES
) -> list[tuple[int, Hit]]:
    """Reporting verbs among `toks` as (token index, hit), of the given scopes (data/reporting_verbs.tsv;
    "tail" verbs count only as the first word of `toks` when "tail" is in `scopes`); noun uses ("the
    report") left out."""
    out = []
    for hit in reporting_verbs().find(toks):
        scope = hit.entry.columns[3]
        if scope not in scopes or (scope == "tail" and hit.first != 0):
            continue
        if _is_noun_use(text, toks, hit.first, hit) or _in_compound(text, toks[hit.first].start):
            continue
        if _opens_sentence_as_noun(text, toks[hit.first], hit) or _proper_noun(text, toks[hit.first]):
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
    return not _sentence_start(text, tok.start) and before[-1] != ":"


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
    """The Verb of a lexicon hit in `text`."""
    tone, lemma, _noun, scope, speaker, kind = hit.entry.columns
    after = speaker == "after"
    return Verb(text[hit.start : hit.end], hit.start, hit.end, tone, lemma, scope, after, kind == "source")


def string_verb(text: str, at: int, hi: int) -> Verb | None:
    """A verb matched as a string (Japanese, no spaces) starting right at `at` (after a closing bracket,
    spaces allowed), else the quotative と there; None when neither."""
    while at < hi and text[at] in SPACE:
        at += 1
    if at >= hi or ord(text[at]) < _CJK_FROM:
        return None
    hit = reporting_verbs().string_at(text, at, min(hi, at + STRING_VERB_CHARS))
    if hit is not None:
        return verb_of(text, hit)
    if text.startswith(_QUOTATIVE, at) and at < hi:
        return Verb(_QUOTATIVE, at, at + len(_QUOTATIVE), None, _QUOTATIVE, "quotation")
    return None


def string_verb_before(text: str, lo: int, at: int) -> Verb | None:
    """A verb matched as a string (Chinese, no spaces) ending right before the opening mark at `at`, a
    colon, a comma or spaces between ("李明说：“…”")."""
    end = at
    while end > lo and (text[end - 1] in SPACE or text[end - 1] in ":：,，"):
        end -= 1
    if end <= lo or ord(text[end - 1]) < _CJK_FROM:
        return None
    for hit in reporting_verbs().find_strings(text, max(lo, end - STRING_VERB_BEFORE), end):
        if hit.end == end and hit.entry.lang == "zh":
            return verb_of(text, hit)
    return None


def string_verbs(text: str, lo: int, hi: int) -> list[Verb]:
    """Every string-matched verb of scope "any" in `text[lo:hi]` (a claim's sentence in Japanese)."""
    found = (verb_of(text, hit) for hit in reporting_verbs().find_strings(text, lo, hi))
    return [v for v in found if v.scope == "any"]


def verb_at(text: str, start: int, end: int) -> Verb | None:
    """The reporting verb printed at `text[start:end]` (a quote's `cue`), with its tone; None when the
    span holds no verb of the list (a quotative と, a colon introduction)."""
    found = _verb_form(text[start:end])
    if found is None:
        # a separable verb ("gab … zu"): its particle is read in its clause, after the span
        toks = tokens(text, start, min(len(text), end + PARTICLE_CHARS))
        hit = reporting_verbs().match_at(toks, 0) if toks and toks[0].start == start else None
        return verb_of(text, hit) if hit is not None and hit.end == end else None
    return Verb(text[start:end], start, end, *found)


PARTICLE_CHARS = 120  # where verb_at looks for a separable verb's particle (PARTICLE_WORDS words fit)


@lru_cache(maxsize=2048)
def _verb_form(form: str) -> tuple[str | None, str, str, bool, bool] | None:
    """(tone, lemma, scope, speaker after, source phrase) of the list's entry printed as `form` (a few
    hundred forms recur through an article: each is looked up once)."""
    toks = tokens(form)
    hit = reporting_verbs().match_at(toks, 0) if toks and toks[0].start == 0 else None
    if hit is None or hit.end != len(form):
        hit = reporting_verbs().string_at(form, 0, len(form))
        if hit is None or hit.end != len(form):
            return None
    verb = verb_of(form, hit)
    if hit.entry.particle:
        return None  # its particle is not in the span: read in context (verb_at)
    return verb.tone, verb.lemma, verb.scope, verb.speaker_after, verb.source
