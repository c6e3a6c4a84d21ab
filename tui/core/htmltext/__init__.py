"""The one reader of HTML, for articles and sources: parse, walk the visible text, pick the main text.

Modules: `walker` (the visible-text walker, the table of skipped tags, the hidden-element rule, the
parser), `main` (readability on our own parse, the sanity check of its choice, the title rule).
"""

from __future__ import annotations

import lxml.html

from ..textbuilder import TextBuilder
from .main import MainText, main_text, page_title, readability_keep, stamp_ids
from .walker import BLOCK_TAGS, HTML_PARSER, ID_ATTR, SKIP_TAGS, Walker, is_hidden, parse_html, text_sizes

__all__ = [
    "BLOCK_TAGS",
    "HTML_PARSER",
    "ID_ATTR",
    "SKIP_TAGS",
    "MainText",
    "Walker",
    "html_to_text",
    "is_hidden",
    "main_text",
    "page_title",
    "parse_html",
    "readability_keep",
    "stamp_ids",
    "text_sizes",
]


def html_to_text(root: lxml.html.HtmlElement) -> str:
    """All visible text under `root`: one paragraph per block, joined by a blank line; `<br>` a line break."""
    b = TextBuilder()
    Walker(b).walk(root)
    return b.finish()[0]
