"""Archived copies of dead sources (Memento, RFC 7089) from a fake TimeGate on 127.0.0.1 with two captures."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import LocalServer

from tui.cli import main
from tui.core.article import load_article_file
from tui.core.article.dates import byline_date, html_published, iso_date, text_date
from tui.core.fetch import FetchConfig
from tui.core.fetch.gone import gone_reason
from tui.core.fetch.memento import accept_datetime, memento_datetime, original_bytes_url
from tui.core.fetch.messages import network_failure
from tui.core.models import FetchResult, Source
from tui.core.settings import WAYBACK_TIMEGATE, load_settings

CAPTURES = {  # timestamp -> what the page said then
    "20240115093000": "In January 2024 the board said the reservoir was “fully funded for a decade.”",
    "20250301120000": "In March 2025 the board said the reservoir was “funded until the end of the year.”",
}


def page(words: str) -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Reservoir plan | Valley Post</title></head>"
        f"<body><article><h1>Reservoir plan</h1><p>{words}</p><p>The board meets again in the spring, when "
        "it will publish the full accounts of the reservoir programme and the cost of repairs.</p>"
        "</article></body></html>"
    ).encode()


class FakeTimeGate:
    """`GET /web/<original>` with Accept-Datetime -> 302 to the closest capture, Wayback-style URLs;
    `/web/<stamp>id_/<original>` -> the original bytes with Memento-Datetime; the toolbar form is a trap."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str | None]] = []
        gate = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                gate.hits.append((self.path, self.headers.get("Accept-Datetime")))
                rest = self.path.removeprefix("/web/")
                stamp, _, original = rest.partition("/")
                if stamp.endswith("id_") and stamp[:-3] in CAPTURES:
                    when = datetime.strptime(stamp[:-3], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                    headers = {
                        "Memento-Datetime": format_datetime(when, usegmt=True),
                        "Link": f"<{original}>",
                    }
                    return self._send(200, page(CAPTURES[stamp[:-3]]), headers)
                if stamp in CAPTURES:  # the replay page, with the archive's toolbar: never what we want
                    return self._send(200, b"<html><body>WAYBACK TOOLBAR</body></html>", {})
                if "captures" not in original and "gone" not in rest:
                    return self._send(404, b"<html><body>not archived</body></html>", {})
                wanted = parsedate_to_datetime(self.headers.get("Accept-Datetime") or "")
                best = min(
                    CAPTURES,
                    key=lambda s: abs(datetime.strptime(s, "%Y%m%d%H%M%S").replace(tzinfo=UTC) - wanted),
                )
                self._send(302, b"", {"Location": f"/web/{best}/{rest}", "Vary": "accept-datetime"})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.2:{self.httpd.server_address[1]}/web/"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def timegate() -> Iterator[FakeTimeGate]:
    gate = FakeTimeGate()
    try:
        yield gate
    finally:
        gate.stop()


ARTICLE = """---
title: Who pays for the reservoir?
date: {date}
---

# Who pays for the reservoir?

The board told the [Valley Post]({dead}) that the reservoir was "funded until the end of the year."
"""


def write_article(tmp_path: Path, dead: str, date: str = "2025-03-04") -> Path:
    path = tmp_path / "reservoir.md"
    path.write_text(ARTICLE.format(dead=dead, date=date), encoding="utf-8")
    return path


def check(capsys, *args: str, fmt: str = "json") -> dict | str:
    code = main(["check", *args, "--format", fmt, "--allow-private"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if fmt == "json" else out


def test_a_dead_link_is_read_from_the_capture_closest_to_the_article_date(
    tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    dead = local_server.url("/2025/captures/reservoir")  # not registered: 404
    article = write_article(tmp_path, dead)
    report = check(capsys, str(article), "--memento-timegate", timegate.url)
    link = report["links"][0]
    fetch = link["fetch"]
    assert fetch["status"] == "ok" and fetch["error"] is None
    assert fetch["failure"] == "gone"  # the live link is still dead: the audit counts it so
    memento = fetch["memento"]
    assert memento["url"] == f"{timegate.url}20250301120000id_/{dead}"  # the original bytes, not the toolbar
    assert memento["datetime"] == "2025-03-01T12:00:00Z"
    assert memento["original_error"].startswith("The server answered 404 Not Found")
    [quote] = link["quotes"]
    assert quote["match"] == "verbatim"
    # Accept-Datetime came from the article's own date (front matter), as RFC 1123
    gate_hits = [(path, when) for path, when in timegate.hits if when]
    assert gate_hits and gate_hits[0][1] == "Tue, 04 Mar 2025 12:00:00 GMT"
    assert not any(path == f"/web/20250301120000/{dead}" for path, _ in timegate.hits)
    text = check(capsys, str(article), "--memento-timegate", timegate.url, fmt="text")
    assert f"archived copy of {dead} from 1 March 2025" in text
    assert "the live page failed: The server answered 404" in text
    code = main(["export", str(article), "--memento-timegate", timegate.url, "--allow-private"])
    exported = capsys.readouterr().out
    assert code == 0 and "archived copy of" in exported and "1 March 2025" in exported


def test_article_date_option_picks_the_other_capture(
    tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    dead = local_server.url("/captures/old")
    article = write_article(tmp_path, dead)
    report = check(
        capsys,
        str(article),
        "--memento-timegate",
        timegate.url,
        "--article-date",
        "2024-02-01",
        "--no-archive",
    )
    fetch = report["links"][0]["fetch"]
    assert fetch["memento"]["datetime"] == "2024-01-15T09:30:00Z"
    [quote] = report["links"][0]["quotes"]
    assert (quote["match"], quote["searched"]) == ("not_found", True)  # the 2024 copy said something else


def test_no_memento_leaves_the_error(
    tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    dead = local_server.url("/captures/x")
    article = write_article(tmp_path, dead)
    report = check(capsys, str(article), "--memento-timegate", timegate.url, "--no-memento", "--no-archive")
    fetch = report["links"][0]["fetch"]
    assert fetch["status"] == "error" and fetch["memento"] is None and fetch["failure"] == "gone"
    assert fetch["error"].startswith("The server answered 404")
    assert timegate.hits == []
    assert report["links"][0]["quotes"][0]["searched"] is False


def test_the_copy_is_replayed_from_the_evidence_archive(
    tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    dead = local_server.url("/captures/replayed")
    article = write_article(tmp_path, dead)
    check(capsys, str(article), "--memento-timegate", timegate.url)
    asked = len(timegate.hits)
    again = check(capsys, str(article), "--memento-timegate", timegate.url, "--offline")
    assert again["links"][0]["fetch"]["memento"]["datetime"] == "2025-03-01T12:00:00Z"
    assert again["links"][0]["fetch"]["failure"] == "gone"
    assert len(timegate.hits) == asked  # nothing asked of the archive a second time


@pytest.mark.parametrize("status", [410, 500, 403])
def test_which_failures_ask_the_archive(
    status: int, tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    dead = local_server.route("/captures/s", b"<html><body>no</body></html>", status=status)
    article = write_article(tmp_path, dead)
    report = check(capsys, str(article), "--memento-timegate", timegate.url, "--no-archive")
    fetch = report["links"][0]["fetch"]
    # gone for good asks; a server error or a paywall may come back, so it stays an error
    assert (fetch["memento"] is not None) == (status == 410)
    assert fetch["failure"] == ("gone" if status == 410 else None)


def test_a_refused_connection_and_a_gone_page_ask_the_archive(
    tmp_path: Path, capsys, local_server: LocalServer, timegate: FakeTimeGate
) -> None:
    with contextlib.closing(__import__("socket").socket()) as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens once the socket is closed
    refused = f"http://127.0.0.1:{closed_port}/captures/refused"
    soft = local_server.route(
        "/captures/soft",
        "<html><head><title>Page not found | Valley Post</title></head><body><main><h1>Page not found</h1>"
        "<p>Sorry, the page you were looking for does not exist. Try the search box, or go back to the "
        "home page to find the latest news from the valley.</p></main></body></html>",
    )
    for dead in (refused, soft):
        article = write_article(tmp_path, dead)
        report = check(capsys, str(article), "--memento-timegate", timegate.url, "--no-archive")
        memento = report["links"][0]["fetch"]["memento"]
        assert memento is not None, report["links"][0]["fetch"]
        assert report["links"][0]["fetch"]["failure"] == ("refused" if dead == refused else "gone")
        assert ("refused the connection" in memento["original_error"]) == (dead == refused)
        assert ("says it is gone" in memento["original_error"]) == (dead == soft)


def test_no_capture_says_so_on_the_link(tmp_path: Path, capsys, local_server: LocalServer, timegate) -> None:
    dead = local_server.url("/never/archived")
    article = write_article(tmp_path, dead)
    report = check(capsys, str(article), "--memento-timegate", timegate.url, "--no-archive")
    fetch = report["links"][0]["fetch"]
    assert fetch["status"] == "error" and fetch["memento"] is None
    assert fetch["error"].endswith("has no archived copy of it either.")


async def test_the_network_policy_applies_to_the_timegate(timegate: FakeTimeGate) -> None:
    import httpx

    from tui.core.fetch.client import _Fetcher
    from tui.core.fetch.memento import find_memento
    from tui.core.netpolicy import new_client

    config = FetchConfig(allow_private=False, memento_timegate=timegate.url)
    failed = FetchResult(
        url="https://gone.example/a", error="The server answered 404 Not Found", failure="gone"
    )
    client = new_client(allow_private=False, timeout=httpx.Timeout(5.0), limits=httpx.Limits(), headers={})
    async with client:
        fetcher = _Fetcher(client, config, None, lambda _url, _event: None)
        copy, why_not = await find_memento(fetcher, failed.url, failed)
    assert copy is None
    assert why_not.startswith(
        "Asking 127.0.0.2 for an archived copy failed too: Refused: 127.0.0.2 is a loopback"
    )
    assert timegate.hits == []


# ---------------------------------------------------------------------------------------------------------
# Pieces


def test_wayback_urls_get_their_original_bytes_form() -> None:
    wb = "https://web.archive.org/web/20220405123456/https://example.com/a?b=1"
    assert original_bytes_url(wb) == "https://web.archive.org/web/20220405123456id_/https://example.com/a?b=1"
    assert original_bytes_url(wb.replace("123456/", "123456if_/")).count("id_/") == 1
    assert original_bytes_url("https://archive.example/memento/1") == "https://archive.example/memento/1"
    gate = "http://127.0.0.2:8080/web/"
    assert original_bytes_url(f"{gate}2024/x", gate) == f"{gate}2024id_/x"
    stamp = memento_datetime(FetchResult(url="x", final_url=wb), wb)
    assert stamp == "2022-04-05T12:34:56Z"
    with_header = FetchResult(url="x", headers=(("Memento-Datetime", "Tue, 05 Apr 2022 12:34:56 GMT"),))
    assert memento_datetime(with_header, "https://archive.example/m") == "2022-04-05T12:34:56Z"
    assert accept_datetime(datetime(2025, 3, 4, 7, 30, tzinfo=UTC)) == "Tue, 04 Mar 2025 07:30:00 GMT"


def test_default_timegate_is_the_wayback_machine_and_settings_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCECHECK_MEMENTO_TIMEGATE")
    assert load_settings().memento_timegate == WAYBACK_TIMEGATE == "https://web.archive.org/web/"
    settings = tmp_path / "settings.toml"
    settings.write_text('memento_timegate = "https://arquivo.example/wayback/"\n', encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_SETTINGS", str(settings))
    assert load_settings().memento_timegate == "https://arquivo.example/wayback/"
    monkeypatch.setenv("SOURCECHECK_MEMENTO_TIMEGATE", "off")
    assert load_settings().memento_timegate is None


def test_dns_and_refused_are_failures_for_good() -> None:
    import httpx

    config = FetchConfig()
    refused = httpx.ConnectError("boom")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert network_failure(refused, "http://a.example/x", config)[1] == "refused"
    gone = httpx.ConnectError("[Errno -2] Name or service not known")
    assert network_failure(gone, "http://a.example/x", config)[1] == "no_such_host"
    slow = httpx.ReadTimeout("slow")
    assert network_failure(slow, "http://a.example/x", config)[1] is None


def test_gone_pages_are_short_and_say_so() -> None:
    def source(title: str, text: str) -> Source:
        return Source("u", None, title, text, text)

    assert gone_reason(source("404 Not Found", "Sorry, we could not find that page."))
    assert gone_reason(source("Valley Post", "This page is no longer available. Return home."))
    assert gone_reason(source("example.org", "This domain is for sale! Make an offer."))
    assert gone_reason(source("Route 404 closed for repairs", "The road reopens in May.")) is None
    long_article = "An article about broken links: page not found errors cost shops money. " * 40
    assert gone_reason(source("Why page not found errors matter", long_article)) is None


def test_article_dates_from_metadata_json_ld_byline_front_matter(tmp_path: Path) -> None:
    import lxml.html

    meta = lxml.html.fromstring(
        '<html><head><meta property="article:published_time" '
        'content="2025-03-04T07:30:00+01:00"></head></html>'
    )
    assert html_published(meta) == "2025-03-04T06:30:00Z"
    ld = lxml.html.fromstring(
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
        '{"@type": "NewsArticle", "datePublished": "2024-11-02"}]}</script></head></html>'
    )
    assert html_published(ld) == "2024-11-02"
    assert text_date("By Hester Vane | 4 March 2025") == "2025-03-04"
    assert text_date("Posted March 4th, 2025 at noon") == "2025-03-04"
    assert iso_date("2025-02-30") is None
    prose = (
        "On 3 February 1974 the bridge closed, and it never reopened, whatever the council said later. " * 3
    )
    assert byline_date(prose, [(0, len(prose))]) is None  # a date in a long paragraph is not a byline
    article = load_article_file(Path(__file__).parent / "fixtures" / "copied-oped" / "copied-oped.md")
    spans = [(p.start, p.end) for p in article.paragraphs]
    assert byline_date(article.text, spans) == "2025-03-04"
    md = tmp_path / "a.md"
    md.write_text("---\ntitle: X\ndate: 2023-06-01\n---\n\nText.\n", encoding="utf-8")
    assert load_article_file(md).published == "2023-06-01"
