"""The audit's static HTML report: an index ordered by what needs attention, and one page per article with
each quote beside the source passage, the word diff, and the verdicts and notes from the reader.

Everything on these pages came from untrusted articles and sources, so escaping is total: the pages are
Jinja2 templates with autoescape on, and every value also passes `safe_text` (control and bidi characters
made visible) through the environment's `finalize` hook, so no interpolation can forget either. Links are
written only for http(s) addresses. A Content-Security-Policy meta tag (`default-src 'none'`, the one
stylesheet allowed by its hash) means a browser would neither run a script nor fetch anything even if an
escaping bug let markup through. No JavaScript is needed to read the report.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ... import __version__
from ..export import export_json
from ..files import write_text_atomically
from ..framing import describe, notable
from ..locations import is_url
from ..notes import VERDICT_LABELS, Note, NotesError, NoteStore
from ..notes.anchoring import anchor_notes_to_report
from ..safe_text import one_line, safe_text
from ..skipped import SKIPPED_LABELS, describe_skipped, passage_parts, report_diff_parts, report_pieces
from ..status import STATUS_LABELS, flag_label, report_quote_status
from .db import AuditDB
from .records import AuditError, AuditRow
from .summary import STATES, attention, by_attention, cell_count, summary_dict, table_columns

INDEX = "index.html"
ARTICLES_DIR = "articles"
_HOT = frozenset({"altered", "sources_failed"})  # index cells in red when not zero
_WARM = frozenset({"not_found", "dead_links"})


@cache
def _environment() -> Any:
    import jinja2  # imported here: only --html needs it

    def finalize(value: object) -> object:
        if isinstance(value, str) and not isinstance(value, jinja2.utils.markupsafe.Markup):
            return safe_text(value)
        return value

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tui.core.audit", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _style() -> tuple[str, str]:
    """The stylesheet and the CSP that allows exactly it (by its SHA-256, CSP level 2)."""
    css = resources.files("tui.core.audit").joinpath("templates/report.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
    return css, csp


def page_name(row: AuditRow) -> str:
    """The article page's file name: from the audit's own numbering, never from untrusted text."""
    return f"{ARTICLES_DIR}/article-{row.position + 1:05d}.html"


def safe_href(url: str | None) -> str | None:
    """`url` when a browser may follow it from the report (http or https only), else None."""
    if not url or not is_url(url) or any(ord(c) < 0x21 for c in url):
        return None
    return url


def write_report(
    db: AuditDB, rows: Sequence[AuditRow], out_dir: Path, *, notes_db: Path | None = None
) -> Path:
    """Write `out_dir/index.html` and one page per checked article; returns the index's path.

    `notes_db` is the reader's notes database (verdicts and notes are read from it, never written; a
    missing one means no notes). Raises AuditError when `out_dir` cannot be written.
    """
    env = _environment()
    css, csp = _style()
    import markupsafe

    common = {
        "css": markupsafe.Markup(css),
        "csp": markupsafe.Markup(csp),
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    cols = table_columns(rows)
    index_rows = []
    try:
        (out_dir / ARTICLES_DIR).mkdir(parents=True, exist_ok=True)
        with _notes(notes_db) as (notes_for, notes_error):
            for row in by_attention(rows):
                report = db.report(row.key) if row.state == "done" else None
                if report is not None:
                    report = export_json(report, anchor_notes_to_report(notes_for(row.key), report))
                page = page_name(row) if row.state in ("done", "failed") else None
                if page:
                    html = env.get_template("article.html").render(**common, **_article_context(row, report))
                    write_text_atomically(out_dir / page, html)
                verdicts = (report or {}).get("notes_summary", {}).get("verdicts", {})
                index_rows.append(
                    {
                        "state": row.state,
                        "state_word": STATES[row.state],
                        "attention": attention(row),
                        "page": page,
                        "label": one_line(row.title) if row.title else row.location,
                        "location": row.location,
                        "error": row.error,
                        "counts": row.counts,
                        "cells": {key: cell_count(row, key) for key, _ in cols},
                        "verdicts": ", ".join(f"{n} {VERDICT_LABELS[v]}" for v, n in verdicts.items()),
                    }
                )
        summary = summary_dict(rows)
        html = env.get_template("index.html").render(
            **common, rows=index_rows, columns=cols, totals=summary["totals"],
            states=summary["states"], hot=_HOT, warm=_WARM, notes_error=notes_error,
        )  # fmt: skip
        write_text_atomically(out_dir / INDEX, html)
    except OSError as exc:
        raise AuditError(f"Cannot write the HTML report in {out_dir} ({exc.strerror or exc}).") from exc
    return out_dir / INDEX


def _article_context(row: AuditRow, report: dict[str, Any] | None) -> dict[str, Any]:
    heading = one_line(row.title) if row.title else row.location
    context: dict[str, Any] = {
        "heading": heading,
        "location": row.location,
        "error": row.error,
        "report": report,
        "counts": row.counts,
        "citations": [],
        "others": [],
        "unattributed": [],
    }
    if report is None:
        return context
    context["unattributed"] = [{**_quote(q), **_skipped(q)} for q in report.get("unattributed_quotes", [])]
    for link in report["links"]:
        if link["role"] != "citation":
            context["others"].append(link)
            continue
        quotes = [{**_quote(q), **_skipped(q)} for q in link["quotes"]]
        context["citations"].append(
            {
                **link,
                "href": safe_href(link.get("url")),
                "quotes": quotes,
                "framing_lines": _framing_lines(link),
                "attention": link["fetch"]["status"] == "error"
                or any(q["css"] in _ATTENTION for q in quotes),
            }
        )
    return context


_ATTENTION = frozenset({"altered", "not_found"})


def _quote(q: dict[str, Any]) -> dict[str, Any]:
    status = report_quote_status(q)
    return {
        **q,
        "css": status,
        "word": STATUS_LABELS[status],
        "flag_words": [flag_label(f) for f in q.get("flags", [])],
        "framing_lines": _framing_lines(q),
        "prefix": _whole_words(q.get("prefix"), leading=True),
        "suffix": _whole_words(q.get("suffix"), leading=False),
    }


def _whole_words(context: str | None, *, leading: bool) -> str | None:
    """A passage's context without the word it cuts in half (the report keeps a fixed count of characters)."""
    if not context or not context.strip():
        return context
    if leading and not context[0].isspace():
        cut = context.split(None, 1)
        return cut[1] if len(cut) > 1 else ""
    if not leading and not context[-1].isspace():
        cut = context.rsplit(None, 1)
        return cut[0] if len(cut) > 1 else ""
    return context


