"""The extraction sandbox: a process per job, stopped at its CPU-time and memory limits, nothing else
held up; and the fetcher turning a stopped extraction into a sentence on that source alone."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import hostile_inputs
import lxml.html
import pytest
from conftest import LocalServer

from tui.core import extract, sandbox
from tui.core.errors import ExtractError
from tui.core.extract import extract_source
from tui.core.fetch import FetchConfig, fetch_sources
from tui.core.fetch.pool import extract_async
from tui.core.models import FetchResult, Source
from tui.core.sandbox import jobs

FAST = sandbox.Limits(seconds=0.5, memory_mb=64)
PAGE = (
    "<html><head><title>Harbour</title></head><body><article>"
    + "".join(
        f"<p>Paragraph {i}: the harbour bridge needs repairs, the council said on Tuesday.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
).encode()


# module-level: the job functions travel to the child by reference


def burn(_: object) -> None:
    while True:
        pass


def hog(_: object) -> list[bytearray]:
    held = []
    while True:
        held.append(bytearray(4 * 1024 * 1024))


def segfault(_: object) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def exit_quietly(_: object) -> None:
    os._exit(3)


def double(n: int) -> int:
    return 2 * n


def refuse(_: object) -> None:
    raise ExtractError("The page has no readable text: it probably needs JavaScript.")


def write_pid_and_burn(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    burn(None)


# --- the sandbox -------------------------------------------------------------------------------------


def test_a_job_returns_its_value_and_raises_its_exception() -> None:
    assert sandbox.run_limited(double, 21, FAST) == 42
    with pytest.raises(ExtractError, match="needs JavaScript"):
        sandbox.run_limited(refuse, None, FAST)


def test_a_job_over_its_cpu_time_is_killed() -> None:
    with pytest.raises(sandbox.JobTooSlow) as caught:
        sandbox.run_limited(burn, None, FAST)
    assert caught.value.limits == FAST


def test_a_job_over_its_memory_is_stopped() -> None:
    with pytest.raises(sandbox.JobTooBig, match="more than 64 MB"):
        sandbox.run_limited(hog, None, FAST)


@pytest.mark.parametrize("job", [segfault, exit_quietly])
def test_a_crashing_job_is_reported_and_the_next_one_runs(job) -> None:
    with pytest.raises(sandbox.JobCrashed, match="without an answer"):
        sandbox.run_limited(job, None, FAST)
    assert sandbox.run_limited(double, 1, FAST) == 2  # nothing to replace: the next job has its own process


def test_a_dead_zygote_is_replaced() -> None:
    from tui.core.sandbox import zygote

    assert sandbox.run_limited(double, 2, FAST) == 4
    if not zygote.supported():
        pytest.skip("no zygote on this platform")
    first = zygote.zygote()
    first.process.kill()
    first.process.wait()
    assert sandbox.run_limited(double, 3, FAST) == 6  # the next job starts a new one
    assert zygote.zygote() is not first


def test_jobs_never_hang_while_other_threads_parse_html(corpus: Path) -> None:
    """Forking a process while another thread is inside libxml2 leaves the child waiting on a lock
    forever; the sandbox never forks this process (its zygote does), so every job answers."""
    body = (corpus / "tmz-1.html").read_bytes()
    result = FetchResult("http://x.test/", "http://x.test/", 200, "text/html", body)
    stop = threading.Event()

    def parse() -> None:
        while not stop.is_set():
            lxml.html.document_fromstring(body)

    threads = [threading.Thread(target=parse, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(8):
            assert sandbox.run_limited(extract_source, result, sandbox.Limits(seconds=5)).text
    finally:
        stop.set()
        for thread in threads:
            thread.join()


async def test_a_stopped_job_holds_up_no_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """As many runaway jobs as there are slots, and a crash, beside ordinary ones: the runaways step
    aside, every ordinary one answers before a runaway's limit ends it, and all get their answer."""
    monkeypatch.setattr(jobs, "SLOT_HOLD_SECONDS", 0.1)
    limits = sandbox.Limits(seconds=1, memory_mb=64)
    finished: list[str] = []

    async def run(name: str, fn, arg):
        try:
            value = await sandbox.run_sandboxed(fn, arg, limits)
        except sandbox.SandboxError as exc:
            value = type(exc).__name__
        finished.append(name)
        return value

    burners = sandbox.slots()
    results = await asyncio.gather(
        *(run(f"burn-{i}", burn, None) for i in range(burners)),
        run("crash", segfault, None),
        *(run(f"ok-{i}", double, i) for i in range(6)),
    )
    assert results == ["JobTooSlow"] * burners + ["JobCrashed", 0, 2, 4, 6, 8, 10]
    assert set(finished[-burners:]) == {f"burn-{i}" for i in range(burners)}


