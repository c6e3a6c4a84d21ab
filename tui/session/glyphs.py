"""The marks the reader draws, with what each means: one table read by the claims list and by help.

A source's fetch state (`FETCH_GLYPHS`), a quote's standing (`QUOTE_GLYPHS`, keyed like `Row.marks()`), the
row of quotes with no link and a note or verdict. `tone` names a colour role (the faces map it to their
theme: `tui/widgets/tones.py`); the meaning's words for a status and a verdict come from `tui.core.status`
and `tui.core.notes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from ..core.notes import VERDICT_KEYS, VERDICT_LABELS, VERDICTS
from ..core.status import NOT_CHECKED_REASON, STATUS_LABELS
from .rows import FetchState, Mark

Tone = Literal["plain", "muted", "accent", "success", "warning", "error", "primary"]


@dataclass(frozen=True)
class Glyph:
    """One mark: the character drawn, its colour role, and what it means (for help)."""

    char: str
    tone: Tone
    meaning: str


SPINNER: Final = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"  # a source being fetched: one frame after another
FETCH_GLYPHS: Final[dict[FetchState, Glyph]] = {
    "queued": Glyph("·", "muted", "source queued"),
    "fetching": Glyph(SPINNER[0], "accent", "source being fetched"),
    "ok": Glyph("●", "success", "source fetched"),
    "error": Glyph("✗", "error", "source failed (select it to see why and what to do)"),
    "skipped": Glyph("–", "muted", "nothing to fetch (fragment, mailto, no-fetch mode)"),
}
QUOTE_GLYPHS: Final[dict[Mark, Glyph]] = {
    "verbatim": Glyph("✓", "success", f"a quote found {STATUS_LABELS['verbatim']}"),
    "altered": Glyph(
        "≈", "warning", f"a quote found {STATUS_LABELS['altered']} (words changed, added or dropped)"
    ),
    "not_found": Glyph("✗", "error", f"a quote {STATUS_LABELS['not_found']} in the source"),
    "not_checked": Glyph(
        "○",
        "muted",
        f"a quote {STATUS_LABELS['not_checked']}: {NOT_CHECKED_REASON} (stripped or failed link)",
    ),
    "pending": Glyph("…", "muted", "a quote waiting for its source"),
}
UNLINKED_GLYPH: Final = Glyph("?", "warning", "quotes with no link: the last row, one entry for all of them")
NOTE_GLYPH: Final = Glyph(
    "✎",
    "primary",
    "a note or verdict ("
    + ", ".join(f"{VERDICT_KEYS[v]} {VERDICT_LABELS[v].lower()}" for v in VERDICTS)
    + "; the digits after it are the verdicts)",
)
