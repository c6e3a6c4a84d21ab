"""`sourcecheck audit.sqlite3`: the articles of an audit, most attention first; enter opens one.

The list itself (order, counts, how an article is opened) is `tui.session.audit_list.AuditListing`; this
screen draws it and turns a choice into an `OpenArticle` message for the app.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..core.audit.records import AuditError
from ..core.pipeline import CheckOptions
from ..messages import OpenArticle
from ..session.audit_list import AuditEntry, AuditListing

_DETAIL_STYLE = {"failed": "$text-error", "pending": "$text-muted", "running": "$text-muted"}


class AuditListScreen(Screen[None]):
    """An audit's articles; enter opens the highlighted one in the reader, `r` reads the database again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit"),
        Binding("r", "reload", "Reload", tooltip="Read the audit database again (an audit may be running)"),
    ]

    def __init__(self, listing: AuditListing, options: CheckOptions) -> None:
        super().__init__()
        self.listing = listing
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="audit"):
            yield Static(id="audit-title")
            yield OptionList(id="audit-list")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#audit-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self._fill()  # back from a reader, or an audit still running added articles

    def action_reload(self) -> None:
        self._fill()

    def _fill(self) -> None:
        title = self.query_one("#audit-title", Static)
        listing = self.query_one("#audit-list", OptionList)
        highlighted = listing.highlighted
        try:
            entries = self.listing.load()
        except AuditError as exc:
            title.update(Content(str(exc)))
            listing.set_options([])
            return
        title.update(Content.styled(self.listing.heading(), "bold"))
        listing.set_options([Option(_label(e), id=f"article-{i}") for i, e in enumerate(entries)])
        if entries:
            listing.highlighted = min(highlighted or 0, len(entries) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("article-"):
            entry = self.listing.entries[int(option_id.removeprefix("article-"))]
            self.post_message(OpenArticle(entry.location, self.listing.options_for(entry, self.options)))


def _label(entry: AuditEntry) -> Content:
    score = f"{entry.attention:>3} " if entry.attention else "  · "
    detail_style = _DETAIL_STYLE.get(entry.state, "$text-warning" if entry.attention else "$text-success")
    where = () if entry.where == entry.title else ("\n    ", (entry.where, "$text-muted"))  # no title: once
    return Content.assemble(
        (score, "bold $text-error" if entry.attention else "$text-muted"),
        (entry.title, "bold"),
        "\n    ",
        (entry.detail, detail_style),
        *where,
    )
