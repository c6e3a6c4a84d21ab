"""Where extraction runs: in the sandbox (a process per body with time and memory limits), never in a
thread of this process, which nothing could stop. `inline` is for tests that want no process at all."""

from __future__ import annotations

from .. import sandbox
from ..errors import ExtractError
from ..models import FetchResult, Source
from .config import ExtractMode, FetchConfig
from .messages import extraction_stopped


def limits_for(config: FetchConfig) -> sandbox.Limits:
    return sandbox.Limits(seconds=config.extract_seconds, memory_mb=config.extract_memory_mb)


def _what(result: FetchResult) -> str:
    """How the failure sentence names the body: "PDF", "text file" or "page"."""
    from ..extract import media_type, sniff_kind

    mtype = media_type(result.content_type)
    if "pdf" in mtype or sniff_kind(result.body or b"") == "pdf":
        return "PDF"
    if mtype.startswith("text/") and mtype not in ("text/html", "text/xml"):
        return "text file"
    return "page"


def _modules(what: str) -> tuple[str, ...]:
    """What the zygote imports before forking a job for this kind of body (see sandbox.run_limited)."""
    return ("tui.core.extract:warm_up", "pypdf" if what == "PDF" else "readability")


def prestart_extraction() -> None:
    """Start the sandbox's zygote ahead of the first body, without waiting for it: the pipeline calls
    this as it opens an article it will fetch sources for, so the zygote's start-up (~0.1 s of imports,
    on another core) overlaps reading the article and the network. A --no-fetch run never starts it."""
    sandbox.prestart(_modules("page"))


async def extract_async(
    result: FetchResult, mode: ExtractMode = "process", config: FetchConfig | None = None
) -> Source:
    """The readable text of a fetched body, extracted in the sandbox under the config's limits.

    Raises ExtractError with one sentence: the body has no text, or its extraction was stopped at a
    limit ("The PDF took longer than 20 s to read; open it in a browser.") or crashed.
    """
    from ..extract import extract_source  # (this process reads only the article: a lazy import)

    if mode == "inline":
        return extract_source(result)
    limits = limits_for(config or FetchConfig())
    what = _what(result)
    try:
        return await sandbox.run_sandboxed(extract_source, result, limits, modules=_modules(what))
    except sandbox.SandboxError as stopped:
        raise ExtractError(extraction_stopped(what, stopped)) from None


def shutdown_extract_pool() -> None:
    """Release the sandbox's job threads (tests call this; nothing else needs to)."""
    sandbox.shutdown()
