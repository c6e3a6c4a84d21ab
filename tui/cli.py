"""The `sourcecheck` command: the reader by default, and the `check`, `export` and `notes` subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .commands.common import add_db_option, add_fetch_options, fail, options_from_args
from .core.safe_text import install_safe_logging

# Each subcommand module is imported only when it runs: `--version` and `--help` stay instant.
SUBCOMMANDS = {
    "check": "tui.commands.check",
    "export": "tui.commands.export_cmd",
    "notes": "tui.commands.notes_cmd",
    "audit": "tui.commands.audit",
}

EPILOG = """\
commands:
  sourcecheck ARTICLE            open the reader on ARTICLE (a .md/.html/.txt file or an http(s) URL)
  sourcecheck AUDIT.sqlite3      list an audit's articles, most attention first; enter opens one
  sourcecheck                    open a picker of the bundled samples and recent articles
  sourcecheck check ARTICLE      print a report (--format json|text|markdown)
  sourcecheck export ARTICLE     export your verdicts and notes (--format markdown|json|annotations)
  sourcecheck notes              list the articles you have annotated
  sourcecheck audit INPUT...     check many articles (a folder, a list of URLs/paths), resumably

Run `sourcecheck COMMAND --help` for a command's options.
"""


def reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sourcecheck",
        description="Check an article against its sources: walk its claims beside the sources' own words.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sourcecheck {__version__}")
    parser.add_argument(
        "article", metavar="ARTICLE", nargs="?", help="a path (.md, .html, .txt) or an http(s) URL"
    )
    add_fetch_options(parser)
    add_db_option(parser)
    return parser


def command_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sourcecheck", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"sourcecheck {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command", required=True)
    importlib.import_module(SUBCOMMANDS[name]).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    install_safe_logging()  # every log line and warning, ours or a library's, passes safe_text
    if argv and argv[0] in SUBCOMMANDS:
        args = command_parser(argv[0]).parse_args(argv)
        return importlib.import_module(SUBCOMMANDS[args.command]).run(args)
    args = reader_parser().parse_args(argv)
    from .core.errors import ArticleError

    try:
        options = options_from_args(args)
    except ArticleError as error:
        return fail(str(error))
    from .app import run_reader  # Textual is imported only when the reader is opened

    if args.article and _is_audit(args.article):
        return run_reader(None, options, args.db, audit=Path(args.article))
    return run_reader(args.article, options, args.db)


def _is_audit(location: str) -> bool:
    """An audit database (`sourcecheck audit`'s output) given where an article is expected."""
    from .core.audit.db import is_audit_database
    from .core.locations import is_url

    return not is_url(location) and is_audit_database(Path(location).expanduser())


if __name__ == "__main__":
    sys.exit(main())
