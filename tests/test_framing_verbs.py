"""Attribution verbs on whole sentences: a verb beside a source phrase ("admitted, according to"), nouns in
a link's words ("In its report, …"), the reporting verbs of every language the README lists, and the
speaker phrases and groups the speaker check reads. Unit tests of each cue kind are in test_framing.py."""

from __future__ import annotations

import pytest

from tui.core.article import load_article_file
from tui.core.framing import ArticleFraming
from tui.core.framing.speakers import classify, mismatch
from tui.core.framing.voices import source_speaker
from tui.core.links import find_links
from tui.core.quotes import find_quotes


def _cues(tmp_path, body: str, lang: str | None = None):
    """(claim verbs per link, quote verbs per quote) of a one-paragraph article: (text, tone) pairs."""
    path = tmp_path / "article.md"
    front = f"---\nlang: {lang}\n---\n" if lang else ""
    path.write_text(f"{front}# T\n\n{body}\n", encoding="utf-8")
    article = load_article_file(str(path))
    links = find_links(article)
    quotes = find_quotes(article, links)
    framing = ArticleFraming(article, links, quotes)

    def verbs(cues):
        out = []
        for c in cues:
            if c.cue == "attribution_verb":
                assert article.text[c.article_start : c.article_end] == c.text
                out.append((c.text, c.tone))
        return out

    return [verbs(framing.claim_cues(link)) for link in links], [verbs(framing.quote_cues(q)) for q in quotes]


# ------------------------------------------------------------------------- a verb beside a source phrase

_BESIDE = [
    (
        "The ministry admitted, according to [the auditors](https://a.example/r), that the clinics "
        "“reduced waiting times in two regions”.",
        None,
        ("admitted", "loaded"),
        ("according to", "neutral"),
    ),
    (
        "The board insisted, in the words of [its chair](https://a.example/r), that the plan “is final”.",
        None,
        ("insisted", "loaded"),
        ("in the words of", "neutral"),
    ),
    (
        "According to [the minutes](https://a.example/r), the mayor conceded the bridge “will stay shut”.",
        None,
        ("conceded", "loaded"),
        ("According to", "neutral"),
    ),
    (
        "Der Stadtrat behauptete laut [Protokoll](https://a.example/r), „der Neubau beginnt im Herbst“.",
        "de",
        ("behauptete", "loaded"),
        ("laut", "neutral"),
    ),
    (
        "„Der Neubau beginnt im Herbst“, behauptete der Stadtrat laut [Protokoll](https://a.example/r).",
        "de",
        ("behauptete", "loaded"),
        ("laut", "neutral"),
    ),
    (
        "Laut [Protokoll](https://a.example/r) gab der Stadtrat zu, „der Neubau beginnt im Herbst“.",
        "de",
        ("gab", "loaded"),
        ("Laut", "neutral"),
    ),
    (
        "Selon [le procès-verbal](https://a.example/r), le maire a reconnu que le pont « restera fermé ».",
        "fr",
        ("a reconnu", "loaded"),
        ("Selon", "neutral"),
    ),
]


@pytest.mark.parametrize(("body", "lang", "verb", "phrase"), _BESIDE)
def test_a_verb_beside_a_source_phrase_is_reported(tmp_path, body, lang, verb, phrase) -> None:
    """The claim shows both (the source phrase names whose account it is, the verb frames the words);
    the quotation carries its speaker's verb."""
    claims, quotes = _cues(tmp_path, body, lang)
    assert sorted(claims[0]) == sorted([verb, phrase])
    assert quotes == [[verb]]


def test_a_source_phrase_alone_stays_the_verb(tmp_path) -> None:
    claims, quotes = _cues(
        tmp_path, "According to [the audit](https://a.example/r), the clinics “reduced waiting times”."
    )
    assert claims == [[("According to", "neutral")]]
    assert quotes == [[("According to", "neutral")]]


# ------------------------------------------------------------------------- nouns in the link's words


@pytest.mark.parametrize(
    ("body", "lang", "verb"),
    [
        (
            "In [its report](https://a.example/r), the audit office insisted the data was “reliable”.",
            None,
            ("insisted", "loaded"),
        ),
        (
            "In [its report](https://a.example/r), the audit office said the data was “reliable”.",
            None,
            ("said", "neutral"),
        ),
        (
            "In [a statement](https://a.example/r), the council conceded the plan was “late”.",
            None,
            ("conceded", "loaded"),
        ),
        (
            "In [their reply](https://a.example/r), officials denied the scheme was “rushed”.",
            None,
            ("denied", "loaded"),
        ),
        (
            "[The claims](https://a.example/r), the minister admitted, were “not wholly wrong”.",
            None,
            ("admitted", "loaded"),
        ),
        (
            "Dans [sa demande](https://a.example/r), le maire a affirmé que le pont « restera fermé ».",
            "fr",
            ("a affirmé", "loaded"),
        ),
        (
            "Dans [un écrit](https://a.example/r), le maire a reconnu que le pont « restera fermé ».",
            "fr",
            ("a reconnu", "loaded"),
        ),
    ],
)
def test_a_noun_in_the_links_words_is_not_the_verb(tmp_path, body, lang, verb) -> None:
    claims, _quotes = _cues(tmp_path, body, lang)
    assert claims == [[verb]]


# ------------------------------------------------------------------------- speakers: groups and phrases


@pytest.mark.parametrize(
    ("group", "person"),
    [
        ("Critics", "Tom Ferris"),
        ("Some residents", "Tom Ferris, a resident"),
        ("local campaigners", "Jo Brandt"),
        ("Opponents of the scheme", "Councillor Marcus Bell"),
        ("Kritiker", "Tom Ferris"),
        ("les opposants", "Tom Ferris"),
    ],
)
def test_a_group_and_one_of_its_possible_members_are_not_a_mismatch(group, person) -> None:
    assert classify(group) is not None and classify(group).kind == "group"
    assert not mismatch(classify(group), classify(person))
    assert not mismatch(classify(person), classify(group))
    assert mismatch(classify("Daniel Okoro"), classify(person))  # two named people still differ


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "The city's tram plan “will fail within five years,” said union leader Jo Brandt at a rally.",
            "will fail within five years",
            "union leader Jo Brandt",
        ),
        (
            "“The line is final,” said a spokesperson for the ministry on Monday.",
            "The line is final",
            "a spokesperson for the ministry",
        ),
        (
            "“The line is final,” said the transport minister during a visit.",
            "The line is final",
            "the transport minister",
        ),
        (
            "Wills added that the route was final. Brandt disputed this, saying the route “was drawn up in "
            "secret”.",
            "was drawn up in secret",
            "Brandt",
        ),
        (
            "Union leader Jo Brandt disputed this, saying the route “was drawn up in secret”.",
            "was drawn up in secret",
            "Union leader Jo Brandt",
        ),
    ],
)
def test_a_speaker_phrase_ends_at_the_name_or_role(text, words, speaker) -> None:
    start = text.index(words)
    who = source_speaker(text, start, start + len(words))
    assert who is not None and who.text == speaker


def test_a_group_voiced_in_a_transcript_turn_gives_the_turns_speaker() -> None:
    text = (
        "HOST: Welcome back.\n\nMINISTER REYES: Thank you.\n\n"
        "HOST: Campaigners say patients have been quietly removed from the list. Is that true?\n\n"
        "MINISTER REYES: No."
    )
    start = text.index("quietly removed")
    who = source_speaker(text, start, start + len("quietly removed from the list"))
    assert who is not None and who.kind == "interviewer"
    assert mismatch(classify("Minister Alan Reyes"), who)
