"""The user's verdicts and notes: a small SQLite store that never loses a saved word.

Why it looks the way it does:
- One row per annotated thing (a quote, or a claim = the sentence holding a link), upserted on every
  debounced edit, each save one short transaction (WAL, `synchronous=FULL`): a crash or a kill loses at
  most the edit that was being written, never an earlier one.
- Notes are keyed by the article (`locations.article_key`) and by *text*, not by position, so reopening an
  edited article re-anchors them (W3C TextQuoteSelector style: exact + prefix/suffix). A note whose text
  vanished is kept and reported as orphaned, never dropped.
- Every failure of the database itself (damaged file, unreadable file, read-only folder, newer schema)
  becomes one `NotesError` with one sentence a person can act on.

Typical use from the reader (thread-safe; saves from a worker are fine):

    store = NoteStore.open()                        # or NoteStore.open(args.db)
    key = article_key(article.location)
    anchored = anchor_notes(store.notes_for(key), article, links, quotes)   # tui.core.anchoring
    target = NoteTarget.for_quote(article, link, quote, match)   # or NoteTarget.for_claim(article, link)
    note = store.save(target, verdict="altered")                 # verdict only; body untouched
    note = store.save(target, body=text, note_id=note.id)        # body only, on a known note
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from hashlib import sha256
from pathlib import Path
from typing import Any, Final, Literal, get_args

from . import locations
from .models import Article, Link, Quote, QuoteMatch
from .normalize import fold_text

__all__ = [
    "SCHEMA_VERSION",
    "UNSET",
    "VERDICTS",
    "VERDICT_KEYS",
    "VERDICT_LABELS",
    "AnchoredNote",
    "ArticleSummary",
    "Note",
    "NoteStore",
    "NoteTarget",
    "NotesError",
    "Verdict",
    "move_aside",
]

Verdict = Literal["accurate", "altered", "cut", "unsupported", "cant_verify"]
VERDICTS: Final[tuple[Verdict, ...]] = get_args(Verdict)
VERDICT_LABELS: Final[dict[Verdict, str]] = {
    "accurate": "Accurate",
    "altered": "Altered",
    "cut": "Cut / out of context",
    "unsupported": "Unsupported",
    "cant_verify": "Can't verify",
}
# A suggestion for the reader's one-key-each bindings (the UI may choose others).
VERDICT_KEYS: Final[dict[Verdict, str]] = {
    "accurate": "1",
    "altered": "2",
    "cut": "3",
    "unsupported": "4",
    "cant_verify": "5",
}

SCHEMA_VERSION: Final = 2
BUSY_TIMEOUT_MS: Final = 5000
RETRY_SECONDS: Final = 30.0  # total time a save keeps retrying a locked database before giving up

AnchorHow = Literal["quote", "quote_fuzzy", "text", "claim", "claim_fuzzy", "link_url", "link_index", "none"]


class NotesError(Exception):
    """The notes database cannot be used as asked; the message is one sentence for the user."""


class _Unset(Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset.UNSET


# ---------------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class NoteTarget:
    """What a note is about: a quote (``quote_text`` set) or a claim (``quote_text`` None).

    Identity (what `NoteStore.save` upserts on) is the article key, the link URL, and the quote text -
    or, for a claim note, the claim sentence - plus ``occurrence`` when the same quote appears twice.
    Positions (`link_index`, `article_start`/`article_end`) are hints for re-anchoring, not identity.
    The ``source_*`` fields describe where the quote was found in the source (for annotation export);
    they are refreshed from the current report at export time when the quote still matches.
    """

    article_key: str
    link_index: int | None
    link_url: str | None
    claim: str
    quote_text: str | None = None
    quote_prefix: str = ""  # article text just before the quote (TextQuoteSelector in the article)
    quote_suffix: str = ""
    article_start: int | None = None
    article_end: int | None = None
    occurrence: int = 0  # which of several identical quotes in the article (0 = first)
    article_title: str | None = None  # shown by `sourcecheck notes`; not identity
    source_url: str | None = None
    source_exact: str | None = None
    source_prefix: str | None = None
    source_suffix: str | None = None
    source_start: int | None = None
    source_end: int | None = None

    @property
    def kind(self) -> Literal["quote", "claim"]:
        return "claim" if self.quote_text is None else "quote"

    @property
    def identity(self) -> str:
        """A stable digest of what the note is about (see the class docstring)."""
        text = self.claim if self.quote_text is None else self.quote_text
        parts = (self.kind, self.link_url or "", fold_text(text), str(self.occurrence))
        return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    @classmethod
    def for_claim(cls, article: Article, link: Link) -> NoteTarget:
        """The target for a note on a link's claim sentence."""
        return cls(
            article_key=locations.article_key(article.location),
            link_index=link.index,
            link_url=link.url,
            claim=link.claim,
            article_start=link.claim_start,
            article_end=link.claim_end,
            article_title=article.title,
        )

    @classmethod
    def for_quote(
        cls,
        article: Article,
        link: Link | None,
        quote: Quote,
        match: QuoteMatch | None = None,
        *,
        source_url: str | None = None,
        context: int = 32,
    ) -> NoteTarget:
        """The target for a note on a quote (``link`` None for an unattributed quote)."""
        text = article.text
        occurrence = _occurrence(text, quote.text, quote.start)
        return cls(
            article_key=locations.article_key(article.location),
            link_index=link.index if link else None,
            link_url=link.url if link else None,
            claim=link.claim if link else "",
            quote_text=quote.text,
            quote_prefix=text[max(0, quote.start - context) : quote.start],
            quote_suffix=text[quote.end : quote.end + context],
            article_start=quote.start,
            article_end=quote.end,
            occurrence=occurrence,
            article_title=article.title,
            source_url=source_url or (link.url if link else None),
            source_exact=match.source_text if match else None,
            source_prefix=match.prefix if match else None,
            source_suffix=match.suffix if match else None,
            source_start=match.source_start if match else None,
            source_end=match.source_end if match else None,
        )


