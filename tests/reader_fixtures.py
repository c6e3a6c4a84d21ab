"""A deterministic stand-in for the pipeline, for snapshot tests of the reader.

Snapshots must not change from run to run, so nothing here has a port, a clock or a network: the
article, its links and every outcome are built by hand with the shapes `tui.core.pipeline` produces.
`FakeChecker.gate` lets a test hold the pipeline between events to watch rows update live.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection

from tui.core import events as ev
from tui.core.models import (
    NOT_SEARCHED,
    Article,
    Evidence,
    FetchResult,
    Link,
    LinkOutcome,
    Paragraph,
    Quote,
    QuoteMatch,
    Source,
)
from tui.core.pipeline import CheckOptions

PARAGRAPHS = [
    "The harbour bridge is failing, and the council knows it.",
    "The mayor told the radio that the bridge is “the single most important piece of infrastructure "
    "this town owns”. Inspectors wrote that “the main span is safe for heavy goods vehicles in its "
    "current condition”, the Ledger reported.",
    "A policy institute estimated the toll revenue in a long report. The closure timeline is no longer "
    "online. The harbourmaster said so too.",
    "One page tried to smuggle terminal escapes into the reader, quoting “[bold]not bold[/bold] at all”.",
    "Residents call the crossing “the spine of the town”, and a councillor called the delay “a scandal”.",
]
TEXT = "\n\n".join(PARAGRAPHS)

SOURCE_RADIO = (
    "Morning Tide, 12 March 2026. Transcript.\n\n"
    "HOST: Mayor Reyes, thank you for joining us.\n\n"
    "REYES: Thank you. Let me be plain. The harbour bridge is the single most important piece of "
    "infrastructure this town owns. We will replace the bridge, and we will consult on how.\n\n"
    "HOST: And the ferries?\n\nREYES: The ferries can carry everyone who needs to cross, in good weather."
)
SOURCE_LEDGER = (
    "Harbour bridge inspection: what the report says\n\n"
    "The consultants found the deck in fair condition. The main span is safe for light vehicles in its "
    "current condition, but heavy goods vehicles should be diverted until the bearings are replaced.\n\n"
    "The bearings on the eastern pier are badly corroded. Years of patching amount to managed decline."
)
SOURCE_INSTITUTE = (
    "Bridging the gap: coastal infrastructure finance.\n\n"
    "Summary. A modest toll would recover the full construction cost within fifteen years, under "
    "central traffic assumptions.\n\n"
    "Maintenance spending would rise modestly once the new crossing opens."
)
SOURCE_HOSTILE = (
    "A hostile page.\n\nIt says [bold]not bold[/bold] at all and [link=https://evil.example]click[/link].\n"
    "Escapes: \x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "bidi \u202eevil\u202c done.\x9b2J"
)


def _span(needle: str, haystack: str = TEXT) -> tuple[int, int]:
    start = haystack.index(needle)
    return start, start + len(needle)


UNATTRIBUTED = tuple(
    Quote(text, *_span(text), paragraph=4) for text in ("the spine of the town", "a scandal")
)


def _paragraphs() -> tuple[Paragraph, ...]:
    out, pos = [], 0
    for para in PARAGRAPHS:
        out.append(Paragraph(pos, pos + len(para)))
        pos += len(para) + 2
    return tuple(out)


def _link(index: int, anchor: str, url: str | None, claim: str, kind: str = "web") -> Link:
    a_start, a_end = _span(anchor)
    c_start, c_end = _span(claim)
    paragraph = next(i for i, p in enumerate(_paragraphs()) if p.start <= a_start < p.end)
    return Link(index, url, kind, anchor, a_start, a_end, claim, c_start, c_end, paragraph)  # type: ignore[arg-type]


def build() -> tuple[Article, tuple[Link, ...], tuple[Quote, ...], dict[int, LinkOutcome]]:
    """The article, links, quotes and final outcomes of the fake pipeline."""
    article = Article("fixtures/harbour.md", "The harbour bridge (fixture)", TEXT, _paragraphs(), ())
    claim1 = PARAGRAPHS[1].split(". ")[0] + "."
    claim2 = PARAGRAPHS[1][len(claim1) + 1 :]
    links = (
        _link(0, "told the radio", "https://radio.example/transcript", claim1),
        _link(1, "the Ledger reported", "https://ledger.example/inspection", claim2),
        _link(
            2, "policy institute", "https://institute.example/report.pdf", PARAGRAPHS[2].split(". ")[0] + "."
        ),
        _link(
            3, "closure timeline", "https://ledger.example/gone", "The closure timeline is no longer online."
        ),
        _link(4, "harbourmaster", "javascript:void(0)", "The harbourmaster said so too.", kind="javascript"),
        _link(5, "smuggle terminal escapes", "https://hostile.example/", PARAGRAPHS[3]),
    )
    q0_text = "the single most important piece of infrastructure this town owns"
    q1_text = "the main span is safe for heavy goods vehicles in its current condition"
    q5_text = "[bold]not bold[/bold] at all"
    quotes = (
        Quote(q0_text, *_span(q0_text), paragraph=1, link_index=0),
        Quote(q1_text, *_span(q1_text), paragraph=1, link_index=1),
        Quote(q5_text, *_span(q5_text), paragraph=3, link_index=5),
        *UNATTRIBUTED,  # quoted, with no link to a source
    )
    m0 = QuoteMatch("verbatim", 1.0, q0_text, *_span(q0_text, SOURCE_RADIO))
    src1 = "The main span is safe for light vehicles in its current condition"
    m1 = QuoteMatch(
        "altered",
        0.83,
        src1,
        *_span(src1, SOURCE_LEDGER),
        flags=("qualifier_cut",),
        diff=(
            (0, "the main span is safe for "),
            (-1, "light vehicles"),
            (1, "heavy goods vehicles"),
            (0, " in its current condition"),
        ),
    )
    m5 = QuoteMatch("verbatim", 1.0, q5_text, *_span(q5_text, SOURCE_HOSTILE))

    def fetched(url: str, status: int = 200) -> FetchResult:
        return FetchResult(
            url, url, status, "text/html", b"", fetched_at="2026-03-14T09:30:00Z", from_archive=True
        )

    def source(url: str, title: str, text: str) -> Source:
        return Source(url, url, title, text, text, "text/html")

    evidence_text = "A modest toll would recover the full construction cost within fifteen years"
    outcomes = {
        0: LinkOutcome(
            links[0],
            "ok",
            fetched(links[0].url),
            source(links[0].url, "Morning Tide transcript", SOURCE_RADIO),
            quotes=((quotes[0], m0),),
        ),
        1: LinkOutcome(
            links[1],
            "ok",
            fetched(links[1].url),
            source(links[1].url, "Inspection findings", SOURCE_LEDGER),
            quotes=((quotes[1], m1),),
        ),
        2: LinkOutcome(
            links[2],
            "ok",
            fetched(links[2].url),
            source(links[2].url, "Bridging the gap", SOURCE_INSTITUTE),
            evidence=(
                Evidence(evidence_text, *_span(evidence_text, SOURCE_INSTITUTE), 0.61),
                Evidence(
                    "Maintenance spending would rise",
                    *_span("Maintenance spending would rise", SOURCE_INSTITUTE),
                    0.22,
                ),
            ),
        ),
        3: LinkOutcome(
            links[3],
            "error",
            FetchResult(links[3].url, links[3].url, 404, error="The server answered 404."),
            error="The server answered 404 Not Found: the page is gone or moved.",
        ),
        4: LinkOutcome(links[4], "skipped", error="A javascript: link points at no source."),
        5: LinkOutcome(
            links[5],
            "ok",
            fetched(links[5].url),
            source(links[5].url, "A [red]hostile[/red] page", SOURCE_HOSTILE),
            quotes=((quotes[2], m5),),
        ),
    }
    return article, links, quotes, outcomes


class FakeChecker:
    """Implements the `Checker` interface the reader uses, from `build()`'s canned data."""

    def __init__(self, article: Article, options: CheckOptions, *, gated: bool = False) -> None:
        self.article, self.links, self.quotes, self._final = build()
        self.options = options
        self.unattributed = tuple(q for q in self.quotes if q.link_index is None)
        self.outcomes: dict[int, LinkOutcome] = initial_outcomes(self.links, self.quotes)
        self.gate: asyncio.Queue[None] | None = asyncio.Queue() if gated else None
        self.runs: list[tuple[frozenset[str] | None, bool]] = []

    def fetchable_urls(self) -> list[str]:
        return [link.url for link in self.links if link.url and link.target_kind == "web"]

    async def _wait(self) -> None:
        if self.gate is not None:
            await self.gate.get()

    async def run(
        self, *, only_urls: Collection[str] | None = None, refresh: bool = False
    ) -> AsyncIterator[ev.Event]:
        self.runs.append((frozenset(only_urls) if only_urls is not None else None, refresh))
        for event in pipeline_events(self, only_urls):
            if isinstance(event, ev.SourceFetching):
                await self._wait()
            if isinstance(event, ev.LinkChecked):
                self.outcomes[event.outcome.link.index] = event.outcome
            if isinstance(event, ev.PipelineFinished):
                event = ev.PipelineFinished(tuple(self.outcomes[i] for i in sorted(self.outcomes)))
            yield event

    def report(self) -> dict:
        return {"article": {"location": self.article.location, "title": self.article.title}, "links": []}


