"""Running an audit: plan from the database, run the articles on an executor, record each as it finishes.

Two executors run the same per-article function (`runner.check_article`):
- "local": this process's event loop, `jobs` articles at once; fetching is async, extraction goes to the
  core's extraction pool, and one `SharedSources` fetches a URL cited by several articles once;
- "dask": each article is a task on a Dask distributed cluster (`scheduler` address, or a LocalCluster of
  `workers` processes on this machine); each worker process shares sources among its own tasks. Results
  come back to this process, which alone writes the audit database.

Ctrl-C (KeyboardInterrupt) gives the in-flight articles back as pending and re-raises: what finished is
already committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from ..events import Event
from ..pipeline import CheckOptions
from .db import AuditDB
from .records import ArticleResult, ArticleSpec, AuditError
from .runner import DEFAULT_TIMEOUT, check_article, check_article_sync, sibling_archives
from .saved import SavedChoices
from .sources import SharedSources

ExecutorName = Literal["local", "dask"]
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before saying it is unreachable
EXECUTORS: tuple[ExecutorName, ...] = ("local", "dask")


def default_jobs() -> int:
    """Articles in flight at once on this machine: mostly waiting on the network, so a few per core."""
    return max(2, min(16, 4 * (os.cpu_count() or 1)))


@dataclass(frozen=True)
class AuditPlan:
    """How to run: the executor and its limits. `timeout` is per article, in seconds (None: none)."""

    executor: ExecutorName = "local"
    jobs: int = field(default_factory=default_jobs)
    timeout: float | None = DEFAULT_TIMEOUT
    scheduler: str | None = None  # dask: a scheduler address; None starts a LocalCluster
    workers: int | None = None  # dask LocalCluster: worker processes (default: one per core, at least 2)
    again: bool = False  # check finished articles anew


class AuditObserver(Protocol):
    """What a run tells the command as it goes (the progress bar); every call is on the caller's thread."""

    def planned(self, total: int, skipped: int) -> None: ...
    def started(self, spec: ArticleSpec) -> None: ...
    def event(self, event: Event) -> None: ...
    def finished(self, result: ArticleResult) -> None: ...


@dataclass
class RunSummary:
    """What one run did: `checked` articles finished in this run, `skipped` finished in an earlier one,
    `set_aside` the keys given up on after repeated crashes."""

    checked: int = 0
    failed: int = 0
    skipped: int = 0
    set_aside: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_audit(
    db: AuditDB,
    specs: Sequence[ArticleSpec],
    options: CheckOptions,
    plan: AuditPlan,
    observer: AuditObserver | None = None,
    saved: SavedChoices | None = None,
) -> RunSummary:
    """Check every article of `specs` not yet done in `db`, recording each result as it arrives.

    Each article is checked with `options` plus what `saved` holds for it (the sources attached in the
    reader and the published version saved with its notes, as `check` uses them); None reads no notes.

    Raises AuditError when the executor cannot start (Dask missing, scheduler unreachable), and
    KeyboardInterrupt after giving the in-flight articles back.
    """
    started = time.monotonic()
    keys = [s.key for s in specs]
    db.add(specs)
    summary = RunSummary(set_aside=db.recover())
    if plan.again:
        db.reset(keys)
    pending = db.pending(keys)
    summary.skipped = len(specs) - len(pending)
    if observer:
        observer.planned(len(specs), summary.skipped)
    in_flight: set[str] = set()
    saved = saved or SavedChoices(None)

    def on_start(spec: ArticleSpec, worker: str = "local") -> None:
        in_flight.add(spec.key)
        db.mark_started(spec.key, worker)
        if observer:
            observer.started(spec)

    def on_done(result: ArticleResult) -> None:
        db.record(result)
        in_flight.discard(result.key)
        summary.checked += 1
        summary.failed += result.state == "failed"
        if observer:
            observer.finished(result)

    try:
        if pending and plan.executor == "dask":
            _run_dask(pending, options, saved, plan, on_start, on_done)
        elif pending:
            asyncio.run(_run_local(pending, options, saved, plan, on_start, on_done, observer))
    finally:
        db.release(in_flight)  # interrupted or broken: these go back to pending
        summary.seconds = time.monotonic() - started
    return summary


