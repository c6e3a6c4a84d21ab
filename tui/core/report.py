"""The report: the JSON object of `sourcecheck check --format json`, and its plain-text rendering.

The JSON shape is a contract other tools depend on: keys may be added, never renamed or dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import __version__
from .framing import cue_json, describe, notable
from .models import Article, Evidence, FetchResult, LinkOutcome, Quote, QuoteMatch, QuoteOutcome, Source
from .notes.attached import AttachedSource
from .recovery import not_recovered
from .skipped import describe_skipped, match_pieces, pieces_json, report_pieces
from .status import (
    NOT_CHECKED_REASON,
    QUOTE_STATUSES,
    STATUS_LABELS,
    Counts,
    archived_copy_label,
    flag_label,
    report_quote_status,
    status_of,
    supplied_label,
)

REPORT_VERSION = 1
# The counts of the quotes with no link, by status (`status.Counts`), beside the citations' own.
UNLINKED_COUNT_KEYS = tuple(f"unattributed_{status}" for status in QUOTE_STATUSES)


def build_report(
    article: Article,
    outcomes: Sequence[LinkOutcome],
    unattributed: Sequence[Quote | QuoteOutcome],
    archive_notes: Sequence[str] = (),
    orphaned_sources: Sequence[AttachedSource] = (),
    published: str | None = None,
) -> dict:
    """The report object (docs/report-format.md). `unattributed` are the quotes with no link, as plain
    quotes (not searched) or as `QuoteOutcome`s; `orphaned_sources` are saved attachments that fit nowhere;
    `published` is the article's date as found in its metadata or byline (ISO 8601)."""
    report = {
        "sourcecheck": {"version": __version__, "report_version": REPORT_VERSION},
        "article": {
            "location": article.location,
            "title": article.title,
            "text_chars": len(article.text),
            "published": published or article.published,
        },
        "links": [_link(o) for o in outcomes],
        "unattributed_quotes": [_unattributed(q) for q in unattributed],
        "links_from": _links_from(article, outcomes),
        "orphaned_sources": [
            {"target": a.target, "kind": a.kind, "on": a.on.quote_text or a.on.claim}
            for a in orphaned_sources
        ],
        "archive_notes": list(archive_notes),
    }
    report["counts"] = report_counts(report)
    return report


def _unattributed(item: Quote | QuoteOutcome) -> dict[str, Any]:
    outcome = item if isinstance(item, QuoteOutcome) else QuoteOutcome(item)
    out = _quote(outcome.quote, outcome.match)
    out["source_supplied"] = outcome.supplied is not None
    out["supplied_target"] = outcome.supplied.given if outcome.supplied else None
    out["fetch"] = (
        _fetch_dict(outcome.fetch_status, outcome.fetch, outcome.source, outcome.error)
        if outcome.supplied
        else None
    )
    return out


def _links_from(article: Article, outcomes: Sequence[LinkOutcome]) -> dict[str, Any] | None:
    recovery = article.link_recovery
    if recovery is None:
        return None
    return {
        "location": recovery.location,
        "error": recovery.error,
        "recovered": [o.link.index for o in outcomes if o.recovered],
        "not_recovered": [link.index for link in not_recovered([o.link for o in outcomes])],
    }


def _link(outcome: LinkOutcome) -> dict[str, Any]:
    link = outcome.link
    return {
        "index": link.index,
        "url": link.url,
        "target_kind": link.target_kind,
        "role": link.role,
        "anchor_text": link.anchor_text,
        "anchor_start": link.anchor_start,
        "anchor_end": link.anchor_end,
        "claim": link.claim,
        "claim_start": link.claim_start,
        "claim_end": link.claim_end,
        "fetch": _fetch_dict(outcome.fetch_status, outcome.fetch, outcome.source, outcome.error),
        "quotes": [
            {**_quote(q, m), "source_supplied": q.start in outcome.user_quotes} for q, m in outcome.quotes
        ],
        "evidence": [_evidence(e) for e in outcome.evidence],
        "framing": [cue_json(c) for c in outcome.framing],
        "source_supplied": outcome.supplied is not None,
        "supplied_target": outcome.supplied.given if outcome.supplied else None,
        "link_recovered": outcome.recovered,
    }


