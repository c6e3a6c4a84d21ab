"""Quotes with no link count where people read counts: the text report's last line, the audit's table, JSON
and CSV, its attention order and the reader's audit list. The citation counts keep their meaning (the JSON
contract); the quotes with no link are added beside them (`unattributed_<status>`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import LocalServer

from tests.audit_fixtures import SOURCE
from tui.cli import main
from tui.session.audit_list import AuditListing

CITED = 'The [report]({src}) says "repairs would cost 14 million pounds".\n\n'
UNLINKED = 'At the meeting, the mayor said "we will rebuild the pier by June and not a day later".\n'
UNLINKED_KEYS = ("unattributed_verbatim", "unattributed_altered", "unattributed_not_found")


@pytest.fixture
def desk(tmp_path: Path, local_server: LocalServer) -> Path:
    """clean: one verbatim quote of a link; lonely: only a quote with no link and no source at all (never
    searched); missing: a verbatim quote of a link and a quote with no link searched there and absent."""
    src = local_server.route("/report", SOURCE.format(title="Inspection report"))
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a-clean.md").write_text(CITED.format(src=src), encoding="utf-8")
    (folder / "b-lonely.md").write_text(UNLINKED, encoding="utf-8")
    (folder / "c-missing.md").write_text(UNLINKED + "\n" + CITED.format(src=src), encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main([*args, "--allow-private", "--no-archive"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_the_text_report_counts_the_quotes_with_no_link_by_status(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = run(capsys, "check", str(desk / "c-missing.md")).strip().splitlines()[-1]
    assert last.startswith("1 sources read, 0 failed; quotes: 1 verbatim, 0 altered, 0 not found")
    assert last.endswith("1 unattributed (1 not found)")
    report = json.loads(run(capsys, "check", str(desk / "c-missing.md"), "--format", "json"))
    counts = report["counts"]
    assert (counts["verbatim"], counts["not_found"], counts["unattributed"]) == (1, 0, 1)  # meanings kept
    assert counts["unattributed_not_found"] == 1 and counts["unattributed_not_checked"] == 0
    lonely = run(capsys, "check", str(desk / "b-lonely.md")).strip().splitlines()[-1]
    assert lonely.endswith("1 unattributed (1 not checked)")


def test_the_audit_counts_and_orders_by_the_quotes_with_no_link(
    tmp_path: Path, desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "audit.sqlite3"
    base = ["audit", str(desk), "--audit-db", str(db), "--no-progress"]
    summary = json.loads(run(capsys, *base, "--format", "json"))
    entries = {Path(a["location"]).stem: a for a in summary["articles"]}
    lonely, missing, clean = entries["b-lonely"], entries["c-missing"], entries["a-clean"]
    assert [lonely[k] for k in ("quotes", "verbatim", "altered", "not_found", "not_checked")] == [0] * 5
    assert (lonely["unattributed"], lonely["unattributed_not_checked"]) == (1, 1)
    assert (missing["not_found"], missing["unattributed_not_found"], missing["verbatim"]) == (0, 1, 1)
    assert all(clean[k] == 0 for k in (*UNLINKED_KEYS, "unattributed_not_checked"))
    assert (
        summary["totals"]["unattributed_not_found"] == 1
        and summary["totals"]["unattributed_not_checked"] == 1
    )
    # the table: most attention first, the quotes with no link after a +
    table = run(capsys, *base, "--html", str(tmp_path / "h")).splitlines()
    header, rows = table[0].split(), [line for line in table[1:4]]
    assert [r.rsplit("/", 1)[-1] for r in rows] == ["b-lonely.md", "c-missing.md", "a-clean.md"]
    cells = {r.rsplit("/", 1)[-1]: dict(zip(header, r.split(), strict=False)) for r in rows}
    assert cells["c-missing.md"]["notfound"] == "0+1" and cells["c-missing.md"]["verbatim"] == "1"
    assert cells["b-lonely.md"]["unchecked"] == "0+1" and cells["a-clean.md"]["notfound"] == "0"
    assert "n+m = n quotes of links and m quotes with no link" in table[-1]
    index = (tmp_path / "h" / "index.html").read_text(encoding="utf-8")
    assert ">0+1</td>" in index and ", no link</th>" not in index  # in the cells, not columns of their own
    # the CSV: the new counts after the others, the error last
    lines = list(csv.reader(io.StringIO(run(capsys, *base, "--format", "csv"))))
    assert lines[0][-5:] == [
        "unattributed_verbatim", "unattributed_altered", "unattributed_not_found", "unattributed_not_checked",
        "error",
    ]  # fmt: skip
    # the reader's list of the audit says it too
    details = {Path(e.location).stem: e for e in AuditListing(db).load()}
    assert "1 not checked (no link)" in details["b-lonely"].detail
    assert "nothing to look at" not in details["b-lonely"].detail
    assert details["b-lonely"].attention == 1 and details["a-clean"].attention == 0
    assert "1 not found (no link)" in details["c-missing"].detail
