"""Which URLs an untrusted article may make us fetch.

An article can link anywhere, including `http://192.168.1.1/` or `http://localhost:8080/admin`: a reader
that follows such links blindly lets the article's author probe the user's own network. Only http(s)
is fetched, and a host that resolves to a loopback, private or link-local address is refused unless the
user asked for it (`--allow-private`). The fetcher calls this for the first URL and every redirect hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

RESOLVE_TIMEOUT = 10.0


def address_kind(ip: IPAddress) -> str | None:
    """'loopback', 'private', 'link-local' (or another non-public kind) for addresses we refuse."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"  # 0.0.0.0 / :: reach this machine
    if ip.is_multicast:
        return "multicast"
    if ip.is_private or ip.is_reserved or ip in _SHARED:
        return "private"
    return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: someone's private network


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def refusal(host: str, ip: str, kind: str) -> str:
    where = f"{host} is" if host.strip("[]") == ip else f"{host} resolves to"
    shown = "" if host.strip("[]") == ip else f" ({ip})"
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


async def check_url_allowed(url: str, *, allow_private: bool, timeout: float = RESOLVE_TIMEOUT) -> str | None:
    """None when `url` may be fetched, else one sentence saying why not.

    Every address the host resolves to is checked: a name with one public and one private address is
    refused, since the connection may go to either. DNS failures come back as a sentence too.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"Not a valid web address: {url[:200]}."
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        return f"Only http and https links can be fetched (this one has {shown})."
    host = parts.hostname
    if not host:
        return f"Not a valid web address (no host name): {url[:200]}."
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
