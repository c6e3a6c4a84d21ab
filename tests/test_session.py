"""The reader's state without a screen: a `ReaderSession` fed the fake pipeline's events (ms each)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from reader_fixtures import UNATTRIBUTED, build, pipeline_events

from tui.core import events as ev
from tui.core.models import QuoteMatch
from tui.core.notes import AnchoredNote, Note, NoteTarget
from tui.session import (
    UNLINKED,
    ClaimAsSubject,
    ClaimSubject,
    Extension,
    Filter,
    Highlight,
    InfoLine,
    QuoteSubject,
    ReaderSession,
    UnlinkedQuote,
    add_filter,
    link_entry,
    rule,
)
from tui.session.actions import FILTERS, RULES


def session_after(events: list, **kwargs) -> ReaderSession:
    session = ReaderSession("fixtures/harbour.md", **kwargs)
    for event in events:
        session.apply(event)
    return session


def loaded(**kwargs) -> ReaderSession:
    """The article is read, nothing is fetched yet."""
    return session_after(pipeline_events()[:1], **kwargs)


def finished(**kwargs) -> ReaderSession:
    return session_after(pipeline_events(), **kwargs)


@pytest.fixture(autouse=True)
def fast(request):
    """Session tests need no event loop: each takes milliseconds of CPU (CPU time, not the wall clock,
    which a busy machine stretches at will)."""
    started = time.process_time()
    yield
    assert time.process_time() - started < 2.0  # generous; typical is ~1 ms


# -- rows from events ----------------------------------------------------------------------------------


def test_rows_follow_the_pipeline_and_marks_wait_for_their_source() -> None:
    events = pipeline_events()
    session = session_after(events[:1])
    rows = session.rows.by_index
    assert [rows[i].state for i in range(6)] == ["queued", "queued", "queued", "queued", "skipped", "queued"]
    assert rows[0].marks() == ("pending",)  # not searched yet, and not "not found"
    assert session.status().counts.not_found == session.status().counts.not_checked == 0
    assert session.rows.progress() == (0, 5)
    for event in events[1:]:
        session.apply(event)
        if isinstance(event, ev.SourceFetching) and event.url == rows[1].link.url:
            assert rows[1].state == "fetching"
    assert [rows[i].state for i in range(6)] == ["ok", "ok", "ok", "error", "skipped", "ok"]
    assert rows[1].marks() == ("altered",) and session.finished
    status = session.status()
    assert (status.done, status.total) == (5, 5)
    assert (status.counts.verbatim, status.counts.altered, status.counts.sources_failed) == (2, 1, 1)


def test_changes_name_what_to_redraw() -> None:
    events = pipeline_events()
    session = session_after(events[:1])
    first = session.take_changes()
    assert first.entries and first.subject and first.status
    checked = next(e for e in events if isinstance(e, ev.LinkChecked) and e.outcome.link.index == 0)
    session.apply(checked)
    changes = session.take_changes()
    assert changes.rows == {0} and changes.shown and changes.article and not changes.subject
    assert not session.take_changes().rows  # taken once


# -- the subject ---------------------------------------------------------------------------------------


def test_selection_lands_on_the_first_quote_and_n_p_walk_claim_and_quotes() -> None:
    session = finished()
    assert session.subject == QuoteSubject(0, 0)
    assert session.move_subject(-1) is None and session.subject == ClaimAsSubject(0)
    assert session.note_view().kind.startswith("the claim")
    assert session.move_subject(-1) is None and session.subject == QuoteSubject(0, 0)  # wraps
    assert session.move_claim(1) and session.subject == QuoteSubject(1, 0)
    view = session.source_view()
    assert view.kind == "quote" and view.status == "altered" and view.text.startswith("Harbour bridge")
    assert view.text[view.highlights[0].start : view.highlights[0].end] == view.match.source_text


def test_a_claim_without_quotes_walks_its_evidence() -> None:
    session = finished()
    assert session.select(link_entry(2)) and session.subject == ClaimSubject(2, 0)
    assert session.source_view().position == 1
    session.move_subject(1)
    assert session.subject == ClaimSubject(2, 1) and session.source_view().position == 2
    assert session.subject.note_key == (2, None)  # every passage: the claim's one note


def test_j_k_stop_at_the_ends_and_walk_onto_the_quotes_with_no_link() -> None:
    session = finished()
    assert not session.move_claim(-1) and session.entry_id == link_entry(0)
    for _ in range(10):
        session.move_claim(1)
    assert session.entry_id == UNLINKED and session.subject == UnlinkedQuote(0) and session.row is None
    assert session.source_view().kind == "unlinked"
    assert session.move_subject(1) is None and session.subject == UnlinkedQuote(1)
    assert session.note_view().kind == "quote 2/2 with no link"
    highlights, target = session.article_view()
    assert target == UNATTRIBUTED[1].start
    assert Highlight(UNATTRIBUTED[1].start, UNATTRIBUTED[1].end, "current") in highlights


def test_a_click_in_the_article_selects_the_claim_or_the_quote_there() -> None:
    session = finished()
    assert session.select_at(UNATTRIBUTED[0].start + 1) and session.subject == UnlinkedQuote(0)
    link = session.rows.by_index[3].link
    assert session.select_at(link.claim_start) and session.entry_id == link_entry(3)
    assert not session.select_at(0)  # the headline sentence holds no link


def test_keys_that_do_not_apply_say_why() -> None:
    session = loaded()
    assert session.why_not("refetch") == (
        "Sources are still being fetched (0/5); r works once this pass is done."
    )
    session = finished()
    assert session.why_not("refetch") is None and session.why_not("open_source") is None
    session.select(link_entry(4))  # a javascript: link
    assert session.why_not("next_quote") == (
        "This claim quotes nothing and its source has no other passage to show."
    )
    assert session.why_not("open_source") == "This claim's link has no web address to open or fetch."
    assert session.why_not("find") == "There is no source text to search here."
    session.select(UNLINKED)
    assert session.why_not("refetch") == "Quotes with no link have no source."
    assert session.why_not("verdict('accurate')") is None
    assert finished(can_refetch=False).why_not("refetch") == "Refetching is off (offline or no-fetch mode)."
    empty = ReaderSession("nothing.md")
    assert empty.why_not("verdict") == "Select a claim first." and empty.why_not("export")


def test_a_failed_source_explains_itself_and_a_refetch_restarts_its_row() -> None:
    session = finished()
    session.select(link_entry(3))
    view = session.source_view()
    assert view.kind == "unavailable" and "404" in view.reason
    assert session.refetch() is None
    assert session.rows.by_index[3].state == "fetching" and session.rows.progress() == (4, 5)


def test_the_source_pane_offers_only_what_applies_to_its_subject() -> None:
    """What the pane suggests comes from the session's rules: offline, a failed source offers no refetch."""
    online, offline = finished(), finished(can_refetch=False)
    for session in (online, offline):
        session.select(link_entry(3))  # the 404
    assert [o.action for o in online.source_view().offers] == [
        "attach_source",
        "open_source",
        "refetch",
        "open_archived",
    ]
    assert "refetch" not in [o.action for o in offline.source_view().offers]
    assert all(online.why_not(o.action) is None for o in online.source_view().offers)
    loading = session_after(pipeline_events()[:-1])
    loading.select(link_entry(3))
    assert "refetch" not in [o.action for o in loading.source_view().offers]  # r waits for the pass
    online.select(UNLINKED)
    assert [o.action for o in online.source_view().offers] == [
        "edit_note",
        "verdict",
        "attach_source",
        "search_web",
    ]
    online.select(link_entry(0))  # a source that was read: nothing to offer
    assert online.source_view().offers == ()


