"""Where sourcecheck keeps the user's data: one module, overridable by environment variables."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "sourcecheck"


def data_dir() -> Path:
    """The user's data directory (`SOURCECHECK_DATA_DIR` overrides it, e.g. in tests)."""
    override = os.environ.get("SOURCECHECK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    """The settings file: `SOURCECHECK_SETTINGS`, else settings.toml in platformdirs' user config dir."""
    override = os.environ.get("SOURCECHECK_SETTINGS")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.toml"


def notes_db_path(override: Path | str | None = None) -> Path:
    """The notes database: `--db` (passed as `override`), else `SOURCECHECK_DB`, else the data dir."""
    if override is not None:
        return Path(override).expanduser()
    from_env = os.environ.get("SOURCECHECK_DB")
    return Path(from_env) if from_env else data_dir() / "notes.sqlite3"


def is_url(location: str) -> bool:
    """Whether the user gave an http(s) address rather than a path (schemes are case-insensitive)."""
    return location[:8].lower().startswith(("http://", "https://"))


def article_key(location: str) -> str:
    """A stable identity for an article: its URL as given, or its file's absolute path."""
    if is_url(location):
        return location
    return str(Path(location).expanduser().resolve())


def archive_path_for(location: str) -> Path:
    """The per-article WARC evidence archive in the data directory."""
    digest = hashlib.sha256(article_key(location).encode("utf-8")).hexdigest()[:16]
    return data_dir() / "archives" / f"{digest}.warc.gz"
