"""The fetcher against real local HTTP servers (127.0.0.x only): limits, errors, caps, archive, events."""

from __future__ import annotations

import asyncio
import gzip
import resource
import threading
import time
import zlib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import LocalServer

from tui.core.archive import Archive
from tui.core.events import SourceFailed, SourceFetched, SourceProgress, SourceQueued
from tui.core.fetch import FetchConfig, SourceOutcome, fetch_sources, shutdown_extract_pool, status_error

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (
    "<html><head><title>Council votes on budget</title></head><body><article>"
    + "".join(
        f"<p>Paragraph {i}: the council approved the budget after a long debate about roads, schools "
        f"and the harbour, with {i} members asking for more detail on the costs.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
)
LOCAL = FetchConfig(allow_private=True, connect_timeout=2, read_timeout=2, total_timeout=10)


@pytest.fixture(autouse=True, scope="module")
def _stop_pool():
    yield
    shutdown_extract_pool()


async def fetch_all(urls, config=LOCAL, **kw) -> dict[str, SourceOutcome]:
    return {o.url: o async for o in fetch_sources(urls, config, **kw)}


async def fetch_one(url, config=LOCAL, **kw) -> SourceOutcome:
    outcomes = await fetch_all([url], config, **kw)
    return outcomes[url]


# --- the happy paths ----------------------------------------------------------------------------


async def test_html_page_is_fetched_and_extracted(local_server: LocalServer) -> None:
    url = local_server.route("/a", ARTICLE)
    out = await fetch_one(url)
    assert out.error is None and out.source is not None
    assert out.source.title == "Council votes on budget"
    assert "Paragraph 3: the council approved the budget" in out.source.text
    assert out.source.text.count("\n\n") >= 7  # paragraphs kept
    assert out.result.http_status == 200 and out.result.final_url == url
    assert out.result.fetched_at and out.result.fetched_at.endswith("Z")
    assert out.result.from_archive is False


async def test_user_agent_names_sourcecheck(local_server: LocalServer) -> None:
    seen: dict[str, str] = {}

    def body(handler: BaseHTTPRequestHandler) -> None:
        seen["ua"] = handler.headers.get("User-Agent", "")
        handler.wfile.write(ARTICLE.encode())

    url = local_server.route("/ua", body, headers={"Content-Type": "text/html", "Connection": "close"})
    out = await fetch_one(url)
    assert out.source is not None
    assert seen["ua"].startswith("sourcecheck/")


async def test_gzip_body_is_decoded(local_server: LocalServer) -> None:
    url = local_server.route("/gz", ARTICLE, gzip=True)
    out = await fetch_one(url)
    assert out.source is not None and "Paragraph 5" in out.source.text
    assert out.result.body == ARTICLE.encode()


async def test_undeclared_latin1_page(local_server: LocalServer) -> None:
    html = (
        "<html><body><p>Le café de la gare a fermé ses portes après 40 ans; "
        "« c'était notre deuxième maison », dit une habituée à l'hôtel de ville.</p></body></html>"
    )
    url = local_server.route("/latin1", html.encode("latin-1"), headers={"Content-Type": "text/html"})
    out = await fetch_one(url)
    assert out.source is not None
    assert "Le café de la gare a fermé" in out.source.text
    assert "« c'était notre deuxième maison »" in out.source.text


async def test_plain_text(local_server: LocalServer) -> None:
    text = "First paragraph of the statement, long enough.\r\n\r\nSecond paragraph: we deny it.\n"
    url = local_server.route("/t.txt", text, headers={"Content-Type": "text/plain; charset=utf-8"})
    out = await fetch_one(url)
    assert out.source is not None
    assert (
        out.source.text == "First paragraph of the statement, long enough.\n\nSecond paragraph: we deny it."
    )


async def test_real_pdf(local_server: LocalServer) -> None:
    url = local_server.route(
        "/report.pdf", (FIXTURES / "report.pdf").read_bytes(), headers={"Content-Type": "application/pdf"}
    )
    out = await fetch_one(url)
    assert out.error is None and out.source is not None
    assert out.source.title == "Annual Water Quality Report 2025"
    assert "Lead levels remained below the federal action level in 98 percent of homes tested" in (
        out.source.text
    )
    assert "312 lead service lines" in out.source.text


# --- failures a person can act on ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, ["404 Not Found", "archived copy"]),
        (410, ["410 Gone", "Wayback"]),
        (403, ["403 Forbidden", "paywall", "bot wall"]),
        (401, ["401 Unauthorized", "login"]),
        (429, ["429 Too Many Requests", "try again later"]),
        (500, ["500 Internal Server Error", "try again later"]),
        (503, ["503 Service Unavailable"]),
    ],
)
async def test_http_errors(local_server: LocalServer, status: int, words: list[str]) -> None:
    url = local_server.route(f"/s{status}", ARTICLE, status=status)
    out = await fetch_one(url)
    assert out.source is None and out.error is not None
    for word in words:
        assert word in out.error
    assert out.result.http_status == status
    assert out.result.error == out.error


