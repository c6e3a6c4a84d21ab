"""Turn a fetched body into readable text: HTML (readability), plain text, PDF.

Pure and CPU-bound on purpose: `extract_source` takes a picklable FetchResult and returns a picklable
Source, so the fetcher can run it in a process pool while the event loop keeps downloading.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable

from .decode import decode_html_bytes, decode_text_bytes
from .errors import ExtractError
from .htmltext import html_to_text, main_text, parse_html
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
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def _clean_title(title: str | None) -> str | None:
    """A title is one line of plain text: markup a page left in its <title> or og:title ("Big
    <b>news</b>") is dropped. Control characters stay, for `safe_text` to show at the UI boundary."""
    if not title:
        return None
    title = _WS.sub(" ", _TAG.sub("", title)).strip()
    return title or None


# --- HTML -------------------------------------------------------------------------------------


def _extract_html(body: bytes, content_type: str | None) -> tuple[str | None, str, str]:
    root = parse_html(decode_html_bytes(body, content_type))
    page_text = html_to_text(root)
    if len(page_text) < MIN_TEXT_CHARS:
        raise ExtractError(NO_TEXT)
    main = main_text(root)
    text = main.builder.finish()[0]
    if len(text) < MIN_TEXT_CHARS:
        text = page_text  # no article found: all visible text is the best we have
    return main.title, text, page_text


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
