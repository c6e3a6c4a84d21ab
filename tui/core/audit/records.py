"""The records of an audit: what to check (ArticleSpec), what came back (ArticleResult), what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import SourcecheckError

ArticleState = Literal["pending", "running", "done", "failed"]


class AuditError(SourcecheckError):
    """The audit cannot go on as asked (unusable input list, database in use); one sentence for the user."""


@dataclass(frozen=True)
class ArticleSpec:
    """One article of an audit: `location` as the user gave it (path or URL), `key` its identity
    (`tui.core.locations.article_key`: the URL, or the file's absolute path), which the notes use too."""

    location: str
    key: str


@dataclass(frozen=True)
class ArticleResult:
    """What the per-article function returns, on this machine or from a Dask worker.

    `state` "done" carries the report (the `check --format json` object) and its counts
    (`tui.core.report.report_counts`); "failed" carries `error`, one sentence saying why the article
    could not be checked. `seconds` is wall time on the worker; `sources` distinct sources asked for.
    """

    location: str
    key: str
    state: Literal["done", "failed"]
    error: str | None = None
    title: str | None = None
    report: dict[str, Any] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    sources: int = 0
    archive: str | None = None  # the evidence archive this article's sources went to
    worker: str = ""  # "local", or the Dask worker that ran it


@dataclass(frozen=True)
class AuditRow:
    """One article as the audit database holds it (without its report, which is loaded on demand)."""

    id: int
    position: int  # order of first appearance in the audit's inputs
    location: str
    key: str
    state: ArticleState
    attempts: int
    runs: int  # how many times a result was recorded (1 unless rerun with --again)
    title: str | None
    error: str | None
    counts: dict[str, int]
    seconds: float | None
    finished_at: str | None
    archive: str | None
    worker: str | None
