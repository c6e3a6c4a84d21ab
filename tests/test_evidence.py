"""Evidence for a claim: BM25 over source sentences."""

from __future__ import annotations

import random
import re
from pathlib import Path

from tui.core.evidence import find_evidence, sentence_spans
from tui.core.models import Source

TEXT = (
    "The city council met on Monday to discuss the budget. "
    "Unemployment in the region fell to 4.2 percent in March, the lowest level in a decade. "
    "Officials said the new bridge would open next spring.\n"
    "Weather: sunny with light winds.\n"
    "Analysts expect unemployment to rise again once seasonal hiring ends. "
    "The bakery on Main Street won a regional award for its bread."
)


def src(text: str) -> Source:
    return Source(url="https://example.test/", final_url=None, title=None, text=text, page_text=text)


def test_best_sentence_first_with_offsets_into_the_text() -> None:
    ev = find_evidence("Regional unemployment dropped to 4.2 percent this spring", src(TEXT))
    assert 1 <= len(ev) <= 3
    assert ev[0].text.startswith("Unemployment in the region fell to 4.2 percent")
    for e in ev:
        assert TEXT[e.source_start : e.source_end] == e.text
    assert [e.score for e in ev] == sorted((e.score for e in ev), reverse=True)
    assert all(e.score > 0 for e in ev)
    assert not any(e.text.startswith("Weather") for e in ev)  # shares no word with the claim


def test_k_and_no_overlap_cases() -> None:
    assert len(find_evidence("unemployment bridge budget award bread", src(TEXT), k=2)) == 2
    assert find_evidence("quantum chromodynamics lattice", src(TEXT)) == ()
    assert find_evidence("the and of", src(TEXT)) == ()  # stopwords only
    assert find_evidence("anything", src("")) == ()


def test_sentence_spans_trim_and_cut_long_runs() -> None:
    text = "  One two three four.  Five six seven eight!\nNine ten eleven twelve " + "word " * 400
    spans = sentence_spans(text)
    assert text[spans[0][0] : spans[0][1]] == "One two three four."
    assert text[spans[1][0] : spans[1][1]] == "Five six seven eight!"
    assert all(e - s <= 600 for s, e in spans)
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


def test_paraphrased_claims_find_their_sentence_on_real_pages(corpus: Path) -> None:
    """A claim made of most of a sentence's words (some dropped, order kept) finds that sentence."""
    from quote_cases import load_sources

    sources = load_sources(corpus)
    rng = random.Random(5)
    hits = total = 0
    for name in sorted(sources):
        source = sources[name]
        spans = [(s, e) for s, e in sentence_spans(source.text) if len(source.text[s:e].split()) >= 12]
        for s, e in rng.sample(spans, min(4, len(spans))):
            words = source.text[s:e].split()
            kept = [w for w in words if rng.random() > 0.4]
            claim = " ".join(kept)
            ev = find_evidence(claim, source)
            total += 1
            hits += any(x.source_start <= s + 5 and x.source_end >= e - 5 for x in ev) or any(
                re.sub(r"\W", "", x.text) == re.sub(r"\W", "", source.text[s:e]) for x in ev
            )
    print(f"\nparaphrased claims: {hits}/{total} found their sentence in the top 3")
    assert total >= 60
    assert hits / total >= 0.9
