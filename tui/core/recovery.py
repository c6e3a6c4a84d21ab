"""Restoring the links of a copied article from its published version (`--links-from`).

A copy pasted from a newsletter or a syndication feed keeps the words but loses the targets: links point
to `#`, or are plain text. The published version still has them. Each citation link of the published
version is found again in the copy by its anchor text *and the words around it* (a few words either side,
compared after the same typography fold the matcher uses), so the same anchor text in two places goes to the
right one; then a stripped link there gets the target back, and plain text there becomes a link.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Final

from .links import find_links
from .models import Anchor, Article, Link, LinkRecovery
from .normalize import Folded, fold

# Words either side of an anchor compared between the two versions.
CONTEXT_WORDS: Final = 8
# How alike the surroundings must be (0..1, the mean of both sides' word-sequence similarity).
MIN_CONTEXT: Final = 0.5
# An anchor text of this many words, found once in each version, needs no context to be trusted.
DISTINCT_WORDS: Final = 4
_MAX_OCCURRENCES: Final = 200
_WORD = re.compile(r"\w+")
_STRIPPED_KINDS: Final = frozenset({"fragment", "invalid", "javascript"})


@dataclass(frozen=True)
class _Words:
    """A folded text's words, with their offsets, for context windows."""

    folded: Folded
    starts: list[int]
    words: list[str]

    @classmethod
    def of(cls, text: str) -> _Words:
        folded = fold(text)
        found = list(_WORD.finditer(folded.text))
        return cls(folded, [m.start() for m in found], [m.group() for m in found])

    def around(self, start: int, end: int) -> tuple[list[str], list[str]]:
        """Up to CONTEXT_WORDS words before folded offset `start` and after `end`."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end)
        return self.words[max(0, lo - CONTEXT_WORDS) : lo], self.words[hi : hi + CONTEXT_WORDS]


def _similar(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _occurrences(text: str, needle: str) -> list[int]:
    """Where `needle` occurs in `text` on word boundaries."""
    out, pos = [], text.find(needle)
    while pos != -1 and len(out) < _MAX_OCCURRENCES:
        left_ok = pos == 0 or not (text[pos - 1].isalnum() and needle[0].isalnum())
        end = pos + len(needle)
        right_ok = end >= len(text) or not (text[end].isalnum() and needle[-1].isalnum())
        if left_ok and right_ok:
            out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


def _is_stripped(link: Link) -> bool:
    return link.role == "citation" and link.target_kind in _STRIPPED_KINDS and link.url is None


def _place(link: Link, published: _Words, copy: _Words) -> tuple[float, int, int] | None:
    """Where `link` (of the published version) sits in the copy: (score, start, end) in copy offsets."""
    needle = fold(link.anchor_text).text.strip()
    if not needle or not any(c.isalnum() for c in needle):
        return None
    pub_at = _occurrences(published.folded.text, needle)
    f_start = min(
        pub_at, key=lambda p: abs(published.folded.to_original(p) - link.anchor_start), default=None
    )
    if f_start is None:
        return None
    want_before, want_after = published.around(f_start, f_start + len(needle))
    spots = _occurrences(copy.folded.text, needle)
    best: tuple[float, int, int] | None = None
    for spot in spots:
        before, after = copy.around(spot, spot + len(needle))
        score = (_similar(before, want_before) + _similar(after, want_after)) / 2
        if best is None or score > best[0]:
            start, end = copy.folded.span_to_original(spot, spot + len(needle))
            best = (score, start, end)
    if best is None:
        return None
    distinct = len(needle.split()) >= DISTINCT_WORDS and len(spots) == 1 and len(pub_at) == 1
    return best if best[0] >= MIN_CONTEXT or distinct else None


def restore_links(copy: Article, published: Article, location: str) -> Article:
    """The copy with the targets of its stripped (`#`) and missing links restored from `published`.

    `Article.link_recovery` lists each anchor restored or added, with its URL; a copy link that already
    has a web target is left alone, and so is an in-page note.
    """
    wanted = [
        lk for lk in find_links(published) if lk.role == "citation" and lk.target_kind == "web" and lk.url
    ]
    pub_words, copy_words = _Words.of(published.text), _Words.of(copy.text)
    placed: dict[tuple[int, int], tuple[float, str]] = {}
    for link in wanted:
        spot = _place(link, pub_words, copy_words)
        if spot is None:
            continue
        score, start, end = spot
        if (start, end) not in placed or placed[(start, end)][0] < score:
            placed[(start, end)] = (score, link.url or "")
    copy_links = {(lk.anchor_start, lk.anchor_end): lk for lk in find_links(copy)}
    anchors = list(copy.anchors)
    recovered: list[tuple[int, int, str]] = []
    for (start, end), (_, url) in sorted(placed.items()):
        over = [a for a in anchors if a.start < end and start < a.end]
        if not over:
            anchors.append(Anchor(start, end, url))
            recovered.append((start, end, url))
            continue
        for anchor in over:
            link = copy_links.get((anchor.start, anchor.end))
            if link is not None and _is_stripped(link):
                anchors[anchors.index(anchor)] = replace(anchor, href=url)
                recovered.append((anchor.start, anchor.end, url))
    anchors.sort(key=lambda a: (a.start, a.end))
    return replace(copy, anchors=tuple(anchors), link_recovery=LinkRecovery(location, tuple(recovered)))


def not_recovered(links: tuple[Link, ...] | list[Link]) -> list[Link]:
    """The citation links still without a target after recovery (what the report lists as not recovered)."""
    return [lk for lk in links if _is_stripped(lk)]
