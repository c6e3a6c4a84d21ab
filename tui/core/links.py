"""An article's links seen as claims: where each points, the sentence it sits in, and its role.

A link is a *citation* unless the page's structure or wording says it is chrome (navigation,
share buttons, a byline, a sign-up prompt); boilerplate links stay in the list, marked, so the
reader can still show them but the checker need not fetch them.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .models import Article, Link, Span, TargetKind
from .sentences import sentence_spans

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_BOTCHED_HTTP = re.compile(r"^(https?)(//|:/(?!/)|:\\|;|:(?!//))", re.IGNORECASE)
_HOST_OK = re.compile(r"^[\w.\-~%!$&'()*+,;=]+$", re.UNICODE)

_SHARE_URL = re.compile(
    r"(twitter\.com|x\.com)/(intent|share|home\?status)"
    r"|facebook\.com/(sharer|share\.php|dialog/(share|feed))"
    r"|linkedin\.com/(sharearticle|sharing|cws/share|shareArticle)"
    r"|reddit\.com/submit|pinterest\.[a-z.]+/pin/create|api\.whatsapp\.com/send|wa\.me/\?text"
    r"|news\.ycombinator\.com/submitlink|t\.me/share|tumblr\.com/(share|widgets/share)"
    r"|getpocket\.com/(save|edit)|bsky\.app/intent|mastodon\.[a-z.]+/share|threads\.net/intent",
    re.IGNORECASE,
)
_SHARE_TEXT = re.compile(
    r"^(share|tweet|toot|post|e-?mail|print|copy( the)? link|pin( it)?|save|whatsapp|reddit|facebook|"
    r"twitter|x|linkedin|bluesky|mastodon|threads)\b( (this|it|on|to|via|article|story|page)\b.*)?$",
    re.IGNORECASE,
)
_ACCOUNT_TEXT = re.compile(
    r"^(click here to )?(subscribe|sign[ -]?in|log[ -]?in|sign[ -]?up|register|join|unsubscribe|"
    r"get (the|our) newsletter|my account)\b|\bsubscribe\b|\bnewsletter\b.*\b(sign|subscribe|join)|"
    r"\b(sign|subscribe|join)\b.*\bnewsletter\b",
    re.IGNORECASE,
)
_BYLINE_PARAGRAPH = re.compile(
    r"^((?:[A-Z][\w ]{0,24}[.:|·—–-] *)?(By|BY|Written by|Words by|Posted by|Reporting by|"
    r"Additional reporting by|(?:Medically )?[Rr]eviewed by|Edited by|Fact[- ]checked by|"
    r"Follow (?:him|her|them|us|me) (?:on|at)) "
    r"[A-Z@][\w.'’\-]*( [A-Z][\w.'’\-]*)*\b"
    r"|(?:Photo|Photograph|Image|Picture|Illustration|Video)s? (?:by|courtesy of) \S"
    r"|(Filed under|Tags?|Topics?|Categories|Category|Posted in|More on|Photos?|Images?|Credits?)\s*:)"
)
_LOWER_WORD = re.compile(r"\b[a-z][a-z’']{2,}\b")
_BYLINE_WORD_LIST = (
    "and for with the staff writer reporter correspondent editor contributor contributing senior "
    "updated published posted filed under from via photos photo illustration words reviewed edited "
    "him her them follow email mail twitter"
)
_BYLINE_WORDS = frozenset(_BYLINE_WORD_LIST.split())
# In-page notes: Wikipedia's "[12]" (#cite_note-12) and its "^" / "a" backlinks, Markdown footnotes
# ("1" -> #fn:1, "↩" -> #fnref:1). They point at the page's own reference list, not at a source.
_NOTE_TEXT = re.compile(r"^(\[[^\[\]]{1,16}\]|\d{1,4}|[a-z]{1,2}|[\^↑↩*†‡§¶]+)$", re.IGNORECASE)
_NOTE_ID = re.compile(
    r"^#(cite[_-]?(note|ref)|fn|footnote|endnote|note|ref|citation|reference|bib)", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[\s|·•/,;:\-–—&+>»()\[\]]|\band\b", re.IGNORECASE)


def find_links(article: Article) -> tuple[Link, ...]:
    """Every anchor in reading order, with its target resolved and its claim sentence."""
    para_starts = [p.start for p in article.paragraphs]
    anchors = sorted(article.anchors, key=lambda a: (a.start, a.end))
    sentences_cache: dict[int, list[Span]] = {}
    by_paragraph: dict[int, list] = {}
    for a in anchors:
        by_paragraph.setdefault(_paragraph_index(para_starts, a.start), []).append(a)
    chrome_cache: dict[int, str | None] = {}
    links: list[Link] = []
    soft: set[int] = set()  # boilerplate only because its paragraph is nothing but links
    for index, anchor in enumerate(anchors):
        pi = _paragraph_index(para_starts, anchor.start)
        para = article.paragraphs[pi] if pi >= 0 else None
        if para is None:
            claim_start, claim_end = anchor.start, anchor.end
        else:
            if pi not in sentences_cache:
                sentences_cache[pi] = sentence_spans(article.text, para.start, para.end)
            claim_start, claim_end = _claim_span(sentences_cache[pi], anchor.start, anchor.end, para)
        kind, url = resolve_target(anchor.href, article.base_url, article.location)
        anchor_text = article.text[anchor.start : anchor.end]
        if para is not None and pi not in chrome_cache:
            chrome_cache[pi] = _chrome_paragraph(article, para, by_paragraph.get(pi, []))
        role = _role(anchor, anchor_text, kind)
        chrome = chrome_cache.get(pi)
        if role == "citation" and chrome:
            role = "boilerplate"
            if chrome == "links":
                soft.add(index)
        links.append(
            Link(
                index=index,
                url=url,
                target_kind=kind,
                anchor_text=anchor_text,
                anchor_start=anchor.start,
                anchor_end=anchor.end,
                claim=article.text[claim_start:claim_end],
                claim_start=claim_start,
                claim_end=claim_end,
                paragraph=max(pi, 0),
                role=role,
            )
        )
    if soft and not any(link.role == "citation" for link in links) and _many_hosts(links, soft):
        # Every citation-looking link sits in a paragraph of only links, and they lead to several
        # sites: not a menu (which stays on its own site) but an article that *is* a list of links
        # (a reading list, a link roundup), so they are its citations.
        links = [replace(link, role="citation") if link.index in soft else link for link in links]
    return tuple(links)


def _many_hosts(links: list[Link], indexes: set[int]) -> bool:
    hosts = set()
    for link in links:
        if link.index in indexes and link.target_kind == "web" and link.url:
            try:
                hosts.add((urlsplit(link.url).hostname or "").removeprefix("www."))
            except ValueError:
                continue
    return len(hosts) >= 2


def _paragraph_index(para_starts: list[int], offset: int) -> int:
    return bisect_right(para_starts, offset) - 1


def _claim_span(sentences: list[Span], start: int, end: int, para) -> tuple[int, int]:
    first = last = None
    for s in sentences:
        if s.start <= start < s.end or (first is None and start < s.start):
            first = first or s
        if first is not None and s.start < end:
            last = s
    if first is None or last is None:
        return para.start, para.end
    # the claim always contains the anchor (even one that starts or ends on whitespace)
    return max(para.start, min(first.start, start)), min(para.end, max(last.end, first.end, end))


# ---------------------------------------------------------------------------------------------
# targets


def resolve_target(
    href: str, base_url: str | None, location: str | None = None
) -> tuple[TargetKind, str | None]:
    """Classify an href and resolve it: ("web", absolute URL), ("local", path or file URL), or a kind
    with no URL (fragment, mailto, javascript, invalid)."""
    h = re.sub(r"[\t\n\r]", "", href).strip(" \f\v\u00a0")
    if not h:
        return "invalid", None
    if h.startswith("#"):
        return "fragment", None
    m = _SCHEME.match(h)
    scheme = m.group(1).lower() if m else None
    if scheme == "mailto":
        return "mailto", None
    if scheme == "javascript":
        return "javascript", None
    if scheme in ("http", "https"):
        return _web_or_invalid(h)
    if scheme == "file":
        return "local", h
    if scheme is not None and len(scheme) > 1:
        return "invalid", None  # tel:, data:, ftp:, ... nothing a reader can check
    if _BOTCHED_HTTP.match(h):
        return "invalid", None  # "http//x", "http:/x", "https;//x"
    if h.startswith("//"):
        scheme = "http:" if base_url and base_url.lower().startswith("http:") else "https:"
        return _web_or_invalid(scheme + h)
    if base_url and re.match(r"https?://", base_url, re.IGNORECASE):
        try:
            joined = urljoin(base_url, h)
        except ValueError:
            return "invalid", None
        return _web_or_invalid(joined)
    return "local", _local_target(h, location)


def _web_or_invalid(url: str) -> tuple[TargetKind, str | None]:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
        host = parts.hostname
    except ValueError:
        return "invalid", None
    if not host or " " in parts.netloc:
        return "invalid", None
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return "invalid", None
    elif not _HOST_OK.match(host) or ".." in host:
        return "invalid", None
    if port == 0:
        return "invalid", None
    if host.startswith(".") or host.startswith("-"):
        return "invalid", None
    return "web", url.replace(" ", "%20")


def _local_target(h: str, location: str | None) -> str | None:
    """A relative path read against the article file's folder, as a file: URL; None when the href
    is site-root relative ("/about") or there is no article file to read it against."""
    if h.startswith("/") or not location or re.match(r"https?://", location, re.IGNORECASE):
        return None
    path = unquote(h.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    try:
        return (Path(location).expanduser().resolve().parent / path).resolve().as_uri()
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# roles


def _role(anchor, anchor_text: str, kind: str) -> str:
    if anchor.region != "body":
        return "boilerplate"
    text = " ".join(anchor_text.split())
    if kind == "fragment" and in_page_note(anchor.href, text):
        return "boilerplate"
    if _SHARE_URL.search(anchor.href) or _SHARE_TEXT.match(text):
        return "boilerplate"
    if _ACCOUNT_TEXT.search(text):
        return "boilerplate"
    return "citation"


def in_page_note(href: str, anchor_text: str) -> bool:
    """A link to the page's own notes ("[12]" -> #cite_note-12, "^" -> #cite_ref-12), which is not
    a source to fetch; a bare "#" (a link whose target was stripped) is not one."""
    href = href.strip()
    if len(href) < 2 or not href.startswith("#"):
        return False
    return bool(_NOTE_TEXT.match(" ".join(anchor_text.split())) or _NOTE_ID.match(href))


def _chrome_paragraph(article: Article, para, anchors) -> str | None:
    """Why a paragraph's links are chrome: "links" when it is nothing but links and separators (a
    menu, a tag list), "byline" for one such as "By Jane Doe | Politics"; None when it is prose."""
    pieces = []
    pos = para.start
    for a in anchors:
        pieces.append(article.text[pos : a.start])
        pos = max(pos, a.end)
    pieces.append(article.text[pos : para.end])
    rest = _SEPARATORS.sub("", "".join(pieces)).strip(".!?")
    if not rest:
        return "links"
    text = article.text[para.start : para.end]
    if len(text) > 400 or not anchors or not _BYLINE_PARAGRAPH.match(text.lstrip("—–-*_ ")):
        return None
    # "By Friday, the [council](…) had voted." starts like a byline too, but a byline's own words
    # (outside its links) are names, dates and job titles, not lower-case prose.
    prose_words = [w for w in _LOWER_WORD.findall(" ".join(pieces)) if w not in _BYLINE_WORDS]
    byline = len(prose_words) < 2 and not text.rstrip("*_ ").endswith(("!", "?"))
    return "byline" if byline else None
