"""The Textual application: `sourcecheck ARTICLE` opens the reader, `sourcecheck` alone the picker, and
`sourcecheck AUDIT.sqlite3` the list of an audit's articles."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App

from .core.models import Article
from .core.pipeline import Checker, CheckOptions, open_article
from .messages import OpenArticle
from .screens.audit_list import AuditListScreen
from .screens.picker import PickerScreen
from .screens.reader import Opener, ReaderScreen
from .session.audit_list import AuditListing


async def open_with_pipeline(location: str, options: CheckOptions) -> tuple[Article, Checker]:
    """The real pipeline: read the article, then hand back a `Checker` ready to run."""
    article = await open_article(location, options)
    # Finding links and quotes is CPU work (0.2-0.3 s on a large page): keep it off the event loop.
    return article, await asyncio.to_thread(Checker, article, options)


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
    ) -> None:
        super().__init__()
        self.location = location
        self.options = options
        self.db_path = db_path
        self.opener: Opener = opener or open_with_pipeline
        self.audit = audit

    def on_mount(self) -> None:
        if self.audit:
            self.push_screen(AuditListScreen(AuditListing(self.audit), self.options))
        elif self.location:
            self.push_screen(self._reader(self.location))
        else:
            self.push_screen(PickerScreen())

    def _reader(self, location: str, options: CheckOptions | None = None) -> ReaderScreen:
        return ReaderScreen(location, options or self.options, self.opener, self.db_path)

    def on_open_article(self, message: OpenArticle) -> None:
        self.location = message.location
        self.push_screen(self._reader(message.location, message.options))

    async def action_quit(self) -> None:
        """Quit from anywhere (ctrl+q too) without losing a typed note: readers save on the way out."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                await screen.notes.settle()
        self.exit()


def run_reader(
    location: str | None, options: CheckOptions, db_path: Path | None = None, *, audit: Path | None = None
) -> int:
    """Run the full-screen reader until the user quits; the exit status for the CLI. `audit`: an audit
    database, whose articles are listed first."""
    app = SourcecheckApp(location, options, db_path, audit=audit)
    app.run()
    return app.return_code or 0
