"""Markdown export: a report an editor reads (claims, quotes, match class, word diff, verdicts, notes).
Untrusted web text is escaped so it can never open a link, an image, emphasis or raw HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote as urlquote

from ..framing import describe
from ..notes import VERDICT_LABELS, AnchoredNote, Note
from ..skipped import describe_skipped, report_diff_parts, report_pieces
from ..status import (
    NOT_CHECKED_REASON,
    STATUS_LABELS,
    archived_copy_label,
    capitalized,
    flag_label,
    report_quote_status,
    supplied_label,
)
from .placement import Placement

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
    """Word diff as Markdown: ~~only in the source~~, **only in the article**, *skipped* (a piece of the
    source that is not the author's words: the parts of `core.skipped.diff_parts` that name a kind), the
    rest plain. Takes (op, text) or (op, text, kind) parts."""
    parts = []
    prev = ""
    for part in diff:
        op, text = part[0], str(part[1])
        words = md_escape(text)
        if not words:
            parts.append(" " if text.strip() == "" and text else "")
            continue
        mark = "*" if len(part) > 2 and part[2] else {-1: "~~", 1: "**"}.get(op, "")
        lead = " " if text[:1].isspace() else ""
        if mark and prev and mark != prev and not lead and parts and not parts[-1][-1:].isspace():
            lead = " "  # ~~a~~**b** would read as one word
        prev = mark
        tail = " " if text[-1:].isspace() else ""
        parts.append(f"{lead}{mark}{words}{mark}{tail}")
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
    memento = fetch.get("memento")
    if status == "ok" and memento:
        label = archived_copy_label(link.get("url") or "", memento.get("datetime") or "")
        title = f" — “{md_escape(fetch['title'])}”" if fetch.get("title") else ""
        return (
            f"Source: the {md_escape(label)} ({md_escape(memento.get('url') or '')}){title}; "
            f"the live page failed: {md_escape(memento.get('original_error') or '')}"
        )
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
    status = report_quote_status(q)
    sim = q.get("similarity") if status != "not_checked" else None
    label = STATUS_LABELS[status] + (f" ({NOT_CHECKED_REASON})" if status == "not_checked" else "")
    out = [
        f"### Quote {n}: {label}" + (f" (similarity {sim:.2f})" if isinstance(sim, int | float) else ""),
        "",
    ]
    out += ["Article:", "", _blockquote(q.get("text", "")), ""]
    if q.get("source_text"):
        out += ["Source:", "", _blockquote(q["source_text"]), ""]
    details = []
    if q.get("flags"):
        details.append("meaning may change: " + "; ".join(md_escape(flag_label(f)) for f in q["flags"]))
    holder = q.get("found_in_link")
    if holder is not None:
        other = links.get(holder, {})
        details.append(f"found in the source of link {holder + 1} ({md_escape(other.get('url') or '?')})")
    if q.get("in_main_text") is False:
        details.append("found only outside the page's main text")
    if q.get("other_matches"):
        details.append(f"{q['other_matches']} other place(s) in the source match too")
    pieces = report_pieces(q)
    if pieces:
        details.append(md_escape(describe_skipped(pieces)) + " (not the author's words, not matched)")
    if details:
        out += ["- " + d for d in details] + [""]
    out += _framing_md(q.get("framing", []))
    if q.get("diff") and match == "altered":
        skipped = ", *skipped*" if pieces else ""
        out += [
            f"Word diff (~~only in the source~~, **only in the article**{skipped}):",
            "",
            render_diff(report_diff_parts(q)),
            "",
        ]
    return out


def _framing_md(cues: Sequence[dict]) -> list[str]:
    """The framing cues of a claim or a quote, one line each (core/framing describes them)."""
    if not cues:
        return []
    return ["Framing:", ""] + [f"- {md_escape(describe(c))}" for c in cues] + [""]


def export_markdown(report: dict, anchored: Sequence[AnchoredNote]) -> str:
    """A report an editor can read: each claim with its source, quotes, diffs, verdicts and notes."""
    article = report.get("article", {})
    links_list = report.get("links", [])
    links = {link["index"]: link for link in links_list}
    placed = Placement(report, anchored)
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
        if link.get("link_recovered") and report.get("links_from"):
            out.append(
                f"Link restored from the published version ({md_escape(report['links_from']['location'])}).  "
            )
        if link.get("supplied_target"):
            out.append(f"{md_escape(capitalized(supplied_label(link['supplied_target'])))}.  ")
        if link.get("target_kind", "web") == "web" or link.get("source_supplied"):
            out.append(_fetch_md(link))
        else:
            out.append(f"Not a web source ({md_escape(link.get('target_kind', ''))}).")
        out.append("")
        out += _framing_md(link.get("framing", []))
        out += _notes_md(link_notes, "Claim — ")
        for qi, q in enumerate(link.get("quotes", [])):
            out += _quote_md(q, qi + 1, links)
            out += _notes_md(placed.quote_notes(idx, qi))
    unattributed = report.get("unattributed_quotes", [])
    if unattributed:
        out += ["## Quotes without a link", "", "Each was searched in every source of the article.", ""]
        for qi, q in enumerate(unattributed):
            out += _quote_md(q, qi + 1, links)
            if q.get("supplied_target"):
                out += [
                    md_escape(capitalized(supplied_label(q["supplied_target"]))) + ".  ",
                    _fetch_md(q),
                    "",
                ]
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
