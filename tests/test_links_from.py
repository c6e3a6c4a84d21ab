"""`--links-from`: the targets of a copied article's stripped and missing links, restored from its published
version by anchor text and the words around it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, LocalServer

from tui.cli import main
from tui.core.article import load_article_file
from tui.core.links import find_links
from tui.core.recovery import restore_links

OPED = REPO / "tests" / "fixtures" / "copied-oped"
SOURCES = OPED / "sources"
# the published version's paths -> (file served, content type)
SERVED = {
    "/report.pdf": (REPO / "tests" / "fixtures" / "report.pdf", "application/pdf"),
    "/ledger/interview": (SOURCES / "ledger-interview.html", "text/html; charset=utf-8"),
    "/ledger/costs": (SOURCES / "ledger-interview.html", "text/html; charset=utf-8"),
    "/council/minutes": (SOURCES / "council-minutes.html", "text/html; charset=utf-8"),
    "/radio/engineer": (SOURCES / "radio-transcript.txt", "text/plain; charset=utf-8"),
    "/radio/transcript": (SOURCES / "radio-transcript.txt", "text/plain; charset=utf-8"),
    "/residents/letter": (SOURCES / "residents-letter.html", "text/html; charset=utf-8"),
    "/residents/survey": (SOURCES / "survey.html", "text/html; charset=utf-8"),
}
# the copy's citation links in reading order -> the published path each one must get back
EXPECTED = [
    "/report.pdf",
    "/ledger/interview",
    "/ledger/costs",  # "said" (the cost) ...
    "/council/minutes",
    "/radio/engineer",  # ... and "said" (the engineer): the same anchor text, told apart by its words
    "/radio/transcript",
    "/residents/letter",
    "/residents/survey",
]


@pytest.fixture
def published(tmp_path: Path, local_server: LocalServer) -> Path:
    for path, (file, ctype) in SERVED.items():
        local_server.route(path, file.read_bytes(), headers={"Content-Type": ctype})
    html = (OPED / "published.html").read_text(encoding="utf-8").replace("{{BASE}}", local_server.url(""))
    out = tmp_path / "published.html"
    out.write_text(html, encoding="utf-8")
    return out


def check(capsys, *args: str) -> dict:
    code = main(["check", *args, "--format", "json", "--allow-private", "--no-archive"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_stripped_links_are_restored_and_checked(published: Path, local_server: LocalServer, capsys) -> None:
    report = check(capsys, str(OPED / "copied-oped.md"), "--links-from", str(published))
    citations = [link for link in report["links"] if link["role"] == "citation"]
    assert [link["url"] for link in citations] == [local_server.url(p) for p in EXPECTED]
    assert all(link["link_recovered"] and link["target_kind"] == "web" for link in citations)
    assert report["links_from"] == {
        "location": str(published.resolve()),
        "error": None,
        "recovered": [link["index"] for link in citations],
        "not_recovered": [],
    }
    assert all(link["fetch"]["status"] == "ok" for link in citations)
    quotes = {q["text"]: q for link in citations for q in link["quotes"]}
    by_words = {words: next(q for t, q in quotes.items() if words in t) for words in ("2035", "raise bills")}
    assert by_words["2035"]["match"] == "altered" and "number" in by_words["2035"]["flags"]
    assert by_words["raise bills"]["match"] == "verbatim"
    # the engineer's "said" now leads to the transcript itself
    elm = next(q for t, q in quotes.items() if "Elm Street" in t)
    assert (elm["match"], elm["found_in_link"]) == ("verbatim", None)
    # the article's date comes from the copy's byline (Markdown with no front matter)
    assert report["article"]["published"] == "2025-03-04"


def test_missing_links_of_a_plain_text_copy_are_added(
    published: Path, local_server: LocalServer, capsys
) -> None:
    report = check(capsys, str(OPED / "copied-oped.txt"), "--links-from", str(published), "--no-fetch")
    recovered = [link for link in report["links"] if link["link_recovered"]]
    assert [link["url"] for link in recovered] == [local_server.url(p) for p in EXPECTED]
    assert [link["anchor_text"] for link in recovered][2:5] == ["said", "council meeting", "said"]
    assert report["links_from"]["not_recovered"] == []


def test_links_the_published_version_lacks_are_reported_as_not_recovered(
    published: Path, local_server: LocalServer, capsys
) -> None:
    html = published.read_text(encoding="utf-8")
    survey = f'<a href="{local_server.url("/residents/survey")}">survey by the residents\' association</a>'
    assert survey in html
    published.write_text(html.replace(survey, "survey by the residents' association"), encoding="utf-8")
    report = check(capsys, str(OPED / "copied-oped.md"), "--links-from", str(published), "--no-fetch")
    assert report["links_from"]["not_recovered"] == [7]
    assert report["links"][7]["url"] is None and report["links"][7]["link_recovered"] is False
    code = main(["check", str(OPED / "copied-oped.md"), "--links-from", str(published), "--no-fetch"])
    text = capsys.readouterr().out
    assert code == 0 and "still without a target: [8]" in text and "Links restored from" in text


def test_an_unreadable_published_version_is_said_not_fatal(tmp_path: Path, capsys) -> None:
    report = check(
        capsys, str(OPED / "copied-oped.md"), "--links-from", str(tmp_path / "nope.html"), "--no-fetch"
    )
    assert report["links_from"]["error"].startswith("The article file")
    assert report["links_from"]["recovered"] == []


def test_a_link_that_already_works_is_left_alone(tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    copy.write_text(
        'The mayor [told us](https://ours.example/a) it was "fine". The [minutes](#) disagree.\n',
        encoding="utf-8",
    )
    pub = tmp_path / "pub.md"
    pub.write_text(
        'The mayor [told us](https://theirs.example/a) it was "fine". '
        "The [minutes](https://m.example/) disagree.\n",
        encoding="utf-8",
    )
    restored = restore_links(load_article_file(copy), load_article_file(pub), str(pub))
    urls = [link.url for link in find_links(restored)]
    assert urls == ["https://ours.example/a", "https://m.example/"]
    assert restored.link_recovery is not None and len(restored.link_recovery.recovered) == 1


def test_same_anchor_text_in_unrelated_context_is_not_linked(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "A long paragraph about the weather in spring, where nothing is cited at all.\n", encoding="utf-8"
    )
    pub = tmp_path / "pub.md"
    pub.write_text(
        "The council published [nothing](https://c.example/) about the ramps this year.\n", encoding="utf-8"
    )
    restored = restore_links(load_article_file(copy), load_article_file(pub), str(pub))
    assert find_links(restored) == ()
