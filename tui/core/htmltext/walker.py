"""The one visible-text walker: a parsed HTML page into a `TextBuilder`, for articles and sources alike.

Blocks become paragraphs, links become anchors with the region of the page they sit in (body, byline, nav,
share, footer); one table of skipped tags (scripts, styles, form controls, embedded media) and one rule for
hidden elements (`is_hidden`) decide what a reader does not see.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.etree
import lxml.html

from ..models import QuoteBlock
from ..textbuilder import TextBuilder

# Elements whose content a reader never sees as text (the one table, for articles and sources).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "embed", "select", "option", "datalist", "textarea", "input", "button", "canvas", "video", "audio",
    "map", "meta", "link",
})  # fmt: skip
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "header", "footer", "nav", "aside",
    "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "address", "details", "summary",
    "form", "fieldset", "center", "body", "html", "hgroup", "legend", "dialog", "menu",
})  # fmt: skip
_CHROME_TAGS = {"nav": "nav", "footer": "footer", "aside": "nav"}
_CLASS_REGIONS = (
    (re.compile(r"share|sharing|social"), "share"),
    (re.compile(r"byline|author|tags|tag-list|taglist|categor"), "byline"),
    (re.compile(r"newsletter|subscribe|signup|sign-up"), "promo"),
    (re.compile(r"related|breadcrumb|menu|navbar"), "nav"),
    (re.compile(r"footer"), "footer"),
)
_ROLE_REGIONS = {"navigation": "nav", "contentinfo": "footer", "banner": "nav", "complementary": "nav"}
_NO_CLASS_HINT_TAGS = {"html", "body", "main", "article"}
_CHROME_TEXT_LIMIT = 800  # a byline or share bar is short; a long block with such a class is content
ID_ATTR = "data-sc-id"
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
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class Walker:
    """Walks an lxml tree into a `TextBuilder`, optionally emitting only selected elements."""

    def __init__(
        self,
        b: TextBuilder,
        *,
        keep: set[str] | None = None,
        sizes: dict | None = None,
        in_quote: bool = False,
        skip_chrome: bool = False,
        chrome_root: lxml.html.HtmlElement | None = None,
        hidden: Callable[[lxml.html.HtmlElement], bool] | None = None,
    ) -> None:
        self.b = b
        self.hidden = hidden  # the page's own stylesheet rules (see hidden.py), beside `is_hidden`
        self._markers: set = set()  # reference markers being walked (their text is a skipped piece)
        self.keep = keep  # ids of elements whose own text is emitted; None = everything
        self.sizes = sizes or {}
        self.base_quote: int | None = self._new_block(None) if in_quote else None
        self._starts: dict[int, int] = {}  # id(element) -> where its text began (q, sup, id targets)
        # li -> its number in an ordered list, keyed by the element (which the dict keeps alive): an id()
        # of lxml's transient proxy could be reused by another element's
        self._ordinals: dict = {}
        self.skip_chrome = skip_chrome
        # Readability drops bylines and share bars; inside this element they are put back, marked by
        # their region, so their links are listed (as boilerplate) like the Markdown version's.
        self.chrome_root = chrome_root

    def _kept(self, el: lxml.html.HtmlElement, region: str, in_chrome_root: bool) -> bool:
        if self.keep is None or el.get(ID_ATTR) in self.keep:
            return True
        if region == "body" and el.tag in ("blockquote", "figure", "p") and self._in_kept_flow(el):
            return True
        return in_chrome_root and region in ("byline", "share", "promo")

    def _in_kept_flow(self, el: lxml.html.HtmlElement) -> bool:
        """A block quote (or its figure) between kept paragraphs is the article's: readability drops
        embedded posts ("tweet" is one of its unlikely-candidate words) and short credit lines after
        them ("— as the minister put it in a speech"), which are the quotation's source."""
        prev, nxt = _element_sibling(el, -1), _element_sibling(el, 1)
        if el.tag == "p":  # a credit line right after a block quote that is kept
            return prev is not None and prev.tag in ("blockquote", "figure") and self._in_kept_flow(prev)
        return any(
            sib is not None and (sib.get(ID_ATTR) in self.keep or sib.tag in ("blockquote", "figure"))
            for sib in (prev, nxt)
        ) and any(
            sib is not None and sib.get(ID_ATTR) in self.keep for sib in (prev, nxt, _element_sibling(el, -2))
        )

    def walk(self, root: lxml.html.HtmlElement, region: str = "body", in_article: bool = False) -> None:
        # An explicit stack, not recursion: real pages nest deeper than Python's recursion limit.
        # Entries: (action, element, region, inside blockquote, inside article/main, parent's text
        # is emitted, inside chrome_root).
        b = self.b
        stack: list[tuple] = [("enter", root, region, self.base_quote, in_article, True, False)]
        while stack:
            action, el, region, in_quote, in_article, parent_kept, in_root = stack.pop()
            if action == "tail":
                if parent_kept and el.tail:
                    if isinstance(el.tag, str) and el.tag.lower() in BLOCK_TAGS and el.tail.strip():
                        b.open_paragraph(block_quote=in_quote is not None, block=in_quote)
                    b.add_text(el.tail)
                continue
            if action == "close":
                self._close(el, in_quote)
                continue
            tag = el.tag if isinstance(el.tag, str) else None
            if tag is None:  # comment / processing instruction: only its tail is text
                if parent_kept and el.tail:
                    b.add_text(el.tail)
                continue
            tag = tag.lower()
            if (
                (tag in SKIP_TAGS and not _shadow_root(el))
                or is_hidden(el)
                or (self.hidden and self.hidden(el))
            ):
                stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
                continue
            region = self._region(el, tag, region, in_article, in_quote is not None)
            if self.skip_chrome and region != "body" and tag in ("nav", "footer", "aside", "header"):
                stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
                continue
            child_in_root = in_root or el is self.chrome_root
            kept = self._kept(el, region, child_in_root)
            if (
                not kept
                and parent_kept
                and (
                    in_quote is not None
                    or tag == "blockquote"
                    or tag not in BLOCK_TAGS  # the words and links of a kept paragraph are kept
                    or (tag == "figcaption" and _after_blockquote(el))
                )
            ):
                # a block quote in kept prose is content, and whole: readability drops embedded posts
                # ("tweet" is one of its unlikely-candidate words) and a <footer> credit line
                kept = True
            in_article = in_article or tag in ("article", "main")
            quote = in_quote
            if tag == "blockquote" and in_quote is None:
                quote = self._new_block(el)
            stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
            stack.append(("close", el, region, quote, in_article, kept, in_root))
            if tag in _MARKER_TAGS and is_reference_marker(el):
                self._markers.add(el)
                b.begin_skip()
            self._open(el, tag, region, quote, kept)
            if kept and el.text:
                b.add_text(el.text)
            for child in reversed(el):
                stack.append(("enter", child, region, quote, in_article, kept, child_in_root))

    def _new_block(self, el) -> int:
        """A new block quote: its id, and what its markup says (embed, permalink, cite)."""
        extras = self.b.extras
        number = len(extras.blocks) + 1
        embed = permalink = cite = None
        if el is not None:
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

    def _open(self, el, tag: str, region: str, quote: int | None, kept: bool) -> None:
        b = self.b
        if kept and (tag in ("q", "sup") or el.get("id")):
            self._starts[id(el)] = b.mark_start()
        if tag in BLOCK_TAGS:
            pre = tag == "pre" and kept
            credit = (quote is not None and tag == "footer") or (
                tag == "figcaption" and _after_blockquote(el)
            )
            if tag == "ol":
                first = int(el.get("start")) if (el.get("start") or "").isdigit() else 1
                for n, li in enumerate(c for c in el if isinstance(c.tag, str) and c.tag.lower() == "li"):
                    self._ordinals[li] = first + n
            b.open_paragraph(
                block_quote=quote is not None,
                pre=pre,
                code=pre and _is_code(el),
                block=quote,
                credit=credit,
                ordinal=self._ordinals.get(el) if tag == "li" else None,
            )
        elif tag == "br":
            if kept:
                b.add_break()
        elif tag in ("td", "th") and kept:
            b.add_text(" ")
        if tag == "a" and el.get("href") is not None:
            a_region = region
            rel = (el.get("rel") or "").lower().split()
            if a_region == "body" and ("author" in rel or "tag" in rel or "category" in rel):
                a_region = "byline"
            b.open_anchor(el.get("href", ""), a_region)

    def _close(self, el, quote: int | None) -> None:
        b = self.b
        if el in self._markers:
            b.end_skip()
        tag = el.tag.lower()
        if tag == "a" and el.get("href") is not None:
            b.close_anchor()
        start = self._starts.pop(id(el), None)
        if start is not None:
            if tag == "q":
                b.add_marked_quote(start, el.get("cite") or None)
            elif tag == "sup" and el.find(".//a") is None:
                m = _NOTE_SUP.fullmatch(el.text_content().strip())
                if m:
                    b.add_note_ref(start, m.group(1), None)
            if el.get("id"):
                b.add_target("#" + el.get("id"), start)
        if tag in BLOCK_TAGS:
            b.close_paragraph()
        if tag == "blockquote" and quote is not None and b.extras.blocks[quote - 1].embed:
            b.set_credit(quote, _embed_frame)

    def _region(self, el, tag: str, region: str, in_article: bool, in_quote: bool = False) -> str:
        if region != "body":
            return region
        if in_quote and tag in ("footer", "cite"):
            return region  # a block quote's credit line: its link names the quotation's source
        if tag in _CHROME_TAGS:
            return _CHROME_TAGS[tag]
        if tag == "header":
            return "byline" if in_article else "nav"
        role = (el.get("role") or "").lower()
        if role in _ROLE_REGIONS:
            return _ROLE_REGIONS[role]
        if tag in _NO_CLASS_HINT_TAGS:
            return region
        hint = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if hint.strip() and self.sizes.get(el, 0) <= _CHROME_TEXT_LIMIT:
            for pattern, name in _CLASS_REGIONS:
                if pattern.search(hint):
                    return name
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


