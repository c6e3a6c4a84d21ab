"""Kept so `tui.core.anchoring` still imports: re-anchoring lives in `tui.core.notes.anchoring`."""

from .notes.anchoring import CLAIM_FUZZY_MIN, QUOTE_FUZZY_MIN, anchor_notes, anchor_notes_to_report

__all__ = ["CLAIM_FUZZY_MIN", "QUOTE_FUZZY_MIN", "anchor_notes", "anchor_notes_to_report"]
