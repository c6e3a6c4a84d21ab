"""Score the framing cues of `sourcecheck check` against a labelled set.

Format: tests/fixtures/framing_set/README.md.

Each case runs the real pipeline: its sources are written to a WARC archive as recorded responses, and the
article is checked offline against that archive, exactly as a user's saved article with its archive would
be. The report's `framing` lists are compared with the labels per cue kind.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.archive import Archive
from tui.core.models import FetchResult
from tui.core.pipeline import CheckOptions, check_location

KINDS = ("attribution_verb", "evaluative_wording", "scare_quote", "speaker", "hedge_dropped", "context")


@dataclass
class Case:
    name: str
    folder: Path
    split: str
    article: Path
    spec: dict


def load_cases(root: Path) -> list[Case]:
    cases = []
    for folder in sorted(p for p in root.iterdir() if (p / "case.json").is_file()):
        spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        article = next(
            folder / n for n in ("article.md", "article.html", "article.txt") if (folder / n).is_file()
        )
        cases.append(Case(folder.name, folder, spec.get("split", "dev"), article, spec))
    return cases


def run_case(case: Case, workdir: Path) -> dict:
    """The JSON report of `sourcecheck check` on the case, sources read from a WARC built from its files."""
    options = CheckOptions(offline=True, archive_path=build_archive(case, workdir))
    checker = asyncio.run(check_location(str(case.article), options))
    return checker.report()


def build_archive(case: Case, workdir: Path) -> Path:
    """A WARC holding the case's sources as recorded responses (what a saved article's archive holds)."""
    warc = workdir / f"{case.name}.warc.gz"
    archive = Archive(warc)
    for src in case.spec["sources"]:
        body = (case.folder / src["file"]).read_bytes()
        archive.add(
            FetchResult(
                url=src["url"],
                final_url=src["url"],
                http_status=src.get("status", 200),
                content_type=src["content_type"],
                body=body,
                headers=(("Content-Type", src["content_type"]),),
                fetched_at="2026-04-04T09:00:00+00:00",
            )
        )
    return warc


# --------------------------------------------------------------------------------------------- matching


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def same_text(a: str, b: str) -> bool:
    """Equal, or one holds the other as a run of whole words ("quoted" / "was quoted")."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of predictions that no label holds."""
        return self.fp / (self.tp + self.fp) if self.tp + self.fp else 0.0


@dataclass
class SpeakerTally:
    mismatches: int = 0  # labelled mismatches
    caught: int = 0  # ... predicted as mismatches
    mismatches_found: int = 0  # labelled mismatches of quotes the pipeline found in a source
    caught_found: int = 0  # ... predicted as mismatches
    same: int = 0  # labelled same speaker
    alarms_same: int = 0  # ... predicted as mismatches
    unlabelled_quotes: int = 0  # quotes with no mismatch label (incl. no speaker label)
    alarms_any: int = 0  # ... predicted as mismatches
    notes: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.mismatches if self.mismatches else 1.0

    @property
    def recall_found(self) -> float:
        """Recall over the quotes found in a source: the speaker check needs the source's passage, and a
        quote the article credits to no link is not looked for in any source (issue 12 will)."""
        return self.caught_found / self.mismatches_found if self.mismatches_found else 1.0

    @property
    def false_alarms(self) -> float:
        return self.alarms_same / self.same if self.same else 0.0

    @property
    def false_alarms_any(self) -> float:
        return self.alarms_any / self.unlabelled_quotes if self.unlabelled_quotes else 0.0


def _match(expected: list[dict], predicted: list[dict], key, tally: Tally, where: str) -> None:
    """Pair predictions with labels; a prediction that only repeats a matched label is not an alarm."""
    used = [False] * len(expected)
    for p in predicted:
        hits = [i for i, e in enumerate(expected) if key(e, p)]
        fresh = [i for i in hits if not used[i]]
        if fresh:
            used[fresh[0]] = True
            tally.tp += 1
        elif not hits:
            tally.fp += 1
            tally.alarms.append(f"{where}: {p}")
    for i, e in enumerate(expected):
        if not used[i]:
            tally.fn += 1
            tally.misses.append(f"{where}: {e}")


def _verb_key(e: dict, p: dict) -> bool:
    return same_text(e["text"], p.get("text") or "") and e["tone"] == p.get("tone")


def _text_key(e: dict, p: dict) -> bool:
    return same_text(e["text"], p.get("text") or "")


def _field_key(name: str):
    return lambda e, p: e.get(name) == p.get(name)


@dataclass
class Scores:
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS if k != "speaker"})
    speaker: SpeakerTally = field(default_factory=SpeakerTally)


