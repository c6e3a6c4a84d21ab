"""Benchmark: the article side (load, claims, quotes, attribution, the report) is linear in its size.

Four article shapes, each at 2,000, 20,000 and 200,000 links:
- `links`: one paragraph of "See [l1](http://10.0.0.1/p1) now." lines (the hostile-input recipe in
  ../shared/hostile-inputs/make_special_articles.sh: every link in one paragraph);
- `quoted`: paragraphs of news prose, each sentence a quotation with its speaker, a link and a
  footnote-style reference, so quote finding and every attribution rule run on every link;
- `sentence` and `sentence.html`: ONE sentence holding every link and quotation (“up 1” per [l1](…) and
  Ruiz said …), in Markdown and in one HTML <p>: each stage reads the sentence once, not once per link, and
  each link's claim is a bounded window around it (links.CLAIM_MAX_CHARS), so the report is linear too.

For each it prints CPU seconds (median of runs) of each stage and of `sourcecheck check --no-fetch`'s
pipeline, and the cost per 1,000 links: flat per-link cost means linear. Beside it, the obvious
alternative measured in the same run: finding each link's claim sentence by scanning the paragraph's
sentences (what the claim finder did before), at 2,000 and 20,000 links.

    .venv/bin/python bench/article.py [--sizes 2000,20000,200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tui.core.article import load_article_file  # noqa: E402
from tui.core.fetch.config import FetchConfig  # noqa: E402
from tui.core.links import find_links  # noqa: E402
from tui.core.pipeline import CheckOptions, check_location  # noqa: E402
from tui.core.quotes import find_quotes  # noqa: E402
from tui.core.report import build_report  # noqa: E402
from tui.core.sentences import sentence_spans  # noqa: E402

# the article is parsed in this process (not in the sandbox, with its limits), so that its CPU time counts
INLINE = FetchConfig(extract_mode="inline")


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


def one_sentence(n: int, html: bool = False) -> str:
    body = " ".join(
        (f"“up {i}” per <a href=https://c.ex/{i}>l{i}</a> and Ruiz said" if html else
         f"“up {i}” per [l{i}](https://c.ex/{i}) and Ruiz said")
        for i in range(n)
    )  # fmt: skip
    if html:
        return f"<html><body><article><p>Officials said {body} now.</p></article></body></html>"
    return f"# One sentence\n\nOfficials said {body} now.\n"


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
        f"{'shape':<13} {'links':>7} {'load':>6} {'claims':>6} {'quotes':>6} {'pipeline':>8}  "
        f"{'ms per 1k links: claims+quotes':>30} {'pipeline':>8}  {'report':>6}  {'quotes':>6}  "
        "alternative (claims by scan)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        shapes = (
            ("links", links_article, ".md"),
            ("quoted", quoted_article, ".md"),
            ("sentence", one_sentence, ".md"),
            ("sentence.html", lambda n: one_sentence(n, html=True), ".html"),
        )
        for shape, make, suffix in shapes:
            for n in sizes:
                path = Path(tmp) / f"{shape}{n}{suffix}"
                path.write_text(make(n), encoding="utf-8")
                runs = args.runs if n <= 20_000 else 1
                t_load, article = cpu(lambda p=path: load_article_file(p), runs)
                t_links, links = cpu(lambda a=article: find_links(a), runs)
                t_quotes, quotes = cpu(lambda a=article, lk=links: find_quotes(a, lk), runs)

                async def pipeline(p=path):
                    checker = await check_location(
                        str(p), CheckOptions(fetch=False, use_archive=False, fetch_config=INLINE)
                    )
                    return build_report(
                        checker.article, list(checker.outcomes.values()), checker.unattributed
                    )

                t_pipe, report = cpu(lambda: asyncio.run(pipeline()), 1)
                per_k = (t_links + t_quotes) / (n / 1000) * 1000
                pipe_k = t_pipe / (n / 1000) * 1000
                per_link = len(json.dumps(report, ensure_ascii=False)) / n
                alt = ""
                if shape.startswith("sentence"):  # before: each link's claim was the whole sentence
                    alt = f"whole-sentence claims: {len(article.text) / 1000:.0f}k characters per link"
                elif n <= 20_000:
                    t_alt, _ = cpu(lambda a=article: scan_claims(a), 1)
                    alt = f"{t_alt:7.2f} s ({t_alt / (n / 1000) * 1000:8.1f} ms per 1k)"
                print(
                    f"{shape:<13} {n:>7} {t_load:6.2f} {t_links:6.2f} {t_quotes:6.2f} {t_pipe:8.2f}  "
                    f"{per_k:30.1f} {pipe_k:8.1f}  {per_link:6.0f}  {len(quotes):>6}  {alt}"
                )
    print("CPU seconds (time.process_time), median of runs; one run at 200k links.")
    print("report: characters of `check --no-fetch --format json`'s report per link (flat: linear).")


if __name__ == "__main__":
    main()
