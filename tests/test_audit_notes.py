"""The audit reads what the user saved in the reader (sources attached by hand, the published version to
restore links from) exactly as `check` does, article by article; an unreadable notes database is a
sentence, not a failed article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, LocalServer

from tui.cli import main
from tui.core.audit.db import reading
from tui.core.locations import article_key
from tui.core.notes import NoteStore, NoteTarget
from tui.core.pipeline import Checker, CheckOptions

OPED = REPO / "tests" / "fixtures" / "copied-oped"
SOURCES = OPED / "sources"
COUNT_KEYS = ("claims", "quotes", "verbatim", "altered", "not_found", "not_checked", "sources_read")


@pytest.fixture
def desk(tmp_path: Path, local_server: LocalServer) -> dict[str, Path]:
    """Three copies of the stripped op-ed: one with a source attached in the reader, one with a saved
    published version (served from 127.0.0.1), one with nothing saved; and the notes database."""
    folder = tmp_path / "desk"
    folder.mkdir()
    paths = {name: folder / f"{name}.md" for name in ("attached", "restored", "plain")}
    for path in paths.values():
        shutil.copy(OPED / "copied-oped.md", path)
    for route, file in (
        ("/ledger/interview", "ledger-interview.html"),
        ("/ledger/costs", "ledger-interview.html"),
    ):
        local_server.route(route, (SOURCES / file).read_bytes(), headers={"Content-Type": "text/html"})
    published = tmp_path / "published.html"
    html = (OPED / "published.html").read_text(encoding="utf-8").replace("{{BASE}}", local_server.url(""))
    published.write_text(html, encoding="utf-8")
    db = tmp_path / "notes.sqlite3"
    checker = Checker(_load(paths["attached"]), CheckOptions(fetch=False))
    ledger = checker.links[1]
    with NoteStore.open(db) as store:
        store.attach_source(
            NoteTarget.for_claim(checker.article, ledger),
            file=str(SOURCES / "ledger-interview.html"),
            anchor_text=ledger.anchor_text,
        )
        store.set_links_from(article_key(str(paths["restored"])), str(published))
    return {**paths, "folder": folder, "db": db, "published": published}


def _load(path: Path):
    from tui.core.article import load_article_file

    return load_article_file(path)


def _check(capsys: pytest.CaptureFixture[str], path: Path, db: Path) -> dict:
    code = main(["check", str(path), "--db", str(db), "--format", "json", "--allow-private", "--no-archive"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_the_audit_uses_the_saved_sources_as_check_does(
    tmp_path: Path, desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    audit_db = tmp_path / "audit.sqlite3"
    args = ["audit", str(desk["folder"]), "--audit-db", str(audit_db), "--db", str(desk["db"])]
    code = main([*args, "--allow-private", "--no-archive", "--format", "json", "--html", str(tmp_path / "h")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "not used" not in out.err
    entries = {Path(a["location"]).stem: a for a in json.loads(out.out)["articles"]}
    assert {e["state"] for e in entries.values()} == {"done"}
    with reading(audit_db) as audit:
        reports = {Path(r.location).stem: audit.report(r.key) for r in audit.rows()}
    for name in ("attached", "restored", "plain"):
        checked = _check(capsys, desk[name], desk["db"])
        assert {k: entries[name][k] for k in COUNT_KEYS} == {k: checked["counts"][k] for k in COUNT_KEYS}, (
            name
        )
        assert reports[name]["links_from"] == checked["links_from"], name
        supplied = [link["source_supplied"] for link in reports[name]["links"]]
        assert supplied == [link["source_supplied"] for link in checked["links"]], name
        assert reports[name]["notes_error"] is None
    # what the notes hold makes a difference: the attached source is read, the published links restored
    assert reports["attached"]["links"][1]["source_supplied"] is True
    assert not any(link["source_supplied"] for link in reports["plain"]["links"])
    assert reports["restored"]["links_from"]["location"] == str(desk["published"])
    assert reports["restored"]["links_from"]["recovered"] and reports["plain"]["links_from"] is None
    assert entries["attached"]["sources_read"] > entries["plain"]["sources_read"]
    assert entries["restored"]["sources_read"] > entries["plain"]["sources_read"]
    # and the HTML report says where the source came from
    pages = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "h" / "articles").glob("*.html")}
    [attached_page] = [text for text in pages.values() if "attached.md</p>" in text]
    assert "Source supplied by hand:" in attached_page and "ledger-interview.html" in attached_page
    [restored_page] = [text for text in pages.values() if "restored.md</p>" in text]
    assert "Link restored from the published version" in restored_page


def test_an_unreadable_notes_database_is_a_sentence_not_a_failed_article(
    tmp_path: Path, desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database at all" * 100)
    audit_db = tmp_path / "audit.sqlite3"
    code = main(
        [
            "audit", str(desk["plain"]), str(desk["attached"]), "--audit-db", str(audit_db),
            "--db", str(broken), "--offline", "--no-archive", "--format", "json",
            "--html", str(tmp_path / "h"),
        ]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert {a["state"] for a in json.loads(out.out)["articles"]} == {"done"}
    [line] = [line for line in out.err.splitlines() if "not used" in line]
    assert str(broken) in line and "2 article(s)" in line
    with reading(audit_db) as audit:
        for row in audit.rows():
            sentence = audit.report(row.key)["notes_error"]
            assert (
                sentence.startswith("Sources attached in the reader were not used:")
                and str(broken) in sentence
            )
    index = (tmp_path / "h" / "index.html").read_text(encoding="utf-8")
    assert "Your verdicts and notes are not shown" in index
    [page, _] = sorted((tmp_path / "h" / "articles").glob("*.html"))
    assert "Sources attached in the reader were not used" in page.read_text(encoding="utf-8")


# -- --source / --sources / --links-from name one article's links ------------------------------------


@pytest.mark.parametrize("flag", ["--source", "--sources", "--links-from"])
def test_per_article_flags_are_refused_for_many_articles_with_one_sentence(
    tmp_path: Path, desk: dict[str, Path], capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    ledger = SOURCES / "ledger-interview.html"
    (tmp_path / "sources.json").write_text(json.dumps({"2": str(ledger)}), encoding="utf-8")
    value = {"--source": f"2={ledger}", "--sources": str(tmp_path / "sources.json")}
    flag = [flag, value.get(flag, str(desk["published"]))]
    audit_db = tmp_path / "audit.sqlite3"
    code = main(["audit", str(desk["folder"]), "--audit-db", str(audit_db), "--offline", *flag])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    [line] = out.err.strip().splitlines()
    assert flag[0] in line and "one article" in line and "3 articles" in line
    with reading(audit_db) as audit:
        assert audit.rows() == []  # nothing was checked with a KEY meant for another article


def test_with_one_article_the_flags_apply_and_a_bad_key_is_its_own_sentence(
    tmp_path: Path, desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = SOURCES / "ledger-interview.html"
    base = [
        "audit",
        str(desk["plain"]),
        "--offline",
        "--no-archive",
        "--format",
        "json",
        "--db",
        str(desk["db"]),
    ]
    code = main([*base, "--audit-db", str(tmp_path / "a.sqlite3"), "--source", f"2={ledger}"])
    out = capsys.readouterr()
    assert code == 0, out.err
    [entry] = json.loads(out.out)["articles"]
    checked = json.loads(
        _run_check(capsys, str(desk["plain"]), "--offline", "--no-archive", "--source", f"2={ledger}")
    )
    assert entry["state"] == "done" and entry["verbatim"] == checked["counts"]["verbatim"] > 0
    code = main([*base, "--audit-db", str(tmp_path / "b.sqlite3"), "--source", f"99={ledger}"])
    out = capsys.readouterr()
    assert code == 0, out.err
    [entry] = json.loads(out.out)["articles"]
    assert entry["state"] == "failed"
    assert entry["error"].startswith("There is no link 99") and "report it" not in entry["error"]


def _run_check(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", *args, "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


async def test_any_sourcecheck_error_is_its_own_sentence_not_a_bug_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.audit import runner
    from tui.core.errors import ArchiveError, AttachError, SourcecheckError

    for error in (AttachError("The file x.html is not there."), ArchiveError("The archive y is damaged.")):

        async def failing(location: str, options: CheckOptions, on_event=None, *, sources=None, _e=error):
            raise _e

        monkeypatch.setattr(runner, "check_location", failing)
        result = await runner.check_article(str(tmp_path / "a.md"), CheckOptions(use_archive=False))
        assert isinstance(error, SourcecheckError)
        assert (result.state, result.error) == ("failed", str(error))
