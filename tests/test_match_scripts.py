"""Scripts written without spaces (Japanese, Chinese, Thai): an altered quote is found on characters
and reported `altered` with a character diff, never `not_found`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.match import match_quote
from tui.core.models import Source
from tui.core.worddiff import tokenize


def _source(text: str) -> Source:
    return Source(url="https://s.example/", final_url=None, title=None, text=text, page_text=text)


CASES = [
    (  # Japanese: 夜間 (night) became 朝 (morning)
        "市は、利用者の少ない夜間の時間帯を見直し、職員を週末に回したいと説明した。図書館は火曜日に休館する。",
        "利用者の少ない朝の時間帯を見直し、職員を週末に回したい",
        ("夜間", "朝"),
    ),
    (  # Chinese: 三 (three) became 五 (five)
        "市长表示，图书馆将在未来三年内延长开放时间，并增加周末的工作人员。",
        "图书馆将在未来五年内延长开放时间，并增加周末的工作人员",
        ("三", "五"),
    ),
    (  # Thai: เช้า (morning) became เย็น (evening)
        "นายกเทศมนตรีกล่าวว่าห้องสมุดจะเปิดให้บริการตอนเช้าทุกวันตั้งแต่เดือนหน้าเป็นต้นไป",
        "ห้องสมุดจะเปิดให้บริการตอนเย็นทุกวันตั้งแต่เดือนหน้า",
        ("ช้า", "ย็น"),
    ),
]


@pytest.mark.parametrize("source, quote, change", CASES)
def test_altered_quote_in_a_script_without_spaces(source: str, quote: str, change: tuple[str, str]) -> None:
    found = match_quote(quote, _source(source))
    assert found.match == "altered", found
    assert 0.8 <= found.similarity < 1.0
    removed = "".join(t for op, t in found.diff if op == -1)
    added = "".join(t for op, t in found.diff if op == 1)
    assert change[0] in removed and change[1] in added  # the characters that changed, not the whole run
    assert len(removed) <= 4 and len(added) <= 4


@pytest.mark.parametrize("source, quote, change", CASES)
def test_verbatim_quote_in_a_script_without_spaces(source: str, quote: str, change: tuple[str, str]) -> None:
    original = quote.replace(change[1], change[0])
    found = match_quote(original, _source(source))
    assert found.match == "verbatim"
    assert found.source_text == original


def test_a_fabricated_japanese_quote_is_not_found() -> None:
    found = match_quote("駅前の再開発は来年から始まる予定だと発表した", _source(CASES[0][0]))
    assert found.match == "not_found"


def test_tokens_are_characters_only_where_there_are_no_spaces() -> None:
    assert tokenize("東京都 said “no”") == ["東", "京", "都", " ", "said", " ", "“no”"]


# Sentence-final and clause punctuation of scripts other than Latin: Japanese/Chinese 。、，！？ and the
# fullwidth and halfwidth forms, Arabic ؟ ، ۔, Devanagari ।, Armenian ։, Ethiopic ።, Greek ; (U+037E),
# Spanish ¿ ¡ at the start
EDGE_MARKS = "。．！？，、；：｡､﹒﹗﹖؟،۔।॥։።፣;‼⁉"
JA_SENTENCE = "中央図書館は来年三月末で閉館し、新しい施設は駅前に建設する予定です"
ZH_SENTENCE = "我们会尽快完成新馆的建设工作"


@pytest.mark.parametrize("mark", list(EDGE_MARKS))
@pytest.mark.parametrize("sentence", [JA_SENTENCE, ZH_SENTENCE])
def test_sentence_punctuation_at_the_quotes_edge_is_the_articles(sentence: str, mark: str) -> None:
    """「…。」 against a source whose sentence has no 。 there is verbatim, as "….” is in English."""
    src = _source(f"市長は「{sentence}」と説明した。利用者からは反対の声も上がっている。")
    found = match_quote(sentence + mark, src)
    assert (found.match, found.similarity, found.diff) == ("verbatim", 1.0, ((0, sentence),))
    lead = "¿" if mark in ";‼⁉" else mark
    found = match_quote(lead + sentence, src)
    assert (found.match, found.similarity, found.diff) == ("verbatim", 1.0, ((0, sentence),))


@pytest.mark.parametrize("mark", list("。．！？｡"))
def test_an_altered_quote_shows_only_its_change_not_the_final_mark(mark: str) -> None:
    src = _source(f"市長は「{JA_SENTENCE}」と説明した。")
    found = match_quote(JA_SENTENCE.replace("三", "四") + mark, src)
    assert found.match == "altered"
    assert [(op, t) for op, t in found.diff if op] == [(-1, "三"), (1, "四")]


@pytest.mark.parametrize("inner", ["。", "！", "？", "．", "；"])
def test_a_changed_punctuation_mark_inside_the_quote_stays_visible(inner: str) -> None:
    src = _source(f"市長は「{JA_SENTENCE}」と説明した。")
    quote = JA_SENTENCE.replace("、", inner) + "。"
    found = match_quote(quote, src)
    assert found.match != "verbatim" and found.similarity < 1.0
    assert (1, inner) in found.diff and (-1, "、") in found.diff


@settings(max_examples=80, deadline=None)
@given(
    st.text(alphabet="図書館市長閉館予定駅前建設新施設来年三月末我们会尽快完成工作", min_size=4, max_size=30),
    st.text(alphabet=EDGE_MARKS, min_size=1, max_size=2),
    st.text(alphabet=EDGE_MARKS, max_size=2),
)
def test_edge_punctuation_never_decides_the_verdict(sentence: str, tail: str, head: str) -> None:
    """Whatever sentence punctuation sits at either edge of a quote, it is found as the bare quote is."""
    src = _source("市は発表した。" + sentence + "と述べた。")
    bare = match_quote(sentence, src)
    marked = match_quote(head + sentence + tail, src)
    assert (marked.match, marked.similarity, marked.source_start, marked.source_end, marked.diff) == (
        bare.match,
        bare.similarity,
        bare.source_start,
        bare.source_end,
        bare.diff,
    )
