"""Progress events of the one pipeline; `sourcecheck check` prints them, the reader posts them as messages."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Article, FetchResult, Link, LinkOutcome, Quote, QuoteOutcome


@dataclass(frozen=True)
class ArticleLoaded:
    """The article is read: its links (claims) and quotes, before anything is fetched.

    `outcomes` holds one `LinkOutcome` per link, in link order, as it stands before fetching: the link's
    quotes grouped under it (each `searched=False`) and, for a link that will not be fetched, why not.
    `urls` are the distinct source URLs that will be fetched, in reading order.
    """

    article: Article
    links: tuple[Link, ...]
    quotes: tuple[Quote, ...]
    outcomes: tuple[LinkOutcome, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceQueued:
    url: str


@dataclass(frozen=True)
class SourceFetching:
    url: str


@dataclass(frozen=True)
class SourceProgress:
    url: str
    received: int  # bytes so far
    total: int | None  # Content-Length when the server sent one


@dataclass(frozen=True)
class SourceFetched:
    """A body arrived (from the network or the archive); extraction follows."""

    url: str
    result: FetchResult


@dataclass(frozen=True)
class SourceFailed:
    url: str
    error: str  # a sentence a person can act on
    result: FetchResult | None = None


@dataclass(frozen=True)
class LinkChecked:
    """A link's outcome is known (or improved: emitted again when cross-source matching finds more)."""

    outcome: LinkOutcome


@dataclass(frozen=True)
class QuotesChecked:
    """The quotes with no link were searched in every source of the article (and their own, if given)."""

    outcomes: tuple[QuoteOutcome, ...]


@dataclass(frozen=True)
class PipelineFinished:
    outcomes: tuple[LinkOutcome, ...]
    unattributed: tuple[QuoteOutcome, ...] = ()


FetchEvent = SourceQueued | SourceFetching | SourceProgress | SourceFetched | SourceFailed
Event = ArticleLoaded | FetchEvent | LinkChecked | QuotesChecked | PipelineFinished