def _items(report: dict, spec: dict, case: str) -> Iterable[tuple[str, str, dict, list[dict], bool]]:
    """(kind "claim"|"quote", label name, labels, predicted cues, found in a source) for every item."""
    links = [link for link in report["links"] if link.get("role", "citation") == "citation"]
    used_links: set[int] = set()
    for claim in spec["claims"]:
        found = [lk for lk in links if lk["anchor_text"] == claim["anchor"] and lk["index"] not in used_links]
        assert found, f"{case}: no citation link with the anchor {claim['anchor']!r}"
        used_links.add(found[0]["index"])
        yield "claim", claim["anchor"], claim, found[0].get("framing", []), True
    unlabelled = [lk["anchor_text"] for lk in links if lk["index"] not in used_links]
    assert not unlabelled, f"{case}: citation links without labels: {unlabelled}"
    quotes = [q for link in report["links"] for q in link["quotes"]] + report["unattributed_quotes"]
    seen: set[int] = set()
    for label in spec["quotes"]:
        found = [i for i, q in enumerate(quotes) if label["quote"] in q["text"]]
        assert len(found) == 1, f"{case}: {len(found)} quotes hold {label['quote']!r}"
        seen.add(found[0])
        quote = quotes[found[0]]
        yield (
            "quote",
            label["quote"],
            label,
            quote.get("framing", []),
            quote.get("match", "not_found") != "not_found",
        )
    missing = [q["text"] for i, q in enumerate(quotes) if i not in seen]
    assert not missing, f"{case}: quotes without labels: {missing}"


def score_reports(cases: list[tuple[Case, dict]]) -> Scores:
    scores = Scores()
    for case, report in cases:
        for kind, name, label, predicted, in_a_source in _items(report, case.spec, case.name):
            where = f"{case.name} {kind} {name!r}"
            want = {k: [c for c in label["cues"] if c["cue"] == k] for k in KINDS}
            got = {k: [c for c in predicted if c["cue"] == k] for k in KINDS}
            t = scores.tallies
            _match(want["attribution_verb"], got["attribution_verb"], _verb_key, t["attribution_verb"], where)
            if kind == "claim":
                _match(
                    want["evaluative_wording"],
                    got["evaluative_wording"],
                    _text_key,
                    t["evaluative_wording"],
                    where,
                )
            _match(want["scare_quote"], got["scare_quote"], _field_key("in_source"), t["scare_quote"], where)
            _match(want["hedge_dropped"], got["hedge_dropped"], _text_key, t["hedge_dropped"], where)
            _match(want["context"], got["context"], _field_key("relation"), t["context"], where)
            if kind == "quote":
                _speaker(scores.speaker, want["speaker"], got["speaker"], where, in_a_source)
    return scores


def _speaker(tally: SpeakerTally, want: list[dict], got: list[dict], where: str, found: bool) -> None:
    predicted = any(c.get("mismatch") for c in got)
    labelled = want[0]["mismatch"] if want else None
    if labelled is True:
        tally.mismatches += 1
        tally.caught += predicted
        tally.mismatches_found += found
        tally.caught_found += predicted and found
        if not predicted:
            tally.notes.append(f"missed mismatch: {where}: {got}")
        return
    tally.unlabelled_quotes += 1
    tally.alarms_any += predicted
    if labelled is False:
        tally.same += 1
        tally.alarms_same += predicted
    if predicted:
        tally.notes.append(f"false mismatch: {where}: {got}")


def table(title: str, scores: Scores) -> str:
    rows = [f"{title}", f"  {'cue':<20} {'P':>5} {'R':>5} {'F1':>5} {'false alarms':>13}   tp/fp/fn"]
    for kind, t in scores.tallies.items():
        rows.append(
            f"  {kind:<20} {t.precision:5.2f} {t.recall:5.2f} {t.f1:5.2f} {t.false_alarm_rate:13.2f}"
            f"   {t.tp}/{t.fp}/{t.fn}"
        )
    sp = scores.speaker
    rows.append(
        f"  {'speaker mismatch':<20} recall {sp.recall:.2f} ({sp.caught}/{sp.mismatches}), on quotes found "
        f"in a source {sp.recall_found:.2f} ({sp.caught_found}/{sp.mismatches_found}); false alarms on "
        f"same speaker {sp.false_alarms:.2f} ({sp.alarms_same}/{sp.same}), on every other quote "
        f"{sp.false_alarms_any:.2f} ({sp.alarms_any}/{sp.unlabelled_quotes})"
    )
    return "\n".join(rows)
