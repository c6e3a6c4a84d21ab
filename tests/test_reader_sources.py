"""The reader's side of issue 12, driven by Pilot against the real pipeline and a local server: attaching a
URL and a local file fills the claim in place, survives a restart and reaches the export; a quote with no
link is put under a link, searched on the web; links restored from the published version."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from conftest import REPO, LocalServer
from test_app import make_app, settle  # the reader on the real pipeline, waited for

from tui.cli import main
from tui.core import locations
from tui.core.notes import NoteStore
from tui.screens.prompt import PromptScreen
from tui.screens.reader import ReaderScreen
from tui.session import UNLINKED, link_entry
from tui.widgets.source_pane import SourcePane

OPED = REPO / "tests" / "fixtures" / "copied-oped"
SOURCES = OPED / "sources"


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The copied op-ed (every link stripped), in a folder of the test's own: notes key on its path."""
    path = tmp_path / "copied-oped.md"
    shutil.copy(OPED / "copied-oped.md", path)
    return path


async def answer(pilot, text: str) -> None:
    """Type `text` into the prompt that is open, and submit it."""
    assert isinstance(pilot.app.screen, PromptScreen)
    pilot.app.screen.query_one("#prompt-input").value = text
    await pilot.press("enter")
    await pilot.pause()


def info(screen: ReaderScreen) -> str:
    return str(screen.query_one("#source-info").render())


async def test_attaching_a_url_and_a_file_fills_the_claims_and_survives_a_restart(
    copied: Path, tmp_path: Path, local_server: LocalServer
) -> None:
    minutes = local_server.route("/council/minutes", (SOURCES / "council-minutes.html").read_bytes())
    db = tmp_path / "notes.sqlite3"
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        session = screen.session
        council = session.rows.by_index[3]
        assert council.stripped and council.needs_attention
        assert [m for m in council.marks()] == ["not_checked", "not_checked"]
        session.select(link_entry(3))
        screen.redraw()
        await pilot.press("s")
        await answer(pilot, minutes)
        await settle(pilot)
        council = session.rows.by_index[3]
        assert council.state == "ok" and not council.stripped and not council.needs_attention
        assert council.marks() == ("verbatim", "verbatim")  # filled in place
        assert session.entry(3).where == "supplied: 127.0.0.1"
        assert "Source supplied by hand: http://127.0.0.1" in info(screen)
        # a local file, given by its path, for the morning show
        session.select(link_entry(5))
        screen.redraw()
        await pilot.press("s")
        await answer(pilot, str(SOURCES / "radio-transcript.txt"))
        await settle(pilot)
        transcript = session.rows.by_index[5]
        assert transcript.state == "ok" and transcript.marks() == ("verbatim",) * len(transcript.quotes)
        assert local_server.hits["/council/minutes"] == 1
        await pilot.press("q")
    with NoteStore.open(db) as store:
        saved = store.attached_sources(locations.article_key(str(copied)))
    assert sorted((a.kind, a.anchor_text) for a in saved) == [
        ("file", "morning show"),
        ("url", "council meeting"),
    ]

    # a restart: the choices come back, read from the evidence archive (nothing fetched again)
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        rows = screen.session.rows.by_index
        assert rows[3].state == "ok" and rows[3].outcome.supplied is not None
        assert rows[5].state == "ok" and rows[5].outcome.supplied is not None
        assert rows[3].marks() == ("verbatim", "verbatim")
    assert local_server.hits["/council/minutes"] == 1


async def test_export_of_attached_sources(copied: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "notes.sqlite3"
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        screen.session.select(link_entry(6))
        screen.redraw()
        await pilot.press("s")
        await answer(pilot, str(SOURCES / "residents-letter.html"))
        await settle(pilot)
        await pilot.press("x")  # the reader's own export
        await settle(pilot)
        report = locations.data_dir() / "reports" / "copied-oped.sourcecheck.md"
        assert "Source supplied by hand" in report.read_text(encoding="utf-8")
        await pilot.press("q")
    code = await asyncio.to_thread(main, ["export", str(copied), "--db", str(db), "--format", "markdown"])
    out = capsys.readouterr().out
    assert code == 0 and "residents-letter.html" in out and "a public register" in out


async def test_a_quote_with_no_link_is_put_under_a_link_and_searched_on_the_web(
    copied: Path, tmp_path: Path
) -> None:
    db = tmp_path / "notes.sqlite3"
    opened: list[str] = []
    app = make_app(copied, db)
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        session = screen.session
        session.select(UNLINKED)
        screen.redraw()
        motto = session.rows.unlinked[0]
        assert "clean water" in motto.text
        assert "Not checked" in info(screen)  # no source anywhere yet: never "not found"
        await pilot.press("W")
        assert opened and "duckduckgo.com" in opened[0] and "%22clean+water+for+every+home" in opened[0]
        await pilot.press("s")
        await answer(pilot, "7")  # the residents' letter
        await settle(pilot)
        letter = session.rows.by_index[6]
        assert any("clean water" in q.text for q, _ in letter.quotes)
        assert not session.rows.unlinked
        await pilot.press("q")
    with NoteStore.open(db) as store:
        [saved] = store.attached_sources(locations.article_key(str(copied)))
    assert saved.kind == "link" and saved.to_link is not None


async def test_links_restored_from_the_published_version(
    copied: Path, tmp_path: Path, local_server: LocalServer
) -> None:
    html = (OPED / "published.html").read_text(encoding="utf-8").replace("{{BASE}}", local_server.url(""))
    published = tmp_path / "published.html"
    published.write_text(html, encoding="utf-8")
    local_server.route("/council/minutes", (SOURCES / "council-minutes.html").read_bytes())
    db = tmp_path / "notes.sqlite3"
    app = make_app(copied, db)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        assert screen.session.rows.by_index[3].stripped
        await pilot.press("l")
        await answer(pilot, str(published))
        await settle(pilot)
        council = screen.session.rows.by_index[3]
        assert council.link.url == local_server.url("/council/minutes") and council.outcome.recovered
        assert council.state == "ok" and council.marks() == ("verbatim", "verbatim")
        screen.session.select(link_entry(3))
        screen.redraw()
        await pilot.pause()
        assert "Link restored from the published version" in info(screen)
        await pilot.press("q")
    with NoteStore.open(db) as store:
        assert store.links_from(locations.article_key(str(copied))) == str(published.resolve())


async def test_a_bad_source_is_one_sentence_and_changes_nothing(copied: Path, tmp_path: Path) -> None:
    app = make_app(copied, tmp_path / "notes.sqlite3")
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await settle(pilot)
        await pilot.press("s")
        await answer(pilot, "no-such-file.html")
        messages = [n.message for n in app._notifications]
        assert any("The file no-such-file.html does not exist" in m for m in messages)
        assert screen.session.rows.by_index[0].stripped
        assert screen.query_one(SourcePane) is not None
