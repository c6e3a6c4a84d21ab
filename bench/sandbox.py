"""Where should extraction run? The options for the sandbox, measured as whole process trees.

Each variant extracts N typical corpus pages (30-600 KB) in a fresh process and is measured from launch
to exit (wall, CPU of the whole tree, peak tree RSS), so a pool's start-up counts as it does for a user:

- in-process: extract_source in the calling thread, no sandbox (what nothing could stop; the floor);
- sandbox: sourcecheck's (tui/core/sandbox/), a process per body forked by its zygote, started on demand;
- forkserver pool: a ProcessPoolExecutor of forkserver workers preloading the extractor (the design
  before the sandbox; its workers cannot be given a per-body CPU limit, and a killed one breaks the pool);
- forkserver per job: a multiprocessing process per body, forked by a forkserver (what macOS gets).

Then the cost of one extraction in the sandbox, per body size (the limits in FetchConfig come from here).

    .venv/bin/python bench/sandbox.py [--runs 5] [--counts 1,7,50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from e2e_proc import measure  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
TYPICAL = (30_000, 600_000)
VARIANTS = ("in-process", "sandbox", "forkserver pool", "forkserver per job")


def bodies(count: int) -> list[bytes]:
    pages = sorted(
        p
        for p in CORPUS.glob("*.html")
        if not p.name.endswith(".expected.html") and TYPICAL[0] <= p.stat().st_size <= TYPICAL[1]
    )
    return [pages[i % len(pages)].read_bytes() for i in range(count)]


def child(variant: str, count: int) -> None:
    """Runs in the measured process."""
    import concurrent.futures
    import multiprocessing

    from tui.core import sandbox
    from tui.core.extract import extract_source
    from tui.core.models import FetchResult

    results = [FetchResult(f"http://x{i}.test/", f"http://x{i}.test/", 200, "text/html", b) for i, b in
               enumerate(bodies(count))]  # fmt: skip
    limits = sandbox.Limits()
    start = time.perf_counter()
    if variant == "in-process":
        done = [extract_source(r) for r in results]
    elif variant in ("sandbox", "forkserver per job"):
        if variant == "forkserver per job":
            from tui.core.sandbox import handles

            handles.supported = lambda: False  # multiprocessing's forkserver, as on macOS

        async def all_jobs():
            modules = ("tui.core.extract:warm_up", "readability")
            jobs = (sandbox.run_sandboxed(extract_source, r, limits, modules=modules) for r in results)
            return await asyncio.gather(*jobs)

        done = asyncio.run(all_jobs())
    else:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["tui.core.extract"])
        with concurrent.futures.ProcessPoolExecutor(sandbox.slots(), mp_context=ctx) as pool:
            done = list(pool.map(extract_source, results))
    assert all(s.text for s in done)
    print(json.dumps({"extract_s": time.perf_counter() - start}))


def one_job(path: Path, times: int) -> dict:
    """CPU seconds and memory growth of one extraction (in-process, so ru_maxrss is its own)."""
    from tui.core.extract import extract_source
    from tui.core.models import FetchResult

    html = path.read_bytes()
    if times > 1:
        start = html.index(b">", html.lower().index(b"<body")) + 1
        end = html.lower().rindex(b"</body>")
        html = html[:start] + html[start:end] * times + html[end:]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time()
    extract_source(FetchResult("http://x.test/", "http://x.test/", 200, "text/html", html))
    return {
        "mb": len(html) / 1e6,
        "cpu_s": time.process_time() - cpu,
        "grew_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--counts", default="1,7,50")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    if args.one:
        print(json.dumps(one_job(Path(args.one[0]), int(args.one[1]))))
        return
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"extraction sandbox options: median of {args.runs} runs, whole process trees; {os.cpu_count()} "
          f"CPUs; load {load}")  # fmt: skip
    env = dict(os.environ)
    for count in (int(c) for c in args.counts.split(",")):
        print(f"\n{count} typical page{'s' if count > 1 else ''}:   {'wall':>8}{'cpu':>8}{'RSS':>9}")
        runs: dict[str, list] = {v: [] for v in VARIANTS}
        for _ in range(args.runs):
            for variant in VARIANTS:
                runs[variant].append(measure([sys.executable, __file__, "--child", variant, str(count)], env))
        floor = statistics.median(r.cpu for r in runs["in-process"])
        for variant, rs in runs.items():
            wall, cpu = statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs)
            rss = statistics.median(r.rss_mb for r in rs)
            bad = next((r.error for r in rs if not r.ok), "")
            print(f"  {variant:20}{wall:>7.2f}s{cpu:>7.2f}s{rss:>7.0f}MB  cpu +{cpu - floor:.2f}s over "
                  f"in-process {bad}")  # fmt: skip
    print("\none extraction (in-process): CPU and memory growth by body")
    for name, times in (("cnn", 1), ("yahoo-2", 1), ("wikipedia-2", 1), ("wikipedia-2", 5)):
        out = measure([sys.executable, __file__, "--one", str(CORPUS / f"{name}.html"), str(times)], env)
        r = json.loads(out.stdout)
        print(f"  {name} x{times} ({r['mb']:.1f} MB){'':10}{r['cpu_s']:>6.2f}s CPU  +{r['grew_mb']:.0f} MB")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (was {load})")


if __name__ == "__main__":
    main()
