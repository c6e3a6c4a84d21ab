"""The audit's HTML report: total escaping, no script, nothing fetched; checked in a real headless browser."""

from __future__ import annotations

import os
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.audit_fixtures import ALTERED_QUOTE, AuditWorld
from tests.conftest import REPO, LocalServer
from tui.core.audit.db import AuditDB
from tui.core.audit.html import write_report
from tui.core.audit.inputs import expand_inputs
from tui.core.audit.run import AuditPlan, run_audit
from tui.core.notes import NoteStore, NoteTarget
from tui.core.pipeline import CheckOptions

SCREENSHOTS = REPO / "docs" / "screenshots"


class Tags(HTMLParser):
    """Every element and attribute of a page, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


@pytest.fixture
def report(tmp_path: Path, local_server: LocalServer) -> Iterator[tuple[Path, AuditWorld]]:
    world = AuditWorld(local_server, n=6, slow_delay=0.0, unreadable={5}).build()
    notes_db = tmp_path / "notes.sqlite3"
    specs = expand_inputs(world.articles)
    with AuditDB.open(tmp_path / "audit.sqlite3") as db:
        run_audit(db, specs, CheckOptions(allow_private=True, use_archive=False), AuditPlan(jobs=3))
        altered = db.report(specs[0].key)
        assert altered is not None
        link = next(lk for lk in altered["links"] if lk["quotes"] and lk["quotes"][0]["match"] == "altered")
        quote = link["quotes"][0]
        target = NoteTarget(
            article_key=specs[0].key, link_index=link["index"], link_url=link["url"], claim=link["claim"],
            quote_text=quote["text"], article_start=quote["article_start"], article_end=quote["article_end"],
        )  # fmt: skip
        with NoteStore.open(notes_db) as store:
            store.save(target, verdict="altered", body="The report says 14 <b>million</b>; asked the desk.")
        out = tmp_path / "report"
        write_report(db, db.rows(), out, notes_db=notes_db)
    yield out, world


def test_pages_have_no_active_content_and_escape_everything(report: tuple[Path, AuditWorld]) -> None:
    out, world = report
    pages = [out / "index.html", *sorted((out / "articles").glob("*.html"))]
    assert len(pages) == 1 + 6  # the unreadable article gets a page saying why
    for page in pages:
        tags = parse(page)
        names = {t for t, _ in tags.tags}
        assert not names & {"script", "img", "iframe", "object", "embed", "form", "base", "link", "svg"}, page
        for tag, attrs in tags.tags:
            assert not any(a.startswith("on") for a in attrs), (page, tag, attrs)
            href = attrs.get("href")
            if href is not None:
                assert href.startswith(("http://", "https://", "articles/", "../index.html")), href
        csp = [
            a["content"]
            for t, a in tags.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]
    hostile = parse(out / "articles" / f"article-{world.hostile + 1:05d}.html")
    text = "".join(hostile.text)
    assert "<script>document.title='PWNED'</script>" in text  # shown as text, not run
    assert world.server.url("/pixel.png") in text


def test_article_page_shows_quote_source_diff_and_the_readers_note(report: tuple[Path, AuditWorld]) -> None:
    out, _ = report
    page = (out / "articles" / "article-00001.html").read_text(encoding="utf-8")
    assert f"“{ALTERED_QUOTE}”" in page
    assert "<mark>14 million pounds over three years</mark>" in page
    assert "<del>14</del><ins>18</ins> million pounds over three years" in page
    assert "Framing: verb “admitted” (loaded)" in page  # the article's loaded verb, from core/framing
    assert "Altered</span>: The report says 14 &lt;b&gt;million&lt;/b&gt;; asked the desk." in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 Altered" in index  # the verdict count in the index
    # the unreadable article comes first: it needs attention before any other
    assert index.index("a/5.html") < index.index("Article 0: the harbour bridge")


# -- in a real browser -------------------------------------------------------------------------------


def chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install -y chromium)")
    return found


# Chromium's own background requests (component and extension updates, sign-in, network time) still go out
# with every flag that turns them off; they are the browser's, not the page's.
BROWSER_OWN_HOSTS = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")


class CountingProxy(socketserver.ThreadingTCPServer):
    """The browser's proxy for every address (loopback included): records each request's target host."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.hosts: list[str] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                line = self.request.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                target = line.split(" ")[1] if line.count(" ") >= 2 else line
                outer.hosts.append(urlsplit(target if "://" in target else f"//{target}").hostname or target)

        super().__init__(("127.0.0.1", 0), Handler)

    def page_requests(self) -> list[str]:
        return [h for h in self.hosts if not h.endswith(BROWSER_OWN_HOSTS)]


def browse(browser: str, profile: Path, proxy: CountingProxy, *args: str) -> subprocess.CompletedProcess[str]:
    """Debian's chromium as root: --no-sandbox; the background-networking flags keep it quiet."""
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--disable-breakpad", "--no-pings",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
        "--hide-scrollbars", "--window-size=1280,1000", f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}", "--proxy-bypass-list=<-loopback>",
    ]  # fmt: skip
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=60)


def test_report_in_headless_chromium(report: tuple[Path, AuditWorld], tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (CI installs it)")
    out, world = report
    proxy = CountingProxy()
    threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        index, article, hostile = (
            out / "index.html",
            out / "articles" / "article-00001.html",
            out / "articles" / f"article-{world.hostile + 1:05d}.html",
        )
        jobs = {
            name: browse(browser, tmp_path / f"profile-{name}", proxy, *args)
            for name, args in {
                "index": ("--dump-dom", index.as_uri()),
                "article": ("--dump-dom", article.as_uri()),
                "hostile": ("--dump-dom", hostile.as_uri()),
                "shot-index": (f"--screenshot={tmp_path / 'audit-index.png'}", index.as_uri()),
                "shot-article": (
                    f"--screenshot={tmp_path / 'audit-article.png'}",
                    "--window-size=1280,1350",
                    article.as_uri(),
                ),
            }.items()
        }
    finally:
        proxy.shutdown()
        proxy.server_close()
    for name, job in jobs.items():
        assert job.returncode == 0, (name, job.stderr[-2000:])
    dom = jobs["article"].stdout
    assert f"“{ALTERED_QUOTE}”" in dom and "<del>14</del><ins>18</ins> million pounds over three years" in dom
    assert "Article 0: the harbour bridge" in jobs["index"].stdout
    hostile_dom = jobs["hostile"].stdout
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in hostile_dom  # text, in the live DOM
    assert "<script" not in hostile_dom.lower() and "<img" not in hostile_dom.lower()
    assert "<title>PWNED" not in hostile_dom
    assert proxy.page_requests() == [], "the browser fetched something while showing the report"
    assert world.server.hits.get("/pixel.png") is None
    for name in ("audit-index.png", "audit-article.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("SOURCECHECK_UPDATE_SCREENSHOTS"):
            shutil.copy(tmp_path / name, SCREENSHOTS / name)
