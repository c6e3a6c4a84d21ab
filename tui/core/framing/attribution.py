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

from . import lexicon
from .lexicon import Hit, Token, tokens

BEFORE_WORDS = 20  # "He described the preferred design, a three-span concrete bridge with …, as “…”"
AFTER_WORDS = 8  # "“…” in April, the Millbrook Examiner reported"
AFTER_FIRST_WORDS = 4  # an inverted or trailing verb must come this soon after the closing mark
SUBJECT_WORDS = 6  # the longest speaker phrase read before a verb
APPOSITIVE_WORDS = 12  # ", the firm’s lead structural engineer," skipped between a name and its verb
MARKS = "“”„«»\"‘’'‹›「」『』‚"
_SPACE = " \t\n\r\f\v\u00a0\u202f\u2009"
_CLAUSE_PUNCT = ",;:—–()"
# verbs whose speaker follows them: "according to X", "said X" after a quotation
SPEAKER_AFTER = frozenset({"according to", "in the words of", "laut", "selon", "по словам", "по данным"})
_NOT_SUBJECTS = frozenset(
    {"and", "or", "but", "nor", "then", "that", "which", "who", "whom", "as", "so", "than"}
)
_NAME_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "da", "di", "du"}
)


@dataclass(frozen=True)
class Verb:
    """An attribution verb as printed: offsets into the text, tone and lemma from the data file."""

    text: str
    start: int
    end: int
    tone: str  # "neutral" | "loaded"
    lemma: str


@dataclass(frozen=True)
class Attribution:
    """The verb that introduces a passage and the speaker phrase it governs (either may be missing)."""

    verb: Verb | None
    speaker: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


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
        if k < 0 or _gap(text, toks[k], toks[k + 1]).strip(_SPACE) not in ("", "’", "'"):
            return False
        prev = toks[k]
        if prev.low in words["determiner"] or _possessive_s(text, prev):
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
    if not toks[i].low.endswith("ing") or i == 0 or _gap(text, toks[i - 1], toks[i]).strip(_SPACE):
        return False
    prev = toks[i - 1]
    return prev.low in lexicon.speaker_words()["determiner"] or _possessive_s(text, prev)


def _ambiguous_form(form: str, lemma: str) -> bool:
    return form == lemma or form in (lemma + "s", lemma + "es", lemma[:-1] + "ies")


def _opens_sentence_as_plural(text: str, tok: Token) -> bool:
    """ "Reports in the trade press suggest …": a capitalised -s form opening a sentence is a plural noun
    (a verb in the third person needs a subject before it)."""
    if not (tok.low.endswith("s") and text[tok.start].isupper()):
        return False
    before = text[max(0, tok.start - 3) : tok.start].strip(_SPACE + MARKS)
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
    before = text[max(0, tok.start - 3) : tok.start].strip(_SPACE + MARKS)
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
    return not _gap(text, toks[i], toks[i + 1]).strip(_SPACE) and toks[i + 1].low != "that"


def _verb(text: str, hit: Hit) -> Verb:
    tone, lemma = hit.entry.columns[0], hit.entry.columns[1]
    return Verb(text[hit.start : hit.end], hit.start, hit.end, tone, lemma)


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
    while open_at > lo and (text[open_at - 1] in _SPACE or text[open_at - 1] in MARKS):
        open_at -= 1
    close_at = end
    while close_at < hi and (
        text[close_at] in _SPACE or text[close_at] in MARKS or text[close_at] in ",.!?…"
    ):
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
    verb = _verb(text, hit)
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
    return toks[i].low.endswith("ing") and i > 0 and "," in _gap(text, toks[i - 1], toks[i])


