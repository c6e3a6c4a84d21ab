"""Loading articles: Markdown, HTML and plain text into one text with exact offsets."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.core.article import ArticleError, article_from_bytes, load_article_file
from tui.core.links import find_links
from tui.core.models import Article
from tui.core.quotes import find_quotes

FIXTURES = Path(__file__).parent / "fixtures"


def check_quotes(article: Article) -> None:
    links = find_links(article)
    assert [lk.index for lk in links] == list(range(len(links)))
    last = -1
    for q in find_quotes(article, links):
        assert article.text[q.start : q.end] == q.text
        assert q.start >= last  # in reading order, never overlapping
        last = q.end
        assert q.link_index is None or 0 <= q.link_index < len(links)


def check_offsets(article: Article) -> None:
    """The invariants every loader must keep."""
    text = article.text
    last = -1
    for p in article.paragraphs:
        assert last < p.start < p.end <= len(text) or (last == -1 and p.start == 0)
        assert text[p.start : p.end] == text[p.start : p.end].strip()
        assert "\n\n" not in text[p.start : p.end]
        last = p.end
    assert "\n\n".join(text[p.start : p.end] for p in article.paragraphs) == text
    assert list(article.anchors) == sorted(article.anchors, key=lambda a: (a.start, a.end))
    for a in article.anchors:
        assert 0 <= a.start < a.end <= len(text)
        anchor_text = text[a.start : a.end]
        assert anchor_text == anchor_text.strip() and anchor_text


def md(source: str, **kw) -> Article:
    return article_from_bytes(
        source.encode(), content_type="text/markdown", location="t.md", base_url=None, **kw
    )


def html(source: str | bytes, content_type: str = "text/html", base_url: str | None = None) -> Article:
    body = source.encode() if isinstance(source, str) else source
    return article_from_bytes(body, content_type=content_type, location="t.html", base_url=base_url)


# --- the op-ed fixture ------------------------------------------------------------------------


def test_oped_markdown_and_html_give_the_same_text() -> None:
    a = load_article_file(FIXTURES / "oped.md")
    b = load_article_file(FIXTURES / "oped.html")
    for article in (a, b):
        check_offsets(article)
        assert article.title == "The Bridge Nobody Asked For"
        assert article.base_url is None
    assert a.text == b.text
    assert a.paragraphs == b.paragraphs
    assert [(x.start, x.end, x.href) for x in a.anchors] == [(x.start, x.end, x.href) for x in b.anchors]
    assert len(a.paragraphs) == 27
    assert [i for i, p in enumerate(a.paragraphs) if p.block_quote] == [12]
    assert a.text.startswith("The Bridge Nobody Asked For\n\nBy Marta Quillfeather | Opinion | Transport\n\n")
    assert "hands,\nkept by" in a.text  # a hard break (Markdown "\" / <br>) is a newline
    assert "and whether it could" in a.text  # a soft line break is a space
    assert "window.dataLayer" not in b.text and "not part" not in b.text and "Privacy" not in b.text
    assert "invisible caption" not in b.text  # hidden elements are not text
    assert b.location.endswith("oped.html")


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_inline_constructs() -> None:
    a = md(
        "---\ntitle: Front Title\nbase: https://site.example/posts/\n---\n"
        "# Heading *one*\n\n"
        'Some **bold** and _em_ text with `code`, a [link](rel/path "t"), an <https://auto.example/>, '
        'a [ref][r], raw <a href="https://raw.example/?a=1&amp;b=2">html</a>\nand a soft break.\n\n'
        "- item [one](https://one.example/)\n- item two\n\n"
        "1. first\n2. second\n\n"
        "> quoted *para*\n\n"
        "```\ncode  block\n\n\nkept\n```\n\n"
        "| h1 | h2 |\n|----|----|\n| c1 | [c2](https://c2.example/) |\n\n"
        "[r]: https://ref.example/x\n"
    )
    check_offsets(a)
    assert a.title == "Front Title"
    assert a.base_url == "https://site.example/posts/"
    paras = [a.text[p.start : p.end] for p in a.paragraphs]
    assert paras == [
        "Heading one",
        "Some bold and em text with code, a link, an https://auto.example/, a ref, raw html "
        "and a soft break.",
        "item one",
        "item two",
        "first",
        "second",
        "quoted para",
        "code  block\nkept",
        "h1 h2",
        "c1 c2",
    ]
    assert [p.block_quote for p in a.paragraphs].count(True) == 1
    hrefs = {a.text[x.start : x.end]: x.href for x in a.anchors}
    assert hrefs == {
        "link": "rel/path",
        "https://auto.example/": "https://auto.example/",
        "ref": "https://ref.example/x",
        "html": "https://raw.example/?a=1&b=2",
        "one": "https://one.example/",
        "c2": "https://c2.example/",
    }


def test_markdown_title_is_first_h1_and_base_comment() -> None:
    a = md("<!-- base: https://b.example/ -->\n\n## Not this\n\n# This one\n\ntext")
    assert a.title == "This one"
    assert a.base_url == "https://b.example/"
    assert md("no heading at all").title is None


def test_markdown_keeps_javascript_and_spaces_in_hrefs() -> None:
    a = md("[x](javascript:void(0)) and [y](<http://a b.example/>) and [z](#)")
    assert [x.href for x in a.anchors] == ["javascript:void(0)", "http://a b.example/", "#"]


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<html><head><title>Site | {title}</title>{head}</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div id="main-story"><h1>{title}</h1>
<p>First paragraph of the story is long enough to be taken for prose by any extractor, with a
<a href="https://one.example/report">linked report</a> in it and more words after the link.</p>
<p>Second   paragraph,&nbsp;with   odd    spacing<br>and a line break, plus a soft&shy;hyphen and a
<a href="https://two.example/">second link</a> that readability should keep as well.</p>
{extra}
</div>
<footer><p>Copyright. <a href="/about">About</a></p></footer>
</body></html>"""


