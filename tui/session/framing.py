"""The reader's framing line, its cue words in the article, and the filter "claims with framing cues".

Built on the session's extension points (see the package docstring). Every cue comes from the core's
records (`LinkOutcome.framing`, `QuoteMatch.framing`, `Quote.framing`), set once by the pipeline; this
module only chooses which to show and words them with `tui.core.framing.describe`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..core.framing import cue_json, describe, has_cues, notable
from ..core.models import FramingCue, Quote, QuoteMatch
from .actions import Filter, add_filter
from .rows import Row
from .session import Extension
from .subject import QuoteSubject, Subject, UnlinkedQuote
from .views import Highlight, InfoLine

if TYPE_CHECKING:
    from .session import ReaderSession

FILTER = "framing"
SEPARATOR = " · "
# highlight kinds the article's TextView styles: cues worth a look, and neutral verbs
MARK_CUE = "framing"
MARK_NEUTRAL = "framing-neutral"


def quote_cues(quote: Quote, found: QuoteMatch) -> tuple[FramingCue, ...]:
    """A quote's cues: all of them once it was looked for, else what the article alone shows."""
    return found.framing or quote.framing


def row_has_cues(row: Row) -> bool:
    """Does the claim, or one of its quotes, carry a cue worth a look (`core.framing.notable`)?"""
    return has_cues(row.outcome.framing) or any(has_cues(quote_cues(q, m)) for q, m in row.quotes)


add_filter(Filter(FILTER, "framing filter on (c)", row_has_cues, "No claim has framing cues (yet)."))


def framing_line(label: str, cues: Sequence[FramingCue]) -> InfoLine | None:
    """`Framing, <label>: cue · cue` (warning tone when a cue is worth a look), or None without cues."""
    if not cues:
        return None
    items = [cue_json(c) for c in cues]
    worth = notable(items)
    shown = worth + [i for i in items if i not in worth]  # the ones worth a look first
    text = f"Framing, {label}: " + SEPARATOR.join(describe(i) for i in shown)
    return InfoLine(text, "warning" if worth else "muted")


def _subject_cues(session: ReaderSession, subject: Subject | None) -> list[tuple[str, Sequence[FramingCue]]]:
    """(label, cues) of the claim and of the quote the reader is on (the claim itself: its line only)."""
    if isinstance(subject, UnlinkedQuote):
        unlinked = session.rows.unlinked
        if not unlinked:
            return []
        return [("quote", unlinked[min(subject.position, len(unlinked) - 1)].framing)]
    row = session.row
    if row is None:
        return []
    out = [("claim", row.outcome.framing)]
    if isinstance(subject, QuoteSubject) and row.quotes:
        quote, found = row.quotes[min(subject.position, len(row.quotes) - 1)]
        shared = set(row.outcome.framing)  # the claim's verb is often the quote's: said once, on the claim
        out.append(("quote", [c for c in quote_cues(quote, found) if c not in shared]))
    return out


class FramingExtension(Extension):
    """The framing line in the source pane and the cue words in the article."""

    def info_lines(self, session: ReaderSession, subject: Subject | None) -> Iterable[InfoLine]:
        for label, cues in _subject_cues(session, subject):
            line = framing_line(label, cues)
            if line is not None:
                yield line

    def article_marks(self, session: ReaderSession, subject: Subject | None) -> Iterable[Highlight]:
        for _, cues in _subject_cues(session, subject):
            for cue in cues:
                if cue.article_start is None or cue.article_end is None:
                    continue
                if cue.cue == "scare_quote" and cue.in_source is not False:
                    continue  # the quote is marked by its status already; only words not in the source
                neutral = cue.cue == "attribution_verb" and cue.tone == "neutral"
                yield Highlight(cue.article_start, cue.article_end, MARK_NEUTRAL if neutral else MARK_CUE)
