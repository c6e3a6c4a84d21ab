"""End-to-end: `sourcecheck check` against sources served by a local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

SOURCE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Harbour council votes on bridge</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour council votes on bridge</h1>
<p>The council met on Tuesday evening to debate the future of the old harbour bridge, which has carried
traffic across the estuary since 1931 and now needs urgent repairs.</p>
<p>"We will not close the bridge before the new crossing is ready," said councillor Maria Okafor, who chairs
the transport committee. "The town depends on it every single day."</p>
<p>Engineers told the meeting that repairs would cost 14 million pounds over three years, and that the
deck could carry lorries again by the spring if work began at once.</p>
<p>Residents who spoke at the meeting said they wanted a clear timetable, but the council made no promise
about dates, citing an inspection report that is still unfinished.</p>
</article><footer>Copyright The Estuary Echo. <a href="/privacy">Privacy</a></footer></body></html>"""

ARTICLE = """# The bridge debate

By [Sam Writer](/authors/sam)

Councillor Maria Okafor told the [Estuary Echo]({page}) that "we will not close the bridge before the new
crossing is ready." She also said "the town depends on it every single day."

Engineers at the meeting, according to [the same report]({page}), put the cost at "18 million pounds over
three years" and said the deck "could carry lorries again by the spring".

The mayor, reached by [telephone](#), insisted the bridge was "perfectly safe".

A [second article]({missing}) has since vanished.
"""


def contract_keys() -> dict[str, set[str]]:
    return {
        "top": {"article", "links", "unattributed_quotes"},
        "article": {"location", "title", "text_chars"},
        "link": {
            "index",
            "url",
            "target_kind",
            "anchor_text",
            "claim",
            "claim_start",
            "claim_end",
            "fetch",
            "quotes",
            "evidence",
        },
        "fetch": {
            "status",
            "http_status",
            "final_url",
            "content_type",
            "title",
            "text_chars",
            "from_archive",
            "error",
        },
        "quote": {
            "text",
            "article_start",
            "article_end",
            "match",
            "similarity",
            "source_text",
            "source_start",
            "source_end",
            "prefix",
            "suffix",
            "found_in_link",
            "in_main_text",
            "other_matches",
            "flags",
            "diff",
        },
        "evidence": {"text", "source_start", "source_end", "score"},
    }


@pytest.fixture
def article_path(tmp_path: Path, local_server) -> Path:
    page = local_server.route("/news/bridge", SOURCE_PAGE)
    missing = local_server.url("/news/gone")  # not registered: the server answers 404
    path = tmp_path / "bridge.md"
    path.write_text(ARTICLE.format(page=page, missing=missing), encoding="utf-8")
    return path


def run_check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_report_keeps_the_contract(article_path: Path, capsys) -> None:
    code, out, _ = run_check(capsys, str(article_path), "--format", "json", "--allow-private")
    assert code == 0
    report = json.loads(out)
    keys = contract_keys()
    assert keys["top"] <= report.keys()
    assert keys["article"] <= report["article"].keys()
    text = article_path.read_text(encoding="utf-8")
    assert report["article"]["title"] == "The bridge debate"
    for link in report["links"]:
        assert keys["link"] <= link.keys()
        assert keys["fetch"] <= link["fetch"].keys()
        for quote in link["quotes"]:
            assert keys["quote"] <= quote.keys()
            assert 0.0 <= quote["similarity"] <= 1.0
        for evidence in link["evidence"]:
            assert keys["evidence"] <= evidence.keys()
    assert report["article"]["text_chars"] < len(text)  # Markdown syntax is gone from the plain text


def test_quotes_are_classified_against_the_served_source(article_path: Path, capsys) -> None:
    _, out, _ = run_check(capsys, str(article_path), "--format", "json", "--allow-private")
    report = json.loads(out)
    quotes = {q["text"]: q for link in report["links"] for q in link["quotes"]}
    exact = quotes["we will not close the bridge before the new crossing is ready."]
    assert exact["match"] == "verbatim"
    assert exact["source_text"].lower().startswith("we will not close the bridge")
    changed = quotes["18 million pounds over three years"]
    assert changed["match"] == "altered"
    assert "number" in changed["flags"]
    assert [-1, "14"] in changed["diff"] or any(op == -1 and "14" in t for op, t in changed["diff"])
    # a stripped link's quote absent from the article's other sources: never read in its own, "not checked"
    stripped = quotes["perfectly safe"]
    assert (stripped["status"], stripped["searched"], stripped["match"]) == (
        "not_checked",
        False,
        "not_found",
    )


def test_each_failure_is_a_sentence_on_its_link(article_path: Path, capsys) -> None:
    _, out, _ = run_check(capsys, str(article_path), "--format", "json", "--allow-private")
    links = {link["anchor_text"]: link for link in json.loads(out)["links"]}
    dead = links["second article"]["fetch"]
    assert dead["status"] == "error" and dead["http_status"] == 404
    assert "404" in dead["error"] and "Traceback" not in dead["error"]
    stripped = links["telephone"]
    assert stripped["target_kind"] == "fragment" and stripped["url"] is None
    assert stripped["fetch"]["status"] == "skipped"
    ok = links["Estuary Echo"]["fetch"]
    assert ok["status"] == "ok" and ok["http_status"] == 200
    assert ok["title"] == "Harbour council votes on bridge"
    byline = links["Sam Writer"]
    assert byline["role"] == "boilerplate"


