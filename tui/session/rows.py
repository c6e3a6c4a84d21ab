"""The article's rows as the pipeline reports them: one `Row` per link, kept current from core events.

Nothing here decides what an outcome means (that is `tui.core.status`); a row only remembers the latest
`LinkOutcome` of its link and where its fetch stands, which only the event stream knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..core import events as ev
from ..core.models import Link, LinkOutcome, Quote, QuoteMatch, QuoteOutcome
from ..core.status import QuoteStatus, is_citation, is_stripped, needs_attention, status_of

FetchState = Literal["queued", "fetching", "ok", "error", "skipped"]
# A quote's mark in a list: its status, or `pending` while its source is still on its way.
Mark = QuoteStatus | Literal["pending"]


@dataclass
class Row:
    """What is known about one link right now (mutable: it changes as sources arrive)."""

    link: Link
    outcome: LinkOutcome  # the latest one; before fetching, the pipeline's initial outcome
    state: FetchState = "queued"
    received: int = 0  # bytes of the source so far, while fetching

    @property
    def index(self) -> int:
        return self.link.index

    @property
    def quotes(self) -> tuple[tuple[Quote, QuoteMatch], ...]:
        """The claim's quotes in the pipeline's order (the report's `links[i].quotes`)."""
        return self.outcome.quotes

    @property
    def target_url(self) -> str | None:
        """Where this claim's source is read from: the source the user supplied, else the link's URL."""
        supplied = self.outcome.supplied
        return supplied.url if supplied is not None else self.link.url

    @property
    def settled(self) -> bool:
        """No fetch of this link is queued or running."""
        return self.state in ("ok", "error", "skipped")

    @property
    def stripped(self) -> bool:
        """The link's target was stripped and the user has not given it a source by hand."""
        return is_stripped(self.link) and self.outcome.supplied is None

    @property
    def citation(self) -> bool:
        return is_citation(self.link)

    @property
    def needs_attention(self) -> bool:
        return needs_attention(self.outcome)

    @property
    def failed(self) -> bool:
        """The source could not be read (a stripped link has none to read)."""
        return self.stripped or self.state == "error" or self.outcome.fetch_status == "error"

    def marks(self) -> tuple[Mark, ...]:
        """Each quote's mark: `pending` until its link settles, then what the core says it is."""
        return tuple(
            "pending" if not found.searched and not self.settled else status_of(found)
            for _, found in self.quotes
        )


@dataclass
class Rows:
    """All rows of one article, updated by `apply(event)`; `progress` says how far fetching is."""

    by_index: dict[int, Row] = field(default_factory=dict)
    unlinked: tuple[Quote, ...] = ()  # quotes attributed to no link, in article order
    # how each quote with no link fared (by its start offset): searched in every source of the article
    unlinked_outcomes: dict[int, QuoteOutcome] = field(default_factory=dict)
    urls: tuple[str, ...] = ()  # the distinct source URLs fetched, in reading order
    _by_url: dict[str, list[int]] = field(default_factory=dict)
    _done: set[str] = field(default_factory=set)

    def load(self, event: ev.ArticleLoaded) -> None:
        """(Re)build every row from the article's links and their initial outcomes."""
        fetched = set(event.urls)
        initial = {outcome.link.index: outcome for outcome in event.outcomes}
        self.by_index = {}
        self._by_url = {}
        self._done = set()
        self.urls = event.urls
        for link in event.links:
            outcome = initial.get(link.index) or LinkOutcome(link)
            row = Row(link, outcome)
            url = row.target_url
            row.state = "queued" if url in fetched else "skipped"
            self.by_index[link.index] = row
            if row.state == "queued" and url:
                self._by_url.setdefault(url, []).append(link.index)
        self.unlinked = tuple(q for q in event.quotes if q.link_index is None)
        self.unlinked_outcomes = {}

    def get(self, index: int | None) -> Row | None:
        return self.by_index.get(index) if index is not None else None

    def for_url(self, url: str) -> list[Row]:
        return [self.by_index[i] for i in self._by_url.get(url, [])]

    def apply(self, event: ev.Event) -> set[int]:
        """Record one fetch or match event; returns the indexes of the rows it changed."""
        if isinstance(event, ev.LinkChecked):
            return self._checked(event.outcome)
        if isinstance(event, ev.PipelineFinished):
            self._unlinked_checked(event.unattributed)
            changed: set[int] = set()
            for outcome in event.outcomes:
                changed |= self._checked(outcome)
            return changed
        if isinstance(event, ev.QuotesChecked):
            self._unlinked_checked(event.outcomes)
            return set()
        if isinstance(event, ev.ArticleLoaded):
            return set()
        rows = self.for_url(event.url)
        if isinstance(event, ev.SourceQueued):
            self._set(rows, "queued")
        elif isinstance(event, ev.SourceFetching):
            self._done.discard(event.url)
            self._set(rows, "fetching")
        elif isinstance(event, ev.SourceProgress):
            for row in rows:
                row.received = event.received
        elif isinstance(event, ev.SourceFetched):
            self._done.add(event.url)
        elif isinstance(event, ev.SourceFailed):
            self._done.add(event.url)
            self._set(rows, "error")
        return {row.index for row in rows}

    def attaching(self, index: int, url: str) -> Row | None:
        """Link `index` is read from `url` from now on (a source the user supplied): it is fetching."""
        row = self.by_index.get(index)
        if row is None:
            return None
        for indexes in self._by_url.values():
            if index in indexes:
                indexes.remove(index)
        self._by_url = {u: ixs for u, ixs in self._by_url.items() if ixs}
        self._by_url.setdefault(url, []).append(index)
        self._done.discard(url)
        row.state = "fetching"
        return row

    def unlinked_outcome(self, quote: Quote) -> QuoteOutcome | None:
        """How a quote with no link fared, once the pipeline has searched for it."""
        return self.unlinked_outcomes.get(quote.start)

    def refetching(self, url: str) -> list[Row]:
        """A refetch of `url` starts: its rows are fetching again."""
        self._done.discard(url)
        rows = self.for_url(url)
        self._set(rows, "fetching")
        return rows

    def progress(self) -> tuple[int, int]:
        """(sources done, sources to fetch)."""
        return len(self._done & self._by_url.keys()), len(self._by_url)

    def fetched(self, url: str | None) -> bool:
        """Whether `url` is one of the article's fetched sources."""
        return url is not None and url in self._by_url

    def _checked(self, outcome: LinkOutcome) -> set[int]:
        row = self.by_index.get(outcome.link.index)
        if row is None or (row.outcome == outcome and row.state == outcome.fetch_status):
            return set()
        row.outcome = outcome
        row.state = outcome.fetch_status
        if row.target_url in self._by_url:
            self._done.add(row.target_url)  # type: ignore[arg-type]
        return {row.index}

    def _unlinked_checked(self, outcomes: tuple[QuoteOutcome, ...]) -> None:
        self.unlinked_outcomes.update((o.quote.start, o) for o in outcomes)

    @staticmethod
    def _set(rows: list[Row], state: FetchState) -> None:
        for row in rows:
            row.state = state
