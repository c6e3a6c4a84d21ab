"""Where extraction runs: a worker process for big bodies, a thread for small ones, inline for tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import threading
from concurrent.futures.process import BrokenProcessPool

from ..extract import extract_source
from ..models import FetchResult, Source
from .config import ExtractMode

# Bodies below this size are extracted in a thread: shipping them to a process costs more than it saves.
PROCESS_MIN_BYTES = 64 * 1024


_pool: concurrent.futures.ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _process_pool() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # forkserver: forking a process that runs threads (Textual, the test server) is unsafe
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["tui.core.extract"])
            workers = max(1, min(4, os.cpu_count() or 1))
            _pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        return _pool


def shutdown_extract_pool() -> None:
    """Stop the worker processes (tests and the CLI call this; atexit does it otherwise)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


async def extract_async(result: FetchResult, mode: ExtractMode = "process") -> Source:
    """Run extraction off the event loop: in a worker process for big bodies, else in a thread."""
    if mode == "inline":
        return extract_source(result)
    loop = asyncio.get_running_loop()
    if mode == "process" and len(result.body or b"") >= PROCESS_MIN_BYTES:
        try:
            return await loop.run_in_executor(_process_pool(), extract_source, result)
        except BrokenProcessPool:
            shutdown_extract_pool()  # a worker died (OOM?): fall back to a thread for this one
    return await asyncio.to_thread(extract_source, result)
