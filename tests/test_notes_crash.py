"""No saved note is ever lost: writers killed with SIGKILL mid-save, and two writers at once."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.core.notes import NoteStore

WRITER = Path(__file__).with_name("notes_writer.py")
ARTICLE = "/crash/article.md"


def start_writer(db: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def parse(tag: str, lines: list[str]) -> tuple[dict[str, dict], dict | None]:
    """(url -> last completed save, the save in flight when the writer died or None)."""
    done: dict[str, dict] = {}
    pending: dict | None = None
    for line in lines:
        if line.startswith("B "):
            pending = json.loads(line[2:])
        elif line.startswith("D ") and pending is not None:
            pending["id"] = int(line[2:])
            done[f"https://src.example/{tag}/{pending['i']}"] = pending
            pending = None
    return done, pending


def stored(db: Path) -> dict[str, object]:
    with NoteStore.open(db) as store:
        return {n.target.link_url: n for n in store.notes_for(ARTICLE, include_empty=True)}


MIN_RUNS = 50
MAX_RUNS = 400  # bounds a failure only: the loop stops once enough kills have landed mid-save


def kill_after_some_saves(proc: subprocess.Popen[str], rng: random.Random) -> list[str]:
    """Let the writer complete a few saves, then SIGKILL it at a random point of its loop; its output.

    The point is chosen by what the writer has said, not by a clock (a busy machine only slows it): right
    after it announced a save (`B`: it is inside `store.save`, writing), or right after a save returned.
    """
    assert proc.stdout is not None
    lines: list[str] = []
    wanted = rng.randint(1, 5)  # saves to let complete first
    mid_save = rng.random() < 0.7
    while True:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "the writer stopped"
        lines.append(line)
        done = sum(x.startswith("D ") for x in lines)
        if done >= wanted and line.startswith("B " if mid_save else "D "):
            break
    time.sleep(rng.uniform(0.0, 0.003))
    proc.send_signal(signal.SIGKILL)
    return lines + proc.stdout.read().splitlines(keepends=True)


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_a_returned_save(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    rng = random.Random(20261125)
    expected: dict[str, dict] = {}
    total_done = 0
    killed_mid_run = 0
    started = time.monotonic()
    run = 0
    while run < MIN_RUNS or killed_mid_run <= 10 or total_done <= 100:
        assert run < MAX_RUNS, f"after {run} runs only {killed_mid_run} kills landed mid-save"
        tag = f"r{run}"
        proc = start_writer(db, tag, 0)
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready == "R\n", proc.stderr.read() if proc.stderr else ready
        output = kill_after_some_saves(proc, rng)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        done, pending = parse(tag, [line.rstrip("\n") for line in output])
        killed_mid_run += pending is not None
        total_done += len(done)

        notes = stored(db)  # the database always opens (and passes quick_check) after the kill
        for url, want in done.items():
            note = notes.get(url)
            in_flight = pending is not None and url == f"https://src.example/{tag}/{pending['i']}"
            assert note is not None, f"run {run}: note {want['id']} ({url}) was saved and is gone"
            assert note.id == want["id"]
            got = (note.body, note.verdict)
            ok = {(want["body"], want["verdict"])}
            if in_flight:
                ok.add((pending["body"], pending["verdict"]))
            assert got in ok, f"run {run}: {url} holds {got}, expected one of {ok}"
        expected.update(done)
        run += 1

    # earlier runs' notes are all still there after every kill
    notes = stored(db)
    missing = [u for u in expected if u not in notes]
    assert not missing
    print(
        f"crash stats: {run} runs, {total_done} saves returned, {killed_mid_run} kills mid-save, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert total_done > 100, f"only {total_done} saves completed: the writer barely ran"
    assert killed_mid_run > 10  # kills landed between a save's start and its return


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "busy.sqlite3"
    NoteStore.open(db).close()  # created once; both writers then open it concurrently
    count = 150
    procs = {tag: start_writer(db, tag, count) for tag in ("a1", "b1")}
    outputs = {}
    for tag, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs[tag] = out.splitlines()
    notes = stored(db)
    for tag, lines in outputs.items():
        done, pending = parse(tag, lines)
        assert pending is None
        assert sum(line.startswith("D ") for line in lines) == count
        for url, want in done.items():
            note = notes[url]
            assert (note.id, note.body, note.verdict) == (want["id"], want["body"], want["verdict"])
    # the shared note got its verdict from one writer and its body from the other: neither overwrote
    shared = notes["https://src.example/shared"]
    assert (shared.verdict, shared.body) == ("altered", "shared body from b1")
    distinct = {u for tag in outputs for u in parse(tag, outputs[tag])[0]}
    assert len(notes) == len(distinct) + 1
