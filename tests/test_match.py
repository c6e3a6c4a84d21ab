"""Locating and classifying quotes: verbatim, elided, bracketed, altered, short, elsewhere."""

from __future__ import annotations

import pytest

from tui.core.match import index_text, match_across, match_quote, parse_quote
from tui.core.models import Source
from tui.core.normalize import fold_text
from tui.core.worddiff import word_diff

TEXT = (
    "The minister said on Tuesday that the plan “will not raise taxes” for families, but only if the "
    "economy grows by 3 percent this year.\n\nHe added that the reform was “a hands-off approach” to "
    "regulation. Critics disagreed strongly with the proposal, calling it reckless and expensive. "
    "If the budget passes, the agency will hire 200 new inspectors by the end of next year."
)


def src(text: str = TEXT, page: str | None = None, url: str = "https://example.test/a") -> Source:
    page_text = page if page is not None else text
    return Source(url=url, final_url=None, title=None, text=text, page_text=page_text)


def assert_points_at(m, text: str, quote_core: str) -> None:
    assert m.source_start is not None and m.source_end is not None
    assert text[m.source_start : m.source_end] == m.source_text
    assert fold_text(m.source_text) == fold_text(quote_core)


def test_verbatim_with_typography_folded() -> None:
    q = 'the plan "will not raise taxes" for families'
    m = match_quote(q, src())
    assert m.match == "verbatim" and m.similarity == 1.0 and m.in_main_text is True
    assert_points_at(m, TEXT, q)
    assert m.source_text == "the plan “will not raise taxes” for families"
    assert m.diff == ((0, m.source_text),)
    assert m.prefix and TEXT[: m.source_start].endswith(m.prefix)
    assert m.suffix and TEXT[m.source_end :].startswith(m.suffix)
    assert 32 <= len(m.prefix) <= 64 and 32 <= len(m.suffix) <= 64


def test_verbatim_across_line_breaks_and_case() -> None:
    q = "THIS YEAR. He added that"
    m = match_quote(q, src())
    assert m.match == "verbatim"
    assert m.source_text == "this year.\n\nHe added that"


@pytest.mark.parametrize("mark", ["…", "...", " [...] ", ". . ."])
def test_ellipsis_is_an_omission(mark: str) -> None:
    q = f"The minister said{mark}the plan"
    m = match_quote(q, src())
    assert m.match == "verbatim" and m.similarity == 1.0
    assert m.source_text == "The minister said on Tuesday that the plan"
    removed = "".join(t for op, t in m.diff if op == -1)
    assert "on Tuesday that" in removed
    assert all(t.strip() in {"", "…", "...", "[...]", ". . ."} for op, t in m.diff if op == 1)


def test_ellipsis_pieces_must_be_in_order_and_close() -> None:
    assert match_quote("the plan … The minister said", src()).match != "verbatim"
    far = "Alpha beta gamma delta. " + "filler words here " * 400 + "Epsilon zeta eta theta."
    m = match_quote("Alpha beta gamma … Epsilon zeta eta", src(far))
    assert m.match != "verbatim"
    near = "Alpha beta gamma delta. " + "filler words here " * 20 + "Epsilon zeta eta theta."
    assert match_quote("Alpha beta gamma … Epsilon zeta eta", src(near)).match == "verbatim"


def test_ellipsis_that_removes_a_negation_is_flagged() -> None:
    m = match_quote("the plan … raise taxes", src())
    assert m.match == "verbatim"
    assert "ellipsis" in m.flags


def test_brackets_are_editors_insertions() -> None:
    m = match_quote("[The official] added that the reform was", src())
    assert m.match == "verbatim"
    assert m.source_text == "added that the reform was"
    m = match_quote("He added that [the overhaul] was “a hands-off approach”", src())
    assert m.match == "verbatim"
    assert m.source_text.startswith("He added") and m.source_text.endswith("approach”")
    assert (1, "[the overhaul]") in m.diff and any(op == -1 and "reform" in t for op, t in m.diff)
    # a capital letter changed by the editor
    m = match_quote("[T]he reform was “a hands-off approach”", src())
    assert m.match == "verbatim"
    assert m.source_text == "he reform was “a hands-off approach”"