_MARKER_TAGS = frozenset({"sup", "span", "a", "i", "small"})
_BRACKETED = re.compile(r"^\s*\[[^\[\]]{1,40}\]\s*$")  # [4], [a], [note 2], [citation needed], [edit]
_SHORT_MARK = re.compile(r"^\s*[\w*†‡§¶]{1,4}\s*$")  # 4, a, iv, * (a superscript footnote link's text)
_MARKER_CLASS = re.compile(
    r"\b(reference|mw-ref|mw-editsection|noprint|footnote-ref|fn-ref|citation-needed)\b"
)


def is_reference_marker(el) -> bool:
    """A footnote reference or an editorial tag, not words of the sentence it sits in.

    A `[4]`, `[a]`, `[citation needed]` or `[edit]` (an inline element whose whole text is one short
    bracketed piece), or a superscript footnote link (`<sup><a href="#fn4">4</a></sup>`). A bare
    superscript without a link (`m<sup>2</sup>`, `1<sup>st</sup>`) is text.
    """
    if el.tag != "sup" and not _starts_bracket(el) and not _MARKER_CLASS.search(el.get("class") or ""):
        return False  # the cheap test first: most links and spans are neither
    text = el.text_content()
    if len(text) > 48:
        return False
    if _BRACKETED.match(text):
        return True
    if el.tag == "sup" and _SHORT_MARK.match(text):
        return any((a.get("href") or "").startswith("#") for a in el.iter("a"))
    return (
        el.tag in ("sup", "span") and bool(_MARKER_CLASS.search(el.get("class") or "")) and bool(text.strip())
    )


