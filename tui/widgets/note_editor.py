"""The note pane: the verdict of the current quote or claim and a free-text note."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from ..core.notes import VERDICT_LABELS
from ..core.safe_text import one_line
from ..session import NoteView

VERDICT_STYLES = {
    "accurate": "bold $text-success",
    "altered": "bold $text-warning",
    "cut": "bold $text-warning",
    "unsupported": "bold $text-error",
    "cant_verify": "bold $text-muted",
}


class NoteArea(TextArea):
    """A TextArea where escape hands focus back instead of being swallowed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Leave note", show=True)]

    def action_leave(self) -> None:
        claims = self.screen.query("#claims")
        self.screen.set_focus(claims.first() if claims else None)


class NoteEditor(Vertical):
    """Shows what the note is about and its verdict; the body is edited in `#note-text`."""

    def compose(self) -> ComposeResult:
        yield Static(id="note-label", markup=False)
        yield NoteArea(id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def on_descendant_focus(self) -> None:
        self.add_class("-editing")

    def on_descendant_blur(self) -> None:
        self.remove_class("-editing")

    @property
    def area(self) -> NoteArea:
        return self.query_one("#note-text", NoteArea)

    def show(self, view: NoteView) -> None:
        """Load the note of a new subject (the session keeps the previous one's draft).

        The label puts the verdict and the note before the subject's text, so a narrow pane (where the
        editor is folded away) cuts the text the article pane shows anyway, never the user's own verdict
        and note.
        """
        label = self.query_one("#note-label", Static)
        parts: list[Content | str | tuple[str, str]] = [
            ("Note on ", "$text-muted"),
            (one_line(view.kind), "bold"),
            "  ",
        ]
        if view.verdict:
            parts.append((VERDICT_LABELS[view.verdict], VERDICT_STYLES.get(view.verdict, "bold")))
        else:
            parts.append(("no verdict (1-5)", "$text-muted"))
        if view.body.strip():
            parts += ["  ✎ ", (one_line(view.body.strip())[:80], "italic")]
        if view.subject:
            parts += ["  ", (one_line(view.subject), "$text-muted")]
        label.update(Content.assemble(*parts))
        area = self.area
        if area.text != view.body:
            area.load_text(view.body)