def test_altered_words_and_flags() -> None:
    q = "the plan will raise taxes for families, but only if the economy grows by 4 percent"
    m = match_quote(q, src())
    assert m.match == "altered"
    assert 0.6 <= m.similarity < 1.0
    assert m.source_text.startswith("the plan “will not raise taxes”")
    assert m.source_text.endswith("3 percent")
    assert "negation" in m.flags and "number" in m.flags
    assert (-1, "3") in m.diff and (1, "4") in m.diff


def test_altered_with_inserted_and_dropped_words() -> None:
    q = "Critics disagreed with the new proposal, calling it reckless"
    m = match_quote(q, src())
    assert m.match == "altered"
    assert m.source_text == "Critics disagreed strongly with the proposal, calling it reckless"
    assert (-1, "strongly ") in m.diff or any(op == -1 and "strongly" in t for op, t in m.diff)
    assert any(op == 1 and "new" in t for op, t in m.diff)
    assert "number" not in m.flags and "negation" not in m.flags


def test_qualifier_cut_at_either_edge() -> None:
    m = match_quote("will not raise taxes for families", src())
    assert m.match == "verbatim" and "qualifier_cut" in m.flags
    m = match_quote("the agency will hire 200 new inspectors", src())
    assert m.match == "verbatim" and "condition_cut" in m.flags  # "If the budget passes, ..."
    assert "qualifier_cut" not in m.flags
    m = match_quote("the economy grows by 3 percent this year", src())  # next sentence: "He added"
    assert "qualifier_cut" not in m.flags
    text = "Prices will fall next year. But only for households that switch providers."
    assert "qualifier_cut" in match_quote("Prices will fall next year", src(text)).flags
    m = match_quote("Critics disagreed strongly with the proposal", src())
    assert "qualifier_cut" not in m.flags


def test_unrelated_quote_is_not_found() -> None:
    m = match_quote("the weather in spring is usually mild and pleasant", src())
    assert m.match == "not_found" and m.similarity == 0.0 and m.source_start is None


def test_short_quotes_match_whole_words_only_never_fuzzily() -> None:
    m = match_quote("hands-off approach", src())
    assert m.match == "verbatim"
    assert m.source_text == "hands-off approach"
    assert match_quote("hands-on approach", src()).match == "not_found"
    assert match_quote("ten", src("It happens often.")).match == "not_found"
    assert match_quote("reckless", src()).match == "verbatim"


def test_other_matches_are_counted() -> None:
    text = "He said it was fine. Later he said it was fine again. She said it was fine too."
    m = match_quote("said it was fine", src(text))
    assert m.match == "verbatim" and m.other_matches == 2
    assert m.source_start == text.index("said it was fine")


def test_page_text_fallback_points_into_page_text() -> None:
    main = "Main story text without the caption."
    page = "Menu Home. Main story text without the caption. Photo: the mayor opened the new bridge on Monday."
    m = match_quote("the mayor opened the new bridge", src(main, page))
    assert m.match == "verbatim" and m.in_main_text is False
    assert page[m.source_start : m.source_end] == "the mayor opened the new bridge"
    m = match_quote("the mayor opened a new bridge on Monday", src(main, page))
    assert m.match == "altered" and m.in_main_text is False
    assert page[m.source_start : m.source_end].startswith("the mayor opened the new bridge")


def test_match_across_other_sources() -> None:
    own = src("Nothing relevant is said here at all.")
    other = src("Budget news: the agency will hire 200 new inspectors next year.", url="https://b.test/")
    third = src("Something else entirely.", url="https://c.test/")
    q = "the agency will hire 200 new inspectors"
    m = match_across(q, own, [(2, third), (5, other)])
    assert m.match == "verbatim" and m.found_in_link == 5
    m = match_across(q, None, [(5, other)])
    assert m.found_in_link == 5
    m = match_across("the agency will hire 300 new inspectors", own, [(2, third), (5, other)])
    assert m.match == "altered" and m.found_in_link == 5 and "number" in m.flags
    m = match_across(q, other, [(2, third)])
    assert m.match == "verbatim" and m.found_in_link is None
    assert match_across("words that appear nowhere at all", own, [(2, third)]).match == "not_found"


def test_verbatim_in_page_text_beats_altered_in_main_text() -> None:
    main = "He said the results were very good for everyone involved in the trial."
    page = main + " Sidebar: He said the results were good for everyone involved in the trial."
    m = match_quote("the results were good for everyone involved", src(main, page))
    assert m.match == "verbatim" and m.in_main_text is False