def test_private_addresses_are_refused_by_default(article_path: Path, capsys) -> None:
    _, out, _ = run_check(capsys, str(article_path), "--format", "json")
    links = {link["anchor_text"]: link for link in json.loads(out)["links"]}
    refused = links["Estuary Echo"]["fetch"]
    assert refused["status"] == "error"
    assert "--allow-private" in refused["error"]


def test_second_run_reads_the_archive_offline(article_path: Path, capsys, local_server) -> None:
    run_check(capsys, str(article_path), "--format", "json", "--allow-private")
    hits = dict(local_server.hits)
    code, out, _ = run_check(capsys, str(article_path), "--format", "json", "--offline")
    assert code == 0
    links = {link["anchor_text"]: link for link in json.loads(out)["links"]}
    assert links["Estuary Echo"]["fetch"]["from_archive"] is True
    assert links["Estuary Echo"]["quotes"][0]["match"] == "verbatim"
    assert local_server.hits == hits  # the network was not touched


def test_no_fetch_lists_links_and_quotes_only(article_path: Path, capsys, local_server) -> None:
    code, out, _ = run_check(capsys, str(article_path), "--format", "json", "--no-fetch")
    assert code == 0
    report = json.loads(out)
    assert {link["fetch"]["status"] for link in report["links"]} == {"skipped"}
    assert sum(len(link["quotes"]) for link in report["links"]) >= 5
    assert local_server.hits == {}


def test_text_format_shows_progress_and_a_summary(article_path: Path, capsys) -> None:
    code, out, err = run_check(capsys, str(article_path), "--format", "text", "--allow-private", "--progress")
    assert code == 0
    assert "2/2 sources" in err
    assert "ALTERED" in out and "not checked (no source text to look in)" in out and "NOT FOUND" not in out
    assert "quotes:" in out.splitlines()[-1]


def test_markdown_format_is_a_report(article_path: Path, capsys) -> None:
    code, out, _ = run_check(capsys, str(article_path), "--format", "markdown", "--allow-private")
    assert code == 0
    assert out.startswith("#")
    assert "18 million pounds" in out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing.md", "does not exist"),
        (lambda p: p, "directory"),
        (lambda p: (p / "empty.md").write_text("  \n") and p / "empty.md", "empty"),
        (lambda p: (p / "blob.html").write_bytes(b"\x00\x01\x02\xff" * 100) and p / "blob.html", "binary"),
    ],
    ids=["missing", "directory", "empty", "binary"],
)
def test_unusable_articles_exit_2_with_one_line(tmp_path: Path, make, expected: str) -> None:
    target = make(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", str(target), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0].lower()
    assert "Traceback" not in proc.stderr


def test_unreachable_article_url_exits_2(local_server) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", local_server.url("/nothing-here"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_article_from_a_url(public_server, capsys) -> None:
    page = public_server.route("/news/bridge", SOURCE_PAGE).replace("127.0.0.2", "news.test")
    code, out, _ = run_check(capsys, page, "--format", "json", "--no-fetch")
    assert code == 0
    report = json.loads(out)
    assert report["article"]["title"] == "Harbour council votes on bridge"
    assert report["article"]["location"] == page


def test_terminal_escapes_never_reach_stdout(tmp_path: Path, capsys) -> None:
    """Articles are untrusted: an ESC sequence or a one-byte CSI (U+009B) must not reach the terminal."""
    path = tmp_path / "evil.md"
    path.write_text(
        "# Title \x1b]52;c;ZXZpbA==\x07 here\n\n"
        "She said “stop \x9b31m now \u202e gnol” at [the meeting](#).\n",
        encoding="utf-8",
    )
    for fmt in ("text", "markdown", "json"):
        code, out, _ = run_check(capsys, str(path), "--format", fmt, "--no-fetch")
        assert code == 0
        assert not any(ch in out for ch in "\x1b\x9b\u202e\x07"), fmt
    report = json.loads(out)  # the JSON still carries the exact characters, as escapes
    assert "\x9b31m" in report["links"][0]["quotes"][0]["text"]


def test_quotes_of_unfetched_links_are_not_counted_as_not_found(article_path: Path, capsys) -> None:
    _, out, _ = run_check(capsys, str(article_path), "--format", "json", "--no-fetch")
    quotes = [q for link in json.loads(out)["links"] for q in link["quotes"]]
    assert quotes and not any(q["searched"] for q in quotes)
    _, text, _ = run_check(capsys, str(article_path), "--format", "text", "--no-fetch")
    assert " 0 not found, " in text.splitlines()[-1] and "not checked" in text.splitlines()[-1]
