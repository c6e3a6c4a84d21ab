"""The one reader of HTML, for articles and sources: parse, walk the visible text, pick the main text.

Modules: `tree` (the page read once from lxml: the per-element decisions every reading shares, the tables
of skipped tags, the hidden-element rule), `walker` (the visible-text walk over that tree, the parser),
`main` (readability on our own parse, the sanity check of its choice, the title rule), `hidden` (what the
page's stylesheet hides), `jsonld` (an article body given only as JSON-LD).
"""

from __future__ import annotations

import lxml.html

from ..textbuilder import TextBuilder
from .main import MainText, main_text, main_title, page_title, read_main_text, readability_keep
from .markers import is_reference_marker
from .tree import ID_ATTR, SKIP_TAGS, PageTree, is_hidden
from .walker import BLOCK_TAGS, HTML_PARSER, Walker, parse_html, walk_tree

__all__ = [
    "BLOCK_TAGS",
    "HTML_PARSER",
    "ID_ATTR",
    "SKIP_TAGS",
    "MainText",
    "PageTree",
    "Walker",
    "html_to_text",
    "is_hidden",
    "is_reference_marker",
    "main_text",
    "main_title",
    "page_title",
    "parse_html",
    "read_main_text",
    "readability_keep",
    "walk_tree",
]


def html_to_text(root: lxml.html.HtmlElement) -> str:
    """All visible text under `root`: one paragraph per block, joined by a blank line; `<br>` a line break."""
    b = TextBuilder()
    Walker(b).walk(root)
    return b.finish()[0]
