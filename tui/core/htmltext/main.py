"""A page's main text and title: one readability call path, one sanity check of its choice, one title rule.

Readability (readability-lxml) is run on *our* parse of the page: every element gets an id we stamp on
it, readability's summary tells which ids it kept, and our own walker emits those elements. So offsets,
hrefs and the page's structure (bylines, share bars, navigation) stay ours, and article and source
extraction read a page the same way. When readability's choice is clearly worse than the page's own
`<article>`/`<main>` (or the body's prose), that container wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html

from ..textbuilder import WS, TextBuilder
from .hidden import HiddenRules
from .prose import looks_like_prose, prose_units
from .tree import ID_ATTR, PageTree
from .walker import walk_tree

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # markup a page left inside its <title> as text


@dataclass
class MainText:
    """The main text of a page as a builder (not finished: the caller finishes it), its title, and
    whether readability's choice (True) or the page's own container (False) supplied it."""

    builder: TextBuilder
    title: str | None
    from_readability: bool


def readability_keep(root: lxml.html.HtmlElement) -> set[str]:
    """Ask readability which elements form the main content: the `data-sc-id` values it kept.

    Needs the ids stamped first (`PageTree(root, for_readability=True)`). Never raises: readability's bare
    Exceptions on odd pages mean "no choice" (an empty set).

    Readability is given our tree serialised, not the tree itself (`Document` accepts both): its own parse
    of the serialisation is what it has always read, and differs from our tree where a round trip changes
    the page (it cuts nesting at 256 levels, which also bounds its time on a deeply nested page; the text
    of an `<iframe>` comes back escaped).
    """
    from readability import Document  # imported lazily: slow to import, and only HTML needs it

    html = lxml.html.tostring(root, encoding="unicode")
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on odd pages; fall back to our own walk
        return set()
    # The ids are our own digits in attributes readability copied through: no need to parse again.
    return set(re.findall(rf'{ID_ATTR}="(\d+)"', summary or ""))


def readability_title(tree: PageTree) -> str | None:
    """Readability's cleaned-up `<title>` (its `short_title`), run on our tree: its own re-parses and
    re-cleans the whole page, and the title logic only reads it."""
    from readability.htmls import shorten_title

    try:
        title = shorten_title(_SelectorIndex(tree)) or None
    except Exception:
        return None
    return WS.sub(" ", title).strip() if title and title != "[no-title]" else None


_SIMPLE_SELECTOR = re.compile(r"([#.])(-?[_a-zA-Z][_a-zA-Z0-9-]*)\Z")
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses


class _SelectorIndex:
    """The page's tree for readability's title heuristics, which look up ten `#id` and `.class` selectors:
    each is answered from one index of the page's ids and classes (as lxml's `cssselect` matches them:
    `@id = 'x'`, or 'x' among the class attribute's space-separated names), not by ten passes over the
    tree. Anything else goes to lxml."""

    def __init__(self, tree: PageTree) -> None:
        self._tree = tree
        self._root = tree.root
        self._index: dict[tuple[str, str], list[int]] | None = None

    def cssselect(self, expr: str) -> list:
        simple = _SIMPLE_SELECTOR.match(expr)
        if simple is None:
            return self._root.cssselect(expr)
        if self._index is None:
            self._index = {}
            for i, attrs in enumerate(self._tree.attrs):
                if "id" in attrs:
                    self._index.setdefault(("#", attrs["id"]), []).append(i)
                if "class" in attrs:
                    for name in dict.fromkeys(_XPATH_SPACE.split(attrs["class"])):
                        self._index.setdefault((".", name), []).append(i)
        return [self._tree.els[i] for i in self._index.get((simple.group(1), simple.group(2)), ())]

    def __getattr__(self, name: str):
        return getattr(self._root, name)


def _build(
    tree: PageTree, start: int, *, keep: set[int] | None, skip_chrome: bool = False, chrome_root: int = -1
):
    b = TextBuilder()
    walk_tree(tree, b, start, keep=keep, sized=True, skip_chrome=skip_chrome, chrome_root=chrome_root)
    return b


def _prose_stats(b: TextBuilder) -> tuple[int, int]:
    """Characters and body links in prose paragraphs (long enough, not mostly link text).

    Comparing prose, not raw text, keeps menus and link lists from deciding which extraction won.
    """
    anchors = sorted(b.anchors, key=lambda a: a.start)
    starts = [a.start for a in anchors]
    text_len = links = 0
    for p in b.paragraphs:
        length = p.end - p.start
        if length < 80:
            continue
        lo, hi = bisect_left(starts, p.start), bisect_left(starts, p.end)
        inside = anchors[lo:hi]
        if sum(a.end - a.start for a in inside) > 0.5 * length:
            continue
        text_len += length
        links += sum(1 for a in inside if a.region == "body")
    return text_len, links


def _fallback_container(tree: PageTree, body: int) -> tuple[int, str]:
    """The <article> (largest) or <main> element when the page has one, else the body."""
    articles = [j for j in range(body, tree.end[body]) if tree.tag[j] == "article"]
    if len(articles) > 1:
        articles.sort(key=lambda j: -tree.size(j))  # the largest (the first of equals)
    best = articles[0] if articles else -1
    if best >= 0 and tree.size_at_least(best, 200):
        return best, "article"
    found = tree.first(body, ("main",))
    if found < 0:
        found = next(
            (
                j
                for j in range(body + 1, tree.end[body])
                if tree.tag[j] and tree.attrs[j].get("role") == "main"
            ),
            -1,
        )
    if found >= 0:
        return found, "main"
    return body, "body"


def main_text(root: lxml.html.HtmlElement, *, hidden: HiddenRules | None = None) -> MainText:
    """The page's main text: readability's choice unless the page's own container is clearly better.

    `hidden`: what the stylesheet hides (`hidden.stylesheet_hidden`). Stamps ids on `root`
    and collapses its white space (outside <pre>) as a side effect.
    """
    return read_main_text(PageTree(root, hidden=hidden, for_readability=True))


def read_main_text(tree: PageTree) -> MainText:
    """`main_text` of a page already read into a `PageTree` (made with `for_readability=True`)."""
    root = tree.root
    body_el = root.find("body")
    body = tree.index_of(body_el) if body_el is not None else 0
    keep = tree.nodes_with_sid(readability_keep(root))
    container, container_kind = _fallback_container(tree, body)
    if not keep:
        return MainText(
            _build(tree, container, keep=None, skip_chrome=container_kind == "body"), main_title(tree), False
        )
    chrome_root = container if container_kind != "body" else -1
    primary = _build(tree, body, keep=keep, chrome_root=chrome_root)
    r_len, r_links = _prose_stats(primary)
    # An <article> is a strong signal of where the prose is; <main> often wraps whole pages, and the bare
    # body is full of chrome, so those only win when readability clearly failed.
    share = {"article": 0.5, "main": 0.25}.get(container_kind, 0.1)
    if not _container_cannot_win(tree, container, container_kind, share, r_len, r_links):
        fallback = _build(tree, container, keep=None, skip_chrome=container_kind == "body")
        fb_len, fb_links = _prose_stats(fallback)
        if fb_len == 0:  # no paragraph long enough to count as prose: compare all text instead
            fb_len = sum(p.end - p.start for p in fallback.paragraphs)
            r_len = sum(p.end - p.start for p in primary.paragraphs)
        if r_len < share * fb_len or (
            container_kind == "article" and fb_links >= 3 and r_links < 0.5 * fb_links
        ):
            return MainText(fallback, main_title(tree), False)
    chosen = primary
    widened = _with_missing_prose(tree, body, keep, primary)
    if widened is not None:
        chosen = _build(tree, body, keep=widened, chrome_root=chrome_root)
    return MainText(chosen, main_title(tree), True)


def _container_cannot_win(
    tree: PageTree, container: int, kind: str, share: float, r_prose: int, r_links: int
) -> bool:
    """Whether readability's choice (`r_prose` characters of prose, `r_links` body links in it) stands
    whatever the container's own text turns out to be, so that it need not be walked: the container's
    prose (or, with no prose at all, its text) is at most `tree.written_at_most`, and its body links at
    most its links."""
    if r_prose < share * tree.written_at_most(container):
        return False
    if kind != "article":
        return True
    tags, attrs = tree.ltag, tree.attrs
    links = sum(1 for j in range(container, tree.end[container]) if tags[j] == "a" and "href" in attrs[j])
    return links < 3 or r_links >= 0.5 * links


PROSE_BLOCK_MIN = 300  # characters of prose paragraphs that make a block the page's prose


def _largest_prose_block(tree: PageTree, body: int) -> tuple[int, list[tuple[int, int]]]:
    """The block whose own paragraph units (`prose.prose_units`: `<p>`s, or runs of text between
    `<br><br>`) hold the most prose outside tables, lists and page chrome; (-1, []) when there is none."""
    blocks = prose_units(tree, body)
    if not blocks:
        return -1, []
    block = max(blocks, key=lambda k: sum(n for _, n in blocks[k]))
    return block, blocks[block]


def _judged_by_text(b: TextBuilder) -> tuple[int, int]:
    """(prose, list-like) characters of the paragraphs written into `b`, each judged by its text
    (`prose.looks_like_prose`: sentence ends, words per clause, link share)."""
    text = "".join(b.parts)
    anchors = sorted(b.anchors, key=lambda a: a.start)
    starts = [a.start for a in anchors]
    prose = listy = 0
    for p in b.paragraphs:
        lo, hi = bisect_left(starts, p.start), bisect_left(starts, p.end)
        links = sum(min(a.end, p.end) - a.start for a in anchors[lo:hi])
        if looks_like_prose(text[p.start : p.end], links):
            prose += p.end - p.start
        else:
            listy += p.end - p.start
    return prose, listy


def _with_missing_prose(tree: PageTree, body: int, keep: set[int], primary: TextBuilder) -> set[int] | None:
    """Readability's choice widened by the page's largest prose block when that choice is implausible.

    Implausible: the block (at least PROSE_BLOCK_MIN characters of prose) is not in the choice, and the
    choice is mostly table cells, list items or list-like paragraphs (judged by their text, whatever
    their markup), or holds less than half the block's prose. Readability scores a 60-row signatories
    table (or list, or column of `<div>` rows) above the open letter it follows; the letter is the article.
    """
    block, units = _largest_prose_block(tree, body)
    block_len = sum(n for _, n in units)
    if block < 0 or block_len < PROSE_BLOCK_MIN:
        return None
    if sum(n for node, n in units if node in keep) * 2 >= block_len:
        return None  # the block is (mostly) in readability's choice already
    cells = sum(
        tree.size(j) for j in range(body, tree.end[body]) if tree.tag[j] in ("td", "th", "li") and j in keep
    )
    prose, listy = _judged_by_text(primary)
    listy = max(listy, cells)
    if listy * 2 < primary.length and prose * 2 >= block_len:
        return None  # neither mostly a table or list, nor far shorter than the block
    return keep | {j for j in range(block, tree.end[block]) if tree.tag[j] is not None}


def main_title(tree: PageTree) -> str | None:
    """The page's title by `page_title`'s rule; readability's cleaned-up title is asked for only when
    neither an <h1> nor og:title settles it."""
    root = tree.root
    body = root.find("body")
    return page_title(root, body if body is not None else root, lambda: readability_title(tree))


def page_title(root, body, readability_title: str | Callable[[], str | None] | None) -> str | None:
    """The one title rule: the <h1> that the <title> or og:title contains ("Site | Headline"), else
    og:title (a page's own clean headline), else readability's cleaned-up <title>, else <title>. Markup
    left inside is dropped."""
    doc_title = WS.sub(" ", _TAG.sub("", root.findtext(".//title") or "")).strip()
    og_values = (
        WS.sub(" ", _TAG.sub("", v)).strip() for v in root.xpath("//meta[@property='og:title']/@content")
    )
    og_title = next((t for t in og_values if t), "")
    for h1 in body.iter("h1"):
        text = WS.sub(" ", h1.text_content()).strip()
        if text and (text in doc_title or text in og_title or not (doc_title or og_title)):
            return text
    if og_title:
        return og_title
    if callable(readability_title):
        readability_title = readability_title()
    title = WS.sub(" ", _TAG.sub("", readability_title or "")).strip()
    return title or doc_title or None