def _embed_frame(text: str, all_link: bool) -> bool:
    """A line of an embed's frame, not of the post: the credit line, the platform's prompts, a short
    line that is nothing but a link ("@wendwatch", "original sound"); a post's text may be one link."""
    return bool(_EMBED_CHROME.match(text)) or (all_link and len(text.split()) <= 8)


def _element_sibling(el, step: int):
    """The element `step` places before (negative) or after (positive), skipping comments and text."""
    node = el
    for _ in range(abs(step)):
        node = node.getprevious() if step < 0 else node.getnext()
        while node is not None and not isinstance(node.tag, str):
            node = node.getprevious() if step < 0 else node.getnext()
        if node is None:
            return None
    return node


def _after_blockquote(el) -> bool:
    """A <figcaption> right after a <blockquote> in its <figure>: the quotation's credit line."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is not None and prev.tag.lower() == "blockquote"


def _starts_bracket(el) -> bool:
    """The element's text begins with "[" (in itself or its first child: `<span><span>[</span>...`)."""
    first = el.text
    if not (first or "").strip() and len(el):
        first = el[0].text
    return (first or "").lstrip().startswith("[")


def _shadow_root(el) -> bool:
    """A declarative shadow root (`<template shadowrootmode=open>`): browsers render it as page content."""
    return el.tag == "template" and (el.get("shadowrootmode") or el.get("shadowroot")) is not None


def is_hidden(el) -> bool:
    """Hidden from the reader by the element itself: the `hidden` attribute, `aria-hidden="true"`, an
    inline `display:none` / `visibility:hidden`, or a `<dialog>` that is not open."""
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    if el.tag == "dialog" and el.get("open") is None:
        return True
    style = el.get("style")
    return bool(style and _DISPLAY_NONE.search(style))


def text_sizes(root) -> dict:
    """Text length under every element, computed bottom-up in one pass."""
    sizes: dict = {}
    for el in reversed(list(root.iter())):
        n = len(el.text or "") if isinstance(el.tag, str) else 0
        for child in el:
            n += sizes.get(child, 0) + len(child.tail or "")
        sizes[el] = n
    return sizes


HTML_PARSER = lxml.html.HTMLParser(huge_tree=True)  # libxml2 otherwise drops text nested 255+ deep


def parse_html(text: str) -> lxml.html.HtmlElement:
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(text, parser=HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring(f"<html><body><pre>{_escape(text)}</pre></body></html>")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
