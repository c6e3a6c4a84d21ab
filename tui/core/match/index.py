"""A source text folded once, with a word index built on first use; cached per text."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Source
from ..normalize import NO_SPACE_SCRIPTS, Folded, fold

# A word; in a script without spaces (Japanese, Chinese, Thai) each character is one, so an altered
# 「…」 quote is aligned and scored on characters instead of being one unmatched run.
_W = rf"[^\W{NO_SPACE_SCRIPTS}]"
WORD_RE = re.compile(rf"[{NO_SPACE_SCRIPTS}]|{_W}+(?:['.,]{_W}+)*")


@dataclass
class SourceIndex:
    """A source text folded once, with a word index built on first fuzzy use; reused across quotes.

    Positions live in `array`s, not lists: a 5 MB text has ~1M tokens, and lists of that size make every
    full garbage collection of the process walk them (seen as 100+ ms stalls on unrelated quotes).
    """

    text: str
    folded: Folded
    skipped: tuple[tuple[int, int], ...] = ()  # spans of `text` folded away: not the author's words
    _starts: array | None = field(default=None, repr=False)
    _ends: array | None = field(default=None, repr=False)
    _postings: dict[str, array] | None = field(default=None, repr=False)

    @property
    def ftext(self) -> str:
        return self.folded.text

    def _build(self) -> None:
        starts, ends = array("l"), array("l")
        post: dict[str, list[int]] = {}
        for i, m in enumerate(WORD_RE.finditer(self.folded.text)):
            s, e = m.span()
            starts.append(s)
            ends.append(e)
            w = m.group()
            lst = post.get(w)
            if lst is None:
                post[w] = [i]
            else:
                lst.append(i)
        self._starts, self._ends = starts, ends
        self._postings = {w: array("l", lst) for w, lst in post.items()}

    def spans(self) -> tuple[array, array]:
        """Start and end offsets (folded) of the word tokens."""
        if self._starts is None:
            self._build()
        return self._starts, self._ends  # type: ignore[return-value]

    def postings(self) -> dict[str, array]:
        """Word -> token numbers where it occurs."""
        if self._postings is None:
            self._build()
        return self._postings  # type: ignore[return-value]

    def words(self, lo: int, hi: int) -> list[str]:
        starts, ends = self.spans()
        t = self.folded.text
        return [t[starts[i] : ends[i]] for i in range(lo, hi)]


@lru_cache(maxsize=64)
def _index_for_text(text: str, skipped: tuple[tuple[int, int], ...], soft: tuple[int, ...]) -> SourceIndex:
    ignore = sorted([*skipped, *((i, i + 1) for i in soft)])
    return SourceIndex(text, fold(text, ignore), skipped)


def index_text(
    text: str, skipped: tuple[tuple[int, int], ...] = (), soft_hyphens: tuple[int, ...] = ()
) -> SourceIndex:
    """The (cached) index of one text, with `skipped` spans and `soft_hyphens` folded away.

    The cache is keyed on the string (whose hash Python caches) and the spans.
    """
    return _index_for_text(text, tuple(skipped), tuple(soft_hyphens))


def index_source(source: Source) -> tuple[SourceIndex, SourceIndex | None]:
    """Indexes of a source's readable text and (when it differs) its page text."""
    main = index_text(source.text, source.text_skipped)
    page = (
        index_text(source.page_text, source.page_skipped)
        if source.page_text and source.page_text != source.text
        else None
    )
    return main, page


def search_order(source: Source) -> list[tuple[SourceIndex, bool]]:
    """The texts a quote is looked for in, in order, each with "is the readable main text".

    Main text, then (for a PDF's line-end hyphens) the main text with those hyphens read as splitting a
    word, then the page text likewise: both readings of a line-end hyphen match, and the passage shown is
    always the page's own characters.
    """
    main, page = index_source(source)
    order = [(main, True)]
    if source.text_soft_hyphens:
        order.append((index_text(source.text, source.text_skipped, source.text_soft_hyphens), True))
    if page is not None:
        order.append((page, False))
        if source.page_soft_hyphens:
            order.append((index_text(source.page_text, source.page_skipped, source.page_soft_hyphens), False))
    return order
