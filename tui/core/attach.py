"""The part of the `Checker` that deals with sources the user supplied by hand (issue 12).

A mixin, so the pipeline module stays the pipeline: which URL a link is read from (`target_url`), what an
outcome says about the user's changes (`_marks`), when the article was published (for Memento), and
`attach`, which the reader calls while the user goes on reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .article.dates import byline_date
from .errors import AttachError
from .models import NOT_SEARCHED, Link, LinkOutcome, Quote, QuoteOutcome, SuppliedTarget
from .supplied import SourcePlan, with_quote_links

if TYPE_CHECKING:
    from .fetch import SourceOutcome
    from .models import Article


class SuppliedSources:
    """Mixed into `pipeline.Checker`: grouping after the user's plan, targets, marks, attaching."""

    article: Article
    plan: SourcePlan
    links: tuple[Link, ...]
    outcomes: dict[int, LinkOutcome]
    fetched: dict[str, SourceOutcome]
    unlinked: dict[int, QuoteOutcome]
    found_quotes: tuple[Quote, ...]
    quotes: tuple[Quote, ...]
    unattributed: tuple[Quote, ...]
    _links_by_url: dict[str, list[Link]]
    _dirty: set[int]
    _quotes_by_link: dict[int, tuple[Quote, ...]]
    _group: Callable[[], None]
    _initial: Callable[[Link], LinkOutcome]
    _settle: Callable[[SourceOutcome], list[LinkOutcome]]
    _skip_reason: Callable[[Link], str | None]

    def _group(self) -> None:
        """Quotes per link and links per source URL, after what the user supplied (`self.plan`)."""
        self.quotes: tuple[Quote, ...] = with_quote_links(self.found_quotes, self.plan)
        self.unattributed: tuple[Quote, ...] = tuple(q for q in self.quotes if q.link_index is None)
        grouped: dict[int, list[Quote]] = {link.index: [] for link in self.links}
        for quote in self.quotes:  # one pass: a long article has tens of thousands of each
            if quote.link_index is not None:
                grouped[quote.link_index].append(quote)
        self._quotes_by_link: dict[int, tuple[Quote, ...]] = {i: tuple(qs) for i, qs in grouped.items()}
        self._links_by_url: dict[str, list[Link]] = {}
        for link in self.links:
            url = self.target_url(link)
            if url and self._skip_reason(link) is None:
                self._links_by_url.setdefault(url, []).append(link)
        self.unlinked: dict[int, QuoteOutcome] = {
            q.start: QuoteOutcome(q, replace(NOT_SEARCHED, framing=q.framing), self.plan.quotes.get(q.start))
            for q in self.unattributed
        }

    def target_url(self, link: Link) -> str | None:
        """What is read for `link`: the source the user supplied, else the link's own URL."""
        supplied = self.plan.links.get(link.index)
        return supplied.url if supplied is not None else link.url

    def _marks(self, link: Link) -> dict:
        """The outcome fields saying what the user changed about a link."""
        recovery = self.article.link_recovery
        return {
            "supplied": self.plan.links.get(link.index),
            "recovered": bool(recovery and recovery.url_at(link.anchor_start, link.anchor_end)),
            "user_quotes": frozenset(s for s, i in self.plan.quote_links.items() if i == link.index),
        }

    @property
    def published(self) -> str | None:
        """When the article was published (ISO), from its metadata or byline; None when it does not say."""
        spans = ((p.start, p.end) for p in self.article.paragraphs)
        return self.article.published or byline_date(self.article.text, spans)

    # -- sources the user supplies while reading ------------------------------------------------------

    def attach(
        self,
        *,
        link: int | None = None,
        quote_start: int | None = None,
        target: SuppliedTarget | None = None,
        to_link: int | None = None,
    ) -> list[str]:
        """Give link `link`, or the quote with no link starting at `quote_start`, a source (`target`), or
        put that quote under link `to_link`. Returns the URLs to read: pass them to `run(only_urls=...,
        refresh=True)`, which first re-emits the links this changed. Raises AttachError when the
        request names nothing in the article.
        """
        plan = self.plan
        if link is not None and target is not None and 0 <= link < len(self.links):
            plan = plan.merged(SourcePlan(links={link: target}))
        elif quote_start in self.unlinked and target is not None:
            plan = plan.merged(SourcePlan(quotes={quote_start: target}))
        elif quote_start in self.unlinked and to_link is not None and 0 <= to_link < len(self.links):
            plan = plan.merged(SourcePlan(quote_links={quote_start: to_link}))
        else:
            raise AttachError("Nothing to attach that source to: pick a claim or a quote with no link.")
        self.plan = plan
        before = {i: self._quotes_by_link[i] for i in self._quotes_by_link}
        self._group()
        for item in self.links:
            i = item.index
            if i == link or before[i] != self._quotes_by_link[i]:
                self.outcomes[i] = self._resettled(item)
                self._dirty.add(i)
        return [target.url] if target is not None else []

    def _resettled(self, link: Link) -> LinkOutcome:
        """A link's outcome after a change of plan: matched again against what was already read for it."""
        url = self.target_url(link)
        outcome = self.fetched.get(url) if url else None
        if outcome is None or self._skip_reason(link) is not None:
            return self._initial(link)
        return next(o for o in self._settle(outcome) if o.link.index == link.index)