# -- the filter ----------------------------------------------------------------------------------------


def test_the_filter_keeps_claims_needing_attention_and_the_selection_when_it_can() -> None:
    session = finished()
    session.select(link_entry(1))
    assert session.toggle_filter() is None
    shown = [e.id for e in session.entries() if e.navigable]
    assert shown == [link_entry(1), link_entry(3), link_entry(4), UNLINKED]
    assert session.entry_id == link_entry(1) and session.status().filter_label
    session.toggle_filter()
    session.select(link_entry(0))
    session.toggle_filter()  # the verbatim claim is filtered out: the first shown is selected
    assert session.entry_id == link_entry(1)
    session.toggle_filter()
    assert len([e for e in session.entries() if e.navigable]) == 7


def test_boilerplate_rows_come_after_the_citations_dimmed() -> None:
    _, links, _, _ = build()
    links = (replace(links[0], role="boilerplate"), *links[1:])
    first = pipeline_events()[0]
    session = ReaderSession("x")
    session.apply(
        replace(
            first, links=links, outcomes=tuple(replace(o, link=links[o.link.index]) for o in first.outcomes)
        )
    )
    ids = [e.id for e in session.entries()]
    assert ids[-2:] == ["heading-boilerplate", link_entry(0)] and ids[0] == link_entry(1)
    assert session.entries()[-1].dim and session.entry_id == link_entry(1)


# -- note drafts ---------------------------------------------------------------------------------------


def test_drafts_save_only_what_changed_and_keep_edits_made_during_a_save() -> None:
    session = finished()
    assert session.set_verdict("altered") is None
    assert session.edit_body("the source says light vehicles")
    assert not session.edit_body("the source says light vehicles")  # the same text: a load, not typing
    (request,) = session.take_saves()
    assert request.key == (0, 0) and request.fields == {
        "verdict": "altered",
        "body": "the source says light vehicles",
    }
    assert request.target.quote_text == "the single most important piece of infrastructure this town owns"
    assert request.target.source_exact == request.target.quote_text  # where the source holds it
    assert session.take_saves() == []  # in flight
    session.edit_body("the source says light vehicles only")  # typed while saving
    session.save_done(request, 7)
    (again,) = session.take_saves()
    assert again.fields == {"body": "the source says light vehicles only"} and again.note_id == 7
    session.save_done(again, None)  # failed: the text stays, unsaved
    assert session.drafts.unsaved and session.take_saves()[0].fields == again.fields
    assert session.entry(0).verdicts == "2" and session.entry(0).has_note


