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
from dataclasses import dataclass

import lxml.html

from ..textbuilder import WS, TextBuilder
from .walker import ID_ATTR, Walker, text_sizes

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # markup a page left inside its <title> as text


@dataclass
class MainText:
    """The main text of a page as a builder (not finished: the caller finishes it), its title, and
    whether readability's choice (True) or the page's own container (False) supplied it."""

    builder: TextBuilder
    title: str | None
    from_readability: bool


def stamp_ids(root: lxml.html.HtmlElement) -> None:
    """Give every element a fresh `data-sc-id` (a page's own copies of the attribute are dropped)."""
    ids = 0
    for el in root.iter():
        if isinstance(el.tag, str):
            el.attrib.pop(ID_ATTR, None)
            el.set(ID_ATTR, str(ids))
            ids += 1


def readability_keep(root: lxml.html.HtmlElement) -> tuple[str | None, set[str]]:
    """Ask readability which elements form the main content: (its short title, kept element ids).

    Needs `stamp_ids(root)` first. Never raises: readability's bare Exceptions on odd pages mean "no
    choice" (an empty set).
    """
    from readability import Document  # imported lazily: slow to import, and only HTML needs it
    from readability.htmls import shorten_title

    # Readability re-cleans whitespace of every candidate's text many times over; collapsing it
    # first makes a 1 MB page three times faster and changes nothing we extract (we collapse too).
    # a set of the elements themselves, not of id(): lxml's proxies are made on access and freed after,
    # so an id() could be reused by another element's proxy (collapsing a <pre> at random)
    preformatted = {el for pre in root.iter("pre", "textarea") for el in pre.iter()}
    for el in root.iter():
        if el in preformatted:
            continue
        # lxml refuses to *set* text holding control characters a page's bytes carried in (and drops the
        # old text when it refuses): such text is left as it is
        text, tail = el.text, el.tail
        if text and isinstance(el.tag, str):
            collapsed = WS.sub(" ", text)
            if collapsed != text and not _NOT_XML.search(text):
                el.text = collapsed
        if tail:
            collapsed = WS.sub(" ", tail)
            if collapsed != tail and not _NOT_XML.search(tail):
                el.tail = collapsed
    html = lxml.html.tostring(root, encoding="unicode")
    try:
        # Readability's own short_title() re-parses and re-cleans the whole page; its title logic
        # only reads the tree, so run it on ours (a 1 MB page loads ~0.4 s faster).
        title = shorten_title(root) or None
    except Exception:
        title = None
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on odd pages; fall back to our own walk
        return title, set()
    title = WS.sub(" ", title).strip() if title and title != "[no-title]" else None
    # The ids are our own digits in attributes readability copied through: no need to parse again.
    keep = set(re.findall(rf'{ID_ATTR}="(\d+)"', summary or ""))
    return title, keep


def _build(
    root, *, keep: set[str] | None, sizes: dict, skip_chrome: bool = False, chrome_root=None, hidden=None
):
    b = TextBuilder()
    Walker(b, keep=keep, sizes=sizes, skip_chrome=skip_chrome, chrome_root=chrome_root, hidden=hidden).walk(
        root
    )
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


def _fallback_container(body, sizes: dict):
    """The <article> (largest) or <main> element when the page has one, else the body."""
    best = None
    for el in body.iter("article"):
        if best is None or sizes.get(el, 0) > sizes.get(best, 0):
            best = el
    if best is not None and sizes.get(best, 0) >= 200:
        return best, "article"
    for xpath in (".//main", ".//*[@role='main']"):
        found = body.xpath(xpath)
        if found:
            return found[0], "main"
    return body, "body"


