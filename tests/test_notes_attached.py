"""Sources attached by hand, stored with the notes: schema v3 migration, round trips, re-anchoring."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.core.article import load_article_file
from tui.core.links import find_links
from tui.core.locations import article_key
from tui.core.notes import SCHEMA_VERSION, NotesError, NoteStore, NoteTarget, place_attached
from tui.core.notes import schema as schema_mod
from tui.core.quotes import find_quotes

ARTICLE = """# Water

The utility [told the Ledger](#) that the pipes were "a problem we inherited."
She [said](#) it and [said](#) more.

## Elsewhere

The motto, "clean water for every home," is older than the utility.
"""


def load(path: Path, text: str = ARTICLE):
    path.write_text(text, encoding="utf-8")
    article = load_article_file(path)
    links = find_links(article)
    return article, links, find_quotes(article, links)


def make_v2(db: Path, key: str) -> None:
    """A database as schema 2 left it, with two notes."""
    raw = sqlite3.connect(db)
    for statement in schema_mod.statements(schema_mod.SCHEMA_V2):
        raw.execute(statement)
    for n in (1, 2):
        raw.execute(
            "INSERT INTO notes (uid, article_key, identity, claim, body, created_at, updated_at)"
            " VALUES (?, ?, ?, 'a claim', ?, '2025-01-01', '2025-01-01')",
            (f"uid-{n}", key, f"ident-{n}", f"note {n}"),
        )
    raw.execute("INSERT INTO articles (key, title, created_at, updated_at) VALUES (?, 'T', 'x', 'x')", (key,))
    raw.execute("PRAGMA user_version = 2")
    raw.commit()
    raw.close()


def test_a_v2_database_migrates_keeping_every_note(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    key = "https://news.example/oped"
    make_v2(db, key)
    with NoteStore.open(db) as store:
        assert sorted(n.body for n in store.notes_for(key)) == ["note 1", "note 2"]
        assert store.attached_sources(key) == [] and store.links_from(key) is None
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    backup = db.with_name("notes.sqlite3.schema2.bak")
    with sqlite3.connect(backup) as raw:  # the pre-migration copy, untouched
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        assert raw.execute("SELECT count(*) FROM notes").fetchone()[0] == 2


def test_a_migration_that_fails_half_way_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "notes.sqlite3"
    key = "https://news.example/oped"
    make_v2(db, key)
    real = schema_mod.MIGRATIONS[2]

    def breaks_after_creating(conn: sqlite3.Connection) -> None:
        real(conn)  # the new table and column exist inside the transaction...
        conn.execute("INSERT INTO no_such_table VALUES (1)")  # ...then the step fails

    monkeypatch.setitem(schema_mod.MIGRATIONS, 2, breaks_after_creating)
    with pytest.raises(NotesError):
        NoteStore.open(db)
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "attached_sources" not in tables
        columns = {r[1] for r in raw.execute("PRAGMA table_info(articles)")}
        assert "links_from" not in columns
        assert raw.execute("SELECT count(*) FROM notes").fetchone()[0] == 2
    monkeypatch.setitem(schema_mod.MIGRATIONS, 2, real)
    with NoteStore.open(db) as store:  # and the next open migrates for real
        assert len(store.notes_for(key)) == 2


def test_a_new_database_has_the_attached_sources_table(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"
    NoteStore.open(db).close()
    with sqlite3.connect(db) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"notes", "articles", "attached_sources"} <= tables
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_attach_round_trips_and_replaces(tmp_path: Path) -> None:
    article, links, quotes = load(tmp_path / "a.md")
    key = article_key(article.location)
    motto = next(q for q in quotes if q.link_index is None)
    with NoteStore.open(tmp_path / "n.sqlite3") as store:
        claim = NoteTarget.for_claim(article, links[0])
        first = store.attach_source(claim, url="https://ledger.example/a", anchor_text=links[0].anchor_text)
        again = store.attach_source(claim, file="/tmp/saved.html", anchor_text=links[0].anchor_text)
        assert again.id == first.id and (again.kind, again.target) == ("file", "/tmp/saved.html")
        on_quote = store.attach_source(
            NoteTarget.for_quote(article, None, motto), link=NoteTarget.for_claim(article, links[1])
        )
        assert on_quote.kind == "link" and on_quote.target is None and on_quote.to_link is not None
        store.set_links_from(key, "https://news.example/published")
        saved = store.attached_sources(key)
        assert [a.kind for a in saved] == ["file", "link"]
        assert store.links_from(key) == "https://news.example/published"
        store.detach_source(key, saved[0].identity)
        assert [a.kind for a in store.attached_sources(key)] == ["link"]
        with pytest.raises(ValueError, match="exactly one"):
            store.attach_source(claim, url="https://x.example", file="/tmp/y")
        with pytest.raises(ValueError, match="only a quote"):
            store.attach_source(claim, link=NoteTarget.for_claim(article, links[1]))


def test_two_links_in_one_sentence_keep_their_own_sources(tmp_path: Path) -> None:
    article, links, quotes = load(tmp_path / "a.md")
    said_1, said_2 = links[1], links[2]
    assert said_1.claim == said_2.claim and said_1.anchor_text == said_2.anchor_text == "said"
    with NoteStore.open(tmp_path / "n.sqlite3") as store:
        a = store.attach_source(
            NoteTarget.for_claim(article, links[0]), url="https://a.example/", anchor_text="told the Ledger"
        )
        b = store.attach_source(
            NoteTarget.for_claim(article, said_1), url="https://b.example/", anchor_text="said"
        )
        saved = store.attached_sources(article_key(article.location))
    assert a.identity != b.identity and len(saved) == 2
    placed = {p.attached.target: p for p in place_attached(saved, article, links, quotes)}
    assert placed["https://a.example/"].link_index == 0
    assert placed["https://b.example/"].link_index == 1


def test_attachments_re_anchor_on_an_edited_article_and_orphans_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    article, links, quotes = load(path)
    motto = next(q for q in quotes if q.link_index is None)
    db = tmp_path / "n.sqlite3"
    with NoteStore.open(db) as store:
        store.attach_source(
            NoteTarget.for_claim(article, links[0]), url="https://a.example/", anchor_text="told the Ledger"
        )
        store.attach_source(NoteTarget.for_quote(article, None, motto), url="https://motto.example/")
    edited = ARTICLE.replace("# Water\n", "# Water\n\nA new opening paragraph, added by an editor.\n")
    article2, links2, quotes2 = load(path, edited)
    with NoteStore.open(db) as store:
        saved = store.attached_sources(article_key(article2.location))
    placed = {p.attached.target: p for p in place_attached(saved, article2, links2, quotes2)}
    assert placed["https://a.example/"].link_index == 0 and not placed["https://a.example/"].orphaned
    motto2 = next(q for q in quotes2 if q.link_index is None)
    assert placed["https://motto.example/"].quote_start == motto2.start != motto.start
    # the quote is gone from the article: the attachment is kept, orphaned
    article3, links3, quotes3 = load(path, ARTICLE.replace('"clean water for every home,"', "that motto"))
    placed3 = {p.attached.target: p for p in place_attached(saved, article3, links3, quotes3)}
    assert placed3["https://motto.example/"].orphaned
    with NoteStore.open(db) as store:
        assert len(store.attached_sources(article_key(article3.location))) == 2


def test_read_only_database_refuses_to_attach(tmp_path: Path) -> None:
    article, links, _ = load(tmp_path / "a.md")
    db = tmp_path / "n.sqlite3"
    NoteStore.open(db).close()
    with NoteStore.open(db, read_only=True) as store, pytest.raises(NotesError, match="read-only"):
        store.attach_source(NoteTarget.for_claim(article, links[0]), url="https://a.example/")
