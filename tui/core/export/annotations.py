"""W3C Web Annotation export (JSON-LD): one annotation per note, with TextQuote and TextPosition
selectors into the source (or the article)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from ..notes import VERDICT_LABELS, AnchoredNote
from ..status import holder_of
from .placement import Placement

ANNO_CONTEXT: Final = "http://www.w3.org/ns/anno.jsonld"
_NS = uuid.UUID("6f1d0a52-3c1e-4d7e-9a43-5c0de5ca7c11")  # for stable collection ids


def export_annotations(report: dict, anchored: Sequence[AnchoredNote]) -> dict:
    """An AnnotationCollection (JSON-LD) holding one Annotation per note.

    A quote note whose passage was found in a source targets that source's URL, with selectors into the
    source's readable text; anything else (a claim note, a quote not found) targets the article itself.
    """
    links = {link["index"]: link for link in report.get("links", [])}
    placed = Placement(report, anchored)
    quote_of: dict[int, dict] = {}
    for (li, qi), notes in placed.by_quote.items():
        quotes = links[li].get("quotes", []) if li is not None else report.get("unattributed_quotes", [])
        for a in notes:
            quote_of[a.note.id] = quotes[qi]
    article = report.get("article", {})
    article_uri = _article_uri(article.get("location"), anchored)
    items = [_annotation(a, links, quote_of.get(a.note.id), article_uri) for a in anchored]
    title = article.get("title") or article.get("location") or "article"
    return {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(_NS, article_uri or title)}",
        "type": "AnnotationCollection",
        "label": f"sourcecheck notes on {title}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _article_uri(location: str | None, anchored: Sequence[AnchoredNote]) -> str:
    key = anchored[0].note.target.article_key if anchored else location
    if not key:
        return ""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", key):
        return key
    return Path(key).expanduser().resolve().as_uri()


def _annotation(a: AnchoredNote, links: dict[int, dict], quote: dict | None, article_uri: str) -> dict:
    n, t = a.note, a.note.target
    body: list[dict[str, Any]] = []
    if n.body.strip():
        body.append({"type": "TextualBody", "value": n.body, "format": "text/plain", "purpose": "commenting"})
    if n.verdict:
        body.append({"type": "TextualBody", "value": VERDICT_LABELS[n.verdict], "purpose": "assessing"})
    link = links.get(a.link_index) if a.link_index is not None else None
    # a stripped link the user gave a source by hand links to that source (its fetch's final address)
    link_url = (link or {}).get("url") or t.link_url or ((link or {}).get("fetch") or {}).get("final_url")
    if t.kind == "claim" and link_url:
        body.append({"type": "SpecificResource", "source": link_url, "purpose": "linking"})
    anno: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{n.uid}",
        "type": "Annotation",
        "motivation": "assessing" if n.verdict else "commenting",
        "created": n.created_at,
        "modified": n.updated_at,
        "generator": {"type": "Software", "name": "sourcecheck"},
        "body": body,
        "target": _source_target(a, links, quote) or _article_target(a, article_uri),
    }
    return anno


def _source_target(a: AnchoredNote, links: dict[int, dict], quote: dict | None) -> dict | None:
    """Selectors into the source, from the current report when the quote matched, else from the note."""
    t = a.note.target
    if t.kind != "quote":
        return None
    if quote is not None and quote.get("match") != "not_found" and quote.get("source_start") is not None:
        link = links.get(holder_of(a.link_index, quote.get("found_in_link"))) or {}
        url = (link.get("fetch") or {}).get("final_url") or link.get("url")
        if not link:  # a quote with no link, found in the source the user gave it
            url = (quote.get("fetch") or {}).get("final_url")
        if url and quote.get("source_text") is not None:
            return _target(
                url,
                quote["source_text"],
                quote.get("prefix") or "",
                quote.get("suffix") or "",
                quote["source_start"],
                quote["source_end"],
            )
    if t.source_url and t.source_exact is not None and t.source_start is not None:
        end = t.source_end if t.source_end is not None else t.source_start + len(t.source_exact)
        return _target(
            t.source_url, t.source_exact, t.source_prefix or "", t.source_suffix or "", t.source_start, end
        )
    return None


def _article_target(a: AnchoredNote, article_uri: str) -> dict:
    t = a.note.target
    exact = t.quote_text if t.quote_text is not None else t.claim
    # an orphan's old offsets point into a text that no longer exists: quote selector only
    start, end = a.article_start, a.article_end
    if start is None or end is None:
        return {
            "source": article_uri,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": exact,
                    "prefix": t.quote_prefix,
                    "suffix": t.quote_suffix,
                }
            ],
        }
    return _target(article_uri, exact, t.quote_prefix, t.quote_suffix, start, end)


def _target(source: str, exact: str, prefix: str, suffix: str, start: int, end: int) -> dict:
    return {
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
