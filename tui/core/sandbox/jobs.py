"""The sandbox for CPU work on untrusted bytes: every job in a process of its own, with a CPU-time limit,
a memory limit and a wall-clock limit, killed when it exceeds one, without touching any other job.

Why a process per job and not a pool of workers (bench/sandbox.py measures the options; the README's
"How it works" gives the figures): limits are per job (`RLIMIT_CPU` and the profiling timer count from
zero in each process, where a long-lived worker would add up every job it ran), and a job killed at
its limit takes nothing down with it (a killed pool worker breaks the whole `ProcessPoolExecutor` and
every job queued on it). The processes are forked by a zygote (zygote.py), a small interpreter that
imported the extractor once: a job's process starts in about a millisecond, and no fresh interpreter
pays the 0.1-0.2 s of imports per worker a pool does. Only the running jobs' processes exist, and the
zygote starts only when a first job (or `prestart`) needs it: no article pays for what it does not use.

Nothing here forks the calling process itself: its other threads (the reader's, an article parsed in
a worker thread) may hold a C library's lock at that moment, and the child would wait on it forever.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import SourcecheckError
from .child import Limits
from .handles import SpawnedJob, ZygoteJob, start
from .zygote import supported, zygote

T = TypeVar("T")
A = TypeVar("A")


# A job still running after this many seconds leaves its slot to the next (see _Admission).
SLOT_HOLD_SECONDS = 1.0


class SandboxError(SourcecheckError):
    """A job did not return: `limits` are the ones it ran under. Subclasses say why."""

    def __init__(self, detail: str, limits: Limits) -> None:
        super().__init__(detail)
        self.detail = detail
        self.limits = limits


class JobTooSlow(SandboxError):
    """The job used up its CPU time (or, on a starved machine, its wall-clock time) and was killed."""


class JobTooBig(SandboxError):
    """The job needed more memory than its limit."""


class JobCrashed(SandboxError):
    """The job's process died without an answer (a signal, a crash in a C library) or sent none."""


# --- the parent ------------------------------------------------------------------------------------


class _Job:
    """One call of `fn(arg)` in its own process; `cancel()` from any thread kills it."""

    def __init__(self, fn: Callable[[A], T], arg: A, limits: Limits, modules: Sequence[str] = ()) -> None:
        self.fn, self.arg, self.limits, self.modules = fn, arg, limits, tuple(modules)
        self._lock = threading.Lock()
        self._child: ZygoteJob | SpawnedJob | None = None
        self._cancelled = False

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._child is not None:
                self._child.kill()

    def run(self) -> Any:
        with _admission.running():
            return self._run()

    def _run(self) -> Any:
        with self._lock:
            if self._cancelled:
                raise concurrent.futures.CancelledError
        child = start(self.fn, self.arg, self.limits, self.modules)  # may block on a big request
        with self._lock:
            self._child = child
            if self._cancelled:
                child.kill()
        try:
            return self._answer(child)
        finally:
            child.kill()  # (it has ended, or must)
            child.close()

    def _answer(self, child: ZygoteJob | SpawnedJob) -> Any:
        limits = self.limits
        wall = limits.wall_seconds
        ready = False
        try:
            ready = child.conn.poll(min(wall, SLOT_HOLD_SECONDS) if wall is not None else SLOT_HOLD_SECONDS)
            if not ready:  # a long job: it steps aside so that ordinary ones are not held up behind it
                _admission.step_aside()
                ready = child.conn.poll(None if wall is None else max(0.0, wall - SLOT_HOLD_SECONDS))
            data = child.conn.recv_bytes() if ready else None
        except (EOFError, OSError):
            data = None
        if self._cancelled:
            raise concurrent.futures.CancelledError
        if data is None and not ready:
            raise JobTooSlow(f"still running after {wall:g} s of wall-clock time", limits)
        if data is None:
            code = child.exitcode(1.0)
            if code is not None and code < 0 and -code in _CPU_SIGNALS:
                raise JobTooSlow(f"killed by {_signal_name(-code)} at its CPU-time limit", limits)
            detail = f"killed by {_signal_name(-code)}" if code and code < 0 else f"exit status {code}"
            raise JobCrashed(f"its process stopped without an answer ({detail})", limits)
        status, value = pickle.loads(data)
        if status == "ok":
            return value
        if status == "raised":
            raise value
        if status == "memory":
            raise JobTooBig(f"it needed more than {limits.memory_mb} MB", limits)
        raise JobCrashed(str(value), limits)


