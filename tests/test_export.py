"""Exports: Markdown for editors, JSON for scripts, W3C Web Annotations; and the two commands."""

from __future__ import annotations

import argparse
import copy
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from tui.core.anchoring import anchor_notes_to_report
from tui.core.export import ANNO_CONTEXT, FORMATS, export, export_annotations, export_json, export_markdown
from tui.core.locations import article_key
from tui.core.notes import NoteStore, NoteTarget

P0 = 'The mayor said the budget was "balanced and fair" and promised "no new taxes" in a statement.'
P1 = 'Critics called it "a disaster" in a [report](javascript:alert(1)) <script>x</script>.'
P2 = 'Officials "could not confirm" it, a colleague\'s post says.'
P3 = 'Someone said "words matter".'
TEXT = "\n\n".join([P0, P1, P2, P3])
SOURCE_A = (
    "Yesterday the mayor called the budget balanced and very fair. There will be no new taxes, she said."
)


def span(needle: str, within: str = TEXT) -> tuple[int, int]:
    start = within.index(needle)
    return start, start + len(needle)


def quote(text: str, match: str, **kw: object) -> dict:
    start, end = span(text)
    base = {
        "text": text,
        "article_start": start,
        "article_end": end,
        "match": match,
        "similarity": 1.0 if match == "verbatim" else (0.0 if match == "not_found" else 0.85),
        "source_text": None,
        "source_start": None,
        "source_end": None,
        "prefix": None,
        "suffix": None,
        "found_in_link": None,
        "in_main_text": None,
        "other_matches": 0,
        "flags": [],
        "diff": [],
    }
    base.update(kw)
    return base


def link(index: int, claim: str, url: str, anchor: str, fetch: dict, quotes: list[dict]) -> dict:
    cs, ce = span(claim)
    return {
        "index": index,
        "url": url,
        "target_kind": "web",
        "role": "citation",
        "anchor_text": anchor,
        "claim": claim,
        "claim_start": cs,
        "claim_end": ce,
        "fetch": fetch,
        "quotes": quotes,
        "evidence": [],
    }


def ok_fetch(final_url: str, *, archive: bool) -> dict:
    return {
        "status": "ok",
        "http_status": 200,
        "final_url": final_url,
        "content_type": "text/html",
        "title": "Mayor's statement",
        "text_chars": len(SOURCE_A),
        "from_archive": archive,
        "fetched_at": "2026-11-20T10:00:00Z",
        "error": None,
    }


@pytest.fixture
def report(tmp_path: Path) -> dict:
    s1, e1 = span("balanced and very fair", SOURCE_A)
    s2, e2 = span("no new taxes", SOURCE_A)
    s3 = SOURCE_A.index("called")
    return {
        "article": {
            "location": str(tmp_path / "budget.md"),
            "title": "Budget *story*",
            "text_chars": len(TEXT),
        },
        "links": [
            link(
                0,
                P0,
                "https://src.example/a",
                "statement",
                ok_fetch("https://src.example/a?final=1", archive=True),
                [
                    quote(
                        "balanced and fair",
                        "altered",
                        source_text="balanced and very fair",
                        source_start=s1,
                        source_end=e1,
                        prefix="called the budget ",
                        suffix=". There will",
                        flags=["qualifier_cut"],
                        diff=[[0, "balanced and "], [-1, "very "], [0, "fair"]],
                        in_main_text=True,
                    ),
                    quote(
                        "no new taxes",
                        "verbatim",
                        source_text="no new taxes",
                        source_start=s2,
                        source_end=e2,
                        prefix="There will be ",
                        suffix=", she said.",
                        diff=[[0, "no new taxes"]],
                    ),
                ],
            ),
            link(
                1,
                P1,
                "https://src.example/b",
                "report",
                {
                    "status": "error",
                    "http_status": 404,
                    "final_url": None,
                    "content_type": None,
                    "title": None,
                    "text_chars": None,
                    "from_archive": False,
                    "error": "The server answered 404 Not Found.",
                },
                [quote("a disaster", "not_found")],
            ),
            link(
                2,
                P2,
                "https://src.example/c",
                "post",
                ok_fetch("https://src.example/c", archive=False),
                [
                    quote(
                        "could not confirm",
                        "altered",
                        source_text="called the",
                        source_start=s3,
                        source_end=s3 + 10,
                        prefix="the mayor ",
                        suffix=" budget",
                        found_in_link=0,
                        diff=[[1, "could not confirm"], [-1, "called the"]],
                    )
                ],
            ),
        ],
        "unattributed_quotes": [
            {
                "text": "words matter",
                "article_start": span("words matter")[0],
                "article_end": span("words matter")[1],
            }
        ],
    }


