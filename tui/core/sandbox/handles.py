"""A job's process, as the parent sees it: its answer connection, `kill()`, `exitcode()`.

On Linux the process is a zygote's child (zygote.py); elsewhere a multiprocessing process (a
forkserver's child on macOS, a spawned interpreter on Windows), slower to start but as confined.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.connection
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .child import Limits, run_job
from .zygote import ZygoteGone, supported, zygote

T = TypeVar("T")
A = TypeVar("A")

_job_ids = itertools.count(1)


class ZygoteJob:
    """A job run by a zygote's child. Raises ZygoteGone when the zygote died before forking it."""

    def __init__(self, fn: Callable[[A], T], arg: A, limits: Limits, modules: Sequence[str]) -> None:
        payload = pickle.dumps((fn, arg, limits), protocol=pickle.HIGHEST_PROTOCOL)
        owner = getattr(fn, "__module__", None)
        if owner and owner != "__main__" and not any(m.partition(":")[0] == owner for m in modules):
            modules = (*modules, owner)  # imported once by the zygote, not by every child that unpickles fn
        self.id = next(_job_ids)
        self.zygote = zygote(modules)
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            self.state = self.zygote.run(self.id, modules, request_r, answer_w)
        except BaseException:
            for fd in (request_w, answer_r):
                os.close(fd)
            raise
        finally:
            os.close(request_r)
            os.close(answer_w)
        self.conn = multiprocessing.connection.Connection(answer_r, writable=False)
        try:
            with multiprocessing.connection.Connection(request_w, readable=False) as request:
                request.send_bytes(payload)  # blocks until the child has read it (it is forked first)
        except BrokenPipeError:
            if self.state.pid is None and not self.zygote.alive:
                self.close()
                raise ZygoteGone("the zygote died before the job reached it") from None
            # else the child died reading it: its answer pipe says so

    def kill(self) -> None:
        self.zygote.kill(self.id)

    def exitcode(self, timeout: float | None = None) -> int | None:
        """The exit code (negative: the signal) once the zygote has reaped the child; None if that
        did not happen within `timeout` s (or the zygote is gone)."""
        self.state.ended.wait(timeout)
        return self.state.exitcode

    def close(self) -> None:
        self.conn.close()
        self.zygote.forget(self.id)


class SpawnedJob:
    """A job run by a multiprocessing process."""

    def __init__(self, fn: Callable[[A], T], arg: A, limits: Limits, modules: Sequence[str]) -> None:
        if hasattr(os, "fork"):  # macOS and the BSDs: a forkserver, never a fork of a threaded process
            ctx: Any = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload([m.partition(":")[0] for m in modules])
        else:
            ctx = multiprocessing.get_context("spawn")
        self.conn, sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=run_job, args=(sender, fn, arg, limits), daemon=True)
        self.process.start()
        sender.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()

    def exitcode(self, timeout: float | None = None) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def close(self) -> None:
        self.conn.close()
        self.kill()
        self.process.join()


def start(fn: Callable[[A], T], arg: A, limits: Limits, modules: Sequence[str]) -> ZygoteJob | SpawnedJob:
    """A process running `fn(arg)` under `limits`, with `modules` imported before it starts."""
    if supported():
        try:
            return ZygoteJob(fn, arg, limits, modules)
        except ZygoteGone:  # it died (killed from outside?): the next one is started afresh
            return ZygoteJob(fn, arg, limits, modules)
    return SpawnedJob(fn, arg, limits, modules)
