"""Issue 11 in the reader: a wiki-style source with [4][5] and [citation needed] inside the quoted sentence,
fetched by the real pipeline from a local server (127.0.0.1): the skipped pieces are drawn dimmed and
struck inside the passage and in the diff strip, and named under the summary."""

from __future__ import annotations

from pathlib import Path

from reader_fixtures import WIKI_PAGE, wiki_article

from tui.app import SourcecheckApp
from tui.core.pipeline import CheckOptions
from tui.screens.reader import ReaderScreen
from tui.widgets.source_pane import SourcePane


def struck(view, piece: str) -> bool:
    """Whether a line on screen draws `piece` struck through."""
    for y in range(view.size.height):
        for segment in view.render_line(y):
            if segment.text == piece and segment.style is not None and segment.style.strike:
                return True
    return False


async def test_skipped_pieces_are_drawn_and_named(local_server, tmp_path: Path) -> None:
    url = local_server.route("/wiki/Brannock_Tunnel", WIKI_PAGE)
    article = tmp_path / "tunnel.md"
    article.write_text(wiki_article(url), encoding="utf-8")
    app = SourcecheckApp(str(article), CheckOptions(allow_private=True, use_archive=False))
    async with app.run_test(size=(140, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.session.finished
        pane = screen.query_one(SourcePane)
        view = pane.text_view
        skipped = [view.text[h.start : h.end] for h in view.highlights if h.kind == "skipped"]
        assert skipped == ["[4]", "[5]", "[citation needed]"]
        info = str(pane.query_one("#source-info").render())
        assert "verbatim" in info
        assert "[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag" in info
        assert struck(view, "[4]") and struck(view, "[citation needed]")

        await pilot.press("n")  # the altered quote: the diff strip keeps [6] where the page has it
        await pilot.pause()
        info = str(pane.query_one("#source-info").render())
        assert "altered" in info and "[6] skipped: reference marker" in info
        source_line = next(line for line in info.splitlines() if line.startswith("source "))
        assert "engineering" in source_line and "1902[6]" in source_line
        assert [view.text[h.start : h.end] for h in view.highlights if h.kind == "skipped"] == ["[6]"]
        assert struck(view, "[6]")
