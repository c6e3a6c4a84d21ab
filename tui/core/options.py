"""What one run of the pipeline may do (`CheckOptions`), and what follows from it for fetching: the evidence
archive of an article (`open_archive`) and the fetcher's settings (`fetch_config`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import locations
from .fetch.config import FetchConfig
from .locations import is_url

if TYPE_CHECKING:  # pragma: no cover - imported where used: the reader's first frame needs none of them
    from .archive import Archive
    from .models import SuppliedTarget
    from .notes import NoteStore
    from .notes.attached import AttachedSource

__all__ = [
    "CheckOptions",
    "bundled_archive_for",
    "fetch_config",
    "notes_not_used",
    "open_archive",
    "saved_sources_from",
    "with_saved_sources",
]


@dataclass(frozen=True)
class CheckOptions:
    """The options of one run (the command line's, or the reader's), shared by every article it checks."""

    fetch: bool = True  # False: list links and quotes only (--no-fetch)
    offline: bool = False  # never touch the network; sources come from archives only
    refresh: bool = False  # fetch again even when the archive has a copy
    allow_private: bool = False  # permit loopback/private/link-local targets
    archive_path: Path | None = None  # --archive; None = the per-article archive in the data dir
    use_archive: bool = True  # False: neither read nor write any archive
    fetch_config: FetchConfig | None = None  # limits and timeouts; None = the defaults
    # sources supplied by hand (issue 12): --source/--sources pairs, and those saved with the notes
    sources: tuple[tuple[str, SuppliedTarget], ...] = ()
    attached: tuple[AttachedSource, ...] = ()
    links_from: str | None = None  # the published version to restore stripped links from
    memento_timegate: str | None = None  # ask this TimeGate for archived copies of dead sources; None: never
    article_date: str | None = None  # ISO date for Accept-Datetime (--article-date); None: the article's own


def bundled_archive_for(location: str) -> Path | None:
    """A saved article may ship its sources beside it as `<name>.warc.gz` (the samples do)."""
    if is_url(location):
        return None
    path = Path(location)
    for candidate in (path.with_suffix(".warc.gz"), path.with_suffix(".warc")):
        if candidate.is_file():
            return candidate
    return None


def open_archive(location: str, options: CheckOptions) -> Archive | None:
    if not options.use_archive:
        return None
    bundled = bundled_archive_for(location)
    write_to = options.archive_path or locations.archive_path_for(location)
    max_bytes = (options.fetch_config or FetchConfig()).max_bytes  # the one body budget
    from .archive import Archive

    return Archive(write_to, also_read=(bundled,) if bundled else (), max_bytes=max_bytes)


def fetch_config(
    options: CheckOptions,
    *,
    refresh: bool = False,
    allow_private: bool | None = None,
    local_files: frozenset[str] = frozenset(),
    published: str | None = None,
) -> FetchConfig:
    """The fetcher's settings for this run; `published` (ISO) is the article's date, for Memento."""
    from .article.dates import as_datetime  # (the article's and the fetcher's modules load when used)
    from .fetch.memento import accept_datetime

    base = options.fetch_config or FetchConfig()
    when = options.article_date or published
    return replace(
        base,
        offline=options.offline,
        refresh=options.refresh or refresh,
        allow_private=options.allow_private if allow_private is None else allow_private,
        local_files=base.local_files | local_files,
        memento_timegate=options.memento_timegate,
        accept_datetime=accept_datetime(as_datetime(when)) if when else None,
    )


def with_saved_sources(options: CheckOptions, db: Path | None, location: str) -> CheckOptions:
    """`options` plus the sources the user attached in the reader and the published version they chose
    (saved with the notes); the command line's --source and --links-from win over saved choices.

    Raises NotesError when the notes database exists but cannot be used; without one, nothing changes.
    """
    path = locations.notes_db_path(db)
    if not path.exists():
        return options
    from .notes import NoteStore  # the store (sqlite3) is imported only when there is one to read

    with NoteStore.open(path) as store:
        return saved_sources_from(store, options, location)


def notes_not_used(reason: str) -> str:
    """The sentence for a run that goes on without the saved sources because the notes could not be read."""
    return f"Sources attached in the reader were not used: {reason}"


def saved_sources_from(store: NoteStore, options: CheckOptions, location: str) -> CheckOptions:
    """`with_saved_sources` from a store already open (an audit reads one database for many articles).

    Raises NotesError (or sqlite3.Error) when the store cannot be read.
    """
    key = locations.article_key(location)
    attached = tuple(store.attached_sources(key))
    links_from = store.links_from(key)
    return replace(options, attached=attached, links_from=options.links_from or links_from)
