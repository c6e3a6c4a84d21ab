"""`sourcecheck check ARTICLE`: the whole pipeline, headless, as JSON, text or Markdown."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from ..core.errors import ArticleError, AttachError, NotesError
from ..core.options import notes_not_used, with_saved_sources
from .common import add_db_option, add_fetch_options, fail, options_from_args, printable
from .progress import ProgressBar

if TYPE_CHECKING:  # pragma: no cover
    from ..core.options import CheckOptions


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check an article's links and quotes against their sources and print a report",
        description="Load ARTICLE (a .md, .html, .txt file or an http(s) URL), list its links as claims, "
        "fetch every cited source, and report how each quote compares with the source's own words. "
        "Exit status 0 when the article could be read (even if sources failed), 2 when it could not.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="a path (.md, .html, .txt) or an http(s) URL")
    parser.add_argument(
        "--format",
        choices=("json", "text", "markdown"),
        default="text",
        help="json: one JSON object on stdout (the documented contract); text: for people; "
        "markdown: a report to hand on (default: text)",
    )
    parser.add_argument("--no-fetch", action="store_true", help="list links and quotes only; fetch nothing")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal and --format is text)",
    )
    add_fetch_options(parser)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    try:
        options = options_from_args(args, fetch=not args.no_fetch)
    except ArticleError as error:
        return fail(str(error))
    if options.fetch:  # the extraction sandbox starts now, on another core, while the rest loads
        from ..core.fetch.pool import prestart_extraction

        prestart_extraction()
    notes_error = None
    try:
        options = with_saved_sources(options, args.db, args.article)
    except NotesError as error:  # the check itself does not need the notes: say so and go on
        notes_error = notes_not_used(str(error))
        print(f"sourcecheck: {notes_error}", file=sys.stderr)
    try:
        report = asyncio.run(_check(args, options))
    except (ArticleError, AttachError) as error:
        return fail(str(error))
    report["notes_error"] = notes_error
    if args.format == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "markdown":
        from ..core.export import export_markdown  # only this format needs the exporters

        text = export_markdown(report, [])
    else:
        from ..core.report import render_text

        text = render_text(report) + "\n"
    sys.stdout.write(printable(text, args.format))
    return 0


async def _check(args: argparse.Namespace, options: CheckOptions) -> dict:
    show = args.progress if args.progress is not None else (args.format == "text" and sys.stderr.isatty())
    bar = ProgressBar(sys.stderr) if show else None
    from ..core.pipeline import check_location

    checker = await check_location(args.article, options, bar.update if bar else None)
    if bar:
        bar.finish()
    return checker.report()
