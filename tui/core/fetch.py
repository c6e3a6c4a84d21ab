"""Fetch every linked source concurrently, politely and safely, and turn each into readable text.

One shared httpx.AsyncClient; a global and a per-host limit on parallel requests; redirects followed
by hand so every hop passes the network policy and lands in the evidence archive; bodies read as a
stream and cut at a size cap (also after decompression, so a gzip bomb cannot fill memory).
Every failure becomes a SourceOutcome with one sentence a person can act on: nothing here raises
for a bad source.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http
import logging
import multiprocessing
import os
import ssl
import threading
import zlib
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from .. import __version__
from .archive import Archive, ArchiveError, url_key
from .events import FetchEvent, SourceFailed, SourceFetched, SourceFetching, SourceProgress, SourceQueued
from .extract import ExtractError, extract_source
from .models import FetchResult, Source
from .netpolicy import GuardedBackend, check_url_allowed, dns_failure

log = logging.getLogger(__name__)

ExtractMode = Literal["process", "thread", "inline"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
OFFLINE_MISSING = "Not in the evidence archive, and --offline is set."
# Bodies below this size are extracted in a thread: shipping them to a process costs more than it saves.
PROCESS_MIN_BYTES = 64 * 1024
KEEPALIVE = 10


@dataclass(frozen=True)
class FetchConfig:
    global_limit: int = 64
    per_host_limit: int = 6
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 10
    allow_private: bool = False
    offline: bool = False
    refresh: bool = False
    user_agent: str = f"sourcecheck/{__version__} (+article source checker)"
    # Where extraction runs. bench/fetch.py, 50 typical pages on 2 cores: a process pool finished in
    # 2.5 s against 4.4 s for threads on a quiet machine (they tie when the cores are busy), and keeps
    # readability's CPU work off the GIL the reader's event loop needs. Bodies under PROCESS_MIN_BYTES
    # still go to a thread, so a small refetch pays no pool start-up. Cost: ~85 MB for the workers.
    extract_mode: ExtractMode = "process"


@dataclass(frozen=True)
class SourceOutcome:
    url: str
    result: FetchResult  # always present (error results carry .error)
    source: Source | None  # readable text when extraction worked
    error: str | None  # one sentence (fetch or extraction failure); None when source is set


class _Failure(Exception):
    """A fetch failed for a reason already phrased for the user."""

    def __init__(self, message: str, result: FetchResult | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def status_error(status: int, host: str, headers: Iterable[tuple[str, str]] = ()) -> str | None:
    """The sentence for an HTTP status that means "no usable page", else None."""
    if 200 <= status < 300 and status != 204:
        return None
    try:
        phrase = f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        phrase = str(status)
    if status == 204:
        return f"The server answered {phrase}: there is no page at this address."
    if status in (401, 407):
        return (
            f"The server answered {phrase}: the page needs a login or a subscription "
            "(likely a paywall); open it in a browser to check."
        )
    if status == 403:
        return (
            f"The server answered {phrase}: the page is probably behind a paywall or a bot wall; "
            "open it in a browser to check."
        )
    if status in (404, 410):
        return (
            f"The server answered {phrase}: the page is gone or moved; "
            "look for an archived copy (e.g. the Wayback Machine)."
        )
    if status == 429:
        retry = dict((k.lower(), v) for k, v in headers).get("retry-after")
        when = f" (it asks to wait {retry} s)" if retry and retry.strip().isdigit() else ""
        return f"The server answered {phrase}: {host} is rate-limiting requests; try again later{when}."
    if status == 451:
        return f"The server answered {phrase}: the page is blocked for legal reasons where you are."
    if 300 <= status < 400:
        return f"The server answered {phrase} without saying where the page moved to."
    if status >= 500:
        return f"The server answered {phrase}: {host} has a problem on its side; try again later."
    return f"The server answered {phrase}: it refused to send the page."


def _exception_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def network_error(exc: Exception, url: str, config: FetchConfig) -> str:
    """One sentence for an httpx transport exception."""
    host = _host(url)
    chain = list(_exception_chain(exc))
    text = " ".join(str(e) for e in chain).lower()
    ours = str(exc)
    if ours.startswith(("Refused:", "Could not find the server", "Timed out looking up")):
        return ours  # already phrased by the connect-time guard (netpolicy.GuardedBackend)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"Timed out after {config.connect_timeout:g} s connecting to {host}."
    if isinstance(exc, httpx.TimeoutException):
        return f"Timed out after {config.read_timeout:g} s waiting for {host}."
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "certificate" in text:
        return (
            f"The secure connection to {host} failed: its certificate is not valid "
            "(expired, self-signed or for another name)."
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "tls" in text:
        return f"The secure connection to {host} failed (TLS handshake error); the site may be misconfigured."
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return f"{host} refused the connection: the server is down or not listening there."
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return dns_failure(host)
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to {host} ({_short(chain[-1])})."
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"The connection to {host} broke off before the page arrived."
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"Not a fetchable web address: {url[:200]}."
    return f"The request to {host} failed ({_short(chain[-1])})."


def _short(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg[:120]


# --- decoding -------------------------------------------------------------------------------------


class _Decoder:
    """Content-Encoding undone incrementally, with the output bounded (decompression bombs)."""

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _Failure(
                f"The server compressed the page as '{encoding}', which sourcecheck cannot decode."
            )
        self.coding = codings[0] if codings else None
        self._z: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decode `data`, producing at most `limit` + 1 bytes (so the caller can tell it overflowed)."""
        if self.coding is None:
            return data
        if self._z is None:  # deflate: zlib-wrapped per the RFC, raw in practice; try both
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            try:
                return self._z.decompress(data, limit + 1)
            except zlib.error:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            return self._z.decompress(self._z.unconsumed_tail + data, limit + 1)
        except zlib.error as exc:
            raise _Failure("The server sent a corrupt compressed page.") from exc

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            tail = self._z.flush()
        except zlib.error as exc:
            raise _Failure("The server sent a corrupt compressed page.") from exc
        if not self._z.eof:  # the stream's end (and gzip's checksum) never came
            raise _Failure("The server sent a corrupt or truncated compressed page.")
        return tail