def page(title: str = "Story", head: str = "", extra: str = "") -> str:
    return PAGE.format(title=title, head=head, extra=extra)


def test_html_main_content_whitespace_and_breaks() -> None:
    a = html(page())
    check_offsets(a)
    assert a.title == "Story"
    assert "Home" not in a.text and "Copyright" not in a.text
    assert "Second paragraph, with odd spacing\nand a line break, plus a softhyphen" in a.text
    assert [(a.text[x.start : x.end], x.href, x.region) for x in a.anchors] == [
        ("linked report", "https://one.example/report", "body"),
        ("second link", "https://two.example/", "body"),
    ]


@pytest.mark.parametrize(
    "head, given, expected",
    [
        ('<base href="https://base.example/dir/">', None, "https://base.example/dir/"),
        ('<base href="sub/">', "https://site.example/a/page", "https://site.example/a/sub/"),
        ('<link rel="canonical" href="https://canon.example/x">', None, "https://canon.example/x"),
        ('<meta property="og:url" content="https://og.example/y">', None, "https://og.example/y"),
        (
            '<link rel="canonical" href="https://canon.example/x">',
            "https://fetched.example/",
            "https://fetched.example/",
        ),
        ("", None, None),
    ],
)
def test_html_base_url(head: str, given: str | None, expected: str | None) -> None:
    assert html(page(head=head), base_url=given).base_url == expected


def test_html_charsets() -> None:
    text = "Caf\u00e9 owners \u201cquoted\u201d \u2013 na\u00efve r\u00e9sum\u00e9s " * 5
    body = f"<html><head>{{meta}}</head><body><p>{text}</p></body></html>"
    meta_1252 = body.format(meta='<meta charset="windows-1252">').encode("cp1252")
    assert html(meta_1252).text.startswith("Café owners “quoted” – naïve")
    latin1_label = body.format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    )
    assert "“quoted”" in html(latin1_label.encode("cp1252")).text  # browsers read latin-1 as windows-1252
    bom = codecs.BOM_UTF8 + body.format(meta="").encode("utf-8")
    assert html(bom).text.startswith("Café")
    utf16 = codecs.BOM_UTF16_LE + body.format(meta="").encode("utf-16-le")
    assert html(utf16).text.startswith("Café")
    undeclared_1252 = body.format(meta="").encode("cp1252")
    assert html(undeclared_1252).text.startswith("Café")
    header_charset = body.format(meta="").encode("cp1252")
    assert html(header_charset, content_type="text/html; charset=windows-1252").text.startswith("Café")


def test_html_regions_from_markup() -> None:
    extra = (
        '<p class="byline">By <a rel="author" href="/a/jane">Jane</a></p>'
        '<div class="social-share"><a href="https://x.example/share">Post</a></div>'
        '<p>More words here in <a href="https://three.example/" rel="tag">a tag link</a> inside prose, '
        "long enough to stay in the story for the extractor to keep.</p>"
        '<aside><a href="/more">More</a></aside>'
    )
    a = html(page(extra=f"<article>{extra}</article>"))
    check_offsets(a)
    regions = {a.text[x.start : x.end]: x.region for x in a.anchors}
    assert regions["linked report"] == "body"
    assert regions["a tag link"] == "byline"


