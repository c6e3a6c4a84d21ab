"""Prose or list, judged by the text: the main-text check's view of a page's paragraphs.

A page's article is prose: sentences of some length that end in a full stop, few links. A signatories list,
a menu, a table of names reads differently whatever its markup: short comma-separated fragments ("Ana Mork,
Former judge, Orlem Court of Appeal, signing in a personal capacity"), few or no sentence ends, or mostly
link text. Tag names alone miss both ways: a list can be `<div><p>` rows, and a letter can be bare text
split by `<br><br>` in one `<div>`.

A paragraph unit is a `<p>` (its whole text), or a run of a block element's own text (its text and its
inline children's, outside its block children) between `<br><br>` pairs or block children.
"""

from __future__ import annotations

import re

from .tree import PageTree
from .walker import BLOCK_TAGS

PROSE_MIN_WORDS = 6  # a prose unit has at least this many words
CLAUSE_MIN_WORDS = 4.5  # ... and at least this many words per clause (between commas, semicolons, stops)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")
_CLAUSE_MARK = re.compile(r"[,;:]")
# Where a paragraph unit's text can never be the article's prose: chrome, table cells and list items.
NOT_PROSE = frozenset({"td", "th", "li", "nav", "footer", "aside", "header", "figcaption", "form"})
_OWN_TEXT_MIN = 20  # characters of an element's own text (outside its children) worth reading as runs


def looks_like_prose(text: str, link_chars: int = 0) -> bool:
    """Whether `text` (one paragraph unit) reads as prose: at least PROSE_MIN_WORDS words, a sentence end,
    at least CLAUSE_MIN_WORDS words per clause, and under half of it link text (`link_chars`)."""
    words = len(text.split())
    if words < PROSE_MIN_WORDS or link_chars * 2 > len(text.strip()):
        return False
    ends = len(_SENTENCE_END.findall(text))
    if not ends:
        return False
    return words / (ends + len(_CLAUSE_MARK.findall(text))) >= CLAUSE_MIN_WORDS


def prose_units(tree: PageTree, body: int) -> dict[int, list[tuple[int, int]]]:
    """The page's prose paragraph units grouped by the block that holds them:
    {block node: [(unit node, characters)]}, where a `<p>` unit, or the runs of a block with no block
    inside it (a `<div>` used as a paragraph), belongs to its parent, and the runs of a block that also
    holds blocks belong to the element itself. Units under chrome, table cells, list items or hidden
    elements do not count."""
    tags, parent, text, tail, skip = tree.ltag, tree.parent, tree.text, tree.tail, tree.skip
    blocks: dict[int, list[tuple[int, int]]] = {}
    cleared: dict[int, bool] = {}  # node -> no chrome, cell, list item or hidden element at or above it

    def clear(j: int) -> bool:
        path = []
        while j >= 0 and j not in cleared:
            path.append(j)
            j = parent[j]
        ok = cleared.get(j, True)
        for k in reversed(path):
            ok = ok and not skip[k] and tags[k] not in NOT_PROSE
            cleared[k] = ok
        return cleared[path[0]] if path else ok

    for j in range(body, tree.end[body]):
        tag = tags[j]
        if tag == "p":
            if not clear(j):
                continue
            tree.settle(j)  # its text as readability sees it
            el = tree.els[j]
            words = el.text_content()
            if looks_like_prose(words, sum(len(a.text_content()) for a in el.iter("a"))):
                blocks.setdefault(parent[j], []).append((j, len(words.strip())))
        elif tag in BLOCK_TAGS and tag not in ("html", "body"):
            own = len((text[j] or "").strip()) + sum(len((tail[c] or "").strip()) for c in tree.children[j])
            if own < _OWN_TEXT_MIN or not clear(j):
                continue
            runs = sum(n for n in _runs(tree, j) if n)
            if runs:
                # a block with no block inside it is a paragraph, as a <p> is: its parent holds it
                leaf = not any(tags[c] in BLOCK_TAGS for c in tree.children[j])
                blocks.setdefault(parent[j] if leaf else j, []).append((j, runs))
    return blocks


def _runs(tree: PageTree, j: int) -> list[int]:
    """The lengths of element `j`'s prose runs of own text (split at `<br><br>` and at block children);
    0 for a run that is not prose."""
    tags, tail, skip = tree.ltag, tree.tail, tree.skip
    out: list[int] = []
    words: list[str] = [tree.text[j] or ""]
    links = 0
    breaks = 0  # <br> elements since the last words

    def flush() -> None:
        nonlocal links
        run = " ".join(words)
        out.append(len(run.strip()) if looks_like_prose(run, links) else 0)
        words.clear()
        links = 0

    for c in tree.children[j]:
        tag = tags[c]
        if tag == "br":
            breaks += 1
            if breaks == 2:
                flush()
        elif tag in BLOCK_TAGS:
            flush()
            breaks = 0
        elif tag is not None and not skip[c]:
            tree.settle(c)
            el = tree.els[c]
            piece = el.text_content()
            if piece.strip():
                breaks = 0
            words.append(piece)
            links += len(piece) if tag == "a" else sum(len(a.text_content()) for a in el.iter("a"))
        after = tail[c] or ""
        if after.strip():
            breaks = 0
        words.append(after)
    flush()
    return out