async def test_cancelling_the_caller_kills_the_job(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    task = asyncio.ensure_future(
        sandbox.run_sandboxed(write_pid_and_burn, str(pid_file), sandbox.Limits(seconds=60, memory_mb=64))
    )
    for _ in range(500):
        if pid_file.exists() and pid_file.read_text():
            break
        await asyncio.sleep(0.01)
    pid = int(pid_file.read_text())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(500):  # the job's thread kills and reaps it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail(f"the job's process {pid} outlived its cancelled caller")


def test_the_child_writes_nothing_to_the_parents_streams(capfd: pytest.CaptureFixture[str]) -> None:
    sandbox.run_limited(print, "\x1b]52;c;Y2xpcGJvYXJk\x07 from the child", FAST)
    out, err = capfd.readouterr()
    assert "from the child" not in out + err


# --- extraction through the sandbox -----------------------------------------------------------------


def extract_reporting_pid(result: FetchResult) -> Source:
    return Source(result.url, result.final_url, str(os.getpid()), "text", "text")


async def test_extraction_runs_in_a_child_process(monkeypatch: pytest.MonkeyPatch) -> None:
    result = FetchResult("http://x.test/", "http://x.test/", 200, "text/html", PAGE)
    source = await extract_async(result)
    assert source.title == "Harbour" and "harbour bridge needs repairs" in source.text
    monkeypatch.setattr(extract, "extract_source", extract_reporting_pid)
    assert int((await extract_async(result)).title) != os.getpid()


async def test_a_pdf_that_reads_forever_gets_a_sentence_and_the_others_are_checked(
    local_server: LocalServer,
) -> None:
    bomb = local_server.route(
        "/bomb.pdf",
        hostile_inputs.pdf_bomb_body(pages=4, tokens=300_000),
        headers={"Content-Type": "application/pdf"},
    )
    pages = [local_server.route(f"/page{i}", PAGE) for i in range(4)]
    config = FetchConfig(allow_private=True, extract_seconds=1, extract_memory_mb=256)
    started = time.monotonic()
    outcomes = {o.url: o async for o in fetch_sources([bomb, *pages], config)}
    assert outcomes[bomb].source is None
    assert outcomes[bomb].error == "The PDF took longer than 1 s to read; open it in a browser."
    for url in pages:
        assert outcomes[url].error is None and outcomes[url].source is not None
    assert time.monotonic() - started < 120  # bounded by the limits (a guard against hanging, not a timing)


async def test_a_page_too_big_to_parse_gets_a_sentence(local_server: LocalServer) -> None:
    links = b"<html><body><p>" + b"".join(b"<a href=/x%d>link</a> " % i for i in range(200_000)) + b"</p>"
    url = local_server.route("/links", links + b"</body></html>")
    config = FetchConfig(allow_private=True, extract_seconds=60, extract_memory_mb=32)
    [outcome] = [o async for o in fetch_sources([url], config)]
    assert outcome.error == (
        "The page needed more than 32 MB of memory to read (sourcecheck's limit); open it in a browser."
    )


def test_limits_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_EXTRACT_SECONDS", "2.5")
    monkeypatch.setenv("SOURCECHECK_EXTRACT_MEMORY_MB", "100")
    config = FetchConfig()
    assert (config.extract_seconds, config.extract_memory_mb) == (2.5, 100)
    monkeypatch.setenv("SOURCECHECK_EXTRACT_SECONDS", "nonsense")
    assert FetchConfig().extract_seconds == 20.0
