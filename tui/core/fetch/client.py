"""One source, from the archive or the network: redirects followed by hand (each hop is a new request
through the client's policy transport, `netpolicy.new_client`, and lands in the evidence archive),
limits per host and overall, the body read as a stream through the body budget (`core.budget`)."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit

from ..archive import Archive, ArchiveError, url_key
from ..budget import BodyError, BodyReader, too_large
from ..errors import FetchError
from ..events import FetchEvent, SourceFetching, SourceProgress
from ..extract import media_type
from ..models import FetchResult
from .config import FetchConfig
from .files import content_type_for, file_path, read_local_file
from .messages import OFFLINE_MISSING, host_of, network_failure
from .refresh import page_redirect

if TYPE_CHECKING:  # pragma: no cover - httpx is imported with the first request (see Network)
    import httpx

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})

KEEPALIVE = 10


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RequestLimits:
    """How many requests may be open at once: `config.global_limit` in all, `config.per_host_limit` per
    host. One per `fetch_sources` call by default; an audit passes one to every article's call so that
    the limits hold across articles checked at the same time. Bound to one event loop."""

    def __init__(self, config: FetchConfig) -> None:
        self.per_host = config.per_host_limit
        self.overall = asyncio.Semaphore(config.global_limit)
        self.hosts: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port)
        sem = self.hosts.get(key)
        if sem is None:
            sem = self.hosts[key] = asyncio.Semaphore(self.per_host)
        return sem


def _cookie_state(jar: httpx.Cookies) -> frozenset[tuple[str, str, str, str]]:
    return frozenset((c.name, c.value or "", c.domain, c.path) for c in jar.jar)


def _next_hop(result: FetchResult, current: str) -> str | None:
    """Where a response sends the browser next: an HTTP redirect's Location, or an HTML page's meta
    refresh or trivial script redirect (see refresh.py); None when this is the page."""
    if result.http_status in REDIRECT_STATUSES:
        location = dict((k.lower(), v) for k, v in result.headers).get("location")
        return urldefrag(urljoin(current, location.strip()))[0] if location else None
    if result.http_status == 200 and result.body and media_type(result.content_type) in _HTML_TYPES:
        return page_redirect(result.body, result.content_type, current)
    return None


def no_cookie_jar() -> CookieJar:
    """A jar that never keeps a cookie: the shared client must not carry one source's cookies to another
    (each source has its own jar in `_Fetcher._follow`)."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class Network:
    """The HTTP client, opened on the first request that needs the network: a run whose sources all
    come from the archive imports no HTTP library and builds no TLS context (bench/e2e.py: the reader
    on a bundled sample). `open_client` returns the client's async context manager; `stack` closes it."""

    def __init__(
        self,
        open_client: Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]] | None,
        stack: AsyncExitStack | None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._open_client, self._stack = open_client, stack
        self._client = client
        self._lock = asyncio.Lock()

    @classmethod
    def opened(cls, client: httpx.AsyncClient) -> Network:
        """A client already open (the caller closes it)."""
        return cls(None, None, client)

    async def client(self) -> httpx.AsyncClient:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    assert self._open_client is not None and self._stack is not None
                    self._client = await self._stack.enter_async_context(self._open_client())
        return self._client


