"""The reader driven by Pilot against the REAL pipeline and a local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Footer, Input

from tui.app import SourcecheckApp
from tui.core import locations
from tui.core.notes import NoteStore, NoteTarget
from tui.core.pipeline import CheckOptions
from tui.screens.find import FindScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import PickerScreen, load_recent
from tui.screens.reader import ReaderScreen
from tui.screens.reader_keys import ReaderCommands, reader_bindings, title_of
from tui.session import UNLINKED, link_entry
from tui.widgets.claims_list import ClaimsList, entry_lines
from tui.widgets.source_pane import SourcePane
from tui.widgets.text_view import TextView

FILLER = (
    "<p>Officials spent the morning explaining the figures to reporters, and the opposition asked for "
    "the full tables to be published before the next sitting of the council.</p>"
    "<p>The finance committee will meet again in the spring, when the auditors report on the year's "
    "accounts and the reserves that were set aside after the storms of the last two winters.</p>"
)


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1><p>{body}</p>{FILLER}</article><footer>(c) 2026</footer></body></html>"
    )


HOSTILE = (
    "A hostile page\n\nIt reads [bold]not bold[/bold] and plain, "
    "with [link=https://evil.example]a link[/link].\n\n"
    "Colours \x1b[31mred\x1b[0m, clipboard \x1b]52;c;aGVsbG8=\x07, hyperlink \x1b]8;;https://evil.example\x1b\\x"
    "\x1b]8;;\x1b\\ and bidi \u202eevil\u202c end.\n"
)


def write_article(tmp_path: Path, server, *, slow: threading.Event | None = None) -> Path:
    """The budget article and its five sources on `server`; `slow` holds the last source's answer until
    the test sets it."""
    ok = server.route(
        "/ministry",
        page(
            "Ministry statement",
            "The minister said the budget is balanced this year and next, with reserves.",
        ),
    )
    altered = server.route(
        "/blog",
        page("Critics' blog", "They wrote that the plan will cut taxes for most families in the city."),
    )
    missing = server.url("/gone")  # not registered: the server answers 404
    hostile = server.route("/hostile", HOSTILE, headers={"Content-Type": "text/plain; charset=utf-8"})
    slow_url = server.route(
        "/slow",
        page("Harbour news", "The harbour will reopen in spring, the port authority said."),
        gate=slow,
    )
    text = (
        "# Budget check\n\n"
        f"The minister [told the ministry's site]({ok}) that “the budget is balanced this year and next”.\n\n"
        f"A [blog post by critics]({altered}) claimed that "
        "“the plan will cut taxes for every family in the city”.\n\n"
        f"The [old timeline]({missing}) is cited as proof of the closures.\n\n"
        f"A [hostile page]({hostile}) was quoted: “[bold]not bold[/bold] and plain”.\n\n"
        f"A [slow source]({slow_url}) says the harbour will reopen in spring.\n"
    )
    path = tmp_path / "budget.md"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Toast:
    message: str
    markup: bool


def keep_toasts(app: SourcecheckApp) -> SourcecheckApp:
    """Keep every toast the app raises in `app.toasts` (the app's own list drops a toast once it has timed
    out, which a slow run reaches before the test looks)."""
    toasts: list[Toast] = []
    raise_toast = app.notify

    def notify(message: str, **kwargs):  # type: ignore[no-untyped-def]
        toasts.append(Toast(message, kwargs.get("markup", True)))
        return raise_toast(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.toasts = toasts  # type: ignore[attr-defined]
    return app


def messages(app: SourcecheckApp) -> list[str]:
    """What every toast raised so far said."""
    return [toast.message for toast in app.toasts]  # type: ignore[attr-defined]


def make_app(path: Path, db: Path | None = None) -> SourcecheckApp:
    return keep_toasts(SourcecheckApp(str(path), CheckOptions(allow_private=True), db_path=db))


async def until(pilot, predicate: Callable[[], object], what: str, *, timeout: float = 60.0) -> None:
    """Let the app run until `predicate()` holds. A key, a click or a worker's result reaches the screen
    through several message queues, and Pilot's own waits end on a guess that the process is idle (which
    a busy machine fools): a test waits for what it is about to assert instead. `timeout` only bounds a
    failure; it is never how long a test waits."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        await pilot.pause()