def initial_outcomes(links, quotes) -> dict[int, LinkOutcome]:
    """What the pipeline knows before fetching: each link's quotes (not searched yet)."""
    return {
        link.index: LinkOutcome(
            link, "skipped", quotes=tuple((q, NOT_SEARCHED) for q in quotes if q.link_index == link.index)
        )
        for link in links
    }


def pipeline_events(checker=None, only_urls: Collection[str] | None = None) -> list[ev.Event]:
    """The whole event stream of the fake pipeline, in the order the real one emits it."""
    article, links, quotes, final = build()
    urls = [link.url for link in links if link.url and link.target_kind == "web"]
    if checker is not None:
        article, links, quotes = checker.article, checker.links, checker.quotes
        final = getattr(checker, "_final", final)
    initial = initial_outcomes(links, quotes)
    out: list[ev.Event] = []
    if only_urls is None:
        out.append(ev.ArticleLoaded(article, links, quotes, tuple(initial.values()), tuple(urls)))
    urls = [u for u in urls if only_urls is None or u in only_urls]
    out += [ev.SourceQueued(url) for url in urls]
    done = dict(initial)
    for link in links:
        if only_urls is None and link.target_kind != "web":
            done[link.index] = final[link.index]
            out.append(ev.LinkChecked(final[link.index]))
    for url in urls:
        out.append(ev.SourceFetching(url))
        for link in links:
            if link.url != url:
                continue
            outcome = final[link.index]
            if outcome.fetch_status == "error":
                out.append(ev.SourceFailed(url, outcome.error or "failed"))
            else:
                assert outcome.fetch is not None
                out.append(ev.SourceFetched(url, outcome.fetch))
            done[link.index] = outcome
            out.append(ev.LinkChecked(outcome))
    out.append(ev.PipelineFinished(tuple(done[i] for i in sorted(done))))
    return out


