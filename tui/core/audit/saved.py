"""What the user saved in the reader, for each article of an audit: the sources attached by hand and the
published version to restore stripped links from (the notes database `check` reads, read the same way).

The notes database is opened once per audit, on this process (the Dask client too: workers may run on
machines without it), and asked per article; each article's options then travel with its task.
A notes database that cannot be read is a sentence on each article (`notes_error` in its report), never
a failure of the article: the article is checked without the saved choices, as `check` does.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NotesError
from ..options import CheckOptions, notes_not_used, saved_sources_from
from ..safe_text import one_line

if TYPE_CHECKING:  # pragma: no cover
    from ..notes import NoteStore


@dataclass
class SavedChoices:
    """Per-article options from the notes database at `path` (None: the audit reads no notes).

    `options_for(options, location)` returns the options to check `location` with and, when the notes
    could not be read, the sentence saying so. `first_error` keeps the first such sentence for the
    command's one line on stderr; `unread` counts the articles it concerned.
    """

    path: Path | None
    first_error: str | None = None
    unread: int = 0
    _store: NoteStore | None = field(default=None, repr=False)
    _open_error: str | None = field(default=None, repr=False)

    def options_for(self, options: CheckOptions, location: str) -> tuple[CheckOptions, str | None]:
        if self.path is None or not self.path.exists():
            return options, None  # no notes yet: nothing was saved (as `check`)
        try:
            store = self._open()
            return saved_sources_from(store, options, location), None
        except (NotesError, sqlite3.Error) as exc:
            sentence = notes_not_used(one_line(str(exc)) or type(exc).__name__)
        self.unread += 1
        self.first_error = self.first_error or sentence
        return options, sentence

    def _open(self) -> NoteStore:
        if self._open_error is not None:
            raise NotesError(self._open_error)
        if self._store is None:
            from ..notes import NoteStore

            try:
                self._store = NoteStore.open(self.path)
            except NotesError as exc:
                self._open_error = str(exc)  # asked once per audit, not once per article
                raise
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
