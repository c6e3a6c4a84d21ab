"""Which URLs an untrusted article may make us fetch.

An article can link anywhere, including `http://192.168.1.1/` or `http://localhost:8080/admin`: a reader
that follows such links blindly lets the article's author probe the user's own network. Only http(s)
is fetched, and a host that resolves to an address that is not globally reachable unicast (loopback,
private, link-local, or any other entry of the IANA special-purpose registries, including IPv6 forms
that carry such an IPv4 address: see `ipspace`) is refused unless the user asked for it
(`--allow-private`). The fetcher calls `check_url_allowed` for the first URL and
every redirect hop (for a clear sentence), and `GuardedBackend` checks the address each connection
really goes to (so a DNS answer that changes between the two - DNS rebinding - is caught too).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import ssl
from collections.abc import Callable, Iterable
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from .ipspace import IPAddress, special_purpose

log = logging.getLogger(__name__)

RESOLVE_TIMEOUT = 10.0


def address_kind(ip: IPAddress) -> str | None:
    """The kind of a refused address ("loopback", "private", "link-local", "unspecified",
    "multicast", "reserved", "documentation", "benchmarking", "broadcast"), or None for a globally
    reachable one. The rules and their sources are in `ipspace`; an IPv6 form carrying an IPv4 address
    (IPv4-mapped, 6to4, NAT64, Teredo, ...) takes the kind of the IPv4 address inside it."""
    special = special_purpose(ip)
    return special.kind if special else None


def _allow_all(ip: IPAddress) -> str | None:
    return None


def _refused_kind(ip: IPAddress) -> str | None:
    return address_kind(ip)  # looked up at call time, so a test can stand in a fake address space


def _article(kind: str) -> str:
    return "an" if kind[0].lower() in "aeiou" else "a"


def refusal(host: str, ip: str, kind: str) -> str:
    """The sentence for a refused address: `host` as the link wrote it, `ip` the address it reached."""
    literal = host.strip("[]") == ip
    where = f"{host} is" if literal else f"{host} resolves to"
    shown = "" if literal else f" ({ip})"
    parsed = _parse_ip(ip)
    special = special_purpose(parsed) if parsed is not None else None
    if special is not None and special.via is not None:
        inner = f"{_article(special.via)} {special.via} address carrying the {kind} address {special.inner}"
        return f"Refused: {where} {inner}{shown}; pass --allow-private to fetch it anyway."
    return (
        f"Refused: {where} {_article(kind)} {kind} address{shown}; pass --allow-private to fetch it anyway."
    )


def dns_failure(host: str) -> str:
    return (
        f"Could not find the server {host} (DNS lookup failed): "
        "check the link for a typo; the site may be gone."
    )


def _parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


async def resolve(host: str, port: int, timeout: float = RESOLVE_TIMEOUT) -> list[str]:
    """All addresses of `host`, resolved on the event loop's resolver (never blocking the loop)."""
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP), timeout
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def url_problem(url: str) -> str | None:
    """A sentence when `url` cannot be fetched whatever the network says, else None.

    Not http(s), no host, a bad port, or a form httpx refuses to send (control characters, as in an
    href carrying an OSC 52 terminal escape, a broken IPv6 literal, an unencodable host name): each is
    a sentence on that link, never an exception.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        return f"Not a valid web address: {url[:200]}."
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        return f"Only http and https links can be fetched (this one has {shown})."
    if not parts.hostname:
        return f"Not a valid web address (no host name): {url[:200]}."
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError, UnicodeError):
        return f"Not a valid web address: {url[:200]}."
    return None


async def check_url_allowed(url: str, *, allow_private: bool, timeout: float = RESOLVE_TIMEOUT) -> str | None:
    """None when `url` may be fetched, else one sentence saying why not.

    Every address the host resolves to is checked: a name with one public and one private address is
    refused, since the connection may go to either. DNS failures come back as a sentence too.
    """
    problem = url_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    scheme, host, port = parts.scheme.lower(), parts.hostname or "", parts.port
    if allow_private:
        return None
    literal = _parse_ip(host)
    if literal is not None:
        kind = address_kind(literal)
        return refusal(host, str(literal), kind) if kind else None
    if host.endswith(".localhost") or host == "localhost":
        return refusal(host, "127.0.0.1", "loopback")
    try:
        addresses = await resolve(host, port or (443 if scheme == "https" else 80), timeout)
    except TimeoutError:
        return f"Timed out after {timeout:g} s looking up the address of {host}."
    except (socket.gaierror, UnicodeError, OSError):
        return dns_failure(host)
    for addr in addresses:
        ip = _parse_ip(addr)
        kind = address_kind(ip) if ip is not None else "unknown"
        if kind:
            return refusal(host, addr, kind)
    return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that checks the address it actually connects to.

    `check_url_allowed` resolves the name before the request, but the connection resolves it again:
    a hostile DNS server can answer with a public address first and 127.0.0.1 the second time (DNS
    rebinding). Here the name is resolved once, every address checked, and the connection made to
    a checked address; TLS still verifies the certificate against the host name.
    """

    def __init__(
        self,
        inner: httpcore.AsyncNetworkBackend | None = None,
        *,
        refuse: Callable[[IPAddress], str | None] = _refused_kind,
    ) -> None:
        self._inner = inner or httpcore.AnyIOBackend()
        self._refuse = refuse

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = _parse_ip(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = await resolve(host, port, timeout or RESOLVE_TIMEOUT)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"Timed out looking up the address of {host}.") from exc
            except (socket.gaierror, UnicodeError, OSError) as exc:
                raise httpcore.ConnectError(dns_failure(host)) from exc
        for addr in addresses:
            ip = _parse_ip(addr)
            kind = self._refuse(ip) if ip is not None else "unknown"
            if kind:
                raise httpcore.ConnectError(refusal(host, addr, kind))
        last: Exception | None = None
        for addr in addresses:
            try:
                return await self._inner.connect_tcp(addr, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Refused: sourcecheck does not connect to local sockets.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# --- the one way to make HTTP requests ---------------------------------------------------------------


class PolicyRefused(httpx.TransportError):
    """The network policy refused a request; the message is one sentence for the user."""


_ssl_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~30 ms per client."""
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


class PolicyTransport(httpx.AsyncBaseTransport):
    """httpx's transport with the network policy on every request it carries.

    Before a request: http(s) only, and (unless `allow_private`) the host must not be or resolve to a
    refused address (`check_url_allowed`, which phrases the refusal). While connecting: the address
    really connected to is checked again (`GuardedBackend`, so DNS rebinding is caught). Redirects,
    retries and any request path added later go through here too, since `new_client` is the only way
    the program builds an HTTP client (tests/test_netpolicy.py checks that no other module makes one).
    """

    def __init__(
        self, *, allow_private: bool, limits: httpx.Limits, resolve_timeout: float = RESOLVE_TIMEOUT
    ) -> None:
        self.allow_private = allow_private
        self.resolve_timeout = resolve_timeout
        self._inner = httpx.AsyncHTTPTransport(verify=tls_context(), limits=limits)
        # httpx has no public hook for its network backend; its pool keeps one in `_network_backend`
        # (httpx 0.28 / httpcore 1.0, both pinned). Should that change, the check before each request
        # still applies; only the DNS-rebinding window reopens.
        pool = getattr(self._inner, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = GuardedBackend(refuse=_allow_all if allow_private else _refused_kind)
        else:  # pragma: no cover - only with an httpx/httpcore we do not pin
            log.warning("could not install the connect-time address check")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        refusal = await check_url_allowed(
            str(request.url), allow_private=self.allow_private, timeout=self.resolve_timeout
        )
        if refusal:
            raise PolicyRefused(refusal, request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def new_client(
    *,
    allow_private: bool,
    timeout: httpx.Timeout,
    limits: httpx.Limits,
    headers: dict[str, str],
    cookies: httpx.Cookies | CookieJar | None = None,
) -> httpx.AsyncClient:
    """The HTTP client for every request sourcecheck makes (sources, the article URL, archived copies).

    Redirects are not followed by httpx (the fetcher follows them hop by hop, and each hop is a new
    request through the same `PolicyTransport`); the environment is not trusted (no proxy variables, no
    .netrc credentials sent to whatever host an article names).
    """
    return httpx.AsyncClient(
        headers=headers,
        cookies=cookies,
        timeout=timeout,
        limits=limits,
        follow_redirects=False,
        trust_env=False,
        transport=PolicyTransport(
            allow_private=allow_private, limits=limits, resolve_timeout=timeout.connect or RESOLVE_TIMEOUT
        ),
    )
