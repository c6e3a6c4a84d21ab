"""A parsed page read once: every node of the lxml tree in flat lists, with the decisions every reading of
the page shares (hidden or not, reference marker or not, the region its class names, its text size).

`PageTree(root)` is the one pass over the lxml tree. The walker (walker.py) then reads the page as often as
it needs (the page's visible text, the fallback container, readability's choice) from these lists, without
touching lxml again, and main.py takes sizes, blocks and containers from them too.

With `for_readability=True` the same pass also numbers every element (`data-sc-id`, readability's choice is
read back by it) and collapses white space in the lxml tree outside `<pre>` (readability re-cleans the text
of every candidate many times over: a 1 MB page gets three times faster). The lists keep the page's own
text: white space is collapsed by the `TextBuilder` anyway, and what depends on it (a reference marker's
length) is decided on both versions.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import lxml.etree
import lxml.html

from ..textbuilder import WS, fold_space
from .hidden import HiddenRules, declarations_hide
from .markers import MARKER_TAGS, marker_by_text, marker_candidate

# Elements whose content a reader never sees as text (the one table, for articles and sources).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "embed", "select", "option", "datalist", "textarea", "input", "button", "canvas", "video", "audio",
    "map", "meta", "link",
})  # fmt: skip
ID_ATTR = "data-sc-id"
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Class/id words that mark page furniture, first match wins: (pattern, region)
CLASS_REGIONS = (
    (re.compile(r"share|sharing|social"), "share"),
    (re.compile(r"byline|author|tags|tag-list|taglist|categor"), "byline"),
    (re.compile(r"newsletter|subscribe|signup|sign-up"), "promo"),
    (re.compile(r"related|breadcrumb|menu|navbar"), "nav"),
    (re.compile(r"footer"), "footer"),
)
_EMPTY: dict = {}


def is_hidden(el) -> bool:
    """Hidden from the reader by the element itself: the `hidden` attribute, `aria-hidden="true"`, an
    inline style that hides it (`hidden.declarations_hide`: display, visibility, the clipped or 1px box,
    off screen), or a `<dialog>` that is not open."""
    return _hidden_by_attributes(el.tag, el.attrib)


def _hidden_by_attributes(tag, attrs) -> bool:
    if attrs.get("hidden") is not None or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if tag == "dialog" and attrs.get("open") is None:
        return True
    style = attrs.get("style")
    return bool(style and declarations_hide(style))


class PageTree:
    """The nodes of an lxml tree (elements, comments, processing instructions) in document order.

    Node `i`'s subtree is the range `i .. end[i] - 1`; `parent[i]` is -1 for the root. Per node: `els`
    (the lxml node, for the rare look-up that needs it), `tag` (as lxml gives it; None for a comment or
    processing instruction), `ltag` (lower case), `text`, `tail` (the page's own, not collapsed), `attrs`
    (a dict), `children`, `skip` (the reader never sees it: a skipped tag, hidden by itself or by the
    page's stylesheet), `marker` (a reference marker, as the page's text reads) and `marker_main` (the
    same on the collapsed text readability and the main text see), `hint` (the furniture region its
    class/id names, see CLASS_REGIONS), `sid` (the number stamped on it, -1 when none). `size(i)` is the
    length of the text under node `i` (collapsed when `for_readability`).

    `hidden` is what the page's stylesheet hides (`hidden.stylesheet_hidden`), or None.
    """

    def __init__(
        self,
        root: lxml.html.HtmlElement,
        *,
        hidden: HiddenRules | None = None,
        for_readability: bool = False,
    ) -> None:
        self.root = root
        self.els = els = []
        self.tag = tags = []
        self.ltag = ltags = []
        self.text = texts = []
        self.tail = tails = []
        self.attrs = attrs_of = []
        self.parent = parents = []
        self.children = children = []
        self.skip = skips = []
        self.marker = markers = []
        self.hint = hints = []
        self.sid = sids = []
        candidates: list[int] = []  # nodes that pass the cheap reference-marker test
        lengths: list[int] = []  # the text's length, collapsed as readability sees it
        tail_lengths: list[int] = []
        # An upper bound of what a walk of the node writes (its text unless it is skipped, a cell's space, a
        # <br>'s line break; a tab in a <pre> becomes four spaces), and the same for its tail
        visible: list[int] = []
        tail_bound: list[int] = []
        # Script and style text left as it is (see `_deferred`), collapsed only if a size or a text under it
        # is asked for: node -> its length now
        self._deferred: dict[int, int] = {}
        index: dict = {}
        hint_cache: dict[str, str | None] = {}
        preformatted: set[int] = set()
        stamped = 0
        stamp = lxml.etree._Element.set  # not HtmlElement.set's Python wrapper
        for el in root.iter():
            i = len(els)
            tag, text, tail = el.tag, el.text, el.tail
            up = el.getparent()
            p = index.get(up, -1) if up is not None else -1
            index[el] = i
            els.append(el)
            parents.append(p)
            children.append([])
            if p >= 0:
                children[p].append(i)
            texts.append(text)
            tails.append(tail)
            if not isinstance(tag, str):  # a comment or processing instruction: only its tail is text
                tags.append(None)
                ltags.append(None)
                attrs_of.append(_EMPTY)
                skips.append(False)
                markers.append(False)
                hints.append(None)
                sids.append(-1)
                if for_readability and p not in preformatted:
                    tail = _collapse(el, None, tail)[1]
                lengths.append(0)
                tail_lengths.append(len(tail) if tail else 0)
                visible.append(0)
                tail_bound.append(_bound(tail))
                continue
            ltag = tag.lower()
            tags.append(tag)
            ltags.append(ltag)
            items = el.items()
            attrs = dict(items) if items else _EMPTY
            attrs_of.append(attrs)
            hint = None
            if attrs:
                skip = (
                    (ltag in SKIP_TAGS and not _shadow_root(tag, attrs))
                    or _hidden_by_attributes(tag, attrs)
                    or bool(hidden and ("class" in attrs or "id" in attrs) and hidden.hides(ltag, attrs))
                )
                key = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
                if key not in hint_cache:
                    hint_cache[key] = _class_region(key)
                hint = hint_cache[key]
            else:
                skip = ltag in SKIP_TAGS or tag == "dialog"
            skips.append(skip)
            hints.append(hint)
            marker = False
            if ltag in MARKER_TAGS and marker_candidate(el):
                candidates.append(i)
                marker = marker_by_text(el)  # before this element's text is collapsed
            markers.append(marker)
            if for_readability:
                if ID_ATTR in attrs:
                    del el.attrib[ID_ATTR]
                stamp(el, ID_ATTR, str(stamped))
                if tag in ("pre", "textarea") or p in preformatted:
                    preformatted.add(i)
                elif text and _deferred(tag, text, attrs):
                    self._deferred[i] = len(text)
                    tail = _collapse(el, None, tail)[1]
                else:
                    text, tail = _collapse(el, text, tail)
            sids.append(stamped if for_readability else -1)
            stamped += 1
            lengths.append(len(text) if text else 0)
            tail_lengths.append(len(tail) if tail else 0)
            visible.append(0 if skip else _bound(text) + (ltag in _ONE_CHARACTER))
            tail_bound.append(_bound(tail))
        n = len(els)
        self.end = ends = list(range(1, n + 1))
        self._size = lengths
        for i in range(n - 1, 0, -1):  # bottom-up: a child's subtree is done before its parent's
            p = parents[i]
            if p >= 0:
                if ends[i] > ends[p]:
                    ends[p] = ends[i]
                lengths[p] += lengths[i] + tail_lengths[i]
                if not skips[p]:
                    visible[p] += visible[i] + tail_bound[i]
        self._deferred_order = list(self._deferred)  # in document order, as they were met
        if for_readability:
            self.marker_main = list(markers)
            for i in candidates:
                self.settle(i)
                self.marker_main[i] = marker_by_text(els[i])
        else:
            self.marker_main = markers
        self._visible, self._tail_bound = visible, tail_bound
        self._index = index
        self._siblings: tuple[list[int], list[int]] | None = None
        self._folded_text: list[str | None] = [None] * n
        self._folded_tail: list[str | None] = [None] * n
        self._by_sid = {str(sid): i for i, sid in enumerate(sids) if sid >= 0}

    def folded_text(self, i: int) -> str:
        """Node `i`'s text as `TextBuilder.add_text` folds it outside `<pre>` (computed once per page)."""
        folded = self._folded_text[i]
        if folded is None:
            folded = self._folded_text[i] = fold_space(self.text[i] or "")
        return folded

    def folded_tail(self, i: int) -> str:
        """Node `i`'s tail as `TextBuilder.add_text` folds it outside `<pre>` (computed once per page)."""
        folded = self._folded_tail[i]
        if folded is None:
            folded = self._folded_tail[i] = fold_space(self.tail[i] or "")
        return folded

    def written_at_most(self, i: int) -> int:
        """An upper bound of the text a walk of node `i` with everything kept writes, its tail included:
        the sum of its paragraphs' lengths is never more."""
        return self._visible[i] + self._tail_bound[i]

    def size(self, i: int) -> int:
        """The length of the text under node `i` (its tail not included), as `text_sizes` counted it."""
        self.settle(i)
        return self._size[i]

    def size_at_most(self, i: int, limit: int) -> bool:
        """Whether `size(i) <= limit`, settling deferred text only when the answer depends on it."""
        if self._size[i] <= limit:  # deferred text only shrinks when collapsed
            return True
        self.settle(i)
        return self._size[i] <= limit

    def size_at_least(self, i: int, limit: int) -> bool:
        """Whether `size(i) >= limit`, settling deferred text only when the answer depends on it."""
        if self._size[i] < limit:
            return False
        order, deferred = self._deferred_order, self._deferred
        unsettled = sum(
            deferred.get(j, 0) for j in order[bisect_left(order, i) : bisect_left(order, self.end[i])]
        )
        if self._size[i] - unsettled >= limit:  # enough without any deferred text
            return True
        self.settle(i)
        return self._size[i] >= limit

    def settle(self, i: int) -> None:
        """Collapse the deferred script and style text under node `i`, as every other text already is."""
        deferred = self._deferred
        if not deferred:
            return
        order, end = self._deferred_order, self.end[i]
        for j in order[bisect_left(order, i) : bisect_left(order, end)]:
            before = deferred.pop(j, None)
            if before is None:
                continue
            text = _collapse(self.els[j], self.text[j], None)[0]
            delta = before - len(text)
            while delta and j >= 0:
                self._size[j] -= delta
                j = self.parent[j]

    def __len__(self) -> int:
        return len(self.els)

    def nodes_with_sid(self, sids: set[str]) -> set[int]:
        """The nodes stamped with these `data-sc-id` values (readability's choice, read back)."""
        return {self._by_sid[s] for s in sids if s in self._by_sid}

    def index_of(self, el) -> int:
        """The node index of an lxml node of this tree (-1 when it is not in it)."""
        return self._index.get(el, -1)

    def element_sibling(self, i: int, step: int) -> int:
        """The element `step` places before (negative) or after (positive) element `i`, skipping comments
        and processing instructions; -1 when there is none (the root has none)."""
        if self._siblings is None:
            prev, nxt = [-1] * len(self.els), [-1] * len(self.els)
            for kids in self.children:
                last = -1
                for c in kids:
                    if self.tag[c] is not None:
                        prev[c] = last
                        if last >= 0:
                            nxt[last] = c
                        last = c
            self._siblings = (prev, nxt)
        links = self._siblings[0] if step < 0 else self._siblings[1]
        for _ in range(abs(step)):
            i = links[i]
            if i < 0:
                break
        return i

    def first(self, start: int, tags: tuple[str, ...]) -> int:
        """The first element strictly inside node `start`'s subtree whose tag is one of `tags` (-1: none)."""
        for j in range(start + 1, self.end[start]):
            if self.tag[j] in tags:
                return j
        return -1


_ONE_CHARACTER = frozenset({"td", "th", "br"})  # the walker writes a space or a line break for each


def _bound(text: str | None) -> int:
    """At most how many characters `TextBuilder.add_text` writes for `text` (collapsing only shrinks it;
    inside a <pre> a tab becomes four spaces)."""
    if not text:
        return 0
    return len(text) + 3 * text.count("\t") if "\t" in text else len(text)


def _deferred(tag: str, text: str, attrs: dict) -> bool:
    """Script or style text that is left as it is until something measures it: readability drops it
    unread, and the walker skips it; only the size of what holds it counts it. Not when it holds "</" or
    "<!--" (white space there could change how readability's parser reads the page back), nor JSON (read
    as data by others)."""
    if tag not in ("script", "style") or "</" in text or "<!--" in text:
        return False
    return "json" not in (attrs.get("type") or "").lower()


def _class_region(hint: str) -> str | None:
    if not hint.strip():
        return None
    for pattern, name in CLASS_REGIONS:
        if pattern.search(hint):
            return name
    return None


def _shadow_root(tag, attrs) -> bool:
    """A declarative shadow root (`<template shadowrootmode=open>`): browsers render it as page content."""
    return tag == "template" and (attrs.get("shadowrootmode") or attrs.get("shadowroot")) is not None


def _collapse(el, text: str | None, tail: str | None) -> tuple[str | None, str | None]:
    """Collapse white space in an element's text and tail in the lxml tree; returns them as they are now.

    lxml refuses to *set* text holding control characters a page's bytes carried in (and drops the old text
    when it refuses): such text is left as it is.
    """
    if text:
        collapsed = WS.sub(" ", text)
        if collapsed != text and not _NOT_XML.search(text):
            el.text = text = collapsed
    if tail:
        collapsed = WS.sub(" ", tail)
        if collapsed != tail and not _NOT_XML.search(tail):
            el.tail = tail = collapsed
    return text, tail
