"""The reader: claims on the left, the article's words and the source's own on the right, notes below.

The pipeline runs in an exclusive async worker and posts each core event as a `PipelineEvent`; the
screen only keeps per-link state (`ClaimRow`) and redraws what changed, so it is usable from the first
frame and answers keys while sources load.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote as url_quote

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.worker import Worker, WorkerState

from ..core import events as ev
from ..core import locations
from ..core.anchoring import anchor_notes
from ..core.export import export_markdown
from ..core.models import Article, Link, LinkOutcome, Quote, QuoteMatch
from ..core.notes import AnchoredNote, NotesError, NoteStore, NoteTarget
from ..core.pipeline import ArticleError, Checker, CheckOptions
from ..core.safe_text import one_line
from ..messages import ArticleFailed, ArticleOpened, PipelineEvent
from ..widgets.claims_list import UNATTRIBUTED_ID, ClaimRow, ClaimsList
from ..widgets.note_editor import NoteEditor
from ..widgets.source_pane import SourcePane
from ..widgets.text_view import Highlight, TextView
from .find import FindScreen
from .help import HelpScreen
from .picker import PickerScreen, remember

Opener = Callable[[str, CheckOptions], Awaitable[tuple[Article, Checker]]]
SAVE_DELAY = 0.5


@dataclass
class NoteState:
    """The reader's copy of one note: what is on screen is always here first, then in the database."""

    target: NoteTarget
    note_id: int | None = None
    verdict: str | None = None
    body: str = ""
    saved_body: str = ""


