"""The one reporting-verb lexicon and finder (tui/core/lexicon): the article side's `Quote.cue` and
`Quote.speaker` and the framing cues' verbs come from the same entries, in every language either reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from importlib import resources

import pytest

from tui.core.article import article_from_bytes
from tui.core.framing import ArticleFraming
from tui.core.lexicon import find_attribution, opening_phrase, verb_at
from tui.core.lexicon.words import rows
from tui.core.links import find_links
from tui.core.models import Span
from tui.core.quotes import find_quotes


def read(md: str):
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    links = find_links(article)
    quotes = find_quotes(article, links)
    return article, links, quotes, ArticleFraming(article, links, quotes)


def span_text(article, span: Span | None) -> str | None:
    return article.text[span.start : span.end] if span is not None else None


# (article text, the quoted words, cue as printed, speaker as printed, tone the framing cue reports)
CASES = [
    (
        "“We will appeal,” said Councillor Ruth Abbey.",
        "We will appeal,",
        "said",
        "Councillor Ruth Abbey",
        "neutral",
    ),
    (
        "The minister confided that “we never had the money”.",
        "we never had",
        "confided",
        "The minister",
        "loaded",
    ),
    ("„Wir bleiben hier“, sagte die Ministerin.", "Wir bleiben", "sagte", "die Ministerin", "neutral"),
    ("„Wir bleiben hier“, so Müller.", "Wir bleiben", "so", "Müller", "neutral"),
    ("« Tout va bien », ajoute-t-il.", "Tout va bien", "ajoute", "il", "neutral"),
    ("« Tout va bien », a confié la ministre.", "Tout va bien", "a confié", "la ministre", "loaded"),
    (
        "«No vamos a cerrar», dijo el concejal de Hacienda, Luis Prieto.",
        "No vamos",
        "dijo",
        "Luis Prieto",
        "neutral",
    ),
    (
        "«Non chiuderemo», ha sottolineato il sindaco.",
        "Non chiuderemo",
        "ha sottolineato",
        "il sindaco",
        "loaded",
    ),
    ("“Wij sluiten niet”, aldus de wethouder.", "Wij sluiten", "aldus", "de wethouder", "neutral"),
    ("”Vi stänger inte”, säger hon.", "Vi stänger", "säger", "hon", "neutral"),
    ("„Nie zamkniemy mostu” – przyznaje burmistrz.", "Nie zamkniemy", "przyznaje", "burmistrz", "loaded"),
    (
        "”Kirjasto pysyy auki”, kaupunginjohtaja sanoi.",
        "Kirjasto pysyy",
        "sanoi",
        "kaupunginjohtaja",
        "neutral",
    ),
    ("«Мост не закроют», — заявил мэр.", "Мост не", "заявил", "мэр", "neutral"),
    ("市の担当者は「図書館は閉めない」と強調した。", "図書館は", "と強調した", "市の担当者", "loaded"),
    ("读者代表李明说：“图书馆不会关门。”", "图书馆不会", "说", "读者代表李明", "neutral"),
]


@pytest.mark.parametrize(("md", "quoted", "cue", "speaker", "tone"), CASES)
def test_one_reading_of_cue_and_speaker_for_both_sides(md, quoted, cue, speaker, tone) -> None:
    article, _links, quotes, framing = read(md)
    quote = next(q for q in quotes if q.text.startswith(quoted))
    assert span_text(article, quote.cue) == cue
    assert span_text(article, quote.speaker) == speaker
    verbs = [c for c in framing.quote_cues(quote) if c.cue == "attribution_verb"]
    assert [(c.text, c.tone, c.article_start) for c in verbs] == [(cue, tone, quote.cue.start)]


def test_framing_reads_the_quote_cue_rather_than_finding_it_again() -> None:
    article, _links, quotes, framing = read("“No,” she said, and she confided “never”.")
    first = quotes[0]
    # point the first quote's cue at "confided": the framing cue follows the quote, whatever the text says
    at = article.text.index("confided")
    moved = replace(first, cue=Span(at, at + len("confided")))
    verbs = [c for c in framing.quote_cues(moved) if c.cue == "attribution_verb"]
    assert [(c.text, c.tone) for c in verbs] == [("confided", "loaded")]


def test_japanese_quotative_to_before_an_unlisted_verb_is_a_cue_without_a_tone() -> None:
    article, _links, quotes, framing = read("市長は「閉めない」とつぶやいた。")
    assert span_text(article, quotes[0].cue) == "と" and span_text(article, quotes[0].speaker) == "市長"
    assert not [c for c in framing.quote_cues(quotes[0]) if c.cue == "attribution_verb"]  # tone unknown


@pytest.mark.parametrize(
    "md",
    [
        "The council [continued](https://c.example/a) to meet on Tuesdays.",  # quotation scope only
        "It was [so](https://c.example/a) cold that the meeting moved indoors.",  # tail scope only
        "Die Stadt [plant](https://c.example/a) so viel wie nie.",
    ],
)
def test_verbs_of_narrow_scope_are_never_a_claims_verb(md) -> None:
    _article, links, _quotes, framing = read(md)
    assert [c for c in framing.claim_cues(links[0]) if c.cue == "attribution_verb"] == []


def test_a_verb_of_quotation_scope_introduces_a_quotation() -> None:
    article, _links, quotes, _framing = read("“And then the ramps,” she went on. “They are not sound.”")
    assert span_text(article, quotes[0].cue) == "went on"
    assert span_text(article, quotes[0].speaker) == "she"


def test_so_is_a_verb_only_right_after_a_quotation() -> None:
    text = "It was so “bad” that nobody came."
    i = text.index("bad")
    assert find_attribution(text, i, i + 3, (0, len(text)), [(i, i + 3)]) is None


@pytest.mark.parametrize(
    ("narration", "phrase"),
    [
        (", she said, ", ", she said"),
        (", said Kim Lee, ", ", said Kim Lee"),
        (", Petra Lind, the operations director, said, ", ", Petra Lind, the operations director, said"),
        (", — заявил он, — ", ", — заявил он"),
        (", so Müller, ", ", so Müller"),
        (" claims the new ground will bring ", None),  # the quotation is the verb's subject
        (" ever since. According to the briefing, ", None),  # a new sentence, not an attribution
        (", sagte der Gemeinderat. Er sprach von ", ", sagte der Gemeinderat"),
    ],
)
def test_opening_phrase(narration, phrase) -> None:
    end = opening_phrase(narration, 0, len(narration))
    assert (narration[:end] if end is not None else None) == phrase


def test_verb_at_gives_the_tone_of_a_printed_cue() -> None:
    text = "He pointed out that it rained and she a confié que non."
    assert verb_at(text, 3, 14).tone == "loaded"
    at = text.index("a confié")
    assert (verb_at(text, at, at + 8).lemma, verb_at(text, at, at + 8).tone) == ("confier", "loaded")
    assert verb_at(text, 0, 2) is None


def test_the_verb_list_is_one_consistent_table() -> None:
    """Every line has its eight columns with known values, and no form is listed twice in a language
    with two tones (a verb added twice, once each way, is the drift one list prevents)."""
    header = resources.files("tui.core.lexicon").joinpath("data", "reporting_verbs.tsv").read_text("utf-8")
    assert "Source:" in header and "Licence" in header
    tones: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows("tui.core.lexicon", "reporting_verbs.tsv"):
        assert len(row) == 8, row
        lang, tone, lemma, forms, noun, scope, speaker, kind = row
        listed = {f.strip() for f in forms.split("|")}
        assert tone in ("neutral", "loaded") and (noun in ("noun", "-") or set(noun.split("|")) <= listed), (
            row
        )
        assert scope in ("any", "quotation", "tail") and speaker in ("before", "after"), row
        assert kind in ("verb", "source"), row
        assert lemma and forms
        for form in forms.split("|"):
            tones[(lang, form)].add(tone)
    assert not {k: v for k, v in tones.items() if len(v) > 1}


def test_article_side_speakers_that_do_not_veto_a_link() -> None:
    """A role tied to someone just named ("Her deputy"), "It" (a thing) and a capital that only opens a
    sentence ("Critics") name no one the article side can check a link's prose against."""
    md = (
        "Mayor Ines Calloway told the [Ledger](https://ledger.example/a) the vote was a turning point. "
        "Her deputy, Tomas Reyes, was blunter: “If you want the ’90s back, vote for the other lot.”\n\n"
        "The agency's [own press release](https://agency.example/r) is candid. It says the closure will "
        "save “£4.2 million a year”. Critics have called the closure “asset stripping”."
    )
    _article, links, quotes, _framing = read(md)
    got = [
        (q.text[:12], links[q.link_index].anchor_text if q.link_index is not None else None) for q in quotes
    ]
    assert got == [
        ("If you want ", "Ledger"),
        ("£4.2 million", "own press release"),
        ("asset stripp", "own press release"),
    ]


