"""Kept so `tui.core.charset` still imports: the one bytes -> str reader is `tui.core.decode`."""

from .decode import (
    bom_encoding,
    charset_from_content_type,
    decode_html_bytes,
    decode_text_bytes,
    meta_charset,
    normalize_label,
    sniff_encoding,
)

__all__ = [
    "bom_encoding",
    "charset_from_content_type",
    "decode_html_bytes",
    "decode_text_bytes",
    "meta_charset",
    "normalize_label",
    "sniff_encoding",
]
