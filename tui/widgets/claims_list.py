"""The claims list: the session's entries drawn with Textual's line API (as Toolong draws its logs).

An `OptionList` re-measures every option whenever one prompt changes (its public `replace_option_prompt`
clears all its caches), so fifty rows updating while sources load, or two thousand rows on a long page,
would re-lay out the whole list many times a second (`bench/claims_list.py` measures both). Here every
entry has a fixed height, the line map is built once per `set_entries`, and only visible lines are
rendered, each cached until its entry changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from ..core.safe_text import one_line
from ..session import Entry
from ..session.glyphs import FETCH_GLYPHS, NOTE_GLYPH, QUOTE_GLYPHS, SPINNER, UNLINKED_GLYPH, Glyph
from .tones import TONES

HEIGHTS = {"claim": 2, "unlinked": 2, "heading": 1, "orphan": 1}


def entry_lines(entry: Entry, frame: int = 0) -> list[Content]:
    """An entry's lines; untrusted parts pass through `one_line` and never through markup."""
    if entry.kind == "heading":
        return [Content.styled(one_line(entry.title), "bold $text-warning")]
    if entry.kind == "orphan":
        return [Content(one_line(entry.title))]
    if entry.kind == "unlinked":
        first = Content.assemble(
            _drawn(UNLINKED_GLYPH), " ", (f"{entry.number:>2} ", "$text-muted"), (entry.title, "bold")
        )
    else:
        glyph = FETCH_GLYPHS.get(entry.state) if entry.state else None  # type: ignore[call-overload]
        mark, style = _drawn(glyph) if glyph is not None else ("?", "")
        if entry.state == "fetching":
            mark = SPINNER[frame % len(SPINNER)]
        anchor = one_line(entry.title) or "…"
        first = Content.assemble((mark, style), " ", (f"{entry.number:>2} ", "$text-muted"), anchor)
    # marks first: a narrow list truncates the domain, never the marks
    parts: list[Content | str | tuple[str, str]] = ["    "]
    parts += [_drawn(QUOTE_GLYPHS[mark]) for mark in entry.marks]
    if entry.verdicts or entry.has_note:
        parts.append((f"{NOTE_GLYPH.char}{entry.verdicts}", TONES[NOTE_GLYPH.tone]))
    if len(parts) > 1:
        parts.append(" ")
    parts.append((one_line(entry.where), "$text-error" if entry.stripped else "$text-muted"))
    return [first, Content.assemble(*parts)]


def _drawn(glyph: Glyph) -> tuple[str, str]:
    return glyph.char, TONES[glyph.tone]


class ClaimsList(ScrollView, can_focus=True):
    """Entries of fixed height; `cursor_id` is the selected one. Posts `Selected` on a click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "end(0)", "First claim", show=False),
        Binding("end", "end(1)", "Last claim", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"claims-list--cursor", "claims-list--dim"}
    DEFAULT_CSS = """
    ClaimsList {
        background: $surface; overflow-x: hidden; overflow-y: auto;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    ClaimsList > .claims-list--cursor {
        color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background;
    }
    ClaimsList:focus > .claims-list--cursor {
        color: $block-cursor-foreground; background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    ClaimsList > .claims-list--dim { color: $text-muted; text-style: dim; }
    """

    class Selected(Message):
        """The user picked entry `entry_id` (a click, page keys, home/end)."""

        def __init__(self, claims: ClaimsList, entry_id: str) -> None:
            super().__init__()
            self.claims = claims
            self.entry_id = entry_id

        @property
        def control(self) -> ClaimsList:
            return self.claims

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = []
        self._position: dict[str, int] = {}
        self._starts: list[int] = []  # first line of each entry
        self._lines: list[tuple[int, int]] = []  # (entry position, line within it)
        self.cursor_id: str | None = None
        self._frame = 0
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def navigable_ids(self) -> list[str]:
        return [entry.id for entry in self._entries if entry.navigable]

    def set_entries(self, entries: Sequence[Entry], cursor_id: str | None) -> None:
        """Show `entries` (the whole list, in order) with the cursor on `cursor_id`."""
        self._entries = list(entries)
        self._position = {entry.id: i for i, entry in enumerate(self._entries)}
        self._starts, self._lines = [], []
        for position, entry in enumerate(self._entries):
            self._starts.append(len(self._lines))
            self._lines += [(position, line) for line in range(HEIGHTS[entry.kind])]
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines))
        self.cursor_id = cursor_id
        self.refresh()
        self.scroll_to_cursor()

    def update_entry(self, entry: Entry) -> None:
        """Redraw one entry in place (its height never changes)."""
        position = self._position.get(entry.id)
        if position is None:
            return
        self._entries[position] = entry
        self.refresh_lines(self._starts[position], HEIGHTS[entry.kind])

    def move_cursor(self, cursor_id: str | None) -> None:
        for entry_id in (self.cursor_id, cursor_id):
            position = self._position.get(entry_id or "")
            if position is not None:
                self.refresh_lines(self._starts[position], HEIGHTS[self._entries[position].kind])
        self.cursor_id = cursor_id
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        position = self._position.get(self.cursor_id or "")
        if position is None or not self.is_mounted:
            return
        height = HEIGHTS[self._entries[position].kind]
        region = Region(0, self._starts[position], max(1, self.size.width), height)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def tick(self) -> None:
        """Advance the spinners of entries still fetching (only visible lines are redrawn)."""
        self._frame += 1
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        for position in {p for p, _ in self._lines[top : top + height]}:
            if self._entries[position].state == "fetching":
                self.refresh_lines(self._starts[position], 2)

    # -- input ----------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        if 0 <= line < len(self._lines):
            self._pick(self._lines[line][0], 1)

    def action_page(self, direction: int) -> None:
        here = self._position.get(self.cursor_id or "", 0)
        lines = max(1, self.scrollable_content_region.height)
        target = self._lines[min(len(self._lines) - 1, max(0, self._starts[here] + direction * lines))][0]
        self._pick(target, direction)

    def action_end(self, last: int) -> None:
        if self._entries:
            self._pick(len(self._entries) - 1 if last else 0, -1 if last else 1)

    def _pick(self, position: int, direction: int) -> None:
        """Select the navigable entry at `position`, or the nearest one in `direction`."""
        order = range(position, len(self._entries)) if direction > 0 else range(position, -1, -1)
        for candidate in [*order, *range(len(self._entries))]:
            if self._entries[candidate].navigable:
                self.post_message(self.Selected(self, self._entries[candidate].id))
                return

    # -- rendering ------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines))
        self._cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if line >= len(self._lines):
            return Strip.blank(width, self.get_visual_style().rich_style)
        position, offset = self._lines[line]
        entry = self._entries[position]
        cursor = entry.id == self.cursor_id
        focused = self.has_focus
        frame = self._frame if entry.state == "fetching" else 0
        key = (entry, offset, width, cursor, cursor and focused, frame)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._entry_strip(entry, offset, width, cursor, frame)
        return strip

    def _entry_strip(self, entry: Entry, offset: int, width: int, cursor: bool, frame: int) -> Strip:
        component = "claims-list--cursor" if cursor else "claims-list--dim" if entry.dim else None
        style = self.get_visual_style(component) if component else self.get_visual_style()
        line = entry_lines(entry, frame)[offset]
        strips = Visual.to_strips(self, line, width, 1, style, pad=True)
        return strips[0] if strips else Strip.blank(width, style.rich_style)

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()
