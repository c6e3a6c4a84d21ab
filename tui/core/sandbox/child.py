"""Inside a sandboxed job's process: confined (its limits, no output, no inherited descriptors), it runs
its function and sends its one answer back, pickled. See jobs.py for why a process per job."""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
A = TypeVar("A")

# The wall clock may run this many times the CPU limit, plus WALL_SLACK seconds: on a busy machine a job
# gets only part of a core, but a job that sleeps or waits on a lock (it never should) is still stopped.
WALL_FACTOR = 3.0
WALL_SLACK = 5.0
_MAX_FD = 1 << 20  # os.closerange uses close_range(2) where it exists, so the bound costs nothing


@dataclass(frozen=True)
class Limits:
    """What one job may use. `seconds`: CPU time (ITIMER_PROF, RLIMIT_CPU as a backstop); `memory_mb`:
    address space the job may add to what its process had when it started (RLIMIT_AS; not enforced on
    macOS, whose kernel ignores it); None for either means no limit of that kind."""

    seconds: float | None = 20.0
    memory_mb: int | None = 256

    @property
    def wall_seconds(self) -> float | None:
        return None if self.seconds is None else self.seconds * WALL_FACTOR + WALL_SLACK


# --- the child -------------------------------------------------------------------------------------


def _address_space(field: bytes = b"VmSize:") -> int | None:
    """This process's virtual size in bytes (Linux; VmPeak: its peak), the base of the memory limit."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _hit_memory_cap(base: int | None, limits: Limits) -> bool:
    """Whether the job came near its memory cap: C libraries report a failed allocation as anything
    (lxml as a syntax error), so an exception raised up there is taken for running out of memory."""
    peak = _address_space(b"VmPeak:")
    if base is None or peak is None or limits.memory_mb is None:
        return False
    return peak - base >= 0.75 * limits.memory_mb * 1024 * 1024


def confine(limits: Limits, keep_fd: int) -> int | None:
    """In the job's process: quiet, single-purpose, limited. Returns the address-space size the memory
    limit was added to (None: no memory limit)."""
    faulthandler.disable()
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)  # the parent's event loop must not hear this process's signals
    # no inherited descriptor but the answer pipe: connections, listening sockets and files stay the
    # parent's alone (as subprocess's close_fds does)
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, _MAX_FD)
    for name in ("SIGINT", "SIGTERM", "SIGPROF", "SIGXCPU"):  # default actions: the limits end the process
        with contextlib.suppress(AttributeError, ValueError, OSError):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        import resource
    except ImportError:  # Windows: the parent's wall clock is the only limit
        return None
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limits.seconds is not None:
        # The profiling timer counts this process's CPU time to the microsecond and its signal, left
        # to its default action, ends the process; RLIMIT_CPU (whole seconds) is the backstop.
        signal.setitimer(signal.ITIMER_PROF, limits.seconds)
        hard = math.ceil(limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard + 1))  # SIGXCPU, then SIGKILL
    base = _address_space()
    if limits.memory_mb is None or base is None:
        return None
    cap = base + limits.memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        return None
    return base


def run_job(conn: Any, fn: Callable[[A], T], arg: A, limits: Limits) -> None:
    """Run `fn(arg)` under `limits` and send ("ok", result), ("raised", exception), ("memory", None) or
    ("crashed", why) on `conn`. `limits` start here: not counting what came before (the request)."""
    base = None
    try:
        base = confine(limits, conn.fileno())
        answer: tuple[str, object] = ("ok", fn(arg))
    except MemoryError:
        answer = ("memory", None)
    except BaseException as exc:  # the caller decides what an exception from `fn` means
        answer = ("memory", None) if _hit_memory_cap(base, limits) else ("raised", exc)
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception:  # an exception (or a result) that cannot be pickled: say what it was, not more
        kind = type(answer[1]).__name__
        data = pickle.dumps(("crashed", f"it failed with {kind}, which could not be sent back"))
    conn.send_bytes(data)
    conn.close()


def child_main(request_fd: int, answer_fd: int) -> None:
    """A zygote's child: read the pickled (function, argument, limits) from the request pipe, run it."""
    with multiprocessing.connection.Connection(request_fd, writable=False) as request:
        try:
            fn, arg, limits = pickle.loads(request.recv_bytes())
        except Exception as exc:  # the parent gave up before sending it, or it does not unpickle here
            fn, arg, limits = _refuse, exc, Limits()
    run_job(multiprocessing.connection.Connection(answer_fd, readable=False), fn, arg, limits)


def _refuse(exc: BaseException) -> None:
    raise RuntimeError(f"the job could not be read ({type(exc).__name__})")