def test_html_fallback_when_readability_drops_the_prose() -> None:
    # Readability keeps the longest block; here the article's real text is a list of short, linked
    # items it throws away, while the <article> holds them all.
    items = "".join(
        f'<li>Finding {i}: the <a href="https://src{i}.example/">council report {i}</a> shows costs rose, '
        f"according to the auditors, by {i} per cent, a figure that was “not expected” by anyone.</li>"
        for i in range(12)
    )
    body = (
        "<html><body><article><h1>Findings</h1><p>Intro.</p>"
        f"<ul>{items}</ul></article>"
        '<div class="comments">'
        + "<p>"
        + "A long comment, with, many, commas, and words. " * 30
        + "</p></div>"
        "</body></html>"
    )
    a = html(body)
    check_offsets(a)
    links = find_links(a)
    assert len([lk for lk in links if lk.url and lk.url.startswith("https://src")]) == 12
    assert len(find_quotes(a, links)) == 12
    assert "A long comment" not in a.text  # readability's pick (the comments) was overruled


def test_html_pre_keeps_lines() -> None:
    a = html("<html><body><pre>line one\n    indented two\n\n\nthree</pre><p>After.</p></body></html>")
    check_offsets(a)
    assert a.text.startswith("line one\n    indented two\nthree")


def test_html_block_quote_paragraphs() -> None:
    a = html("<html><body><blockquote><p>Quoted one.</p>tail text</blockquote><p>After.</p></body></html>")
    check_offsets(a)
    assert [(a.text[p.start : p.end], p.block_quote) for p in a.paragraphs] == [
        ("Quoted one.", True),
        ("tail text", True),
        ("After.", False),
    ]


def test_html_deep_nesting() -> None:
    deep = "<div>" * 1000 + "<p>Deep text is still found.</p>" + "</div>" * 1000
    a = html(f"<html><body>{deep}</body></html>")
    check_offsets(a)
    assert a.text == "Deep text is still found."


def test_html_anchor_wrapping_blocks_ends_with_its_first_paragraph() -> None:
    a = html(
        '<html><body><a href="https://card.example/"><h2>Card title</h2><p>Card summary.</p></a>'
        "</body></html>"
    )
    check_offsets(a)
    assert [(a.text[x.start : x.end], x.href) for x in a.anchors] == [("Card title", "https://card.example/")]


# --- plain text -------------------------------------------------------------------------------


def test_plain_text_paragraphs_and_bare_urls(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(
        "First line\nsecond line (see https://a.example/x_(y)).\n\n\n"
        "Visit https://b.example/page?q=1, or http://c.example.\n  \nEnd https://",
        encoding="utf-8",
    )
    a = load_article_file(p)
    check_offsets(a)
    assert a.title is None
    assert [a.text[x.start : x.end] for x in a.paragraphs] == [
        "First line\nsecond line (see https://a.example/x_(y)).",
        "Visit https://b.example/page?q=1, or http://c.example.",
        "End https://",
    ]
    assert [(a.text[x.start : x.end], x.href) for x in a.anchors] == [
        ("https://a.example/x_(y)", "https://a.example/x_(y)"),
        ("https://b.example/page?q=1", "https://b.example/page?q=1"),
        ("http://c.example", "http://c.example"),
    ]


def test_from_bytes_content_types() -> None:
    assert article_from_bytes(
        b"Plain https://x.example/",
        content_type="text/plain; charset=utf-8",
        location="u",
        base_url="https://x.example/",
    ).anchors
    assert md("# T\n\nx").title == "T"
    assert html(page(), content_type="application/xhtml+xml").title == "Story"
    assert html(page(), content_type=None).title == "Story"
    with pytest.raises(ArticleError, match="image/png"):
        article_from_bytes(b"\x89PNG", content_type="image/png", location="u", base_url=None)


# --- unusable articles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\t\n ", "empty"),
        ("binary.md", b"# Title\x00\x01\x02 binary", "binary"),
        ("binary.html", bytes(range(256)) * 4, "binary"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11" * 20, "binary"),
        (
            "notext.html",
            b"<html><head><script>var a = 1;</script></head><body>  </body></html>",
            "no readable",
        ),
        ("onlyimage.md", b"![alt](pic.png)", "no readable"),
        ("article.pdf", b"%PDF-1.4", "unsupported extension"),
        ("noext", b"text", "unsupported extension"),
    ],
)
def test_article_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        load_article_file(p)
    assert "\n" not in str(info.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="does not exist"):
        load_article_file(tmp_path / "nope.md")
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(ArticleError, match="directory"):
        load_article_file(tmp_path / "dir.md")


