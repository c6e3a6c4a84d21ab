"""Markdown articles: the CommonMark token stream (markdown-it-py) written into a `TextBuilder`, so
offsets stay exact; inline HTML links and HTML blocks are walked like an HTML page's."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt

from ..htmltext import HTML_PARSER, Walker
from ..models import Article
from ..textbuilder import TextBuilder

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BASE_COMMENT = re.compile(r"<!--\s*base:\s*(\S+?)\s*-->", re.IGNORECASE)
_HTML_OPEN_A = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.enable("table")
    md.enable("strikethrough")
    md.validateLink = lambda url: True  # keep javascript:/file: links: we classify them, never follow
    md.normalizeLink = lambda url: url  # keep hrefs as the author wrote them
    return md


def from_markdown(text: str, *, location: str, base_url: str | None) -> Article:
    title: str | None = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        for line in fm.group(1).splitlines():
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip().lower() == "title" and value:
                title = value
            elif key.strip().lower() in ("base", "base_url", "url", "canonical") and value and not base_url:
                base_url = value
        text = text[fm.end() :]
    m = _BASE_COMMENT.search(text)
    if m and not base_url:
        base_url = m.group(1)

    b = TextBuilder()
    tokens = _markdown_parser().parse(text)
    quote_depth = 0
    heading_level: str | None = None
    first_h1: str | None = None
    h1_start = 0
    for tok in tokens:
        t = tok.type
        if t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t in ("paragraph_open", "heading_open", "tr_open"):
            b.open_paragraph(block_quote=quote_depth > 0)
            if t == "heading_open":
                heading_level = tok.tag
                h1_start = b.length
        elif t in ("paragraph_close", "tr_close"):
            b.close_paragraph()
        elif t == "heading_close":
            b.close_paragraph()
            if heading_level == "h1" and first_h1 is None:
                first_h1 = "".join(b.parts)[h1_start:].strip()
            heading_level = None
        elif t in ("th_open", "td_open"):
            b.add_text(" ")
        elif t == "inline":
            _markdown_inline(b, tok.children or [])
        elif t in ("fence", "code_block"):
            b.open_paragraph(block_quote=quote_depth > 0, pre=True, code=True)
            b.add_text(tok.content)
            b.close_paragraph()
        elif t == "html_block":
            _html_fragment_into(b, tok.content, block_quote=quote_depth > 0)
        elif t == "hr":
            b.close_paragraph()
    out, paragraphs, anchors = b.finish()
    title = title or (first_h1 or None)
    return Article(location, title, out, paragraphs, anchors, base_url)


def _markdown_inline(b: TextBuilder, children: Iterable) -> None:
    for c in children:
        t = c.type
        if t == "text" or t == "code_inline":
            b.add_text(c.content)
        elif t == "softbreak":
            b.add_text(" ")
        elif t == "hardbreak":
            b.add_break()
        elif t == "link_open":
            b.open_anchor(str(c.attrs.get("href", "")), "body")
        elif t == "link_close":
            b.close_anchor()
        elif t == "image":
            continue  # alt text is not part of the prose
        elif t == "html_inline":
            tag = c.content.strip().lower()
            m = _HTML_OPEN_A.match(c.content.strip())
            if m:
                href = next(g for g in m.groups() if g is not None)
                b.open_anchor(html_lib.unescape(href), "body")
            elif tag.startswith("</a"):
                b.close_anchor()
            elif re.match(r"<br\b", tag):
                b.add_break()


def _html_fragment_into(b: TextBuilder, html: str, *, block_quote: bool) -> None:
    try:
        wrapped = f"<html><body><div>{html}</div></body></html>"
        doc = lxml.html.document_fromstring(wrapped, parser=HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return
    root = doc.find("body")
    if root is None:
        return
    Walker(b, in_quote=block_quote).walk(root)
    b.close_paragraph()
