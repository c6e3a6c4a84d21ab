"""Benchmark: the article side (load, claims, quotes, attribution, the report) is linear in its size.

Two article shapes, each at 2,000, 20,000 and 200,000 links:
- `links`: one paragraph of "See [l1](http://10.0.0.1/p1) now." lines (the hostile-input recipe in
  ../shared/hostile-inputs/make_special_articles.sh: every link in one paragraph);
- `quoted`: paragraphs of news prose, each sentence a quotation with its speaker, a link and a
  footnote-style reference, so quote finding and every attribution rule run on every link.

For each it prints CPU seconds (median of runs) of each stage and of `sourcecheck check --no-fetch`'s
pipeline, and the cost per 1,000 links: flat per-link cost means linear. Beside it, the obvious
alternative measured in the same run: finding each link's claim sentence by scanning the paragraph's
sentences (what the claim finder did before), at 2,000 and 20,000 links.

    .venv/bin/python bench/article.py [--sizes 2000,20000,200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tui.core.article import load_article_file  # noqa: E402
from tui.core.links import find_links  # noqa: E402
from tui.core.pipeline import CheckOptions, check_location  # noqa: E402
from tui.core.quotes import find_quotes  # noqa: E402
from tui.core.report import build_report  # noqa: E402
from tui.core.sentences import sentence_spans  # noqa: E402


def links_article(n: int) -> str:
    return "".join(f"See [l{i}](http://10.0.{i // 250 % 250}.{i % 250}/p{i}) now.\n" for i in range(n))


def quoted_article(n: int) -> str:
    """News prose under the 15 MB article cap at 200k links (~70 bytes a link)."""
    out = []
    for i in range(n):
        if i % 8 == 0:
            out.append("\n\n“No,” the mayor told this newspaper. ")
        out.append(f"“Up {i % 90}%,” said Ruiz [here](https://c.ex/{i}), per the Ledger [{i % 9 + 1}]. ")
    out.append("\n\n" + "\n\n".join(f"[{k}] https://refs.example/{k}" for k in range(1, 10)))
    return "".join(out)


def scan_claims(article) -> int:
    """The obvious alternative: for each link, walk its paragraph's sentences to find the claim."""
    found = 0
    cache: dict[int, list] = {}
    starts = [p.start for p in article.paragraphs]
    from bisect import bisect_right

    for a in article.anchors:
        pi = bisect_right(starts, a.start) - 1
        para = article.paragraphs[pi]
        if pi not in cache:
            cache[pi] = sentence_spans(article.text, para.start, para.end)
        for s in cache[pi]:
            if s.start <= a.start < s.end:
                found += 1
                break
    return found


def cpu(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.process_time()
        result = fn()
        times.append(time.process_time() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,20000,200000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'shape':<8} {'links':>8} {'load':>7} {'claims':>7} {'quotes':>7} {'pipeline':>9}  "
        f"{'ms per 1k links (claims+quotes)':>32}  {'quotes found':>12}  alternative (claims by scan)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for shape, make in (("links", links_article), ("quoted", quoted_article)):
            for n in sizes:
                path = Path(tmp) / f"{shape}{n}.md"
                path.write_text(make(n), encoding="utf-8")
                runs = args.runs if n <= 20_000 else 1
                t_load, article = cpu(lambda p=path: load_article_file(p), runs)
                t_links, links = cpu(lambda a=article: find_links(a), runs)
                t_quotes, quotes = cpu(lambda a=article, lk=links: find_quotes(a, lk), runs)

                async def pipeline(p=path):
                    checker = await check_location(str(p), CheckOptions(fetch=False, use_archive=False))
                    return build_report(
                        checker.article, list(checker.outcomes.values()), checker.unattributed
                    )

                t_pipe, _ = cpu(lambda: asyncio.run(pipeline()), 1)
                per_k = (t_links + t_quotes) / (n / 1000) * 1000
                alt = ""
                if n <= 20_000:
                    t_alt, _ = cpu(lambda a=article: scan_claims(a), 1)
                    alt = f"{t_alt:7.2f} s ({t_alt / (n / 1000) * 1000:8.1f} ms per 1k)"
                print(
                    f"{shape:<8} {n:>8} {t_load:7.2f} {t_links:7.2f} {t_quotes:7.2f} {t_pipe:9.2f}  "
                    f"{per_k:32.1f}  {len(quotes):>12}  {alt}"
                )
    print("CPU seconds (time.process_time), median of runs; one run at 200k links.")


if __name__ == "__main__":
    main()
