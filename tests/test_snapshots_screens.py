"""Snapshots of the screens around the reader: an audit's list of articles (`sourcecheck audit.sqlite3`) and
the one-line prompt of `s` (attach a source) and `l` (the published version). Deterministic: the audit
database is written from fixed results (no run, no ports, no clocks), the reader runs the fake pipeline.

Update after an intended visual change with `pytest tests/test_snapshots_screens.py --snapshot-update` and
look at the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_snapshots import make_app, run_then
from textual.widgets import Input

from tui.app import SourcecheckApp
from tui.core.audit.db import AuditDB
from tui.core.audit.records import ArticleResult, ArticleSpec
from tui.core.pipeline import CheckOptions
from tui.screens.prompt import PromptScreen

CLEAN = {"claims": 4, "quotes": 3, "verbatim": 3, "sources_read": 4, "unattributed": 0}
# (location, title, state, counts or error): one of each thing the list tells apart
ARTICLES: list[tuple[str, str | None, str, dict[str, int] | str | None]] = [
    ("https://news.example/2025/03/harbour-bridge", "The harbour bridge will stay open", "done", CLEAN),
    (
        "https://news.example/2025/03/water-bills",
        "Water bills: what the council promised",
        "done",
        {**CLEAN, "verbatim": 1, "altered": 2, "sources_failed": 1, "dead_links": 1, "framing_cues": 2},
    ),
    (
        "https://news.example/2025/04/pier",
        "The mayor and the pier",
        "done",
        {
            "claims": 0,
            "quotes": 0,
            "unattributed": 2,
            "unattributed_not_checked": 1,
            "unattributed_not_found": 1,
        },
    ),
    ("https://news.example/2025/04/gone", None, "failed", "HTTP 404: the page is not there (Not Found)."),
    ("https://news.example/2025/05/next", None, "pending", None),
]


@pytest.fixture
def audit_db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    with AuditDB.open(path) as db:
        specs = [ArticleSpec(location, location) for location, *_ in ARTICLES]
        db.add(specs)
        for spec, (_, title, state, what) in zip(specs, ARTICLES, strict=True):
            if state == "pending":
                continue
            db.mark_started(spec.key)
            counts = what if isinstance(what, dict) else {}
            error = what if isinstance(what, str) else None
            report = {"article": {"title": title}} if state == "done" else None
            db.record(
                ArticleResult(
                    spec.location, spec.key, state, error=error, title=title, report=report, counts=counts
                )  # type: ignore[arg-type]
            )
    return path


def test_audit_list(snap_compare, audit_db: Path) -> None:
    """Most attention first, with counts or why it could not be checked; quotes with no link count."""
    app = SourcecheckApp(None, CheckOptions(), audit=audit_db)
    assert snap_compare(app, terminal_size=(100, 24))


def prompt_after(*keys: str):
    """`run_then(*keys)`, then the prompt's cursor held still (a blinking cursor is drawn or not by the
    clock, which a snapshot must not depend on)."""
    before = run_then(*keys)

    async def run_before(pilot) -> None:
        await before(pilot)
        assert isinstance(pilot.app.screen, PromptScreen)
        field = pilot.app.screen.query_one(Input)
        field.cursor_blink = False
        await pilot.pause()

    return run_before


def test_attach_prompt(snap_compare) -> None:
    """`s` on a claim: the prompt over the reader, an address typed in."""
    keys = ["j", "s", *"https://ledger.example/a"]
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=prompt_after(*keys))


def test_links_from_prompt(snap_compare) -> None:
    """`l`: where the article's published version is, empty."""
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=prompt_after("l"))
