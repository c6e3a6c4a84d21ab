"""Links as claims: targets, resolution, claim sentences and boilerplate roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.article import article_from_bytes, load_article_file
from tui.core.links import find_links, resolve_target
from tui.core.models import Anchor, Article, Paragraph

FIXTURES = Path(__file__).parent / "fixtures"

SHARE_FB = "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fledger.example.com%2Fbridge"
SHARE_TW = "https://twitter.com/intent/tweet?url=https%3A%2F%2Fledger.example.com%2Fbridge"

# (kind, url, role, anchor text)
OPED_LINKS = [
    ("local", None, "boilerplate", "Marta Quillfeather"),
    ("local", None, "boilerplate", "Opinion"),
    ("local", None, "boilerplate", "Transport"),
    ("web", "https://larkmoor.example.gov/briefings/wend-bridge", "citation", "own briefing"),
    ("web", "https://ledger.example.com/2025/03/bridge-vote", "citation", "Larkmoor Ledger"),
    ("web", "https://radio.example.org/shows/morning/2025-03-12", "citation", "radio interview"),
    ("web", "https://larkmoor.example.gov/minutes/2025-02-27", "citation", "public meeting"),
    ("web", "https://museum.example.org/collection/wend-plaque", "citation", "town museum"),
    ("web", "https://ledger.example.com/2025/03/brandt-letter", "citation", "Ledger published in full"),
    ("local", None, "citation", "risk register"),
    ("fragment", None, "citation", "costs section"),
    ("fragment", None, "citation", "footnote"),
    ("web", "https://harrowfinch.example.co.uk/news/quayside-review", "citation", "said it may abandon"),
    ("web", "https://ebra.example.org/statement-march", "citation", "East Bank Residents' Association"),
    ("javascript", None, "citation", "expand the timeline"),
    ("mailto", None, "citation", "letters desk"),
    ("invalid", None, "citation", "2019 audit"),
    ("invalid", None, "citation", "audit portal"),
    ("web", "https://ledger.example.com/2025/03/brandt-call", "citation", "reached him by phone"),
    (
        "web",
        "https://larkmoor.example.gov/consultations/wend-bridge/summary",
        "citation",
        "consultation summary",
    ),
    ("web", SHARE_FB, "boilerplate", "Share on Facebook"),
    ("web", SHARE_TW, "boilerplate", "Tweet"),
    ("mailto", None, "boilerplate", "Email"),
    (
        "web",
        "https://ledger.example.com/newsletters/opinion",
        "boilerplate",
        "Sign up for the Ledger's Opinion newsletter",
    ),
]

OPED_CLAIMS = {
    "Larkmoor Ledger": "Mayor Dr. Ines Calloway told the Larkmoor Ledger that the vote was “a turning point. "
    "We will not look back,” and added that critics “haven’t read the numbers.”",
    "radio interview": "The engineering firm's chief, Olu Brandt, spoke in a radio interview last week.",
    "public meeting": "A resident, Priya Okonjo, put it this way at the public meeting: "
    "\"My neighbour calls it 'the bridge to the car park,' and she isn't wrong.\"",
    "town museum": "The old bridge's plaque, now in the town museum, reads “Built by Larkmoor hands,\n"
    "kept by Larkmoor hearts.”",
    "footnote": "It lists a “benefit-cost ratio” of 3.5, e.g. £3.50 back for each £1, but the footnote "
    "concedes the figure “assumes full occupancy of the Quayside development,” which the developer, "
    "Harrow & Finch Ltd., has said it may abandon.",
    "audit portal": "The 2019 audit found exactly that; the audit portal is, fittingly, offline.",
    "Marta Quillfeather": "By Marta Quillfeather | Opinion | Transport",
}


@pytest.fixture(params=["oped.md", "oped.html"])
def oped(request: pytest.FixtureRequest) -> Article:
    return load_article_file(FIXTURES / request.param)


def test_oped_links_exact(oped: Article) -> None:
    links = find_links(oped)
    assert [(lk.target_kind, lk.url, lk.role, lk.anchor_text) for lk in links] == OPED_LINKS
    assert [lk.index for lk in links] == list(range(24))
    claims = {lk.anchor_text: lk.claim for lk in links}
    for anchor_text, claim in OPED_CLAIMS.items():
        assert claims[anchor_text] == claim
    for lk in links:
        assert oped.text[lk.anchor_start : lk.anchor_end] == lk.anchor_text
        assert oped.text[lk.claim_start : lk.claim_end] == lk.claim
        assert lk.claim_start <= lk.anchor_start < lk.anchor_end <= lk.claim_end
        para = oped.paragraphs[lk.paragraph]
        assert para.start <= lk.claim_start < lk.claim_end <= para.end


def test_oped_html_regions_explain_boilerplate() -> None:
    article = load_article_file(FIXTURES / "oped.html")
    regions = [a.region for a in article.anchors]
    assert regions == ["byline"] * 3 + ["body"] * 17 + ["share"] * 3 + ["promo"]


@pytest.mark.parametrize(
    "href, base, expected",
    [
        ("https://e.example/a?b=1#c", None, ("web", "https://e.example/a?b=1#c")),
        ("HTTP://E.example", None, ("web", "HTTP://E.example")),
        ("/x", "https://e.example/a/b", ("web", "https://e.example/x")),
        ("x y", "https://e.example/a/", ("web", "https://e.example/a/x%20y")),
        ("../up", "https://e.example/a/b/c", ("web", "https://e.example/a/up")),
        ("//cdn.example/x", None, ("web", "https://cdn.example/x")),
        ("//cdn.example/x", "http://e.example/", ("web", "http://cdn.example/x")),
        ("http://[::1]:8080/x", None, ("web", "http://[::1]:8080/x")),
        ("#", None, ("fragment", None)),
        ("  #top\n", "https://e.example/", ("fragment", None)),
        ("mailto:a@b.example", None, ("mailto", None)),
        ("MailTo:a@b.example", None, ("mailto", None)),
        ("javascript:void(0)", None, ("javascript", None)),
        ("java\tscript:alert(1)", None, ("javascript", None)),
        ("/root/relative", None, ("local", None)),
        ("file:///etc/hosts", None, ("local", "file:///etc/hosts")),
        ("", None, ("invalid", None)),
        ("   ", "https://e.example/", ("invalid", None)),
        ("http//x.example/a", None, ("invalid", None)),
        ("http//x.example/a", "https://e.example/", ("invalid", None)),
        ("http:/x.example", None, ("invalid", None)),
        ("https;//x.example", None, ("invalid", None)),
        ("http://exa mple.example/", None, ("invalid", None)),
        ("http://e.example:99999/", None, ("invalid", None)),
        ("http://e.example:port/", None, ("invalid", None)),
        ("http://", None, ("invalid", None)),
        ("http://a..b/", None, ("invalid", None)),
        ("http://[zz]/", None, ("invalid", None)),
        ("tel:+441234", None, ("invalid", None)),
    ],
)
def test_resolve_target(href: str, base: str | None, expected: tuple) -> None:
    assert resolve_target(href, base) == expected


def test_relative_path_resolves_against_the_article_file(tmp_path: Path) -> None:
    article_path = tmp_path / "site" / "post.md"
    article_path.parent.mkdir()
    article_path.write_text("See [the data](data/table.csv).\n")
    (link,) = find_links(load_article_file(article_path))
    assert link.target_kind == "local"
    assert link.url == (tmp_path / "site" / "data" / "table.csv").as_uri()


def test_base_url_from_html_base_href_resolves_relative_links() -> None:
    html = (
        b'<html><head><base href="https://news.example/2025/"></head><body><p>A long enough paragraph '
        b'with a <a href="story.html">relative link</a> and a <a href="#x">fragment</a>.</p></body></html>'
    )
    article = article_from_bytes(
        html, content_type="text/html", location="https://news.example/x", base_url=None
    )
    links = find_links(article)
    assert [(lk.target_kind, lk.url) for lk in links] == [
        ("web", "https://news.example/2025/story.html"),
        ("fragment", None),
    ]


def _md_links(md: str, base: str | None = None) -> list:
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=base)
    return list(find_links(article))


@pytest.mark.parametrize(
    "md, role",
    [
        ("The [report](https://r.example/) says costs rose.", "citation"),
        ("Please [subscribe](https://r.example/s) today, it helps.", "boilerplate"),
        ("[Click here to subscribe](https://r.example/s) to our coverage of the story.", "boilerplate"),
        ("Join us: [Sign in](https://r.example/login) to comment on this story.", "boilerplate"),
        ("Read it and [Share](https://r.example/x) with a friend of yours.", "boilerplate"),
        ("She [tweeted](https://twitter.com/intent/tweet?text=x) it for us all to see.", "boilerplate"),
        ("By [Jane Doe](https://r.example/jane) | [Politics](https://r.example/politics)", "boilerplate"),
        ("By contrast, [the audit](https://r.example/a) found nothing at all.", "citation"),
        ("By Friday, the [council](https://r.example/c) had voted.", "citation"),
        ("*Opinion. By [Ana Lind](mailto:ana@r.example), 14 March 2026*", "boilerplate"),
        ("By Jane Doe, Staff Writer · [Politics](https://r.example/politics)", "boilerplate"),
        ("Tags: [bridges](https://r.example/t/b), [money](https://r.example/t/m)", "boilerplate"),
        ("[Home](https://r.example/) · [News](https://r.example/news)", "boilerplate"),
        ("She wrote in her [newsletter](https://r.example/n) that it was over.", "citation"),
    ],
)
def test_roles(md: str, role: str) -> None:
    links = _md_links(md)
    assert links
    assert links[0].role == role


def test_claim_is_whole_sentence_and_anchor_spanning_sentences() -> None:
    md = "First one. The [long link. Spans two](https://x.example/) sentences here. Last."
    (link,) = _md_links(md)
    assert link.claim == "The long link. Spans two sentences here."


def test_links_in_reading_order_with_reference_and_autolinks() -> None:
    md = "Use [ref][r] then <https://auto.example/x> and [inline](https://i.example/).\n\n[r]: https://ref.example/\n"
    links = _md_links(md)
    assert [(lk.index, lk.anchor_text, lk.url) for lk in links] == [
        (0, "ref", "https://ref.example/"),
        (1, "https://auto.example/x", "https://auto.example/x"),
        (2, "inline", "https://i.example/"),
    ]


def test_markdown_base_comment_resolves_relative_links() -> None:
    md = "<!-- base: https://site.example/blog/ -->\n\nSee [the post](post-1) for more.\n"
    (link,) = _md_links(md)
    assert (link.target_kind, link.url) == ("web", "https://site.example/blog/post-1")


_HREFS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["#", "#a", "mailto:x", "javascript:x", "http://", "https://a.example/", "//a", "http//"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(_HREFS, st.one_of(st.none(), st.sampled_from(["https://b.example/d/", "http://[::1]/", "file:///x"])))
def test_property_resolve_never_crashes(href: str, base: str | None) -> None:
    kind, url = resolve_target(href, base, "some/article.md")
    assert kind in ("web", "fragment", "mailto", "javascript", "local", "invalid")
    if kind == "web":
        assert url is not None and url.lower().startswith(("http://", "https://"))
    if kind in ("fragment", "mailto", "javascript", "invalid"):
        assert url is None


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="ab .!“”\n", min_size=1, max_size=80),
    st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=5),
)
def test_property_find_links_offsets(text: str, spans: list[tuple[int, int]]) -> None:
    text = text.strip() or "a"
    article = Article(
        "x",
        None,
        text,
        (Paragraph(0, len(text)),),
        tuple(Anchor(min(s, len(text) - 1), min(s + n, len(text)), "https://e.example/") for s, n in spans),
    )
    links = find_links(article)
    assert len(links) == len(spans)
    for lk in links:
        assert text[lk.claim_start : lk.claim_end] == lk.claim
        assert lk.claim_start <= lk.anchor_start


@pytest.mark.parametrize(
    "md, boilerplate, citations",
    [
        (
            "Region: [Europe](#) / [USA](#)\n\nTheme: [Intelligence](#)",
            {"Europe", "USA", "Intelligence"},
            set(),
        ),
        (
            "Rubrique : [Politique](#)\n\nThemen: [Verkehr](#), [Stadt](#)",
            {"Politique", "Verkehr", "Stadt"},
            set(),
        ),
        ("To receive our weekly newsletter, [click here](#).", {"click here"}, set()),
        ("Follow us on [Instagram](#) and [X](#).", {"Instagram", "X"}, set()),
        ("Folgen Sie uns auf [Instagram](https://instagram.com/blatt).", {"Instagram"}, set()),
        (
            "Mira Talvik is a senior fellow at the [Baltic Policy Forum](#). Follow her on [X](#).",
            {"Baltic Policy Forum", "X"},
            set(),
        ),
        (
            "[Related: Port strike enters its second week](#)",
            {"Related: Port strike enters its second week"},
            set(),
        ),
        (
            "Read more: [the budget row](/news/budget) and [the vote](/news/vote)",
            {"the budget row", "the vote"},
            set(),
        ),
        ("[12 comments](#comments)", {"12 comments"}, set()),
        ("Tags: [bridge](https://n.example/tag/bridge)", {"bridge"}, set()),
        # a body citation whose words look like a share button is still a citation
        (
            "The company insisted in [a post on its website](#) that prices would hold.",
            set(),
            {"a post on its website"},
        ),
        (
            "She wrote on [Facebook](https://facebook.com/ines/posts/12345) that the bridge was safe.",
            set(),
            {"Facebook"},
        ),
        ("The council's [risk register](https://c.example/risk) is less sunny.", set(), {"risk register"}),
    ],
)
def test_link_roles_on_real_page_furniture(md: str, boilerplate: set[str], citations: set[str]) -> None:
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    roles = {lk.anchor_text: lk.role for lk in find_links(article)}
    assert {a for a, r in roles.items() if r == "boilerplate"} == boilerplate
    assert {a for a, r in roles.items() if r == "citation"} == citations


async def test_a_file_link_is_called_a_file_on_the_writers_computer_not_a_relative_link(tmp_path) -> None:
    """`[local](file:///etc/passwd)` was told "A relative link with no web address to resolve it
    against"; it is a link to a file on the writer's computer, never followed. A relative link keeps its
    own sentence."""
    from tui.core.pipeline import CheckOptions, check_location

    path = tmp_path / "a.md"
    path.write_text(
        "# T\n\nSee [local](file:///etc/passwd) and [upper](FILE:///etc/hosts), "
        "and [rel](notes/page.html) too.\n",
        encoding="utf-8",
    )
    checker = await check_location(str(path), CheckOptions(fetch=False, use_archive=False))
    errors = {o.link.anchor_text: o.error for o in checker.outcomes.values()}
    file_sentence = (
        "A link to a file on the writer's computer (file://): sourcecheck never follows it, and the file "
        "is not read."
    )
    assert errors["local"] == errors["upper"] == file_sentence
    assert errors["rel"] is not None and errors["rel"].startswith("A relative link")
    assert all(o.link.target_kind == "local" for o in checker.outcomes.values())
