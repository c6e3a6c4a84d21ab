"""The one visible-text walker: a parsed HTML page into a `TextBuilder`, for articles and sources alike.

Blocks become paragraphs, links become anchors with the region of the page they sit in (body, byline, nav,
share, footer); one table of skipped tags (scripts, styles, form controls, embedded media) and one rule for
hidden elements (`tree.is_hidden`) decide what a reader does not see.

The walk reads a `PageTree` (tree.py: the lxml tree read once, with the decisions every reading shares), so
one page can be read several ways (all its visible text, a container, readability's choice) at the cost of
one pass over lxml. `walk_tree` is the walk; `Walker` walks an lxml element (it reads it into a tree first).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ..models import QuoteBlock
from ..textbuilder import TextBuilder
from .hidden import HiddenRules
from .markers import is_reference_marker
from .tree import ID_ATTR, SKIP_TAGS, PageTree, is_hidden

__all__ = [
    "BLOCK_TAGS",
    "HTML_PARSER",
    "ID_ATTR",
    "SKIP_TAGS",
    "Walker",
    "is_hidden",
    "is_reference_marker",
    "parse_html",
    "walk_tree",
]

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "header", "footer", "nav", "aside",
    "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "address", "details", "summary",
    "form", "fieldset", "center", "body", "html", "hgroup", "legend", "dialog", "menu",
})  # fmt: skip
_CHROME_TAGS = {"nav": "nav", "footer": "footer", "aside": "nav"}
_SKIPPABLE_CHROME = frozenset({"nav", "footer", "aside", "header"})
_ROLE_REGIONS = {"navigation": "nav", "contentinfo": "footer", "banner": "nav", "complementary": "nav"}
_NO_CLASS_HINT_TAGS = {"html", "body", "main", "article"}
_CHROME_TEXT_LIMIT = 800  # a byline or share bar is short; a long block with such a class is content
# Embed markup of the platforms whose posts articles quote: class on the <blockquote> -> platform
_EMBED_CLASSES = (
    ("twitter-tweet", "x"), ("twitter-video", "x"), ("x-tweet", "x"), ("instagram-media", "instagram"),
    ("mastodon-embed", "mastodon"), ("bluesky-embed", "bluesky"), ("fb-xfbml-parse-ignore", "facebook"),
    ("text-post-media", "threads"), ("tiktok-embed", "tiktok"), ("reddit-embed", "reddit"),
)  # fmt: skip
_PERMALINK_ATTRS = (
    "data-instgrm-permalink",
    "data-text-post-permalink",
    "data-embed-url",
    "data-href",
    "cite",
)
# Lines of an embed that are its frame, not the post: the credit line and the platforms' prompts
_EMBED_CHROME = re.compile(
    r"\s*(?:[—–―~]|--?\s|A post shared by|Posted by|View (?:this post )?on|Post by @|See (?:this|more)|"
    r"Watch on|Voir cette publication|Diesen Beitrag|Ver esta publicación)",
    re.IGNORECASE,
)
_NOTE_SUP = re.compile(r"\[?(\d{1,3})\]?")
_ENTER, _CLOSE, _TAIL = 0, 1, 2


class Walker:
    """Walks an lxml element (and its tail) into a `TextBuilder`: all its visible text.

    `in_quote` makes everything one block quote (a Markdown `>` holding HTML); `hidden` is the page
    stylesheet's rules (`hidden.stylesheet_hidden`), whose elements are hidden too.
    """

    def __init__(
        self,
        b: TextBuilder,
        *,
        in_quote: bool = False,
        hidden: HiddenRules | None = None,
    ) -> None:
        self.b = b
        self.in_quote = in_quote
        self.hidden = hidden

    def walk(self, root: lxml.html.HtmlElement, region: str = "body", in_article: bool = False) -> None:
        walk_tree(
            PageTree(root, hidden=self.hidden),
            self.b,
            0,
            in_quote=self.in_quote,
            region=region,
            in_article=in_article,
        )


def walk_tree(
    tree: PageTree,
    b: TextBuilder,
    start: int,
    *,
    keep: set[int] | None = None,
    sized: bool = False,
    markers: list[bool] | None = None,
    skip_chrome: bool = False,
    chrome_root: int = -1,
    in_quote: bool = False,
    region: str = "body",
    in_article: bool = False,
) -> None:
    """Write node `start` of `tree` (and its tail) into `b`.

    `keep`: the nodes whose own text is emitted (None: all; readability's choice otherwise, see
    `_View._kept`); `sized`: a long block whose class names page furniture stays content (False: every
    such block is furniture); `markers`: which nodes are reference markers
    (`tree.marker_main` by default); `skip_chrome`: leave out navigation, footers, asides and page headers;
    `chrome_root`: the node inside which bylines and share bars are put back (readability drops them);
    `in_quote`: everything is one block quote.
    """
    view = _View(tree, b, keep, sized, tree.marker_main if markers is None else markers, chrome_root)
    view.walk(start, region, in_article, skip_chrome, in_quote)


class _View:
    """One reading of a `PageTree` into one builder (the state of one walk)."""

    def __init__(self, tree: PageTree, b: TextBuilder, keep, sized: bool, markers, chrome_root: int) -> None:
        self.t = tree
        self.b = b
        self.keep = keep
        self.sized = sized
        self.markers = markers
        self.chrome_root = chrome_root
        self._skipping: set[int] = set()  # reference markers being walked (their text is a skipped piece)
        self._starts: dict[int, int] = {}  # node -> where its text began (q, sup, id targets)
        self._ordinals: dict[int, int] = {}  # li node -> its number in an ordered list
        self._cites: set[int] = set()  # <cite> children of a <blockquote>: its credit line, a paragraph

    def walk(self, start: int, region: str, in_article: bool, skip_chrome: bool, in_quote: bool) -> None:
        # An explicit stack, not recursion: real pages nest deeper than Python's recursion limit.
        # Entries: (action, node, region, block quote, inside article/main, parent's text is emitted,
        # inside chrome_root).
        t, b, markers = self.t, self.b, self.markers
        ltags, children, skip = t.ltag, t.children, t.skip
        text, tail = t.folded_text, t.folded_tail
        base_quote = self._new_block(None) if in_quote else None
        stack: list[tuple] = [(_ENTER, start, region, base_quote, in_article, True, False)]
        push, pop = stack.append, stack.pop
        while stack:
            action, i, region, quote, in_article, parent_kept, in_root = pop()
            if action == _TAIL:
                if parent_kept and t.tail[i]:
                    self._tail(i, quote)
                continue
            if action == _CLOSE:
                self._close(i, quote)
                continue
            tag = ltags[i]
            if tag is None:  # comment / processing instruction: only its tail is text
                if parent_kept and t.tail[i]:
                    b.add_text(t.tail[i], tail(i))
                continue
            if skip[i]:
                if parent_kept and t.tail[i]:
                    self._tail(i, quote)
                continue
            region = self._region(i, tag, region, in_article, quote is not None)
            if skip_chrome and region != "body" and tag in _SKIPPABLE_CHROME:
                if parent_kept and t.tail[i]:
                    self._tail(i, quote)
                continue
            child_in_root = in_root or i == self.chrome_root
            kept = self._kept(i, region, child_in_root)
            if (
                not kept
                and parent_kept
                and (
                    quote is not None
                    or tag == "blockquote"
                    or tag not in BLOCK_TAGS  # the words and links of a kept paragraph are kept
                    or (tag == "figcaption" and _after_blockquote(t.els[i]))
                )
            ):
                # a block quote in kept prose is content, and whole: readability drops embedded posts
                # ("tweet" is one of its unlikely-candidate words) and a <footer> credit line
                kept = True
            in_article = in_article or tag in ("article", "main")
            own_quote = quote
            if tag == "blockquote" and quote is None:
                own_quote = self._new_block(i)
            kids = children[i]
            if kids:
                push((_TAIL, i, region, quote, in_article, parent_kept, in_root))
                push((_CLOSE, i, region, own_quote, in_article, kept, in_root))
            if markers[i]:
                self._skipping.add(i)
                b.begin_skip()
            self._open(i, tag, region, own_quote, kept)
            if kept and t.text[i]:
                b.add_text(t.text[i], text(i))
            if kids:
                for child in reversed(kids):
                    push((_ENTER, child, region, own_quote, in_article, kept, child_in_root))
            else:  # a leaf: it closes, and its tail follows, right away
                self._close(i, own_quote)
                if parent_kept and t.tail[i]:
                    self._tail(i, quote)

    def _tail(self, i: int, quote: int | None) -> None:
        """The text after element `i`'s end tag, in its parent (whose text is emitted); a block's tail
        that holds words is a paragraph of its own."""
        b, t = self.b, self.t
        if (t.ltag[i] in BLOCK_TAGS or i in self._cites) and t.tail[i].strip():
            b.open_paragraph(block_quote=quote is not None, block=quote)
        b.add_text(t.tail[i], t.folded_tail(i))

    def _kept(self, i: int, region: str, in_chrome_root: bool) -> bool:
        if self.keep is None or i in self.keep:
            return True
        if region == "body" and self.t.tag[i] in ("blockquote", "figure", "p") and self._in_kept_flow(i):
            return True
        return in_chrome_root and region in ("byline", "share", "promo")

    def _in_kept_flow(self, i: int) -> bool:
        """A block quote (or its figure) between kept paragraphs is the article's: readability drops
        embedded posts ("tweet" is one of its unlikely-candidate words) and short credit lines after
        them ("— as the minister put it in a speech"), which are the quotation's source."""
        t, keep = self.t, self.keep
        prev, nxt = t.element_sibling(i, -1), t.element_sibling(i, 1)
        if t.tag[i] == "p":  # a credit line right after a block quote that is kept
            return prev >= 0 and t.tag[prev] in ("blockquote", "figure") and self._in_kept_flow(prev)
        return any(
            s >= 0 and (s in keep or t.tag[s] in ("blockquote", "figure")) for s in (prev, nxt)
        ) and any(s >= 0 and s in keep for s in (prev, nxt, t.element_sibling(i, -2)))

    def _new_block(self, i: int | None) -> int:
        """A new block quote: its id, and what its markup says (embed, permalink, cite)."""
        extras = self.b.extras
        number = len(extras.blocks) + 1
        embed = permalink = cite = None
        if i is not None:
            el = self.t.els[i]
            parent = el.getparent()
            classes = f"{el.get('class') or ''} {(parent.get('class') or '') if parent is not None else ''}"
            classes = classes.lower()
            embed = next((name for key, name in _EMBED_CLASSES if key in classes), None)
            if embed is None and "fb-post" in classes:
                embed = "facebook"
            for node in (el, parent):
                for attr in _PERMALINK_ATTRS if embed else ():
                    value = node.get(attr) if node is not None else None
                    if value and value.startswith("http") and permalink is None:
                        permalink = value.removesuffix("/embed")
            cite = el.get("cite") or None
        extras.blocks.append(QuoteBlock(number, embed, permalink, cite))
        return number

    def _open(self, i: int, tag: str, region: str, quote: int | None, kept: bool) -> None:
        b, attrs = self.b, self.t.attrs[i]
        if kept and (tag in ("q", "sup") or attrs.get("id")):
            self._starts[i] = b.mark_start()
        if tag == "cite" and quote is not None and _parent_tag(self.t.els[i]) == "blockquote":
            self._cites.add(i)  # "<blockquote><p>…</p><cite><a>Resolution 64/292</a></cite>": the credit
        if tag in BLOCK_TAGS or i in self._cites:
            pre = tag == "pre" and kept
            credit = (quote is not None and tag in ("footer", "cite")) or (
                tag == "figcaption" and _after_blockquote(self.t.els[i])
            )
            if tag == "ol":
                start = attrs.get("start") or ""
                try:
                    first = int(start) if start.isdigit() else 1
                except ValueError:  # "²" is a digit that int() refuses; so is a number of 5,000 digits
                    first = 1
                items = (c for c in self.t.children[i] if self.t.ltag[c] == "li")
                for n, li in enumerate(items):
                    self._ordinals[li] = first + n
            b.open_paragraph(
                block_quote=quote is not None,
                pre=pre,
                code=pre and _is_code(self.t.els[i]),
                block=quote,
                credit=credit,
                ordinal=self._ordinals.get(i) if tag == "li" else None,
            )
        elif tag == "br":
            if kept:
                b.add_break()
        elif tag in ("td", "th") and kept:
            b.add_text(" ")
        if tag == "a" and attrs.get("href") is not None:
            a_region = region
            rel = (attrs.get("rel") or "").lower().split()
            if a_region == "body" and ("author" in rel or "tag" in rel or "category" in rel):
                a_region = "byline"
            b.open_anchor(attrs.get("href", ""), a_region)

    def _close(self, i: int, quote: int | None) -> None:
        b, t = self.b, self.t
        if i in self._skipping:
            b.end_skip()
        tag, attrs = t.ltag[i], t.attrs[i]
        if tag == "a" and attrs.get("href") is not None:
            b.close_anchor()
        start = self._starts.pop(i, None)
        if start is not None:
            if tag == "q":
                b.add_marked_quote(start, attrs.get("cite") or None)
            elif tag == "sup" and t.first(i, ("a",)) < 0:
                m = _NOTE_SUP.fullmatch(t.els[i].text_content().strip())
                if m:
                    b.add_note_ref(start, m.group(1), None)
            if attrs.get("id"):
                b.add_target("#" + attrs["id"], start)
        if tag in BLOCK_TAGS or i in self._cites:
            b.close_paragraph()
        if tag == "blockquote" and quote is not None and b.extras.blocks[quote - 1].embed:
            b.set_credit(quote, _embed_frame)

    def _region(self, i: int, tag: str, region: str, in_article: bool, in_quote: bool) -> str:
        if region != "body":
            return region
        if in_quote and tag in ("footer", "cite"):
            return region  # a block quote's credit line: its link names the quotation's source
        if tag in _CHROME_TAGS:
            return _CHROME_TAGS[tag]
        if tag == "header":
            return "byline" if in_article else "nav"
        role = (self.t.attrs[i].get("role") or "").lower()
        if role in _ROLE_REGIONS:
            return _ROLE_REGIONS[role]
        if tag in _NO_CLASS_HINT_TAGS:
            return region
        hint = self.t.hint[i]
        if hint is not None and (not self.sized or self.t.size_at_most(i, _CHROME_TEXT_LIMIT)):
            return hint
        return region


