"""`NoteStore`: notes of every article in one SQLite file, shared safely by several readers at once."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import locations
from ..errors import NotesError
from .attached import AttachedSourcesMixin
from .connection import (
    RETRY_SECONDS,
    connect,
    explain,
    is_busy,
    is_readonly_error,
    readable,
    writable,
    writable_dir,
)
from .records import UNSET, VERDICTS, ArticleSummary, Note, NoteTarget, Unset, Verdict, utc_now
from .schema import MIGRATIONS, SCHEMA_V2, SCHEMA_VERSION, TARGET_COLUMNS, statements


class NoteStore(AttachedSourcesMixin):
    """Notes (and attached sources) of every article, in one SQLite file shared safely by several readers."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.read_only = read_only  # True when the file or its folder cannot be written: saves raise

    # -- opening ------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> NoteStore:
        """Open (creating if needed) and migrate the database; `NotesError` says why not.

        `path` None means `SOURCECHECK_DB`, else notes.sqlite3 in the data directory. When the file exists
        but cannot be written (read-only folder or file), the store opens read-only (`store.read_only`).
        """
        db = locations.notes_db_path(path)
        if db.is_dir():
            raise NotesError(f"The notes database path {db} is a folder, not a file; give a file with --db.")
        if db.exists() and not readable(db):
            raise NotesError(f"The notes database {db} cannot be read (permission denied).")
        if read_only or (db.exists() and not writable(db)):
            return cls._open_read_only(db)
        if not db.exists():
            try:
                db.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise NotesError(
                    f"Cannot create the folder {db.parent} for notes ({exc.strerror or exc}); "
                    "choose another place with --db or SOURCECHECK_DB."
                ) from None
            if not writable_dir(db.parent):
                raise NotesError(
                    f"Cannot create the notes database in {db.parent}: the folder is read-only; "
                    "choose another place with --db or SOURCECHECK_DB."
                )
        try:
            conn = connect(db, uri=False)
        except sqlite3.Error as exc:
            raise explain(exc, db) from None
        store = cls(conn, db)
        try:
            store._prepare()
        except NotesError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if is_readonly_error(exc):
                return cls._open_read_only(db)
            raise explain(exc, db) from None
        return store

    @classmethod
    def _open_read_only(cls, db: Path) -> NoteStore:
        if not db.exists():
            raise NotesError(f"There is no notes database at {db}.")
        last: sqlite3.Error | None = None
        # mode=ro needs the -shm file of a WAL database to be writable or present; immutable=1 does not
        # (safe here: nobody can write to a file in a folder we cannot write either... or if they can,
        # we only read a snapshot).
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = connect(db, uri=True, query=query)
            except sqlite3.Error as exc:
                last = exc
                continue
            store = cls(conn, db, read_only=True)
            try:
                store._check_schema(migrate=False)
                return store
            except NotesError:
                conn.close()
                raise
            except sqlite3.Error as exc:
                last = exc
                conn.close()
        assert last is not None
        raise explain(last, db) from None

    def _prepare(self) -> None:
        conn = self._conn
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise NotesError(f"The notes database {self.path} cannot use WAL mode (journal mode {mode}).")
        self._check_schema(migrate=True)

    def _check_schema(self, *, migrate: bool) -> None:
        conn = self._conn
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise NotesError(
                f"The notes database {self.path} is damaged ({ok}); move it aside to start afresh "
                "(your notes stay in the old file)."
            )
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise NotesError(
                f"The notes database {self.path} was written by a newer sourcecheck (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); upgrade sourcecheck to use it."
            )
        if not migrate and version == 0:
            raise NotesError(f"The file {self.path} holds no sourcecheck notes and is read-only here.")
        if not migrate:
            raise NotesError(
                f"The notes database {self.path} has an older layout (schema {version}) and cannot be "
                "upgraded because it is read-only; open it once where it can be written."
            )
        self._upgrade(version)

    def _upgrade(self, version: int) -> None:
        if 0 < version < SCHEMA_VERSION:
            self._backup(version)  # outside the write transaction: a backup reads the file
        with self._write() as c:
            # re-read inside the write lock: another process may have migrated meanwhile
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            tables -= {"sqlite_sequence"}
            if version == 0:
                if tables:
                    raise NotesError(
                        f"The file {self.path} is a SQLite database of something else, not sourcecheck "
                        "notes; give another file with --db."
                    )
                for statement in statements(SCHEMA_V2):
                    c.execute(statement)
                version = 2
            if version not in MIGRATIONS:
                raise NotesError(f"The notes database {self.path} has an unknown schema {version}.")
            while version < SCHEMA_VERSION:  # all steps in this one transaction: all or nothing
                MIGRATIONS[version](c)
                version += 1
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _backup(self, version: int) -> None:
        """Copy the file before migrating it: a migration is one transaction, but belt and braces."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        if target.exists():
            return
        try:
            dest = sqlite3.connect(target)
            try:
                self._conn.backup(dest)
            finally:
                dest.close()
        except sqlite3.Error:
            with contextlib.suppress(OSError):
                target.unlink()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> NoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------------------

    def save(
        self,
        target: NoteTarget,
        *,
        verdict: Verdict | Unset | None = UNSET,
        body: str | Unset = UNSET,
        note_id: int | None = None,
    ) -> Note:
        """Create or update the note on `target` in one transaction; returns it as stored.

        Only the fields passed change (UNSET leaves verdict or body as they are), so two readers editing
        different fields of one note do not overwrite each other. With `note_id` (from an `AnchoredNote`)
        that note is updated and moved onto `target` - how a re-anchored note follows an edited article.
        """
        if verdict is not UNSET and verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
        if body is not UNSET and not isinstance(body, str):
            raise TypeError("body must be a str")
        self._require_writable()
        now = utc_now()
        ident = target.identity
        values = [getattr(target, c) for c in TARGET_COLUMNS]

        def work(c: sqlite3.Connection) -> int:
            row = None
            if note_id is not None:
                row = c.execute(
                    "SELECT id, identity FROM notes WHERE id = ? AND article_key = ?",
                    (note_id, target.article_key),
                ).fetchone()
            if row is None:
                row = c.execute(
                    "SELECT id, identity FROM notes WHERE article_key = ? AND identity = ?",
                    (target.article_key, ident),
                ).fetchone()
            if row is None:
                cur = c.execute(
                    "INSERT INTO notes (uid, article_key, identity, "
                    + ", ".join(TARGET_COLUMNS)
                    + ", verdict, body, created_at, updated_at) VALUES ("
                    + ", ".join("?" * (len(TARGET_COLUMNS) + 7))
                    + ")",
                    [
                        str(uuid.uuid4()),
                        target.article_key,
                        ident,
                        *values,
                        None if verdict is UNSET else verdict,
                        "" if body is UNSET else body,
                        now,
                        now,
                    ],
                )
                rid = int(cur.lastrowid or 0)
            else:
                rid, old_ident = row
                new_ident = ident
                if old_ident != ident:
                    clash = c.execute(
                        "SELECT 1 FROM notes WHERE article_key = ? AND identity = ? AND id != ?",
                        (target.article_key, ident, rid),
                    ).fetchone()
                    if clash:  # another note already owns that identity: keep ours distinct
                        new_ident = old_ident
                sets = [f"{col} = ?" for col in TARGET_COLUMNS] + ["identity = ?", "updated_at = ?"]
                params: list[Any] = [*values, new_ident, now]
                if verdict is not UNSET:
                    sets.append("verdict = ?")
                    params.append(verdict)
                if body is not UNSET:
                    sets.append("body = ?")
                    params.append(body)
                c.execute(f"UPDATE notes SET {', '.join(sets)} WHERE id = ?", [*params, rid])
            c.execute(
                "INSERT INTO articles (key, title, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET updated_at = excluded.updated_at,"
                " title = coalesce(excluded.title, articles.title)",
                (target.article_key, target.article_title, now, now),
            )
            return rid

        with self._write() as c:
            rid = work(c)
            note = self._get(c, rid)
        assert note is not None
        return note

    def delete(self, note_id: int) -> None:
        """Remove a note for good (the UI's explicit delete; clearing a note's text does not delete it)."""
        self._require_writable()
        with self._write() as c:
            c.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    # -- reading ------------------------------------------------------------------------------------------

    def get(self, note_id: int) -> Note | None:
        with self._read() as c:
            return self._get(c, note_id)

    def notes_for(self, article_key: str, *, include_empty: bool = False) -> list[Note]:
        """The article's notes, oldest first; empty ones (no verdict, blank body) only if asked."""
        with self._read() as c:
            rows = c.execute(
                f"SELECT {_NOTE_SELECT} FROM notes WHERE article_key = ? ORDER BY id", (article_key,)
            ).fetchall()
            titles = c.execute("SELECT title FROM articles WHERE key = ?", (article_key,)).fetchone()
        title = titles[0] if titles else None
        notes = [_row_to_note(r, title) for r in rows]
        return notes if include_empty else [n for n in notes if not n.empty]

    def articles(self) -> list[ArticleSummary]:
        """Every article with at least one non-empty note, most recently annotated first."""
        with self._read() as c:
            rows = c.execute(
                "SELECT n.article_key, a.title, n.verdict, count(*), max(n.updated_at) FROM notes n"
                " LEFT JOIN articles a ON a.key = n.article_key"
                " WHERE n.verdict IS NOT NULL OR trim(n.body, char(32, 9, 10, 13)) != ''"
                " GROUP BY n.article_key, n.verdict"
            ).fetchall()
        by_key: dict[str, dict[str, Any]] = {}
        for key, title, verdict, count, updated in rows:
            entry = by_key.setdefault(key, {"title": title, "notes": 0, "verdicts": {}, "updated": None})
            entry["notes"] += count
            if verdict:
                entry["verdicts"][verdict] = entry["verdicts"].get(verdict, 0) + count
            if entry["updated"] is None or (updated and updated > entry["updated"]):
                entry["updated"] = updated
        summaries = [
            ArticleSummary(key, e["title"], e["notes"], dict(sorted(e["verdicts"].items())), e["updated"])
            for key, e in by_key.items()
        ]
        summaries.sort(key=lambda s: s.updated_at or "", reverse=True)
        return summaries

    # -- plumbing -----------------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only:
            raise NotesError(
                f"The notes database {self.path} is read-only here, so this note cannot be saved; "
                "use --db or SOURCECHECK_DB to choose a writable file."
            )

    def _get(self, c: sqlite3.Connection, note_id: int) -> Note | None:
        row = c.execute(f"SELECT {_NOTE_SELECT} FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            return None
        title = c.execute("SELECT title FROM articles WHERE key = ?", (row[2],)).fetchone()
        return _row_to_note(row, title[0] if title else None)

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, retrying while another process holds the write lock."""
        with self._lock:
            conn = self._conn
            deadline = time.monotonic() + RETRY_SECONDS
            delay = 0.01
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc) or time.monotonic() > deadline:
                        raise explain(exc, self.path) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.2)
            try:
                yield conn
                while True:
                    try:
                        conn.execute("COMMIT")
                        break
                    except sqlite3.OperationalError as exc:
                        if not is_busy(exc) or time.monotonic() > deadline:
                            raise
                        time.sleep(delay)
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise explain(exc, self.path) from None
                raise


_NOTE_SELECT = (
    "id, uid, article_key, " + ", ".join(TARGET_COLUMNS) + ", verdict, body, created_at, updated_at"
)


def _row_to_note(row: Sequence[Any], title: str | None) -> Note:
    nid, uid, key = row[0], row[1], row[2]
    target_values = dict(zip(TARGET_COLUMNS, row[3 : 3 + len(TARGET_COLUMNS)], strict=True))
    verdict, body, created, updated = row[3 + len(TARGET_COLUMNS) :]
    target = NoteTarget(article_key=key, article_title=title, **target_values)
    return Note(nid, uid, target, verdict, body or "", created, updated)
