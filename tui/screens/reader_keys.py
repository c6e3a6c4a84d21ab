"""The reader's keys and its command palette: one `Binding` per action, its tooltip the long title.

The footer shows the short description; help, the footer's tooltips and the palette show the tooltip.
The palette `Provider` offers every binding of the screen; choosing one that does not apply says why
(`ReaderSession.why_not`) instead of doing nothing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..core.notes import VERDICT_KEYS, VERDICT_LABELS, VERDICTS

if TYPE_CHECKING:
    from .reader import ReaderScreen

VERDICT_ALIASES = {"accurate": ("a",)}  # keys beside `notes.VERDICT_KEYS`, whose words are `VERDICT_LABELS`
# Footer labels are short and the most used come first (80 columns cut the end of the footer).
BINDINGS: list[BindingType] = [
    Binding("j,down", "next_claim", "Claim", key_display="j/k", id="next_claim", tooltip="Next claim"),
    Binding("k,up", "prev_claim", "Previous claim", show=False, id="prev_claim", tooltip="Previous claim"),
    Binding(
        "n",
        "next_quote",
        "Quote",
        key_display="n/p",
        id="next_quote",
        tooltip="Next quote, then the claim itself (no quote: next passage)",
    ),
    Binding(
        "p",
        "prev_quote",
        "Previous quote",
        show=False,
        id="prev_quote",
        tooltip="Previous quote, or the claim itself",
    ),
    Binding("e", "edit_note", "Note", id="edit_note", tooltip="Edit the note"),
    Binding("question_mark", "help", "Help", key_display="?", id="help", tooltip="Help: keys and marks"),
    Binding(
        "f", "toggle_filter", "Filter", id="toggle_filter", tooltip="Filter: only claims needing attention"
    ),
    Binding(
        "c",
        "toggle_framing",
        "Framing",
        show=False,
        id="toggle_framing",
        tooltip="Filter: only claims with framing cues",
    ),
    Binding("slash", "find", "Find", key_display="/", id="find", tooltip="Find in source"),
    Binding("x", "export", "Export", id="export", tooltip="Export the markdown report"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit (notes are saved first)"),
    Binding("o", "open_source", "Open", id="open_source", tooltip="Open the source in the browser"),
    Binding("r", "refetch", "Refetch", id="refetch", tooltip="Refetch the source"),
    Binding(
        "s",
        "attach_source",
        "Source",
        id="attach_source",
        tooltip="Attach a source by hand: a web address or a saved file (a quote with no link: or a link)",
    ),
    Binding(
        "W",
        "search_web",
        "Search web",
        show=False,
        id="search_web",
        tooltip="Search the web for this exact quote",
    ),
    Binding(
        "l",
        "links_from",
        "Links from",
        show=False,
        id="links_from",
        tooltip="Restore stripped links from the article's published version",
    ),
    Binding(
        "w",
        "open_archived",
        "Archived copy",
        show=False,
        id="open_archived",
        tooltip="Open an archived copy (Wayback Machine)",
    ),
    *(
        Binding(
            ",".join((VERDICT_KEYS[v], *VERDICT_ALIASES.get(v, ()))),
            f"verdict('{v}')",
            VERDICT_LABELS[v],
            show=False,
            id=f"verdict_{v}",
            tooltip=f"Verdict: {VERDICT_LABELS[v].lower()}",
        )
        for v in VERDICTS
    ),
    Binding("0", "verdict('')", "Clear verdict", show=False, id="verdict_clear", tooltip="Clear the verdict"),
    Binding("tab", "app.focus_next", "Switch pane", show=False, id="switch_pane", tooltip="Switch pane"),
    Binding("escape", "back", "Back", show=False, id="back", tooltip="Back to the list of articles"),
]
KEY_NAMES = {"question_mark": "?", "slash": "/", "down": "↓", "up": "↑"}


def title_of(binding: Binding) -> str:
    """What an action does, in words: the tooltip, else the footer's description."""
    return binding.tooltip or binding.description


def key_of(binding: Binding) -> str:
    """The keys of a binding as a person types them (`j, ↓`)."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def reader_bindings() -> list[Binding]:
    return [b for b in BINDINGS if isinstance(b, Binding)]


def action_keys() -> dict[str, str]:
    """Action name -> the key to show beside it where the session offers it (its first binding's first
    key; `verdict`: the range of the verdict keys, "1-5")."""
    keys: dict[str, str] = {}
    for binding in reader_bindings():
        first = binding.key.split(",")[0].strip()
        keys.setdefault(binding.action.split("(")[0], KEY_NAMES.get(first, first))
    digits = sorted(VERDICT_KEYS.values())
    keys["verdict"] = f"{digits[0]}-{digits[-1]}"
    return keys


class ReaderCommands(Provider):
    """Every reader action in the command palette (ctrl+p), with its key as help."""

    def _commands(self) -> list[tuple[str, str, partial]]:
        screen: ReaderScreen = self.screen  # type: ignore[assignment]
        return [
            (title_of(b), f"key: {key_of(b)}", partial(screen.run_or_explain, b.action))
            for b in reader_bindings()
            if not b.action.startswith("app.")
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
