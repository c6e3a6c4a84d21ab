"""Decide how a fetched body's bytes become text, the way a browser would.

httpx only looks at the Content-Type header and otherwise assumes UTF-8; pages in the wild declare
their encoding in a BOM, the header or a `<meta>` tag, and many old pages declare nothing and are
windows-1252. Order (after the WHATWG encoding sniffing algorithm): BOM, header, meta tag, valid UTF-8,
windows-1252.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG maps these labels to windows-1252: browsers never decode a page as strict latin-1 or ASCII.
_CP1252_LABELS = {
    "ascii",
    "us-ascii",
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "latin1",
    "latin-1",
    "l1",
    "cp819",
    "ibm819",
    "windows-1252",
    "cp1252",
    "x-cp1252",
    "ansi_x3.4-1968",
    "iso-ir-100",
    "csisolatin1",
}

_META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _cp1252_decode_error(err: UnicodeError) -> tuple[str, int]:
    # Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; browsers map them to U+0081 etc.
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("sourcecheck-cp1252", _cp1252_decode_error)


def normalize_label(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    if label in {"utf8", "unicode-1-1-utf-8"}:
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header's charset parameter, if it names a known one."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return normalize_label(m.group(1)) if m else None


def bom_encoding(body: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when the body starts with a byte-order mark."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def meta_charset(body: bytes) -> str | None:
    """The encoding a `<meta charset>` or `<meta http-equiv content-type>` near the top declares."""
    m = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    if not m:
        return None
    name = normalize_label(m.group(1).decode("ascii", "replace"))
    # A meta tag can only be read if the bytes are ASCII-compatible, so a UTF-16 claim there is false.
    if name and name.startswith("utf-16"):
        return "utf-8"
    return name


def _decode(body: bytes, name: str) -> str:
    if name == "cp1252":
        return body.decode("cp1252", errors="sourcecheck-cp1252")
    return body.decode(name, errors="replace")


def _guess(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A body cut at the size cap may end mid-character: that alone does not make it non-UTF-8.
        if exc.start < len(body) - 3:
            return "cp1252"
    return "utf-8"


def sniff_encoding(body: bytes, content_type: str | None, *, html: bool = True) -> str:
    """The codec a browser would use for this body (see the module docstring for the order)."""
    bom = bom_encoding(body)
    if bom:
        return bom[0]
    declared = charset_from_content_type(content_type)
    if declared:
        return declared
    if html:
        declared = meta_charset(body)
        if declared:
            return declared
    return _guess(body)


def decode_html_bytes(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body to text: BOM, header charset, meta tag, UTF-8 if valid, else windows-1252."""
    return _decode_with(body, content_type, html=True)


def decode_text_bytes(body: bytes, content_type: str | None) -> str:
    """Decode a text/plain body: BOM, header charset, UTF-8 if valid, else windows-1252."""
    return _decode_with(body, content_type, html=False)


def _decode_with(body: bytes, content_type: str | None, *, html: bool) -> str:
    bom = bom_encoding(body)
    if bom:
        return _decode(body[bom[1] :], bom[0])
    return _decode(body, sniff_encoding(body, content_type, html=html))
