"""Benchmark: source extraction time per page on the 25 saved corpus pages, before and after issue 11.

"before" is the extraction code of an earlier commit (default c3d4e78, before the one HTML reader and the
source-side work of issue 11); "issue 11" is the code as issue 11 left it (default 7231f90: hidden text,
reference markers, JSON-LD and the main-text check, each page walked three times); "after" is this tree.
The older two are unpacked with `git archive` into temporary folders. Each runs in its own child process
over the same pages, each page several times, and reports the CPU time of the fastest run per page (CPU
time, not wall time: the machine is shared), and the per-page ratios between them. When trafilatura is
installed (`pip install -e '.[bench]'`), its `extract()` is timed the same way: the cost a second
extractor would add.

    .venv/bin/python bench/extract.py [--before REV] [--issue11 REV] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "pages"

CHILD = r"""
import json, sys, time
from pathlib import Path
pages, repeat, mode = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
if mode == "trafilatura":
    t0 = time.process_time()
    import trafilatura
    import_s = time.process_time() - t0
    def run(body):
        trafilatura.extract(body.decode("utf-8", "replace"), include_comments=False, favor_recall=True)
else:
    import_s = 0.0
    from tui.core.extract import extract_source
    from tui.core.models import FetchResult
    def run(body):
        extract_source(FetchResult(url="https://corpus.example/", body=body, content_type="text/html"))
out = {}
for path in pages:
    body = Path(path).read_bytes()
    best = None
    for _ in range(repeat):
        t0 = time.process_time()
        run(body)
        t = time.process_time() - t0
        best = t if best is None else min(best, t)
    out[Path(path).name] = best
print(json.dumps({"import_s": import_s, "pages": out}))
"""


def _child(tree: Path | None, pages: list[str], repeat: int, mode: str) -> dict:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(pages), str(repeat), mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree or REPO,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def _unpack(rev: str, into: Path) -> Path:
    into.mkdir()
    archive = into / "tree.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(REPO), "archive", rev, "tui"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def _summary(name: str, times: dict[str, float], base: dict[str, float] | None, base_name: str = "") -> str:
    values = sorted(times.values())
    worst = max(times, key=times.__getitem__)
    line = (
        f"{name:<18} median {statistics.median(values) * 1000:7.1f} ms   worst {times[worst] * 1000:7.1f} ms "
        f"({worst})   total {sum(values):6.2f} s"
    )
    if base:
        ratios = [times[p] / base[p] for p in times if base.get(p)]
        line += f"   per-page ratio to {base_name}: median {statistics.median(ratios):.2f}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="c3d4e78", help="the commit whose extraction is 'before'")
    parser.add_argument("--issue11", default="7231f90", help="the commit whose extraction is 'issue 11'")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = sorted(str(p) for p in CORPUS.glob("*.html") if not p.name.endswith(".expected.html"))
    if not pages:
        raise SystemExit(f"no corpus pages at {CORPUS}")
    print(f"{len(pages)} corpus pages, fastest of {args.repeat} runs each, CPU time per page")
    with tempfile.TemporaryDirectory() as tmp:
        before = _child(_unpack(args.before, Path(tmp) / "before"), pages, args.repeat, "sourcecheck")[
            "pages"
        ]
        issue11 = _child(_unpack(args.issue11, Path(tmp) / "issue11"), pages, args.repeat, "sourcecheck")[
            "pages"
        ]
    after = _child(None, pages, args.repeat, "sourcecheck")["pages"]
    print(_summary(f"before {args.before}", before, None))
    print(_summary(f"issue 11 {args.issue11}", issue11, before, "before"))
    print(_summary("after", after, before, "before"))
    print(_summary("after", after, issue11, "issue 11"))
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("trafilatura: not installed (pip install -e '.[bench]' to measure a second extractor)")
    else:
        traf = _child(None, pages, args.repeat, "trafilatura")
        print(
            _summary("trafilatura", traf["pages"], after, "after")
            + f"   import {traf['import_s'] * 1000:.0f} ms"
        )
    print()
    print(f"{'page':<40} {'before ms':>10} {'issue 11 ms':>12} {'after ms':>10}")
    for name in sorted(after, key=after.__getitem__, reverse=True):
        print(
            f"{name:<40} {before.get(name, 0) * 1000:10.1f} {issue11.get(name, 0) * 1000:12.1f} "
            f"{after[name] * 1000:10.1f}"
        )


if __name__ == "__main__":
    main()
