"""The audit database: one SQLite file holding every article of an audit, its state and its report.

Each finished article is one committed transaction (WAL mode), so an interrupted or crashed audit loses at
most the articles that were in flight, and rerunning the same audit skips what is done. One audit process
writes to a database at a time (an advisory lock on `<db>.lock`); readers (the HTML report, the reader)
may open it while an audit runs.

An article that was in flight when the audit process died is retried on the next run; one that was in
flight for `MAX_ATTEMPTS` runs that all died is set aside as failed, so a poison article (one that crashes
the interpreter) cannot stop an audit from ever finishing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from ..budget import BodyError, open_regular
from .records import ArticleResult, ArticleSpec, AuditError, AuditRow

# 'SCAU' in the SQLite header (PRAGMA application_id): how `sourcecheck FILE` knows an audit database.
APPLICATION_ID = 0x53434155
SCHEMA_VERSION = 1
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    location TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    runs INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    error TEXT,
    counts TEXT NOT NULL DEFAULT '{}',
    report BLOB,
    seconds REAL,
    started_at TEXT,
    finished_at TEXT,
    archive TEXT,
    worker TEXT
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_ROW_COLUMNS = (
    "id, position, location, key, state, attempts, runs, title, error, counts, seconds, finished_at, "
    "archive, worker"
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_audit_database(path: Path | str) -> bool:
    """Whether `path` is an SQLite file this module wrote (by the header's application id, no SQL run)."""
    try:
        with open_regular(path, f"The file {path}") as fh:  # never blocks on a FIFO, never reads a device
            header = fh.read(72)
    except (OSError, BodyError):
        return False
    return (
        header.startswith(b"SQLite format 3\x00") and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


class AuditDB:
    """An open audit database. Use `AuditDB.open(path)` to write (takes the lock), `read_only=True` to read.

    Raises AuditError (one sentence) when the file is not an audit database, cannot be opened, or another
    audit is writing to it.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, lock_fd: int | None) -> None:
        self.conn = conn
        self.path = path
        self._lock_fd = lock_fd

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> AuditDB:
        db = Path(path).expanduser()
        if read_only:
            if not is_audit_database(db):
                raise AuditError(f"{db} is not a sourcecheck audit database.")
            conn = _connect(f"{db.resolve().as_uri()}?mode=ro", db, uri=True)
            return cls(conn, db, None)
        if db.exists() and db.stat().st_size and not is_audit_database(db):
            raise AuditError(f"{db} exists and is not a sourcecheck audit database; choose another file.")
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AuditError(f"Cannot create the folder for {db} ({exc.strerror or exc}).") from exc
        lock_fd = _lock(db)
        try:
            conn = _connect(str(db), db, uri=False)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise AuditError(f"{db} was written by a newer sourcecheck (schema {version}).")
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    # A new file: the header's application id is written before WAL mode, so it is in the
                    # main file at once (in WAL mode page 1 would wait in the log for a checkpoint).
                    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            except sqlite3.Error as exc:
                conn.close()
                raise AuditError(f"Cannot use the audit database {db} ({exc}).") from exc
        except BaseException:
            _unlock(lock_fd)
            raise
        return cls(conn, db, lock_fd)

    def close(self) -> None:
        self.conn.close()
        if self._lock_fd is not None:
            _unlock(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> AuditDB:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # -- planning a run -----------------------------------------------------------------------------

    def add(self, specs: Iterable[ArticleSpec]) -> None:
        """Record articles (those already recorded, by key, keep their state and position)."""
        with self.conn:
            start = self.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM articles").fetchone()[0]
            self.conn.executemany(
                "INSERT INTO articles (position, location, key) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO NOTHING",
                ((start + i, s.location, s.key) for i, s in enumerate(specs)),
            )

    def recover(self) -> list[str]:
        """After a run that died: in-flight articles go back to pending, or are set aside after
        MAX_ATTEMPTS runs died on them. Returns the keys set aside."""
        with self.conn:
            poisoned = [
                k
                for (k,) in self.conn.execute(
                    "SELECT key FROM articles WHERE state = 'running' AND attempts >= ?", (MAX_ATTEMPTS,)
                )
            ]
            self.conn.execute(
                "UPDATE articles SET state = 'failed', finished_at = ?, error = ? "
                "WHERE state = 'running' AND attempts >= ?",
                (
                    _now(),
                    f"The audit stopped {MAX_ATTEMPTS} times while checking this article (a crash or a "
                    "kill), so it was set aside; --again tries it once more.",
                    MAX_ATTEMPTS,
                ),
            )
            self.conn.execute("UPDATE articles SET state = 'pending' WHERE state = 'running'")
        return poisoned

    def reset(self, keys: Sequence[str]) -> None:
        """`--again`: these articles are to be checked anew (their old results stay until replaced)."""
        with self.conn:
            self.conn.executemany(
                "UPDATE articles SET state = 'pending', attempts = 0 WHERE key = ?", ((k,) for k in keys)
            )

    def pending(self, keys: Sequence[str] | None = None) -> list[ArticleSpec]:
        """Articles still to check, in input order (only among `keys` when given)."""
        rows = self.conn.execute(
            "SELECT location, key FROM articles WHERE state = 'pending' ORDER BY position"
        ).fetchall()
        wanted = None if keys is None else set(keys)
        return [ArticleSpec(loc, key) for loc, key in rows if wanted is None or key in wanted]

    # -- during a run -------------------------------------------------------------------------------

    def mark_started(self, key: str, worker: str = "local") -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE articles SET state = 'running', attempts = attempts + 1, started_at = ?, worker = ? "
                "WHERE key = ?",
                (_now(), worker, key),
            )

    def record(self, result: ArticleResult) -> None:
        """Store one article's result in one transaction (the unit an interrupted audit keeps)."""
        report = None
        if result.report is not None:
            report = zlib.compress(json.dumps(result.report, ensure_ascii=False).encode("utf-8"), 6)
        with self.conn:
            self.conn.execute(
                "UPDATE articles SET state = ?, attempts = 0, runs = runs + 1, title = ?, error = ?, "
                "counts = ?, report = ?, seconds = ?, finished_at = ?, archive = ?, worker = ? WHERE key = ?",
                (
                    result.state,
                    result.title,
                    result.error,
                    json.dumps(result.counts),
                    report,
                    result.seconds,
                    _now(),
                    result.archive,
                    result.worker,
                    result.key,
                ),
            )

    def release(self, keys: Iterable[str]) -> None:
        """An interrupted run gives back its in-flight articles: pending again, the attempt not counted."""
        with self.conn:
            self.conn.executemany(
                "UPDATE articles SET state = 'pending', attempts = MAX(attempts - 1, 0) "
                "WHERE key = ? AND state = 'running'",
                ((k,) for k in keys),
            )

    # -- reading ------------------------------------------------------------------------------------

    def rows(self, keys: Sequence[str] | None = None) -> list[AuditRow]:
        """Every article (or those with `keys`, in that order), without reports."""
        rows = [_row(r) for r in self.conn.execute(f"SELECT {_ROW_COLUMNS} FROM articles ORDER BY position")]
        if keys is None:
            return rows
        by_key = {r.key: r for r in rows}
        return [by_key[k] for k in dict.fromkeys(keys) if k in by_key]

    def report(self, key: str) -> dict[str, Any] | None:
        """The stored `check` report of one article; None when it has none (pending or failed)."""
        found = self.conn.execute("SELECT report FROM articles WHERE key = ?", (key,)).fetchone()
        if not found or found[0] is None:
            return None
        return json.loads(zlib.decompress(found[0]).decode("utf-8"))

    def meta(self, name: str) -> str | None:
        found = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return found[0] if found else None


def _row(r: Sequence[Any]) -> AuditRow:
    return AuditRow(
        id=r[0], position=r[1], location=r[2], key=r[3], state=r[4], attempts=r[5], runs=r[6], title=r[7],
        error=r[8], counts=json.loads(r[9] or "{}"), seconds=r[10], finished_at=r[11], archive=r[12],
        worker=r[13],
    )  # fmt: skip


def _connect(target: str, db: Path, *, uri: bool) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(target, uri=uri, timeout=30)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        raise AuditError(f"Cannot open the audit database {db} ({exc}).") from exc


def _lock(db: Path) -> int:
    """Hold `<db>.lock` for as long as this process writes the audit (released by the OS if it dies)."""
    lock_path = db.with_name(db.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise AuditError(f"Cannot create {lock_path} ({exc.strerror or exc}).") from exc
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock, one audit at a time by convention
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise AuditError(
            f"Another audit is writing to {db}; wait for it or choose another database."
        ) from exc
    return fd


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


@contextlib.contextmanager
def reading(path: Path | str) -> Iterator[AuditDB]:
    """An audit database opened read-only for the length of a `with` block."""
    db = AuditDB.open(path, read_only=True)
    try:
        yield db
    finally:
        db.close()
