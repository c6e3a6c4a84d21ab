"""The framing line in the reader: session tests (no screen), a Pilot test and a snapshot.

The article is the depot op-ed of the labelled framing set, checked by the real pipeline against its
sources written to a WARC at test time (offline), so the cues on screen are the core's own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO
from framing_scoring import build_archive, load_cases

from tui.app import SourcecheckApp
from tui.core.article import article_from_bytes, load_article_file
from tui.core.pipeline import Checker, CheckOptions
from tui.screens.reader import ReaderScreen
from tui.session import FramingExtension, QuoteSubject, ReaderSession
from tui.session.framing import MARK_CUE, MARK_NEUTRAL, row_has_cues
from tui.widgets.claims_list import ClaimsList

CASE = next(c for c in load_cases(REPO / "tests" / "fixtures" / "framing_set") if c.name == "01-depot-oped")
LOCATION = "fixtures/depot-oped.md"  # what the screen shows: the same in every run


def framing_opener(archive: Path):
    """An `opener` running the real pipeline on the op-ed, its sources read from `archive`."""

    async def opener(location: str, options: CheckOptions):
        article = article_from_bytes(
            CASE.article.read_bytes(), content_type="text/markdown", location=LOCATION, base_url=None
        )
        return article, Checker(article, replace(options, offline=True, archive_path=archive))

    return opener


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return build_archive(CASE, tmp_path)


async def read_session(archive: Path) -> ReaderSession:
    """A reader session fed every event of the real pipeline, as the screen feeds it."""
    _, checker = await framing_opener(archive)(LOCATION, CheckOptions())
    session = ReaderSession(LOCATION, extensions=[FramingExtension()])
    async for event in checker.run():
        session.apply(event)
    return session


def _select_quote(session: ReaderSession, words: str) -> None:
    for row in session.rows.by_index.values():
        for position, (quote, _) in enumerate(row.quotes):
            if words in quote.text:
                session.select(f"link-{row.index}")
                session._set_subject(QuoteSubject(row.index, position))
                return
    raise AssertionError(words)


async def test_session_shows_a_framing_line_and_marks_cue_words(archive: Path) -> None:
    session = await read_session(archive)
    _select_quote(session, "has been losing money")
    lines = [line.text for line in session.source_view().extra]
    assert lines[0] == "Framing, claim: verb “confided” (loaded)"
    assert (
        lines[1]
        == "Framing, quote: speaker: article credits Transport Minister Daniel Okoro, source has DANIEL OKORO"
    )
    assert session.source_view().extra[0].tone == "warning"
    text = session.article.text
    marks = {(text[h.start : h.end], h.kind) for h in session.article_view()[0]}
    assert ("confided", MARK_CUE) in marks

    _select_quote(session, "a fresh start")
    lines = [line.text for line in session.source_view().extra]
    assert "SPEAKER MISMATCH: article credits Okoro, source has NAIR" in lines[1]
    marks = {(text[h.start : h.end], h.kind) for h in session.article_view()[0]}
    assert ("called", MARK_NEUTRAL) in marks

    _select_quote(session, "asset stripping")
    marks = {(text[h.start : h.end], h.kind) for h in session.article_view()[0]}
    assert ("asset stripping", MARK_CUE) in marks  # words the source never used


async def test_session_filter_keeps_claims_with_framing_cues() -> None:
    """On the bundled water-report sample (its sources in the WARC beside it): some claims carry cues
    worth a look (a loaded "found", a scare quote), others only a neutral verb or none."""
    article = load_article_file(str(REPO / "sample_articles" / "water-report.md"))
    session = ReaderSession(article.location, extensions=[FramingExtension()])
    async for event in Checker(article, CheckOptions(offline=True)).run():
        session.apply(event)
    everything = [e.id for e in session.entries() if e.kind == "claim" and not e.dim]
    assert session.toggle_filter("framing") is None
    kept = [e.id for e in session.entries() if e.kind == "claim" and not e.dim]
    rows = {f"link-{r.index}": r for r in session.rows.by_index.values()}
    assert kept == [i for i in everything if row_has_cues(rows[i])]
    assert 0 < len(kept) < len(everything)
    assert next(i for i in everything if rows[i].link.anchor_text == "a planned upgrade") not in kept
    assert session.status().filter_label == "framing filter on (c)"
    assert session.toggle_filter("framing") is None and session.status().filter_label is None


def make_app(archive: Path) -> SourcecheckApp:
    return SourcecheckApp(LOCATION, CheckOptions(), opener=framing_opener(archive))


async def settle(pilot) -> ReaderScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen) and screen.session.finished
    await pilot.pause()
    return screen


def _info(screen: ReaderScreen) -> str:
    return str(screen.query_one("#source-info").render())


async def test_reader_shows_the_framing_line_and_filters_by_cues(archive: Path) -> None:
    async with make_app(archive).run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        assert "Framing, claim: verb “confided” (loaded)" in _info(screen)
        assert screen.query_one("#article-text").highlights  # cue words painted with the article's marks
        kinds = {h.kind for h in screen.query_one("#article-text").highlights}
        assert MARK_CUE in kinds
        await pilot.press("n")  # the claim's second quote: Okoro "insisted", the source goes on "as long as"
        await pilot.pause()
        assert "verb “insisted” (loaded)" in _info(screen)
        assert "source goes on (condition)" in _info(screen)
        await pilot.press("c")
        await pilot.pause()
        shown = _shown(screen)
        assert shown and all(row_has_cues(screen.session.rows.by_index[i]) for i in shown)
        assert "framing filter on (c)" in str(screen.query_one("#status").render())
        await pilot.press("c")
        await pilot.pause()
        assert "framing filter" not in str(screen.query_one("#status").render())


def _shown(screen: ReaderScreen) -> list[int]:
    return [e.number - 1 for e in screen.query_one(ClaimsList).entries if e.kind == "claim"]


def test_framing_line_snapshot(snap_compare, archive: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in ("n", "n"):  # the third quote: "a fresh start…", spoken by the presenter
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(archive), terminal_size=(160, 45), run_before=run_before)
