"""An article's body as the page gives it to search engines and reader modes: JSON-LD `articleBody`.

Pages built in the browser often carry the whole story only in a `<script type="application/ld+json">`
block (schema.org Article, NewsArticle, BlogPosting, Report ...). When the visible text lacks it, that body
is the page's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.html

# schema.org types whose articleBody / text is the page's article (CreativeWork > Article and its kin)
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicQuestionArticle", "BackgroundNewsArticle",
    "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting",
    "SocialMediaPosting", "DiscussionForumPosting", "Report", "ScholarlyArticle", "MedicalScholarlyArticle",
    "TechArticle", "APIReference", "SatiricalArticle", "AdvertiserContentArticle", "Review", "CreativeWork",
})  # fmt: skip
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def _objects(value: object) -> Iterator[dict]:
    """Every JSON object in a JSON-LD document (top level, lists, @graph, nested values)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    names = t if isinstance(t, list) else [t]
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)}


def article_body(root: lxml.html.HtmlElement) -> str | None:
    """The longest `articleBody` (or `text`) of an article-type JSON-LD object, as plain text with
    paragraphs separated by a blank line; None when the page has none."""
    best = ""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text.strip()))
        except ValueError:
            continue
        for obj in _objects(data):
            if not _types(obj) & ARTICLE_TYPES:
                continue
            body = obj.get("articleBody") or obj.get("text")
            if isinstance(body, str) and len(body) > len(best):
                best = body
    if not best.strip():
        return None
    if re.search(r"<(p|br|div|h\d)\b", best, re.IGNORECASE):  # some sites put the HTML itself there
        from . import html_to_text
        from .walker import parse_html

        best = html_to_text(parse_html(f"<html><body>{best}</body></html>"))
    blocks = (re.sub(r"[ \t\r\f\v]+", " ", b).strip() for b in re.split(r"\n\s*\n|\r\n\s*\r\n", best))
    return "\n\n".join(" ".join(line.strip() for line in b.split("\n")) for b in blocks if b) or None
