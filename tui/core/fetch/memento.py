"""Archived copies of sources that failed for good, asked of a Memento TimeGate (RFC 7089).

A TimeGate answers `GET <timegate><original URL>` sent with `Accept-Datetime` by redirecting to the capture
(memento) closest to that date; the memento carries a `Memento-Datetime` header. The Internet Archive's
Wayback Machine is such a TimeGate (`https://web.archive.org/web/`); its memento URLs look like
`/web/20220405123456/<original URL>`, and `id_` after the timestamp returns the capture's original bytes,
without the archive's toolbar and rewritten links - what we match against. Every request goes through the
fetcher (network policy on every hop, the evidence archive, the body cap), so a second run replays the
copy from the evidence archive.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from ..models import FetchResult, Memento
from .client import REDIRECT_STATUSES
from .messages import host_of, status_error

if TYPE_CHECKING:
    from .client import _Fetcher

# Wayback-style memento URLs (the Internet Archive, and archives running pywb or OpenWayback):
# <collection prefix><timestamp><flag>/<original>; a flag such as `id_`, `if_`, `im_` picks how the capture
# is replayed, `id_` being the original bytes
_STAMPED = re.compile(r"^(?P<stamp>\d{4,14})(?:[a-z]{2}_)?/(?P<original>.+)$", re.IGNORECASE)
_WAYBACK_PREFIX = re.compile(r"^https?://(?:web\.)?archive\.org/web/", re.IGNORECASE)


def _wayback_parts(memento_url: str, timegate: str | None) -> tuple[str, str, str] | None:
    """(prefix, timestamp, original URL) of a Wayback-style memento URL, else None."""
    prefixes = [m.group(0) for m in [_WAYBACK_PREFIX.match(memento_url)] if m]
    if timegate and memento_url.startswith(timegate):
        prefixes.append(timegate)
    for prefix in prefixes:
        m = _STAMPED.match(memento_url[len(prefix) :])
        if m:
            return prefix, m["stamp"], m["original"]
    return None


def accept_datetime(when: datetime) -> str:
    """The RFC 1123 date an Accept-Datetime header carries (RFC 7089 section 2.1.1), in GMT."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when.astimezone(UTC), usegmt=True)


def original_bytes_url(memento_url: str, timegate: str | None = None) -> str:
    """For a Wayback-style memento (the Wayback Machine's, or one under `timegate` shaped like it), its
    `id_` form: the capture's original bytes, without toolbar or rewritten links. Others unchanged."""
    parts = _wayback_parts(memento_url, timegate)
    if parts is None:
        return memento_url
    prefix, stamp, original = parts
    return f"{prefix}{stamp}id_/{original}"


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def memento_datetime(result: FetchResult, memento_url: str, timegate: str | None = None) -> str | None:
    """When the capture was made: its Memento-Datetime header, else the timestamp in a Wayback URL."""
    header = dict((k.lower(), v) for k, v in result.headers).get("memento-datetime")
    if header:
        try:
            return _iso(parsedate_to_datetime(header))
        except (TypeError, ValueError, IndexError):
            pass
    for url in (result.final_url or "", memento_url):
        parts = _wayback_parts(url, timegate)
        if parts:
            stamp = parts[1].ljust(14, "0")
            try:
                return _iso(datetime.strptime(stamp, "%Y%m%d%H%M%S"))
            except ValueError:
                continue
    return None


async def find_memento(fetcher: _Fetcher, url: str, failed: FetchResult) -> tuple[FetchResult | None, str]:
    """The capture of `url` closest to the configured date, as a result for `url` with `.memento` set.

    Returns (result, "") when a copy was read, else (None, a sentence saying why there is none).
    `failed` is the live attempt; its error becomes the memento's `original_error`.
    """
    fetcher = fetcher.reporting_as(url)
    cfg = fetcher.config
    assert cfg.memento_timegate is not None
    archive_host = host_of(cfg.memento_timegate)
    gate = cfg.memento_timegate + url
    when = cfg.accept_datetime or accept_datetime(datetime.now(UTC))
    hop = await fetcher.one_hop(gate, {"Accept-Datetime": when})
    if hop.error is not None:
        return None, f"Asking {archive_host} for an archived copy failed too: {hop.error}"
    headers = dict((k.lower(), v) for k, v in hop.headers)
    status = hop.http_status or 0
    if status in REDIRECT_STATUSES and headers.get("location"):
        memento_url = original_bytes_url(urljoin(gate, headers["location"].strip()), cfg.memento_timegate)
        result = await fetcher.obtain(memento_url)
    elif 200 <= status < 300 and "memento-datetime" in headers:  # the TimeGate is the memento itself
        memento_url = urljoin(gate, headers.get("content-location", gate))
        result = hop
    elif status in (404, 410):
        return None, f"{archive_host} has no archived copy of it either."
    else:
        return None, f"{archive_host} did not point to an archived copy (it answered {status})."
    problem = result.error or (
        status_error(result.http_status, host_of(memento_url), result.headers)
        if result.http_status is not None
        else None
    )
    if problem or result.body is None:
        return None, f"The archived copy at {archive_host} could not be read either: {problem or 'no body'}"
    stamp = memento_datetime(result, memento_url, cfg.memento_timegate)
    memento = Memento(
        url=result.final_url or memento_url,
        datetime=stamp or "",
        original_error=failed.error or "",
        original_failure=failed.failure,
    )
    return replace(result, url=url, error=None, failure=None, memento=memento), ""
