"""Scripts written without spaces (Japanese, Chinese, Thai): an altered quote is found on characters
and reported `altered` with a character diff, never `not_found`."""

from __future__ import annotations

import pytest

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
