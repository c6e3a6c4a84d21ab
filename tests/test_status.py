"""The core's one answer to what an outcome means: every face (report, text, export, reader) agrees."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reader_fixtures import build

from tui.core.export import export_markdown
from tui.core.models import NOT_SEARCHED, LinkOutcome, QuoteMatch
from tui.core.report import build_report, render_text
from tui.core.status import (
    STATUS_LABELS,
    Counts,
    is_stripped,
    list_order,
    located_text,
    needs_attention,
    quote_status,
    status_of,
    target_label,
)


def test_a_quote_that_was_not_searched_is_not_checked_whatever_its_match() -> None:
    assert status_of(NOT_SEARCHED) == "not_checked"
    assert quote_status("not_found", searched=False) == "not_checked"
    assert quote_status("altered") == "altered"
    assert STATUS_LABELS["not_checked"] == "not checked" and STATUS_LABELS["not_found"] == "not found"
    with pytest.raises(ValueError):
        quote_status("maybe")


def fixture_with_unsearched_quotes() -> tuple:
    """The reader fixture, with link 3 (a failed source) holding a quote that could not be searched."""
    article, links, quotes, outcomes = build()
    extra = quotes[0].__class__("a quote of the failed link", 0, 5, 1, link_index=3)
    outcomes[3] = LinkOutcome(links[3], "error", error="gone", quotes=((extra, NOT_SEARCHED),))
    unattributed = tuple(q for q in quotes if q.link_index is None)
    return article, [outcomes[i] for i in sorted(outcomes)], unattributed


def test_counts_agree_between_outcomes_report_text_and_export() -> None:
    article, outcomes, unattributed = fixture_with_unsearched_quotes()
    counts = Counts.from_outcomes(outcomes, len(unattributed), ["not_checked"] * len(unattributed))
    assert counts == Counts(
        sources_read=4, sources_failed=1, verbatim=2, altered=1, not_found=0, not_checked=1, unattributed=2,
        unattributed_not_checked=2,
    )  # fmt: skip
    report = build_report(article, outcomes, unattributed)
    assert Counts.from_report(report) == counts
    assert {key: report["counts"][key] for key in counts.as_dict()} == counts.as_dict()
    failed_quote = report["links"][3]["quotes"][0]
    assert failed_quote["status"] == "not_checked" and failed_quote["match"] == "not_found"
    text = render_text(report)
    assert "not checked (no source text to look in)" in text and "NOT FOUND" not in text
    assert text.splitlines()[-1] == counts.summary_line()
    markdown = export_markdown(report, [])
    assert "### Quote 1: not checked (no source text to look in)\n" in markdown
    assert "### Quote 1: not found" not in markdown


def test_boilerplate_links_count_for_nothing_and_list_after_citations() -> None:
    _, links, _, outcomes = build()
    byline = replace(links[0], role="boilerplate")
    outcomes[0] = replace(outcomes[0], link=byline)
    assert Counts.from_outcomes(outcomes.values()).verbatim == 1  # link 5's quote only
    assert [link.index for link in list_order([byline, *links[1:]])] == [1, 2, 3, 4, 5, 0]
    assert not needs_attention(replace(outcomes[3], link=replace(links[3], role="boilerplate")))
    assert needs_attention(outcomes[3]) and needs_attention(outcomes[4]) and needs_attention(outcomes[1])
    assert not needs_attention(outcomes[0])


def test_link_standing_and_labels() -> None:
    _, links, _, _ = build()
    assert is_stripped(links[4]) and target_label(links[4]) == "stripped link"
    assert target_label(links[0]) == "radio.example"

    note = replace(links[0], target_kind="fragment", url="https://x.example/a#fn1", role="boilerplate")
    assert not is_stripped(note)  # an in-page note marker, not a stripped citation
    assert target_label(replace(links[0], target_kind="mailto", url=None)) == "e-mail address"


def test_located_text_points_into_the_text_the_offsets_belong_to() -> None:
    _, _, _, outcomes = build()
    own = outcomes[1].source
    found = outcomes[1].quotes[0][1]
    located = located_text(1, own, found)
    assert located is not None and located.text is own.text and not located.borrowed
    assert located.text[found.source_start : found.source_end] == found.source_text
    page = replace(own, page_text="Sidebar. " + own.text)
    elsewhere = QuoteMatch("verbatim", 1.0, "Sidebar", 0, 7, found_in_link=1, in_main_text=False)
    lender = located_text(4, None, elsewhere, lambda i: page if i == 1 else None)
    assert lender is not None and lender.borrowed and lender.link_index == 1
    assert lender.text is page.page_text and lender.text[0:7] == "Sidebar"
    assert located_text(1, own, NOT_SEARCHED) is None
