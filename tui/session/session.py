"""`ReaderSession`: the reader's state and rules, fed by core events and user intents, read by views."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..core import events as ev
from ..core.models import Article, Link, Quote, Source
from ..core.notes import AnchoredNote, NoteTarget, Verdict
from ..core.status import list_order, located_text, status_of
from . import views
from .actions import FILTERS, RULES, Filter, offers
from .drafts import Drafts, SaveRequest
from .rows import Row, Rows
from .subject import (
    UNLINKED,
    NoteKey,
    QuoteSubject,
    Subject,
    UnlinkedQuote,
    entry_link,
    first_subject,
    link_entry,
    link_subjects,
    unlinked_subjects,
)


class Extension:
    """A feature that adds to what the reader shows; every hook is optional (see the package docstring)."""

    def info_lines(self, session: ReaderSession, subject: Subject | None) -> Iterable[views.InfoLine]:
        """Lines the source pane shows for `subject`, under its summary."""
        return ()

    def article_marks(self, session: ReaderSession, subject: Subject | None) -> Iterable[views.Highlight]:
        """Extra highlights in the article text (painted over the built-in ones)."""
        return ()


@dataclass
class Changes:
    """What needs redrawing since the screen last asked (`ReaderSession.take_changes`)."""

    rows: set[int] = field(default_factory=set)  # list rows whose marks or state changed
    entries: bool = False  # the list itself (order, filter, notes)
    status: bool = False
    article: bool = False  # the article's marks
    subject: bool = False  # a new subject: article marks, source pane, note, keys
    cursor: bool = False  # the subject is on another list entry
    shown: bool = False  # the subject's own row changed: redraw the source pane in place
    flush: bool = False  # the subject changed: save the notes typed so far


class ReaderSession:
    """One article being read: rows from the pipeline, the subject, the filter, the note drafts.

    Feed it `apply(event)` for every core event and call its intents (`select`, `move_claim`,
    `move_subject`, `toggle_filter`, `select_at`, `set_verdict`, `edit_body`, `refetch`); read what to
    draw from `entries()`, `status()`, `article_view()`, `source_view()`, `note_view()` and `why_not(...)`.
    """

    def __init__(
        self, location: str, *, can_refetch: bool = True, extensions: Sequence[Extension] = ()
    ) -> None:
        self.location = location
        self.can_refetch = can_refetch
        self.extensions: list[Extension] = list(extensions)
        self.article: Article | None = None
        self.links: tuple[Link, ...] = ()
        self.quotes: tuple[Quote, ...] = ()
        self.rows = Rows()
        self.drafts = Drafts()
        self.subject: Subject | None = None
        self.filter: str | None = None
        self.loaded = False
        self.finished = False
        self.error: str | None = None
        self.changes = Changes()
        self._quote_marks: list[views.Highlight] | None = None
        self._listing: tuple[str, list[tuple[int, int]]] | None = None
        self._ordered: list[Row] | None = None

    # -- pipeline side ------------------------------------------------------------------------------------

    def apply(self, event: ev.Event) -> None:
        """Record one core event."""
        changes = self.changes
        if isinstance(event, ev.ArticleLoaded):
            self.article = self.article or event.article
            self.links, self.quotes = event.links, event.quotes
            self.rows.load(event)
            self.loaded = True
            self._quote_marks = self._listing = self._ordered = None
            changes.entries = changes.status = changes.article = True
            if self.subject is None or not self._subject_valid():
                self._land(self._navigable()[:1])
            return
        changed = self.rows.apply(event)
        if isinstance(event, ev.PipelineFinished | ev.QuotesChecked) and self.rows.unlinked:
            self._quote_marks = None  # the quotes with no link have their marks now
            changes.article = changes.entries = True
            changes.shown = changes.shown or isinstance(self.subject, UnlinkedQuote)
        if isinstance(event, ev.PipelineFinished):
            self.finished = True
            changes.status = True
        if not changed:
            return
        changes.status = True
        changes.rows |= changed
        if isinstance(event, ev.LinkChecked | ev.PipelineFinished):
            self._quote_marks = None
            changes.article = True
            if self.active_filter is not None:
                changes.entries = True
        row = self.row
        if row is not None and row.index in changed:
            changes.shown = True

    def reloading(self) -> None:
        """The article is read again (its links restored from a published version): the next
        `ArticleLoaded` replaces the article, its rows and its notes; the subject stays where it can."""
        self.article = None
        self.loaded = self.finished = False
        self.changes.status = True

    def article_failed(self, error: str) -> None:
        """The article itself cannot be used; `error` is one sentence."""
        self.error = error
        self.finished = True
        self.changes.status = True

    def stopped(self) -> None:
        """The pipeline ended early (its worker failed): nothing more will arrive."""
        self.finished = True
        self.changes.status = True

    def take_changes(self) -> Changes:
        """What changed since the last call, as a `Changes` (list rows by link index, and flags for the
        list, status line, article marks, subject, cursor, source pane and pending note saves); the
        session starts a fresh, empty one. The screen redraws exactly what it names."""
        changes, self.changes = self.changes, Changes()
        return changes

    # -- notes --------------------------------------------------------------------------------------------

    def load_notes(self, anchored: Iterable[AnchoredNote]) -> None:
        """Stored notes, placed on this article (`anchoring.anchor_notes`)."""
        self.drafts.load(anchored)
        self.changes.entries = self.changes.subject = True

    def set_verdict(self, verdict: Verdict | None) -> str | None:
        """Judge the subject; returns why not when nothing is selected."""
        reason = self.why_not("verdict")
        if reason or self.subject is None:
            return reason
        self.drafts.edit(self.subject.note_key, verdict=verdict)
        self._notes_changed()
        return None

    def edit_body(self, text: str) -> bool:
        """The note's text as typed; False when the draft holds it already (a load, not a keystroke)."""
        if self.subject is None:
            return False
        draft = self.drafts.get(self.subject.note_key)
        if (draft.body if draft else "") == text:
            return False
        self.drafts.edit(self.subject.note_key, body=text)
        self._notes_changed(subject=False)
        return True

    def take_saves(self) -> list[SaveRequest]:
        """The note saves to run now (see `Drafts.take`), each with its target as the article is now."""
        if self.article is None:
            return []
        return [
            SaveRequest(draft.key, self.target_for(draft.key), draft.note_id, fields)
            for draft, fields in self.drafts.take()
        ]

    def save_done(self, request: SaveRequest, note_id: int | None) -> None:
        """A save ended: stored as `note_id`, or failed (None: the text stays, unsaved)."""
        self.drafts.done(request, note_id)

    def target_for(self, key: NoteKey) -> NoteTarget:
        """What the note on `key` is about, built from the article as it is now."""
        assert self.article is not None
        link_index, position = key
        if link_index is None:
            return NoteTarget.for_quote(self.article, None, self.rows.unlinked[position or 0])
        row = self.rows.by_index[link_index]
        if position is None:
            return NoteTarget.for_claim(self.article, row.link)
        quote, found = row.quotes[position]
        located = located_text(link_index, row.outcome.source, found, self.source_of)
        lender = located.source if located is not None and located.borrowed else None
        return NoteTarget.for_quote(
            self.article,
            row.link,
            quote,
            found if found.searched else None,
            source_url=(lender.final_url or lender.url) if lender else None,
        )

    def _notes_changed(self, *, subject: bool = True) -> None:
        key = self.subject.note_key if self.subject else None
        if key is not None and key[0] is not None:
            self.changes.rows.add(key[0])
        else:
            self.changes.entries = True
        self.changes.subject = self.changes.subject or subject

    # -- selection ----------------------------------------------------------------------------------------

    @property
    def row(self) -> Row | None:
        """The row of the subject's claim (None for the quotes with no link)."""
        if self.subject is None or isinstance(self.subject, UnlinkedQuote):
            return None
        return self.rows.get(self.subject.link_index)

    @property
    def entry_id(self) -> str | None:
        return self.subject.entry_id if self.subject is not None else None

    def walk(self, entry_id: str | None = None) -> list[Subject]:
        """The subjects n/p walk on the list entry `entry_id` (the selected one by default)."""
        entry_id = entry_id or self.entry_id
        if entry_id == UNLINKED:
            return unlinked_subjects(len(self.rows.unlinked))
        row = self.rows.get(entry_link(entry_id or ""))
        if row is None:
            return []
        return link_subjects(row.index, len(row.quotes), len(row.outcome.evidence))

    def select(self, entry_id: str) -> bool:
        """Select a list entry (j/k, a click); lands on its first quote. False when nothing changed."""
        if entry_id == self.entry_id or entry_id not in self._navigable():
            return False
        self._land([entry_id])
        return True

    def move_claim(self, step: int) -> bool:
        """j/k: the next or previous entry of the list, stopping at either end."""
        shown = self._navigable()
        if not shown:
            return False
        here = shown.index(self.entry_id) if self.entry_id in shown else (-1 if step > 0 else len(shown))
        return self.select(shown[max(0, min(len(shown) - 1, here + step))])

    def move_subject(self, step: int) -> str | None:
        """n/p: the next or previous subject of the entry, wrapping; returns why not when there is none."""
        walk = self.walk()
        if len(walk) <= 1:
            return self.why_not("next_quote") or "Nothing else to show."
        here = walk.index(self.subject) if self.subject in walk else 0
        self._set_subject(walk[(here + step) % len(walk)])
        return None

    def select_at(self, offset: int) -> bool:
        """A click on the article at `offset`: the quote with no link or the claim there, if listed."""
        shown = self._navigable()
        if UNLINKED in shown:
            for position, quote in enumerate(self.rows.unlinked):
                if quote.start <= offset < quote.end:
                    self._set_subject(UnlinkedQuote(position))
                    return True
        for link in self.links:
            if link.claim_start <= offset < link.claim_end and link_entry(link.index) in shown:
                return self.select(link_entry(link.index))
        return False

    def toggle_filter(self, name: str = "attention") -> str | None:
        """Turn filter `name` on (or off when it is on); returns what to say when it keeps nothing."""
        self.filter = None if self.filter == name else name
        self.changes.entries = self.changes.status = True
        shown = self._navigable()
        if self.entry_id not in shown:
            self._land(shown[:1])
        flt = self.active_filter
        return flt.empty if flt is not None and not shown else None

    @property
    def active_filter(self) -> Filter | None:
        return FILTERS.get(self.filter) if self.filter else None

    def _navigable(self) -> list[str]:
        return views.navigable(self)

    def _land(self, entry_ids: list[str]) -> None:
        self._set_subject(first_subject(self.walk(entry_ids[0])) if entry_ids else None)

    def _set_subject(self, subject: Subject | None) -> None:
        if subject != self.subject:
            self.changes.flush = True
            self.changes.subject = True
            if self.subject is None or subject is None or subject.entry_id != self.subject.entry_id:
                self.changes.cursor = True
        self.subject = subject

    def _subject_valid(self) -> bool:
        return self.subject is not None and self.subject in self.walk()

    # -- sources ------------------------------------------------------------------------------------------

    def refetch(self) -> str | None:
        """r: the selected claim's source is fetched again; returns why not (or None and the caller runs
        the fetch of `self.row.target_url`)."""
        reason = self.why_not("refetch")
        if reason:
            return reason
        assert self.row is not None and self.row.target_url
        self.changes.rows |= {row.index for row in self.rows.refetching(self.row.target_url)}
        self.changes.status = True
        return None

    def source_of(self, link_index: int) -> Source | None:
        row = self.rows.get(link_index)
        return row.outcome.source if row else None

    # -- what to draw -------------------------------------------------------------------------------------

    def why_not(self, action: str) -> str | None:
        """Why `action` does nothing right now, in a sentence; None when it applies (see `actions.RULES`)."""
        check = RULES.get(action.split("(")[0])
        return check(self) if check else None

    def ordered_rows(self) -> list[Row]:
        """Every row in list order (`status.list_order`), computed once per article."""
        if self._ordered is None:
            rows = self.rows.by_index
            self._ordered = [rows[link.index] for link in list_order(self.links) if link.index in rows]
        return self._ordered

    def entries(self) -> list[views.Entry]:
        """The whole claims list, in the order to draw it (`views.entries`): one `Entry` per citation the
        filter keeps (citations first, in `status.list_order`), then the row of quotes with no link, then
        a heading and the boilerplate links (dimmed), then notes that fit no subject. An entry's `id` is
        what `select` takes (`link_entry(i)`, `UNLINKED`)."""
        return views.entries(self)

    def entry(self, index: int) -> views.Entry | None:
        """The list entry of link `index` as it is now (to redraw one row)."""
        row = self.rows.get(index)
        return views.claim_entry(self, row) if row else None

    def status(self) -> views.StatusView:
        """The status line's facts (`views.status_view`): the article's title, the error that stopped
        it, sources fetched of those to fetch, the number of claims, the quote and source `Counts`
        (citations only, from `tui.core.status`) and the active filter's label."""
        return views.status_view(self)

    def article_view(self) -> tuple[list[views.Highlight], int | None]:
        """(highlights, scroll target) for the article pane: `Highlight`s as character offsets into
        `article.text` (the current claim, every quote by its status, the subject as `current`, the
        extensions' marks), and the offset to bring into view (None: keep the scroll)."""
        return views.article_highlights(self)

    def source_view(self) -> views.SourceView:
        """The source pane for the current subject (`views.source_view`): which text to show (the very
        string: identity tells the view whether to re-wrap), what to highlight and scroll to (offsets
        into that text), the quote, its match and status, the evidence, why the source is missing, the
        extensions' lines, and the actions worth offering here (`actions.offers`, only those that
        apply). `kind` says which of these it is ("quote", "claim", "evidence", "unavailable", ...)."""
        view = views.source_view(self)
        found = offers(self, view)
        return replace(view, offers=found) if found else view

    def note_view(self) -> views.NoteView:
        """The note pane for the current subject (`views.note_view`): what the note is on ("the claim",
        "quote 2/3", ...), that subject's text, and its draft's verdict and body as the user sees them
        (saved or not)."""
        return views.note_view(self)

    def quote_marks(self) -> list[views.Highlight]:
        """Every quote of the article marked by its status (`unmatched` before its source is read, and for
        quotes with no link); cached until an outcome changes."""
        if self._quote_marks is None:
            status: dict[tuple[int, int], str] = {}
            for row in self.rows.by_index.values():
                for (quote, _), mark in zip(row.quotes, row.marks(), strict=True):
                    if mark != "pending":
                        status[(quote.start, quote.end)] = mark.replace("_", "-")
            for quote in self.rows.unlinked:  # searched in every source once the pipeline says so
                outcome = self.rows.unlinked_outcome(quote)
                if outcome is not None and (outcome.match.searched or self.finished):
                    status[(quote.start, quote.end)] = status_of(outcome.match).replace("_", "-")
            self._quote_marks = [
                views.Highlight(q.start, q.end, status.get((q.start, q.end), "unmatched"))
                for q in self.quotes
            ]
        return self._quote_marks

    def unlinked_listing(self) -> tuple[str, list[tuple[int, int]]]:
        """The quotes with no link as one numbered text, and each one's span in it."""
        if self._listing is None:
            pieces, spans, pos = [], [], 0
            for number, quote in enumerate(self.rows.unlinked, 1):
                piece = f"{number}. “{quote.text}”"
                spans.append((pos, pos + len(piece)))
                pieces.append(piece)
                pos += len(piece) + 2
            self._listing = ("\n\n".join(pieces), spans)
        return self._listing


__all__ = ["Changes", "Extension", "QuoteSubject", "ReaderSession"]
