"""Fetch every linked source concurrently, politely and safely, and turn each into readable text.

One shared httpx.AsyncClient; a global and a per-host limit on parallel requests; redirects followed
by hand so every hop passes the network policy and lands in the evidence archive; bodies read as a
stream and cut at a size cap (also after decompression, so a gzip bomb cannot fill memory).
Every failure becomes a SourceOutcome with one sentence a person can act on: nothing here raises
for a bad source.

Modules: `config` (FetchConfig, SourceOutcome), `client` (one source: redirects, limits, the capped
body (read through `core.budget`), the archive), `messages` (one sentence per failure), `pool` (where
extraction runs), `sources` (`fetch_sources`, all of an article's sources at once).
"""

from .client import REDIRECT_STATUSES, RequestLimits, now_iso
from .config import ExtractMode, FetchConfig, SourceOutcome
from .messages import OFFLINE_MISSING, network_error, status_error
from .pool import PROCESS_MIN_BYTES, extract_async, shutdown_extract_pool
from .sources import fetch_sources

__all__ = [
    "OFFLINE_MISSING",
    "PROCESS_MIN_BYTES",
    "REDIRECT_STATUSES",
    "ExtractMode",
    "FetchConfig",
    "RequestLimits",
    "SourceOutcome",
    "extract_async",
    "fetch_sources",
    "network_error",
    "now_iso",
    "shutdown_extract_pool",
    "status_error",
]
