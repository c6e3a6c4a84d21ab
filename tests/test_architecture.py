"""The core is a library: it must import and run with Textual absent."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui.core

CORE_MODULES = sorted(f"tui.core.{m.name}" for m in pkgutil.iter_modules(tui.core.__path__))

BLOCK_TEXTUAL = """
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked in the core")
sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
import tui.cli, tui.commands.check
print("ok")
"""


def test_core_never_imports_textual() -> None:
    assert len(CORE_MODULES) >= 10
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_TEXTUAL, *CORE_MODULES], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
