"""What reading the notes costs an audit: the saved sources of each article from one notes store opened
once per audit (`tui.core.audit.saved.SavedChoices`), beside the obvious alternative (`check`'s
`with_saved_sources`, which opens the database for each article), measured in the same run.

    .venv/bin/python bench/audit_notes.py [ARTICLES]     # default 2000 articles, half with a saved source

Prints the median CPU and wall time per article of each way, and their ratio.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui.core.audit.saved import SavedChoices
from tui.core.notes import NoteStore, NoteTarget
from tui.core.options import CheckOptions, with_saved_sources


def build(db: Path, n: int) -> list[str]:
    """`n` article locations; every other one has a source attached to its claim and a published version."""
    locations = [f"https://news.example/{i}" for i in range(n)]
    with NoteStore.open(db) as store:
        for i, location in enumerate(locations[::2]):
            on = NoteTarget(
                article_key=location, link_index=0, link_url="#", claim=f"Claim {i} of the article."
            )
            store.attach_source(on, url=f"https://source.example/{i}", anchor_text="the report")
            store.set_links_from(location, f"https://published.example/{i}")
    return locations


def timed(each, locations: list[str]) -> tuple[float, float]:
    """Median (CPU, wall) seconds per article over 3 rounds of the whole list."""
    cpu, wall = [], []
    for _ in range(3):
        c0, w0 = time.process_time(), time.perf_counter()
        for location in locations:
            each(location)
        cpu.append((time.process_time() - c0) / len(locations))
        wall.append((time.perf_counter() - w0) / len(locations))
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    options = CheckOptions()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "notes.sqlite3"
        locations = build(db, n)
        saved = SavedChoices(db)
        once = timed(lambda loc: saved.options_for(options, loc), locations)
        saved.close()
        each = timed(lambda loc: with_saved_sources(options, db, loc), locations)
        found = sum(bool(with_saved_sources(options, db, loc).attached) for loc in locations)
    print(f"{n} articles, {found} with a saved source (median of 3 rounds, per article)")
    for name, (cpu, wall) in (
        ("one store per audit (SavedChoices)", once),
        ("a store per article (with_saved_sources)", each),
    ):
        print(f"  {name:42} CPU {cpu * 1e3:7.3f} ms  wall {wall * 1e3:7.3f} ms")
    print(f"  ratio (per article / per audit), CPU: {each[0] / max(once[0], 1e-9):.1f}x")


if __name__ == "__main__":
    main()
