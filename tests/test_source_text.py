"""Issue 11: a source is read as its reader sees it, so only the author's words are matched.

Fixtures are fictional pages written here: a wiki-style article with footnote markers and editorial tags,
a two-page PDF with running heads, page numbers and hyphens at line ends, and more below.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
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


HIDDEN_HELPERS = """<!doctype html><html><head><title>Ferry fares</title><style>
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(1px, 1px, 1px, 1px); white-space: nowrap; }
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0)}
span.ad-label, #tracker { display: none }
@media print { .no-print { display: none } }
</style></head><body><article><h1>Ferry fares</h1>
<p>The operator said that fares on the island route<span class="visually-hidden"> (opens in a new window)
</span> would rise by <span class="sr-only">approximately </span>four percent in April<span class="ad-label">
Advertisement</span>, the first rise since 2019.<span id="tracker">tracking pixel text</span></p>
<p class="no-print">The council will review the decision in the summer, a spokesperson said.</p>
<p>Season tickets are not affected by the change, which the board approved on Tuesday evening.</p>
</article></body></html>"""


def test_text_the_pages_own_stylesheet_hides_is_not_text() -> None:
    src = html_source(HIDDEN_HELPERS)
    m = match_quote(
        "fares on the island route would rise by four percent in April, the first rise since 2019", src
    )
    assert (m.match, m.flags) == ("verbatim", ())
    for hidden in ("opens in a new window", "approximately", "Advertisement", "tracking pixel"):
        assert hidden not in src.text and hidden not in src.page_text
    # a rule inside @media print hides text only on paper: on screen it is there
    assert match_quote("The council will review the decision in the summer", src).match == "verbatim"


JSON_LD_ONLY = """<!doctype html><html><head><title>Harbour levy | The Harl Post</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "The Harl Post"},
 {"@type": ["NewsArticle"], "headline": "Harbour levy to double",
  "articleBody": "The harbour board voted on Monday to double the mooring levy from next year.\\n\\n\
The chair, Ona Brisk, said the board had \\"no other way to pay for the breakwater repairs\\" after the \
storm in March."}
]}</script><script src="/app.js"></script></head>
<body><header>The Harl Post</header><div id="root"><div class="spinner">Loading…</div></div>
<noscript>Please enable JavaScript to read this story.</noscript>
<footer>Subscribe for full access. Already a subscriber? Sign in.</footer></body></html>"""


def test_a_page_whose_story_is_only_in_json_ld_is_read_from_there() -> None:
    src = html_source(JSON_LD_ONLY)
    m = match_quote("no other way to pay for the breakwater repairs", src)
    assert m.match == "verbatim" and m.in_main_text is True
    assert src.text.startswith("The harbour board voted on Monday")


def test_a_script_shell_with_almost_no_text_says_so() -> None:
    import pytest

    from tui.core.errors import ExtractError

    shell = JSON_LD_ONLY.replace('"articleBody"', '"description"')
    with pytest.raises(ExtractError, match=r"^The page has almost no text \(\d+ characters\): it probably"):
        html_source(shell)


LETTER = (
    "<!doctype html><html><head><title>An open letter | The Harl Review</title></head><body>"
    "<header><nav><a href='/'>The Harl Review</a> <a href='/letters'>Letters</a></nav></header>"
    "<main><article><h1>An open letter on the ferry service</h1><div class='entry-content'>"
    "<p>We write as islanders who rely on the ferry for work, school and hospital visits every week.</p>"
    "<p>Since the winter timetable began, one crossing in five has been cancelled at short notice.</p>"
    "<p>We ask only that cancellations be announced a day ahead, with the reasons given in public.</p>"
    "<p>A service that fails quietly teaches its passengers to stop relying on it at all.</p></div>"
    "<div class='sig'><p>Signed,</p><table class='signatories'><tbody>"
    + "".join(
        f"<tr><td><p>Signatory {i}, {('Teacher', 'Nurse', 'Fisher', 'Retired ferry engineer')[i % 4]}, "
        "Harl Island, signing in a personal capacity</p></td></tr>"
        for i in range(60)
    )
    + "</tbody></table></div></article></main><footer>© The Harl Review</footer></body></html>"
)


def test_a_letter_over_a_signatories_table_is_the_main_text() -> None:
    src = html_source(LETTER)
    m = match_quote(
        "We ask only that cancellations be announced a day ahead, with the reasons given in public.", src
    )
    assert m.match == "verbatim" and m.in_main_text is True


def test_quotes_of_an_almost_empty_page_are_not_checked_not_not_found(tmp_path, local_server, capsys) -> None:
    """End to end: the shell's failure is a sentence on its link, and its quote says searched: false."""
    import json

    from tui.cli import main

    shell = JSON_LD_ONLY.replace('"articleBody"', '"description"')
    url = local_server.route("/levy", shell)
    article = tmp_path / "a.md"
    article.write_text(
        f"The harbour board doubled the levy, [according to its minutes]({url}). The chair said there was "
        '"no other way to pay for the breakwater repairs".\n'
    )
    assert main(["check", str(article), "--format", "json", "--allow-private", "--no-archive"]) == 0
    link = json.loads(capsys.readouterr().out)["links"][0]
    assert link["fetch"]["status"] == "error", link["fetch"]
    assert "almost no text" in link["fetch"]["error"]
    assert [(q["searched"], q["match"]) for q in link["quotes"]] == [(False, "not_found")]


