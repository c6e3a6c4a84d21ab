"""Whole-process-tree measurement for bench/e2e.py: wall, CPU and peak RSS of a command and everything
it starts, optionally on a pseudo-terminal (for the reader's first frame).

CPU: this process makes itself a child subreaper (Linux prctl), so every descendant, even one orphaned
by its parent, is reaped here or by its own parent; the rusage of reaped children then holds the CPU
time of the whole tree. RSS: the command runs in a new session; a thread sums the RSS of every process
of that session every 20 ms and keeps the peak.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import resource
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")
_subreaper = False


def _become_subreaper() -> None:
    global _subreaper
    if not _subreaper:
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    stdout: str = ""
    ok: bool = True
    error: str = ""
    first_frame: float | None = None  # pseudo-terminal runs: seconds to the first visible text
    done: float | None = None  # ... and to the `until` pattern
    first_frame_cpu: float | None = None  # CPU seconds the process tree had used at its first frame
    done_cpu: float | None = None


TICK = os.sysconf("SC_CLK_TCK")


def _session_stats(sid: int) -> list[tuple[int, int, float]]:
    """(pid, rss bytes, CPU seconds incl. reaped children) of every process in session `sid`."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # utime stime cutime cstime, in clock ticks
            found.append((int(name), int(fields[21]) * PAGE, sum(int(f) for f in fields[11:15]) / TICK))
    return found


def session_cpu(sid: int) -> float:
    """CPU seconds used so far by the processes of session `sid` (and the children they reaped)."""
    return sum(cpu for _, _, cpu in _session_stats(sid))


def _session_pids(sid: int) -> list[tuple[int, int]]:
    """(pid, rss bytes) of every process in session `sid`."""
    return [(pid, rss) for pid, rss, _ in _session_stats(sid)]


class _Sampler(threading.Thread):
    def __init__(self, sid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.sid, self.interval, self.peak = sid, interval, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, sum(rss for _, rss in _session_pids(self.sid)))
            self.stop.wait(self.interval)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_session(sid: int, grace: float = 2.0) -> None:
    """Wait for what the command left behind (it should leave nothing), then kill and reap it."""
    deadline = time.monotonic() + grace
    while _session_pids(sid) and time.monotonic() < deadline:
        _reap_orphans()
        time.sleep(0.01)
    if _session_pids(sid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(sid, signal.SIGKILL)
        time.sleep(0.05)
    _reap_orphans()


def _reap_orphans() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def measure(cmd: list[str], env: dict[str, str], timeout: float = 300) -> Run:
    """Run `cmd` to the end; its stdout is kept for sanity counts."""
    _become_subreaper()
    cpu0 = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    sampler = _Sampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    _reap_session(proc.pid)
    error = "" if proc.returncode == 0 else f"exit {proc.returncode}: {err.strip()[-300:]}"
    return Run(wall, _children_cpu() - cpu0, sampler.peak / 2**20, out, proc.returncode == 0, error)


_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\|\x1b."
)


def visible(raw: bytes) -> str:
    """The printable text of terminal output, escape sequences removed."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "ignore")


def measure_tty(
    cmd: list[str], env: dict[str, str], *, until: re.Pattern[str] | None, size=(160, 45), timeout: float = 30
) -> Run:
    """Run a full-screen app on a pseudo-terminal of `size` (columns, rows).

    first_frame: seconds from launch to the first output carrying visible text (the terminal's first
    frame, as a person sees it); done: to the first output where `until` matches the visible text.
    The app is then killed (its whole session). Without `until` it is killed at its first frame.
    """
    _become_subreaper()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    cpu0 = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    sampler = _Sampler(proc.pid)
    sampler.start()
    raw = b""
    first = done = first_cpu = done_cpu = None
    error = ""
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            if proc.poll() is not None:
                error = f"exited with {proc.returncode} before the end"
                break
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise
            error = "the terminal closed"
            break
        now = time.perf_counter() - start
        raw += chunk
        text = visible(raw[-(len(chunk) + 1024) :])
        if first is None and re.search(r"\w{3}", text):
            first, first_cpu = now, session_cpu(proc.pid)
        if first is not None and (until is None or until.search(text)):
            done, done_cpu = now, session_cpu(proc.pid)
            break
    else:
        error = f"not seen within {timeout:g} s"
    wall = time.perf_counter() - start
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    sampler.stop.set()
    sampler.join()
    _reap_session(proc.pid)
    os.close(master)
    return Run(
        wall,
        _children_cpu() - cpu0,
        sampler.peak / 2**20,
        "",
        not error,
        error,
        first,
        done,
        first_cpu,
        done_cpu,
    )
