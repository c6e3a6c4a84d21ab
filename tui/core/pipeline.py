"""The one pipeline both faces drive: article -> links -> quotes -> fetch -> extract -> match.

`sourcecheck check` iterates `Checker.run()` and prints progress; the reader runs the same iterator in
a Textual worker and posts each event as a message. Neither recomputes what the other computes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from .article import ArticleError
from .article.bounded import from_bytes_bounded, load_file_bounded
from .attach import SuppliedSources
from .errors import ArchiveError
from .events import ArticleLoaded, Event, FetchEvent, LinkChecked, PipelineFinished, QuotesChecked
from .fetch.config import FetchConfig, SourceOutcome
from .framing import ArticleFraming
from .links import file_link_spans, find_links
from .locations import is_url
from .models import (
    NOT_SEARCHED,
    Article,
    Link,
    LinkOutcome,
    LinkRecovery,
    Quote,
    QuoteMatch,
    Source,
)
from .notes.attached import place_attached
from .options import CheckOptions, bundled_archive_for, fetch_config, open_archive
from .quotes import find_quotes
from .recovery import restore_links
from .report import build_report
from .sentences import ParagraphSentences
from .supplied import check_unlinked, plan_from_keys, plan_from_placed

if TYPE_CHECKING:  # pragma: no cover
    from .archive import Archive

# Fetching (httpx), the archive (warcio) and matching are imported where they are first used: a
# --no-fetch run, and the reader up to its first frame, need none of them (bench/e2e.py).

__all__ = [
    "ArticleError",
    "CheckOptions",
    "Checker",
    "PerArticleSources",
    "SourceProvider",
    "bundled_archive_for",
    "check_location",
    "fetch_config",
    "open_archive",
    "open_article",
]

_SKIP_REASONS = {
    "fragment": "The link's target was stripped (it points to '#'): restore it from the published article, "
    "or give the claim a source by hand.",
    "mailto": "An e-mail address, not a source that can be fetched.",
    "javascript": "A script link, not a source that can be fetched.",
    "local": "A relative link with no web address to resolve it against: open the article from its URL "
    "to check it.",
    "invalid": "The link's address is malformed, so it cannot be fetched.",
}
_FILE_REASON = (
    "A link to a file on the writer's computer (file://): sourcecheck never follows it, and the file is "
    "not read."
)
_IN_PAGE_REASON = "Not fetched: an in-page note or reference marker, not a source."
_BOILERPLATE_REASON = "Not fetched: a navigation, byline or share link rather than a citation."
_NO_FETCH_REASON = "Not fetched (--no-fetch)."


def uncited_notes(archive: Archive, cited: Sequence[str]) -> tuple[str, ...]:
    """One sentence per archive file holding records for addresses the article does not cite (nor
    reaches through a recorded redirect): such evidence is reported, never used."""
    notes = []
    try:
        found = archive.uncited(cited)
    except ArchiveError:
        return ()  # an unreadable archive was already reported when it was read
    for file, urls in sorted(found.items()):
        shown = ", ".join(u[:120] for u in sorted(urls)[:3]) + (", ..." if len(urls) > 3 else "")
        noun = "address" if len(urls) == 1 else "addresses"
        notes.append(
            f"The evidence archive {file.name} holds records for {len(urls)} {noun} the article does not "
            f"cite ({shown}); they were not used."
        )
    return tuple(notes)


class SourceProvider(Protocol):
    """Where a Checker gets its sources: which evidence archive, and how URLs become SourceOutcomes.

    The default (`PerArticleSources`) is what `check` does for one article: the article's own archive and
    one `fetch_sources` call. An audit of many articles passes a provider that shares one archive and
    fetches a URL cited by several articles once (`tui.core.audit.sources.SharedSources`).
    """

    def archive_for(self, location: str, options: CheckOptions) -> Archive | None:
        """The evidence archive to read from and write to for the article at `location`."""
        ...

    def fetch(
        self,
        urls: list[str],
        config: FetchConfig,
        *,
        archive: Archive | None,
        on_event: Callable[[FetchEvent], None] | None = None,
    ) -> AsyncIterator[SourceOutcome]:
        """Like `fetch_sources`: one outcome per given URL, in completion order; never raises for a source."""
        ...


class PerArticleSources:
    """The default SourceProvider: the article's own archive, every source fetched for this article."""

    def archive_for(self, location: str, options: CheckOptions) -> Archive | None:
        return open_archive(location, options)

    def fetch(
        self,
        urls: list[str],
        config: FetchConfig,
        *,
        archive: Archive | None,
        on_event: Callable[[FetchEvent], None] | None = None,
    ) -> AsyncIterator[SourceOutcome]:
        from .fetch.sources import fetch_sources

        return fetch_sources(urls, config, archive=archive, on_event=on_event)