def _fetch_dict(status: str, result: FetchResult | None, source: Source | None, error: str | None) -> dict:
    memento = result.memento if result else None
    return {
        "status": status,
        "http_status": result.http_status if result else None,
        "final_url": result.final_url if result else None,
        "content_type": result.content_type if result else None,
        "title": source.title if source else None,
        "text_chars": len(source.text) if source else None,
        "from_archive": bool(result and result.from_archive),
        "fetched_at": result.fetched_at if result else None,
        "error": error,
        "failure": (memento.original_failure if memento else result.failure) if result else None,
        "archive_file": result.archive_file if result else None,
        "archive_note": result.archive_note if result else None,
        "memento": (
            {"url": memento.url, "datetime": memento.datetime, "original_error": memento.original_error}
            if memento
            else None
        ),
    }


def _quote(quote: Quote, found: QuoteMatch) -> dict[str, Any]:
    return {
        "text": quote.text,
        "article_start": quote.start,
        "article_end": quote.end,
        "block": quote.block,
        "attribution": quote.attribution,
        "quotation": quote.quotation,
        "match": found.match,
        "similarity": round(found.similarity, 4),
        "source_text": found.source_text,
        "source_start": found.source_start,
        "source_end": found.source_end,
        "prefix": found.prefix,
        "suffix": found.suffix,
        "found_in_link": found.found_in_link,
        "in_main_text": found.in_main_text,
        "other_matches": found.other_matches,
        "flags": list(found.flags),
        "diff": [[op, text] for op, text in found.diff],
        "searched": found.searched,
        "skipped": [list(span) for span in found.skipped],
        "skipped_pieces": pieces_json(match_pieces(found)),
        "framing": [cue_json(c) for c in found.framing],
        "status": status_of(found),
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "text": evidence.text,
        "source_start": evidence.source_start,
        "source_end": evidence.source_end,
        "score": round(evidence.score, 4),
    }


def _status_words(quote: dict) -> str:
    """The quote's status as the text report prints it: a problem in capitals, so it stands out."""
    status = report_quote_status(quote)
    label = STATUS_LABELS[status]
    if status == "not_checked":
        return f"{label} ({NOT_CHECKED_REASON})"
    return label.upper() if status in ("altered", "not_found") else label


def render_text(report: dict) -> str:
    """A report for people reading a terminal or a log: one block per citation, numbered from 1 as in
    the reader and the Markdown export (the JSON keeps 0-based indexes)."""
    article = report["article"]
    lines = [f"{article['title'] or article['location']}", f"  {article['location']}", ""]
    for link in report["links"]:
        if link["role"] != "citation":
            continue
        fetch = link["fetch"]
        target = link["url"] or f"({link['target_kind']} link)"
        lines.append(f"[{link['index'] + 1}] {link['anchor_text']!r} -> {target}")
        lines.append(f"    claim: {link['claim']}")
        lines += _framing_lines(link.get("framing", []), "    ")
        if link.get("link_recovered"):
            lines.append(f"    link restored from {report['links_from']['location']}")
        if link.get("supplied_target"):
            lines.append(f"    {supplied_label(link['supplied_target'])}")
        lines.extend(_fetch_lines(fetch, link["url"]))
        if fetch.get("archive_note"):
            lines.append(f"    evidence: {fetch['archive_note']}")
        for quote in link["quotes"]:
            verdict = _status_words(quote)
            extra = []
            if quote["flags"]:
                extra.append("meaning may change: " + ", ".join(flag_label(f) for f in quote["flags"]))
            if quote["found_in_link"] is not None:
                extra.append(f"found in link [{quote['found_in_link'] + 1}]")
            if quote["in_main_text"] is False:
                extra.append("outside the main text")
            tail = f" ({'; '.join(extra)})" if extra else ""
            similarity = "" if report_quote_status(quote) == "not_checked" else f" {quote['similarity']:.2f}"
            lines.append(f"    “{quote['text']}” — {verdict}{similarity}{tail}")
            lines += _framing_lines(quote.get("framing", []), "      ")
            if quote["match"] == "altered":
                lines.append(f"      source says: “{quote['source_text']}”")
            if skipped := describe_skipped(report_pieces(quote)):
                lines.append(f"      {skipped} (not the author's words)")
        lines.append("")
    if report["unattributed_quotes"]:
        lines.append("Quotes with no link (searched in every source of the article):")
        for q in report["unattributed_quotes"]:
            verdict = _status_words(q)
            where = (
                f" (found in link [{q['found_in_link'] + 1}])" if q.get("found_in_link") is not None else ""
            )
            lines.append(f"    “{q['text']}” — {verdict}{where}")
            if skipped := describe_skipped(report_pieces(q)):
                lines.append(f"      {skipped} (not the author's words)")
            if q.get("supplied_target"):
                lines.append(f"      {supplied_label(q['supplied_target'])}")
                lines.extend("  " + line for line in _fetch_lines(q["fetch"], q["supplied_target"]))
        lines.append("")
    links_from = report.get("links_from")
    if links_from:
        if links_from["error"]:
            lines.append(f"Links could not be restored from {links_from['location']}: {links_from['error']}")
        else:
            missing = ", ".join(f"[{i + 1}]" for i in links_from["not_recovered"]) or "none"
            lines.append(
                f"Links restored from {links_from['location']}: {len(links_from['recovered'])}; "
                f"still without a target: {missing}"
            )
        lines.append("")
    for note in report.get("archive_notes", []):
        lines += [f"Evidence archive: {note}", ""]
    lines.append(summary_line(report))
    return "\n".join(lines)