def quote_target(report: dict, li: int | None, qi: int, **kw: object) -> NoteTarget:
    loc = report["article"]["location"]
    q = report["links"][li]["quotes"][qi] if li is not None else report["unattributed_quotes"][qi]
    lk = report["links"][li] if li is not None else None
    start, end = q["article_start"], q["article_end"]
    return NoteTarget(
        article_key=article_key(loc),
        link_index=li,
        link_url=lk["url"] if lk else None,
        claim=lk["claim"] if lk else "",
        quote_text=q["text"],
        quote_prefix=TEXT[max(0, start - 20) : start],
        quote_suffix=TEXT[end : end + 20],
        article_start=start,
        article_end=end,
        article_title=report["article"]["title"],
        **kw,
    )


@pytest.fixture
def notes(report: dict, tmp_path: Path) -> dict:
    """Notes saved through the real store, then anchored against the report."""
    key = article_key(report["article"]["location"])
    claim1 = report["links"][1]
    with NoteStore.open(tmp_path / "n.sqlite3") as store:
        ids = {
            "q00": store.save(
                quote_target(report, 0, 0), verdict="altered", body="The source says *very* fair."
            ),
            "q01": store.save(quote_target(report, 0, 1), verdict="accurate"),
            "c1": store.save(
                NoteTarget(
                    key,
                    1,
                    claim1["url"],
                    claim1["claim"],
                    article_start=claim1["claim_start"],
                    article_end=claim1["claim_end"],
                ),
                verdict="unsupported",
                body="Dead link. [x](javascript:alert(1)) <b>not bold</b>\n- not a list\n# not a heading",
            ),
            "q10": store.save(quote_target(report, 1, 0), body="Could not check."),
            "q20": store.save(quote_target(report, 2, 0), verdict="cant_verify"),
            "u0": store.save(quote_target(report, None, 0), body="Who said this?"),
            "orphan_q": store.save(
                NoteTarget(
                    key,
                    0,
                    "https://src.example/a",
                    "An old sentence.",
                    quote_text="vanished words",
                    article_start=5,
                    article_end=19,
                    source_url="https://src.example/a?final=1",
                    source_exact="vanished words",
                    source_prefix="the ",
                    source_suffix=" here",
                    source_start=40,
                    source_end=54,
                ),
                verdict="altered",
                body="This quote was edited out.",
            ),
            "orphan_c": store.save(
                NoteTarget(
                    key,
                    9,
                    "https://gone.example/",
                    "A claim that was removed.",
                    article_start=3,
                    article_end=30,
                ),
                body="Removed claim.",
            ),
        }
        saved = store.notes_for(key)
    anchored = anchor_notes_to_report(saved, report, TEXT)
    return {
        "ids": {k: v.id for k, v in ids.items()},
        "anchored": anchored,
        "by_id": {a.note.id: a for a in anchored},
    }


# ---------------------------------------------------------------------------------------------------------
# JSON


