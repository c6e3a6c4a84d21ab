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


def test_verdicts_and_marks_are_read_from_one_table_in_every_face() -> None:
    """The reader's verdict keys and words are `notes.VERDICT_KEYS`/`VERDICT_LABELS`; the claims list and
    help draw the session's glyph table (`tui.session.glyphs`), not copies of it."""
    from tui.core.notes import VERDICT_KEYS, VERDICT_LABELS, VERDICTS
    from tui.screens.help import MARKS
    from tui.screens.reader_keys import action_keys, reader_bindings
    from tui.session.glyphs import FETCH_GLYPHS, NOTE_GLYPH, QUOTE_GLYPHS
    from tui.widgets.claims_list import entry_lines

    verdicts = {
        b.action: b
        for b in reader_bindings()
        if b.action.startswith("verdict('") and b.action != "verdict('')"
    }
    assert [b.action for b in verdicts.values()] == [f"verdict('{v}')" for v in VERDICTS]
    for v in VERDICTS:
        binding = verdicts[f"verdict('{v}')"]
        assert binding.key.split(",")[0] == VERDICT_KEYS[v] and binding.description == VERDICT_LABELS[v]
    assert action_keys()["verdict"] == f"{min(VERDICT_KEYS.values())}-{max(VERDICT_KEYS.values())}"
    glyphs = [*FETCH_GLYPHS.values(), *QUOTE_GLYPHS.values()]
    assert [m[0] for m in MARKS[: len(glyphs)]] == [g.char for g in glyphs]
    assert all(VERDICT_LABELS[v].lower() in NOTE_GLYPH.meaning for v in VERDICTS)
    from tui.session import Entry

    entry = Entry(
        "link:0", "claim", "told the radio", number=1, state="ok", marks=("not_checked",), where="x"
    )
    drawn = "".join(str(line) for line in entry_lines(entry))
    assert FETCH_GLYPHS["ok"].char in drawn and QUOTE_GLYPHS["not_checked"].char in drawn
