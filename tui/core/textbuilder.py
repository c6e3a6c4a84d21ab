"""The one place offsets are made, for articles and sources: `TextBuilder` appends text piece by piece,
so an anchor's `start`/`end` are known the moment its text is written and can never drift."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .models import Anchor, Article, MarkedQuote, NoteRef, Paragraph, QuoteBlock

WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2028\u2029\u3000\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u00ad\ufeff]")  # soft hyphen, BOM: never part of the words
# Zero-width space, non-joiner, joiner, word joiner: beside white space (or alone) they split nothing and are
# dropped; inside a word they stay in the text, where safe_text judges them on every stream: kept where
# they do their job (Thai, Persian, emoji), shown as "\ufffd" where they can only hide something
# ("bri\u200bdge"). The matcher's normalisation drops them all, so a quote still matches as read.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060"
_LOOSE_ZERO_WIDTH = re.compile(rf"^[{_ZERO_WIDTH}]+$|[{_ZERO_WIDTH}]+(?=\s)|(?<=\s)[{_ZERO_WIDTH}]+")
_ANY_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH}]")


def drop_invisible(raw: str) -> str:
    """`raw` without the invisible characters that hide nothing (see `_LOOSE_ZERO_WIDTH`)."""
    raw = _INVISIBLE.sub("", raw)
    return _LOOSE_ZERO_WIDTH.sub("", raw) if _ANY_ZERO_WIDTH.search(raw) else raw


def fold_space(raw: str) -> str:
    """Text as a reader sees it outside `<pre>`: invisible characters that hide nothing dropped (soft
    hyphen, BOM, a zero-width character beside white space), every run of white space one space."""
    return WS.sub(" ", drop_invisible(raw))


# the one place offsets are made


class TextBuilder:
    """Appends paragraphs of collapsed text and records anchors as their text is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.paragraphs: list[Paragraph] = []
        self.anchors: list[Anchor] = []
        self._para_start: int | None = None  # offset of the open paragraph's first character
        self._content_end = 0  # offset just past the last non-whitespace character written
        self._block_quote = False
        self._pre = False
        self._code = False
        self._last = ""  # last character written in the open paragraph ("" when none)
        self._open: list[list] = []  # [start | None, href, region, closed]
        # Pieces written but not the author's words (reference markers, editorial tags, page furniture):
        # shown in the text, ignored by the matcher. Half-open offsets into the finished text.
        self.skipped: list[tuple[int, int]] = []
        self._skip_depth = 0
        self._skip_start = 0
        self.extras = Extras()
        self._block: int | None = None
        self._credit = False
        self._ordinal: int | None = None

    # paragraphs --------------------------------------------------------------------------
    def open_paragraph(
        self,
        *,
        block_quote: bool = False,
        pre: bool = False,
        code: bool = False,
        block: int | None = None,
        credit: bool = False,
        ordinal: int | None = None,
    ) -> None:
        """Start a paragraph; `block` is the id of the block quote it belongs to, `credit` marks a
        credit line, `ordinal` an ordered-list item's number (see `Paragraph`)."""
        self.close_paragraph()
        self._block_quote = block_quote
        self._pre = pre
        self._code = code
        self._block = block if block_quote else None
        self._credit = credit
        self._ordinal = ordinal

    def close_paragraph(self) -> None:
        if self._para_start is None:
            self._pre = self._code = False
            return
        self._truncate(self._content_end)
        end = self.length
        for entry in self._open:
            if entry[0] is not None and not entry[3]:
                self._emit(entry, end)
                entry[3] = True  # an anchor never spans paragraphs: it ends with its first one
        self.paragraphs.append(
            Paragraph(
                self._para_start,
                end,
                self._block_quote,
                code=self._code,
                block=self._block,
                credit=self._credit,
                ordinal=self._ordinal,
            )
        )
        self._para_start = None
        self._last = ""
        self._pre = self._code = False
        self._credit = False
        self._ordinal = None

    # text ----------------------------------------------------------------------------------
    def add_text(self, raw: str, folded: str | None = None) -> None:
        """Append text: white space collapsed and invisible characters dropped, or inside a `<pre>` as
        written. `folded` is `fold_space(raw)` when the caller already has it (a page read once, walked
        several times)."""
        if not raw:
            return
        if self._pre:
            raw = re.sub(r"\r\n?", "\n", drop_invisible(raw)).replace("\t", "    ")
            for k, seg in enumerate(raw.split("\n")):
                if k:
                    self.add_break()
                self._add(seg.replace("\f", " ").replace("\v", " "), pre=True)
            return
        self._add(fold_space(raw) if folded is None else folded, pre=False)

    def _add(self, raw: str, *, pre: bool) -> None:
        if not raw:
            return
        if self._para_start is None:
            raw = raw.lstrip()
            if not raw:
                return  # whitespace never opens a paragraph
            if self.length:
                self._write("\n\n")
            self._para_start = self.length
        elif not pre and raw[0] == " " and self._last in (" ", "\n"):
            raw = raw[1:]
            if not raw:
                return
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            for entry in self._open:
                if entry[0] is None and not entry[3]:
                    entry[0] = self.length + lead
        self._write(raw)

    def add_break(self) -> None:
        """A hard line break (<br>, Markdown's two trailing spaces); never two in a row."""
        if self._para_start is None:
            return
        self._truncate(self._content_end)
        self._write("\n")

    def _write(self, s: str) -> None:
        self.parts.append(s)
        if s.strip():
            self._content_end = self.length + len(s.rstrip())
        self.length += len(s)
        self._last = s[-1]

    def _truncate(self, to: int) -> None:
        while self.length > to:
            excess = self.length - to
            tail = self.parts[-1]
            if len(tail) <= excess:
                self.parts.pop()
                self.length -= len(tail)
            else:
                self.parts[-1] = tail[:-excess]
                self.length = to
        self._last = self.parts[-1][-1] if self.parts and self.parts[-1] else ""

    # anchors -------------------------------------------------------------------------------
    def open_anchor(self, href: str, region: str) -> None:
        self._open.append([None, href, region, False])

    def close_anchor(self) -> None:
        if not self._open:
            return
        entry = self._open.pop()
        if entry[0] is not None and not entry[3]:
            self._emit(entry, self._content_end)

    def _emit(self, entry: list, end: int) -> None:
        start = entry[0]
        if end > start:  # an anchor without visible text (an icon, an image) cannot be pointed at
            self.anchors.append(Anchor(start, end, entry[1], entry[2]))

    # skipped pieces ----------------------------------------------------------------------------
    def begin_skip(self) -> None:
        """What is written until the matching `end_skip` is shown but is not the author's words."""
        if self._skip_depth == 0:
            self._skip_start = self.length
        self._skip_depth += 1

    def end_skip(self) -> None:
        self._skip_depth = max(0, self._skip_depth - 1)
        if self._skip_depth == 0 and self.length > self._skip_start:
            self.skipped.append((self._skip_start, self.length))

    def skipped_spans(self) -> tuple[tuple[int, int], ...]:
        """The skipped pieces, clipped to the finished text and to their non-space characters (the space
        around a piece separates the words on either side), merged when they touch."""
        text = "".join(self.parts)
        total = len(text)
        out: list[tuple[int, int]] = []
        for start, end in sorted(self.skipped):
            start, end = min(start, total), min(end, total)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return tuple(out)

    # markup that marks quotations and notes ---------------------------------------------------
    def mark_start(self) -> int:
        """Where the next visible character will be written (for spans opened before their text)."""
        if self._para_start is None:
            return self.length + (2 if self.length else 0)
        return self.length

    def add_marked_quote(self, start: int, cite: str | None) -> None:
        """A `<q>` whose text began at `start` (from `mark_start`) and ends here."""
        end = self._content_end
        if end > start:
            self.extras.marked_quotes.append(MarkedQuote(start, end, cite))

    def add_target(self, key: str, start: int) -> None:
        """An element (an id, a footnote) whose text began at `start` and ends here: notes point at it."""
        if self._content_end > start:
            self.extras.targets.setdefault(key, (start, self._content_end))

    def add_note_ref(self, start: int, label: str, key: str | None) -> None:
        """A note marker written from `start` to here, pointing at target `key` (None: resolved by the
        marker's number against a reference list later)."""
        if self._content_end > start:
            self.extras.refs.append((start, self._content_end, label, key))

    def set_credit(self, block: int, predicate: Callable[[str, bool], bool]) -> None:
        """Mark as credit lines the paragraphs of block quote `block` for which `predicate(text,
        all_link)` holds (`all_link`: the paragraph's text is one link's)."""
        members = []
        i = len(self.paragraphs) - 1
        while i >= 0 and self.paragraphs[i].block == block:  # the block just closed: the last paragraphs
            members.append(i)
            i -= 1
        if not members:
            return
        lo = self.paragraphs[members[-1]].start
        chunks, covered = [], 0
        for part in reversed(self.parts):  # only the tail of the text: linear over many blocks
            chunks.append(part)
            covered += len(part)
            if self.length - covered <= lo:
                break
        base = self.length - covered
        tail = "".join(reversed(chunks))
        for i in members:
            p = self.paragraphs[i]
            all_link = any(a.start <= p.start and p.end <= a.end for a in self.anchors[-50:])
            if predicate(tail[p.start - base : p.end - base], all_link):
                self.paragraphs[i] = replace(p, credit=True)

    def finish(self) -> tuple[str, tuple[Paragraph, ...], tuple[Anchor, ...]]:
        self.close_paragraph()
        while self._open:
            self.close_anchor()
        text = "".join(self.parts)
        anchors = tuple(sorted(self.anchors, key=lambda a: (a.start, a.end)))
        return text, tuple(self.paragraphs), anchors

    def article(
        self, location: str, title: str | None, base_url: str | None, language: str | None = None
    ) -> Article:
        """The finished `Article`, with what the markup said about quotations and notes."""
        text, paragraphs, anchors = self.finish()
        extras = self.extras
        refs = []
        for start, end, label, key in extras.refs:
            target = extras.targets.get(key) if key is not None else None
            ns, ne = target if target else (-1, -1)  # -1: resolved by its number later (notes.py)
            refs.append(NoteRef(start, end, label, ns, ne))
        for a in anchors:  # a link to the page's own element: a note marker when it leads to a note
            target = extras.targets.get(a.href.strip()) if a.href.startswith("#") else None
            if target and not (target[0] <= a.start < target[1]):
                refs.append(NoteRef(a.start, a.end, text[a.start : a.end], target[0], target[1]))
        return Article(
            location,
            title,
            text,
            paragraphs,
            anchors,
            base_url,
            language=language or extras.language,
            marked_quotes=tuple(extras.marked_quotes),
            blocks=tuple(extras.blocks),
            notes=tuple(sorted(refs, key=lambda r: r.start)),
        )


@dataclass
class Extras:
    """What the markup says beyond text and links: `<q>` quotations, block quotes (embeds, cite),
    note markers and the elements they point at."""

    marked_quotes: list[MarkedQuote] = field(default_factory=list)
    blocks: list[QuoteBlock] = field(default_factory=list)
    targets: dict[str, tuple[int, int]] = field(default_factory=dict)
    refs: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    language: str | None = None
