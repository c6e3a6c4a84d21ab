"""HTML articles: the page's main text as `tui.core.htmltext` reads it (readability on our own parse, so
hrefs stay exactly as written and bylines, share bars and navigation are told apart), plus the base URL
relative links resolve against."""

from __future__ import annotations

import re

from ..htmltext import main_text, parse_html
from ..models import Article


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


def from_html(text: str, *, location: str, base_url: str | None) -> Article:
    root = parse_html(text)
    base_url = _html_base_url(root, base_url)
    main = main_text(root)
    out, paragraphs, anchors = main.builder.finish()
    return Article(location, main.title, out, paragraphs, anchors, base_url)
