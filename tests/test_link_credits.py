"""Body citations are never taken for furniture, and a quotation's credit is never furniture.

Three kinds of fault: a body sentence that quotes someone read as an author's biography; an embedded
post's own link (its permalink) marked boilerplate, so the post is never fetched; a block quote's
`<footer><cite><a>…</a></cite></footer>` credit with nothing but the link marked boilerplate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.article import article_from_bytes
from tui.core.links import find_links
from tui.core.quotes import find_quotes


def _article(text: str, kind: str):
    content_type = "text/markdown" if kind == "md" else "text/html"
    return article_from_bytes(text.encode(), content_type=content_type, location=f"t.{kind}", base_url=None)


def roles(text: str, kind: str = "md") -> dict[str, str]:
    """Anchor text -> role."""
    return {lk.anchor_text: lk.role for lk in find_links(_article(text, kind))}


def credited(text: str, kind: str = "md") -> list[tuple[str, str | None, str | None]]:
    """(quote, anchor text of its link, attribution) in reading order."""
    article = _article(text, kind)
    links = find_links(article)
    return [
        (q.text, links[q.link_index].anchor_text if q.link_index is not None else None, q.attribution)
        for q in find_quotes(article, links)
    ]


def check_json(tmp_path: Path, capsys, text: str, kind: str) -> dict:
    path = tmp_path / f"article.{kind}"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path), "--no-fetch", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def by_anchor(report: dict) -> dict[str, dict]:
    return {link["anchor_text"]: link for link in report["links"]}


# -- 1. a body sentence is not an author's biography -------------------------------------------------

BODY_SENTENCES = [
    # a role word ("director", "reporter", "professor"...) in a sentence that quotes someone
    (
        "The bridge was “unsafe for heavy traffic”, the city's transport director told "
        "[the council](https://city.example/minutes/3).",
        "the council",
    ),
    (
        "Funding is “running out fast”, according to [a letter](https://school.example/letter) from the "
        "school's director.",
        "a letter",
    ),
    (
        "The hospital has been “stretched to breaking point”, its medical director wrote in "
        "[a blog post](https://hosp.example/blog/7).",
        "a blog post",
    ),
    (
        "“The tunnel is far too expensive,” the mayor told reporters, according to "
        "[the Courier](https://a.example/4).",
        "the Courier",
    ),
    (
        "“Anna Berg is right about the tolls,” the finance director told "
        "[the Herald](https://herald.example/tolls).",
        "the Herald",
    ),
    (
        "Prices were “rising faster than wages”, the lawyer for the tenants has said in "
        "[a court filing](https://court.example/f/9).",
        "a court filing",
    ),
    (
        "Lena Holm is the city's transport director. She told "
        "[the council](https://city.example/minutes/4) the bridge was “unsafe”.",
        "the council",
    ),
]


@pytest.mark.parametrize("md, anchor", BODY_SENTENCES)
def test_a_body_sentence_with_a_role_word_is_not_an_authors_bio(md: str, anchor: str) -> None:
    text = f"# Bridge\n\nBy [Tom Reyes](https://paper.example/staff/tom-reyes)\n\nThe council met.\n\n{md}\n"
    assert roles(text)[anchor] == "citation"
    quote = [c for c in credited(text) if c[1] == anchor]
    assert quote, credited(text)


def test_a_body_sentence_with_a_role_word_without_a_byline_is_not_a_bio() -> None:
    for md, anchor in BODY_SENTENCES:
        assert roles(f"# Bridge\n\nThe council met.\n\n{md}\n")[anchor] == "citation", md


BYLINE = "By [Tom Reyes](https://paper.example/staff/tom-reyes)"
BIOS = [
    (
        "By [Mira Talvik](#)",
        "Mira Talvik is a senior fellow at the [Baltic Policy Forum](#). Follow her on [X](#).",
    ),
    (
        BYLINE,
        "Tom Reyes is a reporter covering transport for [the Post](https://paper.example/). His book "
        "“Night Trains” is out in May ([order it](https://books.example/night-trains)).",
    ),
    (
        BYLINE,
        "*Reyes is the paper's transport correspondent. He is on [Bluesky](https://bsky.app/profile/tomreyes).*",
    ),
    (BYLINE, "About the author: Tom Reyes writes about cities for [the Post](https://paper.example/)."),
    ("Par Jean Morel", "Jean Morel est journaliste au [Quotidien](https://quotidien.example/equipe)."),
    ("BY ANNA-LENA VOSS AND TOM REYES", "Anna-Lena Voss is an editor at [the Post](https://paper.example/)."),
]


@pytest.mark.parametrize("byline, bio", BIOS)
def test_an_authors_bio_is_still_boilerplate(byline: str, bio: str) -> None:
    text = (
        f"# Trains\n\n{byline}\n\n"
        "The night train returns, the [operator said](https://rail.example/press/1).\n\n"
        "More trains will follow.\n\nThe first leaves in May.\n\nTickets are cheap.\n\n"
        f"{bio}\n"
    )
    got = roles(text)
    assert got["operator said"] == "citation"
    bio_links = [a for a in got if a in bio]
    assert bio_links and all(got[a] == "boilerplate" for a in bio_links), got


def test_a_bio_of_someone_else_than_the_byline_author_is_body_text() -> None:
    text = (
        f"# Trains\n\n{BYLINE}\n\n"
        "Lena Holm is the operator's network director and [chairs its safety board](https://rail.example/b).\n\n"
        "The first train leaves in May.\n"
    )
    assert roles(text)["chairs its safety board"] == "citation"


def test_a_bio_with_no_byline_is_still_boilerplate() -> None:
    text = (
        "# Harbour\n\nThe deal was signed, the [port said](https://port.example/p).\n\n"
        "Mira Talvik is a senior fellow at the [Baltic Policy Forum](https://bpf.example/). "
        "Follow her on [X](https://x.com/mtalvik).\n"
    )
    assert roles(text) == {"port said": "citation", "Baltic Policy Forum": "boilerplate", "X": "boilerplate"}


def test_end_to_end_a_quote_next_to_a_role_word_is_credited_and_its_link_a_citation(
    tmp_path: Path, capsys
) -> None:
    md = "# Bridge\n\nThe council met on Monday.\n\n" + "\n\n".join(m for m, _ in BODY_SENTENCES) + "\n"
    report = check_json(tmp_path, capsys, md, "md")
    links = by_anchor(report)
    for _md, anchor in BODY_SENTENCES:
        assert links[anchor]["role"] == "citation"
        assert links[anchor]["quotes"], anchor
    assert report["unattributed_quotes"] == []