def test_a_word_hyphenated_across_a_page_break_reads_through_the_furniture() -> None:
    pdf = build_pdf(
        [
            page(
                ["The harbour board found the new cranes were not cost-"],
                header="Board Review",
                footer="Page 2",
            ),
            page(
                ["effective at current volumes, and deferred the order."],
                header="Board Review",
                footer="Page 3",
            ),
        ]
    )
    src = pdf_source(pdf)
    m = match_quote("the new cranes were not cost-effective at current volumes", src)
    assert m.match == "verbatim" and m.skipped
    assert (
        match_quote("were not costeffective at current volumes", src).match == "verbatim"
    )  # the other reading


def _applicable_css_by_characters(css: str) -> str:
    """The reference: @-blocks that apply on screen unwrapped, the others dropped, by counting braces one
    character at a time."""
    from tui.core.htmltext.hidden import media_applies

    out, i = [], 0
    while True:
        at = css.find("@", i)
        if at < 0:
            return "".join(out) + css[i:]
        out.append(css[i:at])
        brace, semi = css.find("{", at), css.find(";", at)
        if brace < 0 or (0 <= semi < brace):
            i = semi + 1 if semi >= 0 else len(css)
            continue
        depth, j = 0, brace
        while j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        prelude = css[at:brace]
        keyword = prelude[1:].split()[0].lower() if prelude[1:].split() else ""
        if keyword in ("supports", "layer") or (keyword == "media" and media_applies(prelude[6:])):
            out.append(
                _applicable_css_by_characters(css[brace + 1 : j - 1] if depth == 0 else css[brace + 1 :])
            )
        i = j


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "@media x",
                "@media screen",
                "@media print",
                "@supports (a:b)",
                "{",
                "}",
                "a",
                ";",
                "@import y;",
                " ",
                ".c{display:none}",
            ]
        ),
        max_size=25,
    )
)
def test_at_blocks_are_unwrapped_or_dropped_as_by_counting_braces(pieces: list[str]) -> None:
    from tui.core.htmltext.hidden import _applicable_css

    css = "".join(pieces)
    assert _applicable_css(css) == _applicable_css_by_characters(css)


# --- hidden text and reference markers as classes (the reviewer's variants of the field cases) -------

_SENTENCE = (
    "The committee found that the bridge was unsafe for heavy traffic and recommended immediate closure."
)


def _probe_page(middle: str, css: str = "") -> str:
    filler = (
        "<p>Filler paragraph about the town and its long history of river crossings and ferries, written at "
        "length so the page has prose. The council met often.</p>"
    )
    return (
        f"<html><head><title>T</title><style>{css}</style></head><body><article><h1>Report</h1>{filler}"
        f"{filler}<p>The committee found that the bridge was unsafe{middle} for heavy traffic and "
        f"recommended immediate closure.</p>{filler}</article></body></html>"
    )


