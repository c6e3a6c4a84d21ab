"""Turn a report (contract.md shape) and the user's anchored notes into something to hand on.

Three faces of the same data: Markdown an editor reads, JSON a script reads (the report plus notes), and
W3C Web Annotations (JSON-LD) that annotation tools exchange. Each function takes the report dict and the
`AnchoredNote`s from `anchoring.anchor_notes(...)` and never touches the database or the network.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import quote as urlquote

from .notes import VERDICT_LABELS, AnchoredNote, Note

ExportFormat = Literal["markdown", "json", "annotations"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("markdown", "json", "annotations")
ANNO_CONTEXT: Final = "http://www.w3.org/ns/anno.jsonld"
_NS = uuid.UUID("6f1d0a52-3c1e-4d7e-9a43-5c0de5ca7c11")  # for stable collection ids


def export(report: dict, anchored: Sequence[AnchoredNote], fmt: ExportFormat) -> str:
    """The export as text, ready to print or write to a file."""
    if fmt == "markdown":
        return export_markdown(report, anchored)
    if fmt == "json":
        return json.dumps(export_json(report, anchored), ensure_ascii=False, indent=2) + "\n"
    if fmt == "annotations":
        return json.dumps(export_annotations(report, anchored), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------------------
# Placing notes on the report


class _Placement:
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
            qi = _quote_position(quotes, a)
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


def _quote_position(quotes: Sequence[dict], a: AnchoredNote) -> int | None:
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


# ---------------------------------------------------------------------------------------------------------
# JSON


def export_json(report: dict, anchored: Sequence[AnchoredNote]) -> dict:
    """The report, unchanged, plus a "notes" list on every link and quote and the orphaned notes."""
    out = copy.deepcopy(report)
    placed = _Placement(report, anchored)
    for link in out.get("links", []):
        link["notes"] = [note_dict(a) for a in placed.link_notes(link["index"])]
        for qi, q in enumerate(link.get("quotes", [])):
            q["notes"] = [note_dict(a) for a in placed.quote_notes(link["index"], qi)]
    for qi, q in enumerate(out.get("unattributed_quotes", [])):
        q["notes"] = [note_dict(a) for a in placed.quote_notes(None, qi)]
    out["article_notes"] = [note_dict(a) for a in placed.article]
    out["orphaned_notes"] = [note_dict(a) for a in placed.orphaned]
    verdicts: dict[str, int] = {}
    for a in anchored:
        if a.note.verdict:
            verdicts[a.note.verdict] = verdicts.get(a.note.verdict, 0) + 1
    out["notes_summary"] = {
        "total": len(anchored),
        "orphaned": len(placed.orphaned),
        "verdicts": dict(sorted(verdicts.items())),
    }
    return out


# ---------------------------------------------------------------------------------------------------------
# W3C Web Annotations


def export_annotations(report: dict, anchored: Sequence[AnchoredNote]) -> dict:
    """An AnnotationCollection (JSON-LD) holding one Annotation per note.

    A quote note whose passage was found in a source targets that source's URL, with selectors into the
    source's readable text; anything else (a claim note, a quote not found) targets the article itself.
    """
    links = {link["index"]: link for link in report.get("links", [])}
    placed = _Placement(report, anchored)
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
    link_url = (link or {}).get("url") or t.link_url
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
        holder = quote.get("found_in_link")
        link = links.get(holder if holder is not None else a.link_index) or {}
        url = (link.get("fetch") or {}).get("final_url") or link.get("url")
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


# ---------------------------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#!])")
_WS = re.compile(r"\s+")


def md_escape(text: str) -> str:
    """Inline-safe Markdown: web text cannot open a link, an image, emphasis or raw HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _WS.sub(" ", text).strip())


def _md_url(url: str) -> str:
    return urlquote(url, safe=":/?#[]@!$&'*+,;=%~-._")


_LINE_START = re.compile(r"^([-+=]|\d+[.)])")


def _blockquote(text: str) -> str:
    """Untrusted text as a Markdown block quote, one `>` line per line, nothing interpreted."""
    lines = [
        _LINE_START.sub(r"\\\1", _MD_SPECIAL.sub(r"\\\1", line.strip())) for line in text.strip().splitlines()
    ]
    # two trailing spaces keep the note's own line breaks (a hard break in Markdown)
    return "  \n".join(f"> {line}" if line else ">" for line in lines or [""])


def render_diff(diff: Sequence[Sequence[Any]]) -> str:
    """Word diff as Markdown: ~~only in the source~~, **only in the article**, the rest plain."""
    parts = []
    prev_op = 0
    for op, text in diff:
        words = md_escape(str(text))
        if not words:
            parts.append(" " if str(text).strip() == "" and text else "")
            continue
        lead = " " if str(text)[:1].isspace() else ""
        if op and prev_op and op != prev_op and not lead and parts and not parts[-1][-1:].isspace():
            lead = " "  # ~~a~~**b** would read as one word
        prev_op = op
        tail = " " if str(text)[-1:].isspace() else ""
        if op == -1:
            parts.append(f"{lead}~~{words}~~{tail}")
        elif op == 1:
            parts.append(f"{lead}**{words}**{tail}")
        else:
            parts.append(f"{lead}{words}{tail}")
    return _WS.sub(" ", "".join(parts)).strip()


def _notes_md(notes: Sequence[AnchoredNote], heading: str = "") -> list[str]:
    out: list[str] = []
    for a in notes:
        out.extend(_note_md(a.note, heading))
    return out


