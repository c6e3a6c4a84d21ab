"""The network policy: only http(s), and no loopback/private/link-local targets unless allowed."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

from tui.core import netpolicy
from tui.core.netpolicy import address_kind, check_url_allowed


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.45.6.7", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.8", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.4", "private"),
        ("fd00::1", "private"),
        ("100.64.1.1", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 must not slip through
        ("::ffff:192.168.0.1", "private"),
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
    ],
)
def test_address_kind(ip: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(ip)) == kind


# Every form in the IANA special-purpose registries (IPv4 and IPv6) and every IPv6 form that carries an
# IPv4 address a host, tunnel or translator may deliver to (see tui/core/ipspace.py for the sources).
@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("0.1.2.3", "unspecified"),  # "this network"
        ("192.0.0.1", "reserved"),  # IETF protocol assignments
        ("192.0.0.9", None),  # PCP anycast: globally reachable inside a reserved block
        ("192.0.2.7", "documentation"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.7", "documentation"),
        ("198.19.255.1", "benchmarking"),
        ("192.88.99.1", "reserved"),  # deprecated 6to4 relay anycast
        ("224.0.0.251", "multicast"),
        ("239.255.255.250", "multicast"),  # SSDP: the router's UPnP
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "broadcast"),
        ("192.31.196.1", None),  # AS112: globally reachable
        ("::", "unspecified"),
        ("::127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
        ("::10.0.0.1", "private"),
        ("::8.8.8.8", "reserved"),  # deprecated form, outside 2000::/3 whatever it carries
        ("::ffff:0:127.0.0.1", "loopback"),  # SIIT IPv4-translated
        ("::ffff:169.254.169.254", "link-local"),  # IPv4-mapped metadata service
        ("::ffff:8.8.8.8", None),  # IPv4-mapped public address: the socket reaches 8.8.8.8
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 well-known prefix carrying 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # ... carrying 10.0.0.1, on the translator's network
        ("64:ff9b::808:808", None),  # ... carrying 8.8.8.8
        ("64:ff9b:1::1", "private"),  # local-use translation prefix
        ("2002:7f00:1::1", "loopback"),  # 6to4 carrying 127.0.0.1
        ("2002:c0a8:101::", "private"),  # 6to4 carrying 192.168.1.1
        ("2002:808:808::1", None),  # 6to4 carrying 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client ~0x80fffffe = 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo client 10.0.0.1
        ("2001:0:a00:1:8000:63bf:f7f7:f7f7", "private"),  # Teredo server 10.0.0.1, client 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", None),  # Teredo, both public
        ("2001:2::1", "benchmarking"),
        ("2001:10::1", "reserved"),  # deprecated ORCHID
        ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"),
        ("100::1", "reserved"),  # discard-only
        ("5f00::1", "reserved"),  # SRv6 SIDs
        ("fc00::1", "private"),
        ("fec0::1", "private"),  # deprecated site-local
        ("fe80::1", "link-local"),
        ("ff02::1", "multicast"),
        ("4000::1", "reserved"),  # outside 2000::/3: not allocated as unicast
        ("2001:4:112::1", None),  # AS112-v6
        ("2a00:1450:4001:80b::200e", None),
    ],
)
def test_special_purpose_registries(ip: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(ip)) == kind


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://[2002:7f00:1::1]/",
            "Refused: 2002:7f00:1::1 is a 6to4 address carrying the loopback address 127.0.0.1; ",
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/latest/",
            "Refused: 64:ff9b::a9fe:a9fe is a NAT64 address carrying the link-local address "
            "169.254.169.254; ",
        ),
        (
            "http://[::ffff:7f00:1]/",
            "Refused: ::ffff:7f00:1 is an IPv4-mapped address carrying the loopback address 127.0.0.1; ",
        ),
        ("http://[ff02::1]/", "Refused: ff02::1 is a multicast address; "),
    ],
)
async def test_embedded_addresses_refused_with_a_sentence(url: str, expected: str) -> None:
    assert await check_url_allowed(url, allow_private=False) == expected + (
        "pass --allow-private to fetch it anyway."
    )


@pytest.mark.parametrize("addr", ["2002:a00:1::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"])
async def test_guard_refuses_embedded_forms_at_connect_time(
    addr: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public-looking name whose DNS answer is an IPv6 form carrying a private IPv4 address."""
    import httpcore

    async def fake(host: str, port: int, timeout: float = 10) -> list[str]:
        return [addr]

    monkeypatch.setattr(netpolicy, "resolve", fake)
    with pytest.raises(httpcore.ConnectError, match=r"carrying the (loopback|private) address"):
        await netpolicy.GuardedBackend().connect_tcp("sneaky.test", 80)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://example.org/file", "Only http and https links can be fetched (this one has ftp:)."),
        ("file:///etc/passwd", "Only http and https links can be fetched (this one has file:)."),
        ("javascript:alert(1)", "Only http and https links can be fetched (this one has javascript:)."),
        ("//example.org/x", "Only http and https links can be fetched (this one has no scheme)."),
        ("http:///path", "Not a valid web address (no host name): http:///path."),
        ("http://example.org:99999/", "Not a valid web address: http://example.org:99999/."),
    ],
)
async def test_bad_urls(url: str, expected: str) -> None:
    assert await check_url_allowed(url, allow_private=True) == expected
    assert await check_url_allowed(url, allow_private=False) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/", "Refused: 127.0.0.1 is a loopback address; "),
        ("http://[::1]/", "Refused: ::1 is a loopback address; "),
        ("http://192.168.1.4/admin", "Refused: 192.168.1.4 is a private address; "),
        ("http://169.254.169.254/latest/meta-data/", "Refused: 169.254.169.254 is a link-local address; "),
        ("https://localhost/", "Refused: localhost resolves to a loopback address (127.0.0.1); "),
        ("http://app.localhost:3000/", "Refused: app.localhost resolves to a loopback address (127.0.0.1); "),
    ],
)
async def test_private_literals_refused_unless_allowed(url: str, expected: str) -> None:
    msg = await check_url_allowed(url, allow_private=False)
    assert msg == expected + "pass --allow-private to fetch it anyway."
    assert await check_url_allowed(url, allow_private=True) is None