_CODE_CLASS = re.compile(
    r"\b(code|highlight|sourcecode|syntax|lang(uage)?-\w+|hljs|prettyprint)", re.IGNORECASE
)


def _is_code(pre) -> bool:
    """A <pre> that holds code (its quote marks are syntax), not preformatted prose such as an RFC or
    a poem: it wraps a <code> element or carries a code-highlighting class."""
    if pre.find(".//code") is not None:
        return True
    for el in (pre, pre.getparent()):
        if el is not None and _CODE_CLASS.search(f"{el.get('class') or ''} {el.get('lang') or ''}"):
            return True
    return False


def _embed_frame(text: str, all_link: bool) -> bool:
    """A line of an embed's frame, not of the post: the credit line, the platform's prompts, a short
    line that is nothing but a link ("@wendwatch", "original sound"); a post's text may be one link."""
    return bool(_EMBED_CHROME.match(text)) or (all_link and len(text.split()) <= 8)


def _parent_tag(el) -> str:
    parent = el.getparent()
    return parent.tag.lower() if parent is not None and isinstance(parent.tag, str) else ""


def _after_blockquote(el) -> bool:
    """A <figcaption> right after a <blockquote> in its <figure>: the quotation's credit line."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is not None and prev.tag.lower() == "blockquote"


HTML_PARSER = lxml.html.HTMLParser(huge_tree=True)  # libxml2 otherwise drops text nested 255+ deep


def parse_html(text: str) -> lxml.html.HtmlElement:
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(text, parser=HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring(f"<html><body><pre>{_escape(text)}</pre></body></html>")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