def test_json_is_the_report_plus_notes_in_place(report: dict, notes: dict) -> None:
    before = copy.deepcopy(report)
    out = export_json(report, notes["anchored"])
    assert report == before  # the input report is not mutated
    ids = notes["ids"]
    links = out["links"]
    assert [n["id"] for n in links[0]["quotes"][0]["notes"]] == [ids["q00"]]
    assert links[0]["quotes"][0]["notes"][0]["verdict_label"] == "Altered"
    assert [n["id"] for n in links[0]["quotes"][1]["notes"]] == [ids["q01"]]
    assert [n["id"] for n in links[1]["notes"]] == [ids["c1"]]
    assert links[1]["notes"][0]["kind"] == "claim" and links[1]["notes"][0]["verdict"] == "unsupported"
    assert [n["id"] for n in links[1]["quotes"][0]["notes"]] == [ids["q10"]]
    assert [n["id"] for n in links[2]["quotes"][0]["notes"]] == [ids["q20"]]
    assert links[0]["notes"] == [] and links[2]["notes"] == []
    assert [n["id"] for n in out["unattributed_quotes"][0]["notes"]] == [ids["u0"]]
    assert {n["id"] for n in out["orphaned_notes"]} == {ids["orphan_q"], ids["orphan_c"]}
    assert all(n["orphaned"] for n in out["orphaned_notes"])
    assert out["notes_summary"] == {
        "total": 8,
        "orphaned": 2,
        "verdicts": {"accurate": 1, "altered": 2, "cant_verify": 1, "unsupported": 1},
    }
    # every contract key survives unchanged
    stripped = copy.deepcopy(out)
    for key in ("orphaned_notes", "article_notes", "notes_summary"):
        del stripped[key]
    for lk in stripped["links"]:
        del lk["notes"]
        for q in lk["quotes"]:
            del q["notes"]
    for q in stripped["unattributed_quotes"]:
        del q["notes"]
    assert stripped == report
    assert json.loads(export(report, notes["anchored"], "json")) == out


# ---------------------------------------------------------------------------------------------------------
# W3C Web Annotations

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def assert_w3c_annotation(anno: dict) -> None:
    """The Web Annotation Data Model keys sourcecheck promises (https://www.w3.org/TR/annotation-model/)."""
    assert anno["@context"] == ANNO_CONTEXT
    assert anno["type"] == "Annotation"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", anno["id"])
    assert anno["motivation"] in {"commenting", "assessing"}
    assert ISO.match(anno["created"]) and ISO.match(anno["modified"])
    datetime.fromisoformat(anno["created"].replace("Z", "+00:00"))
    assert anno["modified"] >= anno["created"]
    body = anno["body"]
    assert isinstance(body, list) and body
    textual = [b for b in body if b["type"] == "TextualBody"]
    assert textual, body
    for b in textual:
        assert isinstance(b["value"], str) and b["value"]
        assert b["purpose"] in {"commenting", "assessing"}
    for b in body:
        assert b["type"] in {"TextualBody", "SpecificResource"}
        if b["type"] == "SpecificResource":
            assert b["purpose"] == "linking" and b["source"].startswith("https://")
    target = anno["target"]
    assert isinstance(target["source"], str) and re.match(r"^(https?|file)://", target["source"])
    kinds = [s["type"] for s in target["selector"]]
    assert kinds[0] == "TextQuoteSelector"
    tqs = target["selector"][0]
    assert set(tqs) == {"type", "exact", "prefix", "suffix"} and tqs["exact"]
    if len(kinds) > 1:
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
        tps = target["selector"][1]
        assert set(tps) == {"type", "start", "end"}
        assert 0 <= tps["start"] <= tps["end"]


def test_annotations_follow_the_w3c_model(report: dict, notes: dict) -> None:
    coll = export_annotations(report, notes["anchored"])
    assert coll["@context"] == ANNO_CONTEXT and coll["type"] == "AnnotationCollection"
    assert coll["total"] == 8 and coll["first"]["type"] == "AnnotationPage"
    items = coll["first"]["items"]
    assert len(items) == 8 and len({a["id"] for a in items}) == 8
    for anno in items:
        assert_w3c_annotation(anno)
    assert json.loads(export(report, notes["anchored"], "annotations")) == coll
    # ids are stable: the same notes export to the same annotation ids
    assert [a["id"] for a in export_annotations(report, notes["anchored"])["first"]["items"]] == [
        a["id"] for a in items
    ]


def by_note(report: dict, notes: dict, name: str) -> dict:
    coll = export_annotations(report, notes["anchored"])
    uid = notes["by_id"][notes["ids"][name]].note.uid
    [anno] = [a for a in coll["first"]["items"] if a["id"] == f"urn:uuid:{uid}"]
    return anno


