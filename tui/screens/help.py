"""The help screen: every key of the reader and what the marks in the claims list mean."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..session.glyphs import FETCH_GLYPHS, NOTE_GLYPH, QUOTE_GLYPHS, UNLINKED_GLYPH
from ..widgets.tones import TONES

MARKS = [
    *((g.char, TONES[g.tone], g.meaning) for g in FETCH_GLYPHS.values()),
    *((g.char, TONES[g.tone], g.meaning) for g in QUOTE_GLYPHS.values()),
    *((g.char, TONES[g.tone], g.meaning) for g in (UNLINKED_GLYPH, NOTE_GLYPH)),
    ("dim", "$text-muted", "after the citations: byline, share and navigation links (not fetched)"),
]


EXTRA_KEYS = [
    ("ctrl+p", "Command palette: every action by name"),
    ("escape", "Leave the note editor (it is saved as you type)"),
    ("mouse", "Click a claim, or a sentence in the article; wheel scrolls"),
]


def keys_content(keys_and_titles: list[tuple[str, str]]) -> Content:
    rows = []
    for keys, title in keys_and_titles:
        rows.append(Content.assemble((f"{keys:>8}", "bold $text-accent"), "  ", title))
    for keys, description in EXTRA_KEYS:
        rows.append(Content.assemble((f"{keys:>8}", "bold $text-accent"), "  ", description))
    return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """Keys and marks; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """`keys`: (keys as typed, e.g. "j, ↓"; what they do), in the order to show."""
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        marks = Content("\n").join(
            Content.assemble((f"{glyph:>8}", style), "  ", meaning) for glyph, style, meaning in MARKS
        )
        with VerticalScroll(id="help-body") as body:
            body.border_title = "sourcecheck — help"
            body.border_subtitle = "escape to close"
            yield Static(Content.styled("Keys", "bold underline"), classes="help-heading")
            yield Static(keys_content(self._keys))
            yield Static(Content.styled("Marks in the claims list", "bold underline"), classes="help-heading")
            yield Static(marks)
            yield Static(
                Content(
                    "Every action is also in the command palette (ctrl+p). Notes save themselves as you type."
                ),
                classes="help-heading",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
