"""`sourcecheck audit --executor dask` on a LocalCluster of 2 workers gives the local run's results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit_fixtures import AuditWorld
from tests.conftest import LocalServer
from tui.cli import main
from tui.core.audit.db import reading

pytest.importorskip("distributed", reason="Dask is the [dask] extra; the test extra installs it")


def comparable(report: dict) -> dict:
    """The results, without what differs by where and when an article ran (timings, which worker)."""
    out = []
    for article in sorted(report["articles"], key=lambda a: a["location"]):
        out.append({k: v for k, v in article.items() if k != "seconds"})
    return {"articles": out, "totals": report["totals"], "states": report["states"]}


def test_dask_local_cluster_gives_the_same_results_as_the_local_run(
    tmp_path: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    world = AuditWorld(local_server, n=8, slow_delay=0.1, unreadable={5}).build()
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(world.articles) + "\n", encoding="utf-8")
    common = [str(listing), "--allow-private", "--format", "json", "--no-progress"]
    assert main(["audit", *common, "--audit-db", str(tmp_path / "local.sqlite3")]) == 0
    local = json.loads(capsys.readouterr().out)
    code = main(
        [
            "audit",
            *common,
            "--audit-db",
            str(tmp_path / "dask.sqlite3"),
            "--executor",
            "dask",
            "--workers",
            "2",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert comparable(json.loads(captured.out)) == comparable(local)
    with reading(tmp_path / "dask.sqlite3") as audit:
        rows = audit.rows()
        reports = {r.key: audit.report(r.key) for r in rows if r.state == "done"}
    workers = {r.worker for r in rows}
    assert len(workers) == 2 and "local" not in workers  # both worker processes took articles
    assert all(r.runs == 1 for r in rows)
    with reading(tmp_path / "local.sqlite3") as audit:
        for key, report in reports.items():
            assert report is not None
            local_report = audit.report(key)
            assert local_report is not None
            assert [lk["quotes"] for lk in report["links"]] == [lk["quotes"] for lk in local_report["links"]]
    # each worker wrote its own evidence archive beside the audit database
    assert len(list(tmp_path.glob("dask.worker-*.warc.gz"))) == 2


def test_an_unreachable_scheduler_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.audit import run

    monkeypatch.setattr(run, "SCHEDULER_TIMEOUT", 1.0)
    (tmp_path / "a.md").write_text("Hello [x](https://example.org).")
    code = main(
        ["audit", str(tmp_path / "a.md"), "--audit-db", str(tmp_path / "a.sqlite3"), "--executor", "dask",
         "--scheduler", "tcp://127.0.0.1:9"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "Could not reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err
