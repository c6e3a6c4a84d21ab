"""A local file the user attached as a source, read with the same size budget as a network body.

Only files the user supplied are ever read (`FetchConfig.local_files`): a link inside an article never
reaches this module. The bytes come through the one body budget (`core.budget`: a FIFO or a device in
the file's place is refused, a file over the cap is stopped), and every failure is one sentence.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..budget import BodyError, read_file
from ..errors import FetchError

# Suffixes a browser's "save page" or a download gives, when mimetypes does not know them on this system.
_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
          ".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown"}  # fmt: skip


def file_path(url: str) -> Path:
    """The path of a `file://` URL (the form attached files travel in, so they can share the fetch path)."""
    return Path(unquote(urlsplit(url).path))


def content_type_for(path: Path) -> str | None:
    """The media type a file's suffix implies (None: let extraction sniff the bytes)."""
    suffix = path.suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]


def read_local_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, read through the one body budget (`core.budget.read_file`: regular files only,
    at most `max_bytes`); FetchError with one sentence when it cannot be read."""
    try:
        return read_file(path, f"The file {path}", max_bytes)
    except BodyError as exc:
        raise FetchError(str(exc)) from None
    except FileNotFoundError:
        raise FetchError(f"The file {path} no longer exists.") from None
    except PermissionError:
        raise FetchError(f"The file {path} cannot be read (permission denied).") from None
    except OSError as exc:
        raise FetchError(f"The file {path} cannot be read ({exc.strerror or exc}).") from None
