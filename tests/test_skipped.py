"""Issue 11: a skipped piece inside a matched passage (a reference marker, an editorial tag, a PDF's running
head) is shown as skipped on every face, never silently dropped: core/skipped, the session's source view,
the text report, the Markdown export and the audit's HTML report."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from reader_fixtures import WIKI_PAGE, wiki_article, wiki_opener

from tui.core import events as ev
from tui.core.export import export_markdown
from tui.core.match.search import _without
from tui.core.models import QuoteMatch
from tui.core.pipeline import CheckOptions
from tui.core.report import render_text
from tui.core.skipped import (
    describe_skipped,
    diff_parts,
    match_diff_parts,
    piece_kind,
    pieces_in,
    report_diff_parts,
    report_pieces,
)
from tui.core.worddiff import word_diff
from tui.session import ReaderSession


def wiki_run() -> tuple[list[ev.Event], dict]:
    """The real pipeline on the wiki-style article (its source canned): the events and the report."""

    async def run() -> tuple[list[ev.Event], dict]:
        _, checker = await wiki_opener()("fixtures/tunnel.md", CheckOptions())
        events = [event async for event in checker.run()]
        return events, checker.report()

    return asyncio.run(run())


# -- what a piece is ---------------------------------------------------------------------------------------


def test_pieces_are_split_one_by_one_and_named() -> None:
    text = "sealed in 1964[4][5] after[citation needed] a collapse,3 and [note 2] [iv] [edit] [sic]"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\[4\]\[5\]|\[citation needed\]|3|\[[^\]]+\]", text)]
    pieces = pieces_in(text, spans)
    assert [(p.text, p.kind) for p in pieces] == [
        ("[4]", "reference_marker"),
        ("[5]", "reference_marker"),  # two markers that touch are two pieces
        ("[citation needed]", "editorial_tag"),
        ("3", "reference_marker"),
        ("[note 2]", "reference_marker"),
        ("[iv]", "reference_marker"),
        ("[edit]", "editorial_tag"),
        ("[sic]", "editorial_tag"),
    ]
    assert all(text[p.start : p.end] == p.text for p in pieces)
    assert describe_skipped(pieces[:3]) == (
        "[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag"
    )
    assert piece_kind("7", pdf=True) == "page_furniture"  # a PDF's page number, not a footnote
    head = pieces_in("x Harl District Council - Tunnel Survey 2025 y", [(2, 44)], pdf=True)
    assert describe_skipped(head) == (
        "“Harl District Council - Tunnel Survey…” skipped: running head, footer or page number"
    )


WORDS = st.lists(
    st.sampled_from(["the", "span", "is", "safe", "1964", "not", ",", "."]), min_size=2, max_size=10
)
PIECES = st.sampled_from(["[4]", "[5]", "[4][5]", "[citation needed]", "3"])


@given(WORDS, st.lists(st.tuples(st.integers(0, 10), PIECES, st.booleans()), max_size=4), WORDS)
def test_the_diff_gives_back_every_piece_where_the_source_prints_it(words, inserts, article_words) -> None:
    """Whatever the words and wherever the pieces sit (glued to a word or spaced), the diff's source side
    with the pieces put back is exactly the passage, and its article side exactly the article's words."""
    tokens: list[str] = list(words)
    for at, piece, spaced in sorted(inserts, key=lambda t: -t[0]):  # inside: a match starts and ends on words
        tokens.insert(1 + at % (len(words) - 1), (" " if spaced else "\0") + piece)
    passage = " ".join(tokens).replace(" \0", "").replace("\0", "")
    spans = [(m.start(), m.end()) for m in re.finditer(r"(?:\[\d\])+|\[citation needed\]|(?<=\D)3", passage)]
    start = 100  # offsets into a longer text, as a match's are
    absolute = [(s + start, e + start) for s, e in spans]
    article = " ".join(article_words)
    diff = word_diff(_without(passage, 0, len(passage), spans), article)
    pieces = pieces_in(" " * start + passage, absolute)
    parts = diff_parts(diff, passage, start, absolute, pieces)
    assert "".join(text for op, text, _ in parts if op != 1) == passage
    assert "".join(text for op, text, _ in parts if op != -1) == article
    assert [text for _, text, kind in parts if kind] == [p.text for p in pieces]


def test_a_diff_that_does_not_spell_the_passage_is_left_as_it_is() -> None:
    found = QuoteMatch("altered", 0.9, "fix.[4] It", 0, 10, diff=((0, "something else"),), skipped=((4, 7),))
    assert match_diff_parts(found) == ((0, "something else", None),)


