"""Load an article (Markdown, HTML or plain text) into one plain text with exact offsets.

Every format goes through `builder.TextBuilder`, which owns the offsets. Modules: `load` (bytes -> the
format's loader), `markdown`, `html` (readability on our own parse), `walker` (an HTML tree into the
builder), `text` (plain text), `builder`.
"""

from ..errors import ArticleError
from .load import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    article_from_bytes,
    load_article_file,
)

__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "ArticleError",
    "article_from_bytes",
    "load_article_file",
]