def _note_md(n: Note, heading: str = "") -> list[str]:
    label = f"Verdict: {VERDICT_LABELS[n.verdict]}" if n.verdict else "Note"
    out = [f"{heading}**{label}** (noted {n.updated_at[:16].replace('T', ' ')} UTC)", ""]
    if n.body.strip():
        out += [_blockquote(n.body), ""]
    return out


def _fetch_md(link: dict) -> str:
    fetch = link.get("fetch") or {}
    status = fetch.get("status")
    if status == "ok":
        http = f"HTTP {fetch['http_status']}, " if fetch.get("http_status") else ""
        when = fetch.get("fetched_at")
        if fetch.get("from_archive"):
            copy_note = "read from the archived copy in the evidence archive"
            copy_note += f" (captured {when})" if when else ""
        else:
            copy_note = f"fetched live{f' at {when}' if when else ''}"
        title = f" — “{md_escape(fetch['title'])}”" if fetch.get("title") else ""
        return f"Source: {http}{copy_note}{title}."
    if status == "error":
        return f"Source could not be read: {md_escape(fetch.get('error') or 'unknown error')}"
    return f"Source not fetched{': ' + md_escape(fetch['error']) if fetch.get('error') else ''}."


def _quote_md(q: dict, n: int, links: dict[int, dict]) -> list[str]:
    match = q.get("match", "not_found")
    sim = q.get("similarity")
    out = [
        f"### Quote {n}: {match}" + (f" (similarity {sim:.2f})" if isinstance(sim, int | float) else ""),
        "",
    ]
    out += ["Article:", "", _blockquote(q.get("text", "")), ""]
    if q.get("source_text"):
        out += ["Source:", "", _blockquote(q["source_text"]), ""]
    details = []
    if q.get("flags"):
        details.append("meaning may change: " + ", ".join(md_escape(f) for f in q["flags"]))
    holder = q.get("found_in_link")
    if holder is not None:
        other = links.get(holder, {})
        details.append(f"found in the source of link {holder + 1} ({md_escape(other.get('url') or '?')})")
    if q.get("in_main_text") is False:
        details.append("found only outside the page's main text")
    if q.get("other_matches"):
        details.append(f"{q['other_matches']} other place(s) in the source match too")
    if details:
        out += ["- " + d for d in details] + [""]
    if q.get("diff") and match == "altered":
        out += [
            "Word diff (~~only in the source~~, **only in the article**):",
            "",
            render_diff(q["diff"]),
            "",
        ]
    return out


def export_markdown(report: dict, anchored: Sequence[AnchoredNote]) -> str:
    """A report an editor can read: each claim with its source, quotes, diffs, verdicts and notes."""
    article = report.get("article", {})
    links_list = report.get("links", [])
    links = {link["index"]: link for link in links_list}
    placed = _Placement(report, anchored)
    title = article.get("title") or article.get("location") or "Untitled article"
    quotes_total = sum(len(link.get("quotes", [])) for link in links_list)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"# Source check: {md_escape(title)}",
        "",
        f"Article: {md_escape(str(article.get('location', '')))}  ",
        f"Exported {stamp}: {len(links_list)} links, {quotes_total} quotes, {len(anchored)} notes"
        + (f" ({len(placed.orphaned)} orphaned)" if placed.orphaned else "")
        + ".",
        "",
    ]
    for link in links_list:
        idx = link["index"]
        link_notes = placed.link_notes(idx)
        has_quote_notes = any(placed.quote_notes(idx, qi) for qi in range(len(link.get("quotes", []))))
        if link.get("role") == "boilerplate" and not (link_notes or has_quote_notes):
            continue
        out += [f"## {idx + 1}. {md_escape(link.get('claim') or link.get('anchor_text') or '')}", ""]
        url = link.get("url")
        anchor = md_escape(link.get("anchor_text") or url or "link")
        out.append(f"Link: [{anchor}]({_md_url(url)})  " if url else f"Link: {anchor} (no target)  ")
        if link.get("target_kind", "web") == "web":
            out.append(_fetch_md(link))
        else:
            out.append(f"Not a web source ({md_escape(link.get('target_kind', ''))}).")
        out.append("")
        out += _notes_md(link_notes, "Claim — ")
        for qi, q in enumerate(link.get("quotes", [])):
            out += _quote_md(q, qi + 1, links)
            out += _notes_md(placed.quote_notes(idx, qi))
    unattributed = report.get("unattributed_quotes", [])
    annotated = [(qi, q) for qi, q in enumerate(unattributed) if placed.quote_notes(None, qi)]
    if annotated:
        out += ["## Quotes without a link", ""]
        for qi, q in annotated:
            out += [f"### Quote {qi + 1}", "", _blockquote(q.get("text", "")), ""]
            out += _notes_md(placed.quote_notes(None, qi))
    if placed.article:
        out += ["## Other notes on the article", ""]
        for a in placed.article:
            out += ["On:", "", _blockquote(a.note.target.quote_text or a.note.target.claim), ""]
            out += _note_md(a.note)
    if placed.orphaned:
        out += [
            "## Orphaned notes",
            "",
            "These notes were made on text that is no longer in the article; they are kept as written.",
            "",
        ]
        for a in placed.orphaned:
            t = a.note.target
            what = "Quote" if t.quote_text is not None else "Claim"
            text = t.quote_text if t.quote_text is not None else (t.claim or t.link_url or "(unknown)")
            out += [f"{what} (link {md_escape(t.link_url or 'none')}):", "", _blockquote(text), ""]
            out += _note_md(a.note)
    return "\n".join(out).rstrip() + "\n"
