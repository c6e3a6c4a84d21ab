"""The audit's summary: one row of counts per article, in three forms (a table, JSON, CSV), and the one
order of "what needs attention first" that the table, the HTML index and the reader's list share."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ..safe_text import escape_json_text, one_line
from ..status import QUOTE_STATUSES
from .records import AuditRow

# The per-article counts, in the order the table and the CSV show them (keys of report_counts()),
# with their label and the table's short header.
COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("claims", "claims"),
    ("quotes", "quotes"),
    ("verbatim", "verbatim"),
    ("altered", "altered"),
    ("not_found", "not found"),
    ("not_checked", "not checked"),
    ("dead_links", "dead links"),
    ("sources_failed", "failed sources"),
    ("archived_copies", "archived copies"),
)
FRAMING_COLUMN = ("framing_cues", "framing cues")
# The quotes with no link, by status (added after the others: the columns above keep their meaning).
UNLINKED_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (f"unattributed_{key}", f"{label}, no link") for key, label in COUNT_COLUMNS if key in QUOTE_STATUSES
)
_HEADERS = {
    "claims": "claims", "quotes": "quotes", "verbatim": "verbatim", "altered": "altered",
    "not_found": "notfound", "not_checked": "unchecked", "dead_links": "dead", "sources_failed": "failed",
    "archived_copies": "archived", "framing_cues": "framing",
}  # fmt: skip
STATES = {"done": "checked", "failed": "failed", "pending": "not checked yet", "running": "in progress"}


# What needs a person, from the counts: altered and missing quotes and failed sources (dead or not); of
# the quotes with no link, also those that could not be searched (no source says they were ever said).
_ATTENTION_KEYS = (
    "altered", "not_found", "sources_failed",
    "unattributed_altered", "unattributed_not_found", "unattributed_not_checked",
)  # fmt: skip


def attention(row: AuditRow) -> int:
    """How much of the article needs a person (`_ATTENTION_KEYS`), and the article itself when it could
    not be checked. 0 means nothing to look at."""
    score = sum(row.counts.get(key, 0) for key in _ATTENTION_KEYS)
    return score + (1 if row.state == "failed" else 0)


def altered(row: AuditRow) -> int:
    """Quotes altered, with a link or not."""
    return row.counts.get("altered", 0) + row.counts.get("unattributed_altered", 0)


def by_attention(rows: Sequence[AuditRow]) -> list[AuditRow]:
    """Most attention first: failed articles, then by `attention`, altered quotes breaking ties (a drifted
    quote matters more than a dead link), then the audit's own order."""
    return sorted(rows, key=lambda r: (r.state != "failed", -attention(r), -altered(r), r.position))


def columns(rows: Sequence[AuditRow]) -> list[tuple[str, str]]:
    """The count columns, with framing cues only when some article's report has them, then the quotes
    with no link by status."""
    extra = [FRAMING_COLUMN] if any(FRAMING_COLUMN[0] in r.counts for r in rows) else []
    return [*COUNT_COLUMNS, *extra, *UNLINKED_COLUMNS]


def summary_dict(rows: Sequence[AuditRow]) -> dict[str, Any]:
    """`audit --format json`: {"articles": [...]}, each with its location as given, state, title, error,
    and the counts (an article that was not checked has no counts)."""
    cols = columns(rows)
    articles = []
    for r in rows:
        entry: dict[str, Any] = {"location": r.location, "state": r.state, "title": r.title, "error": r.error}
        for key, _ in cols:
            entry[key] = r.counts.get(key) if r.state == "done" else None
        entry["unattributed"] = r.counts.get("unattributed") if r.state == "done" else None
        entry["sources_read"] = r.counts.get("sources_read") if r.state == "done" else None
        entry["seconds"] = round(r.seconds, 3) if r.seconds is not None else None
        articles.append(entry)
    totals = {key: sum(r.counts.get(key, 0) for r in rows) for key, _ in cols}
    states = {s: sum(r.state == s for r in rows) for s in STATES}
    return {"articles": articles, "totals": totals, "states": states}


def table_columns(rows: Sequence[AuditRow]) -> list[tuple[str, str]]:
    """The columns a table for people shows (terminal, HTML): the quotes with no link are in the status
    cells, after a + (`cell_count`), not columns of their own."""
    return [c for c in columns(rows) if c not in UNLINKED_COLUMNS]


def render_json(rows: Sequence[AuditRow]) -> str:
    return escape_json_text(json.dumps(summary_dict(rows), ensure_ascii=False, indent=2)) + "\n"


def render_csv(rows: Sequence[AuditRow]) -> str:
    """One line per article: location, state, title, the counts, error. Cells that a spreadsheet would
    run as a formula (starting with = + - @) get a leading apostrophe (OWASP's CSV injection advice)."""
    cols = columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["location", "state", "title", *(k for k, _ in cols), "error"])
    for r in rows:
        counts = [r.counts.get(k, "") if r.state == "done" else "" for k, _ in cols]
        writer.writerow([_cell(r.location), r.state, _cell(r.title or ""), *counts, _cell(r.error or "")])
    return out.getvalue()


def _cell(text: str) -> str:
    text = one_line(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_table(rows: Sequence[AuditRow], width: int | None = None) -> str:
    """The table for a terminal, most attention first. Article labels are cut to fit `width` columns
    when given (a terminal), whole otherwise (a file or a pipe)."""
    cols = table_columns(rows)
    head = "  ".join(f"{_HEADERS[k]:>9}" for k, _ in cols)
    label_width = max(30, width - len(head) - 2) if width else None
    lines = [f"{head}  ARTICLE"]
    for r in by_attention(rows):
        if r.state == "done":
            cells = "  ".join(f"{cell_count(r, k):>9}" for k, _ in cols)
        else:
            cells = f"{'(' + STATES[r.state] + ')':>{len(head)}}"
        label = one_line(f"{r.title} - {r.location}" if r.title else r.location)
        lines.append(f"{cells}  {_fit(label, label_width)}")
        if r.state == "failed" and r.error:
            lines.append(f"{'':>{len(head)}}    {_fit(one_line(r.error), label_width)}")
    legend = ", ".join(f"{_HEADERS[k]} = {label}" for k, label in cols if _HEADERS[k] != label)
    done = sum(r.state == "done" for r in rows)
    failed = sum(r.state == "failed" for r in rows)
    lines.append("")
    plus = any(r.counts.get(k) for r in rows for k, _ in UNLINKED_COLUMNS)
    legend += ", n+m = n quotes of links and m quotes with no link" if plus else ""
    lines.append(f"{len(rows)} article(s): {done} checked, {failed} failed. {legend}.")
    return "\n".join(lines) + "\n"


def cell_count(row: AuditRow, key: str) -> str:
    """A count for the table; a quote status adds the quotes with no link after a + when there are any."""
    count = row.counts.get(key, 0)
    unlinked = row.counts.get(f"unattributed_{key}", 0) if key in QUOTE_STATUSES else 0
    return f"{count}+{unlinked}" if unlinked else str(count)


def _fit(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "…"