# --- extraction pool ------------------------------------------------------------------------------

_pool: concurrent.futures.ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _process_pool() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # forkserver: forking a process that runs threads (Textual, the test server) is unsafe
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["tui.core.extract"])
            workers = max(1, min(4, os.cpu_count() or 1))
            _pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        return _pool


def shutdown_extract_pool() -> None:
    """Stop the worker processes (tests and the CLI call this; atexit does it otherwise)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


async def extract_async(result: FetchResult, mode: ExtractMode = "process") -> Source:
    """Run extraction off the event loop: in a worker process for big bodies, else in a thread."""
    if mode == "inline":
        return extract_source(result)
    loop = asyncio.get_running_loop()
    if mode == "process" and len(result.body or b"") >= PROCESS_MIN_BYTES:
        try:
            return await loop.run_in_executor(_process_pool(), extract_source, result)
        except BrokenProcessPool:
            shutdown_extract_pool()  # a worker died (OOM?): fall back to a thread for this one
    return await asyncio.to_thread(extract_source, result)


# --- the fetcher ----------------------------------------------------------------------------------

_ssl_context: ssl.SSLContext | None = None


def _tls() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~30 ms per client."""
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


def _guarded_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """The default transport, but connecting only to addresses the network policy allows.

    httpx has no public hook for its network backend; its pool keeps one in `_network_backend`
    (httpx 0.28 / httpcore 1.0, both pinned). Should that change, the per-hop check in `_follow`
    still applies; only the DNS-rebinding window reopens.
    """
    transport = httpx.AsyncHTTPTransport(verify=_tls(), limits=limits)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = GuardedBackend()
    else:  # pragma: no cover - only with an httpx/httpcore we do not pin
        log.warning("could not install the connect-time address check")
    return transport


