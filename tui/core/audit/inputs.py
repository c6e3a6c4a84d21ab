"""What an audit checks: `sourcecheck audit INPUT...` turned into a list of articles, each once.

An INPUT is an http(s) URL (one article), a folder (every saved article under it: .html, .htm, .xhtml, .md,
.markdown, .txt files; hidden ones skipped), or a file. A file (other than .html/.md) whose every non-blank
line (lines starting with `#` are comments) is an http(s) URL or a path is a list of articles, paths
relative to the list's own folder; any other file is an article itself. A line is a path when it names an
existing file or folder, or looks like one (no spaces, or an article's file name): a listed article that is
missing is then checked and fails with its own sentence, rather than turning the list into prose.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..budget import BodyError, read_file
from ..locations import article_key, is_url
from .records import ArticleSpec, AuditError

ARTICLE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".md", ".markdown", ".txt"})
# A list file larger than this is read line by line all the same; an article this large is not a list.
_LIST_SNIFF_BYTES = 64 * 1024 * 1024


def expand_inputs(inputs: Sequence[str]) -> list[ArticleSpec]:
    """The articles named by `inputs`, in the order given, each article (by key) once.

    Raises AuditError naming the first INPUT that does not exist or cannot be read.
    """
    seen: set[str] = set()
    specs: list[ArticleSpec] = []
    for given in inputs:
        for location in _locations(given, depth=0):
            key = article_key(location)
            if key not in seen:
                seen.add(key)
                specs.append(ArticleSpec(location, key))
    return specs


def _locations(given: str, depth: int) -> Iterator[str]:
    if is_url(given):
        yield given
        return
    path = Path(given).expanduser()
    if path.is_dir():
        yield from _folder(path)
        return
    if not path.exists():
        if depth > 0:  # named by a list: checked, and failing with its own sentence
            yield given
            return
        raise AuditError(f"{given}: no such file or folder.")
    entries = _list_entries(path)
    if entries is None or depth > 0:  # a list names articles; it does not name further lists
        yield given
        return
    for entry in entries:
        yield from _locations(entry, depth + 1)


def _folder(folder: Path) -> Iterator[str]:
    try:
        found = sorted(
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in ARTICLE_SUFFIXES
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
    except OSError as exc:
        raise AuditError(f"Cannot read the folder {folder} ({exc.strerror or exc}).") from exc
    for path in found:
        yield str(path)


def _list_entries(path: Path) -> list[str] | None:
    """The entries when `path` is a list of articles; None when it is an article."""
    if path.suffix.lower() in ARTICLE_SUFFIXES - {".txt"}:
        return None
    try:
        if path.stat().st_size > _LIST_SNIFF_BYTES:
            return None
        raw = read_file(path, f"The list {path}", _LIST_SNIFF_BYTES)  # regular files only, capped
    except BodyError:
        return None  # a FIFO, a device, or too big for a list: read as an article, which says why not
    except OSError as exc:
        raise AuditError(f"Cannot read {path} ({exc.strerror or exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    entries: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            entries.append(line)
            continue
        candidate = Path(line).expanduser()
        if not candidate.is_absolute():
            candidate = path.parent / candidate
        try:
            exists = candidate.exists()
        except (OSError, ValueError):  # a line too long or with a NUL byte is prose, not a path
            return None
        if not exists and " " in line and candidate.suffix.lower() not in ARTICLE_SUFFIXES:
            return None
        entries.append(str(candidate))
    return entries or None
