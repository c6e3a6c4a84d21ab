"""The audit's core: inputs, the database's bookkeeping, shared sources, counts and the summary."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from tests.audit_fixtures import SOURCE
from tests.conftest import LocalServer
from tui.core.audit.db import MAX_ATTEMPTS, AuditDB, is_audit_database, reading
from tui.core.audit.inputs import expand_inputs
from tui.core.audit.records import ArticleResult, ArticleSpec, AuditError
from tui.core.audit.sources import SharedSources
from tui.core.audit.summary import by_attention, render_csv, render_table, summary_dict
from tui.core.events import SourceFetched, SourceQueued
from tui.core.fetch import FetchConfig
from tui.core.locations import article_key
from tui.core.report import is_dead_link, report_counts

# -- inputs -------------------------------------------------------------------------------------------


def test_inputs_folders_lists_urls_each_article_once(tmp_path: Path) -> None:
    (tmp_path / "desk" / "may").mkdir(parents=True)
    for name in ("desk/b.html", "desk/may/a.md", "desk/c.TXT", "desk/.draft.md", "desk/x.warc.gz"):
        (tmp_path / name).write_text("An article with a [link](https://example.org/).")
    listing = tmp_path / "urls.list"
    listing.write_text(
        "# comment\n\nhttps://example.org/story\n  desk/b.html  \nmissing/old.html\nhttps://example.org/story\n"
    )
    specs = expand_inputs([str(tmp_path / "desk"), str(listing), "https://example.org/other"])
    names = [Path(s.location).name if "://" not in s.location else s.location for s in specs]
    assert names == [
        "b.html",
        "c.TXT",
        "a.md",
        "https://example.org/story",
        "old.html",
        "https://example.org/other",
    ]
    assert specs[0].key == article_key(str(tmp_path / "desk" / "b.html"))


def test_a_prose_text_file_is_an_article_not_a_list(tmp_path: Path) -> None:
    article = tmp_path / "pasted.txt"
    article.write_text("The minister said the budget will rise.\nhttps://example.org/budget\n")
    assert [s.location for s in expand_inputs([str(article)])] == [str(article)]
    html = tmp_path / "page.html"
    html.write_text("https://example.org/a\n")  # an .html file is always an article
    assert [s.location for s in expand_inputs([str(html)])] == [str(html)]


def test_an_input_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="no such file or folder"):
        expand_inputs([str(tmp_path / "nope")])


# -- the database ---------------------------------------------------------------------------------------


def result(spec: ArticleSpec, state: str = "done", **kw: object) -> ArticleResult:
    return ArticleResult(location=spec.location, key=spec.key, state=state, **kw)  # type: ignore[arg-type]


def test_database_records_resumes_and_sets_aside_poison(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    specs = [ArticleSpec(f"https://example.org/{i}", f"https://example.org/{i}") for i in range(4)]
    with AuditDB.open(path) as db:
        db.add(specs)
        db.add(specs[:2])  # again: no duplicates, positions kept
        assert [s.key for s in db.pending()] == [s.key for s in specs]
        db.mark_started(specs[0].key)
        db.record(result(specs[0], report={"article": {"title": "T"}}, counts={"claims": 2}, title="T"))
        db.mark_started(specs[1].key)
        db.mark_started(specs[2].key)
        db.release([specs[2].key])  # interrupted cleanly: back to pending, the attempt not counted
        # specs[1] stays "running": the process "died"
    assert is_audit_database(path)
    with AuditDB.open(path) as db:
        assert db.recover() == []
        assert [s.key for s in db.pending()] == [s.key for s in specs[1:]]
        rows = {r.key: r for r in db.rows()}
        assert rows[specs[1].key].attempts == 1 and rows[specs[2].key].attempts == 0
        assert rows[specs[0].key].state == "done" and rows[specs[0].key].counts == {"claims": 2}
        assert db.report(specs[0].key) == {"article": {"title": "T"}}
        assert db.report(specs[1].key) is None
        for _ in range(MAX_ATTEMPTS - 1):
            db.mark_started(specs[1].key)
            db.recover()
        db.mark_started(specs[1].key)
        assert db.recover() == [specs[1].key]
        poisoned = {r.key: r for r in db.rows()}[specs[1].key]
        assert poisoned.state == "failed" and "set aside" in (poisoned.error or "")
        db.reset([specs[1].key])
        assert specs[1].key in [s.key for s in db.pending()]
    with reading(path) as ro:
        assert len(ro.rows()) == 4
        with pytest.raises(Exception):  # noqa: B017 - sqlite refuses writes on a read-only connection
            ro.mark_started(specs[3].key)


def test_only_one_writer_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with AuditDB.open(path), pytest.raises(AuditError, match="Another audit is writing"):
        AuditDB.open(path)
    AuditDB.open(path).close()  # released


# -- shared sources --------------------------------------------------------------------------------


PAGE = SOURCE.format(title="Inspection report")


async def _collect(shared: SharedSources, urls: list[str], config: FetchConfig, events: list) -> list:
    return [o async for o in shared.fetch(urls, config, archive=shared.archive, on_event=events.append)]


async def test_a_url_cited_by_concurrent_articles_is_fetched_once(
    local_server: LocalServer, tmp_path: Path
) -> None:
    url = local_server.route("/budget", PAGE, delay=0.3)
    other = local_server.route("/other", PAGE)
    shared = SharedSources(tmp_path / "audit.warc.gz")
    config = FetchConfig(allow_private=True)
    events: list[list] = [[], [], []]
    outcomes = await asyncio.gather(
        _collect(shared, [url, other], config, events[0]),
        _collect(shared, [url + "#section"], config, events[1]),
        _collect(shared, [url], config, events[2]),
    )
    assert local_server.hits["/budget"] == 1 and local_server.hits["/other"] == 1
    assert [o.url for o in outcomes[1]] == [url + "#section"]  # each article gets its own URL back
    for group in outcomes:
        for o in group:
            assert o.source and "14 million pounds" in o.source.text, (o.error, o.source)
    for got in events[1:]:
        assert [type(e) for e in got] == [SourceQueued, SourceFetched]
    # later articles get it from memory; with memory full, from the shared archive, still no refetch
    later = await _collect(shared, [url], config, [])
    assert later[0].source is not None and local_server.hits["/budget"] == 1
    tiny = SharedSources(tmp_path / "audit.warc.gz", memory_budget=1)
    again = await _collect(tiny, [url], config, [])
    assert again[0].result.from_archive and local_server.hits["/budget"] == 1


async def test_a_waiting_article_fetches_itself_when_the_first_gives_up(
    local_server: LocalServer,
) -> None:
    url = local_server.route("/slow", PAGE, delay=0.5)
    shared = SharedSources(None)
    config = FetchConfig(allow_private=True)
    first = asyncio.ensure_future(_collect(shared, [url], config, []))
    await asyncio.sleep(0.1)
    second = asyncio.ensure_future(_collect(shared, [url], config, []))
    await asyncio.sleep(0.1)
    first.cancel()  # the first article timed out
    outcome = await asyncio.wait_for(second, 10)
    assert outcome[0].source is not None
    assert local_server.hits["/slow"] == 2


# -- counts and the summary --------------------------------------------------------------------------


def link(
    status: str,
    http: int | None = None,
    error: str | None = None,
    failure: str | None = None,
    **extra: object,
) -> dict:
    fetch = {"status": status, "http_status": http, "error": error, "failure": failure, "from_archive": False}
    return {"role": "citation", "fetch": fetch, "quotes": [], **extra}


def test_dead_links_are_the_failures_for_good() -> None:
    assert is_dead_link(link("error", 404, "gone", failure="gone")["fetch"])
    assert is_dead_link(link("error", None, "no host", failure="no_such_host")["fetch"])
    assert is_dead_link(link("ok", 200, None, failure="refused")["fetch"])  # read from an archived copy
    assert not is_dead_link(link("error", None, "timed out", failure=None)["fetch"])
    assert not is_dead_link(link("error", 500, "server error", failure=None)["fetch"])
    assert not is_dead_link(link("ok", 200)["fetch"])


def test_counts_cover_citations_quotes_mementos_and_framing_when_present() -> None:
    quote = {"match": "altered", "searched": True}
    report = {
        "links": [
            link(
                "ok",
                200,
                quotes=[
                    {**quote, "framing": [{"cue": "evaluative_wording", "text": "so-called"}]},
                    {"match": "not_found", "searched": False},
                ],
                framing=[
                    {"cue": "attribution_verb", "text": "admitted", "tone": "loaded"},
                    {"cue": "attribution_verb", "text": "said", "tone": "neutral"},
                ],
            ),
            {**link("ok", 200), "fetch": {**link("ok", 200)["fetch"], "memento": {"url": "u"}}},
            {**link("error", 404, "gone"), "role": "boilerplate"},
        ],
        "unattributed_quotes": [{"text": "x", "framing": [{"cue": "scare_quote", "in_source": None}]}],
    }
    counts = report_counts(report)
    assert counts["claims"] == 2 and counts["altered"] == 1 and counts["not_checked"] == 1
    assert counts["archived_copies"] == 1 and counts["dead_links"] == 0
    assert counts["framing_cues"] == 3  # the cues worth a look: not the neutral "said"
    assert counts["unattributed"] == 1
    del report["links"][0]["framing"], report["links"][0]["quotes"][0]["framing"]
    del report["unattributed_quotes"][0]["framing"]
    assert "framing_cues" not in report_counts(report)


def rows_for(tmp_path: Path, results: list[ArticleResult]) -> list:
    with AuditDB.open(tmp_path / "s.sqlite3") as db:
        db.add([ArticleSpec(r.location, r.key) for r in results])
        for r in results:
            db.record(r)
        return db.rows()


def test_attention_order_table_json_and_csv(tmp_path: Path) -> None:
    clean = {"claims": 3, "quotes": 3, "verbatim": 3, "altered": 0, "not_found": 0, "sources_failed": 0}
    results = [
        result(ArticleSpec("a", "a"), counts=clean, title="Clean"),
        result(ArticleSpec("b", "b"), counts={**clean, "verbatim": 2, "altered": 1}, title="=HYPERLINK(1)"),
        result(ArticleSpec("c", "c"), "failed", error="The article is an image."),
        result(ArticleSpec("d", "d"), counts={**clean, "verbatim": 1, "not_found": 2}, title="Two missing"),
    ]
    rows = rows_for(tmp_path, results)
    assert [r.location for r in by_attention(rows)] == ["c", "d", "b", "a"]
    data = summary_dict(rows)
    assert [a["location"] for a in data["articles"]] == ["a", "b", "c", "d"]
    assert (
        data["articles"][2]["claims"] is None and data["articles"][2]["error"] == "The article is an image."
    )
    assert data["totals"]["altered"] == 1 and data["states"]["failed"] == 1
    json.dumps(data)
    table = render_table(rows, width=120)
    assert table.index("The article is an image.") < table.index("Two missing") < table.index("Clean")
    cells = list(csv.reader(io.StringIO(render_csv(rows))))
    assert cells[2][2] == "'=HYPERLINK(1)"  # a spreadsheet must not run it


# -- one article's failure ---------------------------------------------------------------------------


def test_a_crash_in_one_article_is_a_sentence_and_the_others_go_on(
    tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.audit import runner
    from tui.core.audit.run import AuditPlan, run_audit
    from tui.core.pipeline import CheckOptions

    src = local_server.route("/s", PAGE)
    specs = []
    for name in ("a", "crash", "b"):
        path = tmp_path / f"{name}.md"
        path.write_text(f'The [report]({src}) says "repairs would cost 14 million pounds".\n')
        specs.append(ArticleSpec(str(path), article_key(str(path))))
    real = runner.check_location

    async def fragile(location: str, options: CheckOptions, on_event=None, *, sources=None):
        if Path(location).stem == "crash":
            raise RecursionError("maximum recursion depth exceeded in a parser")
        return await real(location, options, on_event, sources=sources)

    monkeypatch.setattr(runner, "check_location", fragile)
    with AuditDB.open(tmp_path / "a.sqlite3") as db:
        summary = run_audit(db, specs, CheckOptions(allow_private=True, use_archive=False), AuditPlan(jobs=2))
        rows = {Path(r.location).stem: r for r in db.rows()}
    assert summary.checked == 3 and summary.failed == 1
    assert rows["crash"].state == "failed"
    assert rows["crash"].error == "sourcecheck failed on this article (RecursionError); please report it."
    assert rows["a"].counts["verbatim"] == 1 and rows["b"].counts["verbatim"] == 1


async def test_an_article_past_its_timeout_fails_with_a_sentence(
    tmp_path: Path, local_server: LocalServer
) -> None:
    from tui.core.audit.runner import check_article
    from tui.core.pipeline import CheckOptions

    slow = local_server.route("/slow", PAGE, delay=3)
    path = tmp_path / "a.md"
    path.write_text(f'The [report]({slow}) says "repairs would cost 14 million pounds".\n')
    result = await check_article(str(path), CheckOptions(allow_private=True, use_archive=False), timeout=0.3)
    assert result.state == "failed" and result.error and result.error.startswith("Timed out after 0.3 s")
    assert result.report is None and result.sources == 1


async def test_the_per_host_limit_holds_across_articles(local_server: LocalServer) -> None:
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def slow_page(handler: object) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.15)
        handler.wfile.write(PAGE.encode())  # type: ignore[attr-defined]
        with lock:
            state["now"] -= 1

    urls = [local_server.route(f"/p{i}", slow_page) for i in range(9)]
    shared = SharedSources(None)
    config = FetchConfig(allow_private=True, per_host_limit=2)
    await asyncio.gather(*(_collect(shared, urls[i::3], config, []) for i in range(3)))  # 3 articles
    assert state["peak"] == 2


def test_progress_line_counts_articles_sources_errors_rate_and_time_left() -> None:
    from tui.commands.progress import AuditProgressBar
    from tui.core.events import SourceFailed

    now = [100.0]
    out = io.StringIO()
    bar = AuditProgressBar(out, width=10, clock=lambda: now[0])
    bar.planned(total=10, skipped=2)
    spec = ArticleSpec("a", "a")
    bar.event(SourceFetched("u", None))  # type: ignore[arg-type]
    bar.event(SourceFailed("v", "gone"))
    now[0] += 4
    bar.finished(result(spec))
    bar.finished(result(spec, "failed", error="x"))
    assert (
        bar.line()
        == "[####......] 4/10 articles, 1 failed, 2 sources (1 failed), 30.0 articles/min, ~12 s left"
    )
    bar.finished(ArticleResult("b", "b", "done", worker="tcp://w1", sources=3, counts={"sources_failed": 1}))
    assert "5 sources (2 failed)" in bar.line()  # a Dask worker's sources come with its result
