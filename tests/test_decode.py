"""The one bytes -> str reader (tui/core/decode.py): encodings as a browser decodes them."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.article import article_from_bytes
from tui.core.decode import decode_bytes, meta_charset, normalize_label
from tui.core.extract import extract_source
from tui.core.models import FetchResult

RU = "Совет директоров поручил проверку трёх независимых инженеров, сообщила пресс-служба компании."
JA = "港湾局は、新しい防波堤の工事について「慎重な検討が必要だ」と述べた。市民の意見は分かれている。"
CSS = "".join(f".rule-{i} {{ margin: {i}px; padding: 0 {i}px; color: #{i:03d}; }}\n" for i in range(200))


def _page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body><article><p>{body}</p></article></body></html>"


def test_late_meta_charset_in_head_is_honoured() -> None:
    """A <meta charset> after 5+ KB of inline CSS still decides the encoding (browsers re-decode)."""
    html = _page(RU * 3, head=f"<style>{CSS}</style><meta charset='windows-1251'><title>Новости</title>")
    body = html.encode("cp1251")
    assert body.index(b"windows-1251") > 5000
    decoded = decode_bytes(body, "text/html")
    assert (decoded.encoding, decoded.how) == ("cp1251", "meta")
    src = extract_source(FetchResult(url="https://t.example/", body=body, content_type="text/html"))
    assert "трёх независимых инженеров" in src.text
    article = article_from_bytes(body, content_type="text/html", location="a", base_url=None)
    assert "независимых инженеров" in article.text


def test_meta_inside_a_comment_script_or_after_the_head_is_not_a_declaration() -> None:
    assert meta_charset(b"<head><!-- <meta charset='koi8-r'> --><title>t</title></head>") is None
    assert meta_charset(b"<head><script>x='<meta charset=koi8-r>'</script></head>") is None
    assert meta_charset(b"<head></head><body><meta charset='koi8-r'>") is None
    assert (
        meta_charset(b'<head><meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">')
        == "koi8-r"
    )


def test_undeclared_shift_jis_is_detected() -> None:
    body = _page(JA * 3).encode("shift_jis")
    decoded = decode_bytes(body, "text/html")
    assert decoded.how == "detected" and decoded.encoding == "cp932"
    src = extract_source(FetchResult(url="https://t.example/", body=body, content_type="text/html"))
    assert "慎重な検討が必要だ" in src.text


def test_undeclared_windows_1251_is_detected_not_read_as_windows_1252() -> None:
    body = _page(RU * 3).encode("cp1251")
    assert "независимых" in decode_bytes(body, None).text


def test_undeclared_western_text_stays_windows_1252() -> None:
    text = "Die Bürger müssen größere Straßen überqueren, sagte der Bürgermeister – „vorsichtig“. " * 4
    decoded = decode_bytes(_page(text).encode("cp1252"), None)
    assert decoded.encoding == "cp1252" and "„vorsichtig“" in decoded.text


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("latin1", "cp1252"),
        ("Shift_JIS", "cp932"),
        ("x-sjis", "cp932"),
        ("gb2312", "gb18030"),
        ("euc-kr", "cp949"),
        ("iso-8859-9", "cp1254"),
        ("tis-620", "cp874"),
        ("big5", "big5hkscs"),
        ("x-mac-cyrillic", "mac-cyrillic"),
        ("utf8", "utf-8"),
        ("iso-2022-kr", None),  # the standard's "replacement" encoding: ignored
        ("no-such-charset", None),
    ],
)
def test_whatwg_labels(label: str, codec: str | None) -> None:
    assert normalize_label(label) == codec


def test_xml_declaration_and_bom() -> None:
    body = "<?xml version='1.0' encoding='windows-1251'?><html><body><p>Привет</p></body></html>".encode(
        "cp1251"
    )
    assert decode_bytes(body, "application/xhtml+xml").how == "xml"
    assert decode_bytes(codecs.BOM_UTF8 + "é".encode(), "text/html; charset=iso-8859-1").text == "é"


_PIECES = [
    b"<!--", b"-->", b"<script>", b"</script>", b"</SCRIPT >", b"<Style x>", b"</style\n>", b"<title>",
    b"</title>", b"<textarea>", b"</textarea", b"<template>", b"</template>", b"<titles>", b"<scriptx>", b"a",
    b" ", b"<meta charset=x>", b"</head>", b"<body>", b">", b"<", b"-", b"<!-->", b"\n", b"</scr", b"ipt>",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_blanking_comments_and_scripts_is_the_one_pattern_it_replaced(pieces: list[bytes]) -> None:
    """What the <meta> scan blanks (comments; script, style, template, textarea and title elements, each up
    to its end tag or to the end) is exactly what a single lazy pattern blanked, found piece by piece."""
    from tui.core.decode import _markup_only

    reference = re.compile(
        rb"<!--.*?(?:-->|\Z)|<(script|style|template|textarea|title)\b.*?(?:</\1\s*>|\Z)",
        re.IGNORECASE | re.DOTALL,
    )
    head = b"".join(pieces)
    assert _markup_only(head) == reference.sub(b" ", head)