async def test_names_resolving_to_private_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    async def fake_resolve(host: str, port: int, timeout: float = 10) -> list[str]:
        calls.append(host)
        return {
            "example.local": ["192.168.1.4"],
            "public.test": ["93.184.216.34"],
            "mixed.test": ["93.184.216.34", "10.0.0.1"],  # refused: the connection may use either
        }[host]

    monkeypatch.setattr(netpolicy, "resolve", fake_resolve)
    assert await check_url_allowed("http://example.local/", allow_private=False) == (
        "Refused: example.local resolves to a private address (192.168.1.4); "
        "pass --allow-private to fetch it anyway."
    )
    assert await check_url_allowed("https://public.test/a?b", allow_private=False) is None
    msg = await check_url_allowed("http://mixed.test/", allow_private=False)
    assert msg is not None and "(10.0.0.1)" in msg
    assert calls == ["example.local", "public.test", "mixed.test"]


async def test_dns_failure_is_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    async def failing(host: str, port: int, timeout: float = 10) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(netpolicy, "resolve", failing)
    assert await check_url_allowed("http://no-such-host.example/", allow_private=False) == (
        "Could not find the server no-such-host.example (DNS lookup failed): "
        "check the link for a typo; the site may be gone."
    )


async def test_resolution_does_not_block_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """getaddrinfo runs on the loop's executor: other tasks keep running while it resolves."""
    loop = asyncio.get_running_loop()

    async def slow_getaddrinfo(host, port, **kw):  # stands in for a slow DNS server
        await asyncio.sleep(0.3)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(loop, "getaddrinfo", slow_getaddrinfo)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    assert await check_url_allowed("http://slow-dns.test/", allow_private=False) is None
    task.cancel()
    assert ticks >= 10


