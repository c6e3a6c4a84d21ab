"""The reader's notes database, kept off the event loop.

Opening the store, reading and anchoring an article's notes, and every save run in thread workers: a save
may wait up to `notes.RETRY_SECONDS` while another program holds the database's write lock, and the
reader must keep answering keys meanwhile. Saves run one batch at a time, in order: note drafts and the
other writes the reader queues with `write()` (a source attached by hand, the published version chosen),
with the same guarantees. A batch still running after `BUSY_AFTER` seconds tells the user the database is
busy (and, later, that it was saved); a batch that failed because the database stayed locked is tried
again every `RETRY_AFTER` seconds. `settle()` waits for every save without blocking the loop (quit, back,
export) and `lost()` names what is still not saved, so leaving can say what would be lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ..core import locations
from ..core.anchoring import anchor_notes
from ..core.export import export_markdown
from ..core.models import Article
from ..core.notes import AnchoredNote, NotesBusy, NotesError, NoteStore
from ..core.pipeline import Checker
from ..session import ReaderSession, SaveRequest

if TYPE_CHECKING:
    from textual.screen import Screen

BUSY_AFTER = 1.0  # seconds a save may take before the user is told the database is busy
SAVE_DELAY = 0.5  # seconds of no typing before a note is saved
RETRY_AFTER = 5.0  # seconds before a batch that found the database locked is tried again


@dataclass(frozen=True)
class StoreWrite:
    """One write to the notes database other than a note draft, queued with `NotesIO.write`.

    `what` names it for the user ("the source https://… for claim 3"); `run` does it on the store (in a
    thread; raises NotesError or ValueError); `done` is called on the event loop once it is stored.
    """

    what: str
    run: Callable[[NoteStore], object]
    done: Callable[[], None] | None = None


@dataclass
class Batch:
    """What one save worker did: per note draft (request, note id or None, error), per write its error
    (None when stored), and whether any failure was the database staying locked (worth retrying)."""

    notes: list[tuple[SaveRequest, int | None, str | None]]
    writes: list[tuple[StoreWrite, str | None]]
    busy: bool = False

    @property
    def errors(self) -> list[str]:
        return [e for _, _, e in self.notes if e] + [e for _, e in self.writes if e]


class NotesIO:
    """The `NoteStore` of one reader screen and the workers that use it."""

    def __init__(
        self, screen: Screen, session: ReaderSession, db_path: Path | None, on_change: Callable[[], None]
    ):
        self.screen = screen
        self.session = session
        self.db_path = db_path
        self.on_change = on_change  # called after notes were loaded or saved: redraw
        self.store: NoteStore | None = None
        self.unavailable: str | None = None  # why notes cannot be saved
        self.writes: list[StoreWrite] = []  # queued, or failed and waiting to be tried again
        self._saving: Worker[Batch] | None = None
        self._debounce: Timer | None = None
        self._busy: Timer | None = None
        self._retry: Timer | None = None
        self._told_busy = False
        self._told_unavailable = False
        self._last_error: str | None = None
        self._warned_leaving: list[str] = []

    # -- loading --------------------------------------------------------------------------------------

    def load(self) -> None:
        """Open the store and place the article's stored notes (a thread worker)."""
        session = self.session
        assert session.article is not None
        article, links, quotes = session.article, session.links, session.quotes

        def work() -> tuple[NoteStore | None, list[AnchoredNote], str | None]:
            try:
                store = self.store or NoteStore.open(self.db_path)
            except NotesError as exc:
                return None, [], f"Notes will not be saved: {exc}"
            try:
                stored = store.notes_for(locations.article_key(article.location))
            except NotesError as exc:
                return store, [], f"Saved notes could not be read: {exc}"
            return store, anchor_notes(stored, article, links, quotes), None

        self.screen.run_worker(work, thread=True, group="notes-load", exit_on_error=False)

    def loaded(self, result: tuple[NoteStore | None, list[AnchoredNote], str | None]) -> None:
        store, anchored, error = result
        self.store = store
        if store is None:
            self.unavailable = error
        elif error:
            self.screen.notify(error, severity="error", timeout=10)
        self.session.load_notes(anchored)
        self.on_change()
        self.flush()

    # -- saving ---------------------------------------------------------------------------------------

    def typed(self) -> None:
        """A keystroke in the note: save once typing pauses."""
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.screen.set_timer(SAVE_DELAY, self.flush)

    def write(self, write: StoreWrite) -> str | None:
        """Queue `write` (saved with the next batch, kept until stored); returns why it cannot be saved
        now when the database is not open (it stays queued and `lost()` names it)."""
        self.writes.append(write)
        self.flush()
        return self.unavailable if self.store is None else None

    def flush(self) -> None:
        """Save every draft that changed and every queued write, in a thread worker (one batch at a time)."""
        for timer in (self._debounce, self._retry):
            if timer is not None:
                timer.stop()
        self._debounce = self._retry = None
        if self._saving is not None:
            return  # `_finished` flushes again
        if self.store is None:
            pending = self.session.drafts.unsaved or self.writes
            if self.unavailable and pending and not self._told_unavailable:
                self._told_unavailable = True
                self.screen.notify(
                    f"{self.unavailable} Your text stays on screen.", severity="error", timeout=10
                )
            return
        requests, writes = self.session.take_saves(), self.writes
        if not requests and not writes:
            return
        self.writes = []
        store = self.store

        def work() -> Batch:
            batch = Batch([], [])
            for request in requests:
                try:
                    note = store.save(request.target, note_id=request.note_id, **request.fields)
                    batch.notes.append((request, note.id, None))
                except (NotesError, ValueError) as exc:
                    batch.notes.append((request, None, str(exc)))
                    batch.busy |= isinstance(exc, NotesBusy)
            for write in writes:
                try:
                    write.run(store)
                    batch.writes.append((write, None))
                except (NotesError, ValueError) as exc:
                    batch.writes.append((write, str(exc)))
                    batch.busy |= isinstance(exc, NotesBusy)
            return batch

        self._saving = self.screen.run_worker(work, thread=True, group="notes-save", exit_on_error=False)
        self._busy = self.screen.set_timer(BUSY_AFTER, self._say_busy)

    def _say_busy(self) -> None:
        if self._saving is not None and not self._told_busy:
            self._told_busy = True
            self.screen.notify(
                "The notes database is busy (another program is writing to it). What you changed is "
                "kept and will be saved as soon as it is free.",
                severity="warning",
                timeout=8,
            )

    def worker_changed(self, worker: Worker) -> bool:
        """Take the result of a notes worker; False when `worker` is not one of ours."""
        if worker.group == "notes-load" and worker.state == WorkerState.SUCCESS:
            self.loaded(worker.result)
            return True
        if worker is self._saving and worker.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self._finished(worker)
            return True
        return worker.group in ("notes-load", "notes-save")

    def _finished(self, worker: Worker[Batch]) -> None:
        if worker is not self._saving:
            return  # already taken by `settle`
        self._saving = None
        if self._busy is not None:
            self._busy.stop()
        batch = worker.result if worker.state == WorkerState.SUCCESS else None
        if batch is None:
            self.session.drafts.release()
            self.screen.notify(f"Not saved: {worker.error}", severity="error", timeout=10)
            return
        for request, note_id, _ in batch.notes:
            self.session.save_done(request, note_id)
        failed = [write for write, error in batch.writes if error]
        self.writes[:0] = failed  # in their order, before what was queued meanwhile
        for write, error in batch.writes:
            if error is None and write.done is not None:
                write.done()
        errors = batch.errors
        self._last_error = errors[0] if errors else None
        if batch.busy:
            self._told_busy = True
            self._retry = self.screen.set_timer(RETRY_AFTER, self.flush)
            self.screen.notify(
                f"The notes database is still busy; what you changed is kept and tried again every "
                f"{RETRY_AFTER:.0f} s.",
                severity="warning",
                timeout=8,
            )
        elif errors:
            self.screen.notify(f"Not saved (your text stays here): {errors[0]}", severity="error", timeout=10)
        elif self._told_busy:
            self._told_busy = False
            self.screen.notify("The notes database is free again: everything is saved.", timeout=4)
        self.on_change()
        if not errors:
            self.flush()  # edits made while this batch was saving

    def lost(self) -> list[str]:
        """What leaving now would lose: one phrase per unsaved write, one for the notes (empty: nothing)."""
        out = [write.what for write in self.writes]
        if self.session.drafts.unsaved:
            out.append("your note")
        return out

    async def settle(self) -> None:
        """Save everything and wait for it (without blocking the event loop)."""
        self.flush()
        while self._saving is not None:
            worker = self._saving
            with contextlib.suppress(Exception):
                await worker.wait()
            self._finished(worker)

    async def may_leave(self) -> bool:
        """Save everything and wait; True when nothing would be lost, or when the user was told what would
        be and asks again (a second q). Otherwise say what is not saved and why, and return False."""
        await self.settle()
        lost = self.lost()
        if not lost or lost == self._warned_leaving:
            return True
        self._warned_leaving = lost
        why = self.unavailable if self.store is None else self._last_error
        self.screen.notify(
            f"Not saved yet: {'; '.join(lost)}" + (f" ({why})" if why else "") + ". Press the key again to "
            "leave without saving them, or wait: they are tried again.",
            severity="warning",
            timeout=12,
        )
        return False

    async def export(self, checker: Checker) -> Path:
        """Save every note, then write the Markdown report (`export_path`) in a thread; returns where.

        Raises NotesError, OSError, ValueError or KeyError with what went wrong.
        """
        await self.settle()
        store, article = self.store, checker.article

        def write() -> Path:
            stored = store.notes_for(locations.article_key(article.location)) if store else []
            anchored = anchor_notes(stored, article, checker.links, checker.quotes)
            path = export_path(article)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(export_markdown(checker.report(), anchored), encoding="utf-8")
            return path

        return await asyncio.to_thread(write)

    def close(self) -> None:
        """Last resort on unmount: save what is left here and now, then close the store."""
        if self.store is None or self._saving is not None:
            return  # a save still running owns the connection; it closes with the process
        for request in self.session.take_saves():
            with contextlib.suppress(NotesError, ValueError):
                self.store.save(request.target, note_id=request.note_id, **request.fields)
        for write in self.writes:
            with contextlib.suppress(NotesError, ValueError):
                write.run(self.store)
        self.store.close()
        self.store = None


def export_path(article: Article) -> Path:
    """`<data dir>/reports/<article name>.sourcecheck.md`: a place the user can always write to."""
    stem = Path(article.location.rstrip("/")).stem or "article"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "article"
    return locations.data_dir() / "reports" / f"{safe}.sourcecheck.md"