@dataclass(frozen=True)
class Note:
    id: int
    uid: str  # a UUID, stable across exports (annotation ids)
    target: NoteTarget
    verdict: Verdict | None
    body: str
    created_at: str  # ISO 8601, UTC
    updated_at: str

    @property
    def empty(self) -> bool:
        return self.verdict is None and not self.body.strip()


@dataclass(frozen=True)
class AnchoredNote:
    """A note placed on the article as it is now.

    `quote_index` is the position among the quotes of `link_index` (the order of `LinkOutcome.quotes` and
    of the report's `links[i].quotes`), or among the unattributed quotes when `link_index` is None.
    `article_start`/`article_end` are the current offsets of the quote or claim: match on them when in doubt.
    `orphaned` notes keep `link_index`/`quote_index` None; their text is in `note.target`.
    """

    note: Note
    link_index: int | None
    quote_index: int | None
    orphaned: bool
    article_start: int | None = None
    article_end: int | None = None
    how: AnchorHow = "none"  # which rule placed it (exact quote, fuzzy, claim, link URL...)


@dataclass(frozen=True)
class ArticleSummary:
    key: str
    title: str | None
    notes: int  # non-empty notes
    verdicts: dict[str, int]  # verdict -> count
    updated_at: str | None


# ---------------------------------------------------------------------------------------------------------
# Schema and migrations

# v1 was the prototype's single table: article, link_index, link_url, quote, verdict, note, updated_at,
# with verdicts spelled "out_of_context" and "unverifiable".
_V1_VERDICTS = {"out_of_context": "cut", "unverifiable": "cant_verify", "cant-verify": "cant_verify"}

_SCHEMA_V2 = """
CREATE TABLE articles (
    key TEXT PRIMARY KEY,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    article_key TEXT NOT NULL,
    identity TEXT NOT NULL,
    link_index INTEGER,
    link_url TEXT,
    claim TEXT NOT NULL DEFAULT '',
    quote_text TEXT,
    quote_prefix TEXT NOT NULL DEFAULT '',
    quote_suffix TEXT NOT NULL DEFAULT '',
    article_start INTEGER,
    article_end INTEGER,
    occurrence INTEGER NOT NULL DEFAULT 0,
    source_url TEXT,
    source_exact TEXT,
    source_prefix TEXT,
    source_suffix TEXT,
    source_start INTEGER,
    source_end INTEGER,
    verdict TEXT CHECK (verdict IS NULL OR verdict IN
        ('accurate', 'altered', 'cut', 'unsupported', 'cant_verify')),
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (article_key, identity)
);
CREATE INDEX notes_by_article ON notes (article_key, updated_at);
"""

_TARGET_COLUMNS = (
    "link_index",
    "link_url",
    "claim",
    "quote_text",
    "quote_prefix",
    "quote_suffix",
    "article_start",
    "article_end",
    "occurrence",
    "source_url",
    "source_exact",
    "source_prefix",
    "source_suffix",
    "source_start",
    "source_end",
)


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, article, link_index, link_url, quote, verdict, note, updated_at FROM notes ORDER BY id"
    ).fetchall()
    conn.execute("ALTER TABLE notes RENAME TO notes_v1")
    for statement in _statements(_SCHEMA_V2):
        conn.execute(statement)
    seen: dict[tuple[str, str], int] = {}
    for row_id, article, link_index, link_url, quote, verdict, body, updated in rows:
        verdict = _V1_VERDICTS.get(verdict, verdict) if verdict else None
        if verdict not in VERDICTS:
            body = f"[verdict: {verdict}]\n{body or ''}".strip() if verdict else body
            verdict = None
        target = NoteTarget(
            article_key=article, link_index=link_index, link_url=link_url, claim="", quote_text=quote
        )
        ident = target.identity
        if (article, ident) in seen:  # v1 had no uniqueness: keep both, distinguish the later one
            ident = f"{ident}:v1:{row_id}"
        seen[(article, ident)] = row_id
        stamp = updated or _now()
        conn.execute(
            "INSERT INTO notes (id, uid, article_key, identity, link_index, link_url, claim, quote_text,"
            " verdict, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
            (
                row_id,
                str(uuid.uuid4()),
                article,
                ident,
                link_index,
                link_url,
                quote,
                verdict,
                body or "",
                stamp,
                stamp,
            ),
        )
        conn.execute(
            "INSERT INTO articles (key, title, created_at, updated_at) VALUES (?, NULL, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)",
            (article, stamp, stamp),
        )
    conn.execute("DROP TABLE notes_v1")