async def open_article(
    location: str, options: CheckOptions, sources: SourceProvider | None = None
) -> Article:
    """Load an article from a path or an http(s) URL; ArticleError says why it is unusable.

    With `options.links_from`, stripped and missing links are restored from the published version
    (`Article.link_recovery` says which); a published version that cannot be read is reported, not fatal.
    """
    config = options.fetch_config or FetchConfig()
    if options.fetch and config.extract_mode != "inline":
        from .fetch.pool import prestart_extraction

        prestart_extraction()  # the sandbox starts while the article is read (it never waits on it)
    article = await _load_article(location, options, sources)
    if options.links_from:
        try:
            published = await _load_article(options.links_from, options, sources)
        except ArticleError as exc:
            return replace(article, link_recovery=LinkRecovery(options.links_from, error=str(exc)))
        article = await asyncio.to_thread(restore_links, article, published, options.links_from)
    return article


async def _load_article(location: str, options: CheckOptions, sources: SourceProvider | None) -> Article:
    if not is_url(location):  # the one budget: the body cap, then the extraction limits (article.bounded)
        return await load_file_bounded(location, options.fetch_config or FetchConfig())
    # The same network policy as for sources: the user chose this address, but not where it redirects
    # to, and a page that sends the reader to a private address must not be shown as the article.
    config = replace(fetch_config(options), memento_timegate=None)  # no archived copy of the article
    archive = (sources or PerArticleSources()).archive_for(location, options)
    outcome: SourceOutcome | None = None
    from .fetch.sources import fetch_sources

    async for fetched in fetch_sources([location], config, archive=archive, extract=False):
        outcome = fetched  # the body only: the article loader reads it (not extracted as a source too)
    if outcome is None or not outcome.result.ok:
        reason = (outcome.result.error or outcome.error) if outcome else "nothing came back."
        raise ArticleError(f"Could not open {location}: {reason}")
    result = outcome.result
    return await from_bytes_bounded(
        result.body,
        content_type=result.content_type,
        location=location,
        base_url=result.final_url or location,
        content_language=next((v for k, v in result.headers if k.lower() == "content-language"), None),
        config=config,
    )


async def check_location(
    location: str,
    options: CheckOptions,
    on_event: Callable[[Event], None] | None = None,
    *,
    sources: SourceProvider | None = None,
) -> Checker:
    """The whole pipeline in one call, for the headless commands (the reader drives `Checker.run` itself).

    `sources` decides where sources come from (default: this article's archive and its own fetches).
    Raises ArticleError when the article itself is unusable; a bad source never raises.
    """
    article = await open_article(location, options, sources)
    checker = Checker(article, options, sources=sources)
    async for event in checker.run():
        if on_event is not None:
            on_event(event)
    return checker


