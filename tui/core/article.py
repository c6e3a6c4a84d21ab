"""Load an article (Markdown, HTML or plain text) into one plain text with exact offsets.

Every format goes through `_TextBuilder`, which owns the offsets: text is appended piece by piece,
so an anchor's `start`/`end` are known the moment its text is written and can never drift. HTML
is reduced to its main content with readability-lxml, but walked on *our* parse of the page (the
elements readability kept are found by an id we stamp on each element), so hrefs stay exactly as
written and the page's structure still tells bylines, share bars and navigation apart.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt
from readability import Document
from readability.htmls import shorten_title

from .models import Anchor, Article, Paragraph


class ArticleError(Exception):
    """The article itself is unusable; the message is one sentence for the user."""


MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt"}

_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2028\u2029\u3000\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # markup a page left inside its <title> as text
_BARE_URL = re.compile(r"https?://[^\s<>\"“”‘’]+", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# public API


def load_article_file(path: str | Path) -> Article:
    """Read a local article; the format follows the file's extension."""
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
        body = p.read_bytes()
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


# ---------------------------------------------------------------------------------------------
# bytes -> str


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
        article = _from_markdown(text, location=location, base_url=base_url)
    elif kind == "html":
        article = _from_html(text, location=location, base_url=base_url)
    else:
        article = _from_plain_text(text, location=location, base_url=base_url)
    if not article.text.strip():
        raise ArticleError(f"The article {location} has no readable text.")
    return article


# ---------------------------------------------------------------------------------------------
# the one place offsets are made


