"""What to draw, as plain values: the list's entries, the status line, the article's marks, the source
pane and the note label. Built from the session on demand; widgets render them and decide nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..core.models import Evidence, Quote, QuoteMatch, Source
from ..core.notes import Verdict
from ..core.skipped import DiffPart, describe_skipped, match_diff_parts, match_pieces
from ..core.status import Counts, QuoteStatus, located_text, source_label, status_of
from .actions import Offer
from .rows import FetchState, Mark, Row
from .subject import (
    UNLINKED,
    ClaimAsSubject,
    ClaimSubject,
    QuoteSubject,
    UnlinkedQuote,
    link_entry,
)

if TYPE_CHECKING:
    from .session import ReaderSession


@dataclass(frozen=True)
class Highlight:
    """Style `[start, end)` of a text with `kind` (later highlights paint on top)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class InfoLine:
    """A line the source pane shows under the subject's summary (extensions add these)."""

    text: str
    tone: Literal["plain", "muted", "accent", "warning", "error"] = "muted"


@dataclass(frozen=True)
class Entry:
    """One entry of the claims list."""

    id: str
    kind: Literal["claim", "unlinked", "heading", "orphan"]
    title: str = ""  # the anchor text; a heading's or an orphan note's text
    number: int = 0  # the claim's number (from 1), or how many quotes have no link
    where: str = ""  # where the link points (domain, "stripped link", ...)
    state: FetchState | None = None
    marks: tuple[Mark, ...] = ()
    verdicts: str = ""  # verdict digits of its notes
    has_note: bool = False
    stripped: bool = False
    dim: bool = False  # not a citation (byline, share, navigation)

    @property
    def navigable(self) -> bool:
        return self.kind in ("claim", "unlinked")


@dataclass(frozen=True)
class StatusView:
    """What the status line shows (`status_view`)."""

    title: str
    error: str | None = None
    loading: bool = True  # the article is not read yet
    done: int = 0  # sources fetched
    total: int = 0  # sources to fetch
    claims: int = 0
    counts: Counts = field(default_factory=Counts)
    filter_label: str | None = None


SourceKind = Literal[
    "none", "unavailable", "waiting", "not_fetched", "quote", "claim", "evidence", "unlinked"
]


@dataclass(frozen=True)
class SourceView:
    """The source pane for the current subject: which text, what to highlight, what to say about it."""

    kind: SourceKind
    row: Row | None = None
    text: str = ""  # the very string to show (identity tells the view whether to re-wrap)
    highlights: tuple[Highlight, ...] = ()
    scroll_to: int | None = None
    position: int = 0  # of the quote, passage or unlinked quote shown, from 1
    total: int = 0
    quote: Quote | None = None
    match: QuoteMatch | None = None
    status: QuoteStatus | None = None
    lender: Source | None = None  # the other link's source the quote was found in
    evidence: Evidence | None = None
    quote_count: int = 0
    has_evidence: bool = False
    reason: str | None = None  # why the source is unavailable or not fetched
    extra: tuple[InfoLine, ...] = ()
    diff: tuple[DiffPart, ...] = ()  # the word diff to draw (an altered quote), skipped pieces in place
    offers: tuple[Offer, ...] = ()  # what the user can do here (`actions.offers`), only what applies now


@dataclass(frozen=True)
class NoteView:
    """What the note pane shows (`note_view`)."""

    kind: str  # what the note is on: "the claim", "quote 2/3", ...
    subject: str  # its text
    verdict: Verdict | None = None
    body: str = ""


def listed(session: ReaderSession) -> tuple[list[Row], bool, list[Row]]:
    """What the list shows, in order: the citations the filter keeps, whether the row of quotes with no
    link follows (nothing to check them against: they always need attention), then the boilerplate."""
    flt = session.active_filter
    rows = [r for r in session.ordered_rows() if flt is None or flt.keep(r)]
    return [r for r in rows if r.citation], bool(session.rows.unlinked), [r for r in rows if not r.citation]


