"""A progress bar on stderr for `sourcecheck check`, fed by the pipeline's fetch events."""

from __future__ import annotations

from typing import TextIO

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