def fake_opener(*, gated: bool = False, holder: list | None = None):
    """An `opener` for `SourcecheckApp`; the created checker is appended to `holder` for inspection."""

    async def opener(location: str, options: CheckOptions):
        article, *_ = build()
        checker = FakeChecker(article, options, gated=gated)
        if holder is not None:
            holder.append(checker)
        return article, checker

    return opener


STRIPPED_ARTICLE = """# Council papers, every link stripped

The mayor [told the radio](#) that the bridge is “the single most important piece of infrastructure this
town owns”.

Inspectors [wrote](#) that “the main span is safe for heavy goods vehicles”.

The finance office [said](#) that a toll “would recover the full cost within fifteen
years”.
"""


def stripped_opener():
    """An `opener` running the REAL pipeline on an article whose every link was stripped: nothing to fetch."""
    from tui.core.article import article_from_bytes
    from tui.core.pipeline import Checker

    async def opener(location: str, options: CheckOptions):
        article = article_from_bytes(
            STRIPPED_ARTICLE.encode(), content_type="text/markdown", location=location, base_url=None
        )
        return article, Checker(article, options)

    return opener


# -- a wiki-style source: reference markers and an editorial tag inside the quoted sentences (issue 11) ----

WIKI_URL = "https://wiki.example/Brannock_Tunnel"
WIKI_PAGE = """<!doctype html><html><head><title>Brannock Tunnel - Harlpedia</title></head><body>
<div id="nav"><a href="/">Main page</a></div>
<main><h1>Brannock Tunnel</h1>
<p>The <b>Brannock Tunnel</b> is a disused railway tunnel in the fictional district of Harl, cut through the
chalk ridge between 1868 and 1871.<sup class="reference"><a href="#cite_note-1">[1]</a></sup></p>
<p>The tunnel carried goods traffic for ninety years.<sup class="reference"><a href="#cite_note-4">[4]</a>
</sup><sup class="reference"><a href="#cite_note-5">[5]</a></sup> Its ventilation shafts were sealed in
1964<sup class="noprint Inline-Template"><i>[<a href="/wiki/Help:Citation_needed">citation needed</a>]</i>
</sup> after a partial collapse, and the portals were bricked up.</p>
<p>The bore was lined with engineering brick in 1902<sup class="reference"><a href="#cite_note-6">[6]</a>
</sup> and repaired after the war, when the line was reopened for freight.</p>
<h2>References</h2><ol><li id="cite_note-1">Harl Gazette, 1871.</li><li id="cite_note-4">Rail Archive.</li>
<li id="cite_note-5">Goods ledgers, 1961.</li><li id="cite_note-6">Brick returns, 1902.</li></ol>
</main></body></html>"""