def _hidden_helper_page(css: str, attrs: str = 'class="sr" id="sr1"') -> str:
    return _probe_page(f" <span {attrs}>(opens in new window)</span>", css)


def _reads_through(html: str) -> Source:
    src = html_source(html)
    m = match_quote(_SENTENCE, src)
    assert (m.match, m.flags) == ("verbatim", ()), (m.match, m.flags, m.source_text)
    return src


HIDING_RULES = [  # (selector, declarations), as sites write them
    (".mw-parser-output .sr", "position:absolute;width:1px;height:1px;clip:rect(0,0,0,0);overflow:hidden"),
    (".sr", "position:absolute!important;width:1px;height:1px;clip:rect(0px,0px,0px,0px);overflow:hidden"),
    (".sr", "position:absolute;clip:rect(1px 1px 1px 1px)"),
    (".sr:not(:focus)", "position:absolute;width:1px;height:1px;clip:rect(1px,1px,1px,1px);overflow:hidden"),
    (".x,.sr:not(:focus):not(:focus-within)", "position:absolute !important;clip:rect(0,0,0,0) !important"),
    (".sr", "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)"),
    (".sr", "position:absolute;width:1px;height:1px;overflow:hidden"),
    ("body > article p span.sr", "position: absolute; left: -10000px; top: auto"),
    ("#sr1", "display: none"),
    ("div #sr1", "visibility:hidden"),
    ("span.sr:not(.shown)", "display:none"),
    (".x:not(:focus, :focus-within) .sr:not(:focus, :focus-within)", "position:absolute;clip:rect(0 0 0 0)"),
    (".a:has(> .b) .sr, .c:not(.d, .e) .sr", "display:none"),
    (".md\\:sr-hide, .sr", "display:none"),
]


def test_every_spelling_of_a_hiding_rule_hides_the_helper_text() -> None:
    for selector, declarations in HIDING_RULES:
        css = f"{selector}{{{declarations}}}"
        for sheet in (css, f"@media screen{{{css}}}", f"@media all and (min-width: 640px){{{css}}}"):
            src = _reads_through(_hidden_helper_page(sheet))
            assert "opens in new window" not in src.page_text, sheet
        # the same declarations in the element's own style= attribute
        inline = _hidden_helper_page("", f'style="{declarations}"')
        assert "opens in new window" not in _reads_through(inline).page_text, declarations


SHOWN_RULES = [  # rules that leave the text on a desktop screen
    "@media print{.sr{display:none}}",
    "@media speech{.sr{display:none}}",
    "@media (max-width: 600px){.sr{display:none}}",
    "@media (prefers-color-scheme: dark){.sr{display:none}}",
    ".sr:hover{display:none}",
    ".sr:focus{position:absolute;clip:rect(0,0,0,0)}",
    ".sr::before{display:none}",
    ".other .sr p{display:none}",
    ".sr.shown{display:none}",
    ".sr{clip:rect(0, 400px, 300px, 0);position:absolute}",
    ".sr{width:1px;height:1px}",
    ".sr{position:absolute;left:-20px}",
]


