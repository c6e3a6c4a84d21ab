"""The source side: a header (title, final URL, status, fetched-at, archive), an info strip and the text.

It draws a `SourceView` from the session and decides nothing: which text, which passage, which words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..core.safe_text import one_line
from ..core.skipped import DiffPart
from ..core.status import NOT_CHECKED_REASON, STATUS_LABELS, flag_label, human_date
from ..session import InfoLine, Row, SourceView
from .text_view import TextView
from .tones import TONES

STATUS_STYLES = {
    "verbatim": "bold $text-success",
    "altered": "bold $text-warning",
    "not_found": "bold $text-error",
    "not_checked": "bold $text-muted",
}
ADDED = "bold $text-success on $success-muted underline"
REMOVED = "bold $text-error on $error-muted strike"
SKIPPED = "dim $text-muted strike"


def header_content(row: Row) -> Content:
    """Where the text on the right came from, in three lines."""
    outcome, link = row.outcome, row.link
    if row.stripped:
        target = one_line(link.url or "the link points nowhere")
        return Content.assemble(("Stripped link", "bold $text-error"), " — ", target)
    fetch, source = outcome.fetch, outcome.source
    if source is not None:
        title = source.title or "(the source has no title)"
    else:
        title = {"error": "Fetch failed", "skipped": "Not fetched"}.get(row.state, "Fetching the source…")
    url = (fetch.final_url if fetch else None) or link.url or ""
    if outcome.supplied is not None and outcome.supplied.kind == "file":
        url = outcome.supplied.given  # the file as the user named it, not its file:// address
    bits: list[Content | str | tuple[str, str]] = []
    if fetch and fetch.memento is not None:  # first: a narrow pane must still say it is not the live page
        bits.append((f"archived copy from {human_date(fetch.memento.datetime)}", "bold $text-warning"))
    if fetch and fetch.http_status is not None:
        bits.append(
            (f"HTTP {fetch.http_status}", "$text-success" if fetch.http_status < 400 else "$text-error")
        )
    if fetch and fetch.from_archive:  # before the date: a narrow pane cuts the end of the line
        bits.append(("from archive", "$text-warning"))
    if fetch and fetch.fetched_at:
        bits.append((f"fetched {_when(fetch.fetched_at)}", "$text-muted"))
    if row.state == "fetching" and row.received:
        bits.append((f"fetching… {row.received / 1024:.0f} KB", "$text-muted"))
    elif row.state in ("queued", "fetching"):
        bits.append((row.state + "…", "$text-muted"))
    second = Content("  ").join(Content.assemble(bit) for bit in bits)
    return Content("\n").join(
        [Content.styled(one_line(title), "bold"), second, Content.styled(one_line(url), "$text-accent")]
    )


def _when(stamp: str) -> str:
    """`2026-03-14T09:30:00Z` -> `2026-03-14 09:30 UTC` (shorter, and still unambiguous)."""
    text = one_line(stamp)
    if len(text) >= 16 and text[10] == "T" and text.endswith(("Z", "+00:00")):
        return f"{text[:10]} {text[11:16]} UTC"
    return text


def diff_content(parts: Sequence[DiffPart]) -> Content:
    """The article's version and the source's, word by word: added and removed words marked, and the
    source's skipped pieces (not the author's words: `[4]`, a running head) dimmed and struck.

    Each line is exactly its side's text (equal runs plus that side's changes), and white space at the
    edge of a change is left unstyled, so a changed word never looks glued to its neighbour.
    """
    article: list[Content] = [Content.styled("article ", "bold $text-muted")]
    source: list[Content] = [Content.styled("source  ", "bold $text-muted")]
    for op, text, skipped in parts:
        text = one_line(text)
        if op == 0:
            article.append(Content(text))
            source.append(Content(text))
        elif skipped is not None:
            source.append(_changed(text, SKIPPED))
        else:
            (article if op == 1 else source).append(_changed(text, ADDED if op == 1 else REMOVED))
    return Content("\n").join([Content("").join(article), Content("").join(source)])


def _changed(text: str, style: str) -> Content:
    core = text.strip()
    if not core:
        return Content(text)
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return Content.assemble(lead, (core, style), tail)


def quote_summary(view: SourceView) -> Content:
    """One line about the current quote: position, status, similarity, where it was found, flags."""
    match, status = view.match, view.status
    assert match is not None
    parts: list[Content | str | tuple[str, str]] = [(f"quote {view.position}/{view.total}", "bold")]
    if status is not None:  # the session says it for every quote it shows; nothing is guessed here
        parts += [" ", (STATUS_LABELS[status], STATUS_STYLES[status])]
    if status == "not_checked":
        parts += ["  ", NOT_CHECKED_REASON]
    elif status is not None:
        parts.append(f"  similarity {match.similarity:.0%}")
    if match.found_in_link is not None:
        parts.append(f"  found in the source of link {match.found_in_link + 1}")
    elif match.in_main_text is False:
        parts.append("  found outside the page's main text")
    if match.other_matches:
        parts.append(f"  +{match.other_matches} more")
    if status == "not_found":
        parts.append("  nothing in this source is close; / searches it")
    if match.flags:
        parts += ["  ", ("; ".join(flag_label(f) for f in match.flags), "bold $text-error")]
    lines = [Content.assemble(*parts)]
    if view.lender is not None:
        lender = one_line(view.lender.title or view.lender.final_url or view.lender.url)
        lines.append(Content.styled(f"shown in that source: {lender}", "$text-muted"))
    if view.diff:
        lines.append(diff_content(view.diff))
    return Content("\n").join(lines)


def claim_summary(view: SourceView) -> Content:
    """The claim itself (not one of its quotes) is the subject: its note and verdict judge the claim."""
    plural = "s" if view.quote_count != 1 else ""
    parts: list[Content | str | tuple[str, str]] = [
        ("the claim", "bold reverse $text-primary"),
        (f"  n/p: its {view.quote_count} quote{plural}", "$text-muted"),
    ]
    if view.has_evidence:
        parts.append(("  highlighted: passages bearing on it", "$text-muted"))
    return Content.assemble(*parts)


def evidence_summary(view: SourceView) -> Content:
    if view.evidence is None:
        return Content.styled("No quote and no passage of the source bears on this claim.", "$text-muted")
    return Content.assemble(
        (f"evidence {view.position}/{view.total} ", "bold"),
        (f"score {view.evidence.score:.2f}", "$text-muted"),
        ("  the claim quotes nothing; these passages bear on it (n/p)", "$text-muted"),
    )


def offers_content(view: SourceView, keys: Mapping[str, str]) -> Content:
    """ "What you can do: s give it a source · …": the session's offers for this subject (`view.offers`,
    only what applies now), each with its key; empty when there is nothing to offer."""
    if not view.offers:
        return Content("")
    said = [f"{keys.get(offer.action, offer.action)} {offer.label}" for offer in view.offers]
    return Content.assemble(("What you can do: ", "bold"), " · ".join(said))


def failure_content(view: SourceView, keys: Mapping[str, str]) -> Content:
    """Why the source is missing and what the user can do about it."""
    return Content.assemble(
        ("Source unavailable\n", "bold $text-error"),
        one_line(view.reason or ""),
        "\n\n",
        offers_content(view, keys),
    )


def unlinked_header(total: int) -> Content:
    return Content("\n").join(
        [
            Content.styled(f"Quotes with no link ({total})", "bold"),
            Content.styled("quoted, but no source linked", "$text-muted"),
        ]
    )


def info_content(view: SourceView, keys: Mapping[str, str]) -> Content:
    """The strip between the header and the text, for every kind of view (`keys`: action -> its key)."""
    if view.kind == "unavailable":
        return failure_content(view, keys)
    if view.kind == "not_fetched":
        return Content.assemble(("Not fetched: ", "bold"), one_line(view.reason or ""))
    if view.kind == "waiting":
        return Content.styled("Waiting for the source…", "$text-muted")
    if view.kind == "quote":
        return quote_summary(view)
    if view.kind == "claim":
        return claim_summary(view)
    if view.kind == "evidence":
        return evidence_summary(view)
    if view.kind == "unlinked" and view.total and view.match is not None and view.status is not None:
        lines = [Content.styled("no link", "bold $text-warning"), quote_summary(view)]
        return Content("\n").join([*lines, offers_content(view, keys)])
    if view.kind == "unlinked" and view.total:
        where = Content.assemble(
            (f"quote {view.position}/{view.total} ", "bold"),
            ("no link", "bold $text-warning"),
            ("  (n/p)", "$text-muted"),
        )
        return Content("\n").join([where, offers_content(view, keys)])
    return Content("")


def extra_content(lines: tuple[InfoLine, ...]) -> list[Content]:
    return [Content.styled(one_line(line.text), TONES[line.tone]) for line in lines]


class SourcePane(Vertical):
    """Header + info strip (diff / quote / evidence / error) + the source's readable text.

    `keys` maps an action name to the key the screen binds it to, for the offers it draws.
    """

    keys: Mapping[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="source-header", markup=False)
        yield Static(id="source-info", markup=False)
        yield TextView(id="source-text")

    @property
    def text_view(self) -> TextView:
        return self.query_one("#source-text", TextView)

    def show(self, view: SourceView, *, keep_scroll: bool = False) -> None:
        """Draw `view`; the text is re-wrapped only when it is another text."""
        header = self.query_one("#source-header", Static)
        if view.kind == "unlinked":
            header.update(unlinked_header(view.total))
        elif view.row is None:
            header.update(Content.styled("No claim selected", "$text-muted"))
        else:
            header.update(header_content(view.row))
        info = self.query_one("#source-info", Static)
        info.set_class(view.kind == "unavailable", "-error")
        info.update(Content("\n").join([info_content(view, self.keys), *extra_content(view.extra)]))
        source = view.row.outcome.source if view.row else None
        if view.kind == "unlinked":
            self.border_title = "Quotes with no link"
        else:
            anchor = one_line(view.row.link.anchor_text)[:40] if view.row else ""
            self.border_title = f"Source — {anchor}" if source else "Source"
        text_view = self.text_view
        if not text_view.shows(view.text):
            text_view.set_text(view.text)
            keep_scroll = False
        text_view.set_highlights(list(view.highlights))
        if view.scroll_to is not None and not keep_scroll:
            # after the info strip above has its new height: the passage's place depends on the text's
            # height, and scrolling before the layout settles put it one line off now and then
            self.call_after_refresh(text_view.scroll_to_offset, view.scroll_to)
