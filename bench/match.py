"""Benchmark: time and accuracy per quote of sourcecheck's matcher vs rapidfuzz and diff-match-patch.

    .venv/bin/python bench/match.py [--quotes 100] [--budget 20] [--sizes 50K,1M,5M]

Sources of about 50 KB, 1 MB and 5 MB are built from the visible text of the corpus pages
(/work/shared/corpus/pages); past the first copy each repetition has its lines shuffled and 15% of its
words replaced, so a quote has one true place and many near-duplicate decoys. Quotes (verbatim, elided,
altered, fabricated) come from tests/quote_cases.py's seeded generator. wikipedia-2 is held out
as the pool fabricated quotes are drawn from.

Methods, each on the same quotes:
- sourcecheck: tui.core.match.match_quote (index built once per source; build time shown apart).
- rapidfuzz: fuzz.partial_ratio_alignment(quote, text) on lower-cased text; 100 = verbatim,
  >= RAPIDFUZZ_ALTERED = altered.
- dmp: diff_match_patch.match_main(text, quote, 0) with Match_Distance = len(text) (location only:
  verbatim if the text there equals the quote, altered if any other hit).
The slow alternatives get a time budget per size (--budget seconds): they run on the first quotes in a
fixed shuffled order until the budget is spent, and the table says how many quotes each method saw.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from diff_match_patch import diff_match_patch  # noqa: E402
from quote_cases import Case, load_sources, make_cases  # noqa: E402

from tui.core.match import WORD_RE, index_source, match_quote  # noqa: E402
from tui.core.models import Source  # noqa: E402
from tui.core.normalize import fold_text  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
HOLDOUT = "wikipedia-2"
RAPIDFUZZ_ALTERED = 80.0
SIZES = {"50K": 50_000, "1M": 1_000_000, "5M": 5_000_000}


def build_text(sources: dict[str, Source], size: int, rng: random.Random) -> tuple[str, int]:
    """The source text and the length of its first, unperturbed copy (where quotes are taken from)."""
    pages = [s.page_text for name, s in sorted(sources.items()) if name != HOLDOUT]
    first = "\n".join(pages)
    if size <= len(first):
        cut = first.rfind(" ", 0, size)
        text = first[: cut if cut > 0 else size]
        return text, len(text)
    vocab = sorted(set(re.findall(r"[A-Za-z]{3,12}", first)))
    parts, total = [first], len(first)
    while total < size:
        lines = first.split("\n")
        rng.shuffle(lines)
        copy = "\n".join(
            " ".join(rng.choice(vocab) if rng.random() < 0.15 else w for w in line.split(" "))
            for line in lines
        )
        parts.append(copy)
        total += len(copy) + 1
    return "\n".join(parts)[:size], len(first)


def quotes_for(text: str, pool: Source, n: int, seed: int) -> list[Case]:
    """Quotes from `text` (the first copy: offsets are the same in the whole source)."""
    big = Source("bench:big", None, "big", text, text)
    per = max(1, n // 4)
    cases = [c for c in make_cases({"big": big, HOLDOUT: pool}, per_page=per, seed=seed) if c.page == "big"]
    random.Random(seed).shuffle(cases)
    return cases[:n]


def _overlaps(case: Case, start: int, end: int, text: str) -> bool:
    if start < case.end and case.start < end:
        return True
    return WORD_RE.findall(fold_text(text[case.start : case.end])) == WORD_RE.findall(
        fold_text(text[start:end])
    )


def judge(case: Case, cls: str, start: int | None, end: int | None, text: str) -> bool:
    if case.kind == "fabricated":
        return cls == "not_found"
    want = "altered" if case.kind == "altered" else "verbatim"
    return cls == want and start is not None and end is not None and _overlaps(case, start, end, text)


def run_ours(case: Case, source: Source) -> tuple[str, int | None, int | None]:
    m = match_quote(case.quote, source)
    return m.match, m.source_start, m.source_end


def make_rapidfuzz(text: str) -> Callable[[Case, Source], tuple[str, int | None, int | None]] | None:
    try:
        from rapidfuzz import fuzz
    except ImportError:
        return None
    low = text.lower()

    def run(case: Case, source: Source) -> tuple[str, int | None, int | None]:
        r = fuzz.partial_ratio_alignment(case.quote.lower(), low)
        if r is None or r.score < RAPIDFUZZ_ALTERED:
            return "not_found", None, None
        return ("verbatim" if r.score >= 100 else "altered"), r.dest_start, r.dest_end

    return run


def make_dmp(text: str) -> Callable[[Case, Source], tuple[str, int | None, int | None]]:
    dmp = diff_match_patch()
    dmp.Match_Distance = len(text)
    dmp.Match_Threshold = 0.5

    def run(case: Case, source: Source) -> tuple[str, int | None, int | None]:
        loc = dmp.match_main(text, case.quote, 0)
        if loc < 0:
            return "not_found", None, None
        end = loc + len(case.quote)
        return ("verbatim" if text[loc:end] == case.quote else "altered"), loc, end

    return run


class _TimeUp(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TimeUp


def measure(name: str, fn, cases: list[Case], source: Source, budget: float | None) -> dict:
    """Run `fn` on the cases; with a budget, stop once it is spent (one quote may not exceed it)."""
    times, right = [], {}
    spent = 0.0
    timed_out = 0
    for case in cases:
        t0 = time.perf_counter()
        if budget is not None:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, budget - spent + 0.01)
        try:
            cls, s, e = fn(case, source)
        except _TimeUp:
            cls, s, e = "timeout", None, None
            timed_out += 1
        finally:
            if budget is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
        ok = judge(case, cls, s, e, source.text)
        n, k = right.get(case.kind, (0, 0))
        right[case.kind] = (n + 1, k + ok)
        if budget is not None and spent > budget:
            break
    return {"name": name, "times": times, "right": right, "timed_out": timed_out}


def fmt_row(size: str, r: dict, total: int) -> str:
    t = r["times"]
    acc = " ".join(f"{kind[:4]}={k}/{n}" for kind, (n, k) in sorted(r["right"].items()))
    med = statistics.median(t) * 1000 if t else float("nan")
    worst = max(t) * 1000 if t else float("nan")
    row = f"{size:>4} {r['name']:<12} {len(t):>4}/{total:<4} {med:>10.2f} {worst:>10.1f}   {acc}"
    if r["timed_out"]:
        row += f"  ({r['timed_out']} cut off by the budget, counted at their cut-off time)"
    return row


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quotes", type=int, default=100)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per size for rapidfuzz and dmp each")
    ap.add_argument("--sizes", default="50K,1M,5M")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    sources = load_sources(CORPUS)
    pool = sources[HOLDOUT]
    rng = random.Random(args.seed)
    print(
        f"quotes per size: {args.quotes}; rapidfuzz/dmp budget: {args.budget:.0f} s per size each "
        "(they stop early; count shown)"
    )
    print(
        f"{'size':>4} {'method':<12} {'quotes':>9} {'median ms':>10} {'worst ms':>10}   right/total per kind"
    )
    for label in args.sizes.split(","):
        text, first_len = build_text(sources, SIZES[label], rng)
        source = Source("bench:big", None, "big", text, text)
        cases = quotes_for(text[:first_len], pool, args.quotes, args.seed)
        t0 = time.perf_counter()
        main_index, _ = index_source(source)
        main_index.postings()
        build = time.perf_counter() - t0
        print(
            f"{label:>4} ({len(text):,} chars, {len(cases)} quotes) "
            f"sourcecheck index build {build * 1000:.0f} ms (once per source, not in the times below)"
        )
        print(fmt_row(label, measure("sourcecheck", run_ours, cases, source, None), len(cases)))
        rf = make_rapidfuzz(text)
        if rf is None:
            print(f"{label:>4} rapidfuzz    not installed (pip install rapidfuzz)")
        else:
            print(fmt_row(label, measure("rapidfuzz", rf, cases, source, args.budget), len(cases)))
        print(fmt_row(label, measure("dmp", make_dmp(text), cases, source, args.budget), len(cases)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
