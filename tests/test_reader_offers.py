"""The source pane draws what the session offers for the current subject, wrapped to the pane's width
(issue 14 follow-up): offline, a failed source offers no refetch; every offer stays visible."""

from __future__ import annotations

import pytest
from reader_fixtures import fake_opener
from test_app import keep_toasts, settle
from textual.geometry import Region

from tui.app import SourcecheckApp
from tui.core.pipeline import CheckOptions
from tui.session import UNLINKED, link_entry


def visible(widget) -> str:
    """The text a widget shows on screen (what is cut off is not here), spaces removed."""
    size = widget.outer_size  # padding included
    lines = widget.render_lines(Region(0, 0, size.width, size.height))
    return "".join(line.text for line in lines).replace(" ", "")


@pytest.mark.parametrize("width", [120, 200])
@pytest.mark.parametrize("offline", [False, True])
async def test_a_failed_source_offers_what_applies_and_every_offer_is_seen(tmp_path, offline, width) -> None:
    app = keep_toasts(
        SourcecheckApp("fixtures/harbour.md", CheckOptions(offline=offline), db_path=tmp_path / "n.sqlite3",
                       opener=fake_opener())
    )  # fmt: skip
    async with app.run_test(size=(width, 40)) as pilot:
        screen = await settle(pilot)
        screen.session.select(link_entry(3))  # the 404
        screen.redraw()
        await pilot.pause()
        info = screen.query_one("#source-info")
        shown = visible(info)
        assert "Whatyoucando:" in shown and "sgiveitasource" in shown
        assert "wWaybackMachine" in shown  # the last offer is not cut off
        assert ("rrefetch" in shown) is not offline
        screen.session.select(UNLINKED)
        screen.redraw()
        await pilot.pause()
        shown = visible(info) + visible(screen.query_one("#source-header"))
        assert "Whatyoucando:enote·1-5verdict·sgiveitasource" in shown and "Wsearchthewebforit" in shown
