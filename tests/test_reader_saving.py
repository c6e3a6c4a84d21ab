"""Sources attached by hand have the notes' guarantees: a busy database is retried and said, a read-only one
is said, and leaving says what would be lost (issue 14 follow-up, issue 12's `s` and `l`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_app import LOCKER, make_app, messages, settle, until
from test_reader_sources import SOURCES, answer, copied  # noqa: F401 - `copied` is a fixture

from tui.core import locations
from tui.core.notes import NoteStore
from tui.screens import notes_io
from tui.session import link_entry


def attached(db: Path, article: Path) -> list[tuple[str, str]]:
    with NoteStore.open(db) as store:
        return [(a.kind, a.anchor_text) for a in store.attached_sources(locations.article_key(str(article)))]


async def attach_transcript(pilot, screen) -> None:
    screen.session.select(link_entry(5))
    screen.redraw()
    await pilot.press("s")
    await answer(pilot, str(SOURCES / "radio-transcript.txt"))


async def test_a_source_attached_while_the_database_is_locked_is_retried_and_quit_says_what_is_lost(
    copied: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch,
) -> None:
    monkeypatch.setattr("tui.core.notes.store.RETRY_SECONDS", 1.0)  # the store gives up after 1 s, not 30
    monkeypatch.setattr(notes_io, "RETRY_AFTER", 0.5)
    db = tmp_path / "notes.sqlite3"
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
            await attach_transcript(pilot, screen)
            await until(pilot, lambda: screen.session.rows.by_index[5].state == "ok", "the source was read")
            await until(pilot, lambda: any("still busy" in m for m in messages(app)), "told it is busy")
            assert screen.notes.lost() and screen.sources.unsaved  # kept, and used meanwhile
            await pilot.press("q")
            await until(pilot, lambda: any("Not saved yet" in m for m in messages(app)), "told what is lost")
            assert app.is_running and "radio-transcript.txt" in next(
                m for m in messages(app) if "Not saved yet" in m
            )
            locker.stdin.write("go\n")  # type: ignore[union-attr]
            locker.stdin.flush()  # type: ignore[union-attr]
            assert locker.wait(timeout=60) == 0
            await until(pilot, lambda: not screen.notes.lost(), "the retry saved it", timeout=30)
            await until(pilot, lambda: any("everything is saved" in m for m in messages(app)), "told saved")
            assert not screen.sources.unsaved
        finally:
            locker.kill()
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "q quit once all was saved")
    assert attached(db, copied) == [("file", "morning show")]


async def test_a_read_only_database_says_the_source_is_not_saved_and_quit_asks_twice(
    copied: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch,
) -> None:
    db = tmp_path / "notes.sqlite3"
    NoteStore.open(db).close()
    opener = NoteStore.open.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        NoteStore, "open", classmethod(lambda cls, path=None: opener(cls, path, read_only=True))
    )
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        await attach_transcript(pilot, screen)
        await until(pilot, lambda: any("read-only" in m for m in messages(app)), "told it is read-only")
        await until(pilot, lambda: screen.session.rows.by_index[5].state == "ok", "still read this session")
        await pilot.press("l")
        await answer(pilot, str(SOURCES / "radio-transcript.txt"))  # any file: its address is what is kept
        await pilot.press("q")
        await until(pilot, lambda: any("Not saved yet" in m for m in messages(app)), "told what is lost")
        warning = next(m for m in messages(app) if "Not saved yet" in m)
        assert "radio-transcript.txt" in warning and "published version" in warning and "read-only" in warning
        assert app.is_running
        await pilot.press("q")  # asked again: leave without them
        await until(pilot, lambda: not app.is_running, "the second q quit")
    monkeypatch.undo()
    assert attached(db, copied) == []
