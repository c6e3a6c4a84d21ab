"""Benchmark: redrawing one row of the claims list, OptionList's public path vs the line-API list.

While sources load, rows change many times a second (fetch state, spinner, marks). The question is what
one row update costs when the list has 50 rows (a typical article) and 2,000 (a long page of links):

- `OptionList.replace_option_prompt` (its public API; it clears every cached render and line measure),
- `ClaimsList.update_entry` (tui/widgets/claims_list.py: fixed-height entries, line API, per-line cache).

Each measurement is one update followed by the frame that draws it (`pilot.pause()`), in CPU seconds of
this process (wall time is noisy on a shared machine); printed as medians over `--updates` updates.

Then the session side of a key press (no screen): `ReaderSession.move_claim` (j) beside building every
list entry (what a list rebuild costs), for the same sizes.

    .venv/bin/python bench/claims_list.py [--updates 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import OptionList  # noqa: E402
from textual.widgets.option_list import Option  # noqa: E402

from tui.session import Entry  # noqa: E402
from tui.widgets.claims_list import ClaimsList, entry_lines  # noqa: E402


def entry(i: int, state: str) -> Entry:
    marks = ("verbatim", "altered", "pending")[: i % 4]
    return Entry(f"link-{i}", "claim", f"anchor text of link {i}", i + 1, f"host{i}.example", state, marks)  # type: ignore[arg-type]


def prompt(e: Entry):
    first, second = entry_lines(e)
    return first.append("\n").append(second)


class OptionApp(App[None]):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(prompt(entry(i, "queued")), id=f"link-{i}") for i in range(self.rows)))

    def update(self, i: int, state: str) -> None:
        self.query_one(OptionList).replace_option_prompt(f"link-{i}", prompt(entry(i, state)))


class LineApp(App[None]):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield ClaimsList()

    def on_mount(self) -> None:
        self.query_one(ClaimsList).set_entries([entry(i, "queued") for i in range(self.rows)], "link-0")

    def update(self, i: int, state: str) -> None:
        self.query_one(ClaimsList).update_entry(entry(i, state))


async def measure(app_class: type, rows: int, updates: int) -> tuple[float, float]:
    """(median CPU ms per update + frame, median CPU ms of a frame with no update)."""
    app = app_class(rows)
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.pause()
        idle, busy = [], []
        for n in range(updates):
            started = time.process_time()
            await pilot.pause()
            idle.append(time.process_time() - started)
            started = time.process_time()
            app.update(n % min(rows, 15), ("fetching", "ok", "error")[n % 3])  # rows on screen
            await pilot.pause()
            busy.append(time.process_time() - started)
    return statistics.median(busy) * 1000, statistics.median(idle) * 1000


def session_of(rows: int):
    from tui.core import events as ev
    from tui.core.models import NOT_SEARCHED, Article, Link, LinkOutcome, Quote
    from tui.session import ReaderSession

    links = tuple(
        Link(
            i,
            f"https://h{i}.example/p",
            "web",
            f"anchor {i}",
            i * 10,
            i * 10 + 5,
            f"c{i}",
            i * 10,
            i * 10 + 9,
            i,
        )
        for i in range(rows)
    )
    quotes = tuple(Quote(f"q{i}", i * 10 + 1, i * 10 + 3, i, link_index=i) for i in range(rows))
    outcomes = tuple(LinkOutcome(link, quotes=((quotes[link.index], NOT_SEARCHED),)) for link in links)
    session = ReaderSession("bench")
    article = Article("bench", "t", "x" * rows * 10, (), ())
    session.apply(ev.ArticleLoaded(article, links, quotes, outcomes, tuple(link.url for link in links)))
    return session


def measure_session(rows: int, updates: int) -> tuple[float, float]:
    session = session_of(rows)
    keys, builds = [], []
    for _ in range(updates):
        started = time.process_time()
        session.move_claim(1)
        keys.append(time.process_time() - started)
        started = time.process_time()
        session.entries()
        builds.append(time.process_time() - started)
    return statistics.median(keys) * 1000, statistics.median(builds) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=40)
    args = parser.parse_args()
    print(f"{'rows':>6} {'variant':<34} {'update+frame ms':>16} {'idle frame ms':>14}")
    for rows in (50, 2000):
        for name, app_class in (
            ("OptionList.replace_option_prompt", OptionApp),
            ("ClaimsList (line API)", LineApp),
        ):
            busy, idle = await measure(app_class, rows, args.updates)
            print(f"{rows:>6} {name:<34} {busy:>16.2f} {idle:>14.2f}")
    print(f"\n{'rows':>6} {'session.move_claim ms':>22} {'session.entries() ms':>22}")
    for rows in (50, 2000):
        key, build = measure_session(rows, args.updates)
        print(f"{rows:>6} {key:>22.3f} {build:>22.2f}")


if __name__ == "__main__":
    asyncio.run(main())