def navigable(session: ReaderSession) -> list[str]:
    """The entry ids j/k walk, in order (the entries' order, without building them)."""
    citations, unlinked, boilerplate = listed(session)
    ids = [link_entry(r.index) for r in citations]
    return ids + [UNLINKED] * unlinked + [link_entry(r.index) for r in boilerplate]


def entries(session: ReaderSession) -> list[Entry]:
    """The list: citations, the quotes with no link, boilerplate (dimmed), then notes on no subject."""
    citations, unlinked, boilerplate = listed(session)
    out = [claim_entry(session, r) for r in citations]
    if unlinked:
        out.append(unlinked_entry(session))
    if boilerplate:
        out.append(Entry("heading-boilerplate", "heading", "Not citations: byline, share, navigation"))
        out += [claim_entry(session, r) for r in boilerplate]
    if session.drafts.orphans:
        out.append(Entry("heading-orphans", "heading", "Notes not on a claim"))
        out += [Entry(f"orphan-{i}", "orphan", text) for i, text in enumerate(orphan_texts(session))]
    return out


def claim_entry(session: ReaderSession, row: Row) -> Entry:
    verdicts, has_note = session.drafts.marks(row.index)
    return Entry(
        link_entry(row.index),
        "claim",
        row.link.anchor_text,
        row.index + 1,
        source_label(row.outcome),
        row.state,
        row.marks(),
        verdicts,
        has_note,
        row.stripped,
        not row.citation,
    )


def unlinked_entry(session: ReaderSession) -> Entry:
    verdicts, has_note = session.drafts.marks(None)
    count = len(session.rows.unlinked)
    title = f"{'quote' if count == 1 else 'quotes'} with no link"
    return Entry(
        UNLINKED,
        "unlinked",
        title,
        count,
        "no source named",
        marks=unlinked_marks(session),
        verdicts=verdicts,
        has_note=has_note,
    )


def unlinked_marks(session: ReaderSession) -> tuple[Mark, ...]:
    """Each quote with no link: `pending` until the pipeline has searched for it, then its status."""
    marks: list[Mark] = []
    for quote in session.rows.unlinked:
        outcome = session.rows.unlinked_outcome(quote)
        if outcome is not None and (outcome.match.searched or session.finished):
            marks.append(status_of(outcome.match))
        else:  # still on its way; once the pipeline is done without a word on it, it was not searched
            marks.append("not_checked" if session.finished else "pending")
    return tuple(marks)


def orphan_texts(session: ReaderSession) -> list[str]:
    texts = []
    for placed in session.drafts.orphans:
        target = placed.note.target
        subject = target.quote_text or target.claim or target.link_url or "?"
        verdict = f"[{placed.note.verdict}] " if placed.note.verdict else ""
        status = "orphaned " if placed.orphaned else "no longer quoted " if target.quote_text else ""
        texts.append(f"✎ {status}{verdict}“{subject[:60]}” {placed.note.body[:60]}")
    return texts


def status_view(session: ReaderSession) -> StatusView:
    """The status line of `session`: the title (else the location), `error` when the article could not be
    read (then nothing else), else `loading` until the article is read, `done`/`total` sources fetched of
    those to fetch, the number of claims, `Counts` over the settled citations and the quotes with no link
    (`Counts.from_outcomes`: the same numbers as the report's), and the filter's label when one is on."""
    article = session.article
    title = (article.title if article else None) or session.location
    if session.error:
        return StatusView(title, error=session.error, loading=False)
    done, total = session.rows.progress()
    settled = [row.outcome for row in session.rows.by_index.values() if row.settled]
    flt = session.active_filter
    return StatusView(
        title,
        loading=not session.loaded,
        done=done,
        total=total,
        claims=len(session.rows.by_index),
        counts=Counts.from_outcomes(settled, len(session.rows.unlinked)),
        filter_label=flt.label if flt else None,
    )


