"""Markdown articles: the CommonMark token stream (markdown-it-py) written into a `TextBuilder`, so
offsets stay exact; inline HTML links and HTML blocks are walked like an HTML page's."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import replace

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from ..htmltext import HTML_PARSER, Walker
from ..language import primary
from ..models import Article, QuoteBlock
from ..textbuilder import TextBuilder
from .dates import front_matter_published
from .text import add_with_bare_urls

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BASE_COMMENT = re.compile(r"<!--\s*base:\s*(\S+?)\s*-->", re.IGNORECASE)
_HTML_OPEN_A = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(footnote_plugin)  # [^1] footnotes, as GFM and Pandoc write them
    md.enable("table")
    md.enable("strikethrough")
    md.validateLink = lambda url: True  # keep javascript:/file: links: we classify them, never follow
    md.normalizeLink = lambda url: url  # keep hrefs as the author wrote them
    return md


def from_markdown(text: str, *, location: str, base_url: str | None) -> Article:
    """A Markdown article: CommonMark with tables, strikethrough and footnotes; bare URLs are links (as
    GitHub's autolinks make them); a front matter may give `title`, `lang`/`language` and `base`."""
    title: str | None = None
    language: str | None = None
    published: str | None = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        published = front_matter_published(line.partition(":")[::2] for line in fm.group(1).splitlines())
        for line in fm.group(1).splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip().lower(), value.strip().strip("\"'")
            if key == "title" and value:
                title = value
            elif key in ("lang", "language", "locale") and value:
                language = primary(value)
            elif key in ("base", "base_url", "url", "canonical") and value and not base_url:
                base_url = value
        text = text[fm.end() :]
    m = _BASE_COMMENT.search(text)
    if m and not base_url:
        base_url = m.group(1)

    b = TextBuilder()
    state = _State()
    for tok in _markdown_parser().parse(text):
        _token(b, tok, state)
    article = b.article(location, title or state.first_h1, base_url, language)
    return replace(article, published=published)


class _State:
    """Where the token stream is: block quotes, lists, headings, footnotes."""

    def __init__(self) -> None:
        self.quote_depth = 0
        self.block: int | None = None
        self.lists: list[list[int | None]] = []  # [next number] per open list (None: bulleted)
        self.item: int | None = None  # number of the list item whose first paragraph is next
        self.heading: str | None = None
        self.first_h1: str | None = None
        self.h1_start = 0
        self.note: tuple[int, int] | None = None  # (footnote id, where its text began)
        self.note_label: str | None = None  # "[1] " written before a footnote's first paragraph

    def paragraph(self, b: TextBuilder, **kw) -> None:
        b.open_paragraph(block_quote=self.quote_depth > 0, block=self.block, ordinal=self.item, **kw)
        self.item = None
        if self.note_label:
            b.add_text(self.note_label)
            self.note_label = None


def _token(b: TextBuilder, tok, st: _State) -> None:
    t = tok.type
    if t == "blockquote_open":
        if st.quote_depth == 0:
            st.block = len(b.extras.blocks) + 1
            b.extras.blocks.append(QuoteBlock(st.block))
        st.quote_depth += 1
    elif t == "blockquote_close":
        st.quote_depth -= 1
        if st.quote_depth == 0:
            st.block = None
    elif t in ("ordered_list_open", "bullet_list_open"):
        start = tok.attrs.get("start", 1) if t == "ordered_list_open" else None
        st.lists.append([int(start) if start is not None else None])
    elif t in ("ordered_list_close", "bullet_list_close"):
        st.lists.pop()
    elif t == "list_item_open" and st.lists:
        number = st.lists[-1][0]
        st.item = number
        if number is not None:
            st.lists[-1][0] = number + 1
    elif t in ("paragraph_open", "heading_open", "tr_open"):
        st.paragraph(b)
        if t == "heading_open":
            st.heading = tok.tag
            st.h1_start = b.length
    elif t in ("paragraph_close", "tr_close"):
        b.close_paragraph()
    elif t == "heading_close":
        b.close_paragraph()
        if st.heading == "h1" and st.first_h1 is None:
            st.first_h1 = "".join(b.parts)[st.h1_start :].strip() or None
        st.heading = None
    elif t in ("th_open", "td_open"):
        b.add_text(" ")
    elif t == "inline":
        _markdown_inline(b, tok.children or [])
    elif t in ("fence", "code_block"):
        st.paragraph(b, pre=True, code=True)
        b.add_text(tok.content)
        b.close_paragraph()
    elif t == "html_block":
        _html_fragment_into(b, tok.content, block_quote=st.quote_depth > 0)
    elif t == "hr":
        b.close_paragraph()
    elif t == "footnote_open":
        b.close_paragraph()
        st.note = (tok.meta["id"], b.mark_start())
        st.note_label = f"[{tok.meta['id'] + 1}] "
    elif t == "footnote_close" and st.note is not None:
        b.close_paragraph()
        b.add_target(f"fn:{st.note[0]}", st.note[1])
        st.note = None


def _markdown_inline(b: TextBuilder, children: Iterable) -> None:
    in_link = 0
    for c in children:
        t = c.type
        if t == "text":
            if in_link:
                b.add_text(c.content)
            else:
                add_with_bare_urls(b, c.content)
        elif t == "code_inline":
            b.add_text(c.content)
        elif t == "softbreak":
            b.add_text(" ")
        elif t == "hardbreak":
            b.add_break()
        elif t == "link_open":
            in_link += 1
            b.open_anchor(str(c.attrs.get("href", "")), "body")
        elif t == "link_close":
            in_link = max(0, in_link - 1)
            b.close_anchor()
        elif t == "image":
            continue  # alt text is not part of the prose
        elif t == "footnote_ref":
            start = b.mark_start()
            number = c.meta["id"] + 1
            b.add_text(f"[{number}]")
            b.add_note_ref(start, str(number), f"fn:{c.meta['id']}")
        elif t == "footnote_anchor":
            continue  # the note's link back to its marker
        elif t == "html_inline":
            tag = c.content.strip().lower()
            m = _HTML_OPEN_A.match(c.content.strip())
            if m:
                href = next(g for g in m.groups() if g is not None)
                b.open_anchor(html_lib.unescape(href), "body")
                in_link += 1
            elif tag.startswith("</a"):
                b.close_anchor()
                in_link = max(0, in_link - 1)
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
