"""Benchmark: what finding a PDF's running heads by their place costs, beside pypdf's plain text extraction.

A fictional report of N pages (tests/pdfgen.py: a section head that changes every four pages, a page
number footer, 45 body lines a page) is read three ways, each several times, CPU time of the fastest run:

- `plain`: pypdf's `extract_text()` on every page, the obvious alternative (no furniture found at all);
- `visitor`: the same with the text visitor that reports each piece's position (what sourcecheck runs);
- `pdf_text`: sourcecheck's whole PDF reading (visitor, furniture rules, paragraphs, hyphens).

It also prints how many lines were found to be furniture, against the number the fixture placed.

    .venv/bin/python bench/pdf_heads.py [--pages 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from pdfgen import build_pdf, page

from tui.core.pdftext import pdf_text

WORDS = [
    "the",
    "harbour",
    "board",
    "found",
    "that",
    "the",
    "quay",
    "wall",
    "and",
    "the",
    "inner",
    "basin",
    "needed",
    "repairs",
    "before",
    "winter",
]


def fixture(pages: int) -> bytes:
    out = []
    for n in range(pages):
        lines = [" ".join(WORDS[(n + k) % 7 :] + WORDS[: (n + k) % 7]).capitalize() for k in range(45)]
        out.append(page(lines, header=f"Section {n // 4 + 1}: Part {n // 4 + 1}", footer=str(n + 1)))
    return build_pdf(out, title="Bench report")


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pypdf

    body = fixture(args.pages)

    def plain() -> None:
        for p in pypdf.PdfReader(io.BytesIO(body)).pages:
            p.extract_text()

    def visitor() -> None:
        for p in pypdf.PdfReader(io.BytesIO(body)).pages:
            p.extract_text(visitor_text=lambda *a: None)

    t_plain, t_visit, t_ours = (best(f, args.repeat) for f in (plain, visitor, lambda: pdf_text(body)))
    found = len(pdf_text(body).skipped)
    print(f"{args.pages} pages, fastest of {args.repeat} runs, CPU time")
    print(f"plain extract_text   {t_plain * 1000:8.1f} ms")
    print(f"with text visitor    {t_visit * 1000:8.1f} ms   ratio to plain {t_visit / t_plain:.2f}")
    print(f"pdf_text (all)       {t_ours * 1000:8.1f} ms   ratio to plain {t_ours / t_plain:.2f}")
    print(f"furniture found      {found} lines of {2 * args.pages} placed")


if __name__ == "__main__":
    main()
