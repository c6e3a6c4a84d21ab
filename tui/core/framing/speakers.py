"""Who a speaker phrase stands for, and whether two of them are the same person.

A phrase ("Councillor Marcus Bell", "REYES", "the mayor", "she", "Q", "the report") becomes a `Who`: its
kind (a named person, a role, the interviewer, a document or an organisation speaking for itself), its
surname and its role words. Pronouns are resolved to the nearest person named before them. Roles are tied
to names by what either text says ("Mayor Elena Reyes", "Petra Lind, the operations director", "the
mayor of Port Calloway, Elena Reyes"), so "the mayor" in the article and "REYES:" in a transcript compare
equal. Words come from `data/speakers.tsv`.

`mismatch` answers only when it can: two different named people, a question put by the interviewer but
credited to a guest, or words the source quotes from someone while the article credits the document
itself. A role with no name to tie it to is not compared, nor a group ("Critics", "some residents")
against anyone: any one person may be of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon.words import speaker_words, tokens

ANONYMITY_CHARS = 60  # how far after a speaker phrase "who asked not to be named" is looked for
RESOLVE_CHARS = 2500  # how far back a pronoun looks for the person it stands for
_UPPER = r"A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
_NAME_WORD = rf"[{_UPPER}][\w’'\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
_ROLE_PHRASE = r"[^\n,.;:()“”\"]{1,60}?"
_APPOSITIVE_AFTER = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the|a|an|its|their|his|her)\s+(?P<phrase>{_ROLE_PHRASE})(?=[,.;:)])"
)
_APPOSITIVE_BEFORE = re.compile(
    rf"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<phrase>{_ROLE_PHRASE}),\s+(?P<name>{_NAME})\b"
)


@dataclass(frozen=True)
class Who:
    """A speaker as one side names it. `text` is the phrase as printed (for a pronoun, its referent)."""

    kind: str  # name | role | interviewer | answerer | anonymous | document | organisation | group
    text: str
    surname: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)


def _words() -> Mapping[str, frozenset[str]]:
    return speaker_words()


def classify(phrase: str) -> Who | None:
    """The kind of speaker a phrase names; None for a pronoun (resolve it first) or an empty phrase."""
    words = _words()
    if "," in phrase and phrase[:1].isupper():  # a label "Mark Ellis, Chief Executive": the name first
        phrase = phrase.split(",", 1)[0].strip()
    toks = tokens(re.split(r"\s(?:of|for)\s", phrase, maxsplit=1)[0])  # "the chair of the Association"
    content = [t for t in toks if t.low not in words["determiner"] and t.low != "s"]
    if not content:
        return None
    lows = [t.low for t in content]
    head = lows[-1]
    inside = re.search(r"\(([^)]*)\)", phrase)  # "HOST (DANA OKAFOR)"
    if len(lows) == 1 and head in words["pronoun"]:
        return None
    named = [t for t in tokens(inside.group(1)) if t.low not in words["title"]] if inside else []
    if lows[0] in words["interviewer"] or head in words["interviewer"]:
        return Who("interviewer", phrase, named[-1].low if named else None, frozenset({"interviewer"}))
    if (
        named and inside is not None and inside.group(1)[:1].isupper()
    ):  # "The Minister for Floods (Alan Whitlow)"
        outside = [t.low for t in tokens(phrase[: inside.start()]) if t.low in words["title"]]
        return Who("name", phrase, named[-1].low, frozenset(outside))
    if lows == [head] and head in words["answerer"]:
        return Who("answerer", phrase)
    capitalised = phrase[content[0].start].isupper()
    if _group(lows, words):
        return Who("group", phrase, roles=frozenset({head}))
    if head in words["document"] and not (capitalised and len(lows) > 1 and lows[0] in words["title"]):
        return Who("document", phrase, roles=frozenset({head}))
    titles = frozenset(w for w in lows if w in words["title"])
    if not capitalised and phrase[content[-1].start].isupper():  # "a resident named Joe Marsh"
        return Who("name", phrase, content[-1].low, titles)
    last_title = max((k for k, w in enumerate(lows) if w in words["title"]), default=-1)
    named_after_title = last_title >= 0 and any(phrase[t.start].isupper() for t in content[last_title + 1 :])
    if named_after_title:  # "Mayor Elena Reyes", "Club chairman Victor Hale"
        names = [t for t in content[last_title + 1 :] if phrase[t.start].isupper()]
        return Who("name", phrase, names[-1].low, titles)
    body = any(w in words["organisation"] for w in lows) if capitalised else head in words["organisation"]
    if body and lows[0] not in words["title"]:  # "Coastal Public Radio", "the council"
        return Who("organisation", phrase, roles=frozenset({head}))
    if capitalised:
        names = [t for t in content if t.low not in words["title"] and phrase[t.start].isupper()]
        if names:
            return Who("name", phrase, names[-1].low, titles)
    roles = titles or frozenset({head})
    return Who("role", phrase, None, roles)


def _group(lows: list[str], words: Mapping[str, frozenset[str]]) -> bool:
    """A set of people, not one: "Critics", "local campaigners", "some residents", "Opponents of the
    scheme" (the part before "of" is read: see classify). A name in the phrase makes it a person."""
    head = lows[-1]
    if head in words["group"]:
        return True
    return (
        len(lows) > 1 and lows[0] in words["quantifier"] and head.endswith("s") and head not in words["title"]
    )


