"""Regenerate the README screenshots from the bundled sample (offline, from its WARC archive).

    .venv/bin/python docs/screenshots/generate.py

Runs the real reader headless at fixed sizes; nothing is fetched and no user data is touched.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent.parent / "sample_articles" / "harbour-bridge-oped.md"
# A copied op-ed whose every link was stripped, given its sources by hand (README "Checking a copied article")
COPIED = HERE.parent.parent / "tests" / "fixtures" / "copied-oped"

SHOTS = [
    # (file, size, keys pressed after the pipeline finished; the list starts on the first citation)
    ("reader-200x60.svg", (200, 60), ["j"]),
    ("reader-80x24.svg", (80, 24), []),
    ("altered-quote.svg", (120, 36), ["j", "j", "j", "j"]),
    ("failed-source.svg", (120, 36), ["j", "j", "j"]),
    ("help.svg", (100, 40), ["question_mark"]),
    ("claim-note.svg", (120, 36), ["j", "p", "4"]),  # the claim itself, judged unsupported
    ("quotes-with-no-link.svg", (120, 36), ["unlinked"]),  # the row after the citations
    ("copied-article.svg", (140, 40), ["j"]),  # copied-oped.md, --sources: claim 2 has a source given by hand
]


async def shoot(name: str, size: tuple[int, int], keys: list[str]) -> None:
    from tui.app import SourcecheckApp
    from tui.core.pipeline import CheckOptions

    if name.startswith("copied-"):
        from tui.core.supplied import load_sources_file

        sources = tuple(load_sources_file(COPIED / "sources.json"))
        app = SourcecheckApp(str(COPIED / "copied-oped.md"), CheckOptions(offline=True, sources=sources))
    else:
        app = SourcecheckApp(str(SAMPLE), CheckOptions(offline=True))
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            if key == "unlinked":  # not a key: select the row of quotes with no link
                app.screen.session.select(key)
                app.screen.redraw()
            else:
                await pilot.press(key)
        await pilot.pause()
        app.save_screenshot(name, str(HERE))


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        os.environ["SOURCECHECK_DATA_DIR"] = data
        for name, size, keys in SHOTS:
            asyncio.run(shoot(name, size, keys))
            print(HERE / name)


if __name__ == "__main__":
    main()