def sentence_subject(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase opening `text[lo:hi]` ("The university's press release", "Councillor Bell"): up
    to the first finite verb, attribution verb or clause break, at most SUBJECT_WORDS words."""
    toks = tokens(text, lo, hi)
    if not toks:
        return None
    words = lexicon.speaker_words()
    last = None
    for k, tok in enumerate(toks[:SUBJECT_WORDS]):
        if tok.low in words["finite"] or verbs_in(text, toks[k : k + 1]):
            break
        if k and _breaks(_gap(text, toks[k - 1], tok)):
            break
        last = k
    if last is None:
        return None
    return toks[0].start, toks[last].end


def _as_saying(toks: Sequence[Token], i: int) -> bool:
    lows = [t.low for t in toks[i : i + SUBJECT_WORDS + 4]]
    return any(a == "as" and b in ("saying", "telling", "writing") for a, b in pairwise(lows))


def _capitalised(text: str, tok: Token) -> bool:
    return text[tok.start].isupper()


def speaker_after(text: str, toks: Sequence[Token], i: int) -> tuple[int, int] | None:
    """The phrase right after an inverted verb: "said Councillor Bell", "according to the report"."""
    if i >= len(toks):
        return None
    words = lexicon.speaker_words()
    j = i
    if toks[j].low in words["pronoun"]:
        return toks[j].start, toks[j].end
    if toks[j].low in words["determiner"] or not _capitalised(text, toks[j]):
        # "the operations director": up to the first break in the phrase
        k = j
        while (
            k + 1 < len(toks) and k - j < SUBJECT_WORDS - 1 and not _breaks(_gap(text, toks[k], toks[k + 1]))
        ):
            k += 1
        named = _name_after_comma(text, toks, k)  # "the chief chemist, Neil Abara, as saying"
        return named or (toks[j].start, toks[k].end)
    k = j
    while (
        k + 1 < len(toks)
        and _capitalised(text, toks[k + 1])
        and not _breaks(_gap(text, toks[k], toks[k + 1]))
    ):
        k += 1
    return toks[j].start, toks[k].end


def _name_after_comma(text: str, toks: Sequence[Token], k: int) -> tuple[int, int] | None:
    if k + 1 >= len(toks) or _gap(text, toks[k], toks[k + 1]).strip(_SPACE) != ",":
        return None
    first = last = k + 1
    if not _capitalised(text, toks[first]):
        return None
    while (
        last + 1 < len(toks)
        and _capitalised(text, toks[last + 1])
        and not _breaks(_gap(text, toks[last], toks[last + 1]))
    ):
        last += 1
    return toks[first].start, toks[last].end


def _breaks(gap: str) -> bool:
    """A gap between two words that ends a phrase: punctuation other than a possessive or an initial."""
    g = gap.strip(_SPACE)
    return bool(g) and g not in ("’", "'", ".", "-", "’s")


def speaker_before(text: str, toks: Sequence[Token], v: int) -> tuple[int, int] | None:
    """The subject of the verb at token `v`: a name run, a pronoun or a noun phrase ("the mayor")."""
    words = lexicon.speaker_words()
    i = v - 1
    while i >= 0 and toks[i].low in words["skip"] and not _breaks(_gap(text, toks[i], toks[i + 1])):
        i -= 1
    if i < 0:
        return None
    if _breaks(_gap(text, toks[i], toks[i + 1])):
        i = _skip_appositive(text, toks, i)
        if i < 0:
            return None
    tok = toks[i]
    if tok.low in words["pronoun"]:
        return tok.start, tok.end
    if tok.low in _NOT_SUBJECTS or tok.low in words["determiner"]:
        return None
    j = i
    if _capitalised(text, tok):
        while j - 1 >= 0 and i - j < SUBJECT_WORDS - 1 and not _breaks(_gap(text, toks[j - 1], toks[j])):
            prev = toks[j - 1]
            if not (_capitalised(text, prev) or prev.low in _NAME_PARTICLES or _possessive_s(text, prev)):
                break
            j -= 1
        if j - 1 >= 0 and toks[j - 1].low in ("the", "der", "die", "das", "le", "la", "les"):
            j -= 1
        return toks[j].start, tok.end
    while j - 1 >= 0 and i - j < SUBJECT_WORDS - 1 and not _breaks(_gap(text, toks[j - 1], toks[j])):
        if toks[j].low in words["determiner"]:
            break
        j -= 1
    if toks[j].low not in words["determiner"] and i - j > 1:
        j = i - 1  # no determiner to close the phrase ("alustavan ennusteen mukaan"): the head and one word
    if j >= 2 and toks[j - 1].low == "of" and not _breaks(_gap(text, toks[j - 2], toks[j - 1])):
        head = speaker_before(text, toks[:j], j - 1)  # "the council’s summary of the scheme calls"
        if head is not None:
            return head[0], tok.end
    return toks[j].start, tok.end


def _possessive_s(text: str, tok: Token) -> bool:
    return tok.low == "s" and tok.start > 0 and text[tok.start - 1] in "’'"


def _skip_appositive(text: str, toks: Sequence[Token], i: int) -> int:
    """ "Petra Lind, the operations director, said": step back over ", the operations director," to
    "Lind". Returns the token before the appositive, or `i` when there is none to skip."""
    gap = _gap(text, toks[i], toks[i + 1]).strip(_SPACE)
    if gap[:1] not in (",", "(", "—", "–", ")"):
        return i
    for j in range(i, max(-1, i - APPOSITIVE_WORDS), -1):
        if j == 0:
            break
        g = _gap(text, toks[j - 1], toks[j]).strip(_SPACE)
        if g[:1] in (",", "(", "—", "–"):
            first = toks[j]
            words = lexicon.speaker_words()
            if (
                first.low in words["determiner"]
                or first.low in ("who", "which", "whose")
                or not _capitalised(text, first)
            ):
                return j - 1
            return i
    return i
