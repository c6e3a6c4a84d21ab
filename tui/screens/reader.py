"""The reader: claims on the left, the article's words and the source's own on the right, notes below.

The screen composes widgets, runs workers and forwards what happens to its `ReaderSession`: pipeline
events (posted by the pipeline worker as `PipelineEvent`s) and the user's intents (keys, clicks, typing).
It then redraws what the session's `take_changes()` names, from the session's views. Events are drawn at
most ten times a second; intents at once. Notes are read and saved off the event loop (`NotesIO`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote as url_quote

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, TextArea
from textual.worker import Worker, WorkerState

from ..core import events as ev
from ..core.models import Article
from ..core.notes import NotesError
from ..core.pipeline import ArticleError, Checker, CheckOptions
from ..core.safe_text import one_line
from ..messages import ArticleFailed, ArticleOpened, PipelineEvent
from ..session import FramingExtension, Highlight, ReaderSession, SourcesExtension
from ..widgets.claims_list import ClaimsList
from ..widgets.note_editor import NoteEditor
from ..widgets.source_pane import SourcePane
from ..widgets.status_line import StatusLine
from ..widgets.text_view import TextView
from .audit_list import AuditListScreen
from .find import FindScreen
from .help import HelpScreen
from .notes_io import NotesIO
from .picker import PickerScreen, remember
from .reader_keys import BINDINGS, ReaderCommands, action_keys, key_of, reader_bindings, title_of
from .sources_io import SourcesIO

Opener = Callable[[str, CheckOptions], Awaitable[tuple[Article, Checker]]]


class ReaderScreen(Screen[None]):
    """Walk an article's claims beside their sources."""

    BINDINGS: ClassVar[list[BindingType]] = BINDINGS
    COMMANDS: ClassVar = {ReaderCommands}

    def __init__(
        self, location: str, options: CheckOptions, opener: Opener, db_path: Path | None = None
    ) -> None:
        super().__init__()
        self.location = location
        self.options = options
        self.opener = opener
        self.checker: Checker | None = None
        self.session = ReaderSession(
            location,
            can_refetch=options.fetch and not options.offline,
            extensions=[SourcesExtension(), FramingExtension()],
        )
        self.notes = NotesIO(self, self.session, db_path, self.redraw)
        self.sources = SourcesIO(self, db_path)
        self._binding_state: tuple[bool | None, ...] = ()
        self._refetching: set[str] = set()  # sources asked to be fetched again, not yet delivered
        self._ticks = 0

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
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
        titles = {"#article-text": "Article", "#source-pane": "Source", "#claims": "Claims", "#note": "Note"}
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.query_one(SourcePane).keys = action_keys()
        self.set_interval(0.1, self._tick)
        self.query_one(ClaimsList).focus()
        self.redraw()
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

    # -- workers --------------------------------------------------------------------------------------

    @work(exclusive=True, group="pipeline", exit_on_error=False)
    async def run_pipeline(self) -> None:
        options = await self.sources.saved_options(self.options)
        try:
            article, checker = await self.opener(self.location, options)
        except ArticleError as exc:
            self.post_message(ArticleFailed(self.location, str(exc)))
            return
        self.checker = checker
        self.post_message(ArticleOpened(article))
        async for event in checker.run():
            self.post_message(PipelineEvent(event))

    @work(exclusive=True, group="refetch", exit_on_error=False)
    async def run_refetch(self) -> None:
        """Fetch again every source asked for (`r`) and not yet delivered. A refetch asked for while
        another runs replaces that run and takes its sources along: cancelling it alone would leave its
        rows fetching for ever, and two runs of one checker at once would overwrite each other's outcomes."""
        assert self.checker is not None
        urls = set(self._refetching)
        async for event in self.checker.run(only_urls=urls, refresh=True):
            self.post_message(PipelineEvent(event, refetch=True))
        self._refetching -= urls

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a worker's result or failure reaches the user."""
        if self.notes.worker_changed(event.worker) or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = str(error) if isinstance(error, ArticleError) else f"{type(error).__name__}: {error}"
        if event.worker.group == "pipeline" and self.session.article is None:
            self.post_message(ArticleFailed(self.location, message))
        else:
            self.notify(f"Checking stopped: {message}", severity="error", timeout=10)
        self.session.stopped()
        self.redraw()

    # -- pipeline messages ----------------------------------------------------------------------------

    def on_article_failed(self, message: ArticleFailed) -> None:
        self.session.article_failed(message.error)
        view = self.query_one("#article-text", TextView)
        view.set_text(f"Cannot open {message.location}\n\n{message.error}\n\nPress q to quit.")
        view.set_highlights([Highlight(0, len(view.text.split("\n", 1)[0]), "not-found")])
        self.notify(message.error, title="Cannot open the article", severity="error", timeout=10)
        self.redraw()

    def on_article_opened(self, message: ArticleOpened) -> None:
        remember(self.location, message.article.title)

    def on_pipeline_event(self, message: PipelineEvent) -> None:
        """Hand the event to the session; `_tick` draws it (events can come faster than frames)."""
        event = message.event
        self.session.apply(event)
        if isinstance(event, ev.ArticleLoaded):
            self.query_one("#article-text", TextView).set_text(self.session.article.text)  # type: ignore[union-attr]
            self.notes.load()
        if isinstance(event, ev.ArticleLoaded | ev.PipelineFinished):
            self.redraw()  # the first and the final state are drawn at once

    def _tick(self) -> None:
        self.redraw(scroll=False)
        self._ticks += 1
        if self._ticks % 2 == 0:  # spinners at 5 frames a second
            self.query_one(ClaimsList).tick()

    # -- drawing --------------------------------------------------------------------------------------

    def redraw(self, *, scroll: bool = True) -> None:
        """Draw what changed in the session; `scroll` brings a new subject into view in the article."""
        session = self.session
        changes = session.take_changes()
        if changes.flush:
            self.notes.flush()
        claims = self.query_one(ClaimsList)
        if changes.entries:
            claims.set_entries(session.entries(), session.entry_id)
        else:
            for index in changes.rows:
                entry = session.entry(index)
                if entry is not None:
                    claims.update_entry(entry)
            if changes.cursor:
                claims.move_cursor(session.entry_id)
        if changes.subject or changes.article:
            highlights, target = session.article_view()
            article = self.query_one("#article-text", TextView)
            article.set_highlights(highlights)
            if changes.subject and scroll and target is not None:
                article.scroll_to_offset(target)
        if changes.subject or changes.shown:
            self.query_one(SourcePane).show(session.source_view(), keep_scroll=not changes.subject)
        if changes.subject:
            self.query_one(NoteEditor).show(session.note_view())
        self.query_one(StatusLine).show(session.status())
        self._sync_bindings()

    def _sync_bindings(self) -> None:
        """Refresh the footer only when what applies changed: its rebuild is too slow for every key."""
        state = tuple(self.check_action(b.action.split("(")[0], ()) for b in reader_bindings())
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim in the footer the keys that do not apply right now (None); `on_key` says why."""
        if action == "back":
            return any(isinstance(screen, PickerScreen | AuditListScreen) for screen in self.app.screen_stack)
        return None if self.session.why_not(action) else True

    def on_key(self, event: events.Key) -> None:
        """A key whose action does not apply (dimmed in the footer) says why instead of doing nothing."""
        for binding in reader_bindings():
            if event.key in binding.key.split(","):
                reason = self.session.why_not(binding.action)
                if reason:
                    event.stop()
                    self.notify(reason, timeout=4)
                return

    async def run_or_explain(self, action: str) -> None:
        """Run an action chosen in the command palette, or say why it does not apply."""
        reason = self.session.why_not(action)
        if reason:
            self.notify(reason, timeout=4)
        else:
            await self.run_action(action)

    # -- intents --------------------------------------------------------------------------------------

    def action_next_claim(self) -> None:
        self.session.move_claim(1)
        self.redraw()

    def action_prev_claim(self) -> None:
        self.session.move_claim(-1)
        self.redraw()

    def action_next_quote(self) -> None:
        self._explain(self.session.move_subject(1))

    def action_prev_quote(self) -> None:
        self._explain(self.session.move_subject(-1))

    def action_toggle_filter(self) -> None:
        self._explain(self.session.toggle_filter("attention"), timeout=3)

    def action_toggle_framing(self) -> None:
        self._explain(self.session.toggle_filter("framing"), timeout=3)

    def action_verdict(self, verdict: str) -> None:
        self._explain(self.session.set_verdict(verdict or None))  # type: ignore[arg-type]
        self.notes.flush()

    def _explain(self, reason: str | None, *, timeout: float = 4) -> None:
        if reason:
            self.notify(reason, timeout=timeout)
        self.redraw()

    @on(ClaimsList.Selected)
    def _claim_selected(self, event: ClaimsList.Selected) -> None:
        self.session.select(event.entry_id)
        self.redraw()

    @on(TextView.Clicked, "#article-text")
    def _article_clicked(self, event: TextView.Clicked) -> None:
        self.session.select_at(event.offset)
        self.redraw(scroll=False)

    @on(TextArea.Changed, "#note-text")
    def _note_changed(self, event: TextArea.Changed) -> None:
        if self.session.edit_body(event.text_area.text):  # False: a note being loaded, not typed
            self.notes.typed()
            self.redraw()

    def on_descendant_blur(self, event: object) -> None:
        self.notes.flush()

    def action_edit_note(self) -> None:
        self.query_one(NoteEditor).area.focus()

    def _url(self) -> str:
        row = self.session.row
        assert row is not None and row.target_url  # `why_not` checked it
        return row.target_url

    def action_open_source(self) -> None:
        url = self._url()
        self.app.open_url(url)
        self.notify(f"Opening {one_line(url)} in your browser.", timeout=3)

    def action_open_archived(self) -> None:
        self.app.open_url(f"https://web.archive.org/web/2/{url_quote(self._url(), safe=':/?&=%#')}")
        self.notify("Opening the Wayback Machine's copy in your browser.", timeout=3)

    def action_refetch(self) -> None:
        reason = self.session.refetch()
        if reason or self.checker is None:
            self.notify(reason or "The article is still loading.", severity="warning", timeout=4)
            return
        url = self._url()
        self.redraw()
        self.notify(f"Refetching {one_line(url)}", timeout=3)
        self._refetching.add(url)
        self.run_refetch()

    def action_find(self) -> None:
        def found(term: str | None) -> None:
            if not term:
                return
            hit = self.query_one(SourcePane).text_view.find(term)
            if hit is None:
                self.notify(f"“{one_line(term)}” is not in this source.", severity="warning", timeout=3)
            else:
                self.notify(f"Match {hit[0]} of {hit[1]}", timeout=2)

        view = self.query_one(SourcePane).text_view
        self.app.push_screen(FindScreen(view.find_term), found)

    def action_help(self) -> None:
        keys = [
            (key_of(b), title_of(b))
            for b in reader_bindings()
            if self.check_action(b.action, ()) is not False
        ]
        self.app.push_screen(HelpScreen(keys))

    async def action_back(self) -> None:
        """Return to the picker or the audit's list this article was opened from (notes are saved first)."""
        if await self.notes.may_leave():
            self.app.pop_screen()

    async def action_quit(self) -> None:
        if not await self.notes.may_leave():
            return
        self.notes.close()
        self.app.exit()

    def on_unmount(self) -> None:
        self.notes.close()

    @work(exclusive=True, group="export", exit_on_error=False)
    async def action_export(self) -> None:
        if self.checker is None:
            self.notify("Nothing to export yet.", severity="warning", timeout=3)
            return
        try:
            path = await self.notes.export(self.checker)
        except (NotesError, ValueError, KeyError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.notify(f"Export failed: {reason}", severity="error", timeout=10)
            return
        self.notify(f"Report written to {path}", title="Exported", timeout=10)

    # -- sources supplied by hand (sources_io.py) ---------------------------------------------------

    def action_attach_source(self) -> None:
        self.sources.ask_attach()

    def action_search_web(self) -> None:
        self.sources.search_web()

    def action_links_from(self) -> None:
        self.sources.ask_links_from()