class _TextBuilder:
    """Appends paragraphs of collapsed text and records anchors as their text is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.paragraphs: list[Paragraph] = []
        self.anchors: list[Anchor] = []
        self._para_start: int | None = None  # offset of the open paragraph's first character
        self._content_end = 0  # offset just past the last non-whitespace character written
        self._block_quote = False
        self._pre = False
        self._code = False
        self._last = ""  # last character written in the open paragraph ("" when none)
        self._open: list[list] = []  # [start | None, href, region, closed]

    # paragraphs --------------------------------------------------------------------------
    def open_paragraph(self, *, block_quote: bool = False, pre: bool = False, code: bool = False) -> None:
        self.close_paragraph()
        self._block_quote = block_quote
        self._pre = pre
        self._code = code

    def close_paragraph(self) -> None:
        if self._para_start is None:
            self._pre = self._code = False
            return
        self._truncate(self._content_end)
        end = self.length
        for entry in self._open:
            if entry[0] is not None and not entry[3]:
                self._emit(entry, end)
                entry[3] = True  # an anchor never spans paragraphs: it ends with its first one
        self.paragraphs.append(Paragraph(self._para_start, end, self._block_quote, code=self._code))
        self._para_start = None
        self._last = ""
        self._pre = self._code = False

    # text ----------------------------------------------------------------------------------
    def add_text(self, raw: str) -> None:
        if not raw:
            return
        raw = _INVISIBLE.sub("", raw)
        if self._pre:
            raw = re.sub(r"\r\n?", "\n", raw).replace("\t", "    ")
            for k, seg in enumerate(raw.split("\n")):
                if k:
                    self.add_break()
                self._add(seg.replace("\f", " ").replace("\v", " "), pre=True)
            return
        self._add(_WS.sub(" ", raw), pre=False)

    def _add(self, raw: str, *, pre: bool) -> None:
        if not raw:
            return
        if self._para_start is None:
            raw = raw.lstrip()
            if not raw:
                return  # whitespace never opens a paragraph
            if self.length:
                self._write("\n\n")
            self._para_start = self.length
        elif not pre and raw[0] == " " and self._last in (" ", "\n"):
            raw = raw[1:]
            if not raw:
                return
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            for entry in self._open:
                if entry[0] is None and not entry[3]:
                    entry[0] = self.length + lead
        self._write(raw)

    def add_break(self) -> None:
        """A hard line break (<br>, Markdown's two trailing spaces); never two in a row."""
        if self._para_start is None:
            return
        self._truncate(self._content_end)
        self._write("\n")

    def _write(self, s: str) -> None:
        self.parts.append(s)
        if s.strip():
            self._content_end = self.length + len(s.rstrip())
        self.length += len(s)
        self._last = s[-1]

    def _truncate(self, to: int) -> None:
        while self.length > to:
            excess = self.length - to
            tail = self.parts[-1]
            if len(tail) <= excess:
                self.parts.pop()
                self.length -= len(tail)
            else:
                self.parts[-1] = tail[:-excess]
                self.length = to
        self._last = self.parts[-1][-1] if self.parts and self.parts[-1] else ""

    # anchors -------------------------------------------------------------------------------
    def open_anchor(self, href: str, region: str) -> None:
        self._open.append([None, href, region, False])

    def close_anchor(self) -> None:
        if not self._open:
            return
        entry = self._open.pop()
        if entry[0] is not None and not entry[3]:
            self._emit(entry, self._content_end)

    def _emit(self, entry: list, end: int) -> None:
        start = entry[0]
        if end > start:  # an anchor without visible text (an icon, an image) cannot be pointed at
            self.anchors.append(Anchor(start, end, entry[1], entry[2]))

    def finish(self) -> tuple[str, tuple[Paragraph, ...], tuple[Anchor, ...]]:
        self.close_paragraph()
        while self._open:
            self.close_anchor()
        text = "".join(self.parts)
        anchors = tuple(sorted(self.anchors, key=lambda a: (a.start, a.end)))
        return text, tuple(self.paragraphs), anchors


# ---------------------------------------------------------------------------------------------
# plain text


def _from_plain_text(text: str, *, location: str, base_url: str | None) -> Article:
    b = _TextBuilder()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n[ \t\f\v]*\n", text):
        if not block.strip():
            continue
        b.open_paragraph()
        for k, line in enumerate(block.split("\n")):
            if k:
                b.add_break()
            _add_with_bare_urls(b, line)
        b.close_paragraph()
    out, paragraphs, anchors = b.finish()
    return Article(location, None, out, paragraphs, anchors, base_url)


def _add_with_bare_urls(b: _TextBuilder, line: str) -> None:
    pos = 0
    for m in _BARE_URL.finditer(line):
        url = _trim_url(m.group(0))
        if len(url) <= len("https://"):
            continue
        b.add_text(line[pos : m.start()])
        b.open_anchor(url, "body")
        b.add_text(url)
        b.close_anchor()
        pos = m.start() + len(url)
    b.add_text(line[pos:])


def _trim_url(url: str) -> str:
    """Drop sentence punctuation a bare URL swallowed ("see https://x.org/a.")."""
    while url and url[-1] in ".,;:!?'\"*_":
        url = url[:-1]
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    while url.endswith("]") and url.count("[") < url.count("]"):
        url = url[:-1]
    return url


# ---------------------------------------------------------------------------------------------
# Markdown

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


def _from_markdown(text: str, *, location: str, base_url: str | None) -> Article:
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

    b = _TextBuilder()
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


def _markdown_inline(b: _TextBuilder, children: Iterable) -> None:
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


def _html_fragment_into(b: _TextBuilder, html: str, *, block_quote: bool) -> None:
    try:
        wrapped = f"<html><body><div>{html}</div></body></html>"
        doc = lxml.html.document_fromstring(wrapped, parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return
    root = doc.find("body")
    if root is None:
        return
    _Walker(b, in_quote=block_quote).walk(root)
    b.close_paragraph()


# ---------------------------------------------------------------------------------------------
# HTML

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "embed", "select", "option", "textarea", "input", "button", "canvas", "video", "audio", "map",
    "dialog", "meta", "link",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "header", "footer", "nav", "aside",
    "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "address", "details", "summary",
    "form", "fieldset", "center", "body", "html", "hgroup", "legend",
}  # fmt: skip
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
_ID_ATTR = "data-sc-id"
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _Walker:
    """Walks an lxml tree into a `_TextBuilder`, optionally emitting only selected elements."""

    def __init__(
        self,
        b: _TextBuilder,
        *,
        keep: set[str] | None = None,
        sizes: dict | None = None,
        in_quote: bool = False,
        skip_chrome: bool = False,
        chrome_root: lxml.html.HtmlElement | None = None,
    ) -> None:
        self.b = b
        self.keep = keep  # ids of elements whose own text is emitted; None = everything
        self.sizes = sizes or {}
        self.base_quote = in_quote
        self.skip_chrome = skip_chrome
        # Readability drops bylines and share bars; inside this element they are put back, marked by
        # their region, so their links are listed (as boilerplate) like the Markdown version's.
        self.chrome_root = chrome_root

    def _kept(self, el: lxml.html.HtmlElement, region: str, in_chrome_root: bool) -> bool:
        if self.keep is None or el.get(_ID_ATTR) in self.keep:
            return True
        return in_chrome_root and region in ("byline", "share", "promo")

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
                    if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS and el.tail.strip():
                        b.open_paragraph(block_quote=in_quote)
                    b.add_text(el.tail)
                continue
            if action == "close":
                self._close(el)
                continue
            tag = el.tag if isinstance(el.tag, str) else None
            if tag is None:  # comment / processing instruction: only its tail is text
                if parent_kept and el.tail:
                    b.add_text(el.tail)
                continue
            tag = tag.lower()
            if tag in _SKIP_TAGS or _hidden(el):
                stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
                continue
            region = self._region(el, tag, region, in_article)
            if self.skip_chrome and region != "body" and tag in ("nav", "footer", "aside", "header"):
                stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
                continue
            child_in_root = in_root or el is self.chrome_root
            kept = self._kept(el, region, child_in_root)
            in_article = in_article or tag in ("article", "main")
            quote = in_quote or tag == "blockquote"
            stack.append(("tail", el, region, in_quote, in_article, parent_kept, in_root))
            stack.append(("close", el, region, quote, in_article, kept, in_root))
            self._open(el, tag, region, quote, kept)
            if kept and el.text:
                b.add_text(el.text)
            for child in reversed(el):
                stack.append(("enter", child, region, quote, in_article, kept, child_in_root))

    def _open(self, el, tag: str, region: str, quote: bool, kept: bool) -> None:
        b = self.b
        if tag in _BLOCK_TAGS:
            pre = tag == "pre" and kept
            b.open_paragraph(block_quote=quote, pre=pre, code=pre and _is_code(el))
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

    def _close(self, el) -> None:
        tag = el.tag.lower()
        if tag == "a" and el.get("href") is not None:
            self.b.close_anchor()
        if tag in _BLOCK_TAGS:
            self.b.close_paragraph()

    def _region(self, el, tag: str, region: str, in_article: bool) -> str:
        if region != "body":
            return region
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


def _hidden(el) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _DISPLAY_NONE.search(style))


