"""An audit database opened in the reader: its articles, most attention first; enter opens one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.audit_fixtures import SOURCE
from tests.conftest import LocalServer
from tui.app import SourcecheckApp
from tui.core.audit.db import AuditDB
from tui.core.audit.inputs import expand_inputs
from tui.core.audit.records import ArticleResult, ArticleSpec, AuditError
from tui.core.audit.run import AuditPlan, run_audit, with_audit_archive
from tui.core.pipeline import CheckOptions
from tui.screens.audit_list import AuditListScreen
from tui.screens.reader import ReaderScreen
from tui.session.audit_list import AuditListing


def stored(tmp_path: Path, results: list[ArticleResult]) -> Path:
    path = tmp_path / "a.sqlite3"
    with AuditDB.open(path) as db:
        db.add([ArticleSpec(r.location, r.key) for r in results])
        for r in results:
            db.record(r)
        db.add([ArticleSpec("https://example.org/later", "https://example.org/later")])
    return path


def test_listing_orders_by_attention_and_says_why(tmp_path: Path) -> None:
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"")
    clean = {"claims": 2, "quotes": 2, "verbatim": 2}
    path = stored(
        tmp_path,
        [
            ArticleResult("ok.md", "k1", "done", title="All fine", counts=clean, archive=str(archive)),
            ArticleResult("bad.md", "k2", "done", title="Drifted\x1b[31m", archive=str(archive),
                          counts={"claims": 3, "quotes": 3, "verbatim": 1, "altered": 2, "dead_links": 1,
                                  "sources_failed": 1}),
            ArticleResult("img.html", "k3", "failed", error="The article is an image, not a page."),
        ],
    )  # fmt: skip
    listing = AuditListing(path)
    entries = listing.load()
    assert [e.location for e in entries] == ["img.html", "bad.md", "ok.md", "https://example.org/later"]
    assert entries[0].detail == "could not be checked: The article is an image, not a page."
    assert entries[1].title == "Drifted␛[31m"  # safe to draw
    assert entries[1].detail == "3 claims, 3 quotes: 2 altered, 1 dead links, 1 failed sources"
    assert entries[2].detail == "2 claims, 2 quotes: nothing to look at"
    assert entries[3].detail == "not checked yet"
    assert listing.heading() == (
        "Audit a.sqlite3: 4 articles, 2 checked, 1 could not be checked, 1 not checked yet"
    )
    base = CheckOptions()
    assert listing.options_for(entries[1], base).archive_path == archive  # what the audit saw
    assert listing.options_for(entries[0], base) == base  # no archive recorded
    archive.unlink()
    assert listing.options_for(entries[1], base) == base  # the archive was moved away: as usual
    with pytest.raises(AuditError, match="not a sourcecheck audit database"):
        AuditListing(tmp_path / "a.warc.gz").load()


async def test_an_audit_database_opens_as_a_list_and_enter_opens_the_article(
    tmp_path: Path, local_server: LocalServer
) -> None:
    fine = local_server.route("/fine", SOURCE.format(title="Inspection report"))
    paths = []
    for name, cost in (("calm", 14), ("drifted", 18)):
        path = tmp_path / f"{name}.md"
        path.write_text(
            f"# {name.title()} column\n\nEngineers, according to [the report]({fine}), put the cost at "
            f'"{cost} million pounds over three years".\n',
            encoding="utf-8",
        )
        paths.append(path)
    db = tmp_path / "desk.sqlite3"
    options = with_audit_archive(CheckOptions(allow_private=True), db)

    def audit() -> None:
        with AuditDB.open(db) as opened:
            run_audit(opened, expand_inputs([str(tmp_path)]), options, AuditPlan(jobs=2))

    await asyncio.to_thread(audit)  # the audit runs its own event loop
    assert local_server.hits["/fine"] == 1

    app = SourcecheckApp(None, CheckOptions(allow_private=True), audit=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AuditListScreen)
        first = str(app.screen.query_one("#audit-list").options[0].prompt)
        assert "Drifted column" in first and "1 altered" in first  # most attention first
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.location == str(paths[1])
        assert reader.options.archive_path == options.archive_path
        assert any(
            row.outcome and row.outcome.fetch_status == "ok" for row in reader.session.rows.by_index.values()
        )
        assert local_server.hits["/fine"] == 1  # read from the audit's archive, not fetched again
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AuditListScreen)


def test_the_command_line_recognises_an_audit_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app
    from tui.cli import main

    seen = {}

    def fake_run_reader(location, options, db_path=None, *, audit=None):
        seen.update(location=location, audit=audit)
        return 0

    monkeypatch.setattr(tui.app, "run_reader", fake_run_reader)
    path = stored(tmp_path, [ArticleResult("a.md", "k", "done")])
    assert main([str(path)]) == 0
    assert seen == {"location": None, "audit": path}
    article = tmp_path / "a.md"
    article.write_text("Hello.")
    assert main([str(article)]) == 0
    assert seen == {"location": str(article), "audit": None}
