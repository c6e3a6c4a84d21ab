"""What a run of the fetcher may do (`FetchConfig`) and what it hands back per source (`SourceOutcome`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from ... import __version__
from ..budget import MAX_BODY_BYTES
from ..models import FetchResult, Source

ExtractMode = Literal["process", "inline"]


def _env_number(name: str, default: float) -> float:
    """A limit from the environment (e.g. SOURCECHECK_EXTRACT_SECONDS=5), else the default."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class FetchConfig:
    global_limit: int = 64
    per_host_limit: int = 6
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = MAX_BODY_BYTES  # the one body budget (core.budget), decoded bytes
    max_redirects: int = 10
    allow_private: bool = False
    offline: bool = False
    refresh: bool = False
    user_agent: str = f"sourcecheck/{__version__} (+article source checker)"
    # Where extraction runs: "process" is the sandbox (core/sandbox/), a process per body with the
    # limits below; "inline" runs it in the calling thread, for tests only (nothing could stop it).
    extract_mode: ExtractMode = "process"
    # `file://` URLs of the local files the user attached as sources: the only files ever read
    local_files: frozenset[str] = frozenset()
    # Memento (RFC 7089): the TimeGate asked for an archived copy of a source that failed for good (the
    # original URL is appended to it), None to never ask; and the Accept-Datetime sent (RFC 1123, e.g.
    # "Tue, 04 Mar 2025 00:00:00 GMT"; None = now)
    memento_timegate: str | None = None
    accept_datetime: str | None = None
    # Per body: CPU seconds, and memory (MB) the extraction may add. A typical news page takes 0.02-0.2 s
    # and 10-20 MB, a 5 MB Wikipedia page 3-4 s and 180 MB (bench/sandbox.py); a 12 KB PDF can ask for
    # minutes and a 14 MB page of links for gigabytes.
    extract_seconds: float = field(default_factory=lambda: _env_number("SOURCECHECK_EXTRACT_SECONDS", 20.0))
    extract_memory_mb: int = field(
        default_factory=lambda: int(_env_number("SOURCECHECK_EXTRACT_MEMORY_MB", 256))
    )


@dataclass(frozen=True)
class SourceOutcome:
    url: str
    result: FetchResult  # always present (error results carry .error)
    source: Source | None  # readable text when extraction worked
    error: str | None  # one sentence (fetch or extraction failure); None when source is set