def test_degenerate_inputs_do_not_crash() -> None:
    for q in ["", "   ", "…", "[...]", "[]", "“”", "...", "[editor]", "a", "!!!"]:
        m = match_quote(q, src())
        assert m.match in {"verbatim", "altered", "not_found"}
    assert match_quote("anything at all here", src("", "")).match == "not_found"


def test_parse_quote() -> None:
    p = parse_quote("[He] said … it was “fine” [sic] today")
    assert [x.text for x in p.pieces] == ["said", "it was fine", "today"]
    assert p.gaps == ("ellipsis", "bracket")
    assert p.has_ellipsis
    assert p.words == ("said", "it", "was", "fine", "today")


def test_index_is_built_once_per_text() -> None:
    text = "Some source text " * 100
    assert index_text(text) is index_text(text)
    a, b = src(text), src(text)
    m1, m2 = match_quote("source text some", a), match_quote("source text some", b)
    assert m1 == m2


def test_word_diff_ops() -> None:
    diff = word_diff("The cat sat on the mat.", "The dog sat on the mat!")
    assert diff == ((0, "The "), (-1, "cat"), (1, "dog"), (0, " sat on the mat"), (-1, "."), (1, "!"))
    # folded tokens compare equal; the source's spelling is kept
    assert word_diff("“Fine” — really", '"fine" - really') == ((0, "“Fine” — really"),)
    # the source side is recoverable from ops 0 and -1
    a, b = "one two three four five", "one three four six five"
    d = word_diff(a, b)
    assert "".join(t for op, t in d if op <= 0) == a
    assert "".join(t for op, t in d if op >= 0) == b


def test_sentence_punctuation_at_the_quote_edges_is_the_articles() -> None:
    # “…raise taxes,” she said / “…this year.” are still verbatim
    m = match_quote("will not raise taxes,", src())
    assert m.match == "verbatim" and m.source_text == "will not raise taxes"
    assert m.diff == ((0, "will not raise taxes"),)
    m = match_quote("Critics disagreed strongly with the proposal.", src())
    assert m.match == "verbatim" and m.diff == ((0, "Critics disagreed strongly with the proposal"),)
    m = match_quote("the plan “will not raise taxes” for families, … grows by 3 percent", src())
    assert m.match == "verbatim"


def test_altered_quote_with_an_ellipsis_and_a_bracket() -> None:
    # omitted words do not count against the similarity; the changed word does
    m = match_quote("The minister said … the plan “will never raise taxes” for families", src())
    assert m.match == "altered" and m.similarity >= 0.85
    assert m.source_text.startswith("The minister said on Tuesday")
    assert "negation" in m.flags
    m = match_quote("[The official] added that the reform was a hands-on approach to regulation", src())
    assert m.match == "altered"
    assert m.source_text.startswith("added that") or m.source_text.startswith("He added")


def test_altered_quote_found_in_several_places_says_so() -> None:
    para = "The committee agreed that the harbour levy should rise by two percent next spring. "
    text = para + "Unrelated filler about the weather and the tides. " * 20 + para
    m = match_quote("the committee agreed that the harbour levy should rise by three percent", src(text))
    assert m.match == "altered" and m.other_matches == 1
    assert m.source_start == text.index("The committee") and "number" in m.flags


def test_decomposed_accents_in_the_source() -> None:
    text = "The cafe\u0301 owner said the Pokémon event was a success."
    m = match_quote("The café owner said", src(text))
    assert m.match == "verbatim" and m.source_text == "The cafe\u0301 owner said"
    m = match_quote("the Pokemon event was a success", src(text))
    assert m.match == "verbatim" and m.source_text == "the Pokémon event was a success"
    m = match_quote("The café", src(text))
    assert m.match == "verbatim" and m.source_text == "The cafe\u0301"


def test_elided_quote_prefers_the_tightest_place() -> None:
    a = "It is streaming on Hulu and available to rent on YouTube and Google Play. "
    filler = "A long review of another film follows here, with many words about it. " * 8
    b = "It is streaming on Hulu and available to rent on Google Play and YouTube. "
    text = a + filler + b
    m = match_quote("streaming on Hulu and available … Google Play and YouTube", src(text))
    assert m.match == "verbatim"
    assert m.source_start == text.index("streaming", len(a))
    assert m.source_text == "streaming on Hulu and available to rent on Google Play and YouTube"