def main_text(root: lxml.html.HtmlElement, *, hidden=None) -> MainText:
    """The page's main text: readability's choice unless the page's own container is clearly better.

    Stamps ids on `root` and collapses its whitespace (outside <pre>) as a side effect.
    """
    stamp_ids(root)
    body = root.find("body")
    if body is None:
        body = root
    title, keep = readability_keep(root)
    sizes = text_sizes(root)

    container, container_kind = _fallback_container(body, sizes)
    fallback = _build(container, keep=None, sizes=sizes, skip_chrome=container_kind == "body", hidden=hidden)
    fb_len, fb_links = _prose_stats(fallback)
    tiny = fb_len == 0  # no paragraph long enough to count as prose: compare all text instead
    if tiny:
        fb_len = sum(p.end - p.start for p in fallback.paragraphs)
    chosen, from_readability = fallback, False
    if keep:
        chrome_root = container if container_kind != "body" else None
        primary = _build(body, keep=keep, sizes=sizes, chrome_root=chrome_root, hidden=hidden)
        r_len, r_links = _prose_stats(primary)
        if tiny:
            r_len = sum(p.end - p.start for p in primary.paragraphs)
        # An <article> is a strong signal of where the prose is; <main> often wraps whole pages,
        # and the bare body is full of chrome, so those only win when readability clearly failed.
        share = {"article": 0.5, "main": 0.25}.get(container_kind, 0.1)
        use_fallback = r_len < share * fb_len or (
            container_kind == "article" and fb_links >= 3 and r_links < 0.5 * fb_links
        )
        if not use_fallback:
            chosen, from_readability = primary, True
            widened = _with_missing_prose(body, keep, sizes, primary)
            if widened is not None:
                chosen = _build(body, keep=widened, sizes=sizes, chrome_root=chrome_root, hidden=hidden)
    return MainText(chosen, page_title(root, body, title), from_readability)


_NOT_PROSE = frozenset({"td", "th", "li", "nav", "footer", "aside", "header", "figcaption", "form"})
PROSE_BLOCK_MIN = 300  # characters of <p> text that make a block the page's prose


def _largest_prose_block(body) -> tuple[object | None, int]:
    """The element whose own <p> children hold the most text outside tables, lists and page chrome
    (paragraphs that are mostly link text do not count)."""
    totals: dict = {}
    for p in body.iter("p"):
        if any(isinstance(a.tag, str) and a.tag in _NOT_PROSE for a in p.iterancestors()):
            continue
        text = len(p.text_content().strip())
        if sum(len(a.text_content()) for a in p.iter("a")) * 2 > text:
            continue  # mostly link text: a list of names or links, not prose
        parent = p.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + text
    if not totals:
        return None, 0
    block = max(totals, key=totals.__getitem__)
    return block, totals[block]


def _with_missing_prose(body, keep: set[str], sizes: dict, primary: TextBuilder) -> set[str] | None:
    """Readability's choice widened by the page's largest prose block when that choice is implausible.

    Implausible: the block (at least PROSE_BLOCK_MIN characters of paragraphs) is not in the choice, and
    the choice is mostly table cells or list items, or holds less than half the block's prose. Readability
    scores a 60-row signatories table above the open letter it follows; the letter is the article.
    """
    block, block_len = _largest_prose_block(body)
    if block is None or block_len < PROSE_BLOCK_MIN:
        return None
    paragraphs = [p for p in block if isinstance(p.tag, str) and p.tag == "p"]
    if sum(p.get(ID_ATTR) in keep for p in paragraphs) * 2 >= len(paragraphs):
        return None  # the block is (mostly) in readability's choice already
    cells = sum(sizes.get(el, 0) for el in body.iter("td", "th", "li") if el.get(ID_ATTR) in keep)
    prose, _ = _prose_stats(primary)
    if cells * 2 < primary.length and prose * 2 >= block_len:
        return None  # neither mostly a table or list, nor far shorter than the block
    return keep | {el.get(ID_ATTR) for el in block.iter() if isinstance(el.tag, str)}


def page_title(root, body, readability_title: str | None) -> str | None:
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
    title = WS.sub(" ", _TAG.sub("", readability_title or "")).strip()
    return og_title or title or doc_title or None
