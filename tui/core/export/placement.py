"""Notes sorted onto a report: per link (claim notes), per quote, article-level, orphaned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..notes import VERDICT_LABELS, AnchoredNote


class Placement:
    """Notes sorted onto the report: per link (claim notes), per quote, article-level, orphaned."""

    def __init__(self, report: dict, anchored: Sequence[AnchoredNote]) -> None:
        self.by_link: dict[int, list[AnchoredNote]] = {}
        self.by_quote: dict[tuple[int | None, int], list[AnchoredNote]] = {}
        self.article: list[AnchoredNote] = []
        self.orphaned: list[AnchoredNote] = []
        links = {link["index"]: link for link in report.get("links", [])}
        for a in anchored:
            if a.orphaned:
                self.orphaned.append(a)
                continue
            if a.link_index is not None and a.link_index not in links:
                self.orphaned.append(a)  # anchored against another version of the report
                continue
            quotes = (
                links[a.link_index].get("quotes", [])
                if a.link_index is not None
                else report.get("unattributed_quotes", [])
            )
            qi = quote_position(quotes, a)
            if qi is not None:
                self.by_quote.setdefault((a.link_index, qi), []).append(a)
            elif a.link_index is not None:
                self.by_link.setdefault(a.link_index, []).append(a)
            else:
                self.article.append(a)

    def link_notes(self, index: int) -> list[AnchoredNote]:
        return self.by_link.get(index, [])

    def quote_notes(self, link_index: int | None, quote_index: int) -> list[AnchoredNote]:
        return self.by_quote.get((link_index, quote_index), [])


def quote_position(quotes: Sequence[dict], a: AnchoredNote) -> int | None:
    if a.note.target.quote_text is None:
        return None
    if a.article_start is not None:
        for i, q in enumerate(quotes):
            if q.get("article_start") == a.article_start and q.get("article_end") == a.article_end:
                return i
    if a.quote_index is not None and 0 <= a.quote_index < len(quotes):
        return a.quote_index
    return None


def note_dict(a: AnchoredNote) -> dict[str, Any]:
    """One note as plain JSON."""
    n, t = a.note, a.note.target
    return {
        "id": n.id,
        "uid": n.uid,
        "kind": t.kind,
        "verdict": n.verdict,
        "verdict_label": VERDICT_LABELS.get(n.verdict) if n.verdict else None,
        "body": n.body,
        "created": n.created_at,
        "modified": n.updated_at,
        "orphaned": a.orphaned,
        "anchored_by": a.how,
        "link_index": a.link_index,
        "quote_index": a.quote_index,
        "article_start": a.article_start,
        "article_end": a.article_end,
        "link_url": t.link_url,
        "claim": t.claim,
        "quote_text": t.quote_text,
    }
