"""The per-article function of an audit: the `check` pipeline for one article, as an ArticleResult.

Every executor runs this same function: the local one in its event loop, Dask in its workers
(`check_article_sync`, a plain picklable function). A failure of the article (unreadable, timeout, a bug
in a parser) comes back as a failed result with one sentence; it never raises, so one article never stops
the others.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import SourcecheckError
from ..events import Event, SourceQueued
from ..locations import article_key
from ..pipeline import CheckOptions, check_location
from ..report import report_counts
from .records import ArticleResult
from .sources import SharedSources

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600.0  # seconds per article: ten sources timing out one after another still fit


async def check_article(
    location: str,
    options: CheckOptions,
    *,
    sources: SharedSources | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    on_event: Callable[[Event], None] | None = None,
    worker: str = "local",
    notes_error: str | None = None,
) -> ArticleResult:
    """Check one article (path or URL) and return its result; never raises but for cancellation.

    `options` are this article's (`saved.SavedChoices.options_for`: the sources saved with its notes);
    `notes_error` is the sentence saying the notes could not be read, kept in the report's `notes_error`.
    `timeout` (seconds, None for none) bounds the whole article: past it the article fails with a sentence
    and its fetches are cancelled.
    """
    started = time.monotonic()
    key = article_key(location)
    urls: set[str] = set()

    def seen(event: Event) -> None:
        if isinstance(event, SourceQueued):
            urls.add(event.url)
        if on_event is not None:
            on_event(event)

    archive = sources.archive_path if sources is not None else options.archive_path
    common = {
        "location": location,
        "key": key,
        "worker": worker,
        "archive": str(archive) if archive else None,
    }
    try:
        async with asyncio.timeout(timeout):
            checker = await check_location(location, options, seen, sources=sources)
        report = checker.report()
        report["notes_error"] = notes_error
    except SourcecheckError as exc:  # the article, a source given by hand, the archive: a sentence
        error = str(exc)
    except TimeoutError:
        error = f"Timed out after {timeout:g} s: the article's sources kept it busy too long (--timeout)."
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a bug in a parser must not stop the audit
        log.exception("checking %s failed", location)
        error = f"sourcecheck failed on this article ({type(exc).__name__}); please report it."
    else:
        return ArticleResult(
            state="done",
            title=report["article"]["title"],
            report=report,
            counts=report_counts(report),
            seconds=time.monotonic() - started,
            sources=len(urls),
            **common,
        )
    return ArticleResult(
        state="failed", error=error, seconds=time.monotonic() - started, sources=len(urls), **common
    )


# -- in a worker process (Dask) ---------------------------------------------------------------------

_worker_sources: dict[tuple[object, ...], SharedSources] = {}
_worker_lock = threading.Lock()


def worker_name() -> str:
    """This process, as a file-name-safe word: the host name and the process id."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", f"{socket.gethostname()}-{os.getpid()}")[:80]


def worker_archive(audit_archive: Path, name: str) -> Path:
    """The archive a worker process writes: beside the audit's, one file per writer (WARC appends from
    several processes to one file could interleave)."""
    stem = audit_archive.name.removesuffix(".gz").removesuffix(".warc")
    return audit_archive.with_name(f"{stem}.worker-{name}.warc.gz")


def sibling_archives(audit_archive: Path) -> list[Path]:
    """The audit's archive and every worker archive beside it, to read sources from."""
    stem = audit_archive.name.removesuffix(".gz").removesuffix(".warc")
    found = sorted(audit_archive.parent.glob(f"{stem}.worker-*.warc.gz"))
    return ([audit_archive] if audit_archive.exists() else []) + found


def _shared_for_worker(options: CheckOptions) -> SharedSources:
    """One SharedSources per worker process and audit, shared by the tasks (threads) it runs."""
    key = (options.archive_path, options.use_archive)
    with _worker_lock:
        shared = _worker_sources.get(key)
        if shared is None:
            if options.use_archive and options.archive_path is not None:
                own = worker_archive(options.archive_path, worker_name())
                others = [p for p in sibling_archives(options.archive_path) if p != own]
                shared = SharedSources(own, also_read=others)
            else:
                shared = SharedSources(None)
            _worker_sources[key] = shared
        return shared


def check_article_sync(
    location: str, options: CheckOptions, timeout: float | None, notes_error: str | None = None
) -> ArticleResult:
    """The Dask task: `check_article` in this worker's process, with its own event loop.

    Extraction goes to the sandbox as everywhere (a forked process per body, which a Dask worker, a
    daemonic process, may start: the sandbox forks by itself rather than through multiprocessing).
    """
    shared = _shared_for_worker(options)
    name = worker_name()
    return asyncio.run(
        check_article(
            location, options, sources=shared, timeout=timeout, worker=name, notes_error=notes_error
        )
    )