def shared_sources_for(options: CheckOptions) -> SharedSources:
    """The SharedSources of a local run: the audit's archive, reading the worker archives beside it."""
    if not options.use_archive or options.archive_path is None:
        return SharedSources(None)
    others = [p for p in sibling_archives(options.archive_path) if p != options.archive_path]
    return SharedSources(options.archive_path, also_read=others)


async def _run_local(
    pending: Sequence[ArticleSpec],
    options: CheckOptions,
    saved: SavedChoices,
    plan: AuditPlan,
    on_start: Callable[[ArticleSpec], None],
    on_done: Callable[[ArticleResult], None],
    observer: AuditObserver | None,
) -> None:
    sources = shared_sources_for(options)
    queue = iter(pending)  # shared by the lanes: each takes the next article when it is free
    on_event = observer.event if observer else None

    async def lane() -> None:
        for spec in queue:
            on_start(spec)
            own, notes_error = saved.options_for(options, spec.location)
            result = await check_article(
                spec.location,
                own,
                sources=sources,
                timeout=plan.timeout,
                on_event=on_event,
                notes_error=notes_error,
            )
            on_done(result)

    await asyncio.gather(*(lane() for _ in range(max(1, min(plan.jobs, len(pending))))))


def _run_dask(
    pending: Sequence[ArticleSpec],
    options: CheckOptions,
    saved: SavedChoices,
    plan: AuditPlan,
    on_start: Callable[[ArticleSpec, str], None],
    on_done: Callable[[ArticleResult], None],
) -> None:
    try:
        from distributed import as_completed
    except ImportError as exc:
        raise AuditError("--executor dask needs Dask distributed: pip install 'sourcecheck[dask]'.") from exc
    with _dask_client(plan) as client:
        threads = sum(client.nthreads().values()) or 1
        window = max(4, 2 * threads)  # enough queued per thread to stay busy; not the whole audit at once
        upcoming: Iterator[ArticleSpec] = iter(pending)
        submitted: dict[str, ArticleSpec] = {}
        completed = as_completed()

        def submit(spec: ArticleSpec) -> None:
            own, notes_error = saved.options_for(options, spec.location)  # read here: workers lack the notes
            future = client.submit(
                check_article_sync, spec.location, own, plan.timeout, notes_error, pure=False
            )
            submitted[future.key] = spec
            completed.add(future)
            on_start(spec, "dask")

        for spec in itertools.islice(upcoming, window):
            submit(spec)
        for future in completed:
            spec = submitted.pop(future.key)
            try:
                result: ArticleResult = future.result()
            except Exception as exc:  # a worker died on it repeatedly (KilledWorker), or it cannot pickle
                result = ArticleResult(
                    location=spec.location,
                    key=spec.key,
                    state="failed",
                    error=f"The Dask cluster could not check this article ({type(exc).__name__}).",
                    worker="dask",
                )
            future.release()
            on_done(result)
            following = next(upcoming, None)
            if following is not None:
                submit(following)


@contextlib.contextmanager
def _dask_client(plan: AuditPlan) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if plan.scheduler:
        try:
            client = Client(plan.scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise AuditError(f"Could not reach the Dask scheduler at {plan.scheduler} ({exc}).") from exc
        with client:
            yield client
        return
    workers = plan.workers or max(2, os.cpu_count() or 1)
    per_worker = max(1, math.ceil(plan.jobs / workers))
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=per_worker,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def audit_archive_for(db_path: Path) -> Path:
    """The default evidence archive of an audit: beside its database, `<name>.warc.gz`."""
    return db_path.with_name(db_path.name.removesuffix(".sqlite3").removesuffix(".db") + ".warc.gz")


def with_audit_archive(options: CheckOptions, db_path: Path) -> CheckOptions:
    """`options` with the audit's archive unless --archive chose another (or --no-archive none)."""
    if not options.use_archive or options.archive_path is not None:
        return options
    return replace(options, archive_path=audit_archive_for(db_path).resolve())
