"""The field cases handed over in ../shared/field-cases, each run the way its README describes.

Each case folder is served by the case's own stdlib server (`serve_dir.py`, 127.0.0.1 only, honouring its
`routes.json`), the article's `{{PORT}}` is filled in, `sourcecheck check --format json --allow-private
--no-archive` runs as a separate process, and the case's `check_expected.py` compares the report with
`expected.json`. The cases are read from the shared folder at test time, never copied into the repo.

A case stands for a kind of input; the tests of that kind live beside the code that handles it. A case an
open issue still has to fix is listed in `PENDING` with that issue and is expected to fail until then.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

CASES = REPO.parent / "shared" / "field-cases"
CHECK_FLAGS = ("--allow-private", "--no-archive")  # as the cases' run_case.sh runs them

# case -> the issue that fixes it. Remove a line when the case passes.
PENDING: dict[str, str] = {}


def _case_names() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and (p / "expected.json").is_file())


@pytest.fixture
def case_server(request: pytest.FixtureRequest) -> Iterator[tuple[Path, int]]:
    """Serve one case folder with its own server; yields (folder, port)."""
    folder = CASES / request.param
    proc = subprocess.Popen(
        [sys.executable, str(CASES / "serve_dir.py"), "--dir", str(folder), "--max-seconds", "120"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().split()
        assert first[:1] == ["PORT"], f"the case server did not start: {first!r}"
        yield folder, int(first[1])
    finally:
        proc.kill()
        proc.wait()


def run_case(folder: Path, port: int, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run sourcecheck on the case's article and check the report; returns check_expected's result."""
    article = next(folder / name for name in ("article.md", "article.html") if (folder / name).is_file())
    local = tmp_path / article.name
    local.write_text(article.read_text(encoding="utf-8").replace("{{PORT}}", str(port)), encoding="utf-8")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "NO_PROXY": "127.0.0.1"}
    check = subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", str(local), "--format", "json", *CHECK_FLAGS],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    report = tmp_path / "out.json"
    report.write_text(check.stdout, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(CASES / "check_expected.py"), str(folder / "expected.json"), str(report)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("case_server", _case_names(), indirect=True)
def test_field_case(case_server: tuple[Path, int], tmp_path: Path) -> None:
    folder, port = case_server
    result = run_case(folder, port, tmp_path)
    print(result.stdout)
    if folder.name in PENDING and result.returncode != 0:
        pytest.xfail(f"{folder.name} is {PENDING[folder.name]}'s to fix")
    assert result.returncode == 0, result.stdout
    assert folder.name not in PENDING, f"{folder.name} passes now: remove it from PENDING"


def test_field_cases_are_there() -> None:
    if not CASES.is_dir():
        pytest.skip(f"the shared field cases are not at {CASES}")
    assert _case_names(), "no field case found"