class _Fetcher:
    def __init__(
        self,
        network: Network | httpx.AsyncClient | None,  # None when offline: only the archive is read
        config: FetchConfig,
        archive: Archive | None,
        emit: Callable[[str, FetchEvent], None],
        limits: RequestLimits | None = None,
    ) -> None:
        self.network = network if network is None or isinstance(network, Network) else Network.opened(network)
        self.config = config
        self.archive = archive
        self.emit = emit  # (key, event-for-the-canonical-url) -> fans out to every alias
        self.limits = limits or RequestLimits(config)
        self._jars: dict[str, httpx.Cookies] = {}  # per source being fetched: its own cookies, in memory

    async def _archive_call(self, fn: Callable[..., object], *args: object, **kw: object) -> object:
        try:
            return await asyncio.to_thread(fn, *args, **kw)
        except ArchiveError as exc:
            log.warning("%s", exc)
            return None

    def reporting_as(self, url: str) -> _Fetcher:
        """This fetcher (same client, limits, archive), its progress events told as `url`'s: for requests
        made on a source's behalf at another address (an archived copy of it)."""
        view = copy.copy(self)
        view.emit = lambda _key, event: self.emit(url, replace(event, url=url))
        return view

    async def obtain(self, url: str) -> FetchResult:
        """The response for `url`: from the archive when allowed, else from the network (or, for a file the
        user attached, from that file)."""
        cfg = self.config
        if url[:5].lower() == "file:":
            return await self._local_file(url)
        if self.archive is not None and not cfg.refresh:
            found = await self._archive_call(self.archive.lookup, url)
            hops = 0
            # a page that sends the browser on by itself (meta refresh) was archived with its target
            while isinstance(found, FetchResult) and found.error is None and hops < cfg.max_redirects:
                target = _next_hop(found, found.final_url or url) if found.http_status == 200 else None
                nxt = await self._archive_call(self.archive.lookup, target) if target else None
                if not isinstance(nxt, FetchResult):
                    break
                found, hops = replace(nxt, url=url), hops + 1
            # an archived copy the body budget refused is replaced by a fresh one when we may fetch
            if isinstance(found, FetchResult) and (found.error is None or cfg.offline):
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
                error=f"Gave up after {cfg.total_timeout:g} s: {host_of(url)} did not send the whole "
                "page in time.",
            )
        except FetchError as failure:
            return replace(failure.result or FetchResult(url=url), url=url, error=failure.message)

    async def _follow(self, url: str, deadline: asyncio.Timeout) -> FetchResult:
        """Follow HTTP redirects, meta refreshes and trivial script redirects as a browser does.

        Cookies set along the way are sent on the next hops (a jar for this source only, never written to
        disk); a loop is the same URL asked for with the same cookies twice, so a "302 + Set-Cookie back to
        the same URL" cookie check is followed once, as browsers do.
        """
        import httpx

        from ..netpolicy import url_problem

        cfg = self.config
        current = urldefrag(url)[0]
        jar = self._jars[url] = httpx.Cookies()
        visited = {(url_key(current), _cookie_state(jar))}
        try:
            for hop in range(cfg.max_redirects + 1):
                problem = url_problem(current)
                if problem:  # before any limit or pool sees it: a malformed address is a sentence
                    raise FetchError(problem, FetchResult(url=url, final_url=current))
                try:
                    result = await self._get(url, current, deadline if hop == 0 else None)
                except FetchError as failure:
                    if hop and failure.message.startswith("Refused:"):  # the network policy, at this hop
                        failure.message = (
                            f"{failure.message.rstrip('.')} (reached through a redirect from {host_of(url)})."
                        )
                        failure.args = (failure.message,)
                    raise
                target = _next_hop(result, current)
                if target is None:
                    return replace(result, url=url)
                state = (url_key(target), _cookie_state(jar))
                if state in visited:
                    raise FetchError(
                        f"Redirect loop: {host_of(current)} sends the browser back to {target[:200]}, "
                        "which it already visited.",
                        replace(result, url=url),
                    )
                visited.add(state)
                current = target
        finally:
            del self._jars[url]
        raise FetchError(
            f"Gave up after {cfg.max_redirects} redirects starting at {host_of(url)}: "
            "the link leads into a chain of redirects that does not end.",
            FetchResult(url=url, final_url=current),
        )

    async def one_hop(self, url: str, headers: dict[str, str]) -> FetchResult:
        """One request for `url` with extra `headers`, redirects NOT followed (the caller reads `Location`):
        the archive's record of it when allowed, else the network, after the network policy."""
        cfg = self.config
        if self.archive is not None and not cfg.refresh:
            found = await self._archive_call(self.archive.lookup, url, follow=False)
            if isinstance(found, FetchResult):
                return found
        if cfg.offline:
            return FetchResult(url=url, error=OFFLINE_MISSING)
        from ..netpolicy import url_problem

        problem = url_problem(url)  # the network policy itself is in the transport, as for every request
        if problem:
            return FetchResult(url=url, final_url=url, error=problem)
        try:
            async with asyncio.timeout(cfg.total_timeout):
                return await self._get(url, url, None, headers)
        except TimeoutError:
            return FetchResult(
                url=url, error=f"Gave up after {cfg.total_timeout:g} s: {host_of(url)} did not answer."
            )
        except FetchError as failure:
            return replace(failure.result or FetchResult(url=url), url=url, error=failure.message)

    async def _local_file(self, url: str) -> FetchResult:
        """A file the user attached: read afresh while it exists (the archive keeps each new version), from
        the evidence archive once it is gone. Never a file the user did not attach."""
        cfg = self.config
        if url not in cfg.local_files:
            return FetchResult(
                url=url, error="Refused: sourcecheck reads a file on this computer only when you attach it."
            )
        path = file_path(url)
        try:
            body = await asyncio.to_thread(read_local_file, path, cfg.max_bytes)
        except FetchError as failure:
            kept = None
            if self.archive is not None and not path.exists():
                kept = await self._archive_call(self.archive.lookup, url)
            if isinstance(kept, FetchResult):
                return kept
            return FetchResult(url=url, final_url=url, error=failure.message)
        result = FetchResult(
            url=url, final_url=url, content_type=content_type_for(path), body=body, fetched_at=now_iso()
        )
        if self.archive is not None:
            kept = await self._archive_call(self.archive.lookup, url)
            if not (isinstance(kept, FetchResult) and kept.body == body):
                await self._archive_call(
                    self.archive.add_resource,
                    url,
                    body,
                    content_type=result.content_type,
                    fetched_at=result.fetched_at,
                )
        return result

    async def _get(
        self, url: str, current: str, start: asyncio.Timeout | None, headers: dict[str, str] | None = None
    ) -> FetchResult:
        """One request, no redirect following; the body read up to the cap; archived as it arrived.

        The per-host slot is taken before the global one, so a crowd of links to one host waits
        without holding global slots that other hosts could use.
        """
        import httpx

        cfg = self.config
        assert self.network is not None, "offline: nothing reaches the network"
        client = await self.network.client()
        async with self.limits.host(current), self.limits.overall:
            if start is not None:
                start.reschedule(asyncio.get_running_loop().time() + cfg.total_timeout)
                self.emit(url, SourceFetching(url))
            try:
                request = client.build_request("GET", current, headers=headers)
                jar = self._jars.get(url)
                if jar is not None:
                    jar.set_cookie_header(request)
                response = await client.send(request, stream=True)
                try:
                    if jar is not None:
                        jar.extract_cookies(response)
                    return await self._read(url, current, response)
                finally:
                    await response.aclose()
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError, UnicodeError) as exc:
                # httpx raises InvalidURL / StreamError outside its HTTPError tree, and h11 or the URL
                # parser a ValueError or UnicodeError on bytes it cannot handle: all are this source's
                message, failure = network_failure(exc, current, cfg)
                raise FetchError(message, FetchResult(url=url, final_url=current, failure=failure)) from exc

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
        total: int | None = None
        length = response.headers.get("content-length", "")
        if length.isdigit():
            total = int(length)
            if total > cfg.max_bytes:
                raise FetchError(too_large("The source", cfg.max_bytes), meta)
        raw: list[bytes] = []
        body = b""
        if response.status_code not in REDIRECT_STATUSES:
            try:
                reader = BodyReader("The source", cfg.max_bytes, response.headers.get("content-encoding"))
                async for chunk in response.aiter_raw():
                    reader.feed(chunk)
                    raw.append(chunk)
                    self.emit(url, SourceProgress(url, reader.raw, total))
                body = reader.finish()
            except BodyError as exc:
                raise FetchError(str(exc), meta) from exc
        result = replace(meta, body=body)
        if self.archive is not None:
            request_headers = [(k, v) for k, v in response.request.headers.items() if k.lower() != "host"]
            await self._archive_call(
                self.archive.add,
                replace(result, url=current),
                raw_body=b"".join(raw),
                request_headers=request_headers,
            )
        return result
