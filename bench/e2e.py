"""Whole-process benchmark: `sourcecheck check` and the reader, beside the obvious alternative.

Every figure is a whole process tree (the command, its extraction workers, anything they start): wall
time, CPU time (user + system of every process, reaped through a child subreaper) and peak RSS (the
sum over the tree, sampled every 20 ms; shared pages of forked processes count once per process, so
it is an upper bound). Each is the median of --runs runs, interleaved with the baseline so that other
work on the machine hits both sides alike. Baselines, measured in the same run:

- sources (1, 7, 20, 50; fast servers and slow ones answering after --delay): the naive sequential
  script bench/e2e_naive.py (httpx + readability-lxml + a substring search) on the same article;
- offline: `check --offline` from the archive bundled beside the article vs `check --no-fetch`;
- big articles (a saved 1 MB Wikipedia page, its body repeated to 5 MB): `check --no-fetch`, per MB;
- reader: time to the first frame and until the status line says every source is in, on a pseudo
  terminal, vs a bare Textual app drawing one Static.

    .venv/bin/python bench/e2e.py [--runs 5] [--only sources,offline,articles,reader] [--delay 0.2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from e2e_proc import Run, measure, measure_tty  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
SAMPLE = REPO / "sample_articles" / "harbour-bridge-oped.md"
TYPICAL = (30_000, 600_000)  # bytes: the pages a news article usually cites (as bench/fetch.py)
SOURCECHECK = Path(sys.executable).with_name("sourcecheck")
NAIVE = REPO / "bench" / "e2e_naive.py"
BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("A bare Textual app drawing one widget.")
Bare().run()
"""
ALL_SOURCES_IN = re.compile(r"\b(\d+)/\1 sources")  # the reader's status line once every source is in


# --- fixtures -----------------------------------------------------------------------------------


