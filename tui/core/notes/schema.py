"""The notes database's schema and its migrations, one function per version step."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Final

from .records import VERDICTS, NoteTarget, utc_now

SCHEMA_VERSION: Final = 3

# v1 was the prototype's single table: article, link_index, link_url, quote, verdict, note, updated_at,
# with verdicts spelled "out_of_context" and "unverifiable".
_V1_VERDICTS = {"out_of_context": "cut", "unverifiable": "cant_verify", "cant-verify": "cant_verify"}

# The columns saying what a note (or an attached source) is about: `records.NoteTarget`, `TARGET_COLUMNS`.
_TARGET_DDL = """\
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
"""

SCHEMA_V2 = f"""
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
{_TARGET_DDL}    verdict TEXT CHECK (verdict IS NULL OR verdict IN
        ('accurate', 'altered', 'cut', 'unsupported', 'cant_verify')),
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (article_key, identity)
);
CREATE INDEX notes_by_article ON notes (article_key, updated_at);
"""

TARGET_COLUMNS = (
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
    for statement in statements(SCHEMA_V2):
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
        stamp = updated or utc_now()
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


# v3 adds the sources a user attached by hand (issue 12): to a claim (its link's source) or to a quote with
# no link (a URL, a local file, or one of the article's links), re-anchored like notes, with the same target
# columns; and, per article, where its published version was read from (`--links-from`).
SCHEMA_V3 = f"""
CREATE TABLE attached_sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_key TEXT NOT NULL,
    identity TEXT NOT NULL,
{_TARGET_DDL}    anchor_text TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('url', 'file', 'link')),
    target TEXT,
    to_link_index INTEGER,
    to_link_url TEXT,
    to_claim TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((kind = 'link') = (target IS NULL)),
    UNIQUE (article_key, identity)
);
CREATE INDEX attached_sources_by_article ON attached_sources (article_key);
ALTER TABLE articles ADD COLUMN links_from TEXT
"""


def _migrate_v2_to_v3(conn: sqlite3.Connection) -> None:
    """Add the attached-sources table and `articles.links_from`; every v2 row stays as it was."""
    for statement in statements(SCHEMA_V3):
        conn.execute(statement)


# version -> function migrating from that version to the next; a new database is made as v2, then migrated
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_v1_to_v2, 2: _migrate_v2_to_v3}


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
