"""End-to-end: `sourcecheck audit` on 30 articles served from 127.0.0.1, interrupted and resumed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.audit_fixtures import AuditWorld
from tests.conftest import REPO, LocalServer
from tui.cli import main
from tui.core.audit.db import reading


def audit_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", "audit", *args]


@pytest.fixture
def world(local_server: LocalServer) -> AuditWorld:
    return AuditWorld(local_server).build()


def write_list(tmp_path: Path, world: AuditWorld) -> Path:
    listing = tmp_path / "articles.txt"
    listing.write_text("# the desk's month\n" + "\n".join(world.articles) + "\n", encoding="utf-8")
    return listing


def done_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with reading(db) as audit:
            return sum(r.state in ("done", "failed") for r in audit.rows())
    except Exception:  # the writer may be creating it right now
        return 0


def test_interrupted_audit_resumes_without_losing_or_repeating_an_article(
    tmp_path: Path, world: AuditWorld
) -> None:
    listing = write_list(tmp_path, world)
    db = tmp_path / "audit.sqlite3"
    args = [str(listing), "--audit-db", str(db), "--allow-private", "--jobs", "3", "--format", "json"]
    first = subprocess.Popen(
        audit_cmd(*args), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while done_count(db) < 8 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the audit finished before it could be interrupted"
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in err and "Run the same command again" in err
    with reading(db) as audit:
        rows = audit.rows()
        finished_first = {r.key for r in rows if r.state in ("done", "failed")}
        assert all(r.state != "running" for r in rows), "in-flight articles must be given back"
    assert 8 <= len(finished_first) < 30
    # the interrupted run still printed its summary of what is recorded
    assert len(json.loads(out)["articles"]) == 30

    second = subprocess.run(audit_cmd(*args), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert f"checked {30 - len(finished_first)} article(s)" in second.stderr
    assert f"{len(finished_first)} already done" in second.stderr
    report = json.loads(second.stdout)
    locations = [a["location"] for a in report["articles"]]
    assert sorted(locations) == sorted(world.articles)  # every article reported, once
    with reading(db) as audit:
        rows = audit.rows()
    assert {r.state for r in rows} == {"done", "failed"}
    assert all(r.runs == 1 for r in rows), "an article finished in the first run was checked again"
    by_location = {a["location"]: a for a in report["articles"]}
    for i, url in enumerate(world.articles):
        entry = by_location[url]
        if i in world.unreadable:
            assert entry["state"] == "failed" and entry["error"] and entry["claims"] is None
            continue
        assert entry["state"] == "done", entry
        assert entry["claims"] == 6 and entry["quotes"] == 3
        assert entry["altered"] == (1 if i % 3 == 0 else 0)
        assert entry["verbatim"] == 3 - entry["altered"]
        assert entry["dead_links"] == 2  # the 404 and the refused connection; the 500 is only failed
        assert entry["sources_failed"] == 3
        assert entry["framing_cues"] >= 1  # "admitted": a loaded attribution verb
    # the source every article cites was fetched once across both runs (shared, then archived)
    assert world.server.hits["/s/shared"] == 1
    # a third run has nothing to do
    third = subprocess.run(audit_cmd(*args), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert third.returncode == 0 and "checked 0 article(s)" in third.stderr


def test_again_redoes_finished_articles_and_csv_is_safe(
    tmp_path: Path, world: AuditWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "few.txt"
    listing.write_text("\n".join(world.articles[:4]) + "\n", encoding="utf-8")
    db = tmp_path / "a.sqlite3"
    base = [str(listing), "--audit-db", str(db), "--allow-private", "--no-progress"]
    assert main(["audit", *base, "--format", "csv"]) == 0
    first = capsys.readouterr()
    lines = first.out.strip().splitlines()
    assert lines[0].startswith("location,state,title,claims,quotes,verbatim,altered")
    assert len(lines) == 5
    assert main(["audit", *base, "--again"]) == 0
    assert "checked 4 article(s)" in capsys.readouterr().err
    with reading(db) as audit:
        assert [r.runs for r in audit.rows()] == [2, 2, 2, 2]


def test_a_folder_with_a_missing_and_an_unreadable_article(
    tmp_path: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    src = local_server.route("/s", "<html><body><p>The sky is blue today.</p></body></html>")
    folder = tmp_path / "saved"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "a.md").write_text(f'The [paper]({src}) says "the sky is blue today".\n')
    (folder / "b.html").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / ".hidden.md").write_text("not me")
    (folder / "notes.warc.gz").write_bytes(b"")
    listing = tmp_path / "list.txt"
    listing.write_text("saved/2024/a.md\nsaved/gone.md\n", encoding="utf-8")
    db = tmp_path / "a.sqlite3"
    code = main(
        ["audit", str(folder), str(listing), "--audit-db", str(db), "--allow-private", "--format", "json"]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    articles = json.loads(out.out)["articles"]
    # a.md named twice (folder and list) is one article; the hidden file and the archive are not articles
    assert [Path(a["location"]).name for a in articles] == ["a.md", "b.html", "gone.md"]
    states = {Path(a["location"]).name: (a["state"], a["error"]) for a in articles}
    assert states["a.md"] == ("done", None)
    assert states["b.html"][0] == "failed" and states["b.html"][1]
    assert states["gone.md"][0] == "failed" and "gone.md" in states["gone.md"][1]


def test_unusable_inputs_and_a_busy_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path / "nope"), "--audit-db", str(tmp_path / "x.sqlite3")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    notes = tmp_path / "notes.sqlite3"
    notes.write_bytes(b"SQLite format 3\x00" + bytes(200))
    assert main(["audit", str(tmp_path), "--audit-db", str(notes)]) == 2
    assert "not a sourcecheck audit database" in capsys.readouterr().err
    from tui.core.audit.db import AuditDB

    with AuditDB.open(tmp_path / "busy.sqlite3"):
        (tmp_path / "a.md").write_text("Hello [x](https://example.org).")
        assert main(["audit", str(tmp_path / "a.md"), "--audit-db", str(tmp_path / "busy.sqlite3")]) == 2
        assert "Another audit is writing" in capsys.readouterr().err


def test_progress_bar_reports_articles_sources_errors_rate(tmp_path: Path, world: AuditWorld) -> None:
    listing = tmp_path / "few.txt"
    listing.write_text("\n".join(world.articles[12:15]) + "\n", encoding="utf-8")
    env = {**os.environ}
    done = subprocess.run(
        audit_cmd(str(listing), "--audit-db", str(tmp_path / "p.sqlite3"), "--allow-private", "--progress"),
        cwd=REPO, capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    last = done.stderr.split("\r")[-1]
    assert "3/3 articles, 1 failed" in last  # article 13 is an image
    assert "sources (" in last and "failed)" in last and re.search(r"[\d.]+ articles/(s|min)", last)
