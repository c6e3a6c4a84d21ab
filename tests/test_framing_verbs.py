"""Attribution verbs on whole sentences: a verb beside a source phrase ("admitted, according to"), nouns in
a link's words ("In its report, …"), the reporting verbs of every language the README lists, and the
speaker phrases and groups the speaker check reads. Unit tests of each cue kind are in test_framing.py."""

from __future__ import annotations

import pytest

from tui.core.article import load_article_file
from tui.core.framing import ArticleFraming
from tui.core.framing.speakers import classify, mismatch
from tui.core.framing.voices import source_speaker
from tui.core.lexicon import find_attribution
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
        (
            "En [su informe](https://a.example/r), la auditoría admitió que los datos eran « fiables ».",
            "es",
            ("admitió", "loaded"),
        ),
        (
            "En [la denuncia](https://a.example/r), el sindicato afirmó que la obra « fue secreta ».",
            "es",
            ("afirmó", "loaded"),
        ),
        (
            "Nella [sua denuncia](https://a.example/r), il sindacato ha ammesso che « è segreto ».",
            "it",
            ("ha ammesso", "loaded"),
        ),
        (
            "In [zijn verklaring](https://a.example/r) gaf de wethouder toe dat het plan „geheim” was.",
            "nl",
            ("gaf", "loaded"),
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


# ------------------------------------------------------------------------- the languages the README lists


@pytest.mark.parametrize(
    ("sentence", "quoted", "verb", "tone"),
    [
        ("El ministro admitió que «no había dinero».", "no había dinero", "admitió", "loaded"),
        ("«No había dinero», reconoció la ministra.", "No había dinero", "reconoció", "loaded"),
        ("«No había dinero», dijo la ministra.", "No había dinero", "dijo", "neutral"),
        ("Il ministro ha ammesso che «non c'erano soldi».", "non c'erano soldi", "ha ammesso", "loaded"),
        ("«Non c'erano soldi», ha spiegato il ministro.", "Non c'erano soldi", "ha spiegato", "neutral"),
        ("O ministro admitiu que «não havia dinheiro».", "não havia dinheiro", "admitiu", "loaded"),
        ("«Não havia dinheiro», disse o ministro.", "Não havia dinheiro", "disse", "neutral"),
        ("De minister erkende dat „er geen geld was”.", "er geen geld was", "erkende", "loaded"),
        ("De minister gaf gisteren toe: „Er was geen geld.”", "Er was geen geld.", "gaf", "loaded"),
        ("„Er was geen geld”, zei de minister.", "Er was geen geld", "zei", "neutral"),
        ("Ministern medgav att ”det fanns inga pengar”.", "det fanns inga pengar", "medgav", "loaded"),
        ("”Det fanns inga pengar”, uppgav ministern.", "Det fanns inga pengar", "uppgav", "neutral"),
        ("Ministeren indrømmede, at »der var ingen penge«.", "der var ingen penge", "indrømmede", "loaded"),
        ("»Der var ingen penge«, sagde ministeren.", "Der var ingen penge", "sagde", "neutral"),
        ("Statsråden innrømmet at «det var ingen penger».", "det var ingen penger", "innrømmet", "loaded"),
        ("«Det var ingen penger», uttalte statsråden.", "Det var ingen penger", "uttalte", "neutral"),
        ("部长承认：“我们没有钱。”", "我们没有钱。", "承认", "loaded"),
        ("部长坦言道：“我们没有钱。”", "我们没有钱。", "坦言道", "loaded"),
        ("部长表示：“我们没有钱。”", "我们没有钱。", "表示", "neutral"),
    ],
)
def test_reporting_verbs_of_the_listed_languages(sentence, quoted, verb, tone) -> None:
    start = sentence.index(quoted)
    end = start + len(quoted)
    att = find_attribution(sentence, start, end, (0, len(sentence)), [(start, end)])
    assert att is not None and att.verb is not None
    assert (att.verb.text, att.verb.tone) == (verb, tone)


def test_every_language_the_readme_names_has_loaded_and_neutral_verbs() -> None:
    """The README's list of languages is the data file's: each has neutral and loaded verbs, and a
    language with few is named as such."""
    from tui.core.lexicon.words import rows

    tones: dict[str, set[str]] = {}
    lemmas: dict[str, set[str]] = {}
    for row in rows("tui.core.lexicon", "reporting_verbs.tsv"):
        tones.setdefault(row[0], set()).add(row[1])
        lemmas.setdefault(row[0], set()).add(row[2])
    assert all(t == {"neutral", "loaded"} for t in tones.values()), tones
    assert all(len(v) >= 20 for k, v in lemmas.items() if k != "pl"), {k: len(v) for k, v in lemmas.items()}


def test_the_verb_before_a_quotation_stands_beside_a_source_phrase_after_it(tmp_path) -> None:
    claims, quotes = _cues(
        tmp_path,
        "The minister admitted the government had “abandoned the suburbs”, according to "
        "[a Q&A](https://a.example/r).",
    )
    assert claims == [[("admitted", "loaded"), ("according to", "neutral")]]
    assert quotes == [[("admitted", "loaded")]]
