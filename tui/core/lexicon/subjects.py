"""The speaker phrase an attribution verb governs: the subject before it ("the operations director, Petra
Lind, said" gives "Petra Lind"), the phrase after an inverted verb ("said Councillor Bell", "according to
the report", "quoted the chief chemist, Neil Abara, as saying"), or the sentence's subject for a verb
that joins it ("The release goes further, claiming …", "… and said"). Phrases, not a parse.
"""

from __future__ import annotations

from collections.abc import Sequence

from .verbs import verbs_in
from .words import SPACE, Token, gap, possessive_s, speaker_words, tokens

SUBJECT_WORDS = 6  # the longest speaker phrase read before a verb
APPOSITIVE_WORDS = 12  # ", the firm’s lead structural engineer," skipped between a name and its verb


_NOT_SUBJECTS = frozenset(
    {"and", "or", "but", "nor", "then", "that", "which", "who", "whom", "as", "so", "than"}
)


_NAME_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "da", "di", "du"}
)


def sentence_subject(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase opening `text[lo:hi]` ("The university's press release", "Councillor Bell"): up
    to the first finite verb, attribution verb or clause break, at most SUBJECT_WORDS words."""
    toks = tokens(text, lo, hi)
    if not toks:
        return None
    words = speaker_words()
    last = None
    for k, tok in enumerate(toks[:SUBJECT_WORDS]):
        if tok.low in words["finite"] or any(i == 0 for i, _ in verbs_in(text, toks[k : k + 3])):
            break
        if k and (_breaks(text, toks[k - 1], tok) or _after_name(text, toks, k)):
            break  # "Brandt disputed this, saying": the name is the subject, not "Brandt disputed this"
        last = k
    if last is None:
        return None
    return toks[0].start, toks[last].end


def _after_name(text: str, toks: Sequence[Token], k: int) -> bool:
    """Token `k` is a lower-case word (not a role word, a name particle, a determiner or a preposition, or
    a possessive "s") right after a
    capitalised word that is not a determiner: the name before it ends the phrase ("Brandt disputed",
    "Union leader Jo Brandt disputed"; but "Union leader", "The university's press release")."""
    words = speaker_words()
    tok, prev = toks[k], toks[k - 1]
    if _capitalised(text, tok) or tok.low in words["title"] or tok.low in _NAME_PARTICLES:
        return False
    if tok.low in words["determiner"]:
        return False  # "Officials at the ministry", "ein Sprecher des Ministeriums"
    if possessive_s(text, prev) or possessive_s(text, tok):
        return False
    return _capitalised(text, prev) and prev.low not in words["determiner"] and prev.low not in words["title"]


def _capitalised(text: str, tok: Token) -> bool:
    return text[tok.start].isupper()


def speaker_after(text: str, toks: Sequence[Token], i: int) -> tuple[int, int] | None:
    """The phrase right after an inverted verb: "said Councillor Bell", "according to the report"."""
    if i >= len(toks):
        return None
    words = speaker_words()
    j = i
    if toks[j].low == "t" and j + 1 < len(toks) and gap(text, toks[j], toks[j + 1]) == "-":
        j += 1  # French inversion: "ajoute-t-il", "a-t-elle"
    if toks[j].low in words["pronoun"] and _pronoun_alone(text, toks, j):
        return toks[j].start, toks[j].end
    if toks[j].low in words["determiner"] or not _capitalised(text, toks[j]):
        # "the operations director": up to the first break in the phrase, a word that starts another
        # phrase ("at a rally", "during a visit") or the end of a name ("union leader Jo Brandt")
        k = j
        while (
            k + 1 < len(toks)
            and k - j < SUBJECT_WORDS - 1
            and not _breaks(text, toks[k], toks[k + 1])
            and not _phrase_ends(text, toks, j, k + 1)
        ):
            k += 1
        named = _name_after_comma(text, toks, k)  # "the chief chemist, Neil Abara, as saying"
        return named or (toks[j].start, toks[k].end)
    k = j
    while k + 1 < len(toks) and _capitalised(text, toks[k + 1]) and not _breaks(text, toks[k], toks[k + 1]):
        k += 1
    return toks[j].start, toks[k].end


def _phrase_ends(text: str, toks: Sequence[Token], j: int, k: int) -> bool:
    """Token `k` is not part of the speaker phrase `toks[j:k]`: a word that starts another phrase
    (data/speakers.tsv phrase_end: "at", "during", "yesterday"), or a lower-case word other than a role
    after a name ("union leader Jo Brandt at", "Brandt disputed")."""
    words = speaker_words()
    low = toks[k].low
    if low in words["phrase_end"] or low in words["finite"]:
        return True
    if _capitalised(text, toks[k]) or low in words["title"] or low in words["determiner"]:
        return False  # "the chair of the board", "ein Sprecher des Ministeriums"
    return low not in _NAME_PARTICLES and any(
        _capitalised(text, t) and t.low not in words["determiner"] for t in toks[j:k]
    )


def _pronoun_alone(text: str, toks: Sequence[Token], j: int) -> bool:
    """A pronoun after an inverted verb stands alone ("said she,", "dit-il", "sagte er."); one that runs
    on into a noun is an article ("ha detto il sindaco")."""
    if j + 1 >= len(toks) or _breaks(text, toks[j], toks[j + 1]):
        return True
    return j > 0 and gap(text, toks[j - 1], toks[j]) == "-"


def _name_after_comma(text: str, toks: Sequence[Token], k: int) -> tuple[int, int] | None:
    if k + 1 >= len(toks) or gap(text, toks[k], toks[k + 1]).strip(SPACE) != ",":
        return None
    first = last = k + 1
    if not _capitalised(text, toks[first]):
        return None
    while (
        last + 1 < len(toks)
        and _capitalised(text, toks[last + 1])
        and not _breaks(text, toks[last], toks[last + 1])
    ):
        last += 1
    return toks[first].start, toks[last].end


def _breaks(text: str, a: Token, b: Token) -> bool:
    """The gap between two words ends a phrase: punctuation other than a possessive, or a full stop
    that ends a sentence (see `ends_sentence`)."""
    g = gap(text, a, b).strip(SPACE)
    if g == ".":
        return ends_sentence(text, a, b)
    return bool(g) and g not in ("’", "'", "-", "’s")


def ends_sentence(text: str, a: Token, b: Token) -> bool:
    """A sentence ends between two words: "!", "?", "…", or a full stop after a word that is not an
    initial or a short title ("S. M.", "Dr. Ines Calloway"; but "der Gemeinderat. Er sprach")."""
    between = gap(text, a, b)
    if any(c in between for c in "!?…"):
        return True
    return "." in between and not (len(a.low) <= 3 and text[a.start].isupper())


def speaker_before(text: str, toks: Sequence[Token], v: int) -> tuple[int, int] | None:
    """The subject of the verb at token `v`: a name run, a pronoun or a noun phrase ("the mayor")."""
    words = speaker_words()
    i = v - 1
    while i >= 0 and toks[i].low in words["skip"] and not _breaks(text, toks[i], toks[i + 1]):
        i -= 1
    if i < 0:
        return None
    if _breaks(text, toks[i], toks[i + 1]):
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
        while j - 1 >= 0 and i - j < SUBJECT_WORDS - 1 and not _breaks(text, toks[j - 1], toks[j]):
            prev = toks[j - 1]
            if not (_capitalised(text, prev) or prev.low in _NAME_PARTICLES or possessive_s(text, prev)):
                break
            j -= 1
        if j - 1 >= 0 and toks[j - 1].low in ("the", "der", "die", "das", "le", "la", "les"):
            j -= 1
        return toks[j].start, tok.end
    while j - 1 >= 0 and i - j < SUBJECT_WORDS - 1 and not _breaks(text, toks[j - 1], toks[j]):
        if toks[j].low in words["determiner"]:
            break
        j -= 1
    if toks[j].low not in words["determiner"] and i - j > 1:
        j = i - 1  # no determiner to close the phrase ("alustavan ennusteen mukaan"): the head and one word
    if j >= 2 and toks[j - 1].low == "of" and not _breaks(text, toks[j - 2], toks[j - 1]):
        head = speaker_before(text, toks[:j], j - 1)  # "the council’s summary of the scheme calls"
        if head is not None:
            return head[0], tok.end
    return toks[j].start, tok.end


def _skip_appositive(text: str, toks: Sequence[Token], i: int) -> int:
    """ "Petra Lind, the operations director, said": step back over ", the operations director," to
    "Lind". Returns the token before the appositive, or `i` when there is none to skip."""
    between = gap(text, toks[i], toks[i + 1]).strip(SPACE)
    if between[:1] not in (",", "(", "—", "–", ")"):
        return i
    for j in range(i, max(-1, i - APPOSITIVE_WORDS), -1):
        if j == 0:
            break
        g = gap(text, toks[j - 1], toks[j]).strip(SPACE)
        if g[:1] in (",", "(", "—", "–"):
            first = toks[j]
            words = speaker_words()
            if (
                first.low in words["determiner"]
                or first.low in ("who", "which", "whose")
                or not _capitalised(text, first)
            ):
                return j - 1
            return i
    return i