def article_highlights(session: ReaderSession) -> tuple[list[Highlight], int | None]:
    """The article's marks (claim, every quote by status, the subject) and the offset to scroll to."""
    highlights = list(session.quote_marks())
    subject, row = session.subject, session.row
    target = None
    if row is not None:
        link = row.link
        highlights.insert(0, Highlight(link.claim_start, link.claim_end, "claim"))
        target = link.claim_start
    if isinstance(subject, QuoteSubject) and row is not None and row.quotes:
        quote = row.quotes[min(subject.position, len(row.quotes) - 1)][0]
        highlights.append(Highlight(quote.start, quote.end, "current"))
        target = quote.start if subject.position else target
    elif isinstance(subject, ClaimAsSubject) and row is not None:
        highlights.append(Highlight(row.link.claim_start, row.link.claim_end, "current"))
    elif isinstance(subject, UnlinkedQuote) and session.rows.unlinked:
        quote = session.rows.unlinked[min(subject.position, len(session.rows.unlinked) - 1)]
        highlights.append(Highlight(quote.start, quote.end, "current"))
        target = quote.start
    for extension in session.extensions:
        highlights += extension.article_marks(session, subject)
    return highlights, target


def source_view(session: ReaderSession) -> SourceView:
    """The source pane for `session`'s subject, by `SourceView.kind`:

    - "quote": the text the match's offsets point into (`status.located_text`: the link's own source or
      the one named by `found_in_link`, then `lender`), the passage highlighted and scrolled to, its
      skipped pieces, the quote, its match, `status` and, for an altered quote, the word `diff`;
    - "claim"/"evidence": the claim itself, or one of the passages bearing on a claim with no quote;
    - "unavailable"/"not_fetched"/"waiting": no text, and `reason` says why;
    - "unlinked": a quote with no link and how its search across the article's sources went;
    - "none": nothing selected.
    `extra` holds the extensions' lines; `offers` is left empty here (`ReaderSession.source_view` adds it).
    """
    subject, row = session.subject, session.row
    extra = tuple(line for ext in session.extensions for line in ext.info_lines(session, subject))
    if isinstance(subject, UnlinkedQuote):
        return unlinked_view(session, subject, extra)
    if row is None:
        return SourceView("none", extra=extra)
    outcome = row.outcome
    quotes = row.quotes
    if isinstance(subject, QuoteSubject) and quotes:
        position = min(subject.position, len(quotes) - 1)
        quote, match = quotes[position]
        located = located_text(row.index, outcome.source, match, session.source_of)
        status = status_of(match)
        diff = match_diff_parts(match) if status == "altered" else ()
        if located is not None and (located.borrowed or not row.failed):
            passage = Highlight(match.source_start or 0, match.source_end or 0, "passage")
            pieces = match_pieces(match)
            if pieces:  # shown as skipped, never silently dropped (issue 11)
                skipped = describe_skipped(pieces) + " (not the author's words)"
                extra = (InfoLine(skipped, "muted"), *extra)
            return SourceView(
                "quote",
                row,
                located.text,
                (passage, *(Highlight(p.start, p.end, "skipped") for p in pieces)),
                passage.start,
                position + 1,
                len(quotes),
                quote,
                match,
                status,
                lender=located.source if located.borrowed else None,
                extra=extra,
                diff=diff,
            )
        head = _no_text(row)
        if head is not None:
            return SourceView(head[0], row, reason=head[1], quote=quote, match=match, extra=extra)
        source = outcome.source
        assert source is not None
        return SourceView(
            "quote",
            row,
            source.text,
            position=position + 1,
            total=len(quotes),
            quote=quote,
            match=match,
            status=status,
            extra=extra,
            diff=diff,
        )
    head = _no_text(row)
    if head is not None:
        return SourceView(head[0], row, reason=head[1], extra=extra)
    source = outcome.source
    assert source is not None
    evidence = outcome.evidence
    marks = [Highlight(e.source_start, e.source_end, "evidence") for e in evidence]
    if isinstance(subject, ClaimSubject) and evidence:
        current = evidence[min(subject.evidence, len(evidence) - 1)]
        marks.append(Highlight(current.source_start, current.source_end, "current"))
        return SourceView(
            "evidence",
            row,
            source.text,
            tuple(marks),
            current.source_start,
            min(subject.evidence, len(evidence) - 1) + 1,
            len(evidence),
            evidence=current,
            has_evidence=True,
            extra=extra,
        )
    kind: SourceKind = "claim" if isinstance(subject, ClaimAsSubject) else "evidence"
    first = evidence[0].source_start if evidence else None
    return SourceView(
        kind,
        row,
        source.text,
        tuple(marks),
        first,
        quote_count=len(quotes),
        has_evidence=bool(evidence),
        extra=extra,
    )