async def test_the_pipeline_reads_each_paragraph_and_each_quotation_once(tmp_path, monkeypatch) -> None:
    """Work done once: each paragraph is split into sentences once for claims, quotes and framing, and
    framing reads each quotation's verb from `Quote.cue` instead of running the finder again."""
    import tui.core.framing.framer as framer
    import tui.core.sentences as sentences
    from tui.core.pipeline import CheckOptions, check_location

    splits: list[tuple[int, int]] = []
    real_split = sentences.sentence_spans
    monkeypatch.setattr(
        sentences,
        "sentence_spans",
        lambda text, s=0, e=None, lang=None: splits.append((s, e)) or real_split(text, s, e, lang),
    )
    found_again: list[int] = []
    real_find = framer.find_attribution
    monkeypatch.setattr(
        framer, "find_attribution", lambda *a, **k: found_again.append(1) or real_find(*a, **k)
    )
    path = tmp_path / "a.md"
    path.write_text(
        "# T\n\n“We will appeal,” said [Ruth Abbey](https://a.example/1). She confided that “it hurt”.\n\n"
        "The [report](https://b.example/2) found “a gap”, the minister admitted, and “no plan”.\n",
        encoding="utf-8",
    )
    checker = await check_location(str(path), CheckOptions(fetch=False, use_archive=False))
    assert len(splits) == len(set(splits)) == 2  # two paragraphs with links and quotes, each split once
    assert found_again == []
    verbs = [c.text for q in checker.found_quotes for c in q.framing if c.cue == "attribution_verb"]
    assert verbs == ["said", "confided", "found", "found"]