async def settle(pilot) -> ReaderScreen:
    """The reader has run its pipeline to the end and every worker (notes included) is done."""

    def finished() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ReaderScreen) and screen.session.finished

    await until(pilot, finished, "the reader finished checking the article", timeout=300)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def claims(screen: ReaderScreen) -> ClaimsList:
    return screen.query_one(ClaimsList)


def current(screen: ReaderScreen) -> int | None:
    """The link index of the selected claim, as the list shows it."""
    cursor = claims(screen).cursor_id
    return int(cursor.removeprefix("link-")) if cursor and cursor.startswith("link-") else None


def rows(screen: ReaderScreen) -> dict:
    return screen.session.rows.by_index


def shown(screen: ReaderScreen) -> list[int]:
    """The link indexes the list shows, in order."""
    return [e.number - 1 for e in claims(screen).entries if e.kind == "claim"]


def entry_text(screen: ReaderScreen, entry_id: str) -> str:
    entry = next(e for e in claims(screen).entries if e.id == entry_id)
    return "\n".join(line.plain for line in entry_lines(entry))


async def palette(screen: ReaderScreen) -> list:
    """What the command palette offers on the reader, before anything is typed."""
    provider = ReaderCommands(screen)
    return [hit async for hit in provider.discover()]


async def select(pilot, entry_id: str) -> None:
    screen = pilot.app.screen
    screen.post_message(ClaimsList.Selected(claims(screen), entry_id))
    await pilot.pause()


def source_lines(screen: ReaderScreen) -> str:
    return " ".join(screen.query_one(SourcePane).text_view.visible_lines())


def rendered(widget) -> str:
    """The plain text a Static shows."""
    return str(widget.render())