def test_a_rule_that_does_not_hide_on_a_desktop_screen_leaves_the_text() -> None:
    for css in SHOWN_RULES:
        src = html_source(_hidden_helper_page(css))
        assert "(opens in new window)" in src.page_text, css


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["", ".mw-parser-output ", "body ", "div > ", "#content ", "main article ~ "]),
    st.sampled_from([".sr", "span.sr", "#sr1", ".sr:not(:focus)", ".sr:not(:focus):not(:focus-within)"]),
    st.sampled_from(
        [
            "display:none",
            "visibility: hidden",
            "clip: rect(0 0 0 0); position: absolute",
            "clip:rect(0px, 0px, 0px, 0px)",
            "clip:rect(1px,1px,1px,1px)",
            "clip:rect(0,0,0,0)!important",
            "width:1px;height:1px;overflow:hidden",
            "width:0;height:0;overflow:hidden",
            "clip-path:inset(50%)",
            "clip-path: inset(100%)",
            "position:fixed;top:-9999px",
            "text-indent:-9999em",
        ]
    ),
    st.sampled_from(
        [
            "{}",
            "@media screen{{{}}}",
            "@media only screen and (min-width:48em){{{}}}",
            "@supports (display:grid){{{}}}",
            "@media screen, print{{{}}}",
        ]
    ),
)
def test_hiding_rules_hide_by_their_last_compound(prefix: str, last: str, decl: str, wrap: str) -> None:
    rule = f"{prefix}{last}{{{decl}}}"
    css = rule if wrap == "{}" else wrap.format(rule)
    from tui.core.htmltext import parse_html
    from tui.core.htmltext.hidden import stylesheet_hidden

    rules = stylesheet_hidden(parse_html(_hidden_helper_page(css)))
    assert rules is not None and rules.hides("span", {"class": "a sr b", "id": "sr1"}), css


MARKER_SHAPES = [  # (markup glued after "unsafe", the marker's text as the reader sees it)
    ('<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a>', "1"),  # Pandoc
    ('<a href="#fn1"><sup>1</sup></a>', "1"),
    ('<sup><a href="#r1">1</a>,<a href="#r2">2</a></sup>', "1,2"),
    ('<sup><a href="#r1">1</a>, <a href="#r2">2</a></sup>', "1, 2"),
    ('<sup><a href="#n1">(1)</a></sup>', "(1)"),
    ('<sup><a href="#n1">1</a>–<a href="#n3">3</a></sup>', "1–3"),
    ('<a class="footnote-anchor" href="#footnote-1" id="footnote-anchor-1">1</a>', "1"),  # Substack
    ('<a href="#note-4">4</a>', "4"),
    ('<a href="#n1">(1)</a>', "(1)"),
    ('<sup id="fnref:1"><a href="#fn:1" role="doc-noteref">1</a></sup>', "1"),
    ("<sup>1, 2</sup>", "1, 2"),
    ("<sup>(3)</sup>", "(3)"),
    ("<sup>7</sup>", "7"),
    ("[3]", "[3]"),
    ("[3, 4]", "[3, 4]"),
    ("[3–5]", "[3–5]"),
    ("[3-5]", "[3-5]"),
    ("[a]", "[a]"),
    ("[12][b]", "[12][b]"),
    ('<span class="footnote">[3]</span>', "[3]"),
    ("[B]", "[B]"),
    ("[iv]", "[iv]"),
    ("\u00b9", "\u00b9"),  # a Unicode superscript one
    ("\u00b2\u207b\u2074", "\u00b2\u207b\u2074"),  # ²⁻⁴
]


def test_every_shape_of_reference_marker_is_skipped_with_exact_offsets() -> None:
    for markup, shown in MARKER_SHAPES:
        src = _reads_through(_probe_page(markup))
        m = match_quote(_SENTENCE, src)
        assert [src.text[s:e] for s, e in m.skipped] == [shown], (markup, m.skipped)
        start = src.text.index("unsafe") + len("unsafe")
        assert m.skipped == ((start, start + len(shown)),), markup
        page = src.page_text.index("unsafe") + len("unsafe")
        assert any(s <= page and page + len(shown) <= e for s, e in src.page_skipped), markup