def wiki_article(url: str = WIKI_URL) -> str:
    """A Markdown article quoting `WIKI_PAGE` at `url`: one quote verbatim, one altered."""
    return (
        "# The tunnel under the ridge\n\n"
        f"The district's [history page]({url}) says that “the tunnel carried goods traffic for ninety "
        "years. Its ventilation shafts were sealed in 1964 after a partial collapse” and that “the bore "
        "was lined with red brick in 1902 and repaired after the war”.\n"
    )


class CannedSources:
    """A `SourceProvider` answering from canned bodies (url -> (content type, bytes)): the real
    extraction and matching, no network, no archive."""

    def __init__(self, bodies: dict[str, tuple[str, bytes]]) -> None:
        self.bodies = bodies

    def archive_for(self, location: str, options: CheckOptions) -> None:
        return None

    async def fetch(self, urls, config, *, archive=None, on_event=None):
        from tui.core.extract import extract_source
        from tui.core.fetch import SourceOutcome

        for url in urls:
            if on_event is not None:
                on_event(ev.SourceFetching(url))
            content_type, body = self.bodies[url]
            result = FetchResult(url, url, 200, content_type, body, fetched_at="2026-03-14T09:30:00Z")
            if on_event is not None:
                on_event(ev.SourceFetched(url, result))
            yield SourceOutcome(url, result, extract_source(result), None)


def wiki_opener():
    """An `opener` running the REAL pipeline on `wiki_article()`, its source answered by `CannedSources`."""
    from tui.core.article import article_from_bytes
    from tui.core.pipeline import Checker

    async def opener(location: str, options: CheckOptions):
        article = article_from_bytes(
            wiki_article().encode(), content_type="text/markdown", location=location, base_url=None
        )
        sources = CannedSources({WIKI_URL: ("text/html; charset=utf-8", WIKI_PAGE.encode())})
        return article, Checker(article, options, sources=sources)

    return opener


SOURCE_ARCHIVED = (
    "Closure timeline (archived)\n\n"
    "The harbour bridge will close to heavy goods vehicles in May while the bearings are replaced. "
    "Cars and buses keep both lanes until the new crossing opens."
)
SOURCE_SUPPLIED = (
    "Harbourmaster's notice to mariners, 2 March 2026.\n\n"
    "The harbourmaster confirms that the channel under the bridge stays open during the works."
)


def sources_opener():
    """The fake pipeline, with the dead closure timeline read from an archived copy (Memento) and the
    stripped harbourmaster link given a source by hand (issue 12): for snapshots of their labels."""
    from dataclasses import replace

    from tui.core.models import Memento, SuppliedTarget

    class SourcesChecker(FakeChecker):
        def __init__(self, article: Article, options: CheckOptions) -> None:
            super().__init__(article, options)
            dead, stripped = self._final[3], self._final[4]
            memento = Memento(
                "https://web.archive.org/web/20260301120000id_/https://ledger.example/gone",
                "2026-03-01T12:00:00Z",
                "The server answered 404 Not Found: the page is gone or moved.",
            )
            archived = FetchResult(
                dead.link.url or "", memento.url, 200, "text/html", b"",
                fetched_at="2026-03-14T09:31:00Z", memento=memento,
            )  # fmt: skip
            self._final[3] = replace(
                dead, fetch_status="ok", fetch=archived, error=None,
                source=Source(memento.url, memento.url, "Closure timeline", SOURCE_ARCHIVED, SOURCE_ARCHIVED),
            )  # fmt: skip
            given = "~/Downloads/harbourmaster-notice.html"
            supplied = SuppliedTarget(given, "file:///home/me/Downloads/harbourmaster-notice.html", "file")
            self._final[4] = replace(
                stripped, fetch_status="ok", supplied=supplied, error=None,
                fetch=FetchResult(supplied.url, supplied.url, None, "text/html", b"",
                                  fetched_at="2026-03-14T09:32:00Z"),
                source=Source(supplied.url, None, "Notice to mariners", SOURCE_SUPPLIED, SOURCE_SUPPLIED),
            )  # fmt: skip

    async def opener(location: str, options: CheckOptions):
        article, *_ = build()
        return article, SourcesChecker(article, options)

    return opener
