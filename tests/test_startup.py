"""What a command imports: modules it never uses are not loaded (each costs every run its import time,
measured in bench/e2e.py). Checked in a fresh interpreter, where sys.modules starts empty."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_articles" / "harbour-bridge-oped.md"

LOADED_AFTER = """
import json, sys
{setup}
print(json.dumps(sorted(name for name, module in sys.modules.items() if module is not None)))
"""


def modules_after(setup: str) -> set[str]:
    """The modules loaded in a fresh interpreter once `setup` has run."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER.format(setup=setup)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_httpx_is_used_without_its_command_line() -> None:
    loaded = modules_after("import tui, httpx\nhttpx.AsyncClient(trust_env=False)")
    assert "httpx" in loaded
    assert not {"httpx._main", "click", "pygments"} & loaded


def test_check_with_no_fetch_loads_no_http_client(tmp_path: Path) -> None:
    setup = (
        "import contextlib, io, os\n"
        f"os.environ['SOURCECHECK_DATA_DIR'] = {str(tmp_path)!r}\n"
        "from tui.cli import main\n"
        f"sys.argv = ['sourcecheck', 'check', {str(SAMPLE)!r}, '--no-fetch', '--format', 'json']\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()"
    )
    loaded = modules_after(setup)
    assert "tui.core.pipeline" in loaded  # the check ran
    assert not {"httpx", "httpcore", "certifi", "textual"} & loaded
