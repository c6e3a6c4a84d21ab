"""The zygote: a small single-threaded process that forks one child per sandboxed job.

Forking the main process itself is not safe: its other threads may be inside a C library (libxml2
parsing an article in a worker thread) at the moment of the fork, and the child then waits forever on
a lock no thread will release (seen here: with two threads parsing, every forked child hung). The
zygote is a fresh interpreter (started by exec, so it inherits nothing), runs no threads, imports the
extraction modules once, and forks a child per job, which starts in about a millisecond with all of
them imported. It is started on first use, or ahead of it (`prestart`); it lives as long as the
process that uses it and ends when that one closes its socket; if it dies, the next job starts another.

Protocol, on a Unix SEQPACKET socket pair (messages keep their boundaries and carry descriptors): the
parent sends ("run", job id, modules) with two descriptors, the read end of the job's request pipe and
the write end of its answer pipe; the zygote imports the modules (a "module:function" entry is also
called once: a warm-up), forks, and says ("started", job id, pid); when the child ends, ("ended", job
id, exit code). ("kill", job id) kills a running child; ("import", modules) imports ahead of any job.
The job itself (function, argument, limits, pickled) goes from the parent to the child through the
request pipe, never through the zygote.

    python -m tui.core.sandbox.zygote FD [MODULE...]     # started by Zygote, not by hand
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MESSAGE_MAX = 64 * 1024


# --- the zygote process ---------------------------------------------------------------------------


def _send(sock: socket.socket, message: tuple, fds: Iterable[int] = ()) -> None:
    data = pickle.dumps(message)
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


_done: set[str] = set()


def _import(modules: Iterable[str]) -> None:
    """Import each module once; "module:function" also calls the function once (a warm-up)."""
    for name in modules:
        if name in _done:
            continue
        _done.add(name)
        module, _, function = name.partition(":")
        with contextlib.suppress(Exception):  # a job that needs it fails in its own process, and says so
            imported = importlib.import_module(module)
            if function:
                getattr(imported, function)()
    gc.freeze()  # what is here now stays shared with the children: their collections never touch it


def _serve(sock: socket.socket) -> None:
    from .child import child_main

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes select through the wakeup descriptor
    running: dict[int, object] = {}  # pid -> job id
    while True:
        ready, _, _ = select.select([sock, wake_r], [], [])
        if wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
        while running:  # reap every child that ended
            pid, status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                break
            if pid in running:
                _send(sock, ("ended", running.pop(pid), os.waitstatus_to_exitcode(status)))
        if sock not in ready:
            continue
        data, fds, _, _ = socket.recv_fds(sock, MESSAGE_MAX, 2)
        if not data:  # the parent is gone: so are its jobs
            for pid in running:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return
        kind, *rest = pickle.loads(data)
        if kind == "import":
            _import(rest[0])
        elif kind == "kill":
            for pid, job in running.items():
                if job == rest[0]:
                    os.kill(pid, signal.SIGKILL)
        elif kind == "run":
            job, modules = rest
            _import(modules)
            pid = os.fork()
            if pid == 0:  # the job's process: never returns from here
                try:
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    for fd in (sock.fileno(), wake_r, wake_w):
                        os.close(fd)
                    child_main(*fds)
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            running[pid] = job
            _send(sock, ("started", job, pid))


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is for the parent, which ends us
    fd = int(argv[0])
    sock = socket.fromfd(fd, socket.AF_UNIX, socket.SOCK_SEQPACKET)  # local IPC with the parent, no network
    os.close(fd)
    _import(argv[1:])
    _serve(sock)


# --- the parent's side ---------------------------------------------------------------------------


@dataclass
class ChildState:
    """What the zygote said about one job's child."""

    pid: int | None = None
    exitcode: int | None = None
    ended: threading.Event = field(default_factory=threading.Event)


class ZygoteGone(Exception):
    """The zygote died (or could not start): the job never reached a child."""


class Zygote:
    """The parent's handle on one zygote process; thread-safe."""

    def __init__(self, modules: Iterable[str]) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = parent
        self._send_lock = threading.Lock()
        self._states: dict[object, ChildState] = {}
        self._states_lock = threading.Lock()
        self.alive = True
        env = dict(os.environ)
        # the zygote imports what this process can: its package, and the test or bench modules a job's
        # function may live in
        paths = [str(Path(__file__).resolve().parents[3]), *(p for p in sys.path if p and Path(p).is_dir())]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        with child:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui.core.sandbox.zygote", str(child.fileno()), *modules],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        threading.Thread(target=self._listen, name="sandbox-zygote", daemon=True).start()

    def _listen(self) -> None:
        while True:
            try:
                data = self.sock.recv(MESSAGE_MAX)
            except OSError:
                data = b""
            if not data:
                break
            kind, job, value = pickle.loads(data)
            with self._states_lock:
                state = self._states.get(job)
            if state is None:
                continue
            if kind == "started":
                state.pid = value
            elif kind == "ended":
                state.exitcode = value
                state.ended.set()
        self.alive = False
        with self._states_lock:
            for state in self._states.values():
                state.ended.set()  # nothing more will be heard of them
        with contextlib.suppress(Exception):
            self.process.wait(5)

    def _tell(self, message: tuple, fds: Iterable[int] = ()) -> None:
        with self._send_lock:
            try:
                _send(self.sock, message, fds)
            except OSError as exc:
                self.alive = False
                raise ZygoteGone(str(exc)) from exc

    def run(self, job: object, modules: Iterable[str], request_fd: int, answer_fd: int) -> ChildState:
        """Have a child forked for `job`, reading its request from `request_fd` and answering on
        `answer_fd` (both handed over: the caller closes its copies)."""
        state = ChildState()
        with self._states_lock:
            self._states[job] = state
        self._tell(("run", job, tuple(modules)), (request_fd, answer_fd))
        return state

    def forget(self, job: object) -> None:
        with self._states_lock:
            self._states.pop(job, None)

    def kill(self, job: object) -> None:
        with contextlib.suppress(ZygoteGone):
            self._tell(("kill", job))

    def preload(self, modules: Iterable[str]) -> None:
        with contextlib.suppress(ZygoteGone):
            self._tell(("import", tuple(modules)))

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.sock.close()  # the zygote sees its end close, kills its children and exits


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def supported() -> bool:
    """Whether jobs can go through a zygote here (fork and SEQPACKET Unix sockets: Linux)."""
    return hasattr(os, "fork") and hasattr(socket, "SOCK_SEQPACKET") and sys.platform.startswith("linux")


def zygote(modules: Iterable[str] = ()) -> Zygote:
    """The running zygote, started (importing `modules`) if there is none or it died."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive or _zygote.process.poll() is not None:
            if _zygote is not None:
                _zygote.close()
            _zygote = Zygote(modules)
        return _zygote


def stop() -> None:
    global _zygote
    with _zygote_lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


if __name__ == "__main__":
    main(sys.argv[1:])
