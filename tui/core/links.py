"""An article's links seen as claims: where each points, the sentence it sits in, and its role.

A link is a *citation* unless the page's structure or wording says it is chrome (navigation,
share buttons, a byline, a sign-up prompt); boilerplate links stay in the list, marked, so the
reader can still show them but the checker need not fetch them.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .attribution.notes import note_refs
from .linkroles import anchor_role, byline_surnames, chrome_paragraph, credit_role, in_page_note
from .models import Article, Link, Span, TargetKind
from .sentences import ParagraphSentences

__all__ = ["file_link_spans", "find_links", "in_page_note", "resolve_target"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_BOTCHED_HTTP = re.compile(r"^(https?)(//|:/(?!/)|:\\|;|:(?!//))", re.IGNORECASE)
_HOST_OK = re.compile(r"^[\w.\-~%!$&'()*+,;=]+$", re.UNICODE)
# A claim is the sentence holding its link; a "sentence" longer than this (a hostile article of thousands of
# links and no full stop; real sentences run to a few hundred characters) is cut to this much around the link
CLAIM_MAX_CHARS = 1000


def find_links(article: Article, sentences: ParagraphSentences | None = None) -> tuple[Link, ...]:
    """Every anchor in reading order, with its target resolved, its claim sentence and its role
    (linkroles.py). Linear in the size of the article: sentences are split once per paragraph (`sentences`,
    shared with the later stages when given) and each anchor finds its own by bisection."""
    sentences = sentences or ParagraphSentences(article)
    para_starts = [p.start for p in article.paragraphs]
    anchors = sorted(article.anchors, key=lambda a: (a.start, a.end))
    by_paragraph: dict[int, list] = {}
    for a in anchors:
        by_paragraph.setdefault(_paragraph_index(para_starts, a.start), []).append(a)
    chrome_cache: dict[int, str | None] = {}
    blocks = {b.id: b for b in article.blocks}
    surnames: list[frozenset[str]] = []  # the byline's authors, read once and only when a bio is possible

    def authors() -> frozenset[str]:
        if not surnames:
            surnames.append(byline_surnames(article))
        return surnames[0]

    claims: dict[tuple[int, int], str] = {}
    notes = sorted((r.note_start, r.note_end) for r in note_refs(article) if r.note_start >= 0)
    note_starts = [s for s, _ in notes]
    links: list[Link] = []
    soft: set[int] = set()  # boilerplate only because its paragraph is nothing but links
    for index, anchor in enumerate(anchors):
        pi = _paragraph_index(para_starts, anchor.start)
        para = article.paragraphs[pi] if pi >= 0 else None
        if para is None:
            claim_start, claim_end = anchor.start, anchor.end
        else:
            claim_start, claim_end = _claim_span(
                sentences.of(pi), sentences.starts(pi), anchor.start, anchor.end, para
            )
        kind, url = resolve_target(anchor.href, article.base_url, article.location)
        anchor_text = article.text[anchor.start : anchor.end]
        if para is not None and pi not in chrome_cache:
            chrome_cache[pi] = chrome_paragraph(article, para, by_paragraph.get(pi, []), authors)
        sentence = claims.get((claim_start, claim_end))
        if sentence is None:  # the links of one sentence share its text: sliced once, held once
            sentence = claims[claim_start, claim_end] = article.text[claim_start:claim_end]
        role = anchor_role(anchor, anchor_text, kind, url, sentence, anchor.start - claim_start)
        if claim_end - claim_start > CLAIM_MAX_CHARS:
            claim_start, claim_end = claim_window(
                article.text, claim_start, claim_end, anchor.start, anchor.end
            )
            sentence = article.text[claim_start:claim_end]
        chrome = chrome_cache.get(pi)
        if chrome == "links" and _in_note(notes, note_starts, anchor.start):
            chrome = None  # an entry of a reference list: "[3] [Report title](…)" is a citation
        block = blocks.get(para.block) if para is not None and para.block is not None else None
        if para is not None and anchor.region == "body" and (block is not None or chrome):
            # a quotation's credit (a <footer><cite> link, an embedded post's own address) is its source
            credit = credit_role(article, pi, chrome, url, anchor_text, block)
            if credit:
                role, chrome = credit, None
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
                claim=sentence,
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


def claim_window(text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """The part of an overlong claim sentence `[lo, hi)` around its anchor `[start, end)`: at most
    CLAIM_MAX_CHARS (the anchor's own length when that is more), cut at spaces when there are any, so
    a report holds a bounded claim per link however many links one "sentence" holds."""
    room = max(0, CLAIM_MAX_CHARS - (end - start)) // 2
    a, b = max(lo, start - room), min(hi, end + room)
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return a, b


def _in_note(notes: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect_right(starts, offset) - 1
    return i >= 0 and notes[i][0] <= offset < notes[i][1]


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


def _claim_span(sentences: list[Span], starts: list[int], start: int, end: int, para) -> tuple[int, int]:
    """The sentences the anchor `[start, end)` touches (by bisection over their `starts`)."""
    i = bisect_right(starts, start) - 1
    first = i if i >= 0 and start < sentences[i].end else i + 1
    last = bisect_left(starts, end) - 1
    if first >= len(sentences) or last < first:
        return para.start, para.end
    f, lst = sentences[first], sentences[last]
    # the claim always contains the anchor (even one that starts or ends on whitespace)
    return max(para.start, min(f.start, start)), min(para.end, max(lst.end, f.end, end))


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


def file_link_spans(article: Article) -> frozenset[tuple[int, int]]:
    """The (start, end) of the anchors whose href is written as a `file:` URL: a file on the writer's
    computer, never read (a relative link, also "local", is read against the article's folder)."""
    return frozenset(
        (a.start, a.end)
        for a in article.anchors
        if (m := _SCHEME.match(re.sub(r"[\t\n\r]", "", a.href).strip(" \f\v\u00a0")))
        and m.group(1).lower() == "file"
    )


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
