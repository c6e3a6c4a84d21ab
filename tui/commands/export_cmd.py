"""`sourcecheck export ARTICLE`: the checked article with the user's verdicts and notes, in three formats."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..core.anchoring import anchor_notes
from ..core.article import ArticleError
from ..core.errors import AttachError
from ..core.export import FORMATS, export
from ..core.files import write_text_atomically
from ..core.locations import article_key, notes_db_path
from ..core.notes import Note, NotesError, NoteStore
from ..core.options import with_saved_sources
from ..core.pipeline import check_location
from .common import add_db_option, add_fetch_options, fail, options_from_args, printable


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export an article's check with your verdicts and notes",
        description="Check ARTICLE (sources come from the evidence archive when it has them) and write "
        "the report with your verdicts and notes: Markdown for people, JSON for scripts, or W3C Web "
        "Annotations (JSON-LD) for annotation tools.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="a path (.md, .html, .txt) or an http(s) URL")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="default: markdown")
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here instead of stdout")
    add_db_option(parser)
    add_fetch_options(parser)


def run(args: argparse.Namespace) -> int:
    try:
        options = options_from_args(args)
    except ArticleError as exc:
        return fail(str(exc))
    try:
        notes = load_notes(args.db, article_key(args.article))
        options = with_saved_sources(options, args.db, args.article)
    except NotesError as exc:
        return fail(str(exc))
    try:
        checker = asyncio.run(check_location(args.article, options))
    except (ArticleError, AttachError) as exc:
        return fail(str(exc))
    report = checker.report()
    anchored = anchor_notes(notes, checker.article, checker.links, checker.quotes)
    text = printable(export(report, anchored, args.format), args.format)
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    try:
        write_text_atomically(args.output.expanduser(), text)
    except OSError as exc:
        return fail(f"Cannot write {args.output}: {exc.strerror or exc}.")
    orphaned = sum(a.orphaned for a in anchored)
    print(
        f"Wrote {args.output} ({args.format}): {len(anchored)} notes"
        + (f", {orphaned} orphaned" if orphaned else "")
        + ".",
        file=sys.stderr,
    )
    return 0


def load_notes(db: Path | None, key: str) -> list[Note]:
    """The article's notes; none when there is no database yet (exporting must not create one)."""
    path = notes_db_path(db)
    if not path.exists():
        return []
    with NoteStore.open(path) as store:
        return store.notes_for(key)
