"""Pages that only send the browser elsewhere: `<meta http-equiv="refresh">` and trivial script redirects.

A browser follows them; so does the fetcher, as one more hop of the redirect chain (the network policy and
the loop rule apply to it as to an HTTP redirect). A script redirect is followed only on a page with almost
no text of its own ("Redirecting..."): a real article that happens to contain `location.href = ...` in a
script stays where it is. A meta refresh is followed when it is quick (at most 10 s) or the page has almost
no text; a refresh to the page itself (a periodic reload) is not a redirect.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urldefrag, urljoin

from ..decode import decode_html_bytes

SCAN_BYTES = 256 * 1024  # a redirect page is small; only its start is looked at
LITTLE_TEXT = 400  # visible characters below which a page is a stub ("Redirecting...")
QUICK_REFRESH = 10.0  # seconds: a meta refresh at most this quick is a redirect whatever the page says

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_REFRESH = re.compile(
    r"""^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)["']?\s*$""", re.IGNORECASE
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*(["'])([^"'\s]+)\1"""
    r"""|(?:window\.|document\.|top\.|self\.)?location\.(?:replace|assign)\(\s*(["'])([^"'\s]+)\3\s*\)"""
)
_NOT_TEXT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.I | re.S)


def visible_chars(markup: str) -> int:
    """A rough count of the characters a reader sees (tags, scripts and styles removed)."""
    return len(re.sub(r"\s+", "", html.unescape(_NOT_TEXT.sub(" ", markup))))


def _meta_refresh(markup: str) -> tuple[float, str] | None:
    for tag in _META.finditer(markup):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTR.finditer(tag.group())
        }
        if attrs.get("http-equiv", "").strip().lower() != "refresh":
            continue
        m = _REFRESH.match(html.unescape(attrs.get("content", "")))
        if m and m.group(2).strip():
            return float(m.group(1) or 0), m.group(2).strip()
    return None


def _script_redirect(markup: str) -> str | None:
    for script in _SCRIPT.finditer(markup):
        m = _JS_REDIRECT.search(script.group(1))
        if m:
            return m.group(2) or m.group(4)
    return None


def page_redirect(body: bytes, content_type: str | None, current: str) -> str | None:
    """Where an HTML page sends the browser by itself (absolute URL without fragment), or None."""
    if len(body) > SCAN_BYTES * 4:
        return None  # a redirect stub is never megabytes long
    markup = decode_html_bytes(body[:SCAN_BYTES], content_type)
    stub = visible_chars(markup) < LITTLE_TEXT
    target = None
    refresh = _meta_refresh(markup)
    if refresh is not None and (refresh[0] <= QUICK_REFRESH or stub):
        target = refresh[1]
    elif stub:
        target = _script_redirect(markup)
    if not target or target.lower().startswith(("javascript:", "data:", "#")):
        return None
    absolute = urldefrag(urljoin(current, html.unescape(target)))[0]
    if not absolute.lower().startswith(("http://", "https://")) or absolute == urldefrag(current)[0]:
        return None
    return absolute
