"""A PDF's page furniture: running heads, running footers and page numbers, found the way a reader spots
them: a short line at the same place at the top or bottom of most pages, set apart from the body.

A line is furniture when any of these holds (the first two need no layout, the last one does):

- **It is a page number**: "7", "- 7 -", "Page 6 of 14", "6/14", "vii".
- **It repeats**: among the first or last `EDGE_LINES` lines of its page, the same words (digits aside) on
  at least half of the pages, or on half of the pages of its parity (book-style heads alternate between
  even and odd pages: "Orlem Harbour Trust" / "Annual Review 2025"), or at the same edge of the next or
  previous page (a section's head over its run of pages).
- **It carries the page number**: a number set off at its start or end ("6    Orlem Harbour Trust",
  "Annual Review 2025 | 7") that counts up with the pages, on at least half of them.
- **Its place says so** (when pypdf reports where the text sits): the topmost or bottommost one or two rows
  of the page, set apart from the body by a wider gap than the body's paragraph gap and than a blank line,
  at a height shared by the heads (or feet) of at least half of the pages, and short (under `SHORT_SHARE`
  of a typical line).
  This finds heads that change with every section ("Section 4: Procurement" / "Section 5: Moorings").

A line that opens or closes a page but continues the body (at the body's own line spacing, or at the
body's top where other pages have body text) is never furniture.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

EDGE_LINES = 2  # how many lines at the top and bottom of a page (in text order) can be furniture
SHORT_SHARE = 0.85  # a head found by its place alone is shorter than this share of a typical body line
_SAME_HEIGHT = 2.0  # PDF units (1/72 in): two rows within this distance are at the same height

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$|^[ivxlc]{1,6}$", re.IGNORECASE
)
# A number set off from a head's words by a wide space or a separator: "6    Title", "Title | 7".
_SET_OFF = r"(?:[ \t\u00a0]{2,}|\s*[|·•–—]\s*)"
_LEADING_NUMBER = re.compile(rf"^(\d{{1,4}}){_SET_OFF}\S")
_TRAILING_NUMBER = re.compile(rf"\S{_SET_OFF}(\d{{1,4}})$")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", _WS.sub(" ", line).strip().lower())


def _majority(count: int) -> int:
    return max(2, (count + 1) // 2)


def furniture(pages: list[list[str]], heights: list[list[float | None]] | None = None) -> list[set[int]]:
    """Per page, the indexes of its lines that are running heads, footers or page numbers.

    `pages`: each page's text lines as pypdf extracts them (blank lines allowed). `heights`: for each line,
    the height of its baseline above the page's bottom edge (PDF units), None when unknown; without it
    only the text rules apply.
    """
    edges = []
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        edges.append((filled[:EDGE_LINES], filled[-EDGE_LINES:]))
    out = [
        {i for i in top + bottom if PAGE_NUMBER.match(lines[i].strip())}
        for lines, (top, bottom) in zip(pages, edges, strict=True)
    ]
    if len(pages) < 2:
        return out
    _repeated(pages, edges, out)
    _numbered(pages, edges, out)
    if heights is not None:
        _placed(pages, heights, out)
    return out


def _repeated(pages: list[list[str]], edges: list[tuple[list[int], list[int]]], out: list[set[int]]) -> None:
    """Lines that repeat (digits aside) on half the pages, half the pages of their parity, or at the same
    edge of an adjacent page."""
    seen: Counter[str] = Counter()
    by_parity: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    keys = []
    for n, (lines, (top, bottom)) in enumerate(zip(pages, edges, strict=True)):
        page_keys = {i: _key(lines[i]) for i in top + bottom}
        keys.append(page_keys)
        seen.update(set(page_keys.values()))
        by_parity[n % 2].update(set(page_keys.values()))
    need = _majority(len(pages))
    need_parity = (_majority((len(pages) + 1) // 2), _majority(len(pages) // 2))
    for n, page_keys in enumerate(keys):
        top, bottom = edges[n]
        for i, key in page_keys.items():
            if seen[key] >= need or by_parity[n % 2][key] >= need_parity[n % 2]:
                out[n].add(i)
        # a head over a run of pages: the outermost line, the same at the same edge of a neighbour
        for edge, side in ((top[:1], 0), (bottom[-1:], -1)):
            for i in edge:
                for m in (n - 1, n + 1):
                    if 0 <= m < len(pages) and edges[m][side]:
                        j = edges[m][side][0] if side == 0 else edges[m][side][-1]
                        if keys[m][j] == page_keys[i]:
                            out[n].add(i)


def _numbered(pages: list[list[str]], edges: list[tuple[list[int], list[int]]], out: list[set[int]]) -> None:
    """Lines whose set-off number counts up with the pages (the same page-number offset on half the pages)."""
    candidates: dict[int, list[tuple[int, int]]] = {}  # offset -> (page, line)
    for n, (lines, (top, bottom)) in enumerate(zip(pages, edges, strict=True)):
        for i in set(top + bottom):
            line = lines[i].strip()
            for pattern in (_LEADING_NUMBER, _TRAILING_NUMBER):
                m = pattern.search(line)
                if m:
                    candidates.setdefault(int(m.group(1)) - n, []).append((n, i))
    need = _majority(len(pages))
    for found in candidates.values():
        if len({n for n, _ in found}) >= need:
            for n, i in found:
                out[n].add(i)


def _placed(pages: list[list[str]], heights: list[list[float | None]], out: list[set[int]]) -> None:
    """Heads and feet found by their place on the page (see the module's docstring)."""
    rows = []  # per page: [(height, [line indexes])], top row first
    for lines, ys in zip(pages, heights, strict=True):
        placed = sorted(
            ((y, i) for i, (ln, y) in enumerate(zip(lines, ys, strict=True)) if ln.strip() and y is not None),
            key=lambda p: -p[0],
        )
        page_rows: list[tuple[float, list[int]]] = []
        for y, i in placed:
            if page_rows and page_rows[-1][0] - y <= _SAME_HEIGHT:
                page_rows[-1][1].append(i)
            else:
                page_rows.append((y, [i]))
        rows.append(page_rows)
    gaps = [round(g) for page_rows in rows for g in _row_gaps(page_rows)]
    if not gaps:
        return
    # the body's line spacing: the smallest gap that is common (in a short document paragraph gaps can
    # be as frequent as line gaps, so not simply the most common one)
    counts = Counter(gaps)
    top = counts.most_common(1)[0][1]
    leading = min(g for g, c in counts.items() if c >= max(2, 0.2 * top) or c == top)
    # the body's paragraph gap: the widest gap between rows inside a page (never the first or the last
    # gap of a page, where heads and feet sit), up to three line spacings
    # A head is set apart by more than that, and by more than a blank line (two line spacings): a heading
    # that opens each page, followed by a blank line, is the body's.
    interior = [g for page_rows in rows for g in _row_gaps(page_rows)[1:-1] if g <= 3 * leading]
    apart = max(1.15 * max(interior, default=leading), 2.2 * leading)
    lengths = sorted(len(ln.strip()) for lines in pages for ln in lines if ln.strip())
    typical = lengths[len(lengths) // 2]
    heads = [_block(page_rows, apart) for page_rows in rows]
    feet = [_block(page_rows[::-1], apart) for page_rows in rows]
    need = _majority(len(pages))
    for blocks in (heads, feet):
        for n, block in enumerate(blocks):
            for y, idx in block:
                shared = sum(any(abs(y - other) <= _SAME_HEIGHT for other, _ in b) for b in blocks)
                if shared >= need:
                    out[n].update(i for i in idx if len(pages[n][i].strip()) < SHORT_SHARE * typical)


def _row_gaps(page_rows: list[tuple[float, list[int]]]) -> list[float]:
    return [a[0] - b[0] for a, b in pairwise(page_rows)]


def _block(page_rows: list[tuple[float, list[int]]], apart: float) -> list[tuple[float, list[int]]]:
    """The one or two outermost rows of a page (in the order given) when a gap wider than `apart`
    separates them from the rest of the page; [] otherwise."""
    for k in (1, 2):
        if len(page_rows) > k and abs(page_rows[k - 1][0] - page_rows[k][0]) > apart:
            return page_rows[:k]
    return []