class ReaderScreen(Screen[None]):
    """Walk an article's claims beside their sources."""

    # Footer labels are short and the most used come first (80 columns cut the end of the footer);
    # TITLES are what help and the palette show.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "next_claim", "Claim", key_display="j/k", id="next_claim"),
        Binding("k,up", "prev_claim", "Previous claim", show=False, id="prev_claim"),
        Binding("n", "next_quote", "Quote", key_display="n/p", id="next_quote"),
        Binding("p", "prev_quote", "Previous quote", show=False, id="prev_quote"),
        Binding("e", "edit_note", "Note", id="edit_note"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("f", "toggle_filter", "Filter", id="toggle_filter"),
        Binding("slash", "find", "Find", key_display="/", id="find"),
        Binding("x", "export", "Export", id="export"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("o", "open_source", "Open", id="open_source"),
        Binding("r", "refetch", "Refetch", id="refetch"),
        Binding("w", "open_archived", "Archived copy", show=False, id="open_archived"),
        Binding("1,a", "verdict('accurate')", "Accurate", show=False, id="verdict_accurate"),
        Binding("2", "verdict('altered')", "Altered", show=False, id="verdict_altered"),
        Binding("3", "verdict('cut')", "Cut / out of context", show=False, id="verdict_cut"),
        Binding("4", "verdict('unsupported')", "Unsupported", show=False, id="verdict_unsupported"),
        Binding("5", "verdict('cant_verify')", "Can't verify", show=False, id="verdict_cant_verify"),
        Binding("0", "verdict('')", "Clear verdict", show=False, id="verdict_clear"),
        Binding("tab", "app.focus_next", "Switch pane", show=False, id="switch_pane"),
        Binding("escape", "back", "Back to the list", show=False, id="back"),
    ]
    TITLES: ClassVar[dict[str, str]] = {
        "next_claim": "Next claim",
        "next_quote": "Next quote, then the claim itself (no quote: next passage)",
        "prev_quote": "Previous quote, or the claim itself",
        "help": "Help: keys and marks",
        "toggle_filter": "Filter: only claims needing attention",
        "find": "Find in source",
        "edit_note": "Edit the note",
        "open_source": "Open the source in the browser",
        "refetch": "Refetch the source",
        "open_archived": "Open an archived copy (Wayback Machine)",
        "export": "Export the markdown report",
        "verdict_accurate": "Verdict: accurate",
        "verdict_altered": "Verdict: altered",
        "verdict_cut": "Verdict: cut / out of context",
        "verdict_unsupported": "Verdict: unsupported",
        "verdict_cant_verify": "Verdict: can't verify",
        "verdict_clear": "Clear the verdict",
        "back": "Back to the article picker",
    }

    @classmethod
    def title_of(cls, binding: Binding) -> str:
        return cls.TITLES.get(binding.id or "", binding.description)

    def __init__(
        self, location: str, options: CheckOptions, opener: Opener, db_path: Path | None = None
    ) -> None:
        super().__init__()
        self.location = location
        self.options = options
        self.opener = opener
        self.db_path = db_path
        self.article: Article | None = None
        self.checker: Checker | None = None
        self.links: tuple[Link, ...] = ()
        self.quotes: tuple[Quote, ...] = ()
        self.rows: dict[int, ClaimRow] = {}
        self.url_links: dict[str, list[int]] = {}
        self.sources_done: set[str] = set()
        self.finished = False
        # The subject within the selected row: a quote index, -1 for the claim itself (of a claim with
        # quotes), an evidence index (of a claim without), or an index into `unattributed`.
        self.quote_position = 0
        self.shown_link: int | None = None
        self.shown_id: str | None = None  # the option id on screen (`link-N` or the unattributed row)
        self.unattributed: list[Quote] = []
        self.store: NoteStore | None = None
        self.notes: dict[tuple[int | None, int | None], NoteState] = {}
        self.orphans: list[AnchoredNote] = []
        self.find_term = ""
        self.find_from = 0
        self._save_timer: Timer | None = None
        self._loading_note = False
        self._warned_no_store = False
        self._dirty_rows: set[int] = set()
        self._article_dirty = False
        self._status_dirty = False
        self._ticks = 0
        self._last_status: Content | None = None
        self._binding_state: tuple[bool | None, ...] = ()
        self.error: str | None = None

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status", markup=False)
        with Horizontal(id="main"):
            yield ClaimsList(id="claims")
            with Vertical(id="right"):
                with Horizontal(id="panes"):
                    yield TextView(id="article-text")
                    yield SourcePane(id="source-pane")
                yield NoteEditor(id="note")
        yield Footer()

    def on_mount(self) -> None:
        self._set_narrow(self.app.size.width < 120)  # before the first layout, not after it
        self.query_one("#article-text").border_title = "Article"
        self.query_one("#source-pane").border_title = "Source"
        self.query_one("#claims").border_title = "Claims"
        self.query_one("#note").border_title = "Note"
        self.set_interval(0.1, self._tick)
        self._update_status()
        self.query_one(ClaimsList).focus()
        self._open_store()
        self.run_pipeline()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts here carry URLs, error texts and search terms from untrusted pages: never markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_resize(self) -> None:
        self._set_narrow(self.size.width < 120)

    def _set_narrow(self, narrow: bool) -> None:
        """Under 120 columns: article above source, a folded note pane, a compact footer (so x, q show)."""
        self.set_class(narrow, "-narrow")
        footer = self.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = not narrow  # ctrl+p still works; help says so

    def _open_store(self) -> None:
        try:
            self.store = NoteStore.open(self.db_path)
        except NotesError as exc:
            self.store = None
            self.notify(f"Notes will not be saved: {exc}", severity="error", timeout=10)

    # -- workers ------------------------------------------------------------------------------

    @work(exclusive=True, group="pipeline", exit_on_error=False)
    async def run_pipeline(self) -> None:
        try:
            article, checker = await self.opener(self.location, self.options)
        except ArticleError as exc:
            self.post_message(ArticleFailed(self.location, str(exc)))
            return
        self.checker = checker
        self.post_message(ArticleOpened(article))
        async for event in checker.run():
            self.post_message(PipelineEvent(event))

    @work(exclusive=True, group="refetch", exit_on_error=False)
    async def run_refetch(self, url: str) -> None:
        assert self.checker is not None
        async for event in self.checker.run(only_urls={url}, refresh=True):
            self.post_message(PipelineEvent(event, refetch=True))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes something the user sees."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = str(error) if isinstance(error, ArticleError) else f"{type(error).__name__}: {error}"
        if event.worker.group == "pipeline" and self.article is None:
            self.post_message(ArticleFailed(self.location, message))
        else:
            self.notify(f"Checking stopped: {message}", severity="error", timeout=10)
        self.finished = True
        self._update_status()

    # -- pipeline messages ----------------------------------------------------------------------

    def on_article_failed(self, message: ArticleFailed) -> None:
        self.error = message.error
        view = self.query_one("#article-text", TextView)
        view.set_text(f"Cannot open {message.location}\n\n{message.error}\n\nPress q to quit.")
        view.set_highlights([Highlight(0, len(view.text.split("\n", 1)[0]), "not-found")])
        self.notify(message.error, title="Cannot open the article", severity="error", timeout=10)
        self._update_status()

    def on_article_opened(self, message: ArticleOpened) -> None:
        self.article = message.article
        remember(self.location, message.article.title)
        view = self.query_one("#article-text", TextView)
        view.set_text(message.article.text)
        if self.checker is not None and self.checker.links:
            self._set_links(self.checker.links, self.checker.quotes)

    def _set_links(self, links: tuple[Link, ...], quotes: tuple[Quote, ...]) -> None:
        if self.links == links and self.rows:
            return
        self.links, self.quotes = links, quotes
        self.url_links = {}
        self.rows = {}
        fetchable = set(self.checker.fetchable_urls()) if self.checker is not None else set()
        initial = self.checker.outcomes if self.checker is not None else {}
        for link in links:
            fetched = link.url in fetchable
            row = ClaimRow(link=link, state="queued" if fetched else "skipped")
            row.quote_count = sum(1 for q in quotes if q.link_index == link.index)
            if not fetched and link.index in initial:
                row.outcome = initial[link.index]  # carries the reason it is not fetched
            self.rows[link.index] = row
            if fetched and link.url:
                self.url_links.setdefault(link.url, []).append(link.index)
        self.unattributed = [q for q in quotes if q.link_index is None]
        self._load_notes()
        claims = self.query_one(ClaimsList)
        claims.unattributed = len(self.unattributed)
        claims.unattributed_mark = self._unattributed_mark()
        claims.set_rows(self.rows.values(), self._orphan_texts())
        self._update_status()
        self._show_current()

    def on_pipeline_event(self, message: PipelineEvent) -> None:
        """Record what happened; `_flush_updates` draws it (events can come faster than frames)."""
        event = message.event
        if isinstance(event, ev.ArticleLoaded):
            if self.article is None:
                self.article = event.article
            self._set_links(event.links, event.quotes)
            return
        if isinstance(event, ev.LinkChecked):
            self._link_checked(event.outcome)
            return
        if isinstance(event, ev.PipelineFinished):
            for outcome in event.outcomes:
                self._link_checked(outcome, quiet=True)
            if not message.refetch:
                self.finished = True
            self._status_dirty = True
            self._flush_updates()  # the final state is drawn at once
            self._sync_bindings()
            return
        url = event.url
        indexes = self.url_links.get(url, [])
        if isinstance(event, ev.SourceQueued):
            self._set_state(indexes, "queued")
        elif isinstance(event, ev.SourceFetching):
            self.sources_done.discard(url)
            self._set_state(indexes, "fetching")
        elif isinstance(event, ev.SourceProgress):
            for index in indexes:
                self.rows[index].received = event.received
            if self.shown_link in indexes:
                self.query_one(SourcePane).show_header(self.rows[self.shown_link])
        elif isinstance(event, ev.SourceFetched):
            self.sources_done.add(url)
        elif isinstance(event, ev.SourceFailed):
            self.sources_done.add(url)
            self._set_state(indexes, "error")
        self._status_dirty = True

    def _set_state(self, indexes: list[int], state: str) -> None:
        for index in indexes:
            self.rows[index].state = state
            self._dirty_rows.add(index)

    def _link_checked(self, outcome: LinkOutcome, *, quiet: bool = False) -> None:
        row = self.rows.get(outcome.link.index)
        if row is None:
            return
        matches = [match.match for _, match in outcome.quotes]
        if quiet and row.outcome == outcome and row.matches == matches:
            return
        row.outcome = outcome
        row.state = outcome.fetch_status
        if outcome.link.url:
            self.sources_done.add(outcome.link.url)
        row.quote_count = len(outcome.quotes)
        row.matches = matches
        self._dirty_rows.add(outcome.link.index)
        self._article_dirty = True
        self._status_dirty = True

    def _flush_updates(self) -> None:
        """Draw what changed since the last call: at most ten redraws a second, however fast events come."""
        claims = self.query_one(ClaimsList)
        if self._dirty_rows:
            dirty, self._dirty_rows = self._dirty_rows, set()
            shown = set(claims.shown_indexes)
            if claims.attention_only and any(self.rows[i].needs_attention and i not in shown for i in dirty):
                claims.rebuild(self._orphan_texts())
            else:
                for index in dirty:
                    claims.refresh_row(index)
            if self.shown_link in dirty:
                self._show_current(keep_scroll=True)
                self._article_dirty = False
        if self._article_dirty:
            self._article_dirty = False
            self._refresh_article_highlights()
        if self._status_dirty:
            self._status_dirty = False
            self._update_status()

    # -- status ---------------------------------------------------------------------------------

    def _update_status(self) -> None:
        """Progress and counts first (they must stay visible at 80 columns), the title last."""
        status = self.query_one("#status", Static)
        title = (self.article.title if self.article else None) or self.location
        parts: list[Content | str | tuple[str, str]] = []
        if self.error:
            parts += [("cannot open the article", "bold $text-error"), "  ", (one_line(title), "bold")]
            status.update(Content.assemble(*parts), layout=False)
            return
        total = len(self.url_links)
        done = len(self.sources_done & self.url_links.keys())
        if not self.links and not self.finished:
            parts.append(("reading the article…", "$text-muted"))
        elif total:
            width = 8
            filled = round(width * done / total)
            parts += [
                (f"{done}/{total} sources ", "bold"),
                ("▰" * filled, "$text-success"),
                ("▱" * (width - filled), "$text-muted"),
            ]
        else:
            parts.append((f"{len(self.links)} claims, nothing to fetch", "$text-muted"))
        altered = sum(m == "altered" for r in self.rows.values() for m in r.matches)
        missing = sum(m == "not_found" for r in self.rows.values() for m in r.matches)
        failed = sum(r.state == "error" for r in self.rows.values())
        if altered:
            parts += ["  ", (f"≈{altered} altered", "$text-warning")]
        if missing:
            parts += ["  ", (f"✗{missing} not found", "$text-error")]
        if failed:
            parts += ["  ", (f"{failed} failed", "$text-error")]
        if self.query_one(ClaimsList).attention_only:
            parts += ["  ", ("filter on (f)", "bold reverse $text-accent")]
        parts += ["  │ ", (one_line(title), "bold")]
        content = Content.assemble(*parts)
        if content != self._last_status:
            self._last_status = content
            status.update(content, layout=False)

    def _tick(self) -> None:
        self._flush_updates()
        self._ticks += 1
        if self._ticks % 2 == 0:  # spinners at 5 frames a second: the list redraws whole
            self.query_one(ClaimsList).tick()

    # -- showing the current claim ------------------------------------------------------------

    @property
    def current_row(self) -> ClaimRow | None:
        index = self.query_one(ClaimsList).current_index
        return self.rows.get(index) if index is not None else None

    def link_quotes(self, row: ClaimRow) -> list[tuple[Quote, QuoteMatch | None]]:
        """The claim's quotes, in `LinkOutcome.quotes` order (before matching: the article's order)."""
        if row.outcome is not None and row.outcome.quotes:
            return list(row.outcome.quotes)
        return [(q, None) for q in self.quotes if q.link_index == row.link.index]

    @property
    def on_unattributed(self) -> bool:
        """The row of quotes with no link is selected."""
        return self.query_one(ClaimsList).on_unattributed

    @on(OptionList.OptionHighlighted, "#claims")
    def _claim_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = self.query_one(ClaimsList).current_id
        if option_id is not None and option_id != self.shown_id:
            self._flush_note()
            self.quote_position = 0
            self.find_from = 0
            self._show_current()

    def _show_current(self, *, keep_scroll: bool = False) -> None:
        row = self.current_row
        self.shown_link = row.link.index if row else None
        self.shown_id = self.query_one(ClaimsList).current_id
        self._refresh_article_highlights(scroll=not keep_scroll)
        self._show_source()
        self._show_note()
        self._sync_bindings()

    def _refresh_article_highlights(self, *, scroll: bool = False) -> None:
        view = self.query_one("#article-text", TextView)
        row = self.current_row
        highlights: list[Highlight] = []
        if row is not None:
            highlights.append(Highlight(row.link.claim_start, row.link.claim_end, "claim"))
        matched: dict[tuple[int, int], str] = {}
        for other in self.rows.values():
            if other.outcome:
                for quote, match in other.outcome.quotes:
                    matched[(quote.start, quote.end)] = match.match
        for quote in self.quotes:
            kind = matched.get((quote.start, quote.end), "unmatched").replace("_", "-")
            highlights.append(Highlight(quote.start, quote.end, kind))
        target = row.link.claim_start if row else None
        if row is not None:
            quotes = self.link_quotes(row)
            if quotes and self.quote_position >= 0:
                quote = quotes[min(self.quote_position, len(quotes) - 1)][0]
                highlights.append(Highlight(quote.start, quote.end, "current"))
                target = quote.start if self.quote_position else row.link.claim_start
            elif quotes:  # the claim itself is the subject
                highlights.append(Highlight(row.link.claim_start, row.link.claim_end, "current"))
        elif self.on_unattributed and self.unattributed:
            quote = self.unattributed[min(self.quote_position, len(self.unattributed) - 1)]
            highlights.append(Highlight(quote.start, quote.end, "current"))
            target = quote.start
        view.set_highlights(highlights)
        if scroll and target is not None:
            view.scroll_to_offset(target)

    def _show_source(self) -> None:
        row = self.current_row
        pane = self.query_one(SourcePane)
        if row is None and self.on_unattributed:
            pane.show_unattributed(self.unattributed, self.quote_position)
            pane.border_title = "Quotes with no link"
            return
        pane.show(row, self.quote_position, self._outcome_of)
        if row and row.outcome and row.outcome.source:
            pane.border_title = f"Source — {one_line(row.outcome.link.anchor_text)[:40]}"
        else:
            pane.border_title = "Source"

    def _outcome_of(self, index: int) -> LinkOutcome | None:
        row = self.rows.get(index)
        return row.outcome if row else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out in the footer the keys that do not apply right now (None = dimmed); `on_key` says why."""
        if action == "back":
            return any(isinstance(screen, PickerScreen) for screen in self.app.screen_stack)
        return None if self.unavailable(action) else True

    def unavailable(self, action: str) -> str | None:
        """Why `action` does nothing for the current selection, in a sentence; None when it applies."""
        row = self.current_row
        selected = row is not None or (self.on_unattributed and bool(self.unattributed))
        if action in ("next_quote", "prev_quote"):
            if not selected:
                return "Select a claim first."
            if len(self._subjects()) > 1:
                return None
            if row is None:
                return "There is only one quote with no link."
            return "This claim quotes nothing and its source has no other passage to show."
        if action in ("open_source", "open_archived", "refetch"):
            if row is None:
                return "Quotes with no link have no source." if selected else "Select a claim first."
            if not row.link.url or row.stripped:
                return "This claim's link has no web address to open or fetch."
            if action != "refetch":
                return None
            if row.link.url not in self.url_links:
                return (row.outcome.error if row.outcome else None) or "This link is not fetched."
            if not self.options.fetch or self.options.offline:
                return "Refetching is off (offline or no-fetch mode)."
            if not self.finished:
                total = len(self.url_links)
                done = len(self.sources_done & self.url_links.keys())
                return f"Sources are still being fetched ({done}/{total}); r works once this pass is done."
            return None
        if action == "find":
            if self.on_unattributed or not self.query_one(SourcePane).text_view.text:
                return "There is no source text to search here."
            return None
        if action in ("verdict", "edit_note"):
            return None if selected else "Select a claim first."
        if action == "export":
            return None if self.checker is not None else "Nothing to export yet: the article is loading."
        return None

    async def run_or_explain(self, action: str) -> None:
        """Run an action chosen in the command palette, or say why it does not apply."""
        reason = self.unavailable(action.split("(")[0])
        if reason:
            self.notify(reason, timeout=4)
        else:
            await self.run_action(action)

    def on_key(self, event: events.Key) -> None:
        """A key whose action does not apply (dimmed in the footer) says why instead of doing nothing."""
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or event.key not in binding.key.split(","):
                continue
            reason = self.unavailable(binding.action.split("(")[0])
            if reason:
                event.stop()
                self.notify(reason, timeout=4)
            return

    def _sync_bindings(self) -> None:
        """Refresh the footer only when what applies changed: its rebuild is too slow for every key."""
        actions = ("next_quote", "open_source", "refetch", "find", "edit_note", "verdict", "export")
        state = tuple(self.check_action(action, ()) for action in actions)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    # -- actions: navigation --------------------------------------------------------------------

    def _move_claim(self, step: int) -> None:
        claims = self.query_one(ClaimsList)
        shown = claims.navigable_ids
        if not shown:
            return
        current = claims.current_id
        position = shown.index(current) if current in shown else -step
        position = max(0, min(len(shown) - 1, position + step))
        claims.highlighted = claims.get_option_index(shown[position])

    def action_next_claim(self) -> None:
        self._move_claim(1)

    def action_prev_claim(self) -> None:
        self._move_claim(-1)

    def _subjects(self) -> list[int]:
        """The positions n/p walk for the selected row (see `quote_position`)."""
        row = self.current_row
        if row is None:
            return list(range(len(self.unattributed))) if self.on_unattributed else []
        quotes = self.link_quotes(row)
        if quotes:
            return [-1, *range(len(quotes))]  # the claim itself, then each quote
        return list(range(max(1, len(row.outcome.evidence) if row.outcome else 0)))

    def _move_quote(self, step: int) -> None:
        subjects = self._subjects()
        if len(subjects) <= 1:
            self.notify(self.unavailable("next_quote") or "Nothing else to show.", timeout=3)
            return
        self._flush_note()
        here = subjects.index(self.quote_position) if self.quote_position in subjects else 0
        self.quote_position = subjects[(here + step) % len(subjects)]
        self._show_current()

    def action_next_quote(self) -> None:
        self._move_quote(1)

    def action_prev_quote(self) -> None:
        self._move_quote(-1)

    def action_toggle_filter(self) -> None:
        claims = self.query_one(ClaimsList)
        claims.attention_only = not claims.attention_only
        claims.rebuild(self._orphan_texts())
        if claims.attention_only and not claims.navigable_ids:
            self.notify("No claim needs attention (yet).", timeout=3)
        self._update_status()
        self._show_current()

    @on(TextView.Clicked, "#article-text")
    def _article_clicked(self, event: TextView.Clicked) -> None:
        claims = self.query_one(ClaimsList)
        for position, quote in enumerate(self.unattributed):
            if quote.start <= event.offset < quote.end and UNATTRIBUTED_ID in claims.navigable_ids:
                self._flush_note()
                claims.highlighted = claims.get_option_index(UNATTRIBUTED_ID)
                self.quote_position = position
                self._show_current(keep_scroll=True)
                return
        for link in self.links:
            if link.claim_start <= event.offset < link.claim_end:
                claims = self.query_one(ClaimsList)
                if link.index in claims.shown_indexes:
                    claims.highlighted = claims.get_option_index(f"link-{link.index}")
                return

    # -- actions: sources -----------------------------------------------------------------------

    def _current_url(self) -> str | None:
        row = self.current_row
        if row is None or not row.link.url or row.stripped:
            self.notify("This claim has no source to open.", severity="warning", timeout=3)
            return None
        return row.link.url

    def action_open_source(self) -> None:
        url = self._current_url()
        if url:
            self.app.open_url(url)
            self.notify(f"Opening {one_line(url)} in your browser.", timeout=3)

    def action_open_archived(self) -> None:
        url = self._current_url()
        if url:
            self.app.open_url(f"https://web.archive.org/web/2/{url_quote(url, safe=':/?&=%#')}")
            self.notify("Opening the Wayback Machine's copy in your browser.", timeout=3)

    def action_refetch(self) -> None:
        reason = self.unavailable("refetch")
        url = self.current_row.link.url if self.current_row is not None else None
        if reason or url is None or self.checker is None:
            self.notify(reason or "The article is still loading.", severity="warning", timeout=4)
            return
        self._set_state(self.url_links.get(url, []), "fetching")
        self.sources_done.discard(url)
        self._status_dirty = True
        self._flush_updates()
        self.notify(f"Refetching {one_line(url)}", timeout=3)
        self.run_refetch(url)

    def action_find(self) -> None:
        def found(term: str | None) -> None:
            if term:
                self._find(term)

        self.app.push_screen(FindScreen(self.find_term), found)

    def _find(self, term: str) -> None:
        view = self.query_one(SourcePane).text_view
        text = view.text
        if term != self.find_term:
            self.find_from = 0
        self.find_term = term
        if not text:
            self.notify("There is no source text to search.", severity="warning", timeout=3)
            return
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        hits = [m.span() for m in pattern.finditer(text)][:5000]
        if not hits:
            self.notify(f"“{one_line(term)}” is not in this source.", severity="warning", timeout=3)
            return
        after = [h for h in hits if h[0] >= self.find_from]
        start, end = after[0] if after else hits[0]
        self.find_from = start + 1
        base = [h for h in view._highlights if h.kind != "find"]
        view.set_highlights(base + [Highlight(s, e, "find") for s, e in hits])
        view.scroll_to_offset(start)
        number = hits.index((start, end)) + 1
        self.notify(f"Match {number} of {len(hits)}", timeout=2)

    def action_help(self) -> None:
        self.app.push_screen(
            HelpScreen(
                [
                    (b.key, self.title_of(b))
                    for b in self.BINDINGS
                    if isinstance(b, Binding) and self.check_action(b.action.split("(")[0], ()) is not False
                ]
            )
        )

    def action_back(self) -> None:
        """Return to the picker this article was opened from (notes are saved on the way)."""
        self._flush_note(redraw=False)
        self.app.pop_screen()

    async def action_quit(self) -> None:
        self._flush_note()
        if self.store is not None:
            self.store.close()
            self.store = None
        self.app.exit()

    # -- notes ----------------------------------------------------------------------------------

    def _load_notes(self) -> None:
        self.notes.clear()
        self.orphans = []
        if self.store is None or self.article is None:
            return
        try:
            stored = self.store.notes_for(locations.article_key(self.article.location))
        except NotesError as exc:
            self.notify(f"Saved notes could not be read: {exc}", severity="error", timeout=10)
            return
        for placed in anchor_notes(stored, self.article, self.links, self.quotes):
            note = placed.note
            key = (placed.link_index, placed.quote_index)
            # A quote note whose words are still in the article but no longer quoted has no quote to sit
            # on (quote_index None); it must not take the place of the claim's own note.
            lost_quote = note.target.kind == "quote" and placed.quote_index is None
            if placed.orphaned or lost_quote or key in self.notes or key == (None, None):
                self.orphans.append(placed)
                continue
            state = NoteState(note.target, note.id, note.verdict, note.body, note.body)
            self.notes[key] = state
            row = self.rows.get(placed.link_index) if placed.link_index is not None else None
            if row is not None:
                row.verdict = _digit(note.verdict) or row.verdict
                row.has_note = row.has_note or bool(note.body.strip())

    def _orphan_texts(self) -> list[str]:
        texts = []
        for placed in self.orphans:
            target = placed.note.target
            subject = target.quote_text or target.claim or target.link_url or "?"
            verdict = f"[{placed.note.verdict}] " if placed.note.verdict else ""
            status = "orphaned " if placed.orphaned else "no longer quoted " if target.quote_text else ""
            texts.append(f"✎ {status}{verdict}“{subject[:60]}” {placed.note.body[:60]}")
        return texts

    def _note_key(self) -> tuple[int | None, int | None] | None:
        """(link index, quote index): (i, None) is claim i, (None, j) the j-th quote with no link."""
        row = self.current_row
        if row is None:
            if self.on_unattributed and self.unattributed:
                return (None, min(max(self.quote_position, 0), len(self.unattributed) - 1))
            return None
        quotes = self.link_quotes(row)
        if quotes and self.quote_position >= 0:
            return (row.link.index, min(self.quote_position, len(quotes) - 1))
        return (row.link.index, None)

    def _note_state(self, create: bool = True) -> NoteState | None:
        key = self._note_key()
        if key is None or self.article is None:
            return None
        state = self.notes.get(key)
        if state is None and create:
            link_index, quote_index = key
            if link_index is None:
                target = NoteTarget.for_quote(self.article, None, self.unattributed[quote_index or 0])
            elif quote_index is None:
                target = NoteTarget.for_claim(self.article, self.rows[link_index].link)
            else:
                row = self.rows[link_index]
                quote, match = self.link_quotes(row)[quote_index]
                target = NoteTarget.for_quote(self.article, row.link, quote, match)
            state = NoteState(target)
            self.notes[key] = state
        return state

    def _show_note(self) -> None:
        editor = self.query_one(NoteEditor)
        row = self.current_row
        state = self._note_state(create=False)
        key = self._note_key()
        if key is None:
            kind, subject = "nothing selected", ""
        elif key[0] is None:
            kind = f"quote {key[1] + 1}/{len(self.unattributed)} with no link"  # type: ignore[operator]
            subject = f"“{self.unattributed[key[1] or 0].text}”"
        elif key[1] is not None and row is not None:
            quotes = self.link_quotes(row)
            kind = f"quote {key[1] + 1}/{len(quotes)}" + (" (p: the claim)" if key[1] == 0 else "")
            subject = f"“{quotes[key[1]][0].text}”"
        else:
            quoted = bool(row and self.link_quotes(row))
            kind = "the claim" + (" (n/p: its quotes)" if quoted else "")
            subject = row.link.claim if row else ""
        self._loading_note = True
        editor.show(kind, subject, state.verdict if state else None, state.body if state else "")
        self.call_after_refresh(self._note_loaded)

    def _note_loaded(self) -> None:
        self._loading_note = False

    @on(TextArea.Changed, "#note-text")
    def _note_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        existing = self._note_state(create=False)
        if self._loading_note or (existing.body if existing else "") == text:
            return  # a note being loaded, not typed
        state = self._note_state()
        if state is None:
            return
        state.body = text
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._flush_note)

    def on_descendant_blur(self, event: object) -> None:
        self._flush_note()

    def on_unmount(self) -> None:
        self._flush_note(redraw=False)
        if self.store is not None:
            self.store.close()
            self.store = None

    def _flush_note(self, *, redraw: bool = True) -> None:
        """Write every note whose text differs from what was saved (debounce, blur, navigation, quit)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        for (link_index, _), state in self.notes.items():
            if state.body != state.saved_body and self._save(state, body=state.body):
                state.saved_body = state.body
                if link_index is None:
                    claims = self.query_one(ClaimsList)
                    claims.unattributed_mark = self._unattributed_mark()
                    if redraw:
                        claims.refresh_unattributed()
                    continue
                row = self.rows.get(link_index)
                if row is not None:
                    row.has_note = any(s.body.strip() for (i, _), s in self.notes.items() if i == link_index)
                    if redraw:
                        self.query_one(ClaimsList).refresh_row(link_index)

    def _save(self, state: NoteState, **fields: object) -> bool:
        if self.store is None:
            if not self._warned_no_store:
                self._warned_no_store = True
                self.notify(
                    "Notes cannot be saved (no notes database); your text stays on screen.",
                    severity="error",
                    timeout=10,
                )
            return False
        try:
            note = self.store.save(state.target, note_id=state.note_id, **fields)  # type: ignore[arg-type]
        except NotesError as exc:
            self.notify(f"Note not saved (your text stays here): {exc}", severity="error", timeout=10)
            return False
        state.note_id = note.id
        return True

    def action_verdict(self, verdict: str) -> None:
        state = self._note_state()
        if state is None:
            return
        value = verdict or None
        state.verdict = value
        self._save(state, verdict=value)
        link_index = self._note_key()[0]  # type: ignore[index]
        claims = self.query_one(ClaimsList)
        if link_index is None:
            claims.unattributed_mark = self._unattributed_mark()
            claims.refresh_unattributed()
        else:
            row = self.rows[link_index]
            row.verdict = next(
                (_digit(s.verdict) for (i, _), s in self.notes.items() if i == link_index and s.verdict), None
            )
            claims.refresh_row(link_index)
        self._show_note()

    def _unattributed_mark(self) -> tuple[str, bool]:
        """The verdict digits and note flag of the quotes with no link, for their row in the list."""
        mine = [
            state
            for (link, _), state in sorted(
                ((k, v) for k, v in self.notes.items() if k[0] is None), key=lambda kv: kv[0][1] or 0
            )
        ]
        digits = "".join(_digit(state.verdict) or "" for state in mine)
        return digits, any(state.body.strip() for state in mine)

    def action_edit_note(self) -> None:
        if self._note_key() is None:
            self.notify("Select a claim first.", timeout=2)
            return
        self.query_one(NoteEditor).area.focus()

    def action_export(self) -> None:
        self._flush_note()
        if self.checker is None or self.article is None:
            self.notify("Nothing to export yet.", severity="warning", timeout=3)
            return
        try:
            report = self.checker.report()
            stored = self.store.notes_for(locations.article_key(self.article.location)) if self.store else []
            anchored = anchor_notes(stored, self.article, self.links, self.quotes)
            markdown = export_markdown(report, anchored)
        except (NotesError, ValueError, KeyError) as exc:
            self.notify(f"Export failed: {exc}", severity="error", timeout=10)
            return
        path = _export_path(self.article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot write {path}: {exc.strerror or exc}", severity="error", timeout=10)
            return
        self.notify(f"Report written to {path}", title="Exported", timeout=10)


def _digit(verdict: str | None) -> str | None:
    keys = {"accurate": "1", "altered": "2", "cut": "3", "unsupported": "4", "cant_verify": "5"}
    return keys.get(verdict or "")


def _export_path(article: Article) -> Path:
    """`<data dir>/reports/<article name>.sourcecheck.md`: a place the user can always write to."""
    stem = Path(article.location.rstrip("/")).stem or "article"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "article"
    return locations.data_dir() / "reports" / f"{safe}.sourcecheck.md"
