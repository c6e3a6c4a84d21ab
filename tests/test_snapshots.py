"""Snapshots of the reader at fixed sizes, from the deterministic fake pipeline (no ports, no clocks).

Update after an intended visual change with `pytest tests/test_snapshots.py --snapshot-update` and look
at the report. The SVGs double as the README screenshots (docs/screenshots/ is generated from them).
"""

from __future__ import annotations

import pytest
from reader_fixtures import fake_opener

from tui.app import SourcecheckApp
from tui.core.pipeline import CheckOptions
from tui.screens.reader import ReaderScreen


def make_app() -> SourcecheckApp:
    return SourcecheckApp("fixtures/harbour.md", CheckOptions(), opener=fake_opener())


async def settled(pilot) -> None:
    """Wait until the fake pipeline has delivered everything and the screen has redrawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen) and screen.session.finished
    await pilot.pause()


def run_then(*keys: str):
    async def run_before(pilot) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(200, 60), (80, 24)], ids=["200x60", "80x24"])
def test_main_screen(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run_then())


def test_altered_quote_diff(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(200, 60), run_before=run_then("j"))


def test_failed_source(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_then("j", "j", "j"))


def test_help_screen(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_then("question_mark"))


def test_claim_as_subject(snap_compare) -> None:
    """p before the first quote: the claim itself, its note and the passages bearing on it."""
    assert snap_compare(make_app(), terminal_size=(120, 35), run_before=run_then("j", "p"))


def test_quotes_with_no_link(snap_compare) -> None:
    """The last row of the list: every quote that names no source, the current one in the article."""
    keys = ["j"] * 7 + ["n"]
    assert snap_compare(make_app(), terminal_size=(120, 35), run_before=run_then(*keys))


def test_all_links_stripped_say_not_checked(snap_compare) -> None:
    """Every link stripped: nothing could be searched, so header and marks say "not checked" (○)."""
    from reader_fixtures import stripped_opener

    app = SourcecheckApp("fixtures/stripped.md", CheckOptions(), opener=stripped_opener())
    assert snap_compare(app, terminal_size=(120, 30), run_before=run_then("j"))


def test_skipped_pieces_in_the_source(snap_compare) -> None:
    """A wiki-style source: [4] [5] and [citation needed] inside the quoted passage are drawn as skipped
    (dimmed, struck) and named under the summary; the real pipeline, its source canned (no ports)."""
    from reader_fixtures import wiki_opener

    app = SourcecheckApp("fixtures/tunnel.md", CheckOptions(), opener=wiki_opener())
    assert snap_compare(app, terminal_size=(140, 32), run_before=run_then())


def test_skipped_piece_in_the_diff(snap_compare) -> None:
    """An altered quote: the diff strip's source line keeps the skipped [6] where the page prints it."""
    from reader_fixtures import wiki_opener

    app = SourcecheckApp("fixtures/tunnel.md", CheckOptions(), opener=wiki_opener())
    assert snap_compare(app, terminal_size=(140, 32), run_before=run_then("n"))


@pytest.mark.parametrize("keys", [("j", "j", "j"), ("j", "j", "j", "j")], ids=["archived-copy", "supplied"])
def test_archived_copy_and_supplied_source_say_so(snap_compare, keys) -> None:
    """A dead source read from an archived copy, and a stripped link given a source by hand (issue 12):
    the list, the header and the lines under it say so unmistakably."""
    from reader_fixtures import sources_opener

    app = SourcecheckApp("fixtures/harbour.md", CheckOptions(), opener=sources_opener())
    assert snap_compare(app, terminal_size=(120, 30), run_before=run_then(*keys))
