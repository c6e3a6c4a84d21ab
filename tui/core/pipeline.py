"""The one pipeline both faces drive: article -> links -> quotes -> fetch -> extract -> match.

`sourcecheck check` iterates `Checker.run()` and prints progress; the reader runs the same iterator in
a Textual worker and posts each event as a message. Neither recomputes what the other computes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from pathlib import Path

from .events import Event
from .models import Article, Link, LinkOutcome, Quote


@dataclass(frozen=True)
class CheckOptions:
    fetch: bool = True  # False: list links and quotes only (--no-fetch)
    offline: bool = False  # never touch the network; sources come from archives only
    refresh: bool = False  # fetch again even when the archive has a copy
    allow_private: bool = False  # permit loopback/private/link-local targets
    archive_path: Path | None = None  # --archive; None = the per-article archive in the data dir
    use_archive: bool = True  # False: neither read nor write any archive


class ArticleError(Exception):
    """The article itself is unusable; the message is one sentence for the user."""


async def open_article(location: str, options: CheckOptions) -> Article:
    """Load an article from a path or an http(s) URL."""
    raise NotImplementedError


class Checker:
    """Holds one article's pipeline state so the reader can refetch a single source later."""

    def __init__(self, article: Article, options: CheckOptions) -> None:
        self.article = article
        self.options = options
        self.links: tuple[Link, ...] = ()
        self.quotes: tuple[Quote, ...] = ()
        self.outcomes: dict[int, LinkOutcome] = {}

    async def run(
        self, *, only_urls: Collection[str] | None = None, refresh: bool = False
    ) -> AsyncIterator[Event]:
        raise NotImplementedError
        yield  # pragma: no cover

    def report(self) -> dict:
        raise NotImplementedError