def _skipped(q: dict[str, Any]) -> dict[str, Any]:
    """The quote's skipped pieces (`core.skipped`): the passage and the word diff cut into parts, each
    with the words for what it is when it is a skipped piece, and the line that names them all."""
    pieces = report_pieces(q)
    passage = q.get("source_text") or ""
    start = q.get("source_start") or 0
    return {
        "source_parts": [
            (text, SKIPPED_LABELS[piece.kind][0] if piece else None)
            for text, piece in passage_parts(passage, start, pieces)
        ],
        "diff_parts": [
            (op, text, SKIPPED_LABELS[kind][0] if kind else None) for op, text, kind in report_diff_parts(q)
        ],
        "skipped_line": describe_skipped(pieces),
    }


def _framing_lines(item: dict[str, Any]) -> list[str]:
    """The framing cues worth a look on a claim or a quotation, one phrase each (`core.framing`)."""
    return [describe(cue) for cue in notable(item.get("framing") or ())]


@contextlib.contextmanager
def _notes(path: Path | None) -> Iterator[tuple[Any, str | None]]:
    """A function key -> the article's notes, from the notes database opened read-only (none if absent),
    and the sentence saying why there are none when the database cannot be read (the report is still
    written, without them)."""
    if path is None or not path.exists():
        yield (lambda key: []), None
        return
    try:
        store = NoteStore.open(path, read_only=True)
    except NotesError as exc:  # the report is still worth having: it says the notes are missing
        yield (lambda key: []), f"Your verdicts and notes are not shown: {one_line(str(exc))}"
        return
    try:

        def notes_for(key: str) -> list[Note]:
            return store.notes_for(key)

        yield notes_for, None
    finally:
        store.close()
