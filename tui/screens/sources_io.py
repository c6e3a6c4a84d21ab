"""The reader's side of sources supplied by hand (issue 12): prompts, saving, fetching, web search.

`s` asks for a source for the current claim, or for the current quote with no link (a web address, a
file, or one of the article's link numbers); the choice is saved with the notes (a thread worker) and the
`Checker` reads the source at once while the user goes on reading. Saving goes through the notes'
queue (`NotesIO.write`): retried while the database is locked, the user told when it is busy and when
saved, and quitting says what would be lost. `l` asks for the article's published
version and reads the article again with its links restored. `W` opens a web search for the exact words of
the current quote (the `web_search_url` setting). Choices saved earlier are merged into the options every
time the article is read (`with_saved_sources`).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import AttachError, NotesError, SettingsError
from ..core.locations import article_key, is_url
from ..core.notes import AttachedSource
from ..core.options import with_saved_sources
from ..core.pipeline import CheckOptions
from ..core.safe_text import one_line
from ..core.settings import Settings, load_settings
from ..messages import PipelineEvent
from ..session import AttachRequest, attach_prompt, attach_request, attaching, quote_text
from .notes_io import StoreWrite
from .prompt import PromptScreen

if TYPE_CHECKING:
    from .reader import ReaderScreen


class SourcesIO:
    """Sources supplied by hand for one reader screen."""

    def __init__(self, screen: ReaderScreen, db_path: Path | None) -> None:
        self.screen = screen
        self.db_path = db_path
        self.unsaved: list[AttachedSource] = []  # choices not (yet) in the notes database; used meanwhile
        try:
            self.settings = load_settings()
            self.settings_error: str | None = None
        except SettingsError as exc:
            self.settings, self.settings_error = Settings(), str(exc)

    async def saved_options(self, options: CheckOptions) -> CheckOptions:
        """`options` with the sources attached earlier (and the published version chosen), off the loop."""
        if self.settings_error:
            self.screen.notify(f"Settings not used: {self.settings_error}", severity="warning", timeout=8)
            self.settings_error = None
        try:
            options = await asyncio.to_thread(with_saved_sources, options, self.db_path, self.screen.location)
        except NotesError as exc:
            self.screen.notify(f"Sources attached earlier are not used: {exc}", severity="error", timeout=10)
        return replace(options, attached=(*options.attached, *self.unsaved)) if self.unsaved else options

    # -- attaching ------------------------------------------------------------------------------------

    def ask_attach(self) -> None:
        session = self.screen.session
        reason = session.why_not("attach_source")
        if reason:
            self.screen.notify(reason, timeout=4)
            return
        prompt = PromptScreen(attach_prompt(session), "https://… or a saved page, e.g. ~/Downloads/page.html")
        self.screen.app.push_screen(prompt, self._attach)

    def _attach(self, text: str | None) -> None:
        if not text:
            return
        session = self.screen.session
        request = attach_request(session, text)
        if isinstance(request, str):
            self.screen.notify(request, severity="warning", timeout=8)
            return
        attaching(session, request)
        self.screen.redraw()
        self.screen.run_worker(self._run_attach(request), group="attach", exit_on_error=False)

    async def _run_attach(self, request: AttachRequest) -> None:
        screen = self.screen
        checker = screen.checker
        if checker is None:
            screen.notify("The article is still loading.", severity="warning", timeout=4)
            return
        unsaved = self._save(request)
        said = request.describe() + (f" (not saved for next time: {unsaved})" if unsaved else "")
        if request.to_link is not None:  # the quote changes claims: read the article again (from the archive)
            screen.notify(one_line(said), timeout=6)
            self.reload()
            return
        try:
            urls = checker.attach(**request.checker_args())
        except AttachError as exc:
            screen.notify(str(exc), severity="warning", timeout=6)
            return
        screen.notify(f"Reading {one_line(said)}", timeout=6)
        async for event in checker.run(only_urls=set(urls), refresh=True):
            screen.post_message(PipelineEvent(event, refetch=True))

    def _save(self, request: AttachRequest) -> str | None:
        """Queue the choice with the notes (kept in `unsaved`, and so used, until it is stored); returns
        why it cannot be saved now, if the notes database is not open."""
        args = request.store_args()
        kind = "link" if "link" in args else request.target.kind if request.target else "url"
        attached = AttachedSource(
            -1 - len(self.unsaved),
            request.on,
            kind,
            None if kind == "link" else args[kind],
            request.anchor_text,
            args.get("link"),
        )
        self.unsaved.append(attached)
        notes = self.screen.notes
        return notes.write(
            StoreWrite(
                one_line(request.describe()),
                lambda store: store.attach_source(request.on, **args),
                lambda: self.unsaved.remove(attached) if attached in self.unsaved else None,
            )
        )

    # -- the published version ------------------------------------------------------------------------

    def ask_links_from(self) -> None:
        reason = self.screen.session.why_not("links_from")
        if reason:
            self.screen.notify(reason, timeout=4)
            return
        prompt = PromptScreen(
            "Where is this article published? Its address, or the page saved from the browser: the targets "
            "of stripped (#) and missing links are restored from it",
            "https://… or a saved page",
            self.screen.options.links_from or "",
        )
        self.screen.app.push_screen(prompt, self._links_from)

    def _links_from(self, text: str | None) -> None:
        if not text:
            return
        location = text if is_url(text) else str(Path(text).expanduser().resolve())
        if not is_url(location) and not Path(location).is_file():
            self.screen.notify(f"There is no file {one_line(text)}.", severity="warning", timeout=6)
            return
        self.screen.options = replace(self.screen.options, links_from=location)
        key = article_key(self.screen.location)
        self.screen.notes.write(
            StoreWrite(
                f"the published version's address ({one_line(location)})",
                lambda store: store.set_links_from(key, location),
            )
        )
        self.screen.notify(f"Restoring the links from {one_line(location)}", timeout=6)
        self.reload()

    def reload(self) -> None:
        """Read the article again (its saved sources and restored links included); notes follow."""
        self.screen.session.reloading()
        self.screen.redraw()
        self.screen.run_pipeline()

    # -- the web --------------------------------------------------------------------------------------

    def search_web(self) -> None:
        session = self.screen.session
        reason = session.why_not("search_web")
        words = quote_text(session)
        if reason or not words:
            self.screen.notify(reason or "Select a quote first.", timeout=4)
            return
        self.screen.app.open_url(self.settings.search_url(words))
        self.screen.notify(f"Searching the web for “{one_line(words)[:80]}” in your browser.", timeout=4)
