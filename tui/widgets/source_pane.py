"""The source side: a header (title, final URL, status, fetched-at, archive), a diff strip and the text."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..core.models import Evidence, LinkOutcome, Quote, QuoteMatch
from ..core.safe_text import one_line
from .claims_list import ClaimRow
from .text_view import Highlight, TextView

MATCH_LABELS = {"verbatim": "verbatim", "altered": "altered", "not_found": "not found"}
FLAG_LABELS = {
    "number": "a number differs",
    "negation": "a negation differs",
    "qualifier_cut": "cut before a qualifier (but, unless, if...)",
    "condition_cut": "cut after a condition",
    "ellipsis": "the ellipsis drops a negation or qualifier",
}
MATCH_STYLES = {
    "verbatim": "bold $text-success",
    "altered": "bold $text-warning",
    "not_found": "bold $text-error",
}


def header_content(row: ClaimRow) -> Content:
    """Where the text on the right came from, in two lines."""
    outcome = row.outcome
    link = row.link
    if row.stripped:
        target = one_line(link.url or "the link points nowhere")
        return Content.assemble(("Stripped link", "bold $text-error"), " — ", target)
    fetch = outcome.fetch if outcome else None
    source = outcome.source if outcome else None
    if source is not None:
        title = source.title or "(the source has no title)"
    else:
        title = {"error": "Fetch failed", "skipped": "Not fetched"}.get(row.state, "Fetching the source…")
    first = Content.assemble((one_line(title), "bold"))
    url = (fetch.final_url if fetch else None) or link.url or ""
    bits: list[Content | str | tuple[str, str]] = []
    if fetch and fetch.http_status is not None:
        status_style = "$text-success" if fetch.http_status < 400 else "$text-error"
        bits += [(f"HTTP {fetch.http_status}", status_style)]
    if fetch and fetch.from_archive:  # before the date: a narrow pane cuts the end of the line
        bits += ["  ", ("from archive", "$text-warning")]
    if fetch and fetch.fetched_at:
        bits += ["  ", (f"fetched {_when(fetch.fetched_at)}", "$text-muted")]
    if row.state == "fetching" and row.received:
        bits += ["  ", (f"fetching… {row.received / 1024:.0f} KB", "$text-muted")]
    elif outcome is None or row.state in ("queued", "fetching"):
        bits += ["  ", (row.state + "…", "$text-muted")]
    if bits and bits[0] == "  ":
        bits = bits[1:]
    return Content("\n").join([first, Content.assemble(*bits), Content.styled(one_line(url), "$text-accent")])


def _when(stamp: str) -> str:
    """`2026-03-14T09:30:00Z` -> `2026-03-14 09:30 UTC` (shorter, and still unambiguous)."""
    text = one_line(stamp)
    if len(text) >= 16 and text[10] == "T" and text.endswith(("Z", "+00:00")):
        return f"{text[:10]} {text[11:16]} UTC"
    return text


def diff_content(quote: Quote, match: QuoteMatch) -> Content:
    """The article's version and the source's, word by word: added and removed words marked."""
    article: list[tuple[str, str] | str] = [("article ", "bold $text-muted")]
    source: list[tuple[str, str] | str] = [("source  ", "bold $text-muted")]
    for op, text in match.diff:
        text = one_line(text)
        if op == 0:
            article.append(text)
            source.append(text)
        elif op == 1:
            article.append((text, "bold $text-success on $success-muted underline"))
        else:
            source.append((text, "bold $text-error on $error-muted strike"))
    return Content("\n").join([Content.assemble(*article), Content.assemble(*source)])


def quote_summary(quote: Quote, match: QuoteMatch, position: int, total: int) -> Content:
    """One line about the current quote when there is no diff to show."""
    where = ""
    if match.found_in_link is not None:
        where = f"  found in the source of link {match.found_in_link + 1}"
    elif match.in_main_text is False:
        where = "  found outside the page's main text"
    extra = f"  +{match.other_matches} more" if match.other_matches else ""
    if match.match == "not_found":
        extra += "  nothing in this source is close; / searches it"
    return Content.assemble(
        (f"quote {position}/{total} ", "bold"),
        (MATCH_LABELS[match.match], MATCH_STYLES[match.match]),
        f"  similarity {match.similarity:.0%}{where}{extra}",
        (f"  {'; '.join(FLAG_LABELS.get(f, f) for f in match.flags)}", "bold $text-error")
        if match.flags
        else "",
    )


def claim_summary(evidence: tuple[Evidence, ...], quote_count: int) -> Content:
    """The claim itself (not one of its quotes) is the subject: its note and verdict judge the claim."""
    plural = "s" if quote_count != 1 else ""
    parts: list[Content | str | tuple[str, str]] = [
        ("the claim", "bold reverse $text-primary"),
        (f"  n/p: its {quote_count} quote{plural}", "$text-muted"),
    ]
    if evidence:
        parts.append(("  highlighted: passages bearing on it", "$text-muted"))
    return Content.assemble(*parts)


def evidence_summary(evidence: tuple[Evidence, ...], current: int) -> Content:
    if not evidence:
        return Content.styled("No quote and no passage of the source bears on this claim.", "$text-muted")
    item = evidence[current]
    return Content.assemble(
        (f"evidence {current + 1}/{len(evidence)} ", "bold"),
        (f"score {item.score:.2f}", "$text-muted"),
        ("  the claim quotes nothing; these passages bear on it (n/p)", "$text-muted"),
    )


def failure_content(row: ClaimRow) -> Content:
    """Why the source is missing and what the user can do about it."""
    error = (row.outcome.error if row.outcome else None) or "The source could not be fetched."
    if row.stripped:
        error = (row.outcome.error if row.outcome else None) or "This link has no usable target."
        actions = "e note it · 4 mark it unsupported"
    else:
        actions = "o open in browser · r refetch · w open an archived copy (Wayback Machine)"
    return Content.assemble(
        ("Source unavailable\n", "bold $text-error"),
        one_line(error),
        "\n\n",
        ("What you can do: ", "bold"),
        actions,
    )


class SourcePane(Vertical):
    """Header + info strip (diff / quote / evidence / error) + the source's readable text."""

    def show_header(self, row: ClaimRow) -> None:
        """Redraw only the header (download progress), leaving the text and its scroll alone."""
        self.query_one("#source-header", Static).update(header_content(row), layout=False)

    def compose(self) -> ComposeResult:
        yield Static(id="source-header", markup=False)
        yield Static(id="source-info", markup=False)
        yield TextView(id="source-text")

    @property
    def text_view(self) -> TextView:
        return self.query_one("#source-text", TextView)

    def show_unattributed(self, quotes: list[Quote], position: int) -> int | None:
        """The quotes with no link, listed; the current one highlighted. Returns its offset in the list."""
        header = self.query_one("#source-header", Static)
        info = self.query_one("#source-info", Static)
        header.update(
            Content("\n").join(
                [
                    Content.styled(f"Quotes with no link ({len(quotes)})", "bold"),
                    Content.styled("quoted, but no source linked", "$text-muted"),
                    Content.styled("e note · 1-5 verdict", "$text-muted"),
                ]
            )
        )
        info.remove_class("-error")
        if not quotes:
            info.update("")
            self.text_view.set_text("")
            return None
        position = min(max(position, 0), len(quotes) - 1)
        info.update(
            Content.assemble(
                (f"quote {position + 1}/{len(quotes)} ", "bold"),
                ("no link", "bold $text-warning"),
                ("  (n/p)", "$text-muted"),
            )
        )
        pieces, spans, pos = [], [], 0
        for number, quote in enumerate(quotes, 1):
            piece = f"{number}. “{quote.text}”"
            spans.append((pos, pos + len(piece)))
            pieces.append(piece)
            pos += len(piece) + 2
        text = "\n\n".join(pieces)
        view = self.text_view
        if view.text != text:
            view.set_text(text)
        start, end = spans[position]
        view.set_highlights([Highlight(start, end, "passage")])
        view.scroll_to_offset(start)
        return start

    def show(
        self,
        row: ClaimRow | None,
        quote_position: int,
        other: Callable[[int], LinkOutcome | None] = lambda index: None,
    ) -> int | None:
        """Show `row`'s source focused on quote (or evidence) `quote_position`; return the offset shown.

        `quote_position` -1 is the claim itself (of a claim that has quotes): its evidence is shown.
        A quote found in ANOTHER link's source (`found_in_link`) is shown in that source, via `other`.
        """
        header = self.query_one("#source-header", Static)
        info = self.query_one("#source-info", Static)
        view = self.text_view
        if row is None:
            header.update(Content.styled("No claim selected", "$text-muted"))
            info.update("")
            view.set_text("")
            return None
        header.update(header_content(row))
        outcome = row.outcome
        quotes = outcome.quotes if outcome else ()
        on_claim = quote_position < 0
        position = min(quote_position, len(quotes) - 1) if quotes else 0
        quote, match = quotes[position] if quotes and not on_claim else (None, None)
        source = outcome.source if outcome else None
        borrowed = False
        if match is not None and match.found_in_link is not None:
            lender = other(match.found_in_link)
            if lender is not None and lender.source is not None:
                source, borrowed = lender.source, True
        failed = row.stripped or row.state == "error"
        failed = failed or (outcome is not None and outcome.fetch_status == "error")
        if failed and not borrowed:
            info.update(failure_content(row))
            info.add_class("-error")
            view.set_text("")
            return None
        info.remove_class("-error")
        if source is None:
            if row.state == "skipped":
                reason = (outcome.error if outcome else None) or "This link is not fetched."
                info.update(Content.assemble(("Not fetched: ", "bold"), one_line(reason)))
            else:
                info.update(Content.styled("Waiting for the source…", "$text-muted"))
            if view.text:
                view.set_text("")
            return None
        use_page = match is not None and match.in_main_text is False
        text = source.page_text if use_page else source.text
        if not view.shows(text):
            view.set_text(text)
        if quote is not None and match is not None:
            summary = quote_summary(quote, match, position + 1, len(quotes))
            if borrowed:
                lender_title = one_line(source.title or source.final_url or source.url)
                summary = Content("\n").join(
                    [summary, Content.styled(f"shown in that source: {lender_title}", "$text-muted")]
                )
            if match.match == "altered" and match.diff:
                info.update(Content("\n").join([summary, diff_content(quote, match)]))
            else:
                info.update(summary)
            highlights = []
            if match.source_start is not None and match.source_end is not None:
                highlights.append(Highlight(match.source_start, match.source_end, "passage"))
            view.set_highlights(highlights)
            if highlights:
                view.scroll_to_offset(highlights[0].start)
                return highlights[0].start
            return None
        evidence = outcome.evidence if outcome else ()
        current = min(max(quote_position, 0), len(evidence) - 1) if evidence else 0
        info.update(claim_summary(evidence, len(quotes)) if on_claim else evidence_summary(evidence, current))
        highlights = [Highlight(e.source_start, e.source_end, "evidence") for e in evidence]
        if evidence:
            chosen = evidence[current]
            highlights.append(Highlight(chosen.source_start, chosen.source_end, "current"))
        view.set_highlights(highlights)
        if evidence:
            view.scroll_to_offset(evidence[current].source_start)
            return evidence[current].source_start
        return None
