"""SQLite plumbing for the notes store: connecting, permission checks, one sentence per database failure,
moving a damaged file aside."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from .. import locations
from ..errors import NotesBusy, NotesError

BUSY_TIMEOUT_MS: Final = 5000
RETRY_SECONDS: Final = 30.0  # total time a save keeps retrying a locked database before giving up


def connect(db: Path, *, uri: bool, query: str = "") -> sqlite3.Connection:
    if uri:
        conn = sqlite3.connect(
            f"{db.resolve().as_uri()}?{query}", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not uri:
        conn.execute("PRAGMA synchronous = FULL")  # a saved note survives a power cut, not just a crash
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def readable(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            fh.read(1)
        return True
    except OSError:
        return False


def writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and writable_dir(path.parent)


def writable_dir(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_readonly_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "unable to open database file" in text


def explain(exc: sqlite3.Error, db: Path) -> NotesError:
    text = str(exc)
    low = text.lower()
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return NotesError(
            f"The notes database {db} is damaged or is not a SQLite file; move it aside to start afresh "
            "(your notes stay in the old file)."
        )
    if "unable to open" in low:
        return NotesError(
            f"Cannot open the notes database {db}; check that the file and its folder exist "
            "and can be read and written."
        )
    if "readonly" in low or "read-only" in low:
        return NotesError(
            f"The notes database {db} is read-only; use --db or SOURCECHECK_DB to choose a writable file."
        )
    if "locked" in low or "busy" in low:
        return NotesBusy(
            f"The notes database {db} stayed locked by another program for "
            f"{RETRY_SECONDS:.0f} s; close the other reader and try again."
        )
    if "disk" in low and "full" in low:
        return NotesError(f"The disk holding {db} is full; the note was not saved.")
    return NotesError(f"The notes database {db} failed: {text}.")


def move_aside(path: Path | str | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way; returns where it went.

    Nothing is deleted: the old file can still be inspected or recovered with `sqlite3 .recover`.
    """
    db = locations.notes_db_path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = db.with_name(f"{db.name}.damaged-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = db.with_name(f"{db.name}.damaged-{stamp}-{n}")
    shutil.move(str(db), str(dest))
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            shutil.move(str(side), str(dest.with_name(dest.name + suffix)))
    return dest