def _framing_lines(cues: list[dict], indent: str) -> list[str]:
    """The framing cues worth a look, one line (see core/framing)."""
    worth = notable(cues)
    return [indent + "framing: " + "; ".join(describe(c) for c in worth)] if worth else []


def _fetch_lines(fetch: dict, original: str | None) -> list[str]:
    if fetch["status"] == "ok":
        memento = fetch.get("memento")
        if memento:
            return [
                f"    source: {fetch['title'] or fetch['final_url']} "
                f"({archived_copy_label(original or '', memento['datetime'])})",
                f"      the live page failed: {memento['original_error']}",
            ]
        where = "from archive" if fetch["from_archive"] else f"HTTP {fetch['http_status']}"
        where = "local file" if fetch["http_status"] is None and not fetch["from_archive"] else where
        return [f"    source: {fetch['title'] or fetch['final_url']} ({where})"]
    return [f"    source: {fetch['error']}"] if fetch["error"] else []


# Sentences from fetch.py / netpolicy.py that mean "nothing answers at this address any more"
# (tests/test_audit_counts.py pins them to the functions that write them).
def is_dead_link(fetch: dict) -> bool:
    """Whether a report link's `fetch` says the live source is gone for good: `fetch.failure` is set (HTTP
    404 or 410, a page saying it is gone, a host name that no longer resolves, a server that refuses
    connections; `FailureKind`), also when an archived copy was read in its place. Timeouts, paywalls and
    5xx are failures, not deaths (the page may come back)."""
    return fetch.get("failure") is not None


def report_counts(report: dict) -> dict[str, int]:
    """The counts of a report, over its citations (boilerplate links are not claims).

    Keys: claims, quotes, verbatim, altered, not_found (searched and absent), not_checked (no source text
    to search), unattributed, sources_read, sources_failed (links), dead_links (see `is_dead_link`),
    unattributed_verbatim / _altered / _not_found / _not_checked (the quotes with no link, by status),
    archived_copies (links read from a Memento copy, `fetch.memento`), and framing_cues (the cues worth a
    look, `framing.notable`, on claims and quotations) only when the report carries `framing` lists. The
    quote and source counts are `status.Counts` (one definition for `check`, `export`, `audit`, the HTML
    report and the reader).
    """
    base = Counts.from_report(report).as_dict()
    citations = [link for link in report["links"] if link.get("role", "citation") == "citation"]
    counts = {
        "claims": len(citations),
        "quotes": sum(len(link["quotes"]) for link in citations),
        **{key: base[key] for key in ("verbatim", "altered", "not_found", "not_checked", "unattributed")},
        "sources_read": base["sources_read"],
        "sources_failed": base["sources_failed"],
        "dead_links": sum(is_dead_link(link["fetch"]) for link in citations),
        "archived_copies": sum(bool(link["fetch"].get("memento")) for link in citations),
        **{key: base[key] for key in UNLINKED_COUNT_KEYS},
    }
    framing: int | None = None
    quotes = [q for link in citations for q in link["quotes"]] + list(report["unattributed_quotes"])
    for item in (*citations, *quotes):
        if "framing" in item:
            framing = (framing or 0) + len(notable(item["framing"] or ()))
    if framing is not None:
        counts["framing_cues"] = framing
    return counts


def summary_line(report: dict) -> str:
    """The last line of the text report (`status.Counts.summary_line`)."""
    return Counts.from_report(report).summary_line()
