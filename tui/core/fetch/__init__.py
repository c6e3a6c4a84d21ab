"""Fetch every linked source concurrently, politely and safely, and turn each into readable text.

One shared httpx.AsyncClient; a global and a per-host limit on parallel requests; redirects followed
by hand so every hop passes the network policy and lands in the evidence archive; bodies read as a
stream and cut at a size cap (also after decompression, so a gzip bomb cannot fill memory).
Every failure becomes a SourceOutcome with one sentence a person can act on: nothing here raises
for a bad source.

Modules: `config` (FetchConfig, SourceOutcome), `client` (one source: redirects, limits, the capped
body (read through `core.budget`), the archive), `messages` (one sentence per failure), `pool` (where
extraction runs: core/sandbox, a process per body with time and memory limits), `sources`
(`fetch_sources`, all of an article's sources at once).
"""

from __future__ import annotations

import importlib
from typing import Any

# Each name is imported from its module on first use: `from tui.core.fetch.config import FetchConfig`
# (or the pipeline's options) must not pull in httpx, which a --no-fetch run never needs.
_WHERE = {
    "REDIRECT_STATUSES": "client",
    "RequestLimits": "client",
    "now_iso": "client",
    "ExtractMode": "config",
    "FetchConfig": "config",
    "SourceOutcome": "config",
    "OFFLINE_MISSING": "messages",
    "network_error": "messages",
    "status_error": "messages",
    "extract_async": "pool",
    "shutdown_extract_pool": "pool",
    "fetch_sources": "sources",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
