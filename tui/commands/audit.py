"""`sourcecheck audit INPUT...`: check many articles, resumably, and report on all of them."""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .common import add_db_option, add_fetch_options, fail, options_from_args, printable

if TYPE_CHECKING:  # the core is imported when the command runs, not when the CLI starts
    from ..core.audit.db import AuditDB
    from ..core.audit.records import AuditRow
    from ..core.audit.run import AuditPlan
    from ..core.pipeline import CheckOptions

DEFAULT_DB = Path("audit.sqlite3")
INTERRUPTED = 130  # the shell's status for a command ended by SIGINT


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="check many articles (a folder, a list of URLs/paths) and report on all of them",
        description="Check every article named by INPUT (a folder of saved articles, a file listing URLs "
        "or paths one a line, or a URL) with the same pipeline as `check`. Results go to an audit "
        "database as each article finishes: rerunning the same command skips finished articles, and "
        "Ctrl-C loses only the articles in flight. Prints a summary table (or JSON/CSV); --html writes a "
        "static report. Exit status 0 when the audit ran (articles that failed say why), 2 when the "
        "inputs or the database are unusable, 130 when interrupted.",
    )
    parser.add_argument(
        "inputs", metavar="INPUT", nargs="*", help="folder, list file or URL (none: the database's articles)"
    )
    parser.add_argument(
        "--audit-db",
        metavar="FILE",
        type=Path,
        default=DEFAULT_DB,
        help=f"the audit database to write and resume (default: ./{DEFAULT_DB}); its evidence archive "
        "is FILE's name with .warc.gz unless --archive says otherwise",
    )
    parser.add_argument("--again", action="store_true", help="check finished articles anew")
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="the summary on stdout (default: table, most attention first)",
    )
    parser.add_argument("--html", metavar="DIR", type=Path, help="also write a static HTML report to DIR")
    run = parser.add_argument_group("running")
    run.add_argument("--jobs", type=int, metavar="N", help="articles in flight at once (default: 4 per core)")
    run.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="give up on one article after this (default 600)"
    )
    run.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: this process; dask: tasks on a Dask cluster (needs the [dask] extra)",
    )
    run.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --executor dask: the scheduler (default: a local one)"
    )
    run.add_argument(
        "--workers", type=int, metavar="N", help="local Dask cluster: worker processes (default: cores)"
    )
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    add_fetch_options(parser, one_article=True)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from ..core.article import ArticleError
    from ..core.audit.db import AuditDB
    from ..core.audit.records import AuditError
    from ..core.audit.run import AuditPlan, default_jobs, with_audit_archive

    if args.scheduler and args.executor != "dask":
        return fail("--scheduler needs --executor dask.")
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be at least 1.")
    if args.timeout is not None and args.timeout <= 0:
        return fail("--timeout must be a positive number of seconds.")
    try:
        options = options_from_args(args)
    except ArticleError as exc:
        return fail(str(exc))
    if options.archive_path is not None:  # Dask workers may run in another folder
        options = replace(options, archive_path=options.archive_path.resolve())
    options = with_audit_archive(options, args.audit_db.expanduser())
    plan = AuditPlan(
        executor=args.executor,
        jobs=args.jobs or default_jobs(),
        scheduler=args.scheduler,
        workers=args.workers,
        again=args.again,
        **({"timeout": args.timeout} if args.timeout else {}),
    )
    try:
        with AuditDB.open(args.audit_db) as db:
            return _audit(args, db, options, plan)
    except AuditError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:  # a second Ctrl-C while the summary or the report is written
        print(f"sourcecheck: interrupted; finished articles are kept in {args.audit_db}.", file=sys.stderr)
        return INTERRUPTED


def _audit(args: argparse.Namespace, db: AuditDB, options: CheckOptions, plan: AuditPlan) -> int:
    from ..core.audit.inputs import expand_inputs
    from ..core.audit.records import ArticleSpec, AuditError
    from ..core.audit.run import run_audit
    from ..core.audit.saved import SavedChoices
    from ..core.locations import notes_db_path
    from .progress import AuditProgressBar

    if args.inputs:
        specs = expand_inputs(args.inputs)
        if not specs:
            raise AuditError("The inputs name no articles (folders hold no .html, .md or .txt files).")
    else:
        specs = [ArticleSpec(r.location, r.key) for r in db.rows()]
        if not specs:
            raise AuditError(f"{args.audit_db} holds no articles yet: name some INPUT to audit.")
    _refuse_per_article_flags(args, len(specs))
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = AuditProgressBar(sys.stderr) if show else None
    interrupted = False
    saved = SavedChoices(notes_db_path(args.db))  # the sources saved in the reader, as `check` reads them
    try:
        summary = run_audit(db, specs, options, plan, bar, saved)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        saved.close()
        if bar:
            bar.finish()
    if saved.first_error:
        unread = f"{saved.first_error.rstrip('.')} ({saved.unread} article(s) checked without them)."
        print(f"sourcecheck: {unread}", file=sys.stderr)
    rows = db.rows([s.key for s in specs])
    _print_summary(args.format, rows)
    if args.html and not interrupted:
        _write_html(args, db, rows)
    done = sum(r.state in ("done", "failed") for r in rows)
    if interrupted:
        print(
            f"sourcecheck: interrupted; {done} of {len(rows)} articles are recorded in {args.audit_db}. "
            "Run the same command again to go on.",
            file=sys.stderr,
        )
        return INTERRUPTED
    print(
        f"sourcecheck: checked {summary.checked} article(s) in {summary.seconds:.1f} s"
        f" ({summary.failed} could not be checked); {summary.skipped} already done in an earlier run.",
        file=sys.stderr,
    )
    if summary.set_aside:
        count = len(summary.set_aside)
        print(f"sourcecheck: {count} article(s) set aside after repeated crashes.", file=sys.stderr)
    return 0


PER_ARTICLE_FLAGS = ("--source", "--sources", "--links-from")


def _refuse_per_article_flags(args: argparse.Namespace, articles: int) -> None:
    """--source KEY=TARGET, --sources and --links-from name one article's links (a link number or anchor
    text means nothing in another article): they are taken with one article only. AuditError otherwise."""
    from ..core.audit.records import AuditError

    given = [flag for flag in PER_ARTICLE_FLAGS if getattr(args, flag[2:].replace("-", "_"))]
    if given and articles > 1:
        raise AuditError(
            f"{' and '.join(given)} name one article's links, and this audit has {articles} articles: "
            "audit that article alone, or attach the sources in the reader (s, l), which every audit reads "
            "from the notes."
        )


def _print_summary(fmt: str, rows: list[AuditRow]) -> None:
    from ..core.audit.summary import render_csv, render_json, render_table

    if fmt == "json":
        text = render_json(rows)
    elif fmt == "csv":
        text = render_csv(rows)
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        text = render_table(rows, width)
    sys.stdout.write(printable(text, "json" if fmt == "json" else "text"))
    sys.stdout.flush()


def _write_html(args: argparse.Namespace, db: AuditDB, rows: list[AuditRow]) -> None:
    from ..core.audit.html import write_report
    from ..core.locations import notes_db_path

    path = write_report(db, rows, args.html.expanduser(), notes_db=notes_db_path(args.db))
    print(f"Wrote the HTML report: {path}", file=sys.stderr)
