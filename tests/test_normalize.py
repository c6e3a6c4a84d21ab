"""Folding typography while keeping a map back to the original offsets."""

from __future__ import annotations

import pytest

from tui.core.normalize import fold, fold_text


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("“Quoted”", "quoted"),
        ("it’s ‘fine’", "its fine"),
        ('he said "it\'s «fine»"', "he said its fine"),
        ("pre—post – mid‑word −3", "pre-post - mid-word -3"),
        ("line\nbreak\r\n\tand  spaces\u00a0nbsp", "line break and spaces nbsp"),
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("ﬁnal ﬂow oﬃce", "final flow office"),
        ("UPPER İstanbul", "upper istanbul"),
        ("wait…", "wait..."),
        ("a \u00ad b", "a b"),
    ],
)
def test_folding(raw: str, folded: str) -> None:
    assert fold_text(raw) == folded


def test_offsets_map_back_through_collapsed_whitespace_and_ligatures() -> None:
    raw = "The  ﬁrst\n\nline\u00ad s “quote”"
    f = fold(raw)
    assert f.text == "the first line s quote"
    i = f.text.index("first")
    start, end = f.span_to_original(i, i + len("first"))
    assert raw[start:end] == "ﬁrst"
    i = f.text.index("line s")
    start, end = f.span_to_original(i, i + len("line s"))
    assert raw[start:end] == "line\u00ad s"
    i = f.text.index("quote")
    start, end = f.span_to_original(i, i + 5)
    assert raw[start:end] == "quote"
    assert f.to_original(len(f.text)) == len(raw)


def test_every_folded_character_comes_from_its_original_character() -> None:
    raw = "A\u00a0b\u00ad\u00adc  —  ﬃ’x\n\ny…z"
    f = fold(raw)
    for i, ch in enumerate(f.text):
        o = f.to_original(i)
        assert ch in fold_text(raw[o]) or (ch == " " and raw[o].isspace())


def test_empty_and_whitespace_only() -> None:
    assert fold("").text == ""
    assert fold("").to_original(0) == 0
    f = fold(" \n\t ")
    assert f.text == " "
    assert f.span_to_original(0, 1) == (0, 1)


def test_accents_fold_whether_composed_decomposed_or_dropped() -> None:
    assert fold_text("Café Pokémon") == fold_text("Cafe\u0301 Poke\u0301mon") == "cafe pokemon"
    assert fold_text("Łódź ñ ç") == "łodz n c"
