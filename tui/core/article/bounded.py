"""Reading the article under the limits every source is read under (issue 16): the one budget.

The article is as untrusted as its sources. Its bytes are capped by the body budget (`core.budget`) as
they are read; turning them into an `Article` (the HTML or Markdown parser, the text walker) runs in the
extraction sandbox (`core.sandbox`) with the same CPU-time and memory limits as a source's extraction
(`FetchConfig.extract_seconds`, `extract_memory_mb`: SOURCECHECK_EXTRACT_SECONDS and
SOURCECHECK_EXTRACT_MEMORY_MB). A 13.7 MB page of 600k links, under the size cap, took 2.6 GB and more than
150 s in this process; now it ends in one sentence when a limit is hit. The article that comes back fits
the memory limit, which bounds what the later stages (claims, quotes, framing, the report) work on: they
are linear in it (bench/article.py).
"""

from __future__ import annotations

import asyncio
import os
import stat
from typing import TYPE_CHECKING

from ..errors import ArticleError
from ..models import Article
from .load import article_from_bytes, load_article_file

if TYPE_CHECKING:
    from ..fetch.config import FetchConfig
    from ..sandbox import SandboxError

# What the sandbox's zygote imports before it forks the job: the loaders (lxml, markdown-it)
_MODULES = ("tui.core.article",)

# An article this small is read in this process: its reading is bounded by its size. The costliest shapes
# measured (1 MB of tiny elements, `<i>x</i>` or `<div>x</div>` repeated, or of links in one paragraph) took
# 150-345 MB and 1-3 s per MB to load, so 256 KB stays under ~90 MB and a second, well inside the
# sandbox's limits; it is what most articles weigh, and the sandbox's start (0.1 s or more, waiting for its
# zygote) would be most of their reading time (bench/e2e.py).
IN_PROCESS_MAX_BYTES = 256 * 1024


def _from_file(arg: tuple[str, int]) -> Article:
    location, max_bytes = arg
    return load_article_file(location, max_bytes=max_bytes)


def _from_bytes(arg: tuple[bytes, str | None, str, str | None, str | None]) -> Article:
    body, content_type, location, base_url, content_language = arg
    return article_from_bytes(
        body,
        content_type=content_type,
        location=location,
        base_url=base_url,
        content_language=content_language,
    )


async def load_file_bounded(location: str, config: FetchConfig) -> Article:
    """`load_article_file(location)` under `config`'s body budget and extraction limits.

    Raises ArticleError with one sentence: the file is unusable (load_article_file's reasons), or reading
    it went past the CPU-time or memory limit."""
    return await _bounded(_from_file, (location, config.max_bytes), location, config, _file_size(location))


def _file_size(location: str) -> int | None:
    """The size of a regular file at `location`, else None (a device, a pipe or a missing file is for the
    loader to refuse, in the sandbox)."""
    try:
        status = os.stat(location)
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


async def from_bytes_bounded(
    body: bytes,
    *,
    content_type: str | None,
    location: str,
    base_url: str | None,
    content_language: str | None,
    config: FetchConfig,
) -> Article:
    """`article_from_bytes(...)` (a fetched article) under `config`'s extraction limits; ArticleError as
    `load_file_bounded`."""
    arg = (body, content_type, location, base_url, content_language)
    return await _bounded(_from_bytes, arg, location, config, len(body))


async def _bounded(fn, arg, location: str, config: FetchConfig, size: int | None) -> Article:
    small = size is not None and size <= IN_PROCESS_MAX_BYTES
    if config.extract_mode == "inline" or small:  # "inline": tests that want no process at all
        return await asyncio.to_thread(fn, arg)
    from .. import sandbox

    limits = sandbox.Limits(seconds=config.extract_seconds, memory_mb=config.extract_memory_mb)
    try:
        return await sandbox.run_sandboxed(fn, arg, limits, modules=_MODULES)
    except sandbox.SandboxError as stopped:
        raise ArticleError(article_stopped(location, stopped)) from None


def article_stopped(location: str, stopped: SandboxError) -> str:
    """The sentence for an article whose reading the sandbox stopped at a limit."""
    from ..sandbox import JobTooBig, JobTooSlow

    limits = stopped.limits
    if isinstance(stopped, JobTooSlow) and limits.seconds is not None:
        return (
            f"The article {location} took longer than {limits.seconds:g} s to read, sourcecheck's limit "
            "(SOURCECHECK_EXTRACT_SECONDS raises it)."
        )
    if isinstance(stopped, JobTooBig):
        return (
            f"The article {location} needed more than {limits.memory_mb} MB of memory to read, "
            "sourcecheck's limit (SOURCECHECK_EXTRACT_MEMORY_MB raises it)."
        )
    return f"Reading the article {location} failed: {stopped.detail}."