# The signals a CPU-time limit ends a job with (a SIGKILL may be anything, the kernel's OOM killer too).
_CPU_SIGNALS = {getattr(signal, name) for name in ("SIGPROF", "SIGXCPU") if hasattr(signal, name)}


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def run_limited(fn: Callable[[A], T], arg: A, limits: Limits, *, modules: Sequence[str] = ()) -> T:
    """`fn(arg)` in a process of its own under `limits`; blocks until it returns.

    Returns what `fn` returned; re-raises what `fn` raised (both pickled back). Raises JobTooSlow,
    JobTooBig or JobCrashed when the job did not return. `fn` must be a module-level function, and
    `arg` and the result picklable. `modules` are imported by the zygote before it forks the job, so
    that no job pays for them again (10+ ms per job for the HTML extractor, bench/sandbox.py).
    """
    return _Job(fn, arg, limits, modules).run()


def slots() -> int:
    """How many ordinary jobs run at once: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


class _Admission:
    """At most `slots()` jobs run at once, and `slots()` more that ran past SLOT_HOLD_SECONDS: a runaway
    job (one that will end at its limit) frees its slot for the ordinary ones queued behind it, while the
    number of processes, and so the memory they can take, stays bounded."""

    def __init__(self) -> None:
        self.ordinary = threading.Semaphore(slots())
        self.long = threading.Semaphore(slots())
        self.local = threading.local()

    @contextlib.contextmanager
    def running(self) -> Any:
        self.ordinary.acquire()
        self.local.held = self.ordinary
        try:
            yield
        finally:
            self.local.held.release()

    def step_aside(self) -> None:
        """Move the calling job from an ordinary slot to a long one, if one is free."""
        if self.local.held is self.ordinary and self.long.acquire(blocking=False):
            self.ordinary.release()
            self.local.held = self.long


_admission = _Admission()

# One thread per job, waiting on its job's process (most of them waiting for a slot). A dedicated
# executor keeps jobs from occupying the event loop's default one, where archive reads and matching go.
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
MAX_QUEUED_JOBS = 64


def _jobs_executor() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(MAX_QUEUED_JOBS, thread_name_prefix="sandbox")
        return _executor


async def run_sandboxed(fn: Callable[[A], T], arg: A, limits: Limits, *, modules: Sequence[str] = ()) -> T:
    """`run_limited` for the event loop: queued behind at most `slots()` running jobs; cancelling the
    awaiting task kills the job's process (or drops the job if it has not started)."""
    job = _Job(fn, arg, limits, modules)
    future = asyncio.get_running_loop().run_in_executor(_jobs_executor(), job.run)
    try:
        return await future
    except asyncio.CancelledError:
        job.cancel()
        raise


def prestart(modules: Sequence[str] = ()) -> None:
    """Start the zygote now, importing `modules`, without waiting for it: a caller that knows jobs are
    coming (sources are being fetched) lets its start-up overlap the wait for them."""
    if supported():
        zygote(modules).preload(modules)


def shutdown() -> None:
    """Stop the zygote (its running jobs with it) and let the job threads go; at exit both go anyway."""
    global _executor
    from .zygote import stop

    stop()
    with _executor_lock:
        if _executor is not None:
            _executor.shutdown(wait=False, cancel_futures=True)
            _executor = None
