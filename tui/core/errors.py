"""The core's exceptions: one base class a caller can catch, one subclass per stage.

Every message is one sentence a person can act on (never a traceback, never a library's raw text
unless it was cleaned), so a caller can show `str(exc)` as it is. Modelled on httpx's hierarchy: catch
`SourcecheckError` for "anything the core refused", or the stage's class for one kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - type hints only; models imports nothing from here
    from .models import FetchResult

__all__ = [
    "ArchiveError",
    "ArticleError",
    "AttachError",
    "ExtractError",
    "FetchError",
    "NotesBusy",
    "NotesError",
    "SettingsError",
    "SourcecheckError",
]


class SourcecheckError(Exception):
    """Base of every error the core raises on purpose; the message is one sentence for the user."""


class ArticleError(SourcecheckError):
    """The article itself is unusable (missing, empty, binary, not a page)."""


class FetchError(SourcecheckError):
    """Fetching one source failed; `result` holds what came back before the failure, if anything.

    The fetcher turns it into a failed `FetchResult` for that source: it never escapes `fetch_sources`.
    """

    def __init__(self, message: str, result: FetchResult | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result


class ExtractError(SourcecheckError):
    """A fetched body cannot be turned into text (binary, damaged PDF, no text at all)."""


class ArchiveError(SourcecheckError):
    """The evidence archive (WARC) cannot be read or written."""


class NotesError(SourcecheckError):
    """The notes database cannot be used as asked (damaged, read-only, newer schema, locked)."""


class NotesBusy(NotesError):
    """Another program held the notes database's write lock for longer than the retry allows: the same
    write may succeed later, unlike a damaged or read-only database."""


class AttachError(SourcecheckError):
    """A source the user gave by hand cannot be used as given (unknown link key, missing file, not a URL)."""


class SettingsError(SourcecheckError):
    """A setting (settings file or environment variable) has a value sourcecheck cannot use."""