class _Fetcher:
    def __init__(
        self,
        client: httpx.AsyncClient,
        config: FetchConfig,
        archive: Archive | None,
        emit: Callable[[str, FetchEvent], None],
    ) -> None:
        self.client = client
        self.config = config
        self.archive = archive
        self.emit = emit  # (key, event-for-the-canonical-url) -> fans out to every alias
        self.global_limit = asyncio.Semaphore(config.global_limit)
        self.host_limits: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    def _host_limit(self, url: str) -> asyncio.Semaphore:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port)
        sem = self.host_limits.get(key)
        if sem is None:
            sem = self.host_limits[key] = asyncio.Semaphore(self.config.per_host_limit)
        return sem

    async def _archive_call(self, fn: Callable[..., object], *args: object, **kw: object) -> object:
        try:
            return await asyncio.to_thread(fn, *args, **kw)
        except ArchiveError as exc:
            log.warning("%s", exc)
            return None

    async def obtain(self, url: str) -> FetchResult:
        """The response for `url`: from the archive when allowed, else from the network."""
        cfg = self.config
        if self.archive is not None and not cfg.refresh:
            found = await self._archive_call(self.archive.lookup, url)
            if isinstance(found, FetchResult):
                return found
        if cfg.offline:
            return FetchResult(url=url, error=OFFLINE_MISSING)
        try:
            # the total budget starts when the first request gets its slot, not while queued
            async with asyncio.timeout(None) as deadline:
                return await self._follow(url, deadline)
        except TimeoutError:
            return FetchResult(
                url=url,
                error=f"Gave up after {cfg.total_timeout:g} s: {_host(url)} did not send the whole "
                "page in time.",
            )
        except _Failure as failure:
            return replace(failure.result or FetchResult(url=url), url=url, error=failure.message)

    async def _follow(self, url: str, deadline: asyncio.Timeout) -> FetchResult:
        cfg = self.config
        current = urldefrag(url)[0]
        visited = {url_key(current)}
        for hop in range(cfg.max_redirects + 1):
            refusal = await check_url_allowed(
                current, allow_private=cfg.allow_private, timeout=cfg.connect_timeout
            )
            if refusal:
                if hop:
                    refusal = f"{refusal.rstrip('.')} (reached through a redirect from {_host(url)})."
                raise _Failure(refusal, FetchResult(url=url, final_url=current))
            result = await self._get(url, current, deadline if hop == 0 else None)
            location = dict((k.lower(), v) for k, v in result.headers).get("location")
            if result.http_status not in REDIRECT_STATUSES or not location:
                return replace(result, url=url)
            target = urldefrag(urljoin(current, location.strip()))[0]
            if url_key(target) in visited:
                raise _Failure(
                    f"Redirect loop: {_host(current)} sends the browser back to {target[:200]}, "
                    "which it already visited.",
                    replace(result, url=url),
                )
            visited.add(url_key(target))
            current = target
        raise _Failure(
            f"Gave up after {cfg.max_redirects} redirects starting at {_host(url)}: "
            "the link leads into a chain of redirects that does not end.",
            FetchResult(url=url, final_url=current),
        )

    async def _get(self, url: str, current: str, start: asyncio.Timeout | None) -> FetchResult:
        """One request, no redirect following; the body read up to the cap; archived as it arrived.

        The per-host slot is taken before the global one, so a crowd of links to one host waits
        without holding global slots that other hosts could use.
        """
        cfg = self.config
        async with self._host_limit(current), self.global_limit:
            if start is not None:
                start.reschedule(asyncio.get_running_loop().time() + cfg.total_timeout)
                self.emit(url, SourceFetching(url))
            try:
                async with self.client.stream("GET", current) as response:
                    return await self._read(url, current, response)
            except httpx.HTTPError as exc:
                raise _Failure(
                    network_error(exc, current, cfg), FetchResult(url=url, final_url=current)
                ) from exc

    async def _read(self, url: str, current: str, response: httpx.Response) -> FetchResult:
        cfg = self.config
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw)
        meta = FetchResult(
            url=url,
            final_url=current,
            http_status=response.status_code,
            content_type=response.headers.get("content-type"),
            headers=headers,
            fetched_at=now_iso(),
        )
        too_large = (
            f"The source is larger than {_mb(cfg.max_bytes)}, sourcecheck's limit; it stopped reading."
        )
        total: int | None = None
        length = response.headers.get("content-length", "")
        if length.isdigit():
            total = int(length)
            if total > cfg.max_bytes:
                raise _Failure(too_large, meta)
        raw: list[bytes] = []
        decoded: list[bytes] = []
        received = decoded_len = 0
        is_redirect = response.status_code in REDIRECT_STATUSES
        if not is_redirect:
            decoder = _Decoder(response.headers.get("content-encoding"))
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > cfg.max_bytes:
                    raise _Failure(too_large, meta)
                raw.append(chunk)
                out = decoder.feed(chunk, cfg.max_bytes - decoded_len)
                decoded_len += len(out)
                if decoded_len > cfg.max_bytes:
                    raise _Failure(too_large, meta)
                decoded.append(out)
                self.emit(url, SourceProgress(url, received, total))
            decoded.append(decoder.flush())
        result = replace(meta, body=b"".join(decoded))
        if self.archive is not None:
            request_headers = [(k, v) for k, v in response.request.headers.items() if k.lower() != "host"]
            await self._archive_call(
                self.archive.add,
                replace(result, url=current),
                raw_body=b"".join(raw),
                request_headers=request_headers,
            )
        return result


