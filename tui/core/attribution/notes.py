"""Note markers and the notes they point to: the citations a footnoted article gives for its quotes.

The loader records the markers its markup makes explicit (a Markdown `[^1]`, an HTML link to the
page's own `#cite_note-12`); this module adds those the text alone shows: a numbered reference "[3]"
or a superscript "³" pointing at a reference list whose entries start with "[3]", "3.", "3)" or "³" (or
are the third item of an ordered list) and hold a link or a bare URL. A list written one entry per
line is one paragraph once the line breaks are gone; its entries are found by their numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..models import Article, Link, NoteRef, Span

if TYPE_CHECKING:
    from . import Piece, _Context

_MARKER = re.compile(r"\[(\d{1,3})(?:\s*[,–-]\s*\d{1,3})*\]|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_ENTRY = re.compile(
    r"\s*(?:\[(\d{1,3})\]|\^?(\d{1,3})[.)]|\^(\d{1,3})|(\d{1,3})\s*[:–—-]|([¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}))\s"
)
_NOTE_LABEL = re.compile(r"^(\[[^\[\]]{1,16}\]|\d{1,4}|[a-z]{1,2}|[*†‡§¶]+)$", re.IGNORECASE)
_NEWLINE = re.compile(r"\n")
_SUPERSCRIPT = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_TO_SUPERSCRIPT = str.maketrans("1234567890", "¹²³⁴⁵⁶⁷⁸⁹⁰")


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
        for label, start, end in _entries(text, para.start, para.end, para.ordinal, holds_link):
            entries.setdefault(label, []).append((start, end))
            entry_paragraphs.add(pi)
    refs = []
    for ref in article.notes:  # the loader's: a backlink points back up, a cross-reference has words
        if not _NOTE_LABEL.match(" ".join(ref.label.split())) or (0 <= ref.note_start < ref.start):
            continue
        if ref.note_start < 0:  # a bare superscript: its number finds the entry
            note = next(
                (span for span in entries.get(ref.label.strip("[]"), ()) if span[0] > ref.start), None
            )
            if note is None:
                continue
            ref = NoteRef(ref.start, ref.end, ref.label, note[0], note[1])
        refs.append(ref)
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


def _entries(
    text: str, start: int, end: int, ordinal: int | None, holds_link: Callable[[int, int], bool]
) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) of each reference-list entry in the paragraph text[start:end].

    An entry starts the paragraph or one of its lines; the entries after it are found by their numbers
    in the same style wherever the line breaks went (Markdown joins its soft breaks with a space, HTML
    writes <br> as a newline, a pasted text keeps its newlines): "[1] … [2] …", "1. … 2. …", "^1 … ^2 …".
    A number is the next entry's only once the entry before it holds its link, so "vol. 2." or "[2]
    pages" inside an entry does not cut it. Only entries that hold a link (or a bare URL) are given."""
    line_starts = [start] + [m.end() for m in _NEWLINE.finditer(text, start, end)]
    for k, line in enumerate(line_starts):
        line_end = line_starts[k + 1] - 1 if k + 1 < len(line_starts) else end
        m = _ENTRY.match(text, line, line_end)
        label = next((g for g in m.groups() if g), None) if m else None
        if m is None or label is None:
            if k == 0 and ordinal is not None and holds_link(line, line_end):
                yield str(ordinal), line, line_end  # the n-th item of an ordered list
            continue
        form = m.group(0).strip()
        cut = form.index(label)
        prefix, suffix = re.escape(form[:cut]), re.escape(form[cut + len(label) :]).replace(r"\ ", r"\s*")
        sup = label[0] in "¹²³⁴⁵⁶⁷⁸⁹⁰"  # "¹ …", "² …": the next number is written the same way
        number, entry_start, pos = int(label.translate(_SUPERSCRIPT)), line, m.end()
        while True:
            following = str(number + 1).translate(_TO_SUPERSCRIPT) if sup else str(number + 1)
            nxt = re.compile(rf"(?<!\S){prefix}{following}{suffix}\s").search(text, pos, line_end)
            if nxt is None:
                break
            pos = nxt.end()
            if holds_link(entry_start, nxt.start()):
                yield str(number), entry_start, nxt.start()
                number, entry_start = number + 1, nxt.start()
        if holds_link(entry_start, line_end):
            yield str(number), entry_start, line_end


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_left(spans, (pos + 1,)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def footnote_link(ctx: _Context, group: Sequence[Piece], sentences: list[Span]) -> Link | None:
    """The link of the note whose marker sits right after the quotation (or at the very end of a block
    quote), else of the nearest marker before it in its sentence."""
    last = group[-1]
    if last.block:
        lo, hi = max(last.start, last.end - 12), last.end + 1
    else:
        sent = ctx.sentence_at(last.paragraph, last.start)
        nxt = bisect_right(ctx.quoted_starts, last.start)
        hi = min(sent.end, ctx.quoted[nxt][0] if nxt < len(ctx.quoted) else sent.end) + 1
        lo = last.close_at - 1
    i = bisect_left(ctx.note_starts, lo)
    if i < len(ctx.notes) and ctx.notes[i].start < hi:
        return ctx.note_link(ctx.notes[i])
    first = group[0]
    lo = sentences[0].start
    k = bisect_left(ctx.quoted_starts, first.start) - 1
    if k >= 0 and ctx.quoted[k][1] > lo:
        return None  # a marker after an earlier quotation of the sentence is that one's
    j = bisect_left(ctx.note_starts, first.open_at) - 1
    if j >= 0 and ctx.notes[j].start >= lo and not ctx.inside_quote(ctx.notes[j].start):
        return ctx.note_link(ctx.notes[j])
    return None
