"""JSON export: the `check` report, unchanged, with the notes attached where they belong."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from ..notes import AnchoredNote
from .placement import Placement, note_dict


def export_json(report: dict, anchored: Sequence[AnchoredNote]) -> dict:
    """The report, unchanged, plus a "notes" list on every link and quote and the orphaned notes."""
    out = copy.deepcopy(report)
    placed = Placement(report, anchored)
    for link in out.get("links", []):
        link["notes"] = [note_dict(a) for a in placed.link_notes(link["index"])]
        for qi, q in enumerate(link.get("quotes", [])):
            q["notes"] = [note_dict(a) for a in placed.quote_notes(link["index"], qi)]
    for qi, q in enumerate(out.get("unattributed_quotes", [])):
        q["notes"] = [note_dict(a) for a in placed.quote_notes(None, qi)]
    out["article_notes"] = [note_dict(a) for a in placed.article]
    out["orphaned_notes"] = [note_dict(a) for a in placed.orphaned]
    verdicts: dict[str, int] = {}
    for a in anchored:
        if a.note.verdict:
            verdicts[a.note.verdict] = verdicts.get(a.note.verdict, 0) + 1
    out["notes_summary"] = {
        "total": len(anchored),
        "orphaned": len(placed.orphaned),
        "verdicts": dict(sorted(verdicts.items())),
    }
    return out