async def _source_outcomes(
    fetcher: _Fetcher, url: str, config: FetchConfig
) -> tuple[FetchResult, Source | None, str | None]:
    result = await fetcher.obtain(url)
    if result.error is None and result.http_status is not None:
        status_msg = status_error(result.http_status, _host(result.final_url or url), result.headers)
        if status_msg:
            result = replace(result, error=status_msg)
    if result.error is None and result.body is None:
        result = replace(result, error="Nothing came back for this source.")
    if result.error is not None:
        fetcher.emit(url, SourceFailed(url, result.error, result))
        return result, None, result.error
    fetcher.emit(url, SourceFetched(url, result))
    try:
        source = await extract_async(result, config.extract_mode)
    except ExtractError as exc:
        fetcher.emit(url, SourceFailed(url, str(exc), result))
        return result, None, str(exc)
    return result, source, None


async def fetch_sources(
    urls: Iterable[str],
    config: FetchConfig,
    *,
    archive: Archive | None = None,
    on_event: Callable[[FetchEvent], None] | None = None,
) -> AsyncIterator[SourceOutcome]:
    """Fetch and extract every distinct URL, yielding outcomes in completion order.

    URLs differing only in their #fragment are fetched once; each given URL still gets its own
    outcome (and events). Never raises for a bad source. Closing or cancelling the iterator cancels
    what is in flight and closes the HTTP client.
    """
    groups: dict[str, list[str]] = {}
    for url in urls:
        key = url_key(url)
        if url not in groups.setdefault(key, []):
            groups[key].append(url)
    if not groups:
        return

    def emit(url: str, event: FetchEvent) -> None:
        if on_event is None:
            return
        for alias in groups[url_key(url)]:
            on_event(replace(event, url=alias) if alias != url else event)  # type: ignore[type-var]

    for aliases in groups.values():
        emit(aliases[0], SourceQueued(aliases[0]))

    timeout = httpx.Timeout(
        connect=config.connect_timeout, read=config.read_timeout, write=config.read_timeout, pool=None
    )
    # few idle connections: most sources are on distinct hosts, and httpcore scans its idle connections
    # once per idle connection on every request (quadratic; 0.1 s of 0.45 s for 50 sources with 64)
    limits = httpx.Limits(max_connections=config.global_limit, max_keepalive_connections=KEEPALIVE)
    headers = {
        "User-Agent": config.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    async with httpx.AsyncClient(
        headers=headers,
        timeout=timeout,
        limits=limits,
        follow_redirects=False,
        verify=_tls(),
        transport=None if config.allow_private else _guarded_transport(limits),
    ) as client:
        fetcher = _Fetcher(client, config, archive, emit)

        async def run(aliases: list[str]) -> list[SourceOutcome]:
            url = aliases[0]
            try:
                result, source, error = await _source_outcomes(fetcher, url, config)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug must not take the other sources down with it
                log.exception("fetching %s failed", url)
                error = f"sourcecheck failed on this source ({type(exc).__name__}); please report it."
                result, source = FetchResult(url=url, error=error), None
                emit(url, SourceFailed(url, error, result))
            return [
                SourceOutcome(
                    url=alias,
                    result=replace(result, url=alias),
                    source=source and replace(source, url=alias),
                    error=error,
                )
                for alias in aliases
            ]

        tasks = [asyncio.ensure_future(run(aliases)) for aliases in groups.values()]
        try:
            for next_done in asyncio.as_completed(tasks):
                for outcome in await next_done:
                    yield outcome
        finally:
            for task in tasks:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*tasks, return_exceptions=True)
