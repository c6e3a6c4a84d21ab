"""What a run of the fetcher may do (`FetchConfig`) and what it hands back per source (`SourceOutcome`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ... import __version__
from ..budget import MAX_BODY_BYTES
from ..models import FetchResult, Source

ExtractMode = Literal["process", "thread", "inline"]


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
    # Where extraction runs. bench/fetch.py, 50 typical pages on 2 cores: a process pool finished in
    # 2.5 s against 4.4 s for threads on a quiet machine (they tie when the cores are busy), and keeps
    # readability's CPU work off the GIL the reader's event loop needs. Bodies under PROCESS_MIN_BYTES
    # still go to a thread, so a small refetch pays no pool start-up. Cost: ~85 MB for the workers.
    extract_mode: ExtractMode = "process"
    # `file://` URLs of the local files the user attached as sources: the only files ever read
    local_files: frozenset[str] = frozenset()
    # Memento (RFC 7089): the TimeGate asked for an archived copy of a source that failed for good (the
    # original URL is appended to it), None to never ask; and the Accept-Datetime sent (RFC 1123, e.g.
    # "Tue, 04 Mar 2025 00:00:00 GMT"; None = now)
    memento_timegate: str | None = None
    accept_datetime: str | None = None


@dataclass(frozen=True)
class SourceOutcome:
    url: str
    result: FetchResult  # always present (error results carry .error)
    source: Source | None  # readable text when extraction worked
    error: str | None  # one sentence (fetch or extraction failure); None when source is set
