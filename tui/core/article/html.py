"""HTML articles: the page's main text as `tui.core.htmltext` reads it (readability on our own parse, so
hrefs stay exactly as written and bylines, share bars and navigation are told apart), plus the base URL
relative links resolve against."""

from __future__ import annotations

import re
from dataclasses import replace

from ..htmltext import main_text, parse_html
from ..htmltext.hidden import stylesheet_hidden
from ..language import primary
from ..models import Article
from .dates import html_published


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
    main = main_text(root, hidden=stylesheet_hidden(root))
    article = main.builder.article(location, main.title, base_url, _html_language(root))
    return replace(article, published=html_published(root))


def _html_language(root) -> str | None:
    """The page's declared language: `<html lang>`, `xml:lang`, a Content-Language `<meta>`, og:locale."""
    for xpath in (
        "/html/@lang",
        "/html/@xml:lang",
        "//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content",
        "//meta[@property='og:locale']/@content",
    ):
        try:
            values = root.xpath(xpath, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
        except Exception:  # an odd document lxml cannot run the expression on
            continue
        for v in values:
            lang = primary(str(v))
            if lang:
                return lang
    return None