async def test_resolution_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()

    async def hanging(host, port, **kw):
        await asyncio.sleep(5)

    monkeypatch.setattr(loop, "getaddrinfo", hanging)
    assert await check_url_allowed("http://hang.test/", allow_private=False, timeout=0.1) == (
        "Timed out after 0.1 s looking up the address of hang.test."
    )


async def test_real_resolver_on_loopback_name() -> None:
    # "localhost" short-circuits; a numeric host goes through the real resolver path without network
    addrs = await netpolicy.resolve("127.0.0.1", 80)
    assert addrs == ["127.0.0.1"]


# --- the connect-time guard (DNS rebinding) -----------------------------------------------------


async def test_dns_rebinding_is_caught_at_connect_time(monkeypatch: pytest.MonkeyPatch, local_server) -> None:
    """The name looks public when checked, then resolves to loopback when connecting: refused."""
    from tui.core.fetch import FetchConfig, fetch_sources

    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int, timeout: float = 10) -> list[str]:
        return next(answers)

    monkeypatch.setattr(netpolicy, "resolve", rebinding)
    local_server.route("/x", "<p>secret</p>")
    url = f"http://rebind.test:{local_server.port}/x"
    [out] = [o async for o in fetch_sources([url], FetchConfig(connect_timeout=2))]
    assert out.error == (
        "Refused: rebind.test resolves to a loopback address (127.0.0.1); "
        "pass --allow-private to fetch it anyway."
    )
    assert local_server.hits == {}


async def test_guard_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch, local_server) -> None:
    import httpx

    seen_hosts: list[str] = []

    async def fake(host: str, port: int, timeout: float = 10) -> list[str]:
        seen_hosts.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(netpolicy, "resolve", fake)

    def body(handler) -> None:
        handler.wfile.write(handler.headers["Host"].encode())

    local_server.route("/h", body, headers={"Content-Type": "text/plain", "Connection": "close"})
    transport = httpx.AsyncHTTPTransport()
    transport._pool._network_backend = netpolicy.GuardedBackend(refuse=lambda ip: None)
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.get(f"http://named.test:{local_server.port}/h")
    assert response.status_code == 200
    assert response.text == f"named.test:{local_server.port}"  # the Host header keeps the name
    assert seen_hosts == ["named.test"]


# --- one way out: every request the program makes goes through the policy transport -------------------

_REQUEST_MAKERS = {
    "AsyncClient",
    "Client",
    "AsyncHTTPTransport",
    "HTTPTransport",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "stream",
}
_OTHER_PACKAGES = {"requests", "aiohttp", "urllib3", "pycurl", "httpcore"}
_OTHER_CLIENTS = {"urllib.request", "http.client", *_OTHER_PACKAGES}


def test_no_module_but_netpolicy_makes_requests() -> None:
    """A new request path (archived copies, a later feature) cannot skip the policy: building an HTTP
    client, calling httpx's request functions, or importing another HTTP or socket library anywhere
    but tui/core/netpolicy.py fails here. Such code must use `netpolicy.new_client`."""
    import ast
    from pathlib import Path

    import tui

    root = Path(tui.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "core" / "netpolicy.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id == "httpx" and node.func.attr in _REQUEST_MAKERS:
                    offenders.append(f"{where} httpx.{node.func.attr}(...)")
                if (
                    isinstance(owner, ast.Name)
                    and owner.id == "socket"
                    and node.func.attr
                    in (
                        "socket",
                        "create_connection",
                    )
                ):
                    offenders.append(f"{where} socket.{node.func.attr}(...)")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in _OTHER_CLIENTS or node.module.split(".")[0] in _OTHER_PACKAGES:
                    offenders.append(f"{where} from {node.module} import ...")
                if node.module == "httpx" and any(a.name in _REQUEST_MAKERS for a in node.names):
                    offenders.append(f"{where} from httpx import {', '.join(a.name for a in node.names)}")
            elif isinstance(node, ast.Import):
                offenders += [f"{where} import {a.name}" for a in node.names if a.name in _OTHER_CLIENTS]
    assert offenders == []
