"""Benchmark: 50 sources, each on its own loopback host, each answering after 200 ms with a corpus page.

Prints, side by side, sequential fetching + extraction versus sourcecheck's fetcher (with extraction in
its sandbox, a process per body, and inline on the event loop): wall time of the fetching itself, total
wall time, peak memory (bench/e2e.py has whole-process-tree figures).

    .venv/bin/python bench/fetch.py [--sources 50] [--delay 0.2]

The servers run in this process; every measured variant runs in a fresh child process so that its
peak RSS (ru_maxrss; its largest extraction process's beside it) is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
# "typical" pages: 30-600 KB of HTML (the 1-1.6 MB outliers take seconds in readability by themselves)
TYPICAL = (30_000, 600_000)


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run_sequential(urls: list[str]) -> dict:
    import httpx

    from tui.core.extract import extract_source
    from tui.core.models import FetchResult

    start = time.perf_counter()
    one_s = 0.0
    fetch_time = 0.0
    ok = 0
    with httpx.Client(timeout=20) as client:
        for url in urls:
            t = time.perf_counter()
            r = client.get(url)
            fetch_time += time.perf_counter() - t
            one_s = one_s or fetch_time
            res = FetchResult(url=url, final_url=url, http_status=r.status_code,
                              content_type=r.headers.get("content-type"), body=r.content)  # fmt: skip
            ok += bool(extract_source(res).text)
    return {"fetch_s": fetch_time, "total_s": time.perf_counter() - start, "ok": ok, "one_s": one_s}


def run_sourcecheck(urls: list[str], mode: str) -> dict:
    from tui.core import fetch
    from tui.core.events import SourceFetched
    from tui.core.fetch import FetchConfig, fetch_sources
    from tui.core.models import Source

    if mode == "fetch-only":  # the network part alone: extraction replaced by a no-op

        async def no_extract(result, mode="inline"):
            return Source(result.url, result.final_url, None, "x", "x")

        fetch.sources.extract_async = no_extract  # type: ignore[attr-defined]
        mode = "inline"
    config = FetchConfig(allow_private=True, extract_mode=mode)  # type: ignore[arg-type]
    fetched_at: list[float] = []

    def on_event(event: object) -> None:
        if isinstance(event, SourceFetched):
            fetched_at.append(time.perf_counter())

    async def main() -> tuple[int, float, float]:
        # one source first: it pays the one-off costs (imports, TLS context) and gives the latency of one
        t = time.perf_counter()
        one = [o async for o in fetch_sources(urls[:1], config)]
        one_s = time.perf_counter() - t
        t = time.perf_counter()
        fetched_at.clear()
        ok = sum([bool(o.source) async for o in fetch_sources(urls, config, on_event=on_event)])
        return ok * bool(one[0].source), one_s, t

    ok, one_s, start = asyncio.run(main())
    total = time.perf_counter() - start
    return {"fetch_s": max(fetched_at) - start, "total_s": total, "ok": ok, "one_s": one_s,
            "workers_mb": _rss_mb(resource.RUSAGE_CHILDREN)}  # fmt: skip


def child(mode: str, urls: list[str]) -> None:
    result = run_sequential(urls) if mode == "sequential" else run_sourcecheck(urls, mode)
    result["rss_mb"] = _rss_mb(resource.RUSAGE_SELF)
    result["workers_mb"] = result.get("workers_mb", _rss_mb(resource.RUSAGE_CHILDREN))
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--modes", default="fetch-only,sequential,process,inline")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "URLS_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], json.loads(args.child[1]))
        return

    from conftest import LocalServer

    pages = sorted(
        p for p in CORPUS.glob("*.html")
        if not p.name.endswith(".expected.html") and TYPICAL[0] <= p.stat().st_size <= TYPICAL[1]
    )  # fmt: skip
    if not pages:
        sys.exit(f"no corpus pages under {CORPUS}")
    servers = []
    urls = []
    for i in range(args.sources):
        server = LocalServer(f"127.0.0.{i + 2}").start()
        page = pages[i % len(pages)]
        urls.append(server.route(f"/{page.stem}", page.read_bytes(), delay=args.delay))
        servers.append(server)
    total_kb = sum(pages[i % len(pages)].stat().st_size for i in range(args.sources)) / 1024
    print(f"{args.sources} sources on 127.0.0.2..127.0.0.{args.sources + 1}, each answering after "
          f"{args.delay * 1000:.0f} ms; {len(pages)} corpus pages cycled, {total_kb:.0f} KB")  # fmt: skip

    rows = {}
    for mode in args.modes.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, json.dumps(urls)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows[mode] = json.loads(out.stdout.strip().splitlines()[-1])

    names = {"sequential": "sequential (httpx.Client + extract)", "process": "sourcecheck, sandbox",
             "inline": "sourcecheck, extract on the loop",
             "fetch-only": "sourcecheck, fetching only (no extract)"}  # fmt: skip
    print(f"\n{'':42}{'one':>7}{'fetching':>10}{'total':>9}{'peak RSS':>10}{'largest':>10}{'ok':>4}")
    for mode, r in rows.items():
        print(f"{names.get(mode, mode):42}{r['one_s']:>6.2f}s{r['fetch_s']:>9.2f}s{r['total_s']:>8.2f}s"
              f"{r['rss_mb']:>8.0f}MB{r['workers_mb']:>8.0f}MB{r['ok']:>4}")  # fmt: skip
    print(
        "one = the first source alone (cold); fetching = until the last body arrived; total = with extraction"
    )
    if "fetch-only" in rows:
        r = rows["fetch-only"]
        verdict = "met" if r["fetch_s"] < 2 * args.delay else "MISSED"
        print(
            f"\nfetching all {args.sources}: {r['fetch_s']:.2f}s vs {2 * args.delay:.2f}s target "
            f"(2x the {args.delay:.2f}s latency; one source alone took {r['one_s']:.2f}s): {verdict}"
        )
    extracting = [m for m in rows if m not in ("sequential", "fetch-only")]
    if extracting:
        best = min(extracting, key=lambda m: rows[m]["total_s"])
        print(f"fastest fetch + extraction: {best} ({rows[best]['total_s']:.2f}s)")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on this machine "
          "skews the numbers)")  # fmt: skip

    threads = [threading.Thread(target=s.stop) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