def test_permission_error_is_an_article_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "locked.md"
    p.write_text("# hi")

    def deny(path: Path, what: str, max_bytes: int = 0) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("tui.core.article.load.read_file", deny)
    with pytest.raises(ArticleError, match="permission denied"):
        load_article_file(p)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "locked.md"
    p.write_text("# hi")
    p.chmod(0)
    try:
        with pytest.raises(ArticleError, match="permission"):
            load_article_file(p)
    finally:
        p.chmod(0o644)


# --- real pages -------------------------------------------------------------------------------


def test_cnn_page(corpus: Path) -> None:
    a = load_article_file(corpus / "cnn.html")
    check_offsets(a)
    assert a.title == "The 'birth lottery' and economic mobility"
    assert 1500 < len(a.text) < 3000  # Mozilla's reference extraction has 2022 characters
    assert "economic mobility" in a.text
    links = find_links(a)
    assert len(links) >= 3 and all(lk.target_kind == "web" for lk in links)
    quotes = find_quotes(a, links)
    assert quotes and all(a.text[q.start : q.end] == q.text for q in quotes)


def test_every_corpus_page(corpus: Path) -> None:
    pages = sorted(p for p in corpus.glob("*.html") if not p.name.endswith(".expected.html"))
    assert len(pages) >= 20
    pages = [p for p in pages if p.stem != "wikipedia-2"]  # loaded (and checked) by the timing test
    for path in pages:
        a = load_article_file(path)
        check_offsets(a)
        assert len(a.text) > 500, path.name
        for lk in find_links(a):
            assert a.text[lk.claim_start : lk.claim_end] == lk.claim
        check_quotes(a)


def test_wikipedia_page(corpus: Path) -> None:
    a = load_article_file(corpus / "wikipedia-2.html")
    check_offsets(a)
    assert 100_000 < len(a.text) < 140_000  # the reference extraction has 117,626 characters
    check_quotes(a)
    assert len(a.anchors) > 1000


# --- properties -------------------------------------------------------------------------------

_MD = st.lists(
    st.sampled_from(
        [
            "word ",
            "[a](https://x.example/) ",
            "<https://y.example/>",
            "*em* ",
            "> ",
            "- ",
            "\n",
            "\n\n",
            "“",
            "”",
            "'",
            '"',
            "`c` ",
            "# ",
            '<a href="z">r</a>',
            "  \n",
            "[r][1]",
            "\n[1]: https://r.example/\n",
            "\\",
            "&amp;",
        ]
    ),
    max_size=40,
)
_HTML = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "text ",
            '<a href="https://x.example/">',
            "</a>",
            "<br>",
            "<div>",
            "</div>",
            "<blockquote>",
            "</blockquote>",
            "<pre>",
            "</pre>",
            "<li>",
            "“q” ",
            "&nbsp;",
            "\n",
            "<script>x</script>",
            '<nav class="share">',
            "</nav>",
            "<h2>",
            "</h2>",
            "<!-- c -->",
            "<td>",
            "<tr>",
        ]
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MD)
def test_property_markdown_never_crashes(pieces: list[str]) -> None:
    try:
        a = md("".join(pieces) + "\n\nend")
    except ArticleError:
        return
    check_offsets(a)
    check_quotes(a)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HTML)
def test_property_html_never_crashes(pieces: list[str]) -> None:
    try:
        a = html("<html><body>" + "".join(pieces) + "<p>end</p></body></html>")
    except ArticleError:
        return
    check_offsets(a)
    check_quotes(a)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
@example(b"<body")  # readability answers with an empty document
@example(b"\xef\xbb\xbf")  # a BOM and nothing else
@example(b"\xff\xfe<\x00p\x00>\x00")  # UTF-16 with a BOM
def test_property_any_bytes_load_or_raise_article_error(body: bytes) -> None:
    for ctype in ("text/html", "text/plain", "text/markdown"):
        try:
            a = article_from_bytes(body, content_type=ctype, location="b", base_url=None)
        except ArticleError:
            continue
        check_offsets(a)
        check_quotes(a)
