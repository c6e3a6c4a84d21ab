"""The start picker: bundled sample articles and recently opened ones, or any path/URL typed in.

Recently opened articles are kept in `recent.json` in the data directory (newest first, at most 20):
an article belongs there as soon as it is opened, whether or not it has notes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

import tui

from ..core import locations
from ..core.safe_text import one_line
from ..messages import OpenArticle

RECENT_LIMIT = 20


@dataclass(frozen=True)
class Choice:
    location: str
    title: str
    kind: str  # "sample" | "recent"


def samples_dir() -> Path:
    return Path(tui.__file__).resolve().parent.parent / "sample_articles"


def _title_of(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("# "):
                    return line[2:].strip()
                if line.strip():
                    break
    except OSError:
        pass
    return path.stem.replace("-", " ").replace("_", " ")


def sample_choices() -> list[Choice]:
    folder = samples_dir()
    if not folder.is_dir():
        return []
    articles = [p for p in sorted(folder.glob("*.md")) if p.stem.lower() != "readme"]
    return [Choice(str(p), _title_of(p), "sample") for p in articles]


def recent_path() -> Path:
    return locations.data_dir() / "recent.json"


def load_recent() -> list[Choice]:
    """Recently opened articles; a missing or damaged file is simply an empty list."""
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
        return [Choice(str(e["location"]), str(e.get("title") or e["location"]), "recent") for e in data][
            :RECENT_LIMIT
        ]
    except (OSError, ValueError, TypeError, KeyError):
        return []


def remember(location: str, title: str | None) -> None:
    """Put an article at the top of the recent list (best effort: a read-only data dir is not an error)."""
    key = locations.article_key(location)
    entries = [{"location": c.location, "title": c.title} for c in load_recent() if c.location != key]
    entries.insert(0, {"location": key, "title": title or key})
    path = recent_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entries[:RECENT_LIMIT], indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


class PickerScreen(Screen[None]):
    """Choose what to read: enter opens the highlighted article, or type a path or URL."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit"),
        Binding("slash,o", "focus_input", "Open path/URL"),
    ]

    def compose(self) -> ComposeResult:
        self._choices: list[Choice] = []
        with Vertical(id="picker"):
            yield Static(Content.styled("sourcecheck — pick an article to check", "bold"), id="picker-title")
            yield OptionList(id="picker-list")
            yield Input(placeholder="or type a path or an http(s) URL and press enter", id="picker-input")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#picker-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self._fill()  # back from a reader: that article is now the most recent

    def _fill(self) -> None:
        self._choices = load_recent() + sample_choices()
        options: list[Option | None] = []
        for kind, heading in (("recent", "Recently opened"), ("sample", "Sample articles")):
            group = [(i, c) for i, c in enumerate(self._choices) if c.kind == kind]
            if not group:
                continue
            if options:
                options.append(None)
            options.append(Option(Content.styled(heading, "bold $text-accent"), disabled=True))
            for i, choice in group:
                where = choice.location if kind == "recent" else Path(choice.location).name
                title = (one_line(choice.title), "bold")
                label = Content.assemble(title, "\n  ", (one_line(where), "$text-muted"))
                options.append(Option(label, id=f"choice-{i}"))
        if not options:
            empty = Content("No samples or recent articles: type a path or URL below.")
            options.append(Option(empty, disabled=True))
        listing = self.query_one("#picker-list", OptionList)
        listing.set_options(options)
        for index, option in enumerate(listing.options):
            if not option.disabled:
                listing.highlighted = index
                break

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("choice-"):
            self.post_message(OpenArticle(self._choices[int(option_id.removeprefix("choice-"))].location))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.post_message(OpenArticle(event.value.strip()))

    def action_focus_input(self) -> None:
        self.query_one("#picker-input", Input).focus()