NOT_MARKERS = [  # (paragraph, text that must stay the author's words)
    ("The hall measures 42 m<sup>2</sup> and holds a small library of river charts.", "42 m2 and"),
    ("The race on the 1<sup>st</sup> of May drew a record crowd to the old ferry landing.", "1st of May"),
    ("Under Article 3 the council may close a bridge that is unsafe for heavy traffic.", "Article 3 the"),
    ("He wrote that the bridge was unsafe [sic] for heavy traffic on the river road.", "unsafe [sic] for"),
    ("Details are given in report [3] of the council on the river crossings.", "report [3] of"),
    ('The rules of section <a href="#s2">2</a> apply to every crossing of the river.', "section 2 apply"),
    ("The energy is given by E = mc<sup>2</sup> in the text the council kept.", "mc2 in"),
    (
        "The hall measures 42 m\u00b2 and the yard 10\u2076 grains of sand by the old ferry landing.",
        "42 m\u00b2 and the yard 10\u2076 grains",
    ),
    ("The clerk wrote that [T]he bridge was unsafe for heavy traffic on the river road.", "[T]he bridge"),
]


def test_what_only_looks_like_a_marker_stays_text() -> None:
    filler = "<p>Filler paragraph about the town and its long history, written at length so it has prose.</p>"
    for paragraph, kept in NOT_MARKERS:
        html = f"<html><body><article>{filler}{filler}<p>{paragraph}</p>{filler}</article></body></html>"
        src = html_source(html)
        at = src.text.index(kept)
        assert not any(s < at + len(kept) and at < e for s, e in src.text_skipped), paragraph
    code = "<pre><code>values[3] = items[a]\nprint(values[3])</code></pre>"
    src = html_source(f"<html><body><article>{filler}{filler}{code}{filler}</article></body></html>")
    assert src.text_skipped == ()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.one_of(st.integers(1, 199).map(str), st.sampled_from("abcdefgh")), min_size=1, max_size=3),
    st.sampled_from([", ", ",", "–", "-"]),
    st.sampled_from(["bare", "sup-links", "sup", "pandoc", "anchor", "anchor-paren"]),
)
def test_generated_markers_are_skipped_whatever_their_shape(labels: list[str], sep: str, shape: str) -> None:
    if shape == "bare":
        markup = shown = "[" + sep.join(labels) + "]"
    elif shape == "sup-links":
        markup = "<sup>" + sep.join(f'<a href="#n{x}">{x}</a>' for x in labels) + "</sup>"
        shown = sep.join(labels)
    elif shape == "sup":
        markup, shown = f"<sup>({sep.join(labels)})</sup>", f"({sep.join(labels)})"
    elif shape == "pandoc":
        markup = "".join(f'<a class="footnote-ref" href="#fn{x}"><sup>{x}</sup></a>' for x in labels[:1])
        shown = labels[0]
    elif shape == "anchor":
        markup, shown = f'<a href="#footnote-{labels[0]}">{labels[0]}</a>', labels[0]
    else:
        markup, shown = f'<sup><a href="#n{labels[0]}">({labels[0]})</a></sup>', f"({labels[0]})"
    src = _reads_through(_probe_page(markup))
    m = match_quote(_SENTENCE, src)
    assert [src.text[s:e] for s, e in m.skipped] == [shown]


# Running heads as a class (issue 11 follow-up): a head is a short line at the same place at the top or
# bottom of most pages, set apart from the body; it may alternate between even and odd pages, carry the
# page number, or change from one section to the next. The fixtures are fictional.
_BREAK_PAGES = (
    [
        "4. Procurement",
        "",
        "During the year the Trust awarded eleven contracts with a combined value of",
        "4.1 million. Ten of these followed the Trust's standing orders in full.",
        "",
        "In the remaining case, concerning the dredging of the inner basin, the audit",
        "committee found that the contract had been awarded to a single supplier",
        "without a competitive tender, and that the board had not been told",
    ],
    [
        "before the work began. The committee has asked for a full report by June.",
        "",
        "5. Moorings",
        "",
        "Demand for moorings rose again, with a waiting list of 212 boats at the end",
        "of the year.",
    ],
)
_ACROSS_BREAK = (
    "found that the contract had been awarded to a single supplier without a competitive tender, and that "
    "the board had not been told before the work began."
)


def _across_the_break(pdf: bytes) -> tuple[Source, object]:
    src = pdf_source(pdf)
    return src, match_quote(_ACROSS_BREAK, src)


