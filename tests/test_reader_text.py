"""What the reader's strips say, as plain text: every word where its side has it, spaces included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.models import Quote, QuoteMatch
from tui.core.skipped import match_diff_parts
from tui.core.worddiff import word_diff
from tui.session import SourceView
from tui.widgets.source_pane import diff_content, quote_summary


def sides(match: QuoteMatch) -> tuple[str, str]:
    article, source = diff_content(match_diff_parts(match)).plain.split("\n")
    return article.removeprefix("article "), source.removeprefix("source  ")


def test_a_changed_number_keeps_its_spaces() -> None:
    match = QuoteMatch(
        "altered", 0.9, diff=word_diff("borrowing of $48 million over", "borrowing of $84 million over")
    )
    assert sides(match) == ("borrowing of $84 million over", "borrowing of $48 million over")
    dropped = QuoteMatch("altered", 0.9, diff=word_diff("cost $84 million in all", "cost $84 in all"))
    assert sides(dropped) == ("cost $84 in all", "cost $84 million in all")


WORDS = st.lists(
    st.sampled_from(["the", "bridge", "$84", "million", "not", "safe", ",", "—", "5.2"]), max_size=12
)


@given(WORDS, WORDS)
def test_each_line_is_exactly_its_sides_text(source_words: list[str], article_words: list[str]) -> None:
    source, article = " ".join(source_words), " ".join(article_words)
    match = QuoteMatch("altered", 0.5, diff=word_diff(source, article))
    assert sides(match) == (article, source)


def test_the_summary_puts_a_space_between_every_part() -> None:
    match = QuoteMatch("verbatim", 1.0, "x", 0, 1, other_matches=2)
    view = SourceView("quote", position=1, total=2, quote=Quote("x", 0, 1, 0), match=match, status="verbatim")
    assert quote_summary(view).plain == "quote 1/2 verbatim  similarity 100%  +2 more"
    unchecked = SourceView(
        "quote", position=1, total=1, quote=Quote("x", 0, 1, 0), match=match, status="not_checked"
    )
    assert quote_summary(unchecked).plain.startswith("quote 1/1 not checked  no source text to look in")
