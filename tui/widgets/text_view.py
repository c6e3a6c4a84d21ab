"""A read-only, wrapped, highlighted view of a long text, built on Textual's line API.

Article and source texts can be a megabyte: a `Static` would lay out all of it before the first paint.
This view wraps the text into `(start, end)` offset pairs once per width and renders only the visible
lines as `Strip`s, so a highlight or a scroll target is just a character offset into the original text
(the same offsets the pipeline, the JSON report and saved notes use).

It takes part in Textual's text selection (drag with the mouse, ctrl+c copies) by the public API that
Textual's own line-API widgets use: each strip carries its offsets (`Strip.apply_offsets(0, line)`, the
character column within visual line `line`), `get_selection` turns a `Selection` of those into the
original text's words (a wrapped line's break is the text's own space, not a newline), and
`selection_updated` redraws.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from itertools import pairwise
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ..core.safe_text import safe_text
from ..session import Highlight

MAX_FIND_HITS = 5000


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of `text` to `width` cells, as `(start, end)` offsets of each visual line."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    append = lines.append
    pos = 0
    size = len(text)
    while pos <= size:
        newline = text.find("\n", pos)
        line_end = size if newline == -1 else newline
        start = pos
        while True:
            chunk = text[start:line_end]
            if len(chunk) <= width and (chunk.isascii() or cell_len(chunk) <= width):
                append((start, line_end))
                break
            cut = start + width
            if not text[start:cut].isascii():  # wide characters: count cells one by one
                cells, cut = 0, start
                while cut < line_end:
                    cells += get_character_cell_size(text[cut])
                    if cells > width:
                        break
                    cut += 1
                cut = max(cut, start + 1)
            space = text.rfind(" ", start + 1, cut + 1)
            if space > start:
                append((start, space))
                start = space + 1
            else:
                append((start, cut))
                start = cut
            if start >= line_end:
                break
        if newline == -1:
            break
        pos = newline + 1
    return lines


class TextView(ScrollView, can_focus=True):
    """Shows a text wrapped to the pane, with highlighted spans, and scrolls to any character offset."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "text-view--claim",
        "text-view--verbatim",
        "text-view--altered",
        "text-view--not-found",
        "text-view--not-checked",
        "text-view--unmatched",
        "text-view--current",
        "text-view--passage",
        "text-view--skipped",
        "text-view--evidence",
        "text-view--find",
        "text-view--framing",
        "text-view--framing-neutral",
    }

    DEFAULT_CSS = """
    TextView {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        overflow-y: auto;
    }
    TextView > .text-view--claim { background: $primary 25%; }
    TextView > .text-view--verbatim { color: $text-success; text-style: bold; }
    TextView > .text-view--altered { color: $text-warning; text-style: bold; }
    TextView > .text-view--not-found { color: $text-error; text-style: bold; }
    TextView > .text-view--not-checked { color: $text-muted; text-style: italic; }
    TextView > .text-view--unmatched { text-style: italic; }
    TextView > .text-view--current { text-style: bold underline; }
    TextView > .text-view--passage { background: $warning 35%; }
    TextView > .text-view--skipped { color: $text-muted; text-style: dim strike; }
    TextView > .text-view--evidence { background: $accent 30%; }
    TextView > .text-view--find { background: $secondary; color: $text; }
    TextView > .text-view--framing { color: $text-warning; text-style: bold underline; }
    TextView > .text-view--framing-neutral { text-style: underline; }
    """

    class Clicked(Message):
        """The user clicked on the character at `offset` of the text."""

        def __init__(self, view: TextView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> TextView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = ""
        self._raw: str | None = None
        self._lines: list[tuple[int, int]] = [(0, 0)]
        self._line_starts: list[int] = [0]
        self._wrapped_width = 0
        self._highlights: list[Highlight] = []
        self._given: list[Highlight] = []
        self._found: list[Highlight] = []
        self._find_term = ""
        self._find_from = 0
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._pending_offset: int | None = None

    @property
    def text(self) -> str:
        return self._text

    def shows(self, text: str) -> bool:
        """Whether `text` (the very object, uncleaned) is what the view shows: spares a re-wrap."""
        return self._raw is text

    @property
    def wrapped_lines(self) -> int:
        return len(self._lines)

    def set_text(self, text: str) -> None:
        """Show `text` (cleaned here, length-preserving, so offsets stay valid)."""
        self._raw = text
        self._text = safe_text(text)
        self._highlights, self._given, self._found = [], [], []
        self._find_from = 0
        self._wrapped_width = 0
        self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    @property
    def find_term(self) -> str:
        """The last term `find` looked for."""
        return self._find_term

    @property
    def highlights(self) -> list[Highlight]:
        """What is highlighted now: the given highlights, then the find hits."""
        return self._highlights

    def set_highlights(self, highlights: list[Highlight]) -> None:
        """Highlight `highlights` (the find hits of `find` stay until the text changes)."""
        self._given = list(highlights)
        self._paint()

    def _paint(self) -> None:
        self._highlights = sorted(self._given + self._found, key=lambda h: h.start)
        self._cache.clear()
        self.refresh()

    def find(self, term: str) -> tuple[int, int] | None:
        """Highlight every occurrence of `term` (case-insensitive) and scroll to the next one.

        Repeating the same term moves on to the next match, wrapping. Returns (which match, of how many),
        or None when `term` is not in the text. At most `MAX_FIND_HITS` matches are highlighted.
        """
        if term != self._find_term:
            self._find_term, self._find_from = term, 0
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        hits = [m.span() for m in itertools.islice(pattern.finditer(self._text), MAX_FIND_HITS)]
        self._found = [Highlight(start, end, "find") for start, end in hits]
        self._paint()
        if not hits:
            return None
        number = next((i for i, (start, _) in enumerate(hits) if start >= self._find_from), 0)
        start = hits[number][0]
        self._find_from = start + 1
        self.scroll_to_offset(start)
        return number + 1, len(hits)

    def line_of(self, offset: int) -> int:
        """The visual line that shows character `offset`."""
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def offset_at(self, line: int, column: int) -> int:
        """The character offset under visual `line`, `column` (clamped to the line)."""
        line = min(max(line, 0), len(self._lines) - 1)
        start, end = self._lines[line]
        cells = 0
        for offset in range(start, end):
            cells += get_character_cell_size(self._text[offset])
            if cells > column:
                return offset
        return end

    def scroll_to_offset(self, offset: int, *, context: float = 0.3) -> None:
        """Bring `offset` into view with about `context` of the pane above it (the lead-in stays visible)."""
        if self.size.height == 0:
            self._pending_offset = offset
            return
        line = self.line_of(offset)
        top = max(0, line - int(self.scrollable_content_region.height * context))
        # force: right after `set_text` the scrollbar is not laid out yet, and Textual ignores a
        # scroll on a widget that (so far) shows no scrollbar; the target is still clamped to the text.
        self.scroll_to(y=top, animate=False, immediate=True, force=True)

    # -- text selection (Textual's public API) ---------------------------------------------------

    def selected_span(self, selection: Selection) -> tuple[int, int]:
        """(start, end) character offsets into the text of `selection` (offsets from `apply_offsets`:
        character column, visual line; None is the text's start or end)."""
        start = 0 if selection.start is None else self._offset_of(selection.start.y, selection.start.x)
        end = len(self._text) if selection.end is None else self._offset_of(selection.end.y, selection.end.x)
        return (start, end) if start <= end else (end, start)

    def _offset_of(self, line: int, column: int) -> int:
        if line >= len(self._lines):
            return len(self._text)
        start, end = self._lines[max(0, line)]
        return min(start + max(0, column), end)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The words under `selection`, and what ends them when the selection spans widgets."""
        if not self._text:
            return None
        start, end = self.selected_span(selection)
        return self._text[start:end], "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._cache.clear()
        self.refresh()

    def visible_lines(self) -> list[str]:
        """The plain text of the lines currently on screen (for tests and find)."""
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        return [self._text[s:e] for s, e in self._lines[top : top + height]]

    # -- layout -------------------------------------------------------------------------------

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(10, width)

    def _rewrap(self) -> None:
        width = self._content_width()
        if width == self._wrapped_width and self._lines:
            return
        self._wrapped_width = width
        self._lines = wrap_offsets(self._text, width) or [(0, 0)]
        self._line_starts = [start for start, _ in self._lines]
        self._cache.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        anchor = self._lines[min(self.scroll_offset.y, len(self._lines) - 1)][0]
        self._rewrap()
        if self._pending_offset is not None:
            offset, self._pending_offset = self._pending_offset, None
            self.call_after_refresh(self.scroll_to_offset, offset)
        else:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True, force=True)

    def on_click(self, event: events.Click) -> None:
        if not self._text:
            return
        line = self.scroll_offset.y + event.y
        if line < len(self._lines):
            self.post_message(self.Clicked(self, self.offset_at(line, event.x)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # -- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        key = (line, width)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._render_text_line(line, width)
            self._cache[key] = cached
        return cached

    def _render_text_line(self, line: int, width: int) -> Strip:
        base = self.rich_style
        if line >= len(self._lines):
            return Strip.blank(width, base)
        start, end = self._lines[line]
        highlights = self._highlights
        selection = self.text_selection
        if selection is not None:
            sel_start, sel_end = self.selected_span(selection)
            highlights = [*highlights, Highlight(sel_start, sel_end, "selection")]
        covering = [h for h in highlights if h.start < max(end, start + 1) and h.end > start]
        if not covering:
            segments = [Segment(self._text[start:end], base)]
        else:
            cuts = {start, end}
            for h in covering:
                cuts.add(min(max(h.start, start), end))
                cuts.add(min(max(h.end, start), end))
            points = sorted(cuts)
            segments = []
            for left, right in pairwise(points):
                style = base
                for h in covering:
                    if h.start <= left and h.end >= right:
                        style = style + self._style_for(h.kind)
                segments.append(Segment(self._text[left:right], style))
            # a highlight that spans a wrapped line break colours the break too
            if end < len(self._text) and any(h.start <= end < h.end for h in covering):
                style = base
                for h in covering:
                    if h.start <= end < h.end:
                        style = style + self._style_for(h.kind)
                segments.append(Segment(" ", style))
        return Strip(segments).adjust_cell_length(width, base).apply_offsets(0, line)

    def _style_for(self, kind: str) -> Style:
        if kind == "selection":
            return self.screen.get_component_rich_style("screen--selection")
        return self.get_component_rich_style(f"text-view--{kind}", partial=True)
