"""Hard inputs found by running the checker as a fact-checker would: British and continental quote
styles, code blocks, in-page footnotes, link-only articles, odd encodings, hostile titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.article import article_from_bytes, load_article_file
from tui.core.extract import extract_source
from tui.core.links import find_links, in_page_note
from tui.core.models import Article, FetchResult
from tui.core.quotes import find_quotes


def _md(md: str) -> Article:
    return article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)


def _html(html: str) -> Article:
    return article_from_bytes(html.encode(), content_type="text/html", location="t.html", base_url=None)


def _quotes(article: Article) -> list[tuple[str, str | None]]:
    """(quote text, anchor text of the link it is attributed to)."""
    links = find_links(article)
    return [
        (q.text, None if q.link_index is None else links[q.link_index].anchor_text)
        for q in find_quotes(article, links)
    ]


# --- British single quotes as the main style -------------------------------------------------


@pytest.mark.parametrize(
    "md, expected",
    [
        # a possessive ’ (Treasury’s) before the quote must not swallow the next quote's opener
        (
            "‘I don’t think the figures add up,’ said the IFS, adding that the Treasury’s ‘assumptions’ "
            "were ‘optimistic’.",
            ["I don’t think the figures add up,", "assumptions", "optimistic"],
        ),
        ("Critics called the bosses’ plan ‘reckless’ and ‘rushed’.", ["reckless", "rushed"]),
        ("‘It was the parents’ choice,’ she said.", ["It was the parents’ choice,"]),
        ("Ask for ‘the Joneses’ house’ by name.", ["the Joneses’ house"]),
        ("It’s rock ’n’ roll in the ’90s, isn’t it? The Smiths’ songs.", []),
    ],
)
def test_british_single_quotes(md: str, expected: list[str]) -> None:
    assert [t for t, _ in _quotes(_md(md))] == expected


def test_british_quote_of_two_sentences_is_one_claim_and_attributed() -> None:
    a = _md(
        "‘We’ve looked at every option. It’s the only way,’ she told [the Guardian](https://g.example/a). "
        "Then she left."
    )
    (link,) = find_links(a)
    assert link.claim == "‘We’ve looked at every option. It’s the only way,’ she told the Guardian."
    assert _quotes(a) == [("We’ve looked at every option. It’s the only way,", "the Guardian")]


def test_closing_single_quote_after_a_full_stop_ends_the_sentence() -> None:
    a = _md("She said: ‘We won. It’s over.’ The [count](https://c.example/) came later.")
    (link,) = find_links(a)
    assert link.claim == "The count came later."


# --- other quote styles -----------------------------------------------------------------------


def test_reversed_guillemets_as_german_and_danish_print_them() -> None:
    a = _md("Er sagte »das ist falsch« laut [Spiegel](https://s.example/d), und «oui» dit-il.")
    assert [t for t, _ in _quotes(a)] == ["das ist falsch", "oui"]


def test_french_spaced_guillemets_still_work() -> None:
    assert [t for t, _ in _quotes(_md("Il a dit « la réforme est nécessaire » hier."))] == [
        "la réforme est nécessaire"
    ]


# --- code is not quotation --------------------------------------------------------------------


def test_quote_marks_in_a_fenced_code_block_are_not_quotes() -> None:
    md = (
        "The minister said “it works” ([source](https://m.example/)).\n\n"
        '```\nprint("hello world") and “curly” too\n```\n\n'
        '    indented "code" block\n'
    )
    a = _md(md)
    assert _quotes(a) == [("it works", "source")]
    assert any(p.code for p in a.paragraphs)


def test_html_code_is_skipped_but_preformatted_prose_is_quoted() -> None:
    html = (
        "<html><body><article>"
        "<p>The spec, as <a href='https://spec.example/'>published</a>, has long paragraphs of prose "
        "that say what the code below does and why it does it that way.</p>"
        '<pre><code>x = "not a quote"</code></pre>'
        '<pre class="rfc">Servers MUST send "Content-Type" when they answer.</pre>'
        "</article></body></html>"
    )
    assert [t for t, _ in _quotes(_html(html))] == ["Content-Type"]


# --- in-page footnotes -------------------------------------------------------------------------

WIKI = """<html><head><title>Kiwi - Wikipedia</title></head><body><div id="content">
<h1>Kiwi</h1>
<p>The kiwi is a flightless bird. The <a href="https://en.wikipedia.org/wiki/Department_of_Conservation">
department</a> called it "a national treasure".<sup class="reference"><a href="#cite_note-12">[12]</a></sup>
Numbers fell "by two percent a year".<sup><a href="#cite_note-13">[13]</a></sup>
<sup><a href="#cite_note-n1">[n 1]
</a></sup> See the <a href="#Habitat">habitat section</a> and the <a href="#">annual report</a>.</p>
<p>Kiwi lay the largest egg relative to body size of any bird, a fact that has long puzzled biologists
who study the evolution of flightless birds in New Zealand and elsewhere in the world.</p>
<ol class="references">
<li id="cite_note-12"><b><a href="#cite_ref-12">^</a></b> <a class="external" href="https://doc.example/kiwi">
Kiwi report</a>. Department of Conservation.</li>
<li id="cite_note-13">^ <a href="#cite_ref-13_0">a</a> <a href="#cite_ref-13_1">b</a>
<a class="external" href="https://stats.example/birds">Bird counts</a>.</li>
</ol></div></body></html>"""


def test_footnote_markers_and_backlinks_are_not_claims() -> None:
    links = find_links(_html(WIKI))
    roles = {lk.anchor_text: (lk.target_kind, lk.role) for lk in links}
    for marker in ("[12]", "[13]", "[n 1]", "^", "a", "b"):
        assert roles[marker] == ("fragment", "boilerplate"), marker
    assert roles["annual report"] == ("fragment", "citation")  # a stripped "#" link stays visible
    assert roles["habitat section"] == ("fragment", "citation")  # a cross-reference in the prose
    assert roles["department"] == ("web", "citation")
    assert roles["Kiwi report"] == ("web", "citation")


def test_a_quote_before_a_footnote_is_credited_to_the_notes_citation() -> None:
    quotes = _quotes(_html(WIKI))
    # the marker [12] right after the quote leads to the note citing the Kiwi report: that is its source,
    # not the link on the department's name earlier in the sentence
    assert ("a national treasure", "Kiwi report") in quotes
    assert ("by two percent a year", "Bird counts") in quotes


@pytest.mark.parametrize(
    "href, text, expected",
    [
        ("#cite_note-12", "[12]", True),
        ("#cite_ref-12", "^", True),
        ("#fn:1", "1", True),
        ("#fnref:1", "↩", True),
        ("#footnote-3", "see note", True),
        ("#", "[1]", False),  # stripped: the link's target is gone, not an in-page note
        ("#costs", "costs section", False),
        ("https://x.example/#cite_note-1", "[1]", False),
    ],
)
def test_in_page_note(href: str, text: str, expected: bool) -> None:
    assert in_page_note(href, text) is expected


def test_wikipedia_footnotes_do_not_fill_the_claims_list(corpus: Path) -> None:
    links = find_links(load_article_file(corpus / "wikipedia-2.html"))
    notes = [lk for lk in links if lk.target_kind == "fragment" and in_page_note("#x", lk.anchor_text)]
    assert len(notes) > 700  # "[12]" markers and "^" / "a" backlinks
    assert all(lk.role == "boilerplate" for lk in notes)
    cited = [lk for lk in links if lk.role == "citation"]
    assert sum(lk.target_kind == "fragment" for lk in cited) < 0.01 * len(cited)


# --- articles that are lists of links ---------------------------------------------------------


def test_an_article_of_only_links_to_many_sites_lists_them_as_citations() -> None:
    md = "\n".join(f"[Story {i}](https://site{i}.example/story)" for i in range(6))
    links = find_links(_md(md))
    assert len(links) == 6
    assert all(lk.role == "citation" for lk in links)


def test_a_link_list_beside_prose_citations_is_still_chrome() -> None:
    md = (
        "[Home](https://a.example/) · [World](https://b.example/)\n\n"
        "The mayor said the plan was costed, according to [the council](https://council.example/)."
    )
    assert [lk.role for lk in find_links(_md(md))] == ["boilerplate", "boilerplate", "citation"]


# --- encodings and stray bytes ----------------------------------------------------------------


def test_a_stray_nul_in_a_long_text_article_is_dropped(tmp_path: Path) -> None:
    body = ("The council said “the budget is balanced” in a statement. " * 10).encode()
    path = tmp_path / "a.txt"
    path.write_bytes(body[:100] + b"\x00" + body[100:] + b"\nhttps://council.example/s\n")
    a = load_article_file(path)
    assert "\x00" not in a.text
    assert [lk.url for lk in find_links(a)] == ["https://council.example/s"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("The mayor said “yes, café” to [the paper](https://p.example/).".encode(codec))
    a = load_article_file(path)
    assert a.text == "The mayor said “yes, café” to the paper."
    assert _quotes(a) == [("yes, café", "the paper")]


# --- hostile source titles and text -----------------------------------------------------------


def test_source_title_markup_is_dropped_and_escapes_kept_for_the_ui_to_show() -> None:
    body = (
        "<html><head><title>Big <b>news</b> \x1b[31m today</title></head><body><p>"
        + "The mayor said the budget is balanced and fair to everyone in the city. " * 3
        + "</p></body></html>"
    ).encode()
    src = extract_source(FetchResult(url="https://t.example/", body=body, content_type="text/html"))
    # safe_text turns the ESC into a visible ␛ where the title is shown; the markup is gone here
    assert src.title == "Big news \x1b[31m today"


def test_article_title_markup_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Big <b>news</b> today</title></head><body><article><p>The mayor said the "
        "budget is fine, according to <a href='https://x.example/'>the council</a>, in a long paragraph "
        "of prose that readability will keep as the article.</p></article></body></html>",
        encoding="utf-8",
    )
    assert load_article_file(path).title == "Big news today"


def test_report_of_a_british_article_is_json_clean(tmp_path: Path) -> None:
    """The whole offline pipeline on a British-style article: every quote attributed, none lost."""
    import asyncio

    from tui.core.pipeline import Checker, CheckOptions

    path = tmp_path / "uk.md"
    path.write_text(
        "The minister said the plan was ‘the right thing to do’, according to "
        "[the BBC](https://bbc.example/1).\n\n"
        "‘We’ve looked at every option. It’s the only way,’ she told [the Guardian](https://g.example/x).",
        encoding="utf-8",
    )
    options = CheckOptions(fetch=False, offline=True, use_archive=False)

    async def run() -> dict:
        checker = Checker(load_article_file(path), options)
        async for _ in checker.run():
            pass
        return checker.report()

    report = json.loads(json.dumps(asyncio.run(run())))
    assert report["unattributed_quotes"] == []
    assert [[q["text"] for q in lk["quotes"]] for lk in report["links"]] == [
        ["the right thing to do"],
        ["We’ve looked at every option. It’s the only way,"],
    ]


def test_a_block_quote_is_credited_to_the_dash_line_after_it() -> None:
    md = (
        "Earlier, [the council](https://council.example/) met.\n\n"
        "> The bridge must close until the cables are replaced.\n\n"
        "— as [the engineers’ report](https://report.example/) put it.\n\n"
        "> A second block with no credit line.\n\n"
        "The end."
    )
    assert _quotes(_md(md)) == [
        ("The bridge must close until the cables are replaced.", "the engineers’ report"),
        ("A second block with no credit line.", "the engineers’ report"),  # the preceding citation
    ]


@pytest.mark.parametrize(
    "credit",
    [
        "Photos by [cmgirl](https://p.example/1) (Shutterstock), [J E Theriot](https://p.example/2).",
        "Reviewed by [Hansa D. Bhargava, MD](https://p.example/md)",
        "Illustration by [Ana Ruiz](https://p.example/ana)",
    ],
)
def test_photo_and_reviewer_credit_lines_are_not_claims(credit: str) -> None:
    md = f"The council [voted](https://council.example/) on Monday.\n\n{credit}"
    roles = [lk.role for lk in find_links(_md(md))]
    assert roles[0] == "citation" and set(roles[1:]) == {"boilerplate"}
