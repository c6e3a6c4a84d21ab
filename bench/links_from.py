"""`--links-from` on real pages: strip every link of a saved page to `#`, restore the targets from the page
itself, and count how many come back to the right URL; beside the obvious alternative (each anchor text
gets the URL of its first occurrence in the published version), measured in the same run.

    .venv/bin/python bench/links_from.py            # reads ../shared/corpus/pages

Prints, per page and in total: citation links, restored right / wrong / missing for both methods, and the
median CPU time of a restore.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from tui.core.article import load_article_file
from tui.core.links import find_links
from tui.core.models import Article
from tui.core.normalize import fold_text
from tui.core.recovery import restore_links

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"


def stripped(article: Article) -> Article:
    """The same article with every link's target stripped to `#` (what a copy-paste leaves)."""
    return replace(article, anchors=tuple(replace(a, href="#") for a in article.anchors))


def truth(article: Article) -> dict[tuple[int, int], str]:
    return {
        (lk.anchor_start, lk.anchor_end): lk.url
        for lk in find_links(article)
        if lk.role == "citation" and lk.target_kind == "web" and lk.url
    }


def naive(copy: Article, published: Article) -> dict[tuple[int, int], str]:
    """Each anchor text gets the URL of its first occurrence in the published version."""
    first: dict[str, str] = {}
    for lk in find_links(published):
        if lk.role == "citation" and lk.target_kind == "web" and lk.url:
            first.setdefault(fold_text(lk.anchor_text), lk.url)
    return {
        (a.start, a.end): first[key]
        for a in copy.anchors
        if (key := fold_text(copy.text[a.start : a.end])) in first
    }


def score(expected: dict, got: dict) -> tuple[int, int, int]:
    right = sum(1 for span, url in expected.items() if got.get(span) == url)
    wrong = sum(1 for span, url in expected.items() if span in got and got[span] != url)
    return right, wrong, len(expected) - right - wrong


def main() -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}")
        return 1
    totals = {"links": 0, "ours": [0, 0, 0], "naive": [0, 0, 0]}
    times: list[float] = []
    print(
        f"{'page':32} {'links':>5}  {'context: right wrong missing':>28}  "
        f"{'first occurrence: right wrong missing':>38}"
    )
    for path in sorted(CORPUS.glob("*.html")):
        if path.name.endswith(".expected.html"):
            continue
        try:
            published = load_article_file(path)
        except Exception as exc:  # a page the loader refuses is not this bench's subject
            print(f"{path.stem:32} skipped ({exc})")
            continue
        expected = truth(published)
        if not expected:
            continue
        copy = stripped(published)
        started = time.process_time()
        restored = restore_links(copy, published, str(path))
        times.append(time.process_time() - started)
        ours = (
            {(s, e): url for s, e, url in restored.link_recovery.recovered} if restored.link_recovery else {}
        )
        a, b = score(expected, ours), score(expected, naive(copy, published))
        totals["links"] += len(expected)
        for i in range(3):
            totals["ours"][i] += a[i]
            totals["naive"][i] += b[i]
        name = re.sub(r"\s+", " ", path.stem)[:32]
        print(f"{name:32} {len(expected):>5}  {a[0]:>14} {a[1]:>5} {a[2]:>7}  {b[0]:>24} {b[1]:>5} {b[2]:>7}")
    n = totals["links"] or 1
    ours, nv = totals["ours"], totals["naive"]
    print(
        f"\n{'all':32} {totals['links']:>5}  {ours[0]:>14} {ours[1]:>5} {ours[2]:>7}  "
        f"{nv[0]:>24} {nv[1]:>5} {nv[2]:>7}"
    )
    print(
        f"right: context {ours[0] / n:.1%}, first occurrence {nv[0] / n:.1%}; "
        f"wrong: context {ours[1] / n:.1%}, first occurrence {nv[1] / n:.1%}"
    )
    print(f"restore CPU time per page: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {len(times)} pages")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
