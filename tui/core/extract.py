"""Turn a fetched body into readable text: HTML (readability), plain text, PDF.

Pure and CPU-bound on purpose: `extract_source` takes a picklable FetchResult and returns a picklable
Source, so the fetcher can run it in a process pool while the event loop keeps downloading.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable

import lxml.html
from lxml import etree

from .charset import decode_html_bytes, decode_text_bytes
from .errors import ExtractError
from .models import FetchResult, Source

__all__ = ["ExtractError", "decode_html_bytes", "extract_source", "html_to_text"]

# Below this many characters the "readable" text is noise (a cookie banner, "Loading...").
MIN_TEXT_CHARS = 40

NO_TEXT = "The page has no readable text: it probably needs JavaScript."


# --- content type -----------------------------------------------------------------------------

_HTML_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown", "text/csv", "text/rtf"}


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff_kind(body: bytes) -> str | None:
    """'html' / 'pdf' / 'binary' from the first bytes, for bodies with no (or a generic) type."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--", b"<p", b"<div")):
        return "html"
    if head.startswith((b"\x89png", b"gif8", b"\xff\xd8\xff", b"pk\x03\x04", b"\x1f\x8b", b"riff")):
        return "binary"
    if b"\x00" in body[:1024]:
        return "binary"
    return None


def _describe(mtype: str) -> str:
    major = mtype.split("/", 1)[0]
    kinds = {"image": "an image", "video": "a video", "audio": "an audio file", "font": "a font file"}
    kind = kinds.get(major, "a binary file")
    if mtype in ("application/json", "text/json") or mtype.endswith("+json"):
        kind = "JSON data"
    elif mtype in ("application/javascript", "text/javascript", "text/css"):
        kind = "a script or stylesheet"
    return f"The source is {kind} ({mtype or 'no content type'}), not text."


def _kind(result: FetchResult) -> str:
    body = result.body or b""
    mtype = media_type(result.content_type)
    sniffed = sniff_kind(body)
    if mtype in _PDF_TYPES or (sniffed == "pdf" and mtype in ("", "application/octet-stream")):
        return "pdf"
    if mtype in _HTML_TYPES or (mtype.endswith("+xml") and sniffed == "html"):
        return "pdf" if sniffed == "pdf" else "html"
    if mtype in _TEXT_TYPES or (mtype.startswith("text/") and mtype not in ("text/javascript", "text/css")):
        return "text"
    if mtype in ("", "application/octet-stream", "binary/octet-stream"):
        if sniffed in ("html", "pdf"):
            return sniffed
        if sniffed is None and body:
            return "text"
    raise ExtractError(_describe(mtype))


def extract_source(result: FetchResult) -> Source:
    """Readable text of a fetched body; raises ExtractError with a sentence when there is none."""
    if result.body is None:
        raise ExtractError(result.error or "Nothing was fetched for this source.")
    if not result.body.strip():
        raise ExtractError("The server sent an empty page.")
    kind = _kind(result)
    if kind == "pdf":
        title, text, page_text = _extract_pdf(result.body)
    elif kind == "html":
        title, text, page_text = _extract_html(result.body, result.content_type)
    else:
        text = _plain_paragraphs(decode_text_bytes(result.body, result.content_type))
        if len(text) < 1:
            raise ExtractError("The text file is empty.")
        title, page_text = None, text
    return Source(
        url=result.url,
        final_url=result.final_url,
        title=_clean_title(title),
        text=text,
        page_text=page_text,
        content_type=result.content_type,
    )


_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


def _clean_title(title: str | None) -> str | None:
    """A title is one line of plain text: markup a page left in its <title> or og:title ("Big
    <b>news</b>") is dropped. Control characters stay, for `safe_text` to show at the UI boundary."""
    if not title:
        return None
    title = _WS.sub(" ", _TAG.sub("", title)).strip()
    return title or None


# --- HTML -------------------------------------------------------------------------------------

_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "option",
        "button",
        "textarea",
        "audio",
        "video",
        "map",
        "datalist",
    }
)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_BR = "\x00"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style, re.I) is not None


