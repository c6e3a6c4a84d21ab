"""Properties: a fragment cut from a text is found verbatim at its offsets; folding keeps offsets honest;
no input crashes the matcher."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.core.match import match_quote, parse_quote
from tui.core.models import Source
from tui.core.normalize import QUOTE_MARKS, fold, fold_text
from tui.core.worddiff import word_diff

EDGE = " ,.;:!?"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# letters plus what folding has to deal with; no '.', '…' or '[' ']' (those are quote syntax)
WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éßİﬁﬂ-–—’'“”\u00ad"
SEPARATORS = [" ", " ", " ", "\n", "  ", "\u00a0", " — ", ", ", "\n\n", " “", "” "]

words = st.text(alphabet=WORD_CHARS, min_size=1, max_size=9)


@st.composite
def texts(draw: st.DrawFn) -> str:
    ws = draw(st.lists(words, min_size=1, max_size=60))
    out = [ws[0]]
    for w in ws[1:]:
        out.append(draw(st.sampled_from(SEPARATORS)))
        out.append(w)
    return "".join(out)


def source(text: str) -> Source:
    return Source(url="https://example.test/", final_url=None, title=None, text=text, page_text=text)


def occurrences(hay: str, needle: str) -> int:
    """Overlapping occurrences (str.count does not count overlaps)."""
    n, pos = 0, hay.find(needle)
    while pos >= 0:
        n += 1
        pos = hay.find(needle, pos + 1)
    return n


def _core_span(fragment: str) -> tuple[int, int, str]:
    """Offsets (in the fragment) of what folding keeps once edge whitespace and sentence punctuation (the
    article's, not the source's) are stripped."""
    f = fold(fragment)
    core = f.text.strip(EDGE)
    lead = len(f.text) - len(f.text.lstrip(EDGE))
    s, e = f.span_to_original(lead, lead + len(core))
    return s, e, core


# Fragments of three words or fewer are kept only when cut at word edges (the matcher's rule for short
# quotes), so how many draws are set aside depends on the texts drawn: at times more than Hypothesis's
# filtering health check allows, which is about generation, not about the property.
@settings(SETTINGS, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(texts(), st.data())
def test_any_fragment_is_found_verbatim_at_its_offsets(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    fragment = text[a:b]
    s, e, core = _core_span(fragment)
    parsed = parse_quote(fragment)
    assume(parsed.pieces and any(c.isalnum() for c in core))
    folded = fold(text)
    start_f = folded.text.find(core)
    assert start_f >= 0  # folding a fragment agrees with folding the whole text
    if len(parsed.words) <= 3:
        # short quotes match whole words only: keep fragments cut at word edges
        hay = folded.text
        end_f = start_f + len(core)
        assume(occurrences(folded.text, core) == 1)
        assume(not (start_f > 0 and hay[start_f - 1].isalnum() and hay[start_f].isalnum()))
        assume(not (end_f < len(hay) and hay[end_f - 1].isalnum() and hay[end_f].isalnum()))
    m = match_quote(fragment, source(text))
    assert m.match == "verbatim" and m.similarity == 1.0
    assert m.source_start is not None and m.source_end is not None
    assert text[m.source_start : m.source_end] == m.source_text
    assert fold_text(m.source_text).strip(EDGE) == core
    if occurrences(folded.text, core) == 1:
        # exactly there, give or take a quote mark taken in to balance the passage
        assert m.source_start <= a + s and m.source_end >= a + e
        extra = text[m.source_start : a + s] + text[a + e : m.source_end]
        assert all(c in QUOTE_MARKS for c in extra)


@SETTINGS
@given(texts(), st.data())
def test_word_aligned_fragments_of_any_length_are_found(text: str, data: st.DataObject) -> None:
    tokens = text.split(" ")
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i + 1, len(tokens)))
    fragment = " ".join(tokens[i:j])
    _, _, core = _core_span(fragment)
    assume(any(c.isalnum() for c in core))
    hay = fold_text(text)
    pos = hay.find(core)
    # cutting at a space may still cut inside a folded word (“ and ’ fold away, so "x“ y" ends "x")
    assume(not (pos > 0 and hay[pos - 1].isalnum() and hay[pos].isalnum()))
    end = pos + len(core)
    assume(not (end < len(hay) and hay[end - 1].isalnum() and hay[end].isalnum()))
    m = match_quote(fragment, source(text))
    assert m.match == "verbatim"
    assert fold_text(m.source_text).strip(EDGE) == core


@SETTINGS
@given(st.text(alphabet=WORD_CHARS + " \n\t\u00a0\u200b…", max_size=200))
def test_folding_never_shifts_offsets(text: str) -> None:
    f = fold(text)
    previous = -1
    for i, ch in enumerate(f.text):
        o = f.to_original(i)
        assert previous <= o < len(text)
        previous = o
        assert ch in fold_text(text[o]) or (ch == " " and text[o].isspace())
    # any folded span maps to an original span that folds back to it
    for i in range(0, len(f.text), 7):
        for j in range(i + 1, min(len(f.text), i + 30) + 1, 5):
            s, e = f.span_to_original(i, j)
            back = fold_text(text[s:e])
            assert f.text[i:j].strip() in back
            assert len(back) - len(f.text[i:j]) <= 4  # an expansion (ﬃ, …) cut at either edge


quote_syntax = st.lists(
    st.sampled_from([*"abc xyz…[].'\"“”—-\n0123456789", "...", "[...]", "not ", "the "]), max_size=40
).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=300), texts()), st.one_of(st.text(max_size=80), quote_syntax))
def test_no_input_crashes_the_matcher(text: str, quote: str) -> None:
    src = Source(url="u", final_url=None, title=None, text=text, page_text=text + "\nMore page text here.")
    m = match_quote(quote, src)
    assert m.match in {"verbatim", "altered", "not_found"}
    assert 0.0 <= m.similarity <= 1.0
    if m.match == "not_found":
        assert m.source_start is None
        return
    target = src.text if m.in_main_text else src.page_text
    assert 0 <= m.source_start <= m.source_end <= len(target)
    assert target[m.source_start : m.source_end] == m.source_text
    if m.match == "verbatim":
        assert m.similarity == 1.0
    assert all(op in (-1, 0, 1) for op, _ in m.diff)
    assert "".join(t for op, t in m.diff if op <= 0) == m.source_text


@SETTINGS
@given(st.text(max_size=120), st.text(max_size=120))
def test_word_diff_keeps_the_source_side(a: str, b: str) -> None:
    d = word_diff(a, b)
    assert "".join(t for op, t in d if op <= 0) == a
    assert all(t for _, t in d)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(), st.data())
def test_indexed_exact_search_agrees_with_scanning(text: str, data: st.DataObject) -> None:
    """Large texts find exact matches through the word index; it must see what a scan sees."""
    import tui.core.match as match
    import tui.core.match.exact as exact

    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    needle = fold_text(text[a:b]).strip()
    assume(needle)
    index = match.index_text(text + " ")  # a text object of its own: a fresh index
    scanned = list(exact._occurrences(index.ftext, needle))
    old = exact.INDEXED_EXACT_MIN_CHARS
    exact.INDEXED_EXACT_MIN_CHARS = 0
    try:
        assert exact._all_positions(index, needle) == scanned
    finally:
        exact.INDEXED_EXACT_MIN_CHARS = old
