"""Options shared by every command that runs the pipeline, so they mean the same thing everywhere."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.locations import is_url
from ..core.safe_text import escape_json_text, safe_text

if TYPE_CHECKING:
    from ..core.options import CheckOptions


def add_fetch_options(parser: argparse.ArgumentParser, *, one_article: bool = False) -> None:
    """The fetching, archive and source options; `one_article` (audit) says that the options naming an
    article's links are taken with one article only."""
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
    group.add_argument(
        "--max-size",
        metavar="MB",
        type=_positive,
        help="the most any one body may hold once decoded: an article file, a fetched page, an archived copy "
        "(default: 15)",
    )
    group.add_argument(
        "--source-timeout",
        metavar="SECONDS",
        type=_positive,
        help="the longest one source may take to arrive, redirects included (default: 60)",
    )
    add_source_options(parser, one_article=one_article)


def add_source_options(parser: argparse.ArgumentParser, *, one_article: bool = False) -> None:
    """Sources given by hand, restored links and archived copies (a copied article, dead links)."""
    group = parser.add_argument_group("stripped and dead links")
    only = " (audit: with one article only; sources attached in the reader apply to each article)"
    only = only if one_article else ""
    group.add_argument(
        "--source",
        metavar="KEY=TARGET",
        action="append",
        default=[],
        help="read link KEY (its number as printed, from 1, or its exact anchor text) from TARGET, a web "
        "address or a local file (.html, .pdf, .txt; relative to the working folder); repeatable" + only,
    )
    group.add_argument(
        "--sources",
        metavar="FILE",
        type=Path,
        help="a JSON object of KEY -> TARGET pairs, as --source; relative paths are relative to its folder"
        + only,
    )
    group.add_argument(
        "--links-from",
        metavar="URL|FILE",
        help="the article's published version: restore the targets of stripped (#) and missing links from it"
        + only,
    )
    group.add_argument(
        "--article-date",
        metavar="YYYY-MM-DD",
        help="when the article was published, for archived copies of dead sources "
        "(default: the article's own metadata or byline, else today)",
    )
    group.add_argument(
        "--memento-timegate",
        metavar="URL",
        help="the web archive (a Memento TimeGate) asked for copies of dead sources "
        "(default: the Wayback Machine, or the memento_timegate setting)",
    )
    group.add_argument(
        "--no-memento", action="store_true", help="never ask a web archive for a copy of a dead source"
    )


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number < 1e6:
        raise argparse.ArgumentTypeError(f"must be above 0: {value!r}")
    return number


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="the notes database (default: SOURCECHECK_DB, else notes.sqlite3 in the data directory)",
    )


def options_from_args(args: argparse.Namespace, *, fetch: bool = True) -> CheckOptions:
    # Imported here, not at the top: `sourcecheck --version` and `--help` should not load lxml and httpx;
    # and only light modules, so that the reader's first frame does not wait for the article loader.
    from ..core.errors import ArticleError
    from ..core.fetch.config import FetchConfig
    from ..core.options import CheckOptions

    archive = args.archive.expanduser() if args.archive else None
    if archive is not None and args.offline and not archive.exists():
        raise ArticleError(f"The archive {archive} does not exist, and --offline allows nothing else.")
    if archive is not None and archive.is_dir():
        raise ArticleError(f"The archive {archive} is a directory; give a .warc or .warc.gz file.")
    config = FetchConfig()
    if getattr(args, "max_size", None):
        config = replace(config, max_bytes=int(args.max_size * 1024 * 1024))
    if getattr(args, "source_timeout", None):
        config = replace(config, total_timeout=args.source_timeout)
    return CheckOptions(
        fetch=fetch,
        offline=args.offline,
        refresh=args.refresh,
        allow_private=args.allow_private,
        archive_path=archive,
        use_archive=not args.no_archive,
        fetch_config=config,
        **source_options(args),
    )


def source_options(args: argparse.Namespace) -> dict[str, Any]:
    """The CheckOptions fields of the "stripped and dead links" options; ArticleError for a bad value
    (the commands report it in one line and exit 2, like an unusable article)."""
    from ..core.errors import ArticleError, AttachError, SettingsError
    from ..core.settings import load_settings

    try:
        pairs = []
        if args.sources or args.source:
            from ..core.supplied import load_sources_file, parse_source_option

            pairs = load_sources_file(args.sources.expanduser()) if args.sources else []
            pairs += [parse_source_option(value) for value in args.source]
        settings = load_settings()
    except (AttachError, SettingsError) as exc:
        raise ArticleError(str(exc)) from None
    date = None
    if args.article_date:
        from ..core.article.dates import iso_date

        date = iso_date(args.article_date)
        if date is None or len(args.article_date.strip()) != 10:
            raise ArticleError(f"--article-date wants a date as YYYY-MM-DD, not {args.article_date!r}.")
    timegate = args.memento_timegate or settings.memento_timegate
    if args.memento_timegate and not is_url(args.memento_timegate):
        raise ArticleError(f"--memento-timegate wants an http(s) address, not {args.memento_timegate!r}.")
    links_from = args.links_from
    if links_from and not is_url(links_from):
        links_from = str(Path(links_from).expanduser().resolve())
    return {
        "sources": tuple(pairs),
        "links_from": links_from,
        "memento_timegate": None if args.no_memento else timegate,
        "article_date": date,
    }


def printable(text: str, fmt: str) -> str:
    """Output that is safe to land on a terminal: articles and sources are untrusted, and an ESC or a
    one-byte CSI in a quote must not reach the user's terminal from `check` or `export` either."""
    return escape_json_text(text) if fmt in ("json", "annotations") else safe_text(text)


def fail(message: str) -> int:
    """The one way a command reports an unusable input: one line on stderr, exit status 2."""
    print(f"sourcecheck: {message}", file=sys.stderr)
    return 2
