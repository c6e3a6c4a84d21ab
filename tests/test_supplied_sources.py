"""Sources supplied by hand (issue 12): `--source`/`--sources`, files read through the fetch path, sources
saved with the notes and used again by `check` and `export`, quotes with no link searched everywhere."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, LocalServer

from tui.cli import main
from tui.core.article import load_article_file
from tui.core.errors import AttachError
from tui.core.events import LinkChecked, PipelineFinished, QuotesChecked
from tui.core.fetch import FetchConfig, fetch_sources
from tui.core.locations import article_key
from tui.core.notes import NoteStore, NoteTarget
from tui.core.pipeline import Checker, CheckOptions
from tui.core.supplied import load_sources_file, parse_source_option, parse_target

OPED = REPO / "tests" / "fixtures" / "copied-oped"
SURVEY = (OPED / "sources" / "survey.html").read_bytes()

# quote (a few words of it) -> (match, the link number (from 1) whose source holds it, or None). Which link a
# quote is reported under is the attribution rules' call; where it is found is this design's.
DESIGNED = {
    "no violations of drinking water": ("verbatim", 1),
    "312 lead service lines by 2035": ("altered", 1),
    "a problem we inherited": ("altered", 2),
    "will not raise bills": ("verbatim", 3),
    "published three months late": ("verbatim", 4),
    "staff shortages": ("verbatim", 4),  # an ellipsis over "in the water quality team"
    "Elm Street mains since 2019": ("verbatim", 6),  # "said" -> the interview; it is in the transcript
    "the biggest job": ("verbatim", 6),
    "a public register": ("verbatim", 7),
    "full transparency": ("not_found", None),
    "coming out of the tap": ("verbatim", 4),  # said at the council meeting
}


def quote_map(report: dict) -> dict[str, tuple[dict, int | None]]:
    out = {}
    for link in report["links"]:
        for q in link["quotes"]:
            out[q["text"]] = (q, link["index"] + 1)
    for q in report["unattributed_quotes"]:
        out[q["text"]] = (q, None)
    return out


def find(report: dict, words: str) -> tuple[dict, int | None]:
    [hit] = [v for text, v in quote_map(report).items() if words in text]
    return hit


def check_json(capsys, *args: str) -> dict:
    code = main(["check", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def survey_url(local_server: LocalServer) -> str:
    return local_server.route("/residents/survey", SURVEY)


def test_copied_oped_with_a_sources_file_gets_the_designed_classes(capsys, survey_url: str) -> None:
    report = check_json(
        capsys,
        str(OPED / "copied-oped.md"),
        "--sources",
        str(OPED / "sources.json"),
        "--source",
        f"8={survey_url}",
        "--allow-private",
        "--no-archive",
    )
    citations = [link for link in report["links"] if link["role"] == "citation"]
    assert len(citations) == 8 and all(link["target_kind"] == "fragment" for link in citations)
    for link in citations:
        assert link["source_supplied"] is True
        assert link["fetch"]["status"] == "ok", link["fetch"]["error"]
        assert link["url"] is None  # the article's own target stays as printed
    assert report["links"][0]["supplied_target"] == "../report.pdf"
    assert report["links"][0]["fetch"]["title"] == "Annual Water Quality Report 2025"
    assert report["links"][7]["supplied_target"] == survey_url
    assert report["links"][7]["evidence"], "a claim with no quote still gets evidence from its source"
    for words, (match, holder) in DESIGNED.items():
        quote, under = find(report, words)
        assert quote["match"] == match and quote["searched"] is True, words
        found_in = quote["found_in_link"] + 1 if quote["found_in_link"] is not None else under
        assert found_in == (holder or found_in), words
    assert "number" in find(report, "by 2035")[0]["flags"]
    assert find(report, "by 2035")[0]["source_text"].endswith("by 2030")
    # a quote with no link is searched in every source, and says so
    motto, under = find(report, "clean water for every home")
    assert under is None and motto["match"] == "not_found" and motto["searched"] is True
    assert motto["source_supplied"] is False and motto["fetch"] is None


def test_anchor_text_key_applies_to_every_link_with_that_text(tmp_path: Path, capsys) -> None:
    # "said" is the anchor text of links 3 and 5: one key gives both the same source
    report = check_json(
        capsys,
        str(OPED / "copied-oped.md"),
        "--source",
        f"said={OPED / 'sources' / 'radio-transcript.txt'}",
        "--no-archive",
    )
    supplied = [link["index"] + 1 for link in report["links"] if link["source_supplied"]]
    assert supplied == [3, 5]
    assert find(report, "Elm Street mains")[0]["match"] == "verbatim"
    assert find(report, "Elm Street mains")[0]["found_in_link"] is None  # its own source now


def test_relative_paths_on_the_command_line_are_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(OPED / "sources")
    report = check_json(
        capsys, str(OPED / "copied-oped.md"), "--source", "morning show=radio-transcript.txt", "--no-archive"
    )
    assert report["links"][5]["fetch"]["status"] == "ok"
    assert report["links"][5]["supplied_target"] == "radio-transcript.txt"
    # in a sources file, relative to the file's folder wherever the command runs from
    monkeypatch.chdir(tmp_path)
    pairs = dict(load_sources_file(OPED / "sources.json"))
    assert pairs["annual report"].url == (REPO / "tests" / "fixtures" / "report.pdf").resolve().as_uri()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--source", "9=https://example.org/x"], "There is no link 9: the article has 8 links"),
        (["--source", "the mayor=https://example.org/x"], "No link has the anchor text 'the mayor'"),
        (["--source", "2=no-such-file.html"], "The file no-such-file.html does not exist"),
        (["--source", "2=ftp://example.org/x"], "Only web addresses (http, https) and local files"),
        (["--source", "just-a-key"], "--source wants KEY=TARGET"),
        (["--sources", "missing.json"], "The sources file missing.json does not exist"),
    ],
)
def test_bad_keys_and_targets_are_one_line_and_exit_2(args: list[str], says: str, capsys) -> None:
    code = main(["check", str(OPED / "copied-oped.md"), *args, "--no-archive", "--no-fetch"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert says in err and err.count("\n") == 1


def test_sources_file_must_be_an_object_of_strings(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    for text in ("[1, 2]", '{"1": 3}', "{nope"):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(AttachError, match=r"sources file"):
            load_sources_file(bad)


def test_parse_target_kinds(tmp_path: Path) -> None:
    page = tmp_path / "saved page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    assert parse_target("https://example.org/a?b=c").kind == "url"
    as_file = parse_target("saved page.html", tmp_path)
    assert as_file.kind == "file" and as_file.url == page.resolve().as_uri()
    assert parse_target(page.resolve().as_uri()).url == as_file.url
    with pytest.raises(AttachError, match="is a folder"):
        parse_target(str(tmp_path))
    with pytest.raises(AttachError, match="does not exist"):
        parse_target("missing.html", tmp_path)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    for special in (fifo, Path("/dev/zero")):  # never read, and not called missing
        with pytest.raises(AttachError, match="not a regular file"):
            parse_target(str(special))
    with pytest.raises(AttachError, match="Not a usable web address"):
        parse_target("https://")
    key, target = parse_source_option("the report=https://example.org/r?x=1")
    assert (key, target.url) == ("the report", "https://example.org/r?x=1")


# ---------------------------------------------------------------------------------------------------------
# Files go through the fetch path: only when supplied, with the body budget, archived


async def test_a_file_is_read_only_when_the_user_supplied_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private words", encoding="utf-8")
    url = secret.as_uri()
    config = FetchConfig(extract_mode="inline")
    [refused] = [o async for o in fetch_sources([url], config)]
    assert refused.source is None and refused.error.startswith("Refused: sourcecheck reads a file")
    allowed = FetchConfig(extract_mode="inline", local_files=frozenset({url}))
    [read] = [o async for o in fetch_sources([url], allowed)]
    assert read.source is not None and "private words" in read.source.text


async def test_a_file_over_the_body_budget_is_refused_with_a_sentence(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    config = FetchConfig(extract_mode="inline", max_bytes=1024, local_files=frozenset({big.as_uri()}))
    [out] = [o async for o in fetch_sources([big.as_uri()], config)]
    assert out.source is None and "larger than 0.0009765625 MB" not in out.error
    assert "is larger than" in out.error and "sourcecheck's limit" in out.error


def test_a_supplied_file_is_archived_and_replayed_once_it_is_gone(tmp_path: Path, capsys) -> None:
    article = tmp_path / "oped.md"
    shutil.copy(OPED / "copied-oped.md", article)
    saved = tmp_path / "transcript.txt"
    shutil.copy(OPED / "sources" / "radio-transcript.txt", saved)
    args = [str(article), "--source", f"6={saved}"]
    first = check_json(capsys, *args)
    assert first["links"][5]["fetch"]["from_archive"] is False
    saved.unlink()
    again = check_json(capsys, *args[:1], "--source", f"6={OPED / 'sources' / 'radio-transcript.txt'}")
    assert again["links"][5]["fetch"]["status"] == "ok"
    # the stored path no longer exists: a plan built from a saved attachment still reads the archive
    from tui.core.models import SuppliedTarget

    options = CheckOptions(sources=(("6", SuppliedTarget(str(saved), saved.as_uri(), "file")),))
    report = _run(article, options)
    assert report["links"][5]["fetch"]["status"] == "ok"
    assert report["links"][5]["fetch"]["from_archive"] is True


def _run(article: Path, options: CheckOptions) -> dict:
    import asyncio

    from tui.core.pipeline import check_location

    return asyncio.run(check_location(str(article), options)).report()


# ---------------------------------------------------------------------------------------------------------
# Saved with the notes: used again by check and export


@pytest.fixture
def saved_copy(tmp_path: Path) -> tuple[Path, Path, Checker]:
    """A copy of the op-ed (the notes key on its path), a notes database path, and its unfetched Checker."""
    article_file = tmp_path / "oped.md"
    shutil.copy(OPED / "copied-oped.md", article_file)
    return (
        article_file,
        tmp_path / "notes.sqlite3",
        Checker(load_article_file(article_file), CheckOptions(fetch=False)),
    )


def test_sources_saved_in_the_notes_are_used_by_check_and_export(saved_copy, capsys) -> None:
    article_file, db, checker = saved_copy
    article = checker.article
    ledger = checker.links[1]
    motto = next(q for q in checker.unattributed if "clean water" in q.text)
    tap = next(q for q in checker.quotes if "coming out of the tap" in q.text)
    with NoteStore.open(db) as store:
        store.attach_source(
            NoteTarget.for_claim(article, ledger),
            file=str(OPED / "sources" / "ledger-interview.html"),
            anchor_text=ledger.anchor_text,
        )
        store.attach_source(
            NoteTarget.for_quote(article, None, motto), file=str(OPED / "sources" / "survey.html")
        )
        store.save(NoteTarget.for_claim(article, ledger), body="Checked against the Ledger's interview.")
    assert tap.link_index == 7
    report = check_json(capsys, str(article_file), "--db", str(db), "--no-archive")
    assert report["links"][1]["source_supplied"] is True
    assert find(report, "a problem we inherited")[0]["match"] == "altered"
    motto_q, _ = find(report, "clean water")
    assert motto_q["source_supplied"] is True and motto_q["fetch"]["status"] == "ok"
    assert motto_q["supplied_target"].endswith("survey.html")
    # the quote is not in its own source nor anywhere else: searched, not found
    assert (motto_q["match"], motto_q["searched"]) == ("not_found", True)
    code = main(["export", str(article_file), "--db", str(db), "--no-archive", "--format", "markdown"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Source supplied by hand" in out and "ledger-interview.html" in out
    assert "Checked against the Ledger" in out
    code = main(["export", str(article_file), "--db", str(db), "--no-archive", "--format", "annotations"])
    annotations = json.loads(capsys.readouterr().out)
    [claim_note] = [a for a in annotations["first"]["items"] if "Ledger" in json.dumps(a["body"])]
    linking = [b["source"] for b in claim_note["body"] if b.get("purpose") == "linking"]
    assert code == 0 and linking == [(OPED / "sources" / "ledger-interview.html").resolve().as_uri()]
    # the article key is the file, as the reader saves it
    assert article_key(str(article_file)) == str(article_file.resolve())


def test_a_quote_with_no_link_can_be_put_under_a_link(saved_copy, capsys) -> None:
    article_file, db, checker = saved_copy
    article = checker.article
    motto = next(q for q in checker.unattributed if "clean water" in q.text)
    letter = checker.links[6]
    with NoteStore.open(db) as store:
        store.attach_source(
            NoteTarget.for_quote(article, None, motto), link=NoteTarget.for_claim(article, letter)
        )
    report = check_json(
        capsys, str(article_file), "--db", str(db), "--sources", str(OPED / "sources.json"), "--no-archive"
    )
    quote, under = find(report, "clean water")
    assert under == 7 and quote["source_supplied"] is True
    assert quote["match"] == "not_found" and quote["searched"] is True
    assert not any("clean water" in q["text"] for q in report["unattributed_quotes"])


# ---------------------------------------------------------------------------------------------------------
# The reader's face of the core: attach while reading


async def test_attach_while_reading_fills_the_claim(tmp_path: Path) -> None:
    article = load_article_file(OPED / "copied-oped.md")
    checker = Checker(article, CheckOptions(use_archive=False))
    events = [e async for e in checker.run()]
    finished = events[-1]
    assert isinstance(finished, PipelineFinished)
    first = finished.outcomes[3]
    assert first.fetch_status == "skipped" and all(not m.searched for _, m in first.quotes)
    # no source anywhere yet: quotes with no link are "not checked", never "not found"
    assert all(not o.match.searched for o in finished.unattributed)
    urls = checker.attach(link=3, target=parse_target(str(OPED / "sources" / "council-minutes.html")))
    later = [e async for e in checker.run(only_urls=urls, refresh=True)]
    assert isinstance(later[0], LinkChecked) and later[0].outcome.link.index == 3  # shown at once
    settled = checker.outcomes[3]
    assert settled.fetch_status == "ok" and settled.supplied is not None
    assert [m.match for _, m in settled.quotes] == ["verbatim", "verbatim"]
    assert any(isinstance(e, QuotesChecked) for e in later)
    # a quote with no link put under a link is matched against that link's source at once
    motto = next(q.start for q in checker.unattributed if "clean water" in q.text)
    assert checker.attach(quote_start=motto, to_link=3) == []
    assert any(q.text.startswith("clean water") for q, _ in checker.outcomes[3].quotes)
    assert checker.outcomes[3].user_quotes == frozenset({motto})
    with pytest.raises(AttachError):
        checker.attach(quote_start=12345, to_link=3)
