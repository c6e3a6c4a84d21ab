"""Every quotation convention: which marks open and close a quotation, in which language.

The texts are invented; each line is written the way the language's own press prints quotations.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.language import guess_language, primary
from tui.core.marks import closed_quote_spans, default_orientation
from tui.core.models import Article, Paragraph
from tui.core.quotes import find_quotes
from tui.core.sentences import sentence_spans


def quotations(text: str, language: str | None = None) -> list[list[str]]:
    """The quotations of a one-paragraph-per-line text, each as its list of pieces."""
    paragraphs, pos = [], 0
    for line in text.split("\n\n"):
        paragraphs.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 2
    article = Article("t.txt", None, text, tuple(paragraphs), (), language=language)
    out: dict[int, list[str]] = {}
    for q in find_quotes(article, ()):
        assert text[q.start : q.end] == q.text
        out.setdefault(q.quotation, []).append(q.text)
    return list(out.values())


NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP, THIN, ""])
def test_french_guillemets_with_any_space_and_narration_between(space: str) -> None:
    s = space
    text = (
        f"«{s}Nous ne fermerons pas la bibliothèque{s}», ajoute le maire, «{s}mais les horaires "
        f"changeront.{s}» Puis il est parti."
    )
    assert quotations(text, "fr") == [
        ["Nous ne fermerons pas la bibliothèque", "mais les horaires changeront."]
    ]
    assert quotations(text) == quotations(text, "fr")  # the guess from the text gives the same


def test_french_nested_quotes_of_both_kinds() -> None:
    text = (
        f"«{NNBSP}Il m’a dit{NNBSP}: “jamais”, puis «{NNBSP}peut-être{NNBSP}»{NNBSP}», raconte-t-elle. "
        f"Le maire parle d’un «{NBSP}malentendu{NBSP}»."
    )
    assert quotations(text, "fr") == [
        [f"Il m’a dit{NNBSP}: “jamais”, puis «{NNBSP}peut-être{NNBSP}»"],
        ["malentendu"],
    ]


def test_german_guillemets_point_inwards() -> None:
    text = "»Wir schaffen das«, sagte sie, »aber nicht allein.« Dann ging sie. Er nannte es »Unsinn«."
    assert quotations(text, "de") == [["Wir schaffen das", "aber nicht allein."], ["Unsinn"]]
    assert quotations(text) == quotations(text, "de")  # they balance only pointing inwards


def test_german_low_quotes_with_nested_singles() -> None:
    text = "„Er sagte ‚nein‘ und ging“, erzählte sie. Das sei „völlig normal“."
    assert quotations(text, "de") == [["Er sagte ‚nein‘ und ging"], ["völlig normal"]]


def test_swiss_german_uses_french_guillemets() -> None:
    text = "«Wir bleiben», sagte der Gemeinderat. Er sprach von «Zukunft»."
    assert quotations(text, primary("de-CH")) == [["Wir bleiben"], ["Zukunft"]]


def test_polish_and_hungarian_low_high_quotes() -> None:
    assert quotations("„To jest koniec” – powiedział wczoraj.", "pl") == [["To jest koniec"]]
    assert quotations("„Nem adjuk fel” – mondta a polgármester.", "hu") == [["Nem adjuk fel"]]


def test_russian_guillemets_with_nested_low_quotes() -> None:
    text = "«Он сказал „нет“ и ушёл», — сообщила она. «Это всё», — добавила она."
    assert quotations(text, "ru") == [["Он сказал „нет“ и ушёл"], ["Это всё"]]


@pytest.mark.parametrize("language", ["fi", "sv", None])
def test_same_mark_at_both_ends(language: str | None) -> None:
    fi = "”Kirjasto pysyy auki”, kaupunginjohtaja sanoi, ”mutta aukioloajat muuttuvat.” Hän lähti."
    assert quotations(fi, language) == [["Kirjasto pysyy auki", "mutta aukioloajat muuttuvat."]]
    sv = "»Vi stänger inte biblioteket», säger hon. Hon kallade det ’en tillfällig lösning’ i går."
    assert quotations(sv, language) == [["Vi stänger inte biblioteket"], ["en tillfällig lösning"]]


def test_danish_guillemets() -> None:
    assert quotations("»Vi lukker ikke biblioteket«, siger borgmesteren.", "da") == [
        ["Vi lukker ikke biblioteket"]
    ]


def test_japanese_corner_brackets_nested() -> None:
    text = (
        "市の担当者は「利用者の少ない朝の時間帯を見直し、職員を週末に回したい」と述べた。"
        "館長は「『無理だ』とは言わない」と話した。"
    )
    assert quotations(text, "ja") == [
        ["利用者の少ない朝の時間帯を見直し、職員を週末に回したい"],
        ["『無理だ』とは言わない"],
    ]
    assert guess_language(text) == "ja"


def test_chinese_curly_straight_and_corner_quotes() -> None:
    assert quotations("他说：“我们不会关闭图书馆。”然后离开了。", "zh") == [["我们不会关闭图书馆。"]]
    assert quotations('他说"我们走"。', "zh") == [["我们走"]]
    assert quotations("館長表示「圖書館不會關閉」。", "zh") == [["圖書館不會關閉"]]


def test_single_guillemets_follow_the_double_ones() -> None:
    assert quotations("Il a parlé de ‹ réforme › hier.", "fr") == [["réforme"]]
    assert quotations("Er sprach von ›Reform‹ gestern.", "de") == [["Reform"]]


def test_japanese_sentences_end_at_the_full_stop_outside_brackets() -> None:
    text = "担当者は「見直す。週末に回す。」と述べた。館長は反対した。"
    spans = sentence_spans(text, language="ja")
    assert [text[s.start : s.end] for s in spans] == [
        "担当者は「見直す。週末に回す。」と述べた。",
        "館長は反対した。",
    ]


def test_french_sentence_after_a_closed_quotation() -> None:
    text = f"Il a dit{NBSP}: «{NBSP}C’est fini{NBSP}!{NBSP}» Puis il est parti."
    spans = sentence_spans(text, language="fr")
    assert len(spans) == 2 and text[spans[1].start :] == "Puis il est parti."


def test_orientation_by_language() -> None:
    assert default_orientation("de") == "de" and default_orientation("fr") == "fr"
    assert default_orientation("sv") == "same" and default_orientation(None) == "fr"


def test_guess_language_from_function_words() -> None:
    assert (
        guess_language("Der Bürgermeister sagte, dass die Bibliothek nicht mit den Mitteln auskommt.") == "de"
    )
    assert (
        guess_language("Le maire a dit que la bibliothèque est dans une situation difficile pour les") == "fr"
    )
    assert guess_language("Kaupunginjohtaja sanoi, että kirjasto on auki ja se oli myös hyvä.") == "fi"
    assert guess_language("Мэр сказал, что библиотека останется открытой.") == "ru"
    assert guess_language("12 34") is None


_MARKY = st.text(alphabet="ab. ,'\"“”‘’«»„‚「」『』‹›\u00a0\u202f!?", max_size=80)


@settings(max_examples=300, deadline=None)
@given(_MARKY, st.sampled_from([None, "fr", "de", "sv", "ja"]))
def test_property_closed_spans_nest_and_stay_inside(text: str, language: str | None) -> None:
    spans = closed_quote_spans(text, 0, len(text), language)
    last = -1
    for s, e in spans:
        assert 0 <= s < e < len(text) and s >= last
        last = e
