"""Run a command and measure the peak memory of its whole process tree (as ../shared/hostile-inputs/
runprobe.py does): the summed RSS of the process and every descendant (extraction workers included),
sampled every 50 ms from /proc, the tree killed at a time limit or past an RSS ceiling.

`resource.getrusage(RUSAGE_CHILDREN)` alone would not do: it reports the largest single child once it
has been waited for, not the sum of a parent and its workers alive at the same moment.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KILL_AT_MB = 2000  # far above any test's limit: only there to protect the machine


@dataclass(frozen=True)
class Probe:
    returncode: int | None  # None when the tree was killed
    stdout: str
    stderr: str
    peak_mb: float  # the highest summed RSS of the process tree
    cpu_s: float  # user + system CPU of the process and its waited-for children
    timed_out: bool


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(parent, []).append(int(entry))
    return kids


def tree_rss_kb(pid: int) -> int:
    """The summed VmRSS (kB) of `pid` and all its descendants, now."""
    kids = _children()
    todo, total = [pid], 0
    while todo:
        current = todo.pop()
        todo.extend(kids.get(current, []))
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def run_probe(
    args: list[str], *, timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Probe:
    """Run `args` (stdin closed) in its own session; kill the whole session at `timeout` seconds."""
    before = os.times()
    with open(os.devnull, "rb") as stdin:
        proc = subprocess.Popen(
            args,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    out: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: out.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for reader in readers:
        reader.start()
    start, peak, timed_out = time.monotonic(), 0, False
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        if time.monotonic() - start > timeout or peak > KILL_AT_MB * 1024:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05)
    # workers that outlive their parent are part of the run: reap them
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for reader in readers:
        reader.join(10)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Probe(
        returncode=None if timed_out else proc.returncode,
        stdout=out.get("out", b"").decode("utf-8", "replace"),
        stderr=out.get("err", b"").decode("utf-8", "replace"),
        peak_mb=peak / 1024,
        cpu_s=cpu,
        timed_out=timed_out,
    )


def sourcecheck(*argv: str, timeout: float, data_dir: Path, cwd: Path | None = None) -> Probe:
    """`sourcecheck ARGV...` in a fresh interpreter, under a 4 GB address-space limit per process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    env["SOURCECHECK_DATA_DIR"] = str(data_dir)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (4_000_000_000, 4_000_000_000)); "
    code = limit + "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return run_probe([sys.executable, "-c", code, *argv], timeout=timeout, cwd=cwd, env=env)
