"""Run CPU work on untrusted bytes where it can be stopped: a process per job, with time and memory
limits (`jobs`), forked by a small zygote process (`zygote`), confined inside (`child`).

The names are loaded on first use, so that the zygote, which imports this package, stays small.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "JobCrashed",
    "JobTooBig",
    "JobTooSlow",
    "Limits",
    "SandboxError",
    "prestart",
    "run_limited",
    "run_sandboxed",
    "shutdown",
    "slots",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".jobs", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
