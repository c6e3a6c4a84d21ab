"""Benchmark: `sourcecheck audit` in articles per second, one article at a time vs the local pool vs Dask.

N saved articles (Markdown files) each quote 4 sources drawn from a pool of corpus pages, every source on
its own loopback host answering after a delay (the network), so sources are shared between articles as in
a real desk's month. Each variant is the real command in a fresh child process:

    sequential   --jobs 1                          one article at a time in one process
    local pool   --jobs 8                          8 articles at once in one event loop (the default pool)
    dask         --executor dask --workers 2       a LocalCluster of 2 worker processes (its start included)

    .venv/bin/python bench/audit.py [--articles 40] [--pool 60] [--delay 0.2] [--repeat 3]

Prints the median wall time and articles/s of each, the CPU time (user + sys of the command and every process
it started: extraction workers, Dask's scheduler and workers),
how many source requests the servers saw for how many citations, and whether every variant gave the same
counts. Needs the shared corpus beside the repository and Dask (the [bench] extra).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
TYPICAL = (30_000, 600_000)  # bytes of HTML, as in bench/fetch.py
VARIANTS = {
    "sequential (1 article at a time)": ["--jobs", "1"],
    "local pool (--jobs 8)": ["--jobs", "8"],
    "dask LocalCluster (2 workers)": ["--executor", "dask", "--workers", "2", "--jobs", "8"],
}


def pick_quote(text: str, rng: random.Random) -> str | None:
    """A sentence of 8 to 20 words from a source's readable text, to quote."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 8 <= len(s.split()) <= 20]
    sentences = [s for s in sentences if '"' not in s and "“" not in s and "\n" not in s]
    return rng.choice(sentences).rstrip(".!?") if sentences else None


def build(folder: Path, urls: list[str], texts: list[str], articles: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(articles):
        lines = [f"# Column {i}", ""]
        for j, k in enumerate(rng.sample(range(len(urls)), 4)):
            quote = pick_quote(texts[k], rng) or "no quote here"
            if (i + j) % 5 == 0:  # every fifth quote misquotes a word
                words = quote.split()
                words[len(words) // 2] = "reportedly"
                quote = " ".join(words)
            lines.append(f'As [the report]({urls[k]}) put it, "{quote}".')
            lines.append("")
        (folder / f"column-{i:03d}.md").write_text("\n".join(lines), encoding="utf-8")


def _descendants_cpu(pid: int) -> float:
    """CPU seconds of the live descendants of `pid` (the extraction pool's workers are children of a
    forkserver that nobody waits for, so RUSAGE_CHILDREN never sees them)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, stack = 0.0, list(children.get(pid, []))
    while stack:
        child = stack.pop()
        total += times.get(child, 0.0)
        stack.extend(children.get(child, []))
    return total


def child(argv: list[str]) -> None:
    """Runs the audit command in this process, then prints the CPU time it and all its helpers used."""
    import contextlib
    import io

    from tui.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["audit", *argv])
    helpers = _descendants_cpu(os.getpid())
    me = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + reaped.ru_utime + reaped.ru_stime + helpers
    print(json.dumps({"code": code, "cpu": cpu, "summary": json.loads(out.getvalue())}))


def run_variant(folder: Path, db: Path, flags: list[str]) -> tuple[float, float, dict]:
    argv = [str(folder), "--audit-db", str(db), "--no-archive", "--allow-private", "--no-progress",
            "--format", "json", *flags]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(argv)], cwd=REPO, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the audit failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, result["cpu"], result["summary"]


def counts_only(summary: dict) -> list:
    return sorted(
        (a["location"], a["state"], a["verbatim"], a["altered"], a["not_found"], a["not_checked"])
        for a in summary["articles"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--pool", type=int, default=60, help="distinct sources the articles draw from")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each source takes to answer")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return

    from tests.conftest import LocalServer
    from tui.core.extract import extract_source
    from tui.core.models import FetchResult

    pages = sorted(
        p for p in CORPUS.glob("*.html")
        if not p.name.endswith(".expected.html") and TYPICAL[0] <= p.stat().st_size <= TYPICAL[1]
    )  # fmt: skip
    if not pages:
        sys.exit(f"no corpus pages under {CORPUS}")
    servers, urls, texts = [], [], []
    for i in range(args.pool):
        page = pages[i % len(pages)]
        server = LocalServer(f"127.0.0.{i + 2}").start()
        url = server.route(f"/{page.stem}", page.read_bytes(), delay=args.delay)
        body = FetchResult(
            url=url, final_url=url, http_status=200, content_type="text/html", body=page.read_bytes()
        )
        texts.append(extract_source(body).text)
        servers.append(server)
        urls.append(url)
    print(
        f"{args.articles} articles x 4 quoted sources, drawn from {args.pool} sources on 127.0.0.2.."
        f"{args.pool + 1} ({min(len(pages), args.pool)} corpus pages), each answering after "
        f"{args.delay * 1000:.0f} ms; "
        f"{os.cpu_count()} cores; median of {args.repeat}"
    )
    results: dict[str, list[tuple[float, float, dict, int]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        build(folder, urls, texts, args.articles)
        env_data = Path(tmp) / "data"
        os.environ["SOURCECHECK_DATA_DIR"] = str(env_data)
        for rep in range(args.repeat):
            for name, flags in VARIANTS.items():  # interleaved, so load changes hit every variant alike
                for server in servers:
                    server.hits.clear()
                db = Path(tmp) / f"audit-{rep}-{len(results[name])}-{abs(hash(name))}.sqlite3"
                wall, cpu, summary = run_variant(folder, db, flags)
                requests = sum(sum(s.hits.values()) for s in servers)
                results[name].append((wall, cpu, summary, requests))
    for server in servers:
        server.stop()

    base = statistics.median(r[0] for r in results[next(iter(VARIANTS))])
    print(f"\n{'':36}{'wall':>8}{'articles/s':>12}{'vs seq.':>9}{'CPU':>8}{'requests':>10}")
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        requests = statistics.median(r[3] for r in runs)
        print(
            f"{name:36}{wall:>7.2f}s{args.articles / wall:>12.2f}{base / wall:>8.2f}x{cpu:>7.2f}s"
            f"{requests:>10.0f}"
        )
    print(
        f"requests = source GETs the servers saw in one run, for {args.articles * 4} citations of "
        f"{args.pool} distinct sources (each fetched once per process; Dask: once per worker)"
    )
    reference = counts_only(next(iter(results.values()))[0][2])
    same = all(counts_only(r[2]) == reference for runs in results.values() for r in runs)
    print(f"same counts in every run of every variant: {'yes' if same else 'NO'}")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work here skews these)")


if __name__ == "__main__":
    main()
