"""An audit database seen from the reader: its articles, most attention first, each one openable.

`sourcecheck audit.sqlite3` shows this list (the screen is `tui.screens.audit_list`); Enter opens the
article in the reader with the audit's own evidence archive, so the reader shows what the audit saw without
fetching the sources again. The order and the counts are the core's (`tui.core.audit.summary`,
`tui.core.report.report_counts`); this module only turns them into lines to draw.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..core.audit.db import reading
from ..core.audit.records import AuditRow
from ..core.audit.summary import STATES, attention, by_attention
from ..core.options import CheckOptions
from ..core.safe_text import one_line

# What the list says about an article's counts, in this order, when not zero.
_COUNT_WORDS: tuple[tuple[str, str], ...] = (
    ("altered", "altered"),
    ("not_found", "not found"),
    ("dead_links", "dead links"),
    ("sources_failed", "failed sources"),
    ("not_checked", "not checked"),
    ("unattributed_altered", "altered (no link)"),
    ("unattributed_not_found", "not found (no link)"),
    ("unattributed_not_checked", "not checked (no link)"),
    ("framing_cues", "framing cues"),
)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the list: what to show, and what opening it needs."""

    key: str
    location: str  # as the audit was given it: what the reader opens
    where: str  # the location, safe to draw (one line)
    title: str  # safe to draw (one line)
    detail: str  # counts or the failure, safe to draw (one line)
    state: str
    attention: int
    archive: Path | None  # the evidence archive the audit wrote this article's sources to


def entry_for(row: AuditRow) -> AuditEntry:
    """The list's line for one stored article."""
    if row.state == "done":
        c = row.counts
        said = [f"{c[k]} {words}" for k, words in _COUNT_WORDS if c.get(k)]
        unlinked = f" (+{c['unattributed']} with no link)" if c.get("unattributed") else ""
        head = f"{c.get('claims', 0)} claims, {c.get('quotes', 0)} quotes{unlinked}"
        detail = head + (": " + ", ".join(said) if said else ": nothing to look at")
    elif row.state == "failed":
        detail = "could not be checked: " + (row.error or "no reason recorded")
    else:
        detail = STATES[row.state]
    return AuditEntry(
        key=row.key,
        location=row.location,
        where=one_line(row.location),
        title=one_line(row.title or row.location),
        detail=one_line(detail),
        state=row.state,
        attention=attention(row),
        archive=Path(row.archive) if row.archive else None,
    )


class AuditListing:
    """The articles of the audit database at `path`; `load()` (again) reads them, read-only.

    Raises `tui.core.audit.records.AuditError` (one sentence) when the file is not an audit database.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[AuditEntry] = []

    def load(self) -> list[AuditEntry]:
        """Read the database (an audit may still be adding to it) and order the articles for the list."""
        with reading(self.path) as db:
            rows = db.rows()
        self.entries = [entry_for(r) for r in by_attention(rows)]
        return self.entries

    def heading(self) -> str:
        """One line over the list: how many articles, in which states."""
        states = {s: sum(e.state == s for e in self.entries) for s in STATES}
        parts = [f"{states['done']} checked"]
        if states["failed"]:
            parts.append(f"{states['failed']} could not be checked")
        if states["pending"] + states["running"]:
            parts.append(f"{states['pending'] + states['running']} not checked yet")
        return one_line(f"Audit {self.path.name}: {len(self.entries)} articles, " + ", ".join(parts))

    @staticmethod
    def options_for(entry: AuditEntry, base: CheckOptions) -> CheckOptions:
        """How the reader opens `entry`: with the audit's archive when it is still there (else as usual)."""
        if not base.use_archive or entry.archive is None or not entry.archive.exists():
            return base
        return replace(base, archive_path=entry.archive)