def test_book_style_heads_that_alternate_and_carry_the_page_number_are_skipped() -> None:
    src, m = _across_the_break(
        build_pdf(
            [
                page(_BREAK_PAGES[0], header="6    Orlem Harbour Trust"),
                page(_BREAK_PAGES[1], header="Annual Review 2025    7"),
            ]
        )
    )
    assert (m.match, m.flags) == ("verbatim", ())
    assert [src.text[s:e] for s, e in m.skipped] == ["Annual Review 2025 7"]  # spaces collapsed
    assert "6 Orlem Harbour Trust" in src.text[: m.source_start]


def test_heads_that_alternate_on_even_and_odd_pages_without_numbers_are_skipped() -> None:
    filler = ["The harbour master reported on the state of the quays and the cranes in service."] * 3
    pages = [filler, filler, list(_BREAK_PAGES[0]), list(_BREAK_PAGES[1])]
    src, m = _across_the_break(
        build_pdf(
            [
                page(lines, header=("Orlem Harbour Trust", "Annual Review 2025")[n % 2], footer=str(n + 4))
                for n, lines in enumerate(pages)
            ]
        )
    )
    assert (m.match, m.flags) == ("verbatim", ())
    assert [src.text[s:e] for s, e in m.skipped] == ["6", "Annual Review 2025"]
    assert all(src.text[s:e] != "Orlem Harbour Trust" or s < m.source_start for s, e in src.text_skipped)


def test_section_heads_that_change_per_section_are_skipped() -> None:
    src, m = _across_the_break(
        build_pdf(
            [
                page(_BREAK_PAGES[0], header="Section 4: Procurement", footer="6"),
                page(_BREAK_PAGES[1], header="Section 5: Moorings", footer="7"),
            ]
        )
    )
    assert (m.match, m.flags) == ("verbatim", ())
    assert [src.text[s:e] for s, e in m.skipped] == ["6", "Section 5: Moorings"]


def test_a_body_line_first_or_last_on_its_page_is_never_furniture() -> None:
    """No heads: the lines that open and close each page (a heading, the tail of a paragraph, a line
    ending in a number) are the author's words."""
    pages = [
        ["5. Moorings", "", "Demand for moorings rose again, with a waiting list of 212 boats at the end"],
        ["of the year.", "", "The basin was dredged twice, and the quay wall was repaired at berth 7"],
        ["and 8 before the winter storms closed the harbour for a week in December."],
    ]
    src = pdf_source(build_pdf([page(lines) for lines in pages]))
    assert src.text_skipped == ()
    for line in ("5. Moorings", "of the year.", "repaired at berth 7", "and 8 before the winter"):
        assert line in src.text


def test_a_heading_that_opens_every_page_is_the_authors() -> None:
    """Each page opens with its section's heading and a blank line, at the body's top: not a running head."""
    pages = [
        [
            heading,
            "",
            f"The {word} basin was dredged twice, and the quay wall was repaired in the spring,",
            f"before the winter storms closed the {word} harbour for a week in December.",
        ]
        for heading, word in (("4. Procurement", "inner"), ("5. Moorings", "outer"), ("6. Staff", "north"))
    ]
    src = pdf_source(build_pdf([page(lines) for lines in pages]))
    assert src.text_skipped == ()
    assert all(heading in src.text for heading in ("4. Procurement", "5. Moorings", "6. Staff"))


def test_each_furniture_rule_holds_on_text_alone() -> None:
    """Without positions: the page number carried by a head, heads alternating by parity (a title page
    first), and a section's head over its run of pages."""
    from tui.core.pdfheads import furniture

    def body(n: int) -> list[str]:
        word = ("inner", "outer", "north", "south", "east")[n]
        return [
            f"The {word} harbour board met.",
            f"It approved the {word} budget.",
            f"The {word} item waits.",
        ]

    numbered = [["12    Orlem Harbour Trust", *body(1)], ["Annual Review 2025    13", *body(2)]]
    assert furniture(numbered) == [{0}, {0}]
    heads = ["Orlem Harbour Trust", "Annual Review 2025"]
    parity = [["Annual Review", "Cover page"]] + [[heads[n % 2], *body(n)] for n in range(1, 5)]
    assert furniture(parity) == [set(), {0}, {0}, {0}, {0}]
    runs = ["Section 4: Procurement"] * 2 + ["Section 5: Moorings"] * 2 + ["Section 6: Staff"]
    assert furniture([[head, *body(n)] for n, head in enumerate(runs)]) == [{0}, {0}, {0}, {0}, set()]
    # a number at a body line's edge that happens to count up with the pages is not a page number
    plain = [[*body(1), "repaired at berth 7"], ["and 8 before the storms.", *body(2)]]
    assert furniture(plain) == [set(), set()]