def html_to_text(root: etree._Element) -> str:
    """Visible text of a tree: one paragraph per block element, joined by a blank line.

    Iterative (pages nest deeper than Python's recursion limit) and skips scripts, styles, templates,
    form controls and elements hidden with `hidden` / `display:none`.
    """
    paragraphs: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if not buf:
            return
        text = _WS.sub(" ", "".join(buf))
        buf.clear()
        text = re.sub(r" ?\x00 ?", "\n", text).strip(" \n")
        text = re.sub(r"\n{2,}", "\n", text)
        if text:
            paragraphs.append(text)

    # Stack items: (element, entering) - on leaving, emit the element's tail.
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None
        name = tag.rsplit("}", 1)[-1].lower() if tag else None
        if entering:
            if name is None or name in _SKIP or _hidden(el):
                # comments, processing instructions and invisible elements: only their tail counts
                if el.tail and el is not root:
                    buf.append(el.tail)
                continue
            if name == "br":
                buf.append(_BR)
                if el.tail:
                    buf.append(el.tail)
                continue
            if name in _BLOCK:
                flush()
            elif name in ("td", "th"):
                buf.append(" ")
            if el.text:
                buf.append(el.text)
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el))
        else:
            if name in _BLOCK:
                flush()
            elif name in ("td", "th"):
                buf.append(" ")
            if el.tail and el is not root:
                buf.append(el.tail)
    flush()
    return "\n\n".join(paragraphs)


def _parse_html(markup: str) -> etree._Element:
    markup = _XML_DECL.sub("", markup, count=1)
    try:
        # huge_tree: libxml2 otherwise silently drops everything nested deeper than 256 elements
        return lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError("The page's HTML could not be parsed.") from exc


def _title(doc: etree._Element) -> str | None:
    for xpath in ("//meta[@property='og:title']/@content", "//meta[@name='twitter:title']/@content"):
        values = doc.xpath(xpath)
        if values and str(values[0]).strip():
            return _WS.sub(" ", str(values[0])).strip()
    titles = doc.xpath("//title")
    if titles:
        text = _WS.sub(" ", titles[0].text_content()).strip()
        return text or None
    return None


def _readable(markup: str) -> str:
    """Readability's main text, or "" when it finds nothing (or fails: its recall is imperfect)."""
    from readability import Document  # imported lazily: it is slow to import and only extraction needs it

    logging.getLogger("readability.readability").setLevel(logging.ERROR)
    try:
        # no url: making links absolute costs ~20% of the time and text does not need links
        fragment = Document(markup).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions (Unparseable) on odd markup
        return ""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    return html_to_text(root)


def _extract_html(body: bytes, content_type: str | None) -> tuple[str | None, str, str]:
    markup = _XML_DECL.sub("", decode_html_bytes(body, content_type), count=1)
    doc = _parse_html(markup)
    title = _title(doc)
    page_text = html_to_text(doc)
    if len(page_text) < MIN_TEXT_CHARS:
        raise ExtractError(NO_TEXT)
    text = _readable(markup)
    if len(text) < MIN_TEXT_CHARS:
        text = page_text  # readability found no article: all visible text is the best we have
    return title, text, page_text


# --- plain text -------------------------------------------------------------------------------


def _plain_paragraphs(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (b.strip() for b in re.split(r"\n[ \t]*\n", text))
    return "\n\n".join(b for b in blocks if b)


# --- PDF --------------------------------------------------------------------------------------

_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def _pdf_page_paragraphs(page_text: str) -> Iterable[str]:
    """Rejoin a PDF page's visual lines into paragraphs (a quote spans line breaks in the PDF)."""
    page_text = page_text.replace("\r\n", "\n").replace("\r", "\n")
    page_text = _HYPHEN_BREAK.sub(r"\1\2", page_text)
    for block in re.split(r"\n[ \t]*\n", page_text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        typical = sorted(len(ln) for ln in lines)[len(lines) // 2]
        para: list[str] = []
        for i, line in enumerate(lines):
            para.append(line)
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            short = len(line) < 0.7 * typical
            ends_sentence = line[-1] in '.!?:"”'
            heading = bool(nxt) and nxt[0].isupper() and line[-1] not in ",;-–"
            # a short line that ends a sentence (or looks like a heading) ends its paragraph
            if short and (ends_sentence or heading):
                yield " ".join(para)
                para = []
        if para:
            yield " ".join(para)


def _extract_pdf(body: bytes) -> tuple[str | None, str, str]:
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("The PDF is password-protected; sourcecheck cannot read it.")
        paragraphs: list[str] = []
        for page in reader.pages:
            lines = _pdf_page_paragraphs(page.extract_text() or "")
            paragraphs.extend(_WS.sub(" ", p).strip() for p in lines)
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else None
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many exception types (PdfReadError, KeyError...) on bad files
        raise ExtractError("The PDF could not be read: the file is damaged or unusual.") from exc
    text = "\n\n".join(p for p in paragraphs if p)
    if len(text) < 1:
        raise ExtractError(
            "The PDF has no text layer (probably a scanned image); sourcecheck cannot read it."
        )
    return title or None, text, text
