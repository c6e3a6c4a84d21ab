"""The Textual application: `sourcecheck ARTICLE` opens the reader, `sourcecheck` alone the picker, and
`sourcecheck AUDIT.sqlite3` the list of an audit's articles.

Start-up: this module imports Textual and nothing of the domain. `sourcecheck ARTICLE` paints its first
frame (the article's name) at once, then imports the reader (the pipeline, the session, the notes:
0.2-0.3 s) in a thread and swaps it in; the bare frame never waits for them (bench/e2e.py).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from .core.safe_text import one_line

if TYPE_CHECKING:  # pragma: no cover
    from .core.models import Article
    from .core.options import CheckOptions
    from .core.pipeline import Checker
    from .messages import OpenArticle
    from .screens.reader import Opener, ReaderScreen


async def open_with_pipeline(location: str, options: CheckOptions) -> tuple[Article, Checker]:
    """The real pipeline: read the article, then hand back a `Checker` ready to run."""
    from .core.pipeline import Checker, open_article

    article = await open_article(location, options)
    # Finding links and quotes is CPU work (0.2-0.3 s on a large page): keep it off the event loop.
    return article, await asyncio.to_thread(Checker, article, options)


class OpeningScreen(Screen[None]):
    """The first frame of `sourcecheck ARTICLE`: the article's name while the reader loads."""

    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen Static { width: auto; color: $text-muted; }
    """

    def __init__(self, location: str) -> None:
        super().__init__()
        self.location = location

    def compose(self) -> ComposeResult:
        yield Static(f"Opening {one_line(self.location)} …", markup=False)


class SourcecheckApp(App[int]):
    """Walk an article's claims beside their sources; every action is also in the command palette
    (the reader screen's `ReaderCommands` provider)."""

    CSS_PATH = "sourcecheck.tcss"
    TITLE = "sourcecheck"

    def __init__(
        self,
        location: str | None,
        options: CheckOptions,
        db_path: Path | None = None,
        *,
        opener: Opener | None = None,
        audit: Path | None = None,
        opening_frame: bool = False,
    ) -> None:
        super().__init__()
        self.location = location
        self.options = options
        self.db_path = db_path
        self.opener: Opener = opener or open_with_pipeline
        self.audit = audit
        self.opening_frame = opening_frame  # True: paint at once, import the reader in a thread

    def on_mount(self) -> None:
        if self.audit:
            from .screens.audit_list import AuditListScreen
            from .session.audit_list import AuditListing

            self.push_screen(AuditListScreen(AuditListing(self.audit), self.options))
        elif self.location and self.opening_frame:
            self.push_screen(OpeningScreen(self.location))
            self.call_after_refresh(self._load_reader)
        elif self.location:
            self.push_screen(self._reader(self.location))
        else:
            from .screens.picker import PickerScreen

            self.push_screen(PickerScreen())

    def _load_reader(self) -> None:
        if self.options.fetch:  # after the first frame: the extraction sandbox starts on another core
            from .core.fetch.pool import prestart_extraction

            prestart_extraction()

        def load() -> None:
            import tui.screens.reader  # noqa: F401 - the import is the work

            self.call_from_thread(self._show_reader)

        self.run_worker(load, thread=True, group="startup", exit_on_error=True)

    def _show_reader(self) -> None:
        if self.location and isinstance(self.screen, OpeningScreen):
            self.switch_screen(self._reader(self.location))

    def _reader(self, location: str, options: CheckOptions | None = None) -> ReaderScreen:
        from .screens.reader import ReaderScreen

        return ReaderScreen(location, options or self.options, self.opener, self.db_path)

    def on_open_article(self, message: OpenArticle) -> None:
        self.location = message.location
        self.push_screen(self._reader(message.location, message.options))

    async def action_quit(self) -> None:
        """Quit from anywhere (ctrl+q too) without losing a typed note: readers save on the way out."""
        reader = sys.modules.get("tui.screens.reader")  # not imported: no reader was opened
        for screen in self.screen_stack if reader else ():
            if isinstance(screen, reader.ReaderScreen):
                await screen.notes.settle()
        self.exit()


def run_reader(
    location: str | None, options: CheckOptions, db_path: Path | None = None, *, audit: Path | None = None
) -> int:
    """Run the full-screen reader until the user quits; the exit status for the CLI. `audit`: an audit
    database, whose articles are listed first."""
    app = SourcecheckApp(location, options, db_path, audit=audit, opening_frame=True)
    app.run()
    return app.return_code or 0
