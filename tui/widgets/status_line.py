"""The reader's top line: fetch progress and the counts the core gives, then the article's title."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..core.safe_text import one_line
from ..core.status import STATUS_LABELS
from ..session import StatusView

BAR_WIDTH = 8


def status_content(view: StatusView) -> Content:
    """Progress and counts first (they must stay visible at 80 columns), the title last."""
    title = (one_line(view.title), "bold")
    if view.error:
        return Content.assemble(("cannot open the article", "bold $text-error"), "  ", title)
    parts: list[Content | str | tuple[str, str]] = []
    if view.loading:
        parts.append(("reading the article…", "$text-muted"))
    elif view.total:
        filled = round(BAR_WIDTH * view.done / view.total)
        parts += [
            (f"{view.done}/{view.total} sources ", "bold"),
            ("▰" * filled, "$text-success"),
            ("▱" * (BAR_WIDTH - filled), "$text-muted"),
        ]
    else:
        parts.append((f"{view.claims} claims, nothing to fetch", "$text-muted"))
    counts = view.counts
    for number, glyph, status, style in (
        (counts.altered, "≈", "altered", "$text-warning"),
        (counts.not_found, "✗", "not_found", "$text-error"),
        (counts.not_checked, "○", "not_checked", "$text-muted"),
    ):
        if number:
            parts += ["  ", (f"{glyph}{number} {STATUS_LABELS[status]}", style)]  # type: ignore[index]
    if counts.sources_failed:
        parts += ["  ", (f"{counts.sources_failed} failed", "$text-error")]
    if view.filter_label:
        parts += ["  ", (view.filter_label, "bold reverse $text-accent")]
    parts += ["  │ ", title]
    return Content.assemble(*parts)


class StatusLine(Static):
    """Redraws only when what it shows changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: StatusView | None = None

    def show(self, view: StatusView) -> None:
        if view != self._shown:
            self._shown = view
            self.update(status_content(view), layout=False)