@lru_cache(maxsize=64)
def aliases(text: str) -> Mapping[str, frozenset[str]]:
    """Role word -> surnames the text ties to it ("Mayor Elena Reyes": mayor -> {reyes})."""
    words = _words()
    found: dict[str, set[str]] = {}

    def tie(role_phrase: str, name: str) -> None:
        role_words = [t.low for t in tokens(role_phrase.split(" of ")[0])]
        name_words = [t.low for t in tokens(name) if t.low not in words["title"]]
        if not role_words or not name_words:
            return
        found.setdefault(role_words[-1], set()).add(name_words[-1])
        for w in role_words:
            if w in words["title"]:
                found.setdefault(w, set()).add(name_words[-1])

    for m in _titled_names(text):
        tie(m[0], m[1])
    for m in _APPOSITIVE_AFTER.finditer(text):
        tie(m.group("phrase"), m.group("name"))
    for m in _APPOSITIVE_BEFORE.finditer(text):
        tie(m.group("phrase"), m.group("name"))
    return {k: frozenset(v) for k, v in found.items()}


@lru_cache(maxsize=1)
def _title_re() -> re.Pattern[str]:
    titles = sorted(_words()["title"], key=len, reverse=True)
    alternation = "|".join(re.escape(t) for t in titles)
    return re.compile(
        rf"\b(?i:(?P<title>{alternation}))\.?\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    )


def _titled_names(text: str) -> list[tuple[str, str]]:
    return [(m.group("title"), m.group("name")) for m in _title_re().finditer(text)]


def resolve(text: str, phrase: str, at: int) -> Who | None:
    """`classify`, with a pronoun replaced by the nearest person named before `at` in `text`."""
    who = classify(phrase)
    if who is not None:
        return who
    toks = tokens(phrase)
    if len(toks) != 1 or toks[0].low not in _words()["person_pronoun"]:
        return None
    return last_person_before(text, at)


def last_person_before(text: str, at: int) -> Who | None:
    """The nearest person named in `text` before `at` (within RESOLVE_CHARS): a titled name ("Dr
    Sandhu"), a run of two or three capitalised words that is not a place or a body, or a bare surname
    already seen in full."""
    lo = max(0, at - RESOLVE_CHARS)
    window = text[lo:at]
    words = _words()
    best: tuple[int, Who] | None = None
    surnames: set[str] = set()
    for m in re.finditer(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*", window):
        run = [t for t in tokens(m.group()) if t.low not in words["not_a_name"]]
        if not run:
            continue
        lows = [t.low for t in run]
        if any(w in words["organisation"] or w in words["document"] for w in lows):
            continue
        titled = any(w in words["title"] for w in lows[:-1])
        names = [w for w in lows if w not in words["title"]]
        if not names:
            continue
        if len(names) >= 2 or titled or names[-1] in surnames:
            surnames.add(names[-1])
            phrase = m.group()
            best = (
                m.start(),
                Who("name", phrase.strip(), names[-1], frozenset(w for w in lows if w in words["title"])),
            )
    return best[1] if best else None


def with_alias(who: Who, table: Mapping[str, frozenset[str]]) -> Who:
    """A role tied to exactly one surname by the texts becomes that person."""
    if who.surname is not None or who.kind not in ("role", "interviewer"):
        return who
    names: set[str] = set()
    for role in who.roles:
        names |= table.get(role, frozenset())
    if len(names) == 1:
        return Who(who.kind, who.text, next(iter(names)), who.roles)
    return who


def kept_anonymous(text: str, start: int, end: int) -> bool:
    """Does the text around a speaker phrase say the speaker is kept unnamed?"""
    window = text[max(0, start - 20) : end + ANONYMITY_CHARS].casefold()
    return any(phrase in window for phrase in _words()["anonymous"])


def mismatch(article: Who | None, source: Who | None) -> bool:
    """True only when the two certainly differ (see the module's docstring)."""
    if article is None or source is None:
        return False
    if article.kind == "group" or source.kind == "group":
        return False  # "Critics" and Tom Ferris: he may be one of them
    persons = ("name", "role", "answerer")
    if source.kind == "anonymous":  # the article names someone the source keeps unnamed
        return article.kind == "name" or article.surname is not None
    if source.kind == "interviewer":
        if article.kind == "interviewer":
            return False
        return not (article.surname and article.surname == source.surname)
    if article.kind == "interviewer":
        return source.kind in ("name", "role") and not (source.surname and article.surname == source.surname)
    if article.kind in ("document", "organisation"):
        # the article credits the body; the source has someone else say it: a person, or another body
        if source.kind == "organisation":
            return not any(r in {t.low for t in tokens(article.text)} for r in source.roles)
        return source.kind == "name" or (source.kind == "role" and bool(source.roles & _words()["title"]))
    if source.kind not in persons or article.kind not in persons:
        return False
    if article.surname and source.surname:
        return not _same_surname(article.surname, source.surname)
    return False


def _same_surname(a: str, b: str) -> bool:
    """Equal, or one an inflected form of the other (Finnish "Reyesin", Russian "Рейеса")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