def pick_quote(html: bytes) -> str | None:
    """A sentence of the page's readable text (readability-lxml's, as the naive script sees it)."""
    from lxml import html as lxml_html
    from readability import Document

    text = lxml_html.fromstring(Document(html).summary(html_partial=True)).text_content()
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)]
    good = [s for s in sentences if 8 <= len(s.split()) <= 25 and not re.search(r"[\"“”'‘’\[\]()]", s)]
    return good[len(good) // 2] if good else None


def typical_pages() -> list[tuple[Path, str]]:
    pages = sorted(
        p
        for p in CORPUS.glob("*.html")
        if not p.name.endswith(".expected.html") and TYPICAL[0] <= p.stat().st_size <= TYPICAL[1]
    )
    picked = [(p, q) for p in pages if (q := pick_quote(p.read_bytes()))]
    if not picked:
        sys.exit(f"no corpus pages under {CORPUS}")
    return picked


def write_article(path: Path, cited: list[tuple[str, str]]) -> Path:
    """A Markdown article with one paragraph per (url, quote): a claim quoting its source."""
    paras = [f"# A bench article citing {len(cited)} sources"]
    for i, (url, quote) in enumerate(cited):
        paras.append(f"In paragraph {i + 1}, [the page]({url}) says that “{quote}”")
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    return path


def bundle_archive(article: Path, bodies: dict[str, bytes]) -> None:
    """`ARTICLE.warc.gz` beside the article holding every source, as the samples ship theirs."""
    sys.path.insert(0, str(REPO))
    from tui.core.archive import Archive
    from tui.core.models import FetchResult

    archive = Archive(article.with_suffix(".warc.gz"))
    for url, body in bodies.items():
        headers = (("Content-Type", "text/html; charset=utf-8"),)
        archive.add(
            FetchResult(url, url, 200, "text/html; charset=utf-8", body, headers, "2026-01-01T00:00:00Z")
        )


def repeat_body(html: bytes, times: int) -> bytes:
    start = html.lower().index(b"<body")
    start = html.index(b">", start) + 1
    end = html.lower().rindex(b"</body>")
    return html[:start] + html[start:end] * times + html[end:]


# --- running ------------------------------------------------------------------------------------


def check_cmd(article: Path, *flags: str) -> list[str]:
    base = [str(SOURCECHECK)] if SOURCECHECK.exists() else [sys.executable, "-m", "tui.cli"]
    return [*base, "check", str(article), "--format", "json", *flags]


def sourcecheck_counts(stdout: str) -> str:
    report = json.loads(stdout)
    links = [link for link in report["links"] if link["fetch"]["status"] != "skipped"]
    ok = sum(link["fetch"]["status"] == "ok" for link in links)
    found = sum(q["match"] != "not_found" for link in report["links"] for q in link["quotes"])
    return f"{ok}/{len(links)} sources ok, {found} quotes found"


def naive_counts(stdout: str) -> str:
    c = json.loads(stdout)
    if "sources_ok" not in c:
        return f"{c['links']} links, {c['quotes']} quotes"
    return f"{c['sources_ok']}/{c['links']} sources ok, {c['quotes_found']} quotes found"


class Side:
    """One command to measure, with a fresh data directory per run (no archive left by a previous run)."""

    def __init__(self, label: str, cmd: list[str], counts: Callable[[str], str], tty: bool = False) -> None:
        self.label, self.cmd, self.counts, self.tty = label, cmd, counts, tty
        self.runs: list[Run] = []

    def run_once(self, keep: bool = True) -> None:
        data = tempfile.mkdtemp(prefix="e2e-data-")
        env = {**os.environ, "SOURCECHECK_DATA_DIR": data}
        env.pop("SOURCECHECK_DB", None)
        # As installed: bytecode cached (pip compiles it at install time). With PYTHONDONTWRITEBYTECODE
        # set, every run would compile sourcecheck's own modules again (0.2 s measured here) while the
        # baselines' libraries come compiled.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            if self.tty:
                run = measure_tty(self.cmd, env, until=ALL_SOURCES_IN if "reader" in self.label else None)
            else:
                run = measure(self.cmd, env)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        if keep:
            self.runs.append(run)

    def median(self, field: str) -> float:
        values = [getattr(r, field) for r in self.runs if getattr(r, field) is not None]
        return statistics.median(values) if values else float("nan")

    def row(self) -> str:
        last = self.runs[-1]
        sanity = self.counts(last.stdout) if last.ok else f"FAILED: {last.error}"
        return (
            f"  {self.label:44}{self.median('wall'):>7.2f}s{self.median('cpu'):>7.2f}s"
            f"{self.median('rss_mb'):>7.0f}MB  {sanity}"
        )


def compare(sides: list[Side], runs: int) -> None:
    for side in sides:  # a first run each, not counted: bytecode written, files in the page cache
        side.run_once(keep=False)
    for _ in range(runs):  # interleaved: a burst of load elsewhere hits every side
        for side in sides:
            side.run_once()
    for side in sides:
        print(side.row())


TARGETS: list[tuple[str, float, str, float]] = []  # (what, value, comparison, limit)


def target(what: str, value: float, op: str, limit: float) -> None:
    met = value <= limit if op == "<=" else value >= limit
    TARGETS.append((what, value, op, limit))
    print(f"  -> {what}: {value:.2f} (target {op} {limit:g}) {'met' if met else 'MISSED'}")


# --- scenarios ----------------------------------------------------------------------------------


def bench_sources(work: Path, runs: int, delay: float) -> None:
    from conftest import LocalServer

    pages = typical_pages()
    print(f"\n## check with N local sources ({len(pages)} corpus pages of 30-600 KB, cycled; "
          f"slow servers answer after {delay * 1000:.0f} ms)")  # fmt: skip
    servers = []
    try:
        for count in (1, 7, 20, 50):
            for speed in ("fast", "slow"):
                cited = []
                for i in range(count):
                    server = LocalServer(f"127.0.0.{i + 2}").start()
                    servers.append(server)
                    page, quote = pages[i % len(pages)]
                    url = server.route(
                        f"/{page.stem}", page.read_bytes(), delay=delay if speed == "slow" else 0
                    )
                    cited.append((url, quote))
                article = write_article(work / f"sources-{count}-{speed}.md", cited)
                print(f" {count} {speed} source{'s' if count > 1 else ''}:")
                ours = Side("sourcecheck check", check_cmd(article, "--allow-private"), sourcecheck_counts)
                naive = Side(
                    "naive sequential script", [sys.executable, str(NAIVE), str(article)], naive_counts
                )
                compare([ours, naive], runs)
                ratio = ours.median("wall") / naive.median("wall")
                print(f"  -> wall: {ratio:.2f}x the naive script's")
                if (count, speed) == (7, "fast"):
                    target("check, 7 sources: wall / naive wall", ratio, "<=", 0.8)
                if (count, speed) == (50, "slow"):
                    target("check, 50 slow sources: naive wall / wall", 1 / ratio, ">=", 3)
                stop_all(servers)
                servers.clear()
    finally:
        stop_all(servers)


def stop_all(servers: list) -> None:
    threads = [threading.Thread(target=s.stop) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def bench_offline(work: Path, runs: int) -> None:
    print("\n## check --offline from the archive bundled beside the article, vs --no-fetch")
    pages = typical_pages()[:7]
    cited = [(f"http://news{i}.example.org/{p.stem}", q) for i, (p, q) in enumerate(pages)]
    article = write_article(work / "offline-7.md", cited)
    bundle_archive(article, {url: p.read_bytes() for (url, _), (p, _) in zip(cited, pages, strict=True)})
    for name, path in (("7 corpus sources", article), (f"the sample {SAMPLE.name}", SAMPLE)):
        print(f" {name}:")
        offline = Side("sourcecheck check --offline", check_cmd(path, "--offline"), sourcecheck_counts)
        no_fetch = Side("sourcecheck check --no-fetch", check_cmd(path, "--no-fetch"), sourcecheck_counts)
        compare([offline, no_fetch], runs)
        target(f"offline ({name}): wall above --no-fetch, s",
               offline.median("wall") - no_fetch.median("wall"), "<=", 0.5)  # fmt: skip


def bench_articles(work: Path, runs: int) -> None:
    page = CORPUS / "wikipedia-2.html"
    html = page.read_bytes()
    print(f"\n## article loading with --no-fetch: {page.name} ({len(html) / 1e6:.1f} MB), its body repeated")
    per_mb = {}
    for times in (1, 5):
        body = html if times == 1 else repeat_body(html, times)
        path = work / f"article-{times}x.html"
        path.write_bytes(body)
        mb = len(body) / 1e6
        print(f" {mb:.1f} MB:")
        ours = Side("sourcecheck check --no-fetch", check_cmd(path, "--no-fetch"), sourcecheck_counts)
        naive = Side("naive script --no-fetch", [sys.executable, str(NAIVE), str(path), "--no-fetch"],
                     naive_counts)  # fmt: skip
        compare([ours, naive], runs)
        per_mb[times] = ours.median("wall") / mb
        target(f"article of {mb:.1f} MB: wall per MB, s", per_mb[times], "<=", 1.0)
    target("linearity: s/MB at 5 MB over s/MB at 1 MB", per_mb[5] / per_mb[1], "<=", 1.15)


def bench_reader(runs: int) -> None:
    print(f"\n## the reader on {SAMPLE.name} (its sources from the bundled archive), on a pseudo-terminal")
    print("  first frame: the first output with visible text; all sources in: the status line says N/N")
    bare = Side("bare Textual app (one Static)", [sys.executable, "-c", BARE_APP], lambda _: "", tty=True)
    base = [str(SOURCECHECK)] if SOURCECHECK.exists() else [sys.executable, "-m", "tui.cli"]
    # --offline: every source from the bundled archive, nothing else (the sample's dead link would
    # otherwise ask the Wayback Machine for a copy, over the network)
    offline = Side("sourcecheck reader --offline", [*base, str(SAMPLE), "--offline"], str, tty=True)
    reader = Side("sourcecheck reader (may ask a web archive)", [*base, str(SAMPLE)], str, tty=True)
    sides = (bare, offline, reader)
    for side in sides:
        side.run_once(keep=False)
    for _ in range(runs):
        for side in sides:
            side.run_once()
    for side in sides:
        first, done = side.median("first_frame"), side.median("done")
        extra = f", all sources in {done:.2f}s" if side is not bare else ""
        cpu = f"cpu {side.median('first_frame_cpu'):.2f}s"
        if side is not bare:
            cpu += f", {side.median('done_cpu'):.2f}s"
        print(f"  {side.label:44}first frame {first:.2f}s{extra}  ({cpu})")
    print("  (cpu: the whole process tree's at that moment, read from /proc: steadier than wall time on a")
    print("  busy machine)")
    print("  -> cpu at the first frame, reader / bare:"
          f" {offline.median('first_frame_cpu') / bare.median('first_frame_cpu'):.2f}")  # fmt: skip
    target("reader first frame / bare Textual first frame",
           offline.median("first_frame") / bare.median("first_frame"), "<=", 1.3)  # fmt: skip
    for side in (offline, reader):
        gaps = [r.done - r.first_frame for r in side.runs if r.done is not None and r.first_frame is not None]
        gap = statistics.median(gaps) if gaps else float("inf")
        if side is offline:
            target("all sources in (--offline), s after the first frame", gap, "<=", 0.5)
        else:
            print(f"  -> all sources in without --offline: {gap:.2f} s after the first frame (not a target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="sources,offline,articles,reader")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds a slow server waits (default 0.2)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"sourcecheck end-to-end bench: median of {args.runs} runs; {os.cpu_count()} CPUs; load {load}")
    print(f"  {'':44}{'wall':>8}{'cpu':>8}{'RSS':>9}")
    with tempfile.TemporaryDirectory(prefix="e2e-") as tmp:
        work = Path(tmp)
        if "sources" in only:
            bench_sources(work, args.runs, args.delay)
        if "offline" in only:
            bench_offline(work, args.runs)
        if "articles" in only:
            bench_articles(work, args.runs)
        if "reader" in only:
            bench_reader(args.runs)
    print("\n## targets")
    for what, value, op, limit in TARGETS:
        met = value <= limit if op == "<=" else value >= limit
        print(f"  {'met   ' if met else 'MISSED'} {what}: {value:.2f} ({op} {limit:g})")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (was {load})")


if __name__ == "__main__":
    main()
