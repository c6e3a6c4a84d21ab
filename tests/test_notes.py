"""The notes store: round trips, partial updates, re-anchoring after edits, orphans, migrations, bad files."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from tui.core.anchoring import anchor_notes, anchor_notes_to_report
from tui.core.locations import article_key
from tui.core.models import Article, Link, Paragraph, Quote
from tui.core.notes import (
    SCHEMA_VERSION,
    VERDICT_LABELS,
    VERDICTS,
    NotesError,
    NoteStore,
    NoteTarget,
    move_aside,
)
from tui.core.notes import connection as notes_mod

# ---------------------------------------------------------------------------------------------------------
# Building articles by hand: (claim sentence, url, anchor text, quotes in that sentence)

Spec = tuple[str, str | None, str, list[str]]


def build(location: str, paragraphs: list[str], specs: list[Spec]) -> tuple[Article, list[Link], list[Quote]]:
    text = "\n\n".join(paragraphs)
    paras, pos = [], 0
    for p in paragraphs:
        paras.append(Paragraph(pos, pos + len(p)))
        pos += len(p) + 2
    links, quotes = [], []
    for i, (claim, url, anchor, quoted) in enumerate(specs):
        start = text.index(claim)
        a = text.index(anchor, start)
        para = next(n for n, p in enumerate(paras) if p.start <= start < p.end)
        links.append(Link(i, url, "web", anchor, a, a + len(anchor), claim, start, start + len(claim), para))
        for q in quoted:
            qs = text.index(q, start)
            quotes.append(Quote(q, qs, qs + len(q), para, link_index=i))
    quotes.sort(key=lambda q: q.start)
    return Article(location, "The budget", text, tuple(paras), ()), links, quotes


P1 = 'The mayor said the budget was "balanced and fair" in a statement.'
P2 = 'Critics called it "a disaster for the city" according to a report.'
P3 = 'Later she repeated that it was "balanced and fair" at the council meeting.'
P4 = "An unrelated claim cites a survey of residents."
P5 = 'The treasurer warned of "deep cuts to services" in a memo.'

SPECS_V1: list[Spec] = [
    (P1, "https://src.example/a", "statement", ["balanced and fair"]),
    (P2, "https://src.example/b", "report", ["a disaster for the city"]),
    (P3, "https://src.example/c", "council meeting", ["balanced and fair"]),
    (P4, "https://src.example/d", "survey", []),
    (P5, "https://src.example/e", "memo", ["deep cuts to services"]),
]


@pytest.fixture
def article_v1(tmp_path: Path) -> tuple[Article, list[Link], list[Quote]]:
    path = tmp_path / "budget.md"
    path.write_text("\n\n".join([P1, P2, P3, P4, P5]), encoding="utf-8")
    return build(str(path), [P1, P2, P3, P4, P5], SPECS_V1)


@pytest.fixture
def store(tmp_path: Path) -> NoteStore:
    s = NoteStore.open(tmp_path / "db" / "notes.sqlite3")
    yield s
    s.close()


def quote_of(links: list[Link], quotes: list[Quote], link_index: int, n: int = 0) -> Quote:
    return [q for q in quotes if q.link_index == link_index][n]


# ---------------------------------------------------------------------------------------------------------
# Round trip and updates


def test_save_close_reopen_round_trip(tmp_path: Path, article_v1) -> None:
    article, links, quotes = article_v1
    db = tmp_path / "nested" / "dir" / "notes.sqlite3"
    store = NoteStore.open(db)
    qt = NoteTarget.for_quote(article, links[1], quote_of(links, quotes, 1))
    ct = NoteTarget.for_claim(article, links[3])
    q_note = store.save(qt, verdict="altered", body="Source says “a disaster for *this* city”.\nCheck p. 2")
    c_note = store.save(ct, verdict="unsupported")
    store.close()

    assert db.exists()
    with NoteStore.open(db) as again:
        key = article_key(article.location)
        got = {n.id: n for n in again.notes_for(key)}
        assert set(got) == {q_note.id, c_note.id}
        assert got[q_note.id] == q_note  # every field, including the target and timestamps
        assert got[q_note.id].target.quote_text == "a disaster for the city"
        assert got[q_note.id].target.quote_prefix.endswith('Critics called it "')
        assert got[c_note.id].target.claim == P4
        assert got[c_note.id].verdict == "unsupported" and got[c_note.id].body == ""
        [summary] = again.articles()
        assert summary.key == key and summary.title == "The budget"
        assert summary.notes == 2 and summary.verdicts == {"altered": 1, "unsupported": 1}
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_verdict_and_body_update_independently(store: NoteStore, article_v1) -> None:
    article, links, quotes = article_v1
    target = NoteTarget.for_quote(article, links[0], quote_of(links, quotes, 0))
    first = store.save(target, verdict="accurate")
    second = store.save(target, body="typed text")
    assert second.id == first.id
    assert (second.verdict, second.body) == ("accurate", "typed text")  # body save kept the verdict
    third = store.save(target, verdict="cut")
    assert (third.verdict, third.body) == ("cut", "typed text")  # verdict save kept the body
    cleared = store.save(target, verdict=None)
    assert cleared.verdict is None and cleared.body == "typed text"
    assert cleared.created_at == first.created_at and cleared.updated_at >= third.updated_at
    assert len(store.notes_for(target.article_key)) == 1


def test_identity_separates_claims_quotes_links_and_occurrences(store: NoteStore, article_v1) -> None:
    article, links, quotes = article_v1
    on_a = NoteTarget.for_quote(article, links[0], quote_of(links, quotes, 0))
    on_c = NoteTarget.for_quote(article, links[2], quote_of(links, quotes, 2))
    assert on_a.quote_text == on_c.quote_text  # the same words quoted twice...
    assert on_a.identity != on_c.identity  # ...are two things to annotate
    assert on_c.occurrence == 1
    claim = NoteTarget.for_claim(article, links[0])
    ids = {store.save(t, body=f"n{i}").id for i, t in enumerate([on_a, on_c, claim])}
    assert len(ids) == 3
    # positions are hints, not identity: the same quote found at another offset is the same note
    moved = NoteTarget(**{**on_a.__dict__, "article_start": 999, "article_end": 1016, "link_index": 7})
    assert store.save(moved, verdict="accurate").id == store.save(on_a).id


def test_typography_does_not_split_identity(article_v1) -> None:
    article, links, quotes = article_v1
    t = NoteTarget.for_quote(article, links[1], quote_of(links, quotes, 1))
    curly = NoteTarget(**{**t.__dict__, "quote_text": "A  disaster for the city"})
    assert curly.identity == t.identity


def test_note_id_moves_a_reanchored_note_onto_its_new_target(store: NoteStore, article_v1) -> None:
    article, links, _quotes = article_v1
    old = NoteTarget.for_claim(article, links[1])
    note = store.save(old, body="first words")
    edited = NoteTarget(**{**old.__dict__, "claim": "Critics called it a catastrophe, says a report."})
    moved = store.save(edited, body="first words, more", note_id=note.id)
    assert moved.id == note.id and moved.target.claim == edited.claim
    assert [n.id for n in store.notes_for(old.article_key)] == [note.id]
    # later saves by the new target alone find the same note
    assert store.save(edited, verdict="altered").id == note.id


def test_note_id_never_steals_another_notes_identity(store: NoteStore, article_v1) -> None:
    article, links, _quotes = article_v1
    a = store.save(NoteTarget.for_claim(article, links[0]), body="A")
    b = store.save(NoteTarget.for_claim(article, links[1]), body="B")
    # moving B onto A's target must not merge or lose either note
    store.save(NoteTarget.for_claim(article, links[0]), body="B2", note_id=b.id)
    got = {n.id: n.body for n in store.notes_for(article_key(article.location))}
    assert got == {a.id: "A", b.id: "B2"}


def test_empty_notes_are_kept_but_hidden_and_delete_removes(store: NoteStore, article_v1) -> None:
    article, links, _ = article_v1
    t = NoteTarget.for_claim(article, links[0])
    note = store.save(t, body="draft")
    store.save(t, body=" \n\t ")
    key = t.article_key
    assert store.notes_for(key) == []
    assert [n.id for n in store.notes_for(key, include_empty=True)] == [note.id]
    assert store.articles() == []
    store.delete(note.id)
    assert store.notes_for(key, include_empty=True) == [] and store.get(note.id) is None


def test_bad_verdict_is_refused(store: NoteStore, article_v1) -> None:
    article, links, _ = article_v1
    with pytest.raises(ValueError, match="unknown verdict"):
        store.save(NoteTarget.for_claim(article, links[0]), verdict="wrong")  # type: ignore[arg-type]
    assert tuple(VERDICT_LABELS) == VERDICTS and VERDICT_LABELS["cut"] == "Cut / out of context"


def test_two_stores_on_one_file_see_each_other(tmp_path: Path, article_v1) -> None:
    article, links, _ = article_v1
    db = tmp_path / "shared.sqlite3"
    a, b = NoteStore.open(db), NoteStore.open(db)
    try:
        t = NoteTarget.for_claim(article, links[0])
        a.save(t, verdict="accurate")
        b.save(t, body="from b")  # b never saw a's verdict; it only changes the body
        [note] = a.notes_for(t.article_key)
        assert (note.verdict, note.body) == ("accurate", "from b")

        errors: list[BaseException] = []

        def write(store: NoteStore, tag: str) -> None:
            try:
                for i in range(60):
                    store.save(NoteTarget(t.article_key, i, f"u{i}", f"{tag} claim {i}"), body=f"{tag}{i}")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(s, tag)) for s, tag in ((a, "a"), (b, "b"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        assert len(b.notes_for(t.article_key)) == 121
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------------------------------------------------
# Re-anchoring


def _notes_on_v1(store: NoteStore, article_v1) -> dict[str, int]:
    article, links, quotes = article_v1
    ids = {
        "quote_a": store.save(NoteTarget.for_quote(article, links[0], quote_of(links, quotes, 0)), body="qa"),
        "quote_b": store.save(NoteTarget.for_quote(article, links[1], quote_of(links, quotes, 1)), body="qb"),
        "quote_c": store.save(NoteTarget.for_quote(article, links[2], quote_of(links, quotes, 2)), body="qc"),
        "quote_e": store.save(NoteTarget.for_quote(article, links[4], quote_of(links, quotes, 4)), body="qe"),
        "claim_b": store.save(NoteTarget.for_claim(article, links[1]), verdict="altered"),
        "claim_c": store.save(NoteTarget.for_claim(article, links[2]), verdict="accurate"),
        "claim_d": store.save(
            NoteTarget.for_claim(article, links[3]), verdict="unsupported", body="no survey"
        ),
    }
    return {k: v.id for k, v in ids.items()}


def test_unchanged_article_anchors_every_note_where_it_was(store: NoteStore, article_v1) -> None:
    article, links, quotes = article_v1
    ids = _notes_on_v1(store, article_v1)
    placed = {a.note.id: a for a in anchor_notes(store.notes_for(article_key(article.location)), *article_v1)}
    assert not any(a.orphaned for a in placed.values())
    assert (placed[ids["quote_a"]].link_index, placed[ids["quote_a"]].quote_index) == (0, 0)
    assert (placed[ids["quote_c"]].link_index, placed[ids["quote_c"]].quote_index) == (2, 0)
    qc = quote_of(links, quotes, 2)
    assert (placed[ids["quote_c"]].article_start, placed[ids["quote_c"]].article_end) == (qc.start, qc.end)
    assert placed[ids["claim_d"]].link_index == 3 and placed[ids["claim_d"]].quote_index is None
    assert {a.how for a in placed.values()} == {"quote", "claim"}


def test_reanchor_after_the_article_file_was_edited(store: NoteStore, article_v1, tmp_path: Path) -> None:
    article, _, _ = article_v1
    ids = _notes_on_v1(store, article_v1)
    # The editor adds a paragraph on top, rewords the second quote slightly, rewrites the third claim
    # (keeping its quote), drops the survey paragraph, and turns the memo quote into a paraphrase
    # without quote marks (the words stay, the quote is gone). Links are renumbered.
    new_top = 'Update: this story was revised. A spokesman said "nothing" about a "balanced budget".'
    p2 = 'Critics called it "a disaster for this city" according to a report.'
    p3 = 'At the council meeting she repeated that it was "balanced and fair", officials said.'
    p5 = "The treasurer warned of deep cuts to services in a memo."
    specs: list[Spec] = [
        (new_top, "https://src.example/z", "spokesman", ["nothing", "balanced budget"]),
        (P1, "https://src.example/a", "statement", ["balanced and fair"]),
        (p2, "https://src.example/b", "report", ["a disaster for this city"]),
        (p3, "https://src.example/c", "council meeting", ["balanced and fair"]),
        (p5, "https://src.example/e", "memo", []),
    ]
    v2 = build(article.location, [new_top, P1, p2, p3, p5], specs)
    art2, _links2, _quotes2 = v2
    placed = {a.note.id: a for a in anchor_notes(store.notes_for(article_key(article.location)), *v2)}

    def at(name: str):
        return placed[ids[name]]

    assert (at("quote_a").link_index, at("quote_a").quote_index, at("quote_a").how) == (1, 0, "quote")
    assert (at("quote_c").link_index, at("quote_c").quote_index, at("quote_c").how) == (3, 0, "quote")
    assert art2.text[at("quote_c").article_start : at("quote_c").article_end] == "balanced and fair"
    assert at("quote_c").article_start > at("quote_a").article_start  # the two copies did not swap
    assert (at("quote_b").link_index, at("quote_b").how) == (2, "quote_fuzzy")
    assert art2.text[at("quote_b").article_start : at("quote_b").article_end] == "a disaster for this city"
    assert (at("claim_b").link_index, at("claim_b").how) == (2, "claim_fuzzy")
    assert (at("claim_c").link_index, at("claim_c").how) == (3, "link_url")  # sentence rewritten, same link
    # the memo quote is no longer a quote, but its words are still in the article: placed on its claim
    assert (at("quote_e").link_index, at("quote_e").quote_index, at("quote_e").how) == (4, None, "text")
    assert art2.text[at("quote_e").article_start : at("quote_e").article_end] == "deep cuts to services"
    # the survey paragraph is gone: its note is orphaned, never dropped
    assert at("claim_d").orphaned and at("claim_d").link_index is None
    assert at("claim_d").note.body == "no survey"
    assert sum(a.orphaned for a in placed.values()) == 1 and len(placed) == len(ids)


def test_orphaned_notes_survive_and_return_when_the_text_does(store: NoteStore, article_v1) -> None:
    article, links, quotes = article_v1
    q = store.save(NoteTarget.for_quote(article, links[1], quote_of(links, quotes, 1)), body="keep me")
    stripped = build(article.location, [P1], [SPECS_V1[0]])
    [gone] = anchor_notes(store.notes_for(article_key(article.location)), *stripped)
    assert gone.orphaned and gone.note.id == q.id and gone.note.body == "keep me"
    # nothing was deleted: restoring the paragraph brings the note back on its quote
    assert store.get(q.id) is not None
    [back] = anchor_notes(store.notes_for(article_key(article.location)), *article_v1)
    assert not back.orphaned and (back.link_index, back.quote_index) == (1, 0)


def test_anchor_to_report_matches_anchor_to_article(store: NoteStore, article_v1) -> None:
    article, links, quotes = article_v1
    _notes_on_v1(store, article_v1)
    report = {
        "article": {"location": article.location, "title": article.title, "text_chars": len(article.text)},
        "links": [
            {
                "index": lk.index,
                "url": lk.url,
                "claim": lk.claim,
                "claim_start": lk.claim_start,
                "claim_end": lk.claim_end,
                "quotes": [
                    {"text": q.text, "article_start": q.start, "article_end": q.end}
                    for q in quotes
                    if q.link_index == lk.index
                ],
            }
            for lk in links
        ],
        "unattributed_quotes": [],
    }
    notes = store.notes_for(article_key(article.location))
    from_article = anchor_notes(notes, article, links, quotes)
    from_report = anchor_notes_to_report(notes, report, article.text)
    assert from_article == from_report


def test_unattributed_quote_notes(store: NoteStore, tmp_path: Path) -> None:
    text = 'Someone once said "words matter" without a source.'
    article = Article(str(tmp_path / "u.md"), None, text, (Paragraph(0, len(text)),), ())
    q = Quote("words matter", text.index("words"), text.index("words") + 12, 0, link_index=None)
    note = store.save(NoteTarget.for_quote(article, None, q), verdict="cant_verify")
    [placed] = anchor_notes([note], article, [], [q])
    assert (placed.link_index, placed.quote_index, placed.orphaned) == (None, 0, False)


# ---------------------------------------------------------------------------------------------------------
# Migrations and bad databases

V1_SCHEMA = """
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    article TEXT NOT NULL,
    link_index INTEGER,
    link_url TEXT,
    quote TEXT,
    verdict TEXT,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
