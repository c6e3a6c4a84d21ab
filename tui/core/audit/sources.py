"""Sources shared by the articles of an audit: one evidence archive, and each URL fetched once.

A columnist's year cites the same reports again and again. `SharedSources` is the pipeline's
`SourceProvider` for an audit: every article reads from and writes to one archive object (its index is
built once per process, not once per article), a URL asked for by several articles, at the same time or
later, is fetched and extracted once (single-flight; the others get the same outcome), and the fetcher's
limits (open requests overall and per host) hold across all the articles checked at once. Finished
outcomes are kept in memory up to a byte budget, least recently used first out; past that an article reads
the source back from the shared archive instead of the network.

Thread-safe and event-loop-agnostic (in-flight work is a `concurrent.futures.Future`), so the threads of a
Dask worker can share one instance even though each task runs its own event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..archive import Archive, url_key
from ..events import FetchEvent, SourceFailed, SourceFetched, SourceQueued
from ..fetch import FetchConfig, RequestLimits, SourceOutcome, fetch_sources
from ..pipeline import CheckOptions, bundled_archive_for

# Outcomes kept in memory for articles still to come (bodies plus extracted texts, in bytes/characters).
DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024

_Key = tuple[object, ...]
_Pending = concurrent.futures.Future[SourceOutcome]


def _size(outcome: SourceOutcome) -> int:
    size = len(outcome.result.body or b"")
    if outcome.source is not None:
        size += len(outcome.source.text) + len(outcome.source.page_text)
    return size + 1024


class SharedSources:
    """A `SourceProvider` (see `tui.core.pipeline`) shared by every article of one audit in one process.

    `archive_path` is the audit's WARC (None: no archive); `also_read` more WARCs to read from (other
    workers' archives of the same audit). A saved article with its own `NAME.warc.gz` beside it gets an
    archive that also reads that bundle, and its sources are not shared with other articles (the bundle
    may hold other copies than the live web).
    """

    def __init__(
        self,
        archive_path: Path | None,
        *,
        also_read: Sequence[Path] = (),
        memory_budget: int = DEFAULT_MEMORY_BUDGET,
    ) -> None:
        self.archive_path = archive_path
        self.also_read = tuple(also_read)
        self.archive = Archive(archive_path, also_read=self.also_read) if archive_path is not None else None
        self.memory_budget = memory_budget
        self._lock = threading.Lock()
        self._inflight: dict[_Key, concurrent.futures.Future[SourceOutcome]] = {}
        self._done: OrderedDict[_Key, SourceOutcome] = OrderedDict()
        self._done_bytes = 0
        # per event loop (a Dask worker runs one per task): the polite limits hold across articles
        self._limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RequestLimits] = (
            weakref.WeakKeyDictionary()
        )
        self.fetched = 0  # URLs this instance fetched or read itself (the others were shared)
        self.shared = 0  # outcomes handed to an article from another article's fetch

    # -- SourceProvider ------------------------------------------------------------------------------

    def archive_for(self, location: str, options: CheckOptions) -> Archive | None:
        if not options.use_archive:
            return None
        bundled = bundled_archive_for(location)
        if bundled is None:
            return self.archive
        return Archive(self.archive_path, also_read=(bundled, *self.also_read))

    async def fetch(
        self,
        urls: list[str],
        config: FetchConfig,
        *,
        archive: Archive | None,
        on_event: Callable[[FetchEvent], None] | None = None,
    ) -> AsyncIterator[SourceOutcome]:
        """One outcome per given URL, in completion order; each URL's work happens once per instance."""
        req = _Request(
            scope=(None if archive is None else (archive.path, archive.also_read), config),
            config=config,
            archive=archive,
            emit=on_event or (lambda event: None),
        )
        urls = list(dict.fromkeys(urls))
        mine, owned, waits = self._claim(urls, req.scope)
        tasks = []
        if mine:
            tasks.append(asyncio.ensure_future(self._fetch_own(mine, owned, req)))
        for url, pending in waits:
            req.emit(SourceQueued(url))
            tasks.append(asyncio.ensure_future(self._wait(url, pending, req)))
        try:
            for _ in urls:
                item = await req.queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- internals -----------------------------------------------------------------------------------

    def _claim(
        self, urls: Sequence[str], scope: tuple[object, ...]
    ) -> tuple[list[str], dict[_Key, _Pending], list[tuple[str, _Pending | SourceOutcome]]]:
        """Split `urls` into those this caller fetches and those already done or in flight elsewhere."""
        mine: list[str] = []
        owned: dict[_Key, _Pending] = {}
        waits: list[tuple[str, _Pending | SourceOutcome]] = []
        with self._lock:
            for url in urls:
                key = (*scope, url_key(url))
                if key in self._done:
                    self._done.move_to_end(key)
                    waits.append((url, self._done[key]))
                elif key in self._inflight:
                    waits.append((url, self._inflight[key]))
                else:
                    future: _Pending = concurrent.futures.Future()
                    future.set_running_or_notify_cancel()  # a waiter's cancellation must not cancel it
                    owned[key] = self._inflight[key] = future
                    mine.append(url)
        return mine, owned, waits

    async def _fetch_own(self, mine: list[str], owned: dict[_Key, _Pending], req: _Request) -> None:
        try:
            limits = self._limits_for(req.config)
            fetched = fetch_sources(mine, req.config, archive=req.archive, on_event=req.emit, limits=limits)
            async for outcome in fetched:
                key = (*req.scope, url_key(outcome.url))
                self._finish(key, owned.pop(key, None), outcome)
                req.queue.put_nowait(outcome)
        except BaseException as exc:
            if not isinstance(exc, asyncio.CancelledError):
                req.queue.put_nowait(exc)
            raise
        finally:
            # Cancelled (the article timed out or was interrupted) or broken: whoever waits on the URLs
            # not finished here fetches them itself.
            with self._lock:
                for key, future in owned.items():
                    self._inflight.pop(key, None)
                    future.set_exception(_Abandoned())

    async def _wait(self, url: str, pending: _Pending | SourceOutcome, req: _Request) -> None:
        """Hand over another article's outcome for `url`; fetch it here if that article gave up."""
        while not isinstance(pending, SourceOutcome):
            try:
                pending = await asyncio.wrap_future(pending)
            except _Abandoned:
                mine, owned, waits = self._claim([url], req.scope)
                if mine:
                    await self._fetch_own(mine, owned, req)
                    return
                pending = waits[0][1]
        with self._lock:
            self.shared += 1
        outcome = replace(
            pending,
            url=url,
            result=replace(pending.result, url=url),
            source=pending.source and replace(pending.source, url=url),
        )
        if outcome.source is None:
            req.emit(SourceFailed(url, outcome.error or "", outcome.result))
        else:
            req.emit(SourceFetched(url, outcome.result))
        req.queue.put_nowait(outcome)

    def _limits_for(self, config: FetchConfig) -> RequestLimits:
        loop = asyncio.get_running_loop()
        with self._lock:
            limits = self._limits.get(loop)
            if limits is None:
                limits = self._limits[loop] = RequestLimits(config)
            return limits

    def _finish(self, key: _Key, future: _Pending | None, outcome: SourceOutcome) -> None:
        with self._lock:
            self.fetched += 1
            self._inflight.pop(key, None)
            self._done[key] = outcome
            self._done_bytes += _size(outcome)
            while self._done_bytes > self.memory_budget and len(self._done) > 1:
                _, dropped = self._done.popitem(last=False)
                self._done_bytes -= _size(dropped)
        if future is not None:
            future.set_result(outcome)


@dataclass
class _Request:
    """One article's call to `SharedSources.fetch`: what identifies its URLs' work, how to fetch them,
    where its events go, and the queue its outcomes arrive on."""

    scope: tuple[object, ...]
    config: FetchConfig
    archive: Archive | None
    emit: Callable[[FetchEvent], None]
    queue: asyncio.Queue[SourceOutcome | BaseException] = field(default_factory=asyncio.Queue)


class _Abandoned(Exception):
    """The article that was fetching a URL stopped before it finished (timeout, interrupt)."""