def test_retry_after_is_mentioned() -> None:
    msg = status_error(429, "x.org", [("Retry-After", "120")])
    assert msg is not None and "120 s" in msg


async def test_read_timeout(local_server: LocalServer) -> None:
    url = local_server.route("/slow", ARTICLE, delay=1.5)
    cfg = FetchConfig(allow_private=True, read_timeout=0.3)
    out = await fetch_one(url, cfg)  # the body comes after 1.5 s: only the timeout explains an error
    assert out.error == "Timed out after 0.3 s waiting for 127.0.0.1."


async def test_slow_response_within_timeout_succeeds(local_server: LocalServer) -> None:
    url = local_server.route("/slowok", ARTICLE, delay=0.3)
    out = await fetch_one(url)
    assert out.source is not None


async def test_total_timeout_stops_a_trickling_body(local_server: LocalServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        for _ in range(100):
            handler.wfile.write(b"<p>still coming</p>")
            handler.wfile.flush()
            time.sleep(0.05)

    url = local_server.route("/trickle", trickle, headers={"Content-Type": "text/html"})
    cfg = FetchConfig(allow_private=True, read_timeout=2, total_timeout=0.5)
    out = await fetch_one(url, cfg)
    assert out.error is not None and out.error.startswith("Gave up after 0.5 s")


async def test_connection_refused() -> None:
    server = LocalServer("127.0.0.3")  # bound, never started then closed: the port refuses
    url = server.url("/x")
    server.httpd.server_close()
    out = await fetch_one(url)
    assert out.error == "127.0.0.3 refused the connection: the server is down or not listening there."


async def test_redirect_chain_is_followed(local_server: LocalServer) -> None:
    final = local_server.route("/final", ARTICLE)
    local_server.route("/r2", status=302, headers={"Location": "/final"})
    local_server.route("/r1", status=301, headers={"Location": local_server.url("/r2")})
    url = local_server.url("/r1")
    out = await fetch_one(url)
    assert out.source is not None
    assert out.result.final_url == final and out.result.url == url
    assert local_server.hits == {"/r1": 1, "/r2": 1, "/final": 1}


async def test_redirect_loop(local_server: LocalServer) -> None:
    local_server.route("/loop-a", status=302, headers={"Location": "/loop-b"})
    local_server.route("/loop-b", status=302, headers={"Location": "/loop-a"})
    out = await fetch_one(local_server.url("/loop-a"))
    assert out.error is not None and out.error.startswith("Redirect loop:")
    assert local_server.hits["/loop-a"] == 1


async def test_too_many_redirects(local_server: LocalServer) -> None:
    for i in range(15):
        local_server.route(f"/hop{i}", status=302, headers={"Location": f"/hop{i + 1}"})
    out = await fetch_one(local_server.url("/hop0"), FetchConfig(allow_private=True, max_redirects=10))
    assert out.error is not None and out.error.startswith("Gave up after 10 redirects")
    assert local_server.hits.get("/hop11") is None and local_server.hits["/hop10"] == 1


def _endless(handler: BaseHTTPRequestHandler) -> None:
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    for _ in range(20 * 16):  # 20 MB, streamed without Content-Length
        handler.wfile.write(chunk)


async def test_body_over_the_cap_stops_reading(local_server: LocalServer) -> None:
    url = local_server.route("/huge", _endless, headers={"Content-Type": "text/html", "Connection": "close"})
    cfg = FetchConfig(allow_private=True, max_bytes=2 * 1024 * 1024)
    progress: list[SourceProgress] = []
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = await fetch_one(
        url, cfg, on_event=lambda e: progress.append(e) if isinstance(e, SourceProgress) else 0
    )
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert out.error == "The source is larger than 2 MB, sourcecheck's limit; it stopped reading."
    assert out.result.body is None
    # it stopped at the cap: never more than one chunk beyond 2 MB was received
    assert 2 * 1024 * 1024 - 70_000 < progress[-1].received <= 2 * 1024 * 1024 + 70_000
    assert rss_growth_mb < 30


async def test_declared_length_over_the_cap_is_refused_before_reading(local_server: LocalServer) -> None:
    url = local_server.route("/big", b"x" * 3_000_000, headers={"Content-Type": "text/html"})
    out = await fetch_one(url, FetchConfig(allow_private=True, max_bytes=1_000_000))
    assert out.error is not None and "larger than 0.953674 MB" in out.error


async def test_gzip_bomb_is_capped(local_server: LocalServer) -> None:
    url = local_server.route("/bomb", b"<p>" + b"a" * 20_000_000, gzip=True)  # ~20 KB on the wire
    out = await fetch_one(url, FetchConfig(allow_private=True, max_bytes=1024 * 1024))
    assert out.error is not None and "larger than 1 MB" in out.error


async def test_binary_body_says_what_it_is(local_server: LocalServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    url = local_server.route("/img", png, headers={"Content-Type": "image/png"})
    out = await fetch_one(url)
    assert out.error == "The source is an image (image/png), not text."
    assert out.result.http_status == 200 and out.result.error is None  # the fetch itself worked
    url = local_server.route("/bin", bytes(range(256)) * 4, headers={"Content-Type": "application/zip"})
    assert (await fetch_one(url)).error == "The source is a binary file (application/zip), not text."


async def test_javascript_only_page(local_server: LocalServer) -> None:
    html = "<html><head><script>render()</script></head><body><div id=root></div></body></html>"
    out = await fetch_one(local_server.route("/spa", html))
    assert out.error == "The page has no readable text: it probably needs JavaScript."


async def test_one_failure_does_not_stop_the_rest(local_server: LocalServer) -> None:
    good = local_server.route("/good", ARTICLE)
    bad = local_server.route("/bad", status=500)
    outs = await fetch_all([bad, "ftp://example.org/x", good, "http://[::1"])
    assert outs[good].source is not None
    assert outs[bad].error is not None
    assert (
        outs["ftp://example.org/x"].error == "Only http and https links can be fetched (this one has ftp:)."
    )
    assert outs["http://[::1"].error == "Not a valid web address: http://[::1."
    assert len(outs) == 4


def test_network_error_sentences() -> None:
    import socket
    import ssl

    import httpx

    from tui.core.fetch import network_error

    def wrapped(exc: httpx.HTTPError, cause: BaseException) -> httpx.HTTPError:
        exc.__cause__ = cause
        return exc

    url = "https://news.example/story"
    dns = wrapped(httpx.ConnectError("[Errno -2] Name or service not known"), socket.gaierror(-2, "x"))
    assert network_error(dns, url, LOCAL).startswith(
        "Could not find the server news.example (DNS lookup failed)"
    )
    cert = wrapped(httpx.ConnectError("failed"), ssl.SSLCertVerificationError("certificate verify failed"))
    assert "certificate is not valid" in network_error(cert, url, LOCAL)
    refused = wrapped(httpx.ConnectError("[Errno 111] Connection refused"), ConnectionRefusedError(111, "x"))
    assert network_error(refused, url, LOCAL).startswith("news.example refused the connection")
    assert (
        network_error(httpx.ConnectTimeout("t"), url, LOCAL)
        == "Timed out after 2 s connecting to news.example."
    )
    assert network_error(httpx.RemoteProtocolError("x"), url, LOCAL).startswith(
        "The connection to news.example broke"
    )


async def test_tls_failure(local_server: LocalServer) -> None:
    """https:// to a server that only speaks plain HTTP fails the TLS handshake."""
    url = local_server.route("/tls", ARTICLE).replace("http://", "https://")
    out = await fetch_one(url)
    assert out.error is not None and out.error.startswith("The secure connection to 127.0.0.1 failed")


@pytest.mark.parametrize("wrap", ["zlib", "raw"])
async def test_deflate_body(local_server: LocalServer, wrap: str) -> None:
    import zlib

    if wrap == "zlib":
        body = zlib.compress(ARTICLE.encode())
    else:
        co = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = co.compress(ARTICLE.encode()) + co.flush()
    url = local_server.route(
        "/deflate", body, headers={"Content-Type": "text/html", "Content-Encoding": "deflate"}
    )
    out = await fetch_one(url)
    assert out.source is not None and out.result.body == ARTICLE.encode()


async def test_unknown_content_encoding(local_server: LocalServer) -> None:
    url = local_server.route(
        "/lzw", b"\x1f\x9d\x90", headers={"Content-Type": "text/html", "Content-Encoding": "compress"}
    )
    out = await fetch_one(url)
    assert out.error == "The server compressed the page as 'compress', which sourcecheck cannot decode."


@pytest.mark.parametrize("coding", ["br", "zstd"])
async def test_brotli_and_zstd_bodies(local_server: LocalServer, coding: str) -> None:
    body = _compress(coding, ARTICLE.encode())
    url = local_server.route("/c", body, headers={"Content-Type": "text/html", "Content-Encoding": coding})
    out = await fetch_one(url)
    assert out.source is not None and "Paragraph 5" in out.source.text
    assert out.result.body == ARTICLE.encode()


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
async def test_compression_bombs_stop_at_the_cap(local_server: LocalServer, coding: str) -> None:
    """200 MB of zeros in a few hundred KB: decoding stops at the cap, memory stays flat."""
    bomb = _compress(coding, b"\0" * (200 << 20))
    url = local_server.route("/bomb", bomb, headers={"Content-Type": "text/html", "Content-Encoding": coding})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = await fetch_one(url, replace(LOCAL, max_bytes=1 << 20))
    assert out.error == "The source is larger than 1 MB, sourcecheck's limit; it stopped reading."
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def _compress(coding: str, data: bytes) -> bytes:
    if coding == "br":
        import brotli

        return brotli.compress(data, quality=1)
    if coding == "zstd":
        try:
            from compression import zstd  # type: ignore[import-not-found]
        except ImportError:
            from backports import zstd
        return zstd.compress(data)
    if coding == "deflate":
        return zlib.compress(data, 9)
    return gzip.compress(data, 9)


async def test_extraction_runs_in_the_sandbox(local_server: LocalServer, corpus: Path, monkeypatch) -> None:
    from tui.core import sandbox

    jobs = []
    real = sandbox.run_sandboxed

    async def spy(fn, arg, limits, **kw):
        jobs.append(limits)
        return await real(fn, arg, limits, **kw)

    monkeypatch.setattr(sandbox, "run_sandboxed", spy)
    url = local_server.route("/cnn", (corpus / "cnn.html").read_bytes())
    out = await fetch_one(url, FetchConfig(allow_private=True, extract_seconds=30, extract_memory_mb=300))
    assert jobs == [sandbox.Limits(seconds=30, memory_mb=300)]  # it really went to a limited process
    assert out.source is not None and out.source.title == "The 'birth lottery' and economic mobility"
    assert "economic mobility" in out.source.text.lower()


async def test_duplicate_urls_are_fetched_once(local_server: LocalServer) -> None:
    url = local_server.route("/dup", ARTICLE, delay=0.1)
    urls = [url, url, url + "#section-2", url]
    events: list[object] = []
    outs = [o async for o in fetch_sources(urls, LOCAL, on_event=events.append)]
    assert local_server.hits["/dup"] == 1
    assert sorted(o.url for o in outs) == sorted([url, url + "#section-2"])
    assert all(o.source is not None for o in outs)
    assert {e.url for e in events if isinstance(e, SourceQueued)} == {url, url + "#section-2"}


async def test_events_in_order(local_server: LocalServer) -> None:
    good = local_server.route("/ev", ARTICLE)
    bad = local_server.route("/ev404", status=404)
    events: list[object] = []
    await fetch_all([good, bad], on_event=events.append)
    kinds = [type(e).__name__ for e in events if e.url == good]  # type: ignore[attr-defined]
    assert kinds[0] == "SourceQueued" and kinds[1] == "SourceFetching"
    assert "SourceProgress" in kinds and kinds[-1] == "SourceFetched"
    fail = [e for e in events if isinstance(e, SourceFailed)]
    assert [e.url for e in fail] == [bad] and "404" in fail[0].error
    assert not any(isinstance(e, SourceFetched) and e.url == bad for e in events)


# --- limits -------------------------------------------------------------------------------------


async def test_per_host_and_global_limits(local_server: LocalServer) -> None:
    active = peak = 0
    tlock = threading.Lock()  # the server is threaded

    def counting(handler: BaseHTTPRequestHandler) -> None:
        nonlocal active, peak
        with tlock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        with tlock:
            active -= 1
        handler.wfile.write(ARTICLE.encode())

    urls = [
        local_server.route(f"/p{i}", counting, headers={"Content-Type": "text/html", "Connection": "close"})
        for i in range(12)
    ]
    start = time.monotonic()
    outs = await fetch_all(urls, FetchConfig(allow_private=True, per_host_limit=3))
    elapsed = time.monotonic() - start
    assert all(o.source is not None for o in outs.values())
    assert peak == 3
    assert elapsed >= 0.15 * 4 - 0.05  # 12 requests, 3 at a time

    active = peak = 0
    await fetch_all(urls, FetchConfig(allow_private=True, per_host_limit=6, global_limit=2))
    assert peak == 2


async def test_hosts_fetch_in_parallel() -> None:
    active = peak = 0
    lock = threading.Lock()

    def counting(handler: BaseHTTPRequestHandler) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.3)
        with lock:
            active -= 1
        handler.wfile.write(ARTICLE.encode())

    servers = [LocalServer(f"127.0.0.{i}").start() for i in range(10, 18)]
    try:
        urls = [
            s.route("/", counting, headers={"Content-Type": "text/html", "Connection": "close"})
            for s in servers
        ]
        outs = await fetch_all(urls)
    finally:
        for server in servers:
            server.stop()
    assert all(o.source is not None for o in outs.values())
    assert peak == 8  # eight hosts at once, not one after another


# --- network policy -----------------------------------------------------------------------------


async def test_private_addresses_are_refused_by_default(local_server: LocalServer) -> None:
    url = local_server.route("/secret", ARTICLE)
    out = await fetch_one(url, FetchConfig())
    assert out.error == ("Refused: 127.0.0.1 is a loopback address; pass --allow-private to fetch it anyway.")
    assert local_server.hits == {}  # never contacted


async def test_localhost_name_is_refused() -> None:
    out = await fetch_one("http://localhost:9/", FetchConfig())
    assert out.error is not None and "loopback" in out.error and "--allow-private" in out.error


async def test_redirect_hop_is_checked(fake_internet, public_server: LocalServer) -> None:
    """A public page redirecting to a private address is refused at that hop, never contacted."""
    fake_internet.name("internal.test", "10.1.2.3")
    public_server.route("/pub", status=302, headers={"Location": "http://internal.test/secret"})
    public_server.route("/loop", status=302, headers={"Location": "http://127.0.0.1:9/secret"})
    outs = await fetch_all(
        [f"http://news.test:{public_server.port}/{p}" for p in ("pub", "loop")], FetchConfig()
    )
    assert outs[f"http://news.test:{public_server.port}/pub"].error == (
        "Refused: internal.test resolves to a private address (10.1.2.3); pass --allow-private to fetch it "
        "anyway (reached through a redirect from news.test)."
    )
    assert outs[f"http://news.test:{public_server.port}/loop"].error == (
        "Refused: 127.0.0.1 is a loopback address; pass --allow-private to fetch it "
        "anyway (reached through a redirect from news.test)."
    )
    assert public_server.hits == {"/pub": 1, "/loop": 1}


async def test_every_request_goes_through_the_policy_transport(
    fake_internet, public_server: LocalServer
) -> None:
    """The policy lives in the transport of the one client factory: a request made with the client
    directly, not through the fetcher's redirect loop, is refused just the same."""
    import httpx

    from tui.core.netpolicy import PolicyRefused, new_client

    url = public_server.route("/ok", ARTICLE).replace("127.0.0.2", "news.test")
    async with new_client(
        allow_private=False, timeout=httpx.Timeout(5), limits=httpx.Limits(), headers={}
    ) as client:
        assert (await client.get(url)).status_code == 200
        with pytest.raises(PolicyRefused, match=r"^Refused: 127\.0\.0\.1 is a loopback address"):
            await client.get("http://127.0.0.1:9/")
        with pytest.raises(PolicyRefused, match=r"^Only http and https"):
            await client.get("ftp://news.test/")
        client.follow_redirects = True  # even a redirect httpx followed by itself passes the transport
        public_server.route("/hop", status=302, headers={"Location": "http://[::1]:9/"})
        with pytest.raises(PolicyRefused, match=r"^Refused: ::1 is a loopback address"):
            await client.get(url.replace("/ok", "/hop"))


# --- archive ------------------------------------------------------------------------------------


async def test_warc_round_trip_online_then_offline(local_server: LocalServer, tmp_path: Path) -> None:
    page = local_server.route("/page", ARTICLE, gzip=True)
    local_server.route("/moved", status=301, headers={"Location": "/page"})
    pdf = local_server.route(
        "/r.pdf", (FIXTURES / "report.pdf").read_bytes(), headers={"Content-Type": "application/pdf"}
    )
    gone = local_server.route("/gone", status=404)
    urls = [local_server.url("/moved"), pdf, gone]
    path = tmp_path / "evidence" / "a.warc.gz"
    online = await fetch_all(urls, archive=Archive(path))
    assert path.exists()
    assert online[urls[0]].result.final_url == page

    offline = await fetch_all(
        [*urls, local_server.url("/never")], FetchConfig(offline=True), archive=Archive(path)
    )
    for url in urls[:2]:
        assert offline[url].result.from_archive
        assert offline[url].source is not None and online[url].source is not None
        assert offline[url].source.text == online[url].source.text
        assert offline[url].source.title == online[url].source.title
        assert offline[url].result.fetched_at == online[url].result.fetched_at
    assert offline[urls[0]].result.final_url == page
    assert offline[gone].error == online[gone].error and "404" in (offline[gone].error or "")
    assert offline[local_server.url("/never")].error == "Not in the evidence archive, and --offline is set."
    assert sum(local_server.hits.values()) == 4  # offline touched nothing


async def test_archive_is_read_first_unless_refresh(local_server: LocalServer, tmp_path: Path) -> None:
    url = local_server.route("/x", ARTICLE)
    archive = Archive(tmp_path / "a.warc")
    await fetch_all([url], archive=archive)
    again = await fetch_one(url, archive=Archive(tmp_path / "a.warc"))
    assert again.result.from_archive and local_server.hits["/x"] == 1
    local_server.route("/x", ARTICLE.replace("Council votes", "Council rejects"))
    fresh = await fetch_one(url, FetchConfig(allow_private=True, refresh=True), archive=archive)
    assert not fresh.result.from_archive and fresh.source is not None
    assert fresh.source.title == "Council rejects on budget"
    assert local_server.hits["/x"] == 2
    newest = await fetch_one(url, archive=Archive(tmp_path / "a.warc"))
    assert newest.result.from_archive and newest.source is not None
    assert newest.source.title == "Council rejects on budget"


async def test_offline_never_touches_the_network(local_server: LocalServer) -> None:
    url = local_server.route("/y", ARTICLE)
    out = await fetch_one(url, FetchConfig(offline=True, allow_private=True))
    assert out.error == "Not in the evidence archive, and --offline is set."
    assert local_server.hits == {}


# --- cancellation -------------------------------------------------------------------------------


async def test_cancellation_closes_cleanly(local_server: LocalServer) -> None:
    fast = local_server.route("/fast", ARTICLE)
    slow = [local_server.route(f"/slow{i}", ARTICLE, delay=2) for i in range(3)]
    got: list[str] = []

    async def consume() -> None:
        async for outcome in fetch_sources([fast, *slow], LOCAL):
            got.append(outcome.url)

    task = asyncio.create_task(consume())
    while not got:
        await asyncio.sleep(0.01)
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 1
    assert got == [fast]


async def test_breaking_out_early_cancels_the_rest(local_server: LocalServer) -> None:
    fast = local_server.route("/fast", ARTICLE)
    slow = local_server.route("/slow", ARTICLE, delay=2)
    start = time.monotonic()
    gen = fetch_sources([slow, fast], LOCAL)
    first = await anext(gen)
    await gen.aclose()
    assert first.url == fast and time.monotonic() - start < 1.5


async def test_unreadable_gzip(local_server: LocalServer) -> None:
    body = gzip.compress(ARTICLE.encode())[:-30] + b"garbage!" * 4
    url = local_server.route(
        "/corrupt", body, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    out = await fetch_one(url)
    assert out.error is not None and out.error.startswith("The server sent a corrupt")


async def test_a_broken_archive_never_stops_fetching(local_server: LocalServer, tmp_path: Path) -> None:
    url = local_server.route("/z", ARTICLE)
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(b"not a warc at all\r\n" * 20)
    out = await fetch_one(url, archive=Archive(damaged))
    assert out.source is not None and not out.result.from_archive
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = await fetch_one(url, archive=Archive(blocker / "cannot" / "be.warc.gz"))  # unwritable
    assert out.source is not None
    assert local_server.hits["/z"] == 2