def _letter(body: str, signatories: str) -> str:
    return (
        "<!doctype html><html><head><title>An open letter | The Harl Review</title></head><body>"
        "<header><nav><a href='/'>The Harl Review</a> <a href='/letters'>Letters</a></nav></header>"
        f"<main><article><h1>An open letter on the ferry service</h1><div class='entry-content'>{body}</div>"
        f"<div class='sig'><p>Signed,</p>{signatories}</div></article></main>"
        "<aside class='comments'><p>Reader comment: who decided this?</p></aside>"
        "<footer>© The Harl Review</footer></body></html>"
    )


_LETTER_PARAGRAPHS = [
    "We write as islanders who rely on the ferry for work, school and hospital visits every week.",
    "Since the winter timetable began, one crossing in five has been cancelled at short notice.",
    "We ask only that cancellations be announced a day ahead, with the reasons given in public.",
    "A service that fails quietly teaches its passengers to stop relying on it at all.",
]
_SIGNERS = [
    f"Signatory {i}, {('Teacher', 'Nurse', 'Fisher', 'Retired ferry engineer, Harl Ferry Company')[i % 4]}, "
    "Harl Island, signing in a personal capacity"
    for i in range(60)
]


def _in_main_text(html: str) -> bool | None:
    src = html_source(html)
    m = match_quote(_LETTER_PARAGRAPHS[2], src)
    assert m.match == "verbatim"
    return m.in_main_text


def test_a_letter_over_signatories_in_plain_divs_is_the_main_text() -> None:
    """No table and no list: the signatories are paragraphs in divs, list-like by their text alone."""
    body = "".join(f"<p>{p}</p>" for p in _LETTER_PARAGRAPHS)
    signers = "".join(f"<div class='signer'><p>{s}</p></div>" for s in _SIGNERS)
    assert _in_main_text(_letter(body, f"<div class='signatories'>{signers}</div>")) is True


def test_a_letter_written_as_br_separated_text_is_the_main_text() -> None:
    body = "<br><br>\n".join(_LETTER_PARAGRAPHS)
    table = "".join(f"<tr><td><p>{s}</p></td></tr>" for s in _SIGNERS)
    assert _in_main_text(_letter(body, f"<table class='signatories'><tbody>{table}</tbody></table>")) is True


def test_a_letter_in_bare_divs_over_signatories_in_bare_divs_is_the_main_text() -> None:
    """No <p> anywhere: the letter's paragraphs and the signatories' rows are all <div>s."""
    body = "".join(f"<div class='para'>{p}</div>" for p in _LETTER_PARAGRAPHS)
    signers = "".join(f"<div class='signer'>{s}</div>" for s in _SIGNERS)
    assert _in_main_text(_letter(body, f"<div class='signatories'>{signers}</div>")) is True


def test_prose_and_list_rows_are_told_apart_by_their_text() -> None:
    from tui.core.htmltext.prose import looks_like_prose

    for line in _LETTER_PARAGRAPHS:
        assert looks_like_prose(line)
    for row in [
        *_SIGNERS[:4],
        "Ana Mork, Former judge, Orlem Court of Appeal.",
        "Home About Contact Subscribe",
    ]:
        assert not looks_like_prose(row)
    link = "Read the whole letter on our site, where the signatories are listed."
    assert looks_like_prose(link) and not looks_like_prose(link, link_chars=len(link))
