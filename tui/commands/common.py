"""Options shared by every command that runs the pipeline, so they mean the same thing everywhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.safe_text import escape_json_text, safe_text

if TYPE_CHECKING:
    from ..core.pipeline import CheckOptions


def add_fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fetching and the evidence archive")
    group.add_argument(
        "--offline", action="store_true", help="never touch the network: read sources from archives only"
    )
    group.add_argument(
        "--refresh", action="store_true", help="fetch every source again even if the archive has a copy"
    )
    group.add_argument(
        "--allow-private",
        action="store_true",
        help="permit fetching loopback, private and link-local addresses (off by default)",
    )
    group.add_argument(
        "--archive",
        metavar="FILE",
        type=Path,
        help="read sources from this WARC (.warc or .warc.gz) and add newly fetched ones to it "
        "(default: a per-article archive in the data directory)",
    )
    group.add_argument(
        "--no-archive", action="store_true", help="neither read nor write any evidence archive"
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="the notes database (default: SOURCECHECK_DB, else notes.sqlite3 in the data directory)",
    )


def options_from_args(args: argparse.Namespace, *, fetch: bool = True) -> CheckOptions:
    # Imported here, not at the top: `sourcecheck --version` and `--help` should not load lxml and httpx.
    from ..core.article import ArticleError
    from ..core.pipeline import CheckOptions

    archive = args.archive.expanduser() if args.archive else None
    if archive is not None and args.offline and not archive.exists():
        raise ArticleError(f"The archive {archive} does not exist, and --offline allows nothing else.")
    if archive is not None and archive.is_dir():
        raise ArticleError(f"The archive {archive} is a directory; give a .warc or .warc.gz file.")
    return CheckOptions(
        fetch=fetch,
        offline=args.offline,
        refresh=args.refresh,
        allow_private=args.allow_private,
        archive_path=archive,
        use_archive=not args.no_archive,
    )


def printable(text: str, fmt: str) -> str:
    """Output that is safe to land on a terminal: articles and sources are untrusted, and an ESC or a
    one-byte CSI in a quote must not reach the user's terminal from `check` or `export` either."""
    return escape_json_text(text) if fmt in ("json", "annotations") else safe_text(text)


def fail(message: str) -> int:
    """The one way a command reports an unusable input: one line on stderr, exit status 2."""
    print(f"sourcecheck: {message}", file=sys.stderr)
    return 2
