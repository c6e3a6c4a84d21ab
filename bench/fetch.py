"""Benchmark: 50 sources, each on its own loopback host, each answering after 200 ms with a corpus page.

Prints, side by side, sequential fetching + extraction versus sourcecheck's fetcher (with extraction in
a process pool and in threads): wall time of the fetching itself, total wall time, peak memory.

    .venv/bin/python bench/fetch.py [--sources 50] [--delay 0.2]

The servers run in this process; every measured variant runs in a fresh child process so that its
peak RSS (ru_maxrss, plus its extraction workers') is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
    fetch_time = 0.0
    ok = 0
    with httpx.Client(timeout=20) as client:
        for url in urls:
            t = time.perf_counter()
            r = client.get(url)
            fetch_time += time.perf_counter() - t
            res = FetchResult(url=url, final_url=url, http_status=r.status_code,
                              content_type=r.headers.get("content-type"), body=r.content)  # fmt: skip
            ok += bool(extract_source(res).text)
    return {"fetch_s": fetch_time, "total_s": time.perf_counter() - start, "ok": ok}


def run_sourcecheck(urls: list[str], mode: str) -> dict:
    from tui.core.events import SourceFetched
    from tui.core.fetch import FetchConfig, fetch_sources, shutdown_extract_pool

    config = FetchConfig(allow_private=True, extract_mode=mode)  # type: ignore[arg-type]
    fetched_at: list[float] = []

    def on_event(event: object) -> None:
        if isinstance(event, SourceFetched):
            fetched_at.append(time.perf_counter())

    async def main() -> int:
        return sum([bool(o.source) async for o in fetch_sources(urls, config, on_event=on_event)])

    start = time.perf_counter()
    ok = asyncio.run(main())
    total = time.perf_counter() - start
    shutdown_extract_pool()
    return {"fetch_s": max(fetched_at) - start, "total_s": total, "ok": ok}


def child(mode: str, urls: list[str]) -> None:
    result = run_sequential(urls) if mode == "sequential" else run_sourcecheck(urls, mode)
    result["rss_mb"] = _rss_mb(resource.RUSAGE_SELF)
    result["children_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--modes", default="sequential,process,thread")
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

    names = {"sequential": "sequential (httpx.Client + extract)", "process": "sourcecheck, process pool",
             "thread": "sourcecheck, threads", "inline": "sourcecheck, extract on the loop"}  # fmt: skip
    print(f"\n{'':38}{'fetching':>10}{'total':>10}{'peak RSS':>11}{'+workers':>10}{'ok':>5}")
    for mode, r in rows.items():
        print(f"{names.get(mode, mode):38}{r['fetch_s']:>9.2f}s{r['total_s']:>9.2f}s"
              f"{r['rss_mb']:>9.0f}MB{r['children_rss_mb']:>8.0f}MB{r['ok']:>5}")  # fmt: skip
    best = min((m for m in rows if m != "sequential"), key=lambda m: rows[m]["total_s"], default=None)
    if best:
        r = rows[best]
        verdict = "met" if r["fetch_s"] < 2 * args.delay else "MISSED"
        print(f"\nfetching all {args.sources}: {r['fetch_s']:.2f}s vs {2 * args.delay:.2f}s target "
              f"(2x one latency): {verdict}; fastest extraction: {best}")  # fmt: skip

    threads = [threading.Thread(target=s.stop) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
