"""Note drafts: what the screen shows is here first, then in the database.

A draft holds the verdict and body the user sees and what was last saved. `take()` hands out one
`SaveRequest` per draft with unsaved changes (only the fields that changed, so two readers editing
different fields of one note do not overwrite each other); the screen runs it against the `NoteStore` off
the event loop and reports back with `done()`. Edits made while a save is in flight stay pending and go
out with the next `take()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.notes import VERDICT_KEYS, AnchoredNote, NoteTarget, Verdict
from .subject import NoteKey


@dataclass
class Draft:
    key: NoteKey
    note_id: int | None = None
    verdict: Verdict | None = None
    body: str = ""
    saved_verdict: Verdict | None = None
    saved_body: str = ""
    in_flight: bool = False

    @property
    def dirty(self) -> bool:
        return self.verdict != self.saved_verdict or self.body != self.saved_body

    @property
    def has_text(self) -> bool:
        return bool(self.body.strip())


@dataclass(frozen=True)
class SaveRequest:
    """One `NoteStore.save(target, note_id=note_id, **fields)` to run; `fields` holds verdict and/or body."""

    key: NoteKey
    target: NoteTarget
    note_id: int | None
    fields: dict[str, Any] = field(default_factory=dict)


class Drafts:
    """Every note of the article the reader knows, by `NoteKey`, plus the notes that fit no subject."""

    def __init__(self) -> None:
        self._drafts: dict[NoteKey, Draft] = {}
        self._by_row: dict[int | None, list[Draft]] = {}  # the drafts of each list row, for its marks
        self.orphans: list[AnchoredNote] = []

    def load(self, anchored: Iterable[AnchoredNote]) -> None:
        """Place stored notes (from `anchor_notes`) on their subjects; the rest become orphans.

        A quote note whose words are still in the article but no longer quoted has no quote to sit on
        (`quote_index` None): it must not take the place of the claim's own note. A draft the user already
        typed into keeps its text and adopts the stored note's id.
        """
        self.orphans = []
        placed: set[NoteKey] = set()
        for note in anchored:
            key: NoteKey = (note.link_index, note.quote_index)
            lost_quote = note.note.target.kind == "quote" and note.quote_index is None
            if note.orphaned or lost_quote or key in placed or key == (None, None):
                self.orphans.append(note)
                continue
            placed.add(key)
            stored = note.note
            draft = self._drafts.get(key)
            if draft is not None and draft.dirty:
                draft.note_id = stored.id
                draft.saved_verdict, draft.saved_body = stored.verdict, stored.body
                continue
            self._add(Draft(key, stored.id, stored.verdict, stored.body, stored.verdict, stored.body))

    def _add(self, draft: Draft) -> Draft:
        old = self._drafts.get(draft.key)
        if old is not None:
            self._by_row[draft.key[0]].remove(old)
        self._drafts[draft.key] = draft
        self._by_row.setdefault(draft.key[0], []).append(draft)
        return draft

    def get(self, key: NoteKey) -> Draft | None:
        return self._drafts.get(key)

    def edit(self, key: NoteKey, **fields: Any) -> Draft:
        """Set `verdict` and/or `body` of the note on `key` (created empty when new)."""
        draft = self._drafts.get(key)
        if draft is None:
            draft = self._add(Draft(key))
        for name, value in fields.items():
            if name not in ("verdict", "body"):
                raise TypeError(f"a draft has no field {name!r}")
            setattr(draft, name, value)
        return draft

    def take(self) -> list[tuple[Draft, dict[str, Any]]]:
        """The drafts to save now and the fields that changed; each is marked in flight until `done`."""
        out = []
        for draft in self._drafts.values():
            if draft.in_flight or not draft.dirty:
                continue
            fields: dict[str, Any] = {}
            if draft.verdict != draft.saved_verdict:
                fields["verdict"] = draft.verdict
            if draft.body != draft.saved_body:
                fields["body"] = draft.body
            draft.in_flight = True
            out.append((draft, fields))
        return out

    def done(self, request: SaveRequest, note_id: int | None) -> None:
        """The save of `request` ended: stored as `note_id`, or failed (None; the draft stays unsaved)."""
        draft = self._drafts.get(request.key)
        if draft is None:
            return
        draft.in_flight = False
        if note_id is None:
            return
        draft.note_id = note_id
        if "verdict" in request.fields:
            draft.saved_verdict = request.fields["verdict"]
        if "body" in request.fields:
            draft.saved_body = request.fields["body"]

    def release(self) -> None:
        """Forget every save in flight (the screen could not run them); they stay unsaved."""
        for draft in self._drafts.values():
            draft.in_flight = False

    @property
    def unsaved(self) -> bool:
        """Some draft differs from what was saved (or its save is still running)."""
        return any(d.dirty or d.in_flight for d in self._drafts.values())

    def marks(self, link_index: int | None) -> tuple[str, bool]:
        """(verdict digits, has a note) of one row: claim `link_index`'s notes, or the unlinked quotes'."""
        mine = sorted(self._by_row.get(link_index, ()), key=lambda d: -1 if d.key[1] is None else d.key[1])
        digits = "".join(VERDICT_KEYS[d.verdict] for d in mine if d.verdict)
        return digits, any(d.has_text for d in mine)
