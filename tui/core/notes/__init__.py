"""The user's verdicts and notes: a small SQLite store that never loses a saved word.

Why it looks the way it does:
- One row per annotated thing (a quote, or a claim = the sentence holding a link), upserted on every
  debounced edit, each save one short transaction (WAL, `synchronous=FULL`): a crash or a kill loses at
  most the edit that was being written, never an earlier one.
- Notes are keyed by the article (`locations.article_key`) and by *text*, not by position, so reopening an
  edited article re-anchors them (W3C TextQuoteSelector style: exact + prefix/suffix). A note whose text
  vanished is kept and reported as orphaned, never dropped.
- Every failure of the database itself (damaged file, unreadable file, read-only folder, newer schema)
  becomes one `NotesError` with one sentence a person can act on.

Typical use from the reader (thread-safe; saves from a worker are fine):

    store = NoteStore.open()                        # or NoteStore.open(args.db)
    key = article_key(article.location)
    anchored = anchor_notes(store.notes_for(key), article, links, quotes)   # notes.anchoring
    target = NoteTarget.for_quote(article, link, quote, match)   # or NoteTarget.for_claim(article, link)
    note = store.save(target, verdict="altered")                 # verdict only; body untouched
    note = store.save(target, body=text, note_id=note.id)        # body only, on a known note

Modules: `records` (verdicts, targets, notes), `schema` (tables, migrations), `connection` (SQLite
plumbing, one sentence per failure), `store` (`NoteStore`), `anchoring` (placing notes on an edited
article), `attached` (sources the user attached by hand to a claim or a quote, placed like notes).
"""

from ..errors import NotesBusy, NotesError
from .anchoring import CLAIM_FUZZY_MIN, QUOTE_FUZZY_MIN, anchor_notes, anchor_notes_to_report
from .attached import (
    ATTACH_KINDS,
    AttachedSource,
    AttachKind,
    PlacedSource,
    attachment_identity,
    place_attached,
)
from .connection import BUSY_TIMEOUT_MS, RETRY_SECONDS, move_aside
from .records import (
    UNSET,
    VERDICT_KEYS,
    VERDICT_LABELS,
    VERDICTS,
    AnchoredNote,
    AnchorHow,
    ArticleSummary,
    Note,
    NoteTarget,
    Verdict,
)
from .schema import SCHEMA_VERSION
from .store import NoteStore

__all__ = [
    "ATTACH_KINDS",
    "BUSY_TIMEOUT_MS",
    "CLAIM_FUZZY_MIN",
    "QUOTE_FUZZY_MIN",
    "RETRY_SECONDS",
    "SCHEMA_VERSION",
    "UNSET",
    "VERDICTS",
    "VERDICT_KEYS",
    "VERDICT_LABELS",
    "AnchorHow",
    "AnchoredNote",
    "ArticleSummary",
    "AttachKind",
    "AttachedSource",
    "Note",
    "NoteStore",
    "NoteTarget",
    "NotesBusy",
    "NotesError",
    "PlacedSource",
    "Verdict",
    "anchor_notes",
    "anchor_notes_to_report",
    "attachment_identity",
    "move_aside",
    "place_attached",
]
