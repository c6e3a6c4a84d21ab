"""Which IP addresses are the public internet, after the IANA special-purpose address registries.

The network policy (`netpolicy`) refuses every address that is not globally reachable unicast, so that
an untrusted article cannot make sourcecheck reach the user's own machine or network. Sources of the
rules, all as of their 2026 revisions:

- IANA IPv4 Special-Purpose Address Registry (RFC 6890, updated by RFC 8190) and the IPv4 Multicast
  Address Space registry (RFC 5771);
- IANA IPv6 Special-Purpose Address Registry (RFC 6890, RFC 8190) and the IPv6 Address Space registry,
  in which only 2000::/3 is global unicast (RFC 4291 section 2.4); fc00::/7 is unique-local (RFC 4193),
  fe80::/10 link-local, fec0::/10 the deprecated site-local (RFC 3879), ff00::/8 multicast.

Several IPv6 forms carry an IPv4 address that a host, a tunnel or a translator may deliver to: the
IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d (RFC 4291 section 2.5.5), the
SIIT IPv4-translated ::ffff:0:a.b.c.d (RFC 2765), 6to4 2002:AABB:CCDD::/48 (RFC 3056), NAT64's
well-known prefix 64:ff9b::/96 (RFC 6052) and Teredo 2001:0::/32, whose server address sits in bits
32-63 and whose client address, bit-inverted, in the last 32 bits (RFC 4380 section 4). Those are
judged by the IPv4 address inside them. A NAT64 gateway with an operator-chosen prefix (RFC 6052
section 2.2) cannot be told apart from an ordinary public address; its own network must filter it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Special:
    """Why an address is not the public internet: `kind` is the word a sentence uses ("loopback",
    "private", "link-local", ...); `via` names the IPv6 form it was found inside ("6to4", ...), with
    `inner` the embedded IPv4 address, or both None when the address itself is special."""

    kind: str
    via: str | None = None
    inner: ipaddress.IPv4Address | None = None


# (network, kind, globally reachable). The most specific matching network decides, so a globally
# reachable anycast address inside a non-global block (192.0.0.9 in 192.0.0.0/24) stays reachable.
_V4_TABLE: tuple[tuple[str, str, bool], ...] = (
    ("0.0.0.0/8", "unspecified", False),  # "this network", RFC 791; 0.0.0.0 reaches this host
    ("10.0.0.0/8", "private", False),  # RFC 1918
    ("100.64.0.0/10", "private", False),  # shared address space (carrier-grade NAT), RFC 6598
    ("127.0.0.0/8", "loopback", False),  # RFC 1122
    ("169.254.0.0/16", "link-local", False),  # RFC 3927 (cloud metadata services live here)
    ("172.16.0.0/12", "private", False),  # RFC 1918
    ("192.0.0.0/24", "reserved", False),  # IETF protocol assignments, RFC 6890
    ("192.0.0.9/32", "anycast", True),  # Port Control Protocol anycast, RFC 7723
    ("192.0.0.10/32", "anycast", True),  # TURN anycast, RFC 8155
    ("192.0.2.0/24", "documentation", False),  # TEST-NET-1, RFC 5737
    ("192.31.196.0/24", "anycast", True),  # AS112-v4, RFC 7535
    ("192.52.193.0/24", "anycast", True),  # AMT, RFC 7450
    ("192.88.99.0/24", "reserved", False),  # deprecated 6to4 relay anycast, RFC 7526
    ("192.168.0.0/16", "private", False),  # RFC 1918
    ("192.175.48.0/24", "anycast", True),  # direct delegation AS112, RFC 7534
    ("198.18.0.0/15", "benchmarking", False),  # RFC 2544
    ("198.51.100.0/24", "documentation", False),  # TEST-NET-2, RFC 5737
    ("203.0.113.0/24", "documentation", False),  # TEST-NET-3, RFC 5737
    ("224.0.0.0/4", "multicast", False),  # RFC 5771
    ("240.0.0.0/4", "reserved", False),  # RFC 1112
    ("255.255.255.255/32", "broadcast", False),  # limited broadcast, RFC 8190
)

_V6_TABLE: tuple[tuple[str, str, bool], ...] = (
    ("::/128", "unspecified", False),  # RFC 4291
    ("::1/128", "loopback", False),  # RFC 4291
    ("64:ff9b:1::/48", "private", False),  # local-use IPv4/IPv6 translation, RFC 8215
    ("100::/64", "reserved", False),  # discard-only, RFC 6666
    ("100:0:0:1::/64", "reserved", False),  # dummy IPv6 prefix, RFC 9780
    ("2001::/23", "reserved", False),  # IETF protocol assignments, RFC 2928
    ("2001:1::1/128", "anycast", True),  # PCP anycast, RFC 7723
    ("2001:1::2/128", "anycast", True),  # TURN anycast, RFC 8155
    ("2001:1::3/128", "anycast", True),  # DNS-SD SRP anycast, RFC 9665
    ("2001:2::/48", "benchmarking", False),  # RFC 5180
    ("2001:3::/32", "anycast", True),  # AMT, RFC 7450
    ("2001:4:112::/48", "anycast", True),  # AS112-v6, RFC 7535
    ("2001:10::/28", "reserved", False),  # deprecated ORCHID, RFC 4843
    ("2001:20::/28", "global", True),  # ORCHIDv2, RFC 7343
    ("2001:30::/28", "global", True),  # drone remote ID, RFC 9374
    ("2001:db8::/32", "documentation", False),  # RFC 3849
    ("2620:4f:8000::/48", "anycast", True),  # direct delegation AS112, RFC 7534
    ("3fff::/20", "documentation", False),  # RFC 9637
    ("5f00::/16", "reserved", False),  # SRv6 SIDs, RFC 9602
    ("fc00::/7", "private", False),  # unique-local, RFC 4193
    ("fe80::/10", "link-local", False),  # RFC 4291
    ("fec0::/10", "private", False),  # deprecated site-local, RFC 3879
    ("ff00::/8", "multicast", False),  # RFC 4291
)

_V4 = tuple(
    sorted(
        ((ipaddress.IPv4Network(n), k, g) for n, k, g in _V4_TABLE),
        key=lambda row: row[0].prefixlen,
        reverse=True,
    )
)
_V6 = tuple(
    sorted(
        ((ipaddress.IPv6Network(n), k, g) for n, k, g in _V6_TABLE),
        key=lambda row: row[0].prefixlen,
        reverse=True,
    )
)
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")  # the IPv6 Address Space registry
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")  # RFC 3056
_TEREDO = ipaddress.IPv6Network("2001::/32")  # RFC 4380
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")  # RFC 4291 2.5.5.2
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765 (SIIT)
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291 2.5.5.1, deprecated


def _v4_special(ip: ipaddress.IPv4Address) -> str | None:
    for network, kind, reachable in _V4:
        if ip in network:
            return None if reachable else kind
    return None


def _low32(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)


def _embedded(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, each with the name of the form that carries it."""
    if ip in _MAPPED:
        return [("IPv4-mapped", _low32(ip))]
    if ip in _TRANSLATED:
        return [("IPv4-translated", _low32(ip))]
    if ip in _COMPATIBLE and int(ip) > 1:
        return [("IPv4-compatible", _low32(ip))]
    if ip in _NAT64:
        return [("NAT64", _low32(ip))]
    if ip in _SIX_TO_FOUR:
        return [("6to4", ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF))]
    if ip in _TEREDO:
        server = ipaddress.IPv4Address((int(ip) >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~int(ip) & 0xFFFFFFFF)
        return [("Teredo", client), ("Teredo", server)]
    return []


def special_purpose(ip: IPAddress) -> Special | None:
    """None when `ip` is a globally reachable unicast address, else why not (see the module docstring).

    An IPv6 address carrying an IPv4 address is refused when the IPv4 address is; otherwise its own
    block decides. IPv4-mapped, NAT64, 6to4 and Teredo addresses carrying a public IPv4 address pass
    (the socket, translator or relay delivers them to that public address); the deprecated
    IPv4-compatible and IPv4-translated forms lie outside 2000::/3 and never pass.
    """
    if isinstance(ip, ipaddress.IPv4Address):
        kind = _v4_special(ip)
        return Special(kind) if kind else None
    for via, inner in _embedded(ip):
        kind = _v4_special(inner)
        if kind:
            return Special(kind, via, inner)
    if ip in _MAPPED or ip in _NAT64 or ip in _SIX_TO_FOUR or ip in _TEREDO:
        return None
    for network, kind, reachable in _V6:
        if ip in network:
            return None if reachable else Special(kind)
    if ip not in _GLOBAL_UNICAST:
        return Special("reserved")
    return None
