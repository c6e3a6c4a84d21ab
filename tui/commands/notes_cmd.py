"""`sourcecheck notes [ARTICLE]`: which articles carry verdicts and notes, or one article's notes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.locations import article_key, notes_db_path
from ..core.notes import VERDICT_KEYS, VERDICT_LABELS, VERDICTS, ArticleSummary, Note, NotesError, NoteStore
from ..core.safe_text import one_line
from .common import add_db_option, fail, printable


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notes",
        help="list annotated articles with counts (or one article's notes)",
        description="List every article that has verdicts or notes, with counts per verdict; "
        "with ARTICLE, list that article's notes.",
    )
    parser.add_argument("article", metavar="ARTICLE", nargs="?", help="show this article's notes")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    path = notes_db_path(args.db)
    try:
        if not path.exists():
            summaries: list[ArticleSummary] = []
            notes: list[Note] = []
        else:
            with NoteStore.open(path) as store:
                summaries = store.articles()
                notes = store.notes_for(article_key(args.article)) if args.article else []
    except NotesError as exc:
        return fail(str(exc))
    if args.article:
        _print_notes(args, path, notes)
    else:
        _print_articles(args, path, summaries)
    return 0


def _print_articles(args: argparse.Namespace, path: Path, summaries: list[ArticleSummary]) -> None:
    if args.format == "json":
        data = {
            "db": str(path),
            "articles": [
                {
                    "key": s.key,
                    "title": s.title,
                    "notes": s.notes,
                    "verdicts": s.verdicts,
                    "updated_at": s.updated_at,
                }
                for s in summaries
            ],
        }
        print(printable(json.dumps(data, ensure_ascii=False, indent=2), "json"))
        return
    if not summaries:
        print(f"No notes yet (database: {path}).")
        return
    short = VERDICT_KEYS  # a column per verdict, headed by its key; the legend gives its words
    header = f"{'NOTES':>5}  " + "  ".join(f"{short[v]:>3}" for v in VERDICTS) + f"  {'UPDATED':<16}  ARTICLE"
    print(header)
    for s in summaries:
        counts = "  ".join(f"{s.verdicts.get(v, 0) or '-':>3}" for v in VERDICTS)
        label = one_line(s.title) + f" ({s.key})" if s.title else s.key
        updated = (s.updated_at or "")[:16].replace("T", " ")
        print(f"{s.notes:>5}  {counts}  {updated:<16}  {label}")
    legend = ", ".join(f"{short[v]} = {VERDICT_LABELS[v]}" for v in VERDICTS)
    print(f"\n{len(summaries)} article(s); {legend}. Database: {path}")


def _print_notes(args: argparse.Namespace, path: Path, notes: list[Note]) -> None:
    key = article_key(args.article)
    if args.format == "json":
        data = {
            "db": str(path),
            "article": key,
            "notes": [
                {
                    "id": n.id,
                    "uid": n.uid,
                    "kind": n.target.kind,
                    "verdict": n.verdict,
                    "body": n.body,
                    "link_url": n.target.link_url,
                    "claim": n.target.claim,
                    "quote_text": n.target.quote_text,
                    "created": n.created_at,
                    "modified": n.updated_at,
                }
                for n in notes
            ],
        }
        print(printable(json.dumps(data, ensure_ascii=False, indent=2), "json"))
        return
    if not notes:
        print(f"No notes on {key}.", file=sys.stdout)
        return
    for n in notes:
        t = n.target
        on = (
            f"quote “{one_line(t.quote_text)}”"
            if t.quote_text is not None
            else f"claim “{one_line(t.claim)}”"
        )
        verdict = VERDICT_LABELS[n.verdict] if n.verdict else "no verdict"
        print(f"#{n.id} [{verdict}] on {on[:100]}")
        if n.body.strip():
            for line in n.body.strip().splitlines():
                print(f"    {one_line(line)}")
