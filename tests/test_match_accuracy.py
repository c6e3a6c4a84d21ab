"""Accuracy of the matcher on quotes generated (seeded) from the real pages of the shared corpus.

Readable text = Readability's expected extraction of each page; page text = all visible text of the
saved page. Both are derived here with lxml so this test depends on no other pipeline stage. The same
generator feeds bench/match.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from quote_cases import evaluate, load_sources, make_cases

from tui.core.match import SIMILARITY_THRESHOLD


@pytest.mark.slow
def test_accuracy_on_corpus(corpus: Path) -> None:
    sources = load_sources(corpus)
    cases = make_cases(sources)
    assert len(cases) >= 500
    stats = evaluate(cases, sources)
    print(f"\nthreshold {SIMILARITY_THRESHOLD}; {len(cases)} quotes")
    for kind, st in sorted(stats.items()):
        what = "found" if kind == "fabricated" else "flagged" if kind.startswith("flag:") else "right"
        print(f"  {kind:<14} n={st['n']:<4} {what}={st['rate']:.3f}")
    v, e = stats["verbatim"], stats["elided"]
    exactish = (v["ok"] + e["ok"]) / (v["n"] + e["n"])
    assert v["n"] + e["n"] >= 250
    assert exactish >= 0.99
    assert stats["altered"]["rate"] >= 0.95
    assert stats["fabricated"]["rate"] <= 0.02
    # a changed number / an added or removed negation is flagged
    assert stats["flag:number"]["n"] >= 50 and stats["flag:number"]["rate"] >= 0.95
    assert stats["flag:negation"]["n"] >= 50 and stats["flag:negation"]["rate"] >= 0.95
