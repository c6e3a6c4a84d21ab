"""Quoted passages: every kind of mark, apostrophes, stray marks, attribution to links."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.article import article_from_bytes, load_article_file
from tui.core.links import find_links
from tui.core.models import Article, Paragraph
from tui.core.quotes import find_quotes

FIXTURES = Path(__file__).parent / "fixtures"

# (text, paragraph, anchor text of the link it is attributed to | None, block)
OPED_QUOTES = [
    ("transformational", 2, None, False),  # scare quote; previous paragraph is the byline
    ("reconnect the east bank with the town centre for the first time since 1974.", 2, "own briefing", False),
    ("a turning point. We will not look back,", 3, "Larkmoor Ledger", False),
    ("haven’t read the numbers.", 3, "Larkmoor Ledger", False),
    ("If you want the ’90s back, vote for the other lot.", 3, "Larkmoor Ledger", False),
    ("The deck is sound. The approach ramps are not,", 4, "radio interview", False),
    ("We flagged it twice.", 4, "radio interview", False),
    ("My neighbour calls it 'the bridge to the car park,' and she isn't wrong.", 5, "public meeting", False),
    ("When I asked what ‘phase two’ meant, nobody could tell me.", 5, "public meeting", False),
    ("Built by Larkmoor hands,\nkept by Larkmoor hearts.", 6, "town museum", False),
    ("why the town ever let it go, and whether it could come back.", 6, "town museum", False),
    (
        "Our survey found corrosion in both approach ramps. "
        "The council's schedule assumes they can be reused.",
        8,
        "Ledger published in full",
        False,
    ),
    (
        "They cannot. Replacing them adds at least £9 million and eleven months.",
        9,
        "Ledger published in full",
        False,
    ),
    (
        "We raised this in writing on 3 Feb. and again on 17 Feb. Neither letter was answered.",
        10,
        "Ledger published in full",
        False,
    ),
    # the only link before it is a local path, which cannot be checked: unattributed
    ('Delivery risk: HIGH. Cost certainty: LOW. Mitigation: "to be confirmed."', 12, None, True),
    ("footfall", 13, None, False),
    ("vibrancy", 13, None, False),
    ("vibrancy", 13, None, False),
    ("Value for Money (Revised)", 14, "costs section", False),
    ("benefit-cost ratio", 14, "footnote", False),  # no earlier link in the sentence: the next one
    ("assumes full occupancy of the Quayside development,", 14, "footnote", False),  # nearest preceding
    (
        "We were told the ramps were fine. "
        "Then we were told they were 'mostly fine.' Now we are told nothing,",
        15,
        "East Bank Residents' Association",
        False,
    ),
    # javascript: and mailto: links in the paragraph are skipped for the previous paragraph's citation
    ("open", 16, "East Bank Residents' Association", False),
    ("open-ish", 16, "East Bank Residents' Association", False),
    ("optimism bias in early-stage estimates.", 17, None, False),
    ("It’s not the bridge, it’s the ramps,", 18, "reached him by phone", False),
    ("Nobody’s arguing with the steel.", 18, "reached him by phone", False),
    ("iconic.", 21, None, False),
    ("a destination in itself,", 21, None, False),
    ("world-class gateway", 21, None, False),
    ("broadly supportive … of improved [east-west] connections.", 22, "consultation summary", False),
    # a stray opener: capped at its paragraph, not the rest of the article
    (
        "We refer you to our earlier statement. I have not found any earlier statement.",
        23,
        "consultation summary",
        False,
    ),
    ("transformational", 24, None, False),
]


@pytest.fixture(params=["oped.md", "oped.html"])
def oped(request: pytest.FixtureRequest) -> tuple[Article, tuple]:
    article = load_article_file(FIXTURES / request.param)
    return article, find_links(article)


def test_oped_quotes_exact(oped: tuple[Article, tuple]) -> None:
    article, links = oped
    quotes = find_quotes(article, links)
    got = [
        (q.text, q.paragraph, links[q.link_index].anchor_text if q.link_index is not None else None, q.block)
        for q in quotes
    ]
    assert got == OPED_QUOTES
    assert len(quotes) == 33
    for q in quotes:
        assert article.text[q.start : q.end] == q.text
        para = article.paragraphs[q.paragraph]
        assert para.start <= q.start < q.end <= para.end


def test_oped_apostrophe_paragraphs_have_no_quotes(oped: tuple[Article, tuple]) -> None:
    article, links = oped
    quotes = find_quotes(article, links)
    for pi, tricky in (
        (19, ("Don't", "Joneses' house", "'60s", "rock 'n' roll", "o'clock")),
        (20, ("We’ve", "’80s", "’til", "rock ’n’ roll", "Quillfeathers’ café", "didn’t")),
    ):
        para = article.paragraphs[pi]
        assert all(t in article.text[para.start : para.end] for t in tricky)
        assert not [q for q in quotes if q.paragraph == pi]


def _quotes(md: str) -> list[str]:
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    return [q.text for q in find_quotes(article, find_links(article))]


@pytest.mark.parametrize(
    "md, expected",
    [
        ("Don't say Russia's ’90s rock ’n’ roll at five o’clock in the Joneses’ house.", []),
        ("Don't say Russia's '90s rock 'n' roll at five o'clock in the Joneses' house.", []),
        ("He said “yes” and “no.”", ["yes", "no."]),
        ('He said "yes" and "no."', ["yes", "no."]),
        ("“She called it ‘a mess’ twice,” he said.", ["She called it ‘a mess’ twice,"]),
        ("British style: ‘we can’t,’ she said, ‘not “today”.’", ["we can’t,", "not “today”."]),
        ("A ‘stray opener that never closes.", []),
        ('A stray closer” does nothing, nor does this one".', []),
        ("Ask for ‘the Joneses’ house’ by name.", ["the Joneses’ house"]),
        ('A 12" ruler and a 5\'10" man.', []),
        ("Empty “” marks and “ spaced ” marks.", ["spaced"]),
        ("A “quote that\nruns across a line break” here.", ["quote that runs across a line break"]),
        ('“He said "no" twice. Still inside,” she said.', ['He said "no" twice. Still inside,']),
        ('"Straight with “curly” inside" too.', ["Straight with “curly” inside"]),
        ('Sloppy “open and straight close" here, then “a” b.', ["open and straight close", "a"]),
        ("Guillemets «comme ça» and „low“ marks.", ["comme ça", "low"]),
    ],
)
def test_marks(md: str, expected: list[str]) -> None:
    assert _quotes(md) == expected


def test_stray_opener_is_capped_at_its_paragraph() -> None:
    md = "Intro “with a stray mark and no end.\n\nNext paragraph says “hi” plainly.\n\nLast one."
    assert _quotes(md) == ["with a stray mark and no end.", "hi"]


def test_multi_paragraph_convention_one_piece_per_paragraph() -> None:
    md = (
        "Said [Kim](https://k.example/x):\n\n“One. Two.\n\n“Three.\n\n“Four,” she ended.\n\n"
        "After “that” came silence."
    )
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    quotes = find_quotes(article, find_links(article))
    assert [(q.text, q.paragraph, q.link_index) for q in quotes] == [
        ("One. Two.", 1, 0),
        ("Three.", 2, 0),
        ("Four,", 3, 0),
        ("that", 4, None),  # two paragraphs after the link: unattributed
    ]


def test_unclosed_paragraph_not_followed_by_opener_does_not_continue() -> None:
    md = "“Open and never closed.\n\nPlain paragraph with “its own” quote."
    assert _quotes(md) == ["Open and never closed.", "its own"]


def test_block_quotes_are_whole_paragraphs_and_inner_quotes_not_repeated() -> None:
    md = (
        "As [the memo](https://m.example/) put it:\n\n"
        "> “Costs will rise,” said ‘Ops’.\n>\n> Second para.\n\nEnd."
    )
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    quotes = find_quotes(article, find_links(article))
    assert [(q.text, q.block, q.link_index) for q in quotes] == [
        ("“Costs will rise,” said ‘Ops’.", True, 0),
        ("Second para.", True, 0),
    ]


def test_block_quote_wrapped_in_marks_is_stripped() -> None:
    md = "> “Whole thing quoted.”"
    assert _quotes(md) == ["Whole thing quoted."]


def test_attribution_rules() -> None:
    md = (
        "[A](https://a.example/) and [B](https://b.example/) agree: “one”.\n\n"
        "“Two,” says [C](https://c.example/), “three.” Then “four.”\n\n"
        "Write to [us](mailto:x@y.example) or [nav](javascript:void(0)). “Five.”\n\n"
        "“Six.”"
    )
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    links = find_links(article)
    got = [(q.text, q.link_index) for q in find_quotes(article, links)]
    assert got == [
        ("one", 1),  # several links before it in the sentence: the nearest one
        ("Two,", 2),  # no link before it in the sentence: the following one
        ("three.", 2),
        ("four.", 2),  # next sentence, no link of its own: nearest preceding citation
        ("Five.", 2),  # mailto/javascript don't count; previous paragraph's citation does
        ("Six.", None),  # the previous paragraph has no web link
    ]


def test_boilerplate_links_do_not_take_following_quotes() -> None:
    md = "[Share](https://twitter.com/intent/tweet?u=x)\n\n“Alone.”"
    assert [q.link_index for q in _quote_objs(md)] == [None]


def _quote_objs(md: str):
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    return find_quotes(article, find_links(article))


def test_empty_article_paragraphs() -> None:
    article = Article("x", None, "", (), ())
    assert find_quotes(article, ()) == ()
    article = Article("x", None, "“a”", (Paragraph(0, 3),), ())
    assert [q.text for q in find_quotes(article, ())] == ["a"]


_MARKY = st.text(alphabet="ab. ,'\"“”‘’\n!?…«»„", max_size=120)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKY, min_size=1, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_property_quotes_valid(paragraph_texts: list[str], block_flags: list[bool]) -> None:
    text_parts, paragraphs, pos = [], [], 0
    for i, raw in enumerate(paragraph_texts):
        body = " ".join(raw.split("\n\n")).strip() or "x"
        if text_parts:
            text_parts.append("\n\n")
            pos += 2
        paragraphs.append(Paragraph(pos, pos + len(body), block_flags[i]))
        text_parts.append(body)
        pos += len(body)
    text = "".join(text_parts)
    article = Article("p", None, text, tuple(paragraphs), ())
    quotes = find_quotes(article, ())
    last_end = -1
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.text and q.text == q.text.strip()
        para = paragraphs[q.paragraph]
        assert para.start <= q.start < q.end <= para.end  # never beyond its paragraph
        assert q.start >= last_end  # in order, not overlapping
        last_end = q.end
