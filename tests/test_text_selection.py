"""Selecting text with the mouse in the article or the source copies those words (issue 14 follow-up):
`TextView` takes part in Textual's text selection by its public API (`get_selection`,
`selection_updated`, offsets on its strips)."""

from __future__ import annotations

from test_app import fake_app, settle

from tui.widgets.text_view import TextView


async def drag(pilot, view: TextView, start: tuple[int, int], end: tuple[int, int]) -> None:
    await pilot.mouse_down(view, offset=start)
    await pilot.hover(view, offset=end)
    await pilot.mouse_up(view, offset=end)
    await pilot.pause()


def words_at(view: TextView, start: tuple[int, int], end: tuple[int, int]) -> str:
    """The text's own words between two points of the view (mouse offsets, border included, as `offset_at`
    reads them), the character under the end point included as Textual does, spaces kept where the view
    wrapped its lines."""
    top, left = view.scroll_offset.y - view.gutter.top, -view.gutter.left
    return view.text[
        view.offset_at(top + start[1], left + start[0]) : view.offset_at(top + end[1], left + end[0] + 1)
    ]


async def test_dragging_over_the_article_or_the_source_copies_their_words(tmp_path) -> None:
    async with fake_app(tmp_path / "n.sqlite3").run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        article = screen.query_one("#article-text", TextView)
        await drag(pilot, article, (2, 1), (20, 4))
        expected = words_at(article, (2, 1), (20, 4))
        assert len(expected) > 40
        assert screen.get_selected_text() == expected
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert pilot.app.clipboard == expected
        assert article.text_selection is not None  # drawn as selected
        selected = [line for y in range(1, 5) for line in [article.render_line(y)]]
        assert any(seg.style and seg.style.bgcolor for strip in selected for seg in strip)

        await pilot.press("j")  # a source with text
        source = screen.query_one("#source-text", TextView)
        assert source.text
        await drag(pilot, source, (3, 1), (15, 4))
        expected = words_at(source, (3, 1), (15, 4)).rstrip("\n")  # as the screen joins selections
        assert len(expected) > 20 and screen.get_selected_text() == expected
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert pilot.app.clipboard == expected
