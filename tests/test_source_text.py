"""Issue 11: a source is read as its reader sees it, so only the author's words are matched.

Fixtures are fictional pages written here: a wiki-style article with footnote markers and editorial tags,
a two-page PDF with running heads, page numbers and hyphens at line ends, and more below.
"""

from __future__ import annotations

from pdfgen import build_pdf, page

from tui.core.extract import extract_source
from tui.core.match import match_quote
from tui.core.models import FetchResult, Source


def html_source(html: str) -> Source:
    return extract_source(FetchResult(url="https://t.example/", body=html.encode(), content_type="text/html"))


def pdf_source(body: bytes) -> Source:
    return extract_source(
        FetchResult(url="https://t.example/r.pdf", body=body, content_type="application/pdf")
    )


WIKI = """<!doctype html><html><head><title>Brannock Tunnel - Wiki</title></head><body>
<div id="nav"><a href="/">Main page</a></div>
<main><h1>Brannock Tunnel</h1>
<h2>History<span class="mw-editsection"><span>[</span><a href="?action=edit">edit</a><span>]</span>
</span></h2>
<p>The <b>Brannock Tunnel</b> is a disused railway tunnel in the fictional district of Harl. It was cut
through the chalk ridge between 1868 and 1871 by a workforce of 412 men.<sup id="r1" class="reference">
<a href="#n1">[1]</a></sup><sup class="reference"><a href="#n2">[2]</a></sup> The tunnel carried goods
traffic for ninety years,<sup><a href="#n3">3</a></sup> until the line closed in 1961. Its ventilation
shafts were sealed in 1964<sup class="noprint"><i>[<a href="/wiki/Citation_needed">citation needed</a>]</i>
</sup> after a partial collapse, and the portals were bricked up.<sup class="reference"><a href="#n4">[a]</a>
</sup></p>
<p>The bore is 1,190 m long and 42 m<sup>2</sup> in cross-section, and bats roost in it every winter.</p>
<h2>References</h2><ol><li id="n1">Harl Gazette, 1871.</li><li id="n2">Rail Archive.</li></ol>
</main></body></html>"""


def test_footnote_markers_and_editorial_tags_are_skipped_not_matched() -> None:
    src = html_source(WIKI)
    quote = (
        "It was cut through the chalk ridge between 1868 and 1871 by a workforce of 412 men. The tunnel "
        "carried goods traffic for ninety years, until the line closed in 1961."
    )
    m = match_quote(quote, src)
    assert (m.match, m.flags) == ("verbatim", ())
    assert m.source_text is not None and "[1]" in m.source_text  # the passage shown is the page's own
    assert [src.text[s:e].strip() for s, e in m.skipped] == ["[1][2]", "3"]
    assert all(m.source_start <= s < e <= m.source_end for s, e in m.skipped)
    assert "[1]" not in "".join(t for _, t in m.diff)  # the diff compares the author's words
    tagged = match_quote("Its ventilation shafts were sealed in 1964 after a partial collapse", src)
    assert tagged.match == "verbatim" and tagged.flags == ()
    assert [src.text[s:e] for s, e in tagged.skipped] == ["[citation needed]"]


def test_a_superscript_that_is_not_a_marker_stays_text() -> None:
    src = html_source(WIKI)
    unit = match_quote("1,190 m long and 42 m2 in cross-section", src)
    assert (unit.match, unit.skipped) == ("verbatim", ())
    edit = src.page_text.index("[edit]")
    assert any(s <= edit and edit + len("[edit]") <= e for s, e in src.page_skipped)


def test_report_lists_skipped_pieces() -> None:
    from tui.core.models import Quote
    from tui.core.report import _quote

    src = html_source(WIKI)
    m = match_quote(
        "the line closed in 1961. Its ventilation shafts were sealed in 1964 after a partial", src
    )
    entry = _quote(Quote("q", 0, 1, 0), m)
    assert entry["skipped"] == [list(span) for span in m.skipped] and len(entry["skipped"]) == 1


TWO_PAGES = build_pdf(
    [
        page(
            [
                "3. Maintenance",
                "",
                "The inspectors found that the eastern portal was structurally sound and that",
                "the drainage works were cost-",
                "effective, but that the lining of the main bore needed attention within the",
                "next five years, and that the survey of the ventilation",
            ],
            header="Harl District Council - Tunnel Survey 2025",
            footer="Page 6 of 14",
        ),
        page(
            [
                "shafts should be repeated before any decision on public access is taken.",
                "",
                "A long-term plan for the structure is expected in the spring, with a finan-",
                "cial case prepared by the district treasurer.",
            ],
            header="Harl District Council - Tunnel Survey 2025",
            footer="Page 7 of 14",
        ),
    ],
    title="Tunnel Survey 2025",
)


def test_pdf_running_heads_and_page_numbers_do_not_break_a_sentence() -> None:
    src = pdf_source(TWO_PAGES)
    quote = "the survey of the ventilation shafts should be repeated before any decision on public access"
    m = match_quote(quote, src)
    assert (m.match, m.flags) == ("verbatim", ())
    assert [src.text[s:e] for s, e in m.skipped] == [
        "Page 6 of 14",
        "Harl District Council - Tunnel Survey 2025",
    ]


def test_pdf_line_end_hyphen_matches_both_readings_and_keeps_the_page_characters() -> None:
    src = pdf_source(TWO_PAGES)
    compound = match_quote("the drainage works were cost-effective", src)
    assert compound.match == "verbatim" and compound.source_text == "the drainage works were cost-effective"
    split = match_quote("with a financial case prepared by the district treasurer", src)
    assert split.match == "verbatim"
    assert split.source_text == "with a finan-cial case prepared by the district treasurer"  # never rewritten
    assert "costeffective" not in src.text and "cost-effective" in src.text
