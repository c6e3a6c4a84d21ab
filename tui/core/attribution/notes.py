"""Note markers and the notes they point to: the citations a footnoted article gives for its quotes.

The loader records the markers its markup makes explicit (a Markdown `[^1]`, an HTML link to the
page's own `#cite_note-12`); this module adds those the text alone shows: a numbered reference "[3]"
or a superscript "³" pointing at a reference list whose entries start with "[3]", "3." or "3)" (or
are the third item of an ordered list) and hold a link or a bare URL.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..models import Article, NoteRef

_MARKER = re.compile(r"\[(\d{1,3})(?:\s*[,–-]\s*\d{1,3})*\]|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_ENTRY = re.compile(r"\s*(?:\[(\d{1,3})\]|\^?(\d{1,3})[.)]|\^(\d{1,3})|(\d{1,3})\s*[:–—-])\s")
_SUPERSCRIPT = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


def note_refs(article: Article) -> tuple[NoteRef, ...]:
    """Every note marker of the article (the loader's and the text's), in reading order."""
    text = article.text
    anchor_starts = sorted(a.start for a in article.anchors)
    anchor_spans = sorted((a.start, a.end) for a in article.anchors)

    def holds_link(s: int, e: int) -> bool:
        i = bisect_left(anchor_starts, s)
        return i < len(anchor_starts) and anchor_starts[i] < e

    entries: dict[str, list[tuple[int, int]]] = {}
    entry_paragraphs: set[int] = set()
    for pi, para in enumerate(article.paragraphs):
        if para.code:
            continue
        m = _ENTRY.match(text, para.start, para.end)
        label = next((g for g in m.groups() if g), None) if m else None
        if label is None and para.ordinal is not None:
            label = str(para.ordinal)
        if label is not None and holds_link(para.start, para.end):
            entries.setdefault(label, []).append((para.start, para.end))
            entry_paragraphs.add(pi)
    refs = list(article.notes)
    if entries:
        taken = sorted((r.start, r.end) for r in refs)
        for pi, para in enumerate(article.paragraphs):
            if pi in entry_paragraphs or para.code:
                continue
            for m in _MARKER.finditer(text, para.start, para.end):
                if _inside(anchor_spans, m.start()) or _inside(taken, m.start()):
                    continue
                if m.end() < para.end and text[m.end()] in "(:":
                    continue  # a Markdown link's text, or a definition
                label = m.group(1) or (m.group(2) or "").translate(_SUPERSCRIPT)
                note = next((span for span in entries.get(label, ()) if span[0] > m.start()), None)
                if note is not None:
                    refs.append(NoteRef(m.start(), m.end(), label, note[0], note[1]))
    return tuple(sorted(refs, key=lambda r: r.start))


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_left(spans, (pos + 1,)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
