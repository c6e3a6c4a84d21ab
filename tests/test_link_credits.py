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


# -- 2 and 3. a quotation's credit is a citation ---------------------------------------------------

CREDITS_WITH_ONLY_A_LINK = [
    # <footer><cite><a>…</a></cite></footer>, with or without a dash
    '<blockquote><p>Water is a right, not a commodity.</p><footer>— <cite><a href="https://un.example/r/64">'
    "UN resolution 64/292</a></cite></footer></blockquote>",
    '<blockquote><p>Water is a right, not a commodity.</p><footer><cite><a href="https://un.example/r/64">'
    "Resolution 64/292</a></cite></footer></blockquote>",
    '<blockquote><p>Water is a right, not a commodity.</p><footer><a href="https://un.example/r/64">'
    "Resolution 64/292</a></footer></blockquote>",
    # the credit as a <figcaption> of the block quote's figure
    "<figure><blockquote><p>Water is a right, not a commodity.</p></blockquote><figcaption>— <cite>"
    '<a href="https://un.example/r/64">Resolution 64/292</a></cite></figcaption></figure>',
    # a <cite> of nothing but a link as the block quote's last child
    '<blockquote><p>Water is a right, not a commodity.</p><cite><a href="https://un.example/r/64">'
    "Resolution 64/292</a></cite></blockquote>",
    # a dash line of nothing but a link right after the block quote
    '<blockquote><p>Water is a right, not a commodity.</p></blockquote><p>— <a href="https://un.example/r/64">'
    "Resolution 64/292</a></p>",
]


def _html(body: str) -> str:
    return (
        '<html lang="en"><body><article><h1>Water</h1><p>The assembly debated water rights for a week, and '
        '<a href="https://assembly.example/votes/12">the vote</a> was close.</p>'
        f"{body}<p>The vote passed.</p></article></body></html>"
    )


@pytest.mark.parametrize("body", CREDITS_WITH_ONLY_A_LINK)
def test_a_block_quotes_credit_with_nothing_but_a_link_is_its_citation(body: str) -> None:
    got = credited(_html(body), "html")
    assert len(got) == 1 and got[0][0] == "Water is a right, not a commodity."
    anchor = got[0][1]
    assert anchor is not None and "64/292" in anchor, got
    assert got[0][2] == "credit"
    assert roles(_html(body), "html")[anchor] == "citation"


def test_a_markdown_block_quotes_credit_line_of_only_a_link_is_its_citation() -> None:
    md = (
        "# Water\n\nThe assembly debated water rights for a week.\n\n"
        "> Water is a right, not a commodity.\n>\n> — [UN resolution 64/292](https://un.example/r/64)\n\n"
        "The vote passed.\n"
    )
    assert credited(md) == [("Water is a right, not a commodity.", "UN resolution 64/292", "credit")]
    assert roles(md)["UN resolution 64/292"] == "citation"


def test_a_menu_or_a_profile_in_a_credit_stays_furniture() -> None:
    html = _html(
        '<p><a href="/news">News</a> | <a href="/sport">Sport</a></p>'
        '<blockquote><p>Water is a right.</p><footer>— <a href="https://x.com/unwater">@unwater</a>'
        "</footer></blockquote>"
    )
    got = roles(html, "html")
    assert got["News"] == got["Sport"] == "boilerplate"
    assert got["@unwater"] == "boilerplate"  # a social account, not a document


