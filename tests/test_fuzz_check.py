"""Fuzzing `sourcecheck check` with arbitrary bytes as the article and as a source (issue 16).

Whatever the bytes, `check` returns 0 (the article was read) or 2 (one line saying why not), no
exception escapes, and nothing that a terminal interprets reaches stdout or stderr: no ESC, no C1
control (0x9B is a one-byte CSI, 0x9D a one-byte OSC), no BEL or other C0 control but the newline, no
bidi override or invisible tag character, and no traceback.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tui.cli import main

URL = "http://news.example.org/report"
PIECES = [
    "\x1b]52;c;cm0gLXJmIH4K\x07",  # OSC 52: write the clipboard
    "\x1b[2J",  # clear the screen
    "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",  # one-byte CSI
    "\x9d0;title\x9c",  # one-byte OSC
    "\u202egnol\u202c",
    "quo\u200bte",
    "\U000e0041\U000e0042",  # tag characters
    "\x00",
    '"urgent but manageable"',
    "“a quote” ",
    f"[link]({URL})",
    f'<a href="{URL}">source</a>',
    '<a href="http://x.test/\x1b]52;c;eA==\x07">bad</a>',
    "<p>",
    "</p>",
    "<script>",
    "\n\n",
    "%PDF-1.4\n",
    "<html><body>",
]
hostile_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=40), max_size=25).map("".join)
hostile_bytes = st.one_of(
    st.binary(max_size=3000),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16")),
    hostile_text.map(lambda t: t.encode("latin-1", "replace")),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 0x20 and ch != "\n")
        or 0x7F <= code <= 0x9F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or 0xE0000 <= code <= 0xE007F
        or unicodedata.category(ch) == "Cs"
    )


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> None:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    for name, text in (("stdout", out), ("stderr", err)):
        bad = sorted({f"U+{ord(c):04X}" for c in text if _unsafe(c)})
        assert not bad, f"{name} carries {bad}: {text[:300]!r}"
        assert "Traceback" not in text
    if code == 2:
        assert out == "" and err.startswith("sourcecheck: ") and err.count("\n") == 1


@FUZZ
@given(
    body=hostile_bytes,
    suffix=st.sampled_from([".md", ".html", ".txt"]),
    fmt=st.sampled_from(["text", "json"]),
)
def test_any_bytes_as_the_article(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    suffix: str,
    fmt: str,
) -> None:
    path = tmp_path_factory.mktemp("a") / f"article{suffix}"
    path.write_bytes(body)
    _run(capsys, str(path), "--offline", "--format", fmt)


@FUZZ
@given(
    body=hostile_bytes,
    ctype=st.sampled_from(["text/html", "text/plain", "application/pdf", "application/octet-stream", ""]),
    coding=st.sampled_from([None, "gzip", "deflate", "br", "zstd", "x-bogus"]),
    fmt=st.sampled_from(["text", "json", "markdown"]),
)
def test_any_bytes_as_a_source(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    ctype: str,
    coding: str | None,
    fmt: str,
) -> None:
    folder = tmp_path_factory.mktemp("s")
    article = folder / "a.md"
    article.write_text(f'Officials called the repairs "urgent but manageable" ([source]({URL})).\n')
    _bundle(folder / "a.warc.gz", body, ctype, coding)
    _run(capsys, str(article), "--offline", "--format", fmt)


def _bundle(path: Path, body: bytes, ctype: str, coding: str | None) -> None:
    headers = [("Content-Type", ctype)] if ctype else []
    if coding:
        headers.append(("Content-Encoding", coding))
    headers.append(("Content-Length", str(len(body))))
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warc_record(
                URL,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": "2026-01-01T00:00:00Z"},
            )
        )


def test_an_href_carrying_a_terminal_escape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reproducer osc52-href.html: httpx raised InvalidURL, uncaught, and the log printed the URL raw."""
    path = tmp_path / "osc52-href.html"
    path.write_text(
        "<!doctype html><html><head><title>t</title></head><body><article><p>The minister said the bridge "
        'was "urgent but manageable", according to <a href="http://example.com/&#27;]52;c;cm0gLXJmIH4K&#7;'
        '&#27;[2J">the ministry</a>. Filler prose about the bridge and its history.</p></article>'
        "</body></html>"
    )
    for fmt in ("text", "json"):
        main_code = main(["check", str(path), "--allow-private", "--format", fmt])
        out, err = capsys.readouterr()
        assert main_code == 0
        assert not any(_unsafe(c) for c in out + err) and "Traceback" not in err
        assert "Not a valid web address: http://example.com/" in out
