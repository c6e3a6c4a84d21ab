"""Plain-text articles: paragraphs at blank lines, bare URLs become links."""

from __future__ import annotations

import re

from ..models import Article
from ..textbuilder import TextBuilder

_BARE_URL = re.compile(r"https?://[^\s<>\"“”‘’]+", re.IGNORECASE)

# plain text


def from_plain_text(text: str, *, location: str, base_url: str | None) -> Article:
    b = TextBuilder()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n[ \t\f\v]*\n", text):
        if not block.strip():
            continue
        b.open_paragraph()
        for k, line in enumerate(block.split("\n")):
            if k:
                b.add_break()
            add_with_bare_urls(b, line)
        b.close_paragraph()
    return b.article(location, None, base_url)


def add_with_bare_urls(b: TextBuilder, line: str) -> None:
    """Write `line`, each bare http(s) URL in it as a link to itself."""
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