def test_an_embedded_posts_own_link_is_a_citation_on_every_platform() -> None:
    html = _html(
        # Instagram: "View this post on Instagram" and a caption link, both to the permalink
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/CabcXYZ123/'
        '?utm_source=ig_embed" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/CabcXYZ123/'
        '?utm_source=ig_embed">View this post on Instagram</a><p>Two years of roadworks outside our door.</p>'
        "<p>A post shared by Main Street Shops (@mainstshops)</p></div></blockquote>"
        "<p>A second reaction came from a resident.</p>"
        # Mastodon: a frame of nothing but links to the post
        '<blockquote class="mastodon-embed" data-embed-url="https://social.example/@bo/110000000000000001/embed">'
        '<a href="https://social.example/@bo/110000000000000001"><div>Post by @bo@social.example</div></a>'
        '<p>The new line skips the whole east side. <a href="https://social.example/tags/trams">#trams</a></p>'
        '<a href="https://social.example/@bo/110000000000000001">View on Mastodon</a></blockquote>'
        "<p>The city answered on Facebook.</p>"
        # Facebook: "Posted by [page] on [date]" reads like a byline
        '<div class="fb-post" data-href="https://www.facebook.com/cityofexample/posts/pfbid0abc">'
        '<blockquote cite="https://www.facebook.com/cityofexample/posts/pfbid0abc" '
        'class="fb-xfbml-parse-ignore">'
        '<p>Construction of tram line 4 begins in September.</p>Posted by <a href="https://www.facebook.com/'
        'cityofexample">City of Example</a> on <a href="https://www.facebook.com/cityofexample/posts/pfbid0abc">'
        "Thursday, March 4, 2021</a></blockquote></div>"
        "<p>A driver filmed the first test run.</p>"
        # TikTok: a profile link and the video's link, each alone on its line
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@tramfan/video/7345678901234567890" '
        'data-video-id="7345678901234567890"><section><a href="https://www.tiktok.com/@tramfan">@tramfan</a>'
        "<p>First tram through the new tunnel!</p>"
        '<a href="https://www.tiktok.com/@tramfan/video/7345678901234567890">original sound - tramfan</a>'
        "</section></blockquote>"
    )
    article = _article(html, "html")
    links = find_links(article)
    quotes = {q.text: q for q in find_quotes(article, links)}
    want = {
        "Two years of roadworks outside our door.": "View this post on Instagram",
        "The new line skips the whole east side. #trams": "View on Mastodon",
        "Construction of tram line 4 begins in September.": "Thursday, March 4, 2021",
        "First tram through the new tunnel!": "original sound - tramfan",
    }
    for text, anchor in want.items():
        q = quotes[text]
        assert q.link_index is not None and q.attribution == "embed", (text, q)
        assert links[q.link_index].role == "citation", (text, links[q.link_index])
        assert links[q.link_index].anchor_text == anchor
    role = {lk.anchor_text: lk.role for lk in links}
    assert role["Post by @bo@social.example"] == "citation"  # the post's own address, whatever the words
    assert role["#trams"] == role["City of Example"] == role["@tramfan"] == "boilerplate"


def test_no_quote_is_ever_credited_to_a_boilerplate_link_in_the_labelled_sets() -> None:
    folder = Path(__file__).parent / "labelled"
    pages = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".html", ".txt"))
    assert len(pages) >= 12
    for page in pages:
        kind = "html" if page.suffix == ".html" else "md"
        article = _article(page.read_text(encoding="utf-8"), kind)
        links = find_links(article)
        for q in find_quotes(article, links):
            if q.link_index is not None:
                assert links[q.link_index].role == "citation", (page.name, q.text, links[q.link_index])


def test_end_to_end_credits_are_citations_to_fetch(tmp_path: Path, capsys) -> None:
    instagram = (
        '<p>The shop owners posted too.</p><blockquote class="instagram-media" data-instgrm-permalink='
        '"https://www.instagram.com/p/CabcXYZ123/"><div><a href="https://www.instagram.com/p/CabcXYZ123/">'
        "View this post on Instagram</a><p>Enough is enough.</p></div></blockquote>"
    )
    page = _html(CREDITS_WITH_ONLY_A_LINK[0] + instagram)
    report = check_json(tmp_path, capsys, page, "html")
    links = by_anchor(report)
    for anchor, quote in (
        ("UN resolution 64/292", "Water is a right"),
        ("View this post on Instagram", "Enough"),
    ):
        assert links[anchor]["role"] == "citation"
        assert [q["text"] for q in links[anchor]["quotes"] if q["text"].startswith(quote)], links[anchor]
        assert links[anchor]["fetch"]["status"] == "skipped"  # --no-fetch; fetched otherwise (citation)
    assert report["unattributed_quotes"] == []