# version -> function migrating from that version to the next
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_v1_to_v2}


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


# ---------------------------------------------------------------------------------------------------------
# The store


class NoteStore:
    """Notes of every article, in one SQLite file shared safely by several readers at once."""

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
        if db.exists() and not _readable(db):
            raise NotesError(f"The notes database {db} cannot be read (permission denied).")
        if read_only or (db.exists() and not _writable(db)):
            return cls._open_read_only(db)
        if not db.exists():
            try:
                db.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise NotesError(
                    f"Cannot create the folder {db.parent} for notes ({exc.strerror or exc}); "
                    "choose another place with --db or SOURCECHECK_DB."
                ) from None
            if not _writable_dir(db.parent):
                raise NotesError(
                    f"Cannot create the notes database in {db.parent}: the folder is read-only; "
                    "choose another place with --db or SOURCECHECK_DB."
                )
        try:
            conn = _connect(db, uri=False)
        except sqlite3.Error as exc:
            raise _explain(exc, db) from None
        store = cls(conn, db)
        try:
            store._prepare()
        except NotesError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if _is_readonly_error(exc):
                return cls._open_read_only(db)
            raise _explain(exc, db) from None
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
                conn = _connect(db, uri=True, query=query)
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
        raise _explain(last, db) from None

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
                for statement in _statements(_SCHEMA_V2):
                    c.execute(statement)
            else:
                if version not in _MIGRATIONS:
                    raise NotesError(f"The notes database {self.path} has an unknown schema {version}.")
                while version < SCHEMA_VERSION:
                    _MIGRATIONS[version](c)
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
        verdict: Verdict | _Unset | None = UNSET,
        body: str | _Unset = UNSET,
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
        now = _now()
        ident = target.identity
        values = [getattr(target, c) for c in _TARGET_COLUMNS]

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
                    + ", ".join(_TARGET_COLUMNS)
                    + ", verdict, body, created_at, updated_at) VALUES ("
                    + ", ".join("?" * (len(_TARGET_COLUMNS) + 7))
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
                sets = [f"{col} = ?" for col in _TARGET_COLUMNS] + ["identity = ?", "updated_at = ?"]
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
                raise _explain(exc, self.path) from None

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
                    if not _is_busy(exc) or time.monotonic() > deadline:
                        raise _explain(exc, self.path) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.2)
            try:
                yield conn
                while True:
                    try:
                        conn.execute("COMMIT")
                        break
                    except sqlite3.OperationalError as exc:
                        if not _is_busy(exc) or time.monotonic() > deadline:
                            raise
                        time.sleep(delay)
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _explain(exc, self.path) from None
                raise


_NOTE_SELECT = (
    "id, uid, article_key, " + ", ".join(_TARGET_COLUMNS) + ", verdict, body, created_at, updated_at"
)


def _row_to_note(row: Sequence[Any], title: str | None) -> Note:
    nid, uid, key = row[0], row[1], row[2]
    target_values = dict(zip(_TARGET_COLUMNS, row[3 : 3 + len(_TARGET_COLUMNS)], strict=True))
    verdict, body, created, updated = row[3 + len(_TARGET_COLUMNS) :]
    target = NoteTarget(article_key=key, article_title=title, **target_values)
    return Note(nid, uid, target, verdict, body or "", created, updated)


def _connect(db: Path, *, uri: bool, query: str = "") -> sqlite3.Connection:
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


def _readable(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            fh.read(1)
        return True
    except OSError:
        return False


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and _writable_dir(path.parent)


def _writable_dir(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_readonly_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "unable to open database file" in text


def _explain(exc: sqlite3.Error, db: Path) -> NotesError:
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
        return NotesError(
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _occurrence(text: str, needle: str, start: int) -> int:
    if not needle:
        return 0
    count, pos = 0, text.find(needle)
    while pos != -1 and pos < start:
        count += 1
        pos = text.find(needle, pos + 1)
    return count
