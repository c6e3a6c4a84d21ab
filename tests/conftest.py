"""Shared fixtures: a local HTTP server (127.0.0.x only), an isolated data directory, the corpus."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "pages"


@dataclass
class Route:
    """One canned answer. `body` may be a callable that writes the body itself (for endless streams)."""

    body: bytes | Callable[[BaseHTTPRequestHandler], None] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    gzip: bool = False
    # Held until the test sets it (a source that is certainly still loading, whatever the machine's load);
    # `GATE_TIMEOUT` only bounds a test that failed before releasing it.
    gate: threading.Event | None = None


GATE_TIMEOUT = 120.0


class LocalServer:
    """A threaded HTTP server on a loopback address whose answers a test registers by path."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.hits_lock = threading.Lock()  # handlers run in parallel threads
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with server.hits_lock:
                    server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>")
                    return
                if route.gate is not None:
                    route.gate.wait(GATE_TIMEOUT)
                if route.delay:
                    time.sleep(route.delay)
                if callable(route.body):
                    self.send_response(route.status)
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        route.body(self)
                    return
                body = route.body
                headers = dict(route.headers)
                if route.gzip:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(route.status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, client_address: None  # a client hanging up is not news
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, body: bytes | str | Callable = b"", **kw: object) -> str:
        """Register an answer for `path` and return its full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        for route in self.routes.values():  # a gated answer still waiting goes out, and its thread ends
            if route.gate is not None:
                route.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test ever writes to the real user's data directory."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SOURCECHECK_DATA_DIR", str(path))
    monkeypatch.delenv("SOURCECHECK_DB", raising=False)
    # nor reads the user's settings, nor asks the real Wayback Machine for copies of dead test links
    # (memento tests point --memento-timegate at a fake TimeGate on 127.0.0.1)
    monkeypatch.setenv("SOURCECHECK_SETTINGS", str(path / "no-settings.toml"))
    monkeypatch.setenv("SOURCECHECK_MEMENTO_TIMEGATE", "off")
    monkeypatch.delenv("SOURCECHECK_WEB_SEARCH_URL", raising=False)
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the figures tests recorded with `record_property("figures", text)` (scores of labelled
    sets), also when the tests ran in xdist workers, whose own output pytest does not show."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "figures" and report.when == "call":
                terminalreporter.write_sep("-", f"figures: {report.nodeid}")
                terminalreporter.write_line(str(value))


class FakeInternet:
    """A stand-in for DNS and for which addresses are public, so a local server can play a public host.

    `name(host, address)` makes `host` resolve to `address`; `public(address)` makes the network policy
    treat that loopback address as a public one (everything else keeps its real classification, so
    127.0.0.1 stays loopback). Names not registered fail to resolve, as on a machine with no network.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.core import netpolicy

        self.names: dict[str, list[str]] = {}
        self.public_addresses: set[str] = set()
        real = netpolicy.special_purpose

        async def resolve(host: str, port: int, timeout: float = 10) -> list[str]:
            import socket

            if host in self.names:
                return self.names[host]
            try:
                netpolicy.ipaddress.ip_address(host)
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            return [host]

        def special_purpose(ip):  # type: ignore[no-untyped-def]
            return None if str(ip) in self.public_addresses else real(ip)

        monkeypatch.setattr(netpolicy, "resolve", resolve)
        monkeypatch.setattr(netpolicy, "special_purpose", special_purpose)

    def name(self, host: str, *addresses: str) -> None:
        self.names[host] = list(addresses)

    def public(self, *addresses: str) -> None:
        self.public_addresses.update(addresses)


@pytest.fixture
def fake_internet(monkeypatch: pytest.MonkeyPatch) -> FakeInternet:
    return FakeInternet(monkeypatch)


@pytest.fixture
def public_server(fake_internet: FakeInternet) -> Iterator[LocalServer]:
    """A local server on 127.0.0.2 that the network policy takes for the public host news.test."""
    server = LocalServer("127.0.0.2").start()
    fake_internet.name("news.test", "127.0.0.2")
    fake_internet.public("127.0.0.2")
    try:
        yield server
    finally:
        server.stop()
