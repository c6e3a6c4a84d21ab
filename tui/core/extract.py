"""Turn a fetched body into readable text: HTML (readability), plain text, PDF.

Pure and CPU-bound on purpose: `extract_source` takes a picklable FetchResult and returns a picklable
Source, so the fetcher can run it in a process pool while the event loop keeps downloading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .decode import decode_bytes, decode_html_bytes, looks_binary
from .errors import ExtractError
from .htmltext import PageTree, html_to_text, main_title, parse_html, read_main_text, walk_tree
from .htmltext.hidden import stylesheet_hidden
from .htmltext.jsonld import article_body
from .htmltext.markers import bare_markers
from .models import FetchResult, Paragraph, Source, SourceFormat
from .normalize import fold_text
from .pdftext import pdf_text
from .textbuilder import TextBuilder

__all__ = ["ExtractError", "decode_html_bytes", "extract_source", "html_to_text"]

# Below this many characters the "readable" text is noise (a cookie banner, "Loading...").
MIN_TEXT_CHARS = 40
# Below this many visible characters a page built by scripts is a shell (a JavaScript app, a login wall):
# its quotes are not searched, and the failure says why, rather than "not found" reading as "the source
# does not say this".
ALMOST_NO_TEXT_CHARS = 200

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


def _kind(result: FetchResult) -> SourceFormat:
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


@dataclass(frozen=True)
class _Texts:
    title: str | None
    text: str
    page_text: str
    text_skipped: tuple[tuple[int, int], ...] = ()
    page_skipped: tuple[tuple[int, int], ...] = ()
    soft_hyphens: tuple[int, ...] = ()


def extract_source(result: FetchResult) -> Source:
    """Readable text of a fetched body; raises ExtractError with a sentence when there is none."""
    if result.body is None:
        raise ExtractError(result.error or "Nothing was fetched for this source.")
    if not result.body.strip():
        raise ExtractError("The server sent an empty page.")
    kind = _kind(result)
    if kind != "pdf":  # binary is binary, whatever its label: never handed to a parser as text
        decoded = decode_bytes(result.body, result.content_type, html=kind == "html").text
        if looks_binary(decoded):
            label = media_type(result.content_type) or "no content type"
            raise ExtractError(f"The source is binary data, not text (it was labelled {label}).")
    if kind == "pdf":
        pdf = pdf_text(result.body)
        skipped = _with_markers(pdf.text, pdf.skipped)
        got = _Texts(pdf.title, pdf.text, pdf.text, skipped, skipped, pdf.soft_hyphens)
    elif kind == "html":
        got = _extract_html(decoded)
    else:
        text = _plain_paragraphs(decoded)
        if len(text) < 1:
            raise ExtractError("The text file is empty.")
        skipped = _with_markers(text, ())
        got = _Texts(None, text, text, skipped, skipped)
    return Source(
        url=result.url,
        final_url=result.final_url,
        title=_clean_title(got.title),
        text=got.text,
        page_text=got.page_text,
        content_type=result.content_type,
        text_skipped=got.text_skipped,
        page_skipped=got.page_skipped,
        text_soft_hyphens=got.soft_hyphens,
        page_soft_hyphens=got.soft_hyphens,
        format=kind,
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


def _extract_html(markup: str) -> _Texts:
    root = parse_html(markup)
    embedded = article_body(root)  # read before the tree is collapsed for readability
    # The one pass over the parsed page: every later reading (all visible text, the main text) walks it.
    tree = PageTree(root, hidden=stylesheet_hidden(root), for_readability=True)
    page = TextBuilder()
    walk_tree(tree, page, 0, markers=tree.marker)  # reference markers as the page's own text reads
    page_text, paragraphs, _ = page.finish()
    page_skipped = _with_markers(page_text, page.skipped_spans(), paragraphs)
    if embedded is not None and not _shown(embedded, page_text):
        # the story is only in the page's JSON-LD (built in the browser): that is its main text
        embedded_skipped = _with_markers(embedded, ())
        return _Texts(main_title(tree), embedded, page_text or embedded, embedded_skipped, page_skipped)
    if len(page_text) < MIN_TEXT_CHARS:
        raise ExtractError(NO_TEXT)
    if len(page_text) < ALMOST_NO_TEXT_CHARS and _app_shell(tree):
        raise ExtractError(
            f"The page has almost no text ({len(page_text)} characters): it probably needs JavaScript or a "
            "login; save it from the browser and check against the saved copy."
        )
    main = read_main_text(tree)
    text, paragraphs, _ = main.builder.finish()
    if len(text) < MIN_TEXT_CHARS:  # no article found: all visible text is the best we have
        return _Texts(main.title, page_text, page_text, page_skipped, page_skipped)
    text_skipped = _with_markers(text, main.builder.skipped_spans(), paragraphs)
    return _Texts(main.title, text, page_text, text_skipped, page_skipped)


def _with_markers(
    text: str, skipped: tuple[tuple[int, int], ...], paragraphs: tuple[Paragraph, ...] = ()
) -> tuple[tuple[int, int], ...]:
    """The skipped pieces with the reference markers written as plain text added ("unsafe[3]"), outside
    code paragraphs (where brackets are code's own)."""
    return bare_markers(text, skipped, tuple((p.start, p.end) for p in paragraphs if p.code))


def _app_shell(tree: PageTree) -> bool:
    """A page built by scripts: it loads a script file, says something in <noscript>, or carries kilobytes of
    inline code (a short page of plain HTML is just short)."""
    inline = 0
    for i, tag in enumerate(tree.tag):
        if tag != "script" and tag != "noscript":
            continue
        attrs = tree.attrs[i]
        if tag == "noscript" or attrs.get("src"):
            return True
        if (attrs.get("type") or "text/javascript").lower() in (
            "text/javascript",
            "module",
            "application/javascript",
        ):
            inline += len(tree.text[i] or "")
    return inline > 1000


def _shown(embedded: str, page_text: str) -> bool:
    """Whether the page's visible text already holds (most of) an embedded article body."""
    shown = fold_text(page_text)
    paragraphs = [fold_text(p)[:200] for p in embedded.split("\n\n") if len(p) >= 40]
    return bool(paragraphs) and sum(p in shown for p in paragraphs) * 2 >= len(paragraphs)


# --- plain text -------------------------------------------------------------------------------


def _plain_paragraphs(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (b.strip() for b in re.split(r"\n[ \t]*\n", text))
    return "\n\n".join(b for b in blocks if b)


# --- warming up -------------------------------------------------------------------------------

_WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title></head><body><nav><a href='/'>Home</a></nav><article>"
    + "".join(
        f"<p>Paragraph {i}: “a quoted phrase”, with words enough for a main text.</p>" for i in range(6)
    )
    + "</article></body></html>"
).encode()


def warm_up() -> None:
    """Extract one small page, filling the caches a first extraction fills (compiled patterns, parser
    state). The sandbox's zygote calls this once, so that every process it forks starts warm: a cold
    extraction of a typical page costs ~10 ms more (bench/sandbox.py)."""
    extract_source(FetchResult("http://warm-up.invalid/", None, 200, "text/html", _WARM_UP_PAGE))