def test_quote_annotation_targets_the_source_passage(report: dict, notes: dict) -> None:
    anno = by_note(report, notes, "q00")
    q = report["links"][0]["quotes"][0]
    assert anno["target"] == {
        "source": "https://src.example/a?final=1",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "balanced and very fair",
                "prefix": "called the budget ",
                "suffix": ". There will",
            },
            {"type": "TextPositionSelector", "start": q["source_start"], "end": q["source_end"]},
        ],
    }
    assert SOURCE_A[q["source_start"] : q["source_end"]] == "balanced and very fair"
    bodies = {b["purpose"]: b["value"] for b in anno["body"]}
    assert bodies == {"commenting": "The source says *very* fair.", "assessing": "Altered"}
    assert anno["motivation"] == "assessing"


def test_passage_found_in_another_links_source_targets_that_source(report: dict, notes: dict) -> None:
    anno = by_note(report, notes, "q20")
    assert anno["target"]["source"] == "https://src.example/a?final=1"  # link 0's source, not link 2's
    assert anno["body"] == [{"type": "TextualBody", "value": "Can't verify", "purpose": "assessing"}]


def test_unmatched_quote_and_claim_notes_target_the_article(
    report: dict, notes: dict, tmp_path: Path
) -> None:
    article_uri = (tmp_path / "budget.md").resolve().as_uri()
    q10 = by_note(report, notes, "q10")
    start, end = span("a disaster")
    assert q10["target"]["source"] == article_uri
    assert q10["target"]["selector"][0]["exact"] == "a disaster"
    assert q10["target"]["selector"][1] == {"type": "TextPositionSelector", "start": start, "end": end}
    assert q10["motivation"] == "commenting"
    c1 = by_note(report, notes, "c1")
    assert c1["target"]["source"] == article_uri
    assert c1["target"]["selector"][0]["exact"] == P1
    cs, ce = span(P1)
    assert c1["target"]["selector"][1] == {"type": "TextPositionSelector", "start": cs, "end": ce}
    assert {"type": "SpecificResource", "source": "https://src.example/b", "purpose": "linking"} in c1["body"]


def test_orphans_keep_what_they_knew(report: dict, notes: dict, tmp_path: Path) -> None:
    oq = by_note(report, notes, "orphan_q")
    assert oq["target"]["source"] == "https://src.example/a?final=1"  # from the note's stored selectors
    assert oq["target"]["selector"][0]["exact"] == "vanished words"
    assert oq["target"]["selector"][1] == {"type": "TextPositionSelector", "start": 40, "end": 54}
    oc = by_note(report, notes, "orphan_c")
    assert oc["target"]["source"] == (tmp_path / "budget.md").resolve().as_uri()
    # its old offsets would point into text that no longer exists: quote selector only
    assert [s["type"] for s in oc["target"]["selector"]] == ["TextQuoteSelector"]
    assert oc["target"]["selector"][0]["exact"] == "A claim that was removed."


# ---------------------------------------------------------------------------------------------------------
# Markdown


def test_markdown_reads_as_an_editors_report(report: dict, notes: dict) -> None:
    md = export_markdown(report, notes["anchored"])
    assert md.startswith("# Source check: Budget \\*story\\*\n")
    assert "8 notes (2 orphaned)" in md
    # each claim, in order, with its source link and the archived-copy note
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[:3] == [
        "## 1. " + P0,
        '## 2. Critics called it "a disaster" in a \\[report\\](javascript:alert(1)) '
        "\\<script\\>x\\</script\\>.",
        "## 3. " + P2,
    ]
    assert "Link: [statement](https://src.example/a)" in md
    assert "read from the archived copy in the evidence archive (captured 2026-11-20T10:00:00Z)" in md
    assert "fetched live at 2026-11-20T10:00:00Z" in md
    assert "Source could not be read: The server answered 404 Not Found." in md
    # quotes with match class, the article's and the source's words, and the word diff
    assert "\n### Quote 1: altered (similarity 0.85)\n" in md
    assert "> balanced and very fair" in md
    assert "balanced and ~~very~~ fair" in md
    assert "**could not confirm** ~~called the~~" in md
    assert "found in the source of link 1" in md
    assert "meaning may change: cut before a qualifier (but, unless, if...)" in md
    assert "\n### Quote 1: not found" in md
    # verdicts and notes
    assert "**Verdict: Altered**" in md and "> The source says \\*very\\* fair." in md
    assert "Claim — **Verdict: Unsupported**" in md
    assert "**Verdict: Can't verify**" in md
    assert "## Quotes without a link" in md and "> Who said this?" in md
    orphan_part = md.split("## Orphaned notes", 1)[1]
    assert "> vanished words" in orphan_part and "> This quote was edited out." in orphan_part
    assert "> A claim that was removed." in orphan_part