class Checker(SuppliedSources):
    """Holds one article's pipeline state, so the reader can refetch a single source later."""

    def __init__(
        self, article: Article, options: CheckOptions, *, sources: SourceProvider | None = None
    ) -> None:
        self.article = article
        self.options = options
        self.source_provider: SourceProvider = sources or PerArticleSources()
        sentences = ParagraphSentences(article)  # split once, read by claims, quotes and framing
        self.links: tuple[Link, ...] = find_links(article, sentences)
        self._file_links = file_link_spans(article)
        found = find_quotes(article, self.links, sentences)
        self.framing = ArticleFraming(
            article, self.links, found, sentences
        )  # cues computed here, read everywhere
        # the quotes as the article attributes them (`_group` applies what the user changed)
        self.found_quotes: tuple[Quote, ...] = tuple(
            replace(q, framing=self.framing.quote_cues(q)) for q in found
        )
        placed = place_attached(options.attached, article, self.links, self.found_quotes)
        self.orphaned_sources = tuple(p.attached for p in placed if p.orphaned)
        # saved choices first, then the command line's (AttachError: a key that names no link)
        self.plan = plan_from_placed(placed).merged(plan_from_keys(options.sources, self.links))
        self.sources: dict[str, Source] = {}
        self.archive_notes: tuple[str, ...] = ()  # sentences about the evidence archives themselves
        self.fetched: dict[str, SourceOutcome] = {}  # the last outcome per fetched URL
        self._dirty: set[int] = set()  # links whose outcome changed since the last run (attach)
        self._group()
        self.outcomes: dict[int, LinkOutcome] = {link.index: self._initial(link) for link in self.links}

    # -- what to fetch ------------------------------------------------------------------------------

    def _skip_reason(self, link: Link) -> str | None:
        if link.index in self.plan.links:  # the user asked for this source: fetched whatever the link is
            return None if self.options.fetch else _NO_FETCH_REASON
        if link.role != "citation" and link.target_kind == "fragment":
            return _IN_PAGE_REASON
        if link.target_kind == "local" and (link.anchor_start, link.anchor_end) in self._file_links:
            return _FILE_REASON
        if link.target_kind != "web" or not link.url:
            return _SKIP_REASONS.get(link.target_kind, "This link cannot be fetched.")
        if link.role != "citation":
            return _BOILERPLATE_REASON
        if not self.options.fetch:
            return _NO_FETCH_REASON
        return None

    def _initial(self, link: Link) -> LinkOutcome:
        quotes = tuple(
            (q, replace(NOT_SEARCHED, framing=q.framing)) for q in self._quotes_by_link[link.index]
        )
        return LinkOutcome(
            link=link,
            fetch_status="skipped",
            error=self._skip_reason(link),
            quotes=quotes,
            framing=self.framing.claim_cues(link),
            **self._marks(link),
        )

    def fetchable_urls(self) -> list[str]:
        """Distinct source URLs in reading order (links first, then the sources given to quotes)."""
        urls = dict.fromkeys(self._links_by_url)
        if self.options.fetch:
            urls.update(dict.fromkeys(t.url for t in self.plan.quotes.values()))
        return list(urls)

    def links_for(self, url: str) -> list[Link]:
        return self._links_by_url.get(url, [])

    # -- running ------------------------------------------------------------------------------------

    async def run(
        self, *, only_urls: Collection[str] | None = None, refresh: bool = False
    ) -> AsyncIterator[Event]:
        """Fetch, extract and match; yield progress as it happens, ending with PipelineFinished."""
        if only_urls is None:
            initial = tuple(self.outcomes[link.index] for link in self.links)
            yield ArticleLoaded(self.article, self.links, self.quotes, initial, tuple(self.fetchable_urls()))
        for index in sorted(self._dirty):  # changed by `attach` before this run
            yield LinkChecked(self.outcomes[index])
        self._dirty.clear()
        urls = [u for u in self.fetchable_urls() if only_urls is None or u in only_urls]
        if urls:
            queue: asyncio.Queue[Event | None] = asyncio.Queue()
            producer = asyncio.create_task(self._fetch_and_match(urls, refresh, queue.put_nowait))
            try:
                while (event := await queue.get()) is not None:
                    yield event
                await producer  # re-raise anything unexpected from the producer
            finally:
                if not producer.done():
                    producer.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await producer
        for outcome in await self._match_across_sources():
            yield LinkChecked(outcome)
        unlinked = tuple(self.unlinked.values())
        if unlinked or self.plan.quote_links:  # also when the last one was put under a link
            yield QuotesChecked(unlinked)
        yield PipelineFinished(tuple(self.outcomes[i] for i in sorted(self.outcomes)), unlinked)

    async def _fetch_and_match(
        self, urls: list[str], refresh: bool, emit: Callable[[Event | None], None]
    ) -> None:
        try:
            config = fetch_config(
                self.options, refresh=refresh, local_files=self.plan.local_files(), published=self.published
            )
            provider = self.source_provider
            archive = provider.archive_for(self.article.location, self.options)
            async for outcome in provider.fetch(urls, config, archive=archive, on_event=emit):
                self.fetched[outcome.url] = outcome
                # Matching is CPU work: a thread keeps the event loop (and the reader) responsive.
                settled = await asyncio.to_thread(self._settle, outcome)
                if outcome.source is not None:
                    self.sources[outcome.url] = outcome.source
                else:
                    self.sources.pop(outcome.url, None)
                for link_outcome in settled:
                    if self.target_url(link_outcome.link) != outcome.url:
                        continue  # the user gave this link another source meanwhile (`attach`)
                    self.outcomes[link_outcome.link.index] = link_outcome
                    emit(LinkChecked(link_outcome))
            if archive is not None:
                self.archive_notes = await asyncio.to_thread(uncited_notes, archive, self.fetchable_urls())
        finally:
            emit(None)

    def _settle(self, outcome: SourceOutcome) -> list[LinkOutcome]:
        """Outcomes for every link that cites one fetched source; pure, so it can run in a thread."""
        from .evidence import find_evidence
        from .match import match_quote

        settled = []
        for link in self.links_for(outcome.url):
            quotes: tuple[tuple[Quote, QuoteMatch], ...]
            own = self._quotes_by_link[link.index]
            if outcome.source is None:
                quotes = tuple((q, replace(NOT_SEARCHED, framing=q.framing)) for q in own)
                evidence = ()
            else:
                quotes = tuple(
                    (q, self._framed(q, match_quote(q.text, outcome.source), outcome.source)) for q in own
                )
                evidence = find_evidence(link.claim, outcome.source)
            result = LinkOutcome(
                link=link,
                fetch_status="ok" if outcome.source is not None else "error",
                fetch=outcome.result,
                source=outcome.source,
                error=outcome.error,
                quotes=quotes,
                evidence=evidence,
                framing=self.framing.outcome_cues(link, outcome.source, evidence, own),
                **self._marks(link),
            )
            settled.append(result)
        return settled

    def _framed(self, quote: Quote, found: QuoteMatch, source: Source | None) -> QuoteMatch:
        """The match with its framing cues, computed once here where the match is made."""
        return replace(found, framing=self.framing.match_cues(quote, found, source))

    async def _match_across_sources(self) -> list[LinkOutcome]:
        """A quote not in its own link's source is looked for in the article's other sources; so is every
        quote with no link (after the source the user gave it, if any)."""
        by_url = self._sources_by_first_link()
        changed = (
            await asyncio.to_thread(
                self._rematch_not_found, dict(self.outcomes), by_url, self._framed, self.target_url
            )
            if by_url  # nothing to look in (e.g. --no-fetch)
            else []
        )
        for outcome in changed:
            self.outcomes[outcome.link.index] = outcome
        pool = list(by_url.values())
        self.unlinked = await asyncio.to_thread(
            check_unlinked, self.unlinked, pool, self.fetched, self._framed
        )
        return changed

    @staticmethod
    def _rematch_not_found(
        outcomes: dict[int, LinkOutcome],
        by_url: dict[str, tuple[int, Source]],
        framed: Callable[[Quote, QuoteMatch, Source | None], QuoteMatch],
        target_url: Callable[[Link], str | None],
    ) -> list[LinkOutcome]:
        from .match import match_across

        changed = []
        for _, outcome in sorted(outcomes.items()):
            if not outcome.quotes:
                continue
            own_url = target_url(outcome.link)
            others: Sequence[tuple[int, Source]] = [
                (i, src) for url, (i, src) in by_url.items() if url != own_url
            ]
            if not others:
                continue
            updated = []
            for quote, found in outcome.quotes:
                if found.match == "not_found":
                    elsewhere = match_across(quote.text, None, others)
                    if elsewhere.match != "not_found":
                        # found in another link's source. Absent from all of them, a quote whose own
                        # source was never read stays "not checked": the other sources not holding it
                        # says nothing of what its own source says.
                        holder = (
                            dict(others).get(elsewhere.found_in_link)
                            if elsewhere.found_in_link is not None
                            else None
                        )
                        found = framed(quote, elsewhere, holder or outcome.source)
                updated.append((quote, found))
            if tuple(updated) != outcome.quotes:
                changed.append(replace(outcome, quotes=tuple(updated)))
        return changed

    def _sources_by_first_link(self) -> dict[str, tuple[int, Source]]:
        by_url: dict[str, tuple[int, Source]] = {}
        for link in self.links:
            url = self.target_url(link)
            if url in self.sources and url not in by_url and url in self._links_by_url:
                by_url[url] = (link.index, self.sources[url])
        return by_url

    def report(self) -> dict:
        """The `sourcecheck check --format json` object (see the contract in the README)."""
        outcomes = [self.outcomes[i] for i in sorted(self.outcomes)]
        unlinked = list(self.unlinked.values())
        return build_report(
            self.article, outcomes, unlinked, self.archive_notes, self.orphaned_sources, self.published
        )