def test_claim_and_quote_notes_are_apart_and_rows_show_every_verdict() -> None:
    session = finished()
    session.move_subject(-1)  # the claim itself
    session.set_verdict("unsupported")
    session.move_subject(1)
    session.set_verdict("accurate")
    assert session.entry(0).verdicts == "41"  # the claim first, then its quotes
    keys = {request.key: request.target.kind for request in session.take_saves()}
    assert keys == {(0, None): "claim", (0, 0): "quote"}


def stored(target: NoteTarget, note_id: int, body: str, verdict=None) -> Note:
    return Note(
        note_id, f"uid-{note_id}", target, verdict, body, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"
    )


def test_stored_notes_land_on_their_subjects_and_strays_are_listed() -> None:
    session = finished()
    claim = session.target_for((1, None))
    quote = session.target_for((None, 1))
    lost = replace(claim, quote_text="words no longer quoted")
    session.load_notes(
        [
            AnchoredNote(stored(claim, 1, "claim note", "unsupported"), 1, None, False),
            AnchoredNote(stored(quote, 2, "who said it?"), None, 1, False),
            AnchoredNote(stored(lost, 3, "lost"), 1, None, False),
            AnchoredNote(stored(claim, 4, "gone"), None, None, True),
        ]
    )
    assert session.entry(1).verdicts == "4"
    assert [n.note.id for n in session.drafts.orphans] == [3, 4]
    entries = session.entries()
    assert entries[-3].kind == "heading" and [e.kind for e in entries[-2:]] == ["orphan", "orphan"]
    unlinked = next(e for e in entries if e.id == UNLINKED)
    assert unlinked.has_note
    session.select(UNLINKED)
    session.move_subject(1)
    assert session.note_view().body == "who said it?"
    assert session.take_saves() == []  # nothing changed


def test_a_quote_found_in_another_links_source_is_shown_and_noted_there() -> None:
    events = pipeline_events()
    final = events[-1]
    outcomes = list(final.outcomes)
    _, match = outcomes[5].quotes[0]
    borrowed = replace(match, found_in_link=0, source_start=4, source_end=10)
    outcomes[5] = replace(
        outcomes[5], quotes=((outcomes[5].quotes[0][0], borrowed),), fetch_status="error", source=None
    )
    session = session_after([*events[:-1], ev.PipelineFinished(tuple(outcomes))])
    session.select(link_entry(5))
    view = session.source_view()
    assert view.kind == "quote" and view.lender is outcomes[0].source
    assert view.text is outcomes[0].source.text
    session.set_verdict("accurate")
    (request,) = session.take_saves()
    assert request.target.source_url == outcomes[0].source.final_url


# -- extension points -------------------------------------------------------------------------------------


def test_extensions_add_lines_marks_filters_and_rules() -> None:
    class Cues(Extension):
        def info_lines(self, session, subject):
            if isinstance(subject, QuoteSubject):
                yield InfoLine("framing: “told” (a neutral verb)", "accent")

        def article_marks(self, session, subject):
            yield Highlight(0, 3, "cue")

    session = finished(extensions=[Cues()])
    assert session.source_view().extra == (InfoLine("framing: “told” (a neutral verb)", "accent"),)
    assert Highlight(0, 3, "cue") in session.article_view()[0]
    try:
        add_filter(Filter("quoted", "quoted only", lambda row: bool(row.quotes), "No claim quotes anything."))
        rule("attach_source")(
            lambda s: None if s.row is not None and s.row.stripped else "Only a stripped link."
        )
        session.toggle_filter("quoted")
        assert [e.number for e in session.entries() if e.kind == "claim"] == [1, 2, 6]
        assert session.why_not("attach_source") == "Only a stripped link."
    finally:
        FILTERS.pop("quoted", None)
        RULES.pop("attach_source", None)


def test_quote_marks_in_the_article_follow_status_not_guesses() -> None:
    session = loaded()
    kinds = {h.kind for h in session.quote_marks()}
    assert kinds == {"unmatched"}
    session = finished()
    by_start = {h.start: h.kind for h in session.quote_marks()}
    _, _, quotes, _ = build()
    assert by_start[quotes[0].start] == "verbatim" and by_start[quotes[1].start] == "altered"
    assert by_start[UNATTRIBUTED[0].start] == "unmatched"


def test_an_unsearched_quote_is_not_checked_once_its_link_settles() -> None:
    events = pipeline_events()
    session = session_after(events[:1])
    _, links, quotes, outcomes = build()
    failed = replace(
        outcomes[1],
        fetch_status="error",
        source=None,
        quotes=((quotes[1], QuoteMatch("not_found", 0.0, searched=False)),),
    )
    session.apply(ev.SourceFailed(links[1].url, "gone"))
    session.apply(ev.LinkChecked(failed))
    assert session.rows.by_index[1].marks() == ("not_checked",)
    assert session.status().counts.not_checked == 1 and session.status().counts.not_found == 0
    session.select(link_entry(1))
    assert session.source_view().kind == "unavailable"
