"""The claims list: one row per link, its live fetch state, its quotes' match marks and its note mark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ..core.models import Link, LinkOutcome
from ..core.safe_text import one_line

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
FETCH_MARKS = {
    "queued": ("·", "$text-muted"),
    "ok": ("●", "$text-success"),
    "error": ("✗", "$text-error"),
    "skipped": ("–", "$text-muted"),
}
QUOTE_MARKS = {
    "verbatim": ("✓", "$text-success"),
    "altered": ("≈", "$text-warning"),
    "not_found": ("✗", "$text-error"),
}
STRIPPED_KINDS = {"invalid", "javascript"}
NO_URL_LABELS = {"mailto": "e-mail address", "fragment": "in-page link", "local": "local file"}
UNATTRIBUTED_ID = "unattributed"


@dataclass
class ClaimRow:
    """What the reader knows about one link right now (mutable: it changes as sources arrive)."""

    link: Link
    state: str = "queued"  # queued | fetching | ok | error | skipped
    outcome: LinkOutcome | None = None
    received: int = 0
    verdict: str | None = None
    has_note: bool = False
    quote_count: int = 0
    matches: list[str] = field(default_factory=list)

    @property
    def stripped(self) -> bool:
        """A link whose target is gone or unusable: the claim is unsupported as printed."""
        kind = self.link.target_kind
        return kind in STRIPPED_KINDS or (kind == "fragment" and self.link.url is None)

    @property
    def needs_attention(self) -> bool:
        return (
            self.stripped or self.state == "error" or any(m in ("altered", "not_found") for m in self.matches)
        )

    @property
    def busy(self) -> bool:
        return self.state == "fetching"


def domain_of(url: str | None) -> str:
    if not url:
        return "(no link)"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return host.removeprefix("www.") if host else url[:30]


def row_content(row: ClaimRow, frame: int = 0) -> Content:
    """The two-line prompt of a row; untrusted parts pass through `one_line` and never through markup."""
    if row.state == "fetching":
        mark, style = SPINNER[frame % len(SPINNER)], "$text-accent"
    else:
        mark, style = FETCH_MARKS.get(row.state, ("?", ""))
    number = f"{row.link.index + 1:>2} "
    anchor = one_line(row.link.anchor_text) or "…"
    first = Content.assemble((mark, style), " ", (number, "$text-muted"), anchor)
    # marks first: a narrow list truncates the domain, never the marks
    parts: list[Content | str | tuple[str, str]] = ["    "]
    for i in range(row.quote_count):
        match = row.matches[i] if i < len(row.matches) else None
        glyph, mstyle = QUOTE_MARKS.get(match or "", ("…", "$text-muted"))
        parts.append((glyph, mstyle))
    if row.verdict or row.has_note:
        parts.append((f"✎{row.verdict or ''}", "$text-primary"))
    if len(parts) > 1:
        parts.append(" ")
    if row.stripped:
        parts.append(("stripped link", "$text-error"))
    elif row.link.url is None:
        parts.append((NO_URL_LABELS.get(row.link.target_kind, "not a web link"), "$text-muted"))
    else:
        parts.append((domain_of(row.link.url), "$text-muted"))
    return Content.assemble(first, "\n", Content.assemble(*parts))


def unattributed_content(count: int, verdicts: str, has_note: bool) -> Content:
    """The row after the claims: the passages the article quotes without linking a source."""
    label = f"{'quote' if count == 1 else 'quotes'} with no link"  # the count sits where a number does
    first = Content.assemble(("?", "$text-warning"), " ", (f"{count:>2} ", "$text-muted"), (label, "bold"))
    parts: list[Content | str | tuple[str, str]] = ["    "]
    if verdicts or has_note:
        parts += [(f"✎{verdicts}", "$text-primary"), " "]
    parts.append(("no source named", "$text-muted"))
    return Content.assemble(first, "\n", Content.assemble(*parts))


class ClaimsList(OptionList):
    """An `OptionList` whose option ids are link indexes; `refresh_row` redraws one row in place."""

    DEFAULT_CSS = """
    ClaimsList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: dict[int, ClaimRow] = {}
        self.attention_only = False
        self.unattributed = 0  # how many quotes name no source; a row of their own when > 0
        self.unattributed_mark = ("", False)  # (verdict digits, has a note) for that row
        self._frame = 0

    def set_rows(self, rows: Iterable[ClaimRow], orphans: Iterable[str] = ()) -> None:
        """Rebuild the list (citations first), keeping the highlighted link when it is still shown."""
        self.rows = {row.link.index: row for row in rows}
        self.rebuild(orphans)

    def rebuild(self, orphans: Iterable[str] = ()) -> None:
        current = self.current_id
        ordered = sorted(self.rows.values(), key=lambda r: (r.link.role != "citation", r.link.index))
        shown = [r for r in ordered if r.needs_attention or not self.attention_only]
        options: list[Option | None] = [
            Option(row_content(r, self._frame), id=f"link-{r.link.index}") for r in shown
        ]
        if self.unattributed:  # nothing to check them against: they always need attention
            options.append(
                Option(unattributed_content(self.unattributed, *self.unattributed_mark), id=UNATTRIBUTED_ID)
            )
        orphan_list = list(orphans)
        if orphan_list:
            options.append(None)
            heading = Content.styled("Notes not on a claim", "bold $text-warning")
            options.append(Option(heading, disabled=True))
            for text in orphan_list:
                options.append(Option(Content(one_line(text)), disabled=True))
        self.set_options(options)
        if current is not None and current in self.navigable_ids:
            self.highlighted = self.get_option_index(current)
        elif self.navigable_ids:
            self.highlighted = 0

    @property
    def current_index(self) -> int | None:
        """The link index of the highlighted row."""
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("link-"):
            return None
        return int(option.id.removeprefix("link-"))

    @property
    def current_id(self) -> str | None:
        """The option id of the highlighted row: `link-N` or `UNATTRIBUTED_ID`."""
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def on_unattributed(self) -> bool:
        return self.current_id == UNATTRIBUTED_ID

    @property
    def shown_indexes(self) -> list[int]:
        return [int(o.id.removeprefix("link-")) for o in self.options if o.id and o.id.startswith("link-")]

    @property
    def navigable_ids(self) -> list[str]:
        """The rows j/k walk, in order: the shown claims, then the quotes with no link."""
        return [o.id for o in self.options if o.id and not o.disabled]

    def refresh_unattributed(self) -> None:
        if not self.unattributed:
            return
        try:
            prompt = unattributed_content(self.unattributed, *self.unattributed_mark)
            self.replace_option_prompt(UNATTRIBUTED_ID, prompt)
        except OptionDoesNotExist:
            return

    def refresh_row(self, index: int) -> None:
        row = self.rows.get(index)
        if row is None:
            return
        try:
            self.replace_option_prompt(f"link-{index}", row_content(row, self._frame))
        except OptionDoesNotExist:  # the row is filtered out
            return

    def _replace_option_prompt(self, index: int, prompt: VisualType) -> None:
        """Redraw one row, not the list: 50 rows updating while sources load would redraw it all.

        `OptionList` drops every cached row render on any prompt change. A row here is always two
        lines, so the line map stays valid and only this option's renders need to go. Falls back to
        the stock behaviour if Textual's internals are not what this expects.
        """
        option = self.get_option_at_index(index)
        cache = getattr(self, "_option_render_cache", None)
        lines = getattr(self, "_line_cache", None)
        if cache is None or lines is None or index not in lines.index_to_line:
            super()._replace_option_prompt(index, prompt)
            return
        option._set_prompt(prompt)
        cached = list(cache.keys())  # an LRUCache is not iterable itself
        for key in cached:
            if key[0] is option:
                cache.discard(key)
        self.refresh_lines(lines.index_to_line[index], lines.heights.get(index, 2))

    def tick(self) -> None:
        """Advance the spinners of rows still fetching."""
        self._frame += 1
        for index, row in self.rows.items():
            if row.busy:
                self.refresh_row(index)