PRAGMA user_version = 1;
"""


def test_migrates_a_version_1_database_keeping_every_note(tmp_path: Path, article_v1) -> None:
    article, links, _quotes = article_v1
    key = article_key(article.location)
    db = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(db)
    raw.executescript(V1_SCHEMA)
    rows = [
        (
            1,
            key,
            1,
            "https://src.example/b",
            "a disaster for the city",
            "altered",
            "v1 quote note",
            "2025-01-02",
        ),
        (2, key, 3, "https://src.example/d", None, "out_of_context", "v1 claim note", "2025-01-03"),
        (3, key, 0, None, None, "unverifiable", "", "2025-01-04"),
        (4, key, 0, "https://src.example/a", "balanced and fair", "shrug", "odd verdict", "2025-01-05"),
        (5, key, 0, "https://src.example/a", "balanced and fair", None, "a duplicate row", "2025-01-06"),
        (6, "https://news.example/x", 0, "https://s/1", None, "accurate", "other article", "2025-01-07"),
    ]
    raw.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    raw.commit()
    raw.close()

    with NoteStore.open(db) as store:
        got = {n.id: n for n in store.notes_for(key)}
        assert set(got) == {1, 2, 3, 4, 5}
        assert (got[1].verdict, got[1].body, got[1].target.quote_text) == (
            "altered",
            "v1 quote note",
            "a disaster for the city",
        )
        assert got[2].verdict == "cut" and got[2].target.kind == "claim"
        assert got[3].verdict == "cant_verify"
        assert got[4].verdict is None and "shrug" in got[4].body and "odd verdict" in got[4].body
        assert got[5].body == "a duplicate row"
        assert len({n.uid for n in got.values()}) == 5
        assert [s.key for s in store.articles()][-1] in {key, "https://news.example/x"}
        assert len(store.articles()) == 2
        # migrated notes re-anchor: by quote text, by link URL, and (no URL, no claim) by link index
        placed = {a.note.id: a for a in anchor_notes(list(got.values()), *article_v1)}
        assert (placed[1].link_index, placed[1].quote_index) == (1, 0)
        assert (placed[2].link_index, placed[2].how) == (3, "link_url")
        assert (placed[3].link_index, placed[3].how) == (0, "link_index")
        # and the migrated store takes new saves
        store.save(NoteTarget.for_claim(article, links[0]), body="new")
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    backup = db.with_name("old.sqlite3.schema1.bak")
    with sqlite3.connect(backup) as raw:  # the pre-migration copy is kept, untouched
        assert raw.execute("SELECT count(*) FROM notes").fetchone()[0] == 6
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite3"
    NoteStore.open(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(NotesError, match="newer sourcecheck"):
        NoteStore.open(db)


def test_garbage_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    junk = os.urandom(4096)
    db.write_bytes(junk)
    with pytest.raises(NotesError, match="damaged or is not a SQLite file") as info:
        NoteStore.open(db)
    assert "\n" not in str(info.value)
    assert db.read_bytes() == junk  # nothing overwritten
    moved = move_aside(db)
    assert moved.read_bytes() == junk and not db.exists()
    NoteStore.open(db).close()  # a fresh database in its place


def test_truncated_database_is_reported(tmp_path: Path, article_v1) -> None:
    article, _links, _ = article_v1
    db = tmp_path / "notes.sqlite3"
    with NoteStore.open(db) as store:
        for i in range(80):
            store.save(
                NoteTarget(article_key(article.location), i, f"u{i}", f"claim {i} " * 20), body="x" * 2000
            )
    size = db.stat().st_size
    with db.open("r+b") as fh:
        fh.seek(size // 3)
        fh.write(b"\xff" * 8192)  # smash pages in the middle
    with pytest.raises(NotesError, match="damaged"):
        NoteStore.open(db)


def test_folder_or_foreign_database_at_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    with pytest.raises(NotesError, match="is a folder"):
        NoteStore.open(folder)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(NotesError, match="something else"):
        NoteStore.open(other)
    with sqlite3.connect(other) as raw:  # and it was not modified
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 0
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert names == {"invoices"}


def test_read_only_store_reads_but_refuses_saves(tmp_path: Path, article_v1) -> None:
    article, links, _ = article_v1
    db = tmp_path / "notes.sqlite3"
    with NoteStore.open(db) as store:
        store.save(NoteTarget.for_claim(article, links[0]), body="saved")
    assert not db.with_name("notes.sqlite3-shm").exists()  # a clean close leaves no -shm: the hard case
    with NoteStore.open(db, read_only=True) as ro:
        assert ro.read_only and [n.body for n in ro.notes_for(article_key(article.location))] == ["saved"]
        with pytest.raises(NotesError, match="read-only"):
            ro.save(NoteTarget.for_claim(article, links[1]), body="lost?")


def test_unwritable_file_opens_read_only(tmp_path: Path, article_v1, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, chmod does not bite; simulate the permission check the store relies on."""
    article, links, _ = article_v1
    db = tmp_path / "notes.sqlite3"
    with NoteStore.open(db) as store:
        store.save(NoteTarget.for_claim(article, links[0]), verdict="accurate")
    real_access = os.access
    monkeypatch.setattr(
        notes_mod.os, "access", lambda p, mode: False if mode & os.W_OK else real_access(p, mode)
    )
    with NoteStore.open(db) as store:
        assert store.read_only
        assert [n.verdict for n in store.notes_for(article_key(article.location))] == ["accurate"]
    with pytest.raises(NotesError, match="folder is read-only"):
        NoteStore.open(tmp_path / "new" / "notes.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_for_real(tmp_path: Path, article_v1) -> None:  # pragma: no cover - non-root
    article, links, _ = article_v1
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "notes.sqlite3"
    with NoteStore.open(db) as store:
        store.save(NoteTarget.for_claim(article, links[0]), body="kept")
    folder.chmod(0o555)
    try:
        with NoteStore.open(db) as store:
            assert store.read_only and store.notes_for(article_key(article.location))[0].body == "kept"
        with pytest.raises(NotesError, match="read-only"):
            NoteStore.open(folder / "other.sqlite3")
    finally:
        folder.chmod(0o755)


def test_default_location_and_env_override(tmp_path: Path, isolated_data_dir: Path, monkeypatch) -> None:
    with NoteStore.open() as store:
        assert store.path == isolated_data_dir / "notes.sqlite3"
    monkeypatch.setenv("SOURCECHECK_DB", str(tmp_path / "env.sqlite3"))
    with NoteStore.open() as store:
        assert store.path == tmp_path / "env.sqlite3"
    assert (tmp_path / "env.sqlite3").exists()


def test_fuzzy_reanchoring_picks_the_right_sentence_among_many_alike(
    store: NoteStore, tmp_path: Path
) -> None:
    """A long article of near-identical sentences, each reworded: every note finds its own sentence."""
    import random

    rng = random.Random(7)
    vocab = [
        "the",
        "of",
        "budget",
        "mayor",
        "said",
        "city",
        "council",
        "report",
        "tax",
        "plan",
        "fair",
        "balanced",
        "and",
        "a",
        "to",
        "in",
    ]

    def words(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    paras, specs = [], []
    for i in range(150):
        q = f"{words(6)} q{i}"
        p = f'Claim {i} {words(20)} said "{q}" in source{i} {words(10)}.'
        paras.append(p)
        specs.append((p, f"https://s.example/{i}", f"source{i}", [q] if i % 3 == 0 else []))
    article, links, quotes = build(str(tmp_path / "long.md"), paras, specs)
    saved = [store.save(NoteTarget.for_claim(article, lk), body=str(lk.index)) for lk in links[:100]]
    saved += [store.save(NoteTarget.for_quote(article, links[q.link_index], q), body=q.text) for q in quotes]
    # reword every claim a little, every quote by one word, and drop the links' URLs (no URL fallback)
    paras2 = [p.replace("Claim", "The assertion", 1).replace(" q", " quote q") for p in paras]
    specs2 = [
        (p2, None, a, [x.replace(" q", " quote q") for x in qs])
        for p2, (_, _, a, qs) in zip(paras2, specs, strict=True)
    ]
    v2 = build(article.location, paras2, specs2)
    placed = anchor_notes(store.notes_for(article_key(article.location)), *v2)
    assert len(placed) == len(saved)
    for a in placed:
        assert not a.orphaned
        if a.note.target.kind == "claim":
            assert (a.how, a.link_index) == ("claim_fuzzy", int(a.note.body))
        else:
            assert a.how == "quote_fuzzy"
            assert v2[0].text[a.article_start : a.article_end] == a.note.body.replace(" q", " quote q")


def test_edits_around_quotes_never_move_their_notes(tmp_path: Path) -> None:
    """Property: text inserted or removed anywhere outside the quotes leaves every note on its quote."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    base_paras = [P1, P2, P3, P4, P5]
    article, links, quotes = build(str(tmp_path / "p.md"), base_paras, SPECS_V1)
    db = tmp_path / "prop.sqlite3"
    with NoteStore.open(db) as s:
        for q in quotes:
            s.save(NoteTarget.for_quote(article, links[q.link_index], q), body=f"{q.link_index}:{q.text}")
        notes = s.notes_for(article_key(article.location))
    filler = st.text(alphabet="abcdefghij ,.", min_size=0, max_size=30).filter(lambda t: '"' not in t)

    @given(
        before=st.lists(filler, min_size=5, max_size=5),
        after=st.lists(filler, min_size=5, max_size=5),
        extra=st.lists(st.sampled_from(["Breaking news.", 'A "fresh quote" here.', ""]), max_size=3),
        order=st.permutations(range(5)),
    )
    @settings(max_examples=40, deadline=None)
    def check(before: list[str], after: list[str], extra: list[str], order: list[int]) -> None:
        paras, specs = [], []
        for n, i in enumerate(order):
            claim, url, anchor, qs = SPECS_V1[i]
            edited = f"{before[n]}{claim}{after[n]}".strip() or claim
            paras.append(edited)
            specs.append((edited, url, anchor, qs))
        paras += [e for e in extra if e]
        v2 = build(article.location, paras, specs)
        for a in anchor_notes(notes, *v2):
            link_index, text = a.note.body.split(":", 1)
            want_url = SPECS_V1[int(link_index)][1]
            assert not a.orphaned and a.how == "quote"
            assert v2[1][a.link_index].url == want_url
            assert v2[0].text[a.article_start : a.article_end] == text

    check()


READ_ONLY_CHILD = r"""
import json, sys
from pathlib import Path
from tui.core.notes import NoteStore, NoteTarget, NotesError
folder = Path(sys.argv[1])
out = {}
store = NoteStore.open(folder / "notes.sqlite3")
out["read_only"] = store.read_only
out["bodies"] = [n.body for n in store.notes_for("/ro/article.md")]
try:
    store.save(NoteTarget("/ro/article.md", 1, None, "Another claim."), body="x")
    out["save"] = "saved"
except NotesError as exc:
    out["save"] = str(exc)
for name in ("new.sqlite3", "locked.sqlite3"):
    try:
        NoteStore.open(folder / name).close()
        out[name] = "opened"
    except NotesError as exc:
        out[name] = str(exc)
print(json.dumps(out))
"""


@pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv to drop powers"
)
def test_read_only_folder_and_unreadable_file_for_real(tmp_path: Path) -> None:
    """As root without capabilities (setpriv), file permissions bite as they do for a normal user."""
    import json
    import subprocess
    import sys

    folder = tmp_path / "ro"
    folder.mkdir()
    with NoteStore.open(folder / "notes.sqlite3") as store:
        store.save(NoteTarget("/ro/article.md", 0, None, "A claim."), body="kept")
    (folder / "locked.sqlite3").write_bytes(b"")
    (folder / "locked.sqlite3").chmod(0o000)
    folder.chmod(0o555)
    try:
        result = subprocess.run(
            [
                "/usr/bin/setpriv",
                "--bounding-set=-all",
                "--",
                sys.executable,
                "-c",
                READ_ONLY_CHILD,
                str(folder),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["read_only"] is True and out["bodies"] == ["kept"]
    assert "read-only" in out["save"] and "--db" in out["save"]
    assert "folder is read-only" in out["new.sqlite3"]
    assert "cannot be read" in out["locked.sqlite3"]
    with NoteStore.open(folder / "notes.sqlite3") as store:  # nothing was lost or half-written
        assert [n.body for n in store.notes_for("/ro/article.md")] == ["kept"]
