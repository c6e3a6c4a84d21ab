"""Progress bars on stderr: `sourcecheck check` (fed by the pipeline's fetch events) and `audit`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from ..core.audit.records import ArticleResult
from ..core.events import Event, SourceFailed, SourceFetched, SourceProgress, SourceQueued


class ProgressBar:
    """Redraws one line in place; says nothing when there is nothing to fetch."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.queued: set[str] = set()
        self.done: set[str] = set()
        self.failed: set[str] = set()
        self.received: dict[str, int] = {}

    def update(self, event: Event) -> None:
        if isinstance(event, SourceQueued):
            self.queued.add(event.url)
        elif isinstance(event, SourceProgress):
            self.received[event.url] = event.received
        elif isinstance(event, SourceFetched):
            self.done.add(event.url)
        elif isinstance(event, SourceFailed):
            self.done.add(event.url)
            self.failed.add(event.url)
        else:
            return
        self.draw()

    def line(self) -> str:
        total = len(self.queued) or 1
        filled = round(self.width * len(self.done) / total)
        kib = sum(self.received.values()) / 1024
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {len(self.done)}/{len(self.queued)} sources"
            f"{failed}, {kib:,.0f} KiB"
        )

    def draw(self) -> None:
        self.stream.write("\r" + self.line())
        self.stream.flush()

    def finish(self) -> None:
        if self.queued:
            self.stream.write("\n")
            self.stream.flush()


class AuditProgressBar:
    """`sourcecheck audit`'s line on stderr: articles done, sources, errors, rate and time left."""

    def __init__(self, stream: TextIO, width: int = 24, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.width = width
        self.clock = clock
        self.total = self.skipped = self.done = self.failed = 0
        self.sources = self.sources_failed = 0
        self.started_at = clock()
        self._drawn = 0.0

    # AuditObserver
    def planned(self, total: int, skipped: int) -> None:
        self.total, self.skipped = total, skipped
        self.draw(force=True)

    def started(self, spec: object) -> None:
        pass

    def event(self, event: Event) -> None:
        if isinstance(event, SourceFetched | SourceFailed):
            self.sources += 1
            self.sources_failed += isinstance(event, SourceFailed)
            self.draw()

    def finished(self, result: ArticleResult) -> None:
        self.done += 1
        self.failed += result.state == "failed"
        if result.worker != "local":  # no per-source events from a remote worker: count from the result
            self.sources += result.sources
            self.sources_failed += result.counts.get("sources_failed", 0)
        self.draw(force=True)

    def line(self) -> str:
        finished = self.skipped + self.done
        total = self.total or 1
        filled = round(self.width * finished / total)
        elapsed = max(self.clock() - self.started_at, 1e-6)
        rate = self.done / elapsed
        left = self.total - finished
        eta = f", ~{_duration(left / rate)} left" if rate > 0 and left else ""
        errors = f", {self.failed} failed" if self.failed else ""
        src_errors = f" ({self.sources_failed} failed)" if self.sources_failed else ""
        return (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {finished}/{self.total} articles{errors}, "
            f"{self.sources} sources{src_errors}, {_rate(rate)}{eta}"
        )

    def draw(self, *, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._drawn < 0.1:  # thousands of source events: redraw at most 10 times/s
            return
        self._drawn = now
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()

    def finish(self) -> None:
        self.draw(force=True)
        self.stream.write("\n")
        self.stream.flush()


def _rate(per_second: float) -> str:
    return f"{per_second:.1f} articles/s" if per_second >= 1 else f"{per_second * 60:.1f} articles/min"


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