def test_flag_words_are_one_table_in_every_face(report: dict) -> None:
    """The Markdown export, the text report and the audit's HTML name a meaning flag with the words of
    `status.FLAG_LABELS` (as the reader does), never by its key."""
    from tui.core.audit.html import _quote
    from tui.core.report import render_text
    from tui.core.status import FLAG_LABELS, flag_label

    words = flag_label("qualifier_cut")
    assert words == FLAG_LABELS["qualifier_cut"]
    quote = report["links"][0]["quotes"][0]
    faces = {
        "markdown": export_markdown(report, []),
        "text": render_text(report),
        "audit html": "; ".join(_quote(quote)["flag_words"]),
    }
    for face, text in faces.items():
        assert words in text, face
        assert "qualifier_cut" not in text and "qualifier\\_cut" not in text, face
    assert flag_label("new_flag") == "new flag"  # a flag this version does not know reads as words


def test_markdown_never_lets_web_text_become_markup(report: dict, notes: dict) -> None:
    md = export_markdown(report, notes["anchored"])
    assert "<script>" not in md and "<b>" not in md
    # neither the article's text nor a note can make a live link: every bracket arrives escaped
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(javascript:", md)
    assert "\\[x\\](javascript:alert(1))" in md
    assert "> \\- not a list  \n> \\# not a heading" in md


def test_markdown_without_notes_still_lists_every_claim(report: dict) -> None:
    md = export_markdown(report, [])
    assert md.count("\n## ") == 4 and "Orphaned" not in md and "Verdict" not in md
    # quotes with no link are listed even without notes: each was searched in every source (issue 12)
    assert "\n## Quotes without a link" in md


def test_unknown_format_is_refused(report: dict) -> None:
    assert FORMATS == ("markdown", "json", "annotations")
    with pytest.raises(ValueError, match="unknown export format"):
        export(report, [], "pdf")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# The commands


def parse(argv: list[str]) -> argparse.Namespace:
    from tui.commands import export_cmd, notes_cmd

    parser = argparse.ArgumentParser(prog="sourcecheck")
    sub = parser.add_subparsers(dest="command", required=True)
    export_cmd.add_parser(sub)
    notes_cmd.add_parser(sub)
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    from tui.commands import export_cmd, notes_cmd

    args = parse(argv)
    return {"export": export_cmd.run, "notes": notes_cmd.run}[args.command](args)


def test_notes_command_lists_articles_with_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cmd.sqlite3"
    assert run(["notes", "--db", str(db)]) == 0
    assert "No notes yet" in capsys.readouterr().out
    assert not db.exists()  # listing never creates a database
    with NoteStore.open(db) as store:
        for i, verdict in enumerate(["accurate", "altered", "altered", None]):
            store.save(
                NoteTarget(
                    "https://news.example/one",
                    i,
                    f"https://s/{i}",
                    f"Claim {i}.",
                    article_title="Story \x1b[31mone",
                ),
                verdict=verdict,
                body="b" if verdict is None else "",
            )
        store.save(NoteTarget("/tmp/two.md", 0, None, "Other claim."), verdict="cut")
    assert run(["notes", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    rows = out.splitlines()
    assert rows[0].split()[:6] == ["NOTES", "1", "2", "3", "4", "5"]  # headed by the verdict keys
    assert "1 = Accurate, 2 = Altered, 3 = Cut / out of context" in out
    one = next(r for r in rows if "news.example/one" in r)
    assert one.split()[:6] == ["4", "1", "2", "-", "-", "-"]
    assert "\x1b" not in out and "Story ␛[31mone" in one
    assert run(["notes", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {a["key"]: a for a in data["articles"]}
    assert by_key["https://news.example/one"]["verdicts"] == {"accurate": 1, "altered": 2}
    assert by_key["/tmp/two.md"]["notes"] == 1
    assert run(["notes", "https://news.example/one", "--db", str(db)]) == 0
    assert "[Altered] on claim “Claim 1.”" in capsys.readouterr().out


def test_commands_report_a_damaged_database_in_one_line(tmp_path: Path, capsys) -> None:
    db = tmp_path / "bad.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    assert run(["notes", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sourcecheck: ") and err.count("\n") == 1 and "damaged" in err
    article = tmp_path / "a.md"
    article.write_text("Some text.\n", encoding="utf-8")
    assert run(["export", str(article), "--db", str(db), "--offline", "--no-archive"]) == 2
    assert "damaged" in capsys.readouterr().err


class FakeChecker:
    """Stands in for the pipeline: the command's job is to anchor, export and write."""

    def __init__(self, article, options) -> None:
        self.article, self.options = article, options
        self.links: tuple = ()
        self.quotes: tuple = ()

    def report(self) -> dict:
        return FakeChecker.the_report


def test_export_command_with_a_stubbed_pipeline(
    report: dict, notes: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from tui.commands import export_cmd
    from tui.core.models import Article

    location = report["article"]["location"]
    Path(location).write_text(TEXT, encoding="utf-8")
    seen = {}

    async def fake_check(loc, options):
        seen["options"] = options
        return FakeChecker(Article(loc, "Budget", TEXT, (), ()), options)

    FakeChecker.the_report = report
    monkeypatch.setattr(export_cmd, "check_location", fake_check)
    # anchor against the report (the fake checker has no links): exercise the command's plumbing
    monkeypatch.setattr(
        export_cmd, "anchor_notes", lambda ns, _a, _l, _q: anchor_notes_to_report(ns, report, TEXT)
    )
    db = tmp_path / "n.sqlite3"  # where the `notes` fixture saved them
    out = tmp_path / "out" / "report.jsonld"
    out.parent.mkdir()
    assert (
        run(["export", location, "--format", "annotations", "--db", str(db), "-o", str(out), "--offline"])
        == 0
    )
    assert seen["options"].offline is True
    coll = json.loads(out.read_text(encoding="utf-8"))
    assert coll["total"] == 8
    assert "Wrote" in capsys.readouterr().err
    assert [p.name for p in out.parent.iterdir()] == ["report.jsonld"]  # no temp file left behind
    assert run(["export", location, "--format", "json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["notes_summary"]["total"] == 8
    assert run(["export", location, "--db", str(tmp_path / "none.sqlite3")]) == 0  # no db: no notes
    assert "Verdict" not in capsys.readouterr().out
    assert not (tmp_path / "none.sqlite3").exists()


def test_export_command_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real pipeline on a local article, no network: notes saved in the reader's way come back."""
    from tui.core.pipeline import Checker, CheckOptions, open_article

    article_path = tmp_path / "story.md"
    article_path.write_text(
        '# A story\n\nThe minister said the plan was "fully funded" in [a speech](https://example.invalid/s).\n',
        encoding="utf-8",
    )
    import asyncio

    async def load():
        options = CheckOptions(offline=True, use_archive=False)
        article = await open_article(str(article_path), options)
        checker = Checker(article, options)
        async for _ in checker.run():
            pass
        return checker

    try:
        checker = asyncio.run(load())
    except NotImplementedError:  # pragma: no cover - until the pipeline lands
        pytest.skip("the pipeline is not implemented yet")
    db = tmp_path / "e2e.sqlite3"
    [lk] = checker.links
    [q] = checker.quotes
    with NoteStore.open(db) as store:
        store.save(
            NoteTarget.for_quote(checker.article, lk, q), verdict="cant_verify", body="Ask the ministry."
        )
        store.save(NoteTarget.for_claim(checker.article, lk), verdict="unsupported")
    assert run(["export", str(article_path), "--db", str(db), "--offline", "--no-archive"]) == 0
    md = capsys.readouterr().out
    assert "**Verdict: Can't verify**" in md and "> Ask the ministry." in md
    assert "Claim — **Verdict: Unsupported**" in md and "Orphaned" not in md
    assert (
        run(
            [
                "export",
                str(article_path),
                "--format",
                "annotations",
                "--db",
                str(db),
                "--offline",
                "--no-archive",
            ]
        )
        == 0
    )
    coll = json.loads(capsys.readouterr().out)
    assert coll["total"] == 2
    for anno in coll["first"]["items"]:
        assert_w3c_annotation(anno)
