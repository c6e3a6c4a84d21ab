"""Issue 11: redirects as a browser follows them (cookies along the chain, meta refresh, script stubs) and
compressed bodies in every coding the client offers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest

from tui.core.fetch import FetchConfig, SourceOutcome, fetch_sources

LOCAL = FetchConfig(allow_private=True, extract_mode="inline")
STORY = (
    "<html><head><title>Tram line delayed</title></head><body><article><h1>Tram line delayed</h1>"
    + "<p>The council said the bridge strengthening work would add four months to the tram project, "
    "and that the contractor had agreed to pay for the extra inspections.</p>"
    * 3
    + "</article></body></html>"
)
Handler = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class Server:
    """A loopback server whose answers are functions of the request (cookies, Accept-Encoding)."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.seen: dict[str, list[dict[str, str]]] = {}
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.seen.setdefault(self.path, []).append(dict(self.headers))
                status, headers, body = server.routes[self.path](self)
                self.send_response(status)
                for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


async def fetch(*urls: str, config: FetchConfig = LOCAL) -> dict[str, SourceOutcome]:
    return {o.url: o async for o in fetch_sources(list(urls), config)}


def page(body: str = STORY) -> tuple[int, dict[str, str], bytes]:
    return 200, {}, body.encode()


async def test_cookie_check_redirect_to_the_same_url_is_followed(server: Server) -> None:
    def story(req: BaseHTTPRequestHandler):
        if "od_session=abc123" in (req.headers.get("Cookie") or ""):
            return page()
        return 302, {"Location": "/news/tram", "Set-Cookie": "od_session=abc123; Path=/"}, b""

    server.routes["/news/tram"] = story
    out = (await fetch(server.url("/news/tram")))[server.url("/news/tram")]
    assert out.error is None and out.source is not None
    assert "bridge strengthening" in out.source.text
    assert [h.get("Cookie") for h in server.seen["/news/tram"]] == [None, "od_session=abc123"]


async def test_same_url_with_the_same_cookies_twice_is_a_loop(server: Server) -> None:
    server.routes["/loop"] = lambda req: (302, {"Location": "/loop", "Set-Cookie": "a=1; Path=/"}, b"")
    out = (await fetch(server.url("/loop")))[server.url("/loop")]
    assert out.error is not None and out.error.startswith("Redirect loop:")
    assert len(server.seen["/loop"]) == 2  # once without the cookie, once with it, then it is a loop


async def test_each_source_has_its_own_cookie_jar(server: Server) -> None:
    server.routes["/a"] = lambda req: (200, {"Set-Cookie": "tracker=from-a; Path=/"}, STORY.encode())

    def slow_start(req: BaseHTTPRequestHandler):
        time.sleep(0.3)  # source a has finished (and got its cookie) by the time b's chain goes on
        return 302, {"Location": "/b-end"}, b""

    server.routes["/b-start"] = slow_start
    server.routes["/b-end"] = lambda req: page()
    outs = await fetch(server.url("/a"), server.url("/b-start"))
    assert all(o.error is None for o in outs.values())
    assert server.seen["/b-end"][0].get("Cookie") is None


META_STUB = (
    '<html><head><meta http-equiv="refresh" content="0; url=/story"><title>Redirecting</title></head>'
    '<body><p>Redirecting… <a href="/story">continue</a></p></body></html>'
)
SCRIPT_STUB = (
    "<html><head><script>window.location.replace('/story');</script></head>"
    "<body><noscript>Please enable JavaScript.</noscript><p>Redirecting…</p></body></html>"
)


@pytest.mark.parametrize("stub", [META_STUB, SCRIPT_STUB], ids=["meta-refresh", "script"])
async def test_a_redirect_page_is_followed_like_a_redirect(server: Server, stub: str) -> None:
    server.routes["/old"] = lambda req: page(stub)
    server.routes["/story"] = lambda req: page()
    out = (await fetch(server.url("/old")))[server.url("/old")]
    assert out.error is None and out.source is not None
    assert out.result.final_url == server.url("/story")
    assert "bridge strengthening" in out.source.text


async def test_a_real_page_with_a_location_script_stays_put(server: Server) -> None:
    body = STORY.replace("</body>", "<script>if (0) { location.href = '/elsewhere'; }</script></body>")
    server.routes["/story"] = lambda req: page(body)
    out = (await fetch(server.url("/story")))[server.url("/story")]
    assert out.result.final_url == server.url("/story") and "/elsewhere" not in server.seen


async def test_meta_refresh_hop_passes_the_network_policy(server: Server, fake_internet) -> None:
    server.routes["/old"] = lambda req: page(META_STUB.replace("/story", "http://10.0.0.7/internal"))
    # the first hop is taken for a public host; the refresh target is private and must be refused there
    fake_internet.public("127.0.0.1")
    out = (await fetch(server.url("/old"), config=FetchConfig(extract_mode="inline")))[server.url("/old")]
    assert out.error is not None and out.error.startswith("Refused: 10.0.0.7 is a private address")
    assert "redirect" in out.error


async def test_brotli_is_offered_and_decoded(server: Server) -> None:
    def story(req: BaseHTTPRequestHandler):
        assert "br" in (req.headers.get("Accept-Encoding") or "")
        return 200, {"Content-Encoding": "br"}, brotli.compress(STORY.encode())

    server.routes["/br"] = story
    out = (await fetch(server.url("/br")))[server.url("/br")]
    assert out.error is None and out.source is not None and "bridge strengthening" in out.source.text