def unlinked_view(session: ReaderSession, subject: UnlinkedQuote, extra: tuple[InfoLine, ...]) -> SourceView:
    """A quote with no link: the source passage it was found in (its own source, when the user gave it
    one, or another link's), else the numbered list of every quote with no link."""
    text, spans = session.unlinked_listing()
    if not spans:
        return SourceView("unlinked", extra=extra)
    position = min(subject.position, len(spans) - 1)
    quote = session.rows.unlinked[position]
    outcome = session.rows.unlinked_outcome(quote)
    match = outcome.match if outcome is not None else None
    if (
        outcome is not None
        and match is not None
        and match.found_in_link is None
        and outcome.source is not None
    ):
        located = located_text(-1, outcome.source, match)  # found in its own (supplied) source
    elif match is not None and match.found_in_link is not None:
        located = located_text(-1, None, match, session.source_of)
    else:
        located = None
    status = status_of(match) if match is not None and (match.searched or session.finished) else None
    if located is not None and match is not None:
        passage = Highlight(match.source_start or 0, match.source_end or 0, "passage")
        lender = located.source if located.borrowed else None
        return SourceView(
            "unlinked", None, located.text, (passage,), passage.start, position + 1, len(spans), quote,
            match, status, lender=lender, extra=extra,
        )  # fmt: skip
    start, end = spans[position]
    return SourceView(
        "unlinked",
        text=text,
        highlights=(Highlight(start, end, "passage"),),
        scroll_to=start,
        position=position + 1,
        total=len(spans),
        quote=quote,
        match=match,
        status=status,
        extra=extra,
    )


def _no_text(row: Row) -> tuple[SourceKind, str | None] | None:
    """Why a row's own source has no text to show (None when it has one)."""
    outcome = row.outcome
    if row.failed:
        default = "This link has no usable target." if row.stripped else "The source could not be fetched."
        return "unavailable", outcome.error or default
    if outcome.source is None:
        if row.state == "skipped":
            return "not_fetched", outcome.error or "This link is not fetched."
        return "waiting", None
    return None


def note_view(session: ReaderSession) -> NoteView:
    """The note pane for `session`'s subject: `kind` names what the note is on ("the claim (n/p: its
    quotes)", "quote 2/3", "quote 1/2 with no link", "nothing selected"), `subject` its text (a quote in
    curly quotes, or the claim sentence), and the draft's `verdict` (None: none) and `body`."""
    subject, row = session.subject, session.row
    draft = session.drafts.get(subject.note_key) if subject is not None else None
    verdict, body = (draft.verdict, draft.body) if draft else (None, "")
    if isinstance(subject, UnlinkedQuote):
        unlinked = session.rows.unlinked
        quote = unlinked[min(subject.position, len(unlinked) - 1)]
        return NoteView(
            f"quote {subject.position + 1}/{len(unlinked)} with no link", f"“{quote.text}”", verdict, body
        )
    if isinstance(subject, QuoteSubject) and row is not None and row.quotes:
        hint = " (p: the claim)" if subject.position == 0 else ""
        quote = row.quotes[min(subject.position, len(row.quotes) - 1)][0]
        kind = f"quote {subject.position + 1}/{len(row.quotes)}{hint}"
        return NoteView(kind, f"“{quote.text}”", verdict, body)
    if row is None:
        return NoteView("nothing selected", "")
    hint = " (n/p: its quotes)" if row.quotes else ""
    return NoteView(f"the claim{hint}", row.link.claim, verdict, body)