# -- the session says what to show -------------------------------------------------------------------------


def test_the_source_view_marks_and_names_the_skipped_pieces() -> None:
    events, _ = wiki_run()
    session = ReaderSession("fixtures/tunnel.md")
    for event in events:
        session.apply(event)
    view = session.source_view()
    assert view.kind == "quote" and view.status == "verbatim"
    skipped = [view.text[h.start : h.end] for h in view.highlights if h.kind == "skipped"]
    assert skipped == ["[4]", "[5]", "[citation needed]"]
    passage = next(h for h in view.highlights if h.kind == "passage")
    assert all(passage.start <= h.start < h.end <= passage.end for h in view.highlights)
    assert view.extra[0].text == (
        "[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag "
        "(not the author's words)"
    )
    assert view.diff == ()  # verbatim: no diff strip
    assert session.move_subject(1) is None
    altered = session.source_view()
    assert altered.status == "altered"
    assert [(op, text) for op, text, kind in altered.diff if kind] == [(-1, "[6]")]
    source_line = "".join(text for op, text, _ in altered.diff if op != 1)
    assert source_line == altered.match.source_text  # the source's line reads as the page prints it
    assert altered.extra[0].text == "[6] skipped: reference marker (not the author's words)"


# -- the report, the text report, the Markdown export -------------------------------------------------------


def test_report_text_and_markdown_show_the_pieces() -> None:
    _, report = wiki_run()
    first, second = report["links"][0]["quotes"]
    assert [(p["text"], p["kind"]) for p in first["skipped_pieces"]] == [
        ("[4]", "reference_marker"),
        ("[5]", "reference_marker"),
        ("[citation needed]", "editorial_tag"),
    ]
    assert [[p["start"], p["end"]] for p in first["skipped_pieces"]] == first["skipped"]
    older = {k: v for k, v in first.items() if k != "skipped_pieces"}  # a report from before the key
    assert report_pieces(older) == report_pieces(first)
    assert report_diff_parts(older) == report_diff_parts(first)

    text = render_text(report)
    named = "[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag"
    assert f"{named} (not the author's words)" in text
    assert "[6] skipped: reference marker" in text and second["match"] == "altered"

    markdown = export_markdown(report, [])
    assert (
        "\\[4\\] \\[5\\] skipped: reference markers · \\[citation needed\\] skipped: editorial tag"
        in markdown
    )
    assert "Word diff (~~only in the source~~, **only in the article**, *skipped*):" in markdown
    assert "~~engineering~~ **red** brick in 1902*\\[6\\]* and repaired after the war" in markdown


# -- the audit's HTML report --------------------------------------------------------------------------------


HOSTILE_MARK = '[<img src=x onerror="alert(1)">]'


def test_audit_html_strikes_the_pieces_and_escapes_them(tmp_path: Path, local_server) -> None:
    from test_audit_html import parse

    from tui.core.audit.db import AuditDB
    from tui.core.audit.html import write_report
    from tui.core.audit.inputs import expand_inputs
    from tui.core.audit.run import AuditPlan, run_audit

    escaped = HOSTILE_MARK.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = WIKI_PAGE.replace(
        '<a href="#cite_note-6">[6]</a>', f'<a href="#cite_note-6">{escaped}</a>'
    )  # a marker whose text is markup
    url = local_server.route("/wiki", page)
    article = tmp_path / "tunnel.md"
    article.write_text(wiki_article(url), encoding="utf-8")
    out = tmp_path / "report"
    with AuditDB.open(tmp_path / "audit.sqlite3") as db:
        specs = expand_inputs([str(article)])
        run_audit(db, specs, CheckOptions(allow_private=True, use_archive=False), AuditPlan(jobs=1))
        write_report(db, db.rows(), out)
    html = (out / "articles" / "article-00001.html").read_text(encoding="utf-8")
    assert '<s class="skipped" title="skipped: reference marker">[4]</s>' in html
    assert '<s class="skipped" title="skipped: editorial tag">[citation needed]</s>' in html
    assert "[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag" in html
    tags = parse(out / "articles" / "article-00001.html")
    assert "img" not in {tag for tag, _ in tags.tags}  # the hostile marker is text, in the passage and diff
    assert "".join(tags.text).count(HOSTILE_MARK) >= 3  # passage, diff, and the line naming it