async def test_navigation_walks_claims_and_quotes(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert current(screen) == 0
        article = screen.query_one("#article-text", TextView)
        claim = rows(screen)[0].link
        assert any(h.kind == "claim" and h.start == claim.claim_start for h in article.highlights)
        assert any(h.kind == "verbatim" for h in article.highlights)
        assert any(h.kind == "altered" for h in article.highlights)
        # the source pane is scrolled to the matched passage and highlights exactly it
        view = screen.query_one(SourcePane).text_view
        passage = [h for h in view.highlights if h.kind == "passage"]
        assert len(passage) == 1
        assert view.text[passage[0].start : passage[0].end] == "the budget is balanced this year and next"
        assert "the budget is balanced this year and next" in source_lines(screen)
        header = rendered(screen.query_one("#source-header"))
        assert "Ministry statement" in header and "HTTP 200" in header and "/ministry" in header

        await pilot.press("j")
        assert current(screen) == 1
        info = rendered(screen.query_one("#source-info"))
        assert "altered" in info
        assert "every family" in info and "most families" in info  # the word-level diff strip
        await pilot.press("down", "down")
        assert current(screen) == 3
        await pilot.press("k", "up")
        assert current(screen) == 1
        await pilot.press("k", "k")  # stops at the first claim
        assert current(screen) == 0

        # a claim with no quote shows the evidence passages, n/p walk them
        await pilot.press("j", "j", "j", "j")
        assert current(screen) == 4
        assert "evidence 1/2" in rendered(screen.query_one("#source-info"))
        await pilot.press("n")
        assert "evidence 2/2" in rendered(screen.query_one("#source-info"))
        await pilot.press("p")
        assert "evidence 1/2" in rendered(screen.query_one("#source-info"))

        # tab switches panes
        await pilot.press("tab")
        assert app.focused is screen.query_one("#article-text")


async def test_rows_update_live_and_keys_answer_while_loading(local_server, tmp_path) -> None:
    slow_source = threading.Event()  # the last source answers only when the test says so
    app = make_app(write_article(tmp_path, local_server, slow=slow_source))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await until(pilot, lambda: rows(screen).get(0) and rows(screen)[0].state == "ok", "a source arrived")
        slow = rows(screen)[4]
        assert slow.state in ("queued", "fetching") and not screen.session.finished
        assert "sources" in rendered(screen.query_one("#status"))
        await pilot.press("j")
        await until(pilot, lambda: current(screen) == 1, "j moved to the second claim")
        assert not screen.session.finished  # answered while a source is still loading
        await pilot.press("j", "j", "j")
        await until(pilot, lambda: current(screen) == 4, "j moved to the slow source's claim")
        assert slow.state in ("queued", "fetching")
        assert "Waiting" in rendered(screen.query_one("#source-info"))
        slow_source.set()
        await settle(pilot)
        assert screen.session.finished and slow.state == "ok"
        assert "5/5 sources" in rendered(screen.query_one("#status"))
        assert "Harbour news" in rendered(screen.query_one("#source-header"))  # the shown claim redrew


async def test_filter_shows_only_claims_needing_attention(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert shown(screen) == [0, 1, 2, 3, 4]
        await pilot.press("f")
        assert shown(screen) == [1, 2]  # altered quote, failed source
        assert "filter" in rendered(screen.query_one("#status"))
        await pilot.press("j")
        assert current(screen) == 2
        await pilot.press("f")
        assert shown(screen) == [0, 1, 2, 3, 4]
        assert current(screen) == 2  # the claim stays selected


async def test_help_screen_opens_and_closes(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(rendered(s) for s in app.screen.query("Static"))
        for words in ("Next claim", "Refetch", "Find in source", "Verdict: accurate", "source failed"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_failed_source_explains_and_refetch_recovers(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "j")
        await until(pilot, lambda: current(screen) == 2, "j j reached the failed source's claim")
        assert rows(screen)[2].state == "error"
        info = rendered(screen.query_one("#source-info"))
        assert "404" in info and "open in browser" in info and "refetch" in info
        await pilot.press("o")
        await until(pilot, lambda: opened, "o opened the source")
        assert opened == [local_server.url("/gone")]
        await pilot.press("w")
        await until(pilot, lambda: len(opened) == 2, "w opened the archived copy")
        assert opened[-1].startswith("https://web.archive.org/web/") and opened[-1].endswith("/gone")

        back = threading.Event()  # the page is back, and answers when the test has seen it loading
        local_server.route(
            "/gone", page("Closure timeline", "The bridge was shut three times in six weeks."), gate=back
        )
        await pilot.press("r")
        await until(pilot, lambda: rows(screen)[2].state == "fetching", "r started fetching it again")
        back.set()
        await until(pilot, lambda: rows(screen)[2].state == "ok", "the refetched source arrived")
        await settle(pilot)
        assert rows(screen)[2].state == "ok"
        assert local_server.hits["/gone"] == 2
        assert "Closure timeline" in rendered(screen.query_one("#source-header"))
        assert "shut three times" in source_lines(screen)


async def test_a_second_refetch_does_not_drop_the_first(local_server, tmp_path) -> None:
    """r on one source, then r on another while the first is still loading: both are read again (the
    second run takes the first one's source along instead of cancelling it unread)."""
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert rows(screen)[2].state == "error"
        back, ministry = threading.Event(), threading.Event()
        local_server.route(
            "/gone", page("Closure timeline", "The bridge was shut three times in six weeks."), gate=back
        )
        local_server.route(
            "/ministry", page("Ministry statement, corrected", "The budget is sound."), gate=ministry
        )
        await pilot.press("j", "j", "r")
        await until(pilot, lambda: rows(screen)[2].state == "fetching", "the failed source is fetched again")
        await pilot.press("k", "k", "r")
        await until(pilot, lambda: rows(screen)[0].state == "fetching", "the first source is fetched again")
        back.set()
        ministry.set()
        await until(
            pilot,
            lambda: all(rows(screen)[i].state not in ("queued", "fetching") for i in (0, 2)),
            "both refetches settled",
        )
        await settle(pilot)
        assert (rows(screen)[2].state, rows(screen)[0].state) == ("ok", "ok")
        assert rows(screen)[2].outcome.source.title == "Closure timeline"
        assert rows(screen)[0].outcome.source.title == "Ministry statement, corrected"


async def test_escape_sequences_and_markup_render_literally(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "j", "j")
        assert current(screen) == 3
        shown = source_lines(screen)
        assert "[bold]not bold[/bold] and plain" in shown
        assert "[link=https://evil.example]a link[/link]" in shown
        assert "␛[31mred" in shown and "␛]52;c;aGVsbG8=␇" in shown and "\ufffdevil\ufffd" in shown
        assert not any(ord(c) < 0x20 and c != "\n" for c in shown)
        article = " ".join(screen.query_one("#article-text", TextView).visible_lines())
        assert "“[bold]not bold[/bold] and plain”" in article
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg and "\x07" not in svg
        assert "[bold]not" in svg.replace("&#160;", " ")  # printed, not interpreted


async def test_notes_verdicts_save_and_come_back(local_server, tmp_path) -> None:
    path = write_article(tmp_path, local_server)
    db = tmp_path / "notes.sqlite3"
    app = make_app(path, db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "2")  # altered verdict on the altered quote
        assert screen.session.entry(1).verdicts == "2"
        await pilot.press("e")
        assert app.focused is screen.query_one("#note-text")
        await pilot.press(*"cut a word")
        await pilot.pause(0.8)  # the debounce saves it
        with NoteStore.open(db) as store:
            saved = store.notes_for(locations.article_key(str(path)))
        assert [(n.verdict, n.body, n.target.quote_text) for n in saved] == [
            ("altered", "cut a word", "the plan will cut taxes for every family in the city")
        ]
        await pilot.press("escape")
        assert app.focused is claims(screen)
        await pilot.press("j", "4")  # a claim note (the failed source has no quote)
        await pilot.press("e", *"gone", "escape")  # blur saves at once
        await pilot.press("escape", "j", "e", *"bye")
        await pilot.press("ctrl+q")  # quitting at once, inside the debounce, still saves
    with NoteStore.open(db) as store:
        saved = {n.body: n for n in store.notes_for(locations.article_key(str(path)))}
        store.save(
            NoteTarget(locations.article_key(str(path)), 9, None, "A sentence no longer in the article."),
            body="lost context",
        )
    assert saved["gone"].verdict == "unsupported" and saved["gone"].target.kind == "claim"
    assert saved["bye"].target.quote_text == "[bold]not bold[/bold] and plain"

    app = make_app(path, db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.session.entry(1).verdicts == "2" and screen.session.entry(1).has_note
        assert screen.session.entry(2).verdicts == "4"
        prompts = [e.title for e in claims(screen).entries]
        assert any("Notes not on a claim" in p for p in prompts)
        assert any("orphaned" in p and "lost context" in p for p in prompts)
        await pilot.press("j")
        assert screen.query_one("#note-text").text == "cut a word"


async def test_export_writes_markdown_and_says_where(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server), tmp_path / "n.sqlite3")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "2", "x")
        report = locations.data_dir() / "reports" / "budget.sourcecheck.md"
        assert report.is_file()
        text = report.read_text(encoding="utf-8")
        assert "every family" in text
        assert any(str(report) in message for message in messages(app))


async def test_unusable_article_is_reported(tmp_path) -> None:
    app = make_app(tmp_path / "missing.md")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert screen.session.error
        assert "cannot open" in rendered(screen.query_one("#status"))
        assert "missing.md" in "\n".join(screen.query_one("#article-text", TextView).visible_lines())
        await pilot.press("q")
    assert app.return_code == 0


async def test_command_palette_offers_every_action(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        hits = await palette(screen)
        titles = {hit.text for hit in hits}
        for binding in reader_bindings():
            if not binding.action.startswith("app."):
                assert title_of(binding) in titles
        assert {"Next claim", "Previous claim", "Refetch the source", "Verdict: altered"} <= titles
        command = next(hit for hit in hits if hit.text.startswith("Filter"))
        await command.command()
        assert screen.session.filter == "attention"
        searched = [hit async for hit in ReaderCommands(screen).search("refetch")]
        assert searched and searched[0].text == "Refetch the source"


@pytest.mark.skipif(not (Path(__file__).parent.parent / "sample_articles").is_dir(), reason="no samples")
async def test_picker_lists_samples_and_opens_one() -> None:
    app = SourcecheckApp(None, CheckOptions(offline=True))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.session.article is not None and screen.session.links
        assert load_recent()[0].location.endswith(".md")
        assert any(r.state == "ok" for r in rows(screen).values())  # served from the bundled archive
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        assert "Recently opened" in str(app.screen.query_one("#picker-list").options[0].prompt)


async def test_find_in_source_and_mouse(local_server, tmp_path) -> None:
    app = make_app(write_article(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.click(ClaimsList, offset=(8, 3))  # under the title line, two-line rows: the 2nd row
        await until(pilot, lambda: current(screen) == 1, "the click selected the second claim")
        view = screen.query_one(SourcePane).text_view
        await find(pilot, "finance")
        await until(pilot, lambda: matches(app, "Match 1 of 1") == 1, "the first match was found")
        found = [h for h in view.highlights if h.kind == "find"]
        assert len(found) == 1 and view.text[found[0].start : found[0].end] == "finance"
        assert "finance committee" in source_lines(screen)
        await find(pilot, "")  # the last term is offered again: enter finds it again
        await until(pilot, lambda: matches(app, "Match 1 of 1") == 2, "the last term was found again")
        assert any(h.kind == "find" for h in view.highlights)
        await find(pilot, "zebra")
        await until(pilot, lambda: matches(app, "is not in this source"), "a missing term was reported")
        # clicking a sentence of the article selects its claim
        article = screen.query_one("#article-text", TextView)
        target = rows(screen)[3].link.claim_start

        def line() -> int:
            return article.line_of(target) - article.scroll_offset.y

        if not 0 <= line() < article.size.height:
            article.scroll_to_offset(target)
            await until(pilot, lambda: 0 <= line() < article.size.height, "the claim scrolled into view")
        await pilot.click("#article-text", offset=(1, line()))
        await until(pilot, lambda: current(screen) == 3, "the click selected the claim under it")


def matches(app: SourcecheckApp, words: str) -> int:
    """How many toasts so far said `words`."""
    return sum(words in message for message in messages(app))


async def find(pilot, term: str) -> None:
    """/ then `term` and enter, typed once the prompt has the keys (a key sent before it is up would go to
    the reader); returns when the prompt has closed."""
    await pilot.press("slash")

    def prompt_ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, FindScreen) and screen.query_one(Input).has_focus

    await until(pilot, prompt_ready, "the find prompt took the keys")
    await pilot.press(*term, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the find prompt closed")


async def test_megabyte_source_paints_fast(corpus) -> None:
    """The line-API view wraps 1 MB once and paints only what is visible."""
    from textual.app import App

    text = (corpus / "wikipedia-2.html").read_text(encoding="utf-8")
    assert len(text) > 900_000

    class One(App):
        def compose(self):
            yield TextView(id="v")

    app = One()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(TextView)
        view.set_text(text)
        view.scroll_to_offset(len(text) // 2)
        await pilot.pause()
        assert view.wrapped_lines > 10_000
        assert any(line.strip() for line in view.visible_lines())


async def test_quote_found_in_another_links_source_is_shown_there(local_server, tmp_path) -> None:
    ministry = local_server.route(
        "/ministry",
        page(
            "Ministry statement",
            "The minister said the budget is balanced this year and next, with reserves.",
        ),
    )
    path = tmp_path / "borrowed.md"
    path.write_text(
        "# Borrowed\n\n"
        f"The [ministry said]({ministry}) it would publish the tables.\n\n"
        "An aide [was quoted](#) as saying that “the budget is balanced this year and next”.\n",
        encoding="utf-8",
    )
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        stripped = next(r for r in rows(screen).values() if r.stripped)
        _, match = stripped.outcome.quotes[0]
        assert match.found_in_link == 0
        await select(pilot, link_entry(stripped.link.index))
        info = rendered(screen.query_one("#source-info"))
        assert "found in the source of link 1" in info and "Ministry statement" in info
        view = screen.query_one(SourcePane).text_view
        passage = next(h for h in view.highlights if h.kind == "passage")
        assert view.text[passage.start : passage.end] == "the budget is balanced this year and next"


async def test_fifty_sources_loading_never_block_keys(local_server, tmp_path) -> None:
    paragraphs = ["# Fifty sources"]
    for i in range(50):
        url = local_server.route(
            f"/s{i}",
            page(f"Source {i}", f"Item {i}: the harbour bridge carried {i} lorries today."),
            delay=1.0,
        )
        paragraphs.append(
            f"Claim {i} [cites source {i}]({url}) that “the harbour bridge carried {i} lorries”."
        )
    path = tmp_path / "fifty.md"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        while len(rows(screen)) < 50:
            await asyncio.sleep(0.02)
        latencies = []
        for expected in range(1, 11):
            started = time.perf_counter()
            app.simulate_key("j")  # like a terminal key press: no waiting for the app to go idle
            while current(screen) != expected:
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - started)
        # 50 sources at 1 s each, 6 at a time, take 9 s or more: every press was answered mid-load.
        assert not screen.session.finished, "the sources should still be loading"
        await settle(pilot)
        assert sum(r.state == "ok" for r in rows(screen).values()) == 50
        assert "50/50 sources" in rendered(screen.query_one("#status"))
        median = sorted(latencies)[len(latencies) // 2] * 1000
        print(
            f"key latency while 50 sources load: median {median:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )


# -- the claim as a subject, quotes with no link, keys that do not apply ---------------------------------


def fake_app(db: Path, *, gated: bool = False, holder: list | None = None) -> SourcecheckApp:
    from reader_fixtures import fake_opener

    return keep_toasts(
        SourcecheckApp(
            "fixtures/harbour.md", CheckOptions(), db_path=db, opener=fake_opener(gated=gated, holder=holder)
        )
    )


def note_label(screen: ReaderScreen) -> str:
    return rendered(screen.query_one("#note-label"))


def stored_notes(db: Path) -> list:
    with NoteStore.open(db) as store:
        return store.notes_for(locations.article_key("fixtures/harbour.md"))


async def test_claim_with_quotes_has_its_own_note_and_verdict(tmp_path) -> None:
    db = tmp_path / "notes.sqlite3"
    async with fake_app(db).run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j")  # link 1: one altered quote
        assert "quote 1/1" in note_label(screen)
        await pilot.press("p")  # before the first quote: the claim itself
        assert "the claim" in note_label(screen)
        assert "the claim" in rendered(screen.query_one("#source-info"))
        article = screen.query_one("#article-text", TextView)
        link = rows(screen)[1].link
        assert any(
            h.kind == "current" and (h.start, h.end) == (link.claim_start, link.claim_end)
            for h in article.highlights
        )
        await pilot.press("4", "e", *"no source says heavy goods", "escape")
        await pilot.press("n")  # back on the quote: its own, empty note
        assert "quote 1/1" in note_label(screen) and "Unsupported" not in note_label(screen)
        assert screen.query_one("#note-text").text == ""
        await pilot.press("2")
        await pilot.press("n")  # the cycle wraps: claim, quote 1, claim...
        assert "the claim" in note_label(screen) and "Unsupported" in note_label(screen)
    notes = {n.target.kind: n for n in stored_notes(db)}
    assert notes["claim"].verdict == "unsupported" and notes["claim"].body == "no source says heavy goods"
    assert notes["claim"].target.claim == link.claim
    assert notes["quote"].verdict == "altered" and notes["quote"].body == ""

    async with fake_app(db).run_test(size=(160, 45)) as pilot:  # both come back, each in its place
        screen = await settle(pilot)
        await pilot.press("j")
        assert "Altered" in note_label(screen)
        await pilot.press("p")
        assert "Unsupported" in note_label(screen)
        assert screen.query_one("#note-text").text == "no source says heavy goods"
        assert not screen.session.drafts.orphans


async def test_quotes_with_no_link_are_listed_walked_and_noted(tmp_path) -> None:
    from reader_fixtures import UNATTRIBUTED

    db = tmp_path / "notes.sqlite3"
    async with fake_app(db).run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        listing = claims(screen)
        assert listing.navigable_ids[len(rows(screen))] == UNLINKED  # after the citations
        assert " 2 quotes with no link" in entry_text(screen, UNLINKED)
        for _ in rows(screen):
            await pilot.press("j")  # j walks onto it like any claim
        assert listing.cursor_id == UNLINKED and screen.session.row is None
        pane = screen.query_one(SourcePane)
        assert "Quotes with no link (2)" in rendered(pane.query_one("#source-header"))
        assert "the spine of the town" in source_lines(screen) and "a scandal" in source_lines(screen)
        article = screen.query_one("#article-text", TextView)
        first, second = UNATTRIBUTED
        assert any(h.kind == "current" and h.start == first.start for h in article.highlights)
        assert "quote 1/2 with no link" in note_label(screen)
        await pilot.press("n")
        assert any(h.kind == "current" and h.start == second.start for h in article.highlights)
        assert "a scandal" in " ".join(article.visible_lines())
        await pilot.press("e", *"who said it?", "escape", "5")
        assert "✎5" in entry_text(screen, UNLINKED)
        assert listing.cursor_id == UNLINKED  # escape from the note returns to the list, same row
        # o, r and / have nothing to act on here: they say so instead of doing nothing
        await pilot.press("r")
        assert "Quotes with no link have no source." in messages(pilot.app)
        await pilot.press("k")
        # a click on a quote with no link in the article selects it
        article.post_message(TextView.Clicked(article, first.start + 2))
        await pilot.pause()
        assert listing.cursor_id == UNLINKED and "quote 1/2 with no link" in note_label(screen)
    (note,) = stored_notes(db)
    assert note.target.link_index is None and note.target.quote_text == "a scandal"
    assert (note.verdict, note.body) == ("cant_verify", "who said it?")

    async with fake_app(db).run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        assert not screen.session.drafts.orphans  # placed back on its quote, not listed as a stray note
        assert "✎5" in entry_text(screen, UNLINKED)
        await select(pilot, UNLINKED)
        await pilot.press("n")
        assert screen.query_one("#note-text").text == "who said it?"


async def test_keys_that_do_not_apply_say_why(tmp_path) -> None:
    holder: list = []
    async with fake_app(tmp_path / "n.sqlite3", gated=True, holder=holder).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        while not rows(screen):
            await pilot.pause()
        checker = holder[0]
        assert screen.check_action("refetch", ()) is None  # dimmed in the footer while fetching
        await pilot.press("r")
        assert any("still being fetched (0/5)" in m for m in messages(pilot.app))
        assert len(checker.runs) == 1  # nothing was refetched
        await pilot.press("e", *"rn")  # typed into the note, not taken as keys
        assert screen.query_one("#note-text").text == "rn"
        assert sum("still being fetched" in m for m in messages(pilot.app)) == 1
        await pilot.press("escape")
        for _ in range(5):
            checker.gate.put_nowait(None)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.finished and screen.check_action("refetch", ()) is True
        checker.gate.put_nowait(None)  # lets the refetch through
        await pilot.press("r")
        await pilot.app.workers.wait_for_complete()
        assert checker.runs[-1] == (frozenset({"https://radio.example/transcript"}), True)
        await pilot.press("j", "j")  # link 2: no quote, two evidence passages; n/p walk them
        await pilot.press("n")
        assert "evidence 2/2" in rendered(screen.query_one("#source-info"))
        await pilot.press("j", "j")  # link 4: a javascript link, nothing to walk or open
        await pilot.press("n", "o")
        assert "This claim quotes nothing and its source has no other passage to show." in messages(pilot.app)
        assert "This claim's link has no web address to open or fetch." in messages(pilot.app)
        # the command palette explains too, rather than doing nothing
        command = next(hit for hit in await palette(screen) if hit.text.startswith("Refetch"))
        await command.command()
        await pilot.pause()
        assert messages(pilot.app).count("This claim's link has no web address to open or fetch.") == 2
        # toasts carry URLs and error texts from untrusted pages: none is read as markup
        assert all(not toast.markup for toast in pilot.app.toasts)


async def test_first_claim_is_in_view_at_80_columns() -> None:
    """The narrow layout is set before the first paint, and the panes scroll to the claim at once."""
    app = SourcecheckApp("sample_articles/water-report.md", CheckOptions(offline=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        await pilot.pause()
        assert screen.has_class("-narrow")
        row = screen.session.row

        def in_view(view: TextView, offset: int) -> bool:
            top, height = view.scroll_offset.y, view.scrollable_content_region.height
            return top <= view.line_of(offset) < top + height

        article = screen.query_one("#article-text", TextView)
        height = article.scrollable_content_region.height
        assert article.line_of(row.link.claim_start) >= height  # below the first screenful...
        assert in_view(article, row.link.claim_start)  # ...and scrolled to
        _, match = row.outcome.quotes[0]
        source = screen.query_one(SourcePane).text_view
        assert source.scroll_offset.y > 0 and in_view(source, match.source_start)
        assert screen.query_one(Footer).compact  # so export and quit fit in 80 columns


async def test_all_links_stripped_are_not_checked_never_not_found(tmp_path) -> None:
    """The reader asks the core what a quote's outcome means: with no source to read, "not checked"."""
    from reader_fixtures import stripped_opener

    app = SourcecheckApp(
        "fixtures/stripped.md", CheckOptions(), db_path=tmp_path / "n.sqlite3", opener=stripped_opener()
    )
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await settle(pilot)
        status = rendered(screen.query_one("#status"))
        assert "○3 not checked" in status and "not found" not in status
        entries = [e for e in claims(screen).entries if e.kind == "claim"]
        assert len(entries) == 3 and all(e.marks == ("not_checked",) for e in entries)
        assert all(entry_text(screen, e.id).split("\n")[1].startswith("    ○ stripped link") for e in entries)
        article = screen.query_one("#article-text", TextView)
        kinds = {h.kind for h in article.highlights}
        assert "not-checked" in kinds and "not-found" not in kinds
        await pilot.press("n")  # the quote itself: unavailable source, never "not found"
        assert "not found" not in rendered(screen.query_one("#source-info"))
        assert screen.session.status().counts.not_found == 0


LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN IMMEDIATE")  # the write lock, as another reader saving would hold it
print("locked", flush=True)
sys.stdin.readline()  # held until the test says so
conn.execute("COMMIT")
print("released", flush=True)
"""


async def test_a_locked_notes_database_never_blocks_keys_and_the_note_is_saved_after(tmp_path) -> None:
    """Another process holds the notes database's write lock while the reader saves a verdict (5 s of
    keys, then the test lets it go): keys keep answering, the user is told the database is busy, and the
    verdict is stored once it is free."""
    import statistics
    import subprocess
    import sys

    db = tmp_path / "notes.sqlite3"
    async with fake_app(db).run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)  # the reader has opened the database
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
            locked_at = time.monotonic()
            await pilot.press("j", "2")  # the altered quote: verdict "altered", saved at once... in a thread
            await until(pilot, lambda: screen.session.drafts.unsaved, "the verdict is waiting to be saved")
            await until(pilot, lambda: claims(screen).cursor_id == link_entry(1), "j reached the quote")
            latencies: list[float] = []
            while time.monotonic() - locked_at < 5.0:  # keys for 5 s while the lock is held
                forward = len(latencies) % 2 == 0
                started = time.perf_counter()
                pilot.app.simulate_key("j" if forward else "k")  # like a terminal key press: no waiting
                while claims(screen).cursor_id != (link_entry(2) if forward else link_entry(1)):
                    await asyncio.sleep(0.002)
                latencies.append(time.perf_counter() - started)
                await asyncio.sleep(0.02)
            assert locker.poll() is None, "keys were answered while the lock was held"
            assert screen.session.drafts.unsaved  # still waiting for the lock
            busy = "notes database is busy"
            await until(pilot, lambda: any(busy in m for m in messages(pilot.app)), "the user was told")
            locker.stdin.write("go\n")  # type: ignore[union-attr]
            locker.stdin.flush()  # type: ignore[union-attr]
            assert locker.wait(timeout=60) == 0
            await until(pilot, lambda: not screen.session.drafts.unsaved, "the verdict was saved")
            await pilot.app.workers.wait_for_complete()
            await until(pilot, lambda: any("saved" in m for m in messages(pilot.app)), "the user was told")
        finally:
            locker.kill()
    median = statistics.median(latencies) * 1000
    print(
        f"key latency while another process holds the notes lock: median {median:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms over {len(latencies)} keys"
    )
    (note,) = stored_notes(db)
    assert (note.verdict, note.target.kind) == ("altered", "quote")