def _text_sizes(root) -> dict:
    """Text length under every element, computed bottom-up in one pass."""
    sizes: dict = {}
    for el in reversed(list(root.iter())):
        n = len(el.text or "") if isinstance(el.tag, str) else 0
        for child in el:
            n += sizes.get(child, 0) + len(child.tail or "")
        sizes[el] = n
    return sizes


_HTML_PARSER = lxml.html.HTMLParser(huge_tree=True)  # libxml2 otherwise drops text nested 255+ deep


def _parse_html(text: str) -> lxml.html.HtmlElement:
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(text, parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring(f"<html><body><pre>{_escape(text)}</pre></body></html>")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_base_url(root, given: str | None) -> str | None:
    from urllib.parse import urljoin

    def first(xpath: str) -> str | None:
        for v in root.xpath(xpath):
            if isinstance(v, str) and v.strip():
                return v.strip()
        return None

    base_href = first("//base/@href")
    if given:
        return urljoin(given, base_href) if base_href else given
    for candidate in (
        base_href,
        first("//link[translate(@rel,'CANOICL','canoicl')='canonical']/@href"),
        first("//meta[@property='og:url']/@content"),
    ):
        if candidate and re.match(r"https?://", candidate, re.IGNORECASE):
            return candidate
    return None


def _build(
    root, *, keep: set[str] | None, sizes: dict, skip_chrome: bool = False, chrome_root=None
) -> _TextBuilder:
    b = _TextBuilder()
    _Walker(b, keep=keep, sizes=sizes, skip_chrome=skip_chrome, chrome_root=chrome_root).walk(root)
    return b


def _prose_stats(b: _TextBuilder) -> tuple[int, int]:
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


def _from_html(text: str, *, location: str, base_url: str | None) -> Article:
    root = _parse_html(text)
    base_url = _html_base_url(root, base_url)
    for el in root.iter():
        if isinstance(el.tag, str):
            el.attrib.pop(_ID_ATTR, None)
    ids = 0
    for el in root.iter():
        if isinstance(el.tag, str):
            el.set(_ID_ATTR, str(ids))
            ids += 1
    body = root.find("body")
    if body is None:
        body = root

    title, keep = _readability(root)
    sizes = _text_sizes(root)

    container, container_kind = _fallback_container(body, sizes)
    fallback = _build(container, keep=None, sizes=sizes, skip_chrome=container_kind == "body")
    fb_len, fb_links = _prose_stats(fallback)
    tiny = fb_len == 0  # no paragraph long enough to count as prose: compare all text instead
    if tiny:
        fb_len = sum(p.end - p.start for p in fallback.paragraphs)
    chosen = fallback
    if keep:
        chrome_root = container if container_kind != "body" else None
        primary = _build(body, keep=keep, sizes=sizes, chrome_root=chrome_root)
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
            chosen = primary
    out, paragraphs, anchors = chosen.finish()
    return Article(location, _best_title(root, body, title), out, paragraphs, anchors, base_url)


def _best_title(root, body, readability_title: str | None) -> str | None:
    """The <h1> that the <title> or og:title contains ("Site | Headline"), else readability's
    cleaned-up title, else og:title."""
    doc_title = _WS.sub(" ", _TAG.sub("", root.findtext(".//title") or "")).strip()
    og_values = (
        _WS.sub(" ", _TAG.sub("", v)).strip() for v in root.xpath("//meta[@property='og:title']/@content")
    )
    og_title = next((t for t in og_values if t), "")
    for h1 in body.iter("h1"):
        text = _WS.sub(" ", h1.text_content()).strip()
        if text and (text in doc_title or text in og_title or not (doc_title or og_title)):
            return text
    title = _WS.sub(" ", _TAG.sub("", readability_title or "")).strip()
    return title or og_title or doc_title or None


def _readability(root) -> tuple[str | None, set[str]]:
    """Ask readability which elements form the main content; returns (title, kept element ids)."""
    # Readability re-cleans whitespace of every candidate's text many times over; collapsing it
    # first makes a 1 MB page three times faster and changes nothing we extract (we collapse too).
    preformatted = {id(el) for pre in root.iter("pre", "textarea") for el in pre.iter()}
    for el in root.iter():
        if id(el) in preformatted:
            continue
        if el.text and isinstance(el.tag, str):
            el.text = _WS.sub(" ", el.text)
        if el.tail:
            el.tail = _WS.sub(" ", el.tail)
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
    title = _WS.sub(" ", title).strip() if title and title != "[no-title]" else None
    # The ids are our own digits in attributes readability copied through: no need to parse again.
    keep = set(re.findall(rf'{_ID_ATTR}="(\d+)"', summary or ""))
    return title, keep


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
