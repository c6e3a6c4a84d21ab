"""Read an article from a file or a fetched body: bytes -> text -> the format's loader.

`load_article_file` and `article_from_bytes` are the public entry points; the format decides which
loader (Markdown, HTML, plain text) builds the `Article`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..budget import BodyError, read_file
from ..errors import ArticleError
from ..models import Article
from .html import from_html
from .markdown import from_markdown
from .text import from_plain_text

MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt"}

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")

# public API


def load_article_file(path: str | Path) -> Article:
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
        body = read_file(p, f"The article file {location}")
    except BodyError as exc:
        raise ArticleError(str(exc)) from exc
    except PermissionError as exc:
        raise ArticleError(f"The article file {location} cannot be read (permission denied).") from exc
    except OSError as exc:
        raise ArticleError(f"The article file {location} cannot be read ({exc.strerror or exc}).") from exc
    kind = "markdown" if suffix in MARKDOWN_SUFFIXES else "html" if suffix in HTML_SUFFIXES else "text"
    return _load(body, kind=kind, charset=None, location=location, base_url=None)


def article_from_bytes(
    body: bytes, *, content_type: str | None, location: str, base_url: str | None
) -> Article:
    """Build an article from a fetched body (HTML, text/plain or text/markdown)."""
    mime, charset = _parse_content_type(content_type)
    if mime in ("text/markdown", "text/x-markdown"):
        kind = "markdown"
    elif mime == "text/plain":
        kind = "text"
    elif mime in ("text/html", "application/xhtml+xml", "") or mime is None:
        kind = "html"
    else:
        raise ArticleError(f"The article at {location} is {mime}, not a web page or text.")
    return _load(body, kind=kind, charset=charset, location=location, base_url=base_url)


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip().strip("\"'") or None
    return parts[0].lower(), charset


def _norm_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        enc = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    # Browsers decode these labels as windows-1252.
    return "cp1252" if enc in ("latin-1", "iso8859-1", "ascii") else enc


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def _utf16_without_bom(body: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    sample = body[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decode(body: bytes, *, kind: str, charset: str | None, location: str) -> str:
    """Decide the encoding (BOM, then the header, then <meta>, then UTF-8, then windows-1252)."""
    if not body.strip():
        raise ArticleError(f"The article {location} is empty.")
    encoding = None
    for bom, name in _BOMS:
        if body.startswith(bom):
            body, encoding = body[len(bom) :], name
            break
    if encoding is None and b"\x00" in body:
        encoding = _utf16_without_bom(body)
        if encoding is None:
            if body.count(b"\x00") * 100 > len(body):
                raise ArticleError(f"The article {location} is a binary file, not text.")
            body = body.replace(b"\x00", b"")  # a few stray NULs in a text file: drop them
    encoding = encoding or _norm_encoding(charset)
    if encoding is None and kind == "html":
        m = _META_CHARSET.search(body[:8192])
        label = (m.group(1) or m.group(2)) if m else None
        encoding = _norm_encoding(label.decode("ascii", "replace")) if label else None
        if encoding in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):
            encoding = None  # a byte-oriented page cannot really be UTF-16 without a BOM
    if encoding is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ArticleError(f"The article {location} is not readable text.") from exc
    else:
        text = body.decode(encoding, "replace")
    if "\x00" in text:
        raise ArticleError(f"The article {location} is a binary file, not text.")
    controls = sum(1 for c in text[:65536] if c < " " and c not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise ArticleError(f"The article {location} looks like a binary file, not text.")
    text = _CONTROL.sub("", text)  # invisible, and lxml refuses them
    if not text.strip():
        raise ArticleError(f"The article {location} is empty.")
    return text


def _load(body: bytes, *, kind: str, charset: str | None, location: str, base_url: str | None) -> Article:
    text = _decode(body, kind=kind, charset=charset, location=location)
    if kind == "markdown":
        article = from_markdown(text, location=location, base_url=base_url)
    elif kind == "html":
        article = from_html(text, location=location, base_url=base_url)
    else:
        article = from_plain_text(text, location=location, base_url=base_url)
    if not article.text.strip():
        raise ArticleError(f"The article {location} has no readable text.")
    return article
