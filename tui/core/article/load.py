"""Read an article from a file or a fetched body: bytes -> text -> the format's loader.

`load_article_file` and `article_from_bytes` are the public entry points; the format decides which
loader (Markdown, HTML, plain text) builds the `Article`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..budget import MAX_BODY_BYTES, BodyError, read_file
from ..decode import bom_encoding, decode_bytes, looks_binary
from ..errors import ArticleError
from ..language import primary
from ..models import Article
from .html import from_html
from .markdown import from_markdown
from .text import from_plain_text

MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt"}

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")

# public API


def load_article_file(path: str | Path, *, max_bytes: int = MAX_BODY_BYTES) -> Article:
    """Read a local article; the format follows the file's extension.

    Raises ArticleError when the path is missing, not a regular file (a FIFO, a device such as
    /dev/zero, even through a symlink), larger than the body budget (`core.budget`), or unreadable.
    """
    location = str(path)
    p = Path(path).expanduser()
    suffix = p.suffix.lower()
    if not p.exists():
        raise ArticleError(f"The article file {location} does not exist.")
    if p.is_dir():
        raise ArticleError(f"{location} is a directory, not an article file.")
    if suffix not in MARKDOWN_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES:
        raise ArticleError(
            f"{location} has an unsupported extension {suffix or '(none)'!r}; "
            "use .md, .markdown, .html, .htm or .txt."
        )
    try:
        body = read_file(p, f"The article file {location}", max_bytes)
    except BodyError as exc:
        raise ArticleError(str(exc)) from exc
    except PermissionError as exc:
        raise ArticleError(f"The article file {location} cannot be read (permission denied).") from exc
    except OSError as exc:
        raise ArticleError(f"The article file {location} cannot be read ({exc.strerror or exc}).") from exc
    kind = "markdown" if suffix in MARKDOWN_SUFFIXES else "html" if suffix in HTML_SUFFIXES else "text"
    return _load(body, kind=kind, content_type=None, location=location, base_url=None)


def article_from_bytes(
    body: bytes,
    *,
    content_type: str | None,
    location: str,
    base_url: str | None,
    content_language: str | None = None,
) -> Article:
    """Build an article from a fetched body (HTML, text/plain or text/markdown); `content_language` is
    the response's Content-Language header, the article's language when the document declares none."""
    mime = _media_type(content_type)
    if mime in ("text/markdown", "text/x-markdown"):
        kind = "markdown"
    elif mime == "text/plain":
        kind = "text"
    elif mime in ("text/html", "application/xhtml+xml", "") or mime is None:
        kind = "html"
    else:
        raise ArticleError(f"The article at {location} is {mime}, not a web page or text.")
    article = _load(body, kind=kind, content_type=content_type, location=location, base_url=base_url)
    language = article.language or primary(content_language)
    return replace(article, language=language) if language != article.language else article


def _media_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() if value else None


def _decode(body: bytes, *, kind: str, content_type: str | None, location: str) -> str:
    """The article's text (`tui.core.decode` decides the encoding); refuses empty and binary files."""
    if not body.strip():
        raise ArticleError(f"The article {location} is empty.")
    if b"\x00" in body and bom_encoding(body) is None:
        decoded = decode_bytes(body, content_type, html=kind == "html")
        if decoded.how != "utf16-nul":
            if body.count(b"\x00") * 100 > len(body):
                raise ArticleError(f"The article {location} is a binary file, not text.")
            body = body.replace(b"\x00", b"")  # a few stray NULs in a text file: drop them
    text = decode_bytes(body, content_type, html=kind == "html").text
    if "\x00" in text:
        raise ArticleError(f"The article {location} is a binary file, not text.")
    if looks_binary(text):
        raise ArticleError(f"The article {location} looks like a binary file, not text.")
    text = _CONTROL.sub("", text)  # invisible, and lxml refuses them
    if not text.strip():
        raise ArticleError(f"The article {location} is empty.")
    return text


def _load(
    body: bytes, *, kind: str, content_type: str | None, location: str, base_url: str | None
) -> Article:
    text = _decode(body, kind=kind, content_type=content_type, location=location)
    if kind == "markdown":
        article = from_markdown(text, location=location, base_url=base_url)
    elif kind == "html":
        article = from_html(text, location=location, base_url=base_url)
    else:
        article = from_plain_text(text, location=location, base_url=base_url)
    if not article.text.strip():
        raise ArticleError(f"The article {location} has no readable text.")
    return article
