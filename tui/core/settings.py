"""The user's settings: typed, read from an optional TOML file, each overridable by an environment variable.

    # ~/.config/sourcecheck/settings.toml (see `locations.settings_path`)
    web_search_url = "https://duckduckgo.com/html/?q={query}"
    memento_timegate = "https://web.archive.org/web/"     # or "off"

Environment variables win over the file: `SOURCECHECK_WEB_SEARCH_URL`, `SOURCECHECK_MEMENTO_TIMEGATE`.
A value that cannot be used raises `SettingsError` with one sentence naming where it came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final
from urllib.parse import quote_plus, urlsplit

from . import locations
from .errors import SettingsError

# The Internet Archive's Wayback Machine is a Memento TimeGate (RFC 7089): GET <timegate><original URL>.
WAYBACK_TIMEGATE: Final = "https://web.archive.org/web/"
# DuckDuckGo takes a quoted phrase as an exact-phrase search and needs no account or consent page.
DEFAULT_WEB_SEARCH: Final = "https://duckduckgo.com/?q={query}"
_OFF: Final = frozenset({"", "off", "none", "no", "false", "0"})


@dataclass(frozen=True)
class Settings:
    """What the user may change. `memento_timegate` None means: never ask an archive for a copy."""

    web_search_url: str = DEFAULT_WEB_SEARCH  # `{query}` is replaced by the URL-encoded search
    memento_timegate: str | None = WAYBACK_TIMEGATE

    def search_url(self, exact_phrase: str) -> str:
        """The web search for `exact_phrase` as an exact phrase (wrapped in double quotes)."""
        phrase = " ".join(exact_phrase.replace('"', " ").split())
        return self.web_search_url.replace("{query}", quote_plus(f'"{phrase}"'))


def _http_url(value: str, what: str, where: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"The {what} in {where} must be an http(s) address, not {value[:120]!r}.")
    return value


def _web_search(value: object, where: str) -> str:
    if not isinstance(value, str) or "{query}" not in value:
        raise SettingsError(f"web_search_url in {where} must be an address containing {{query}}.")
    return _http_url(value.strip(), "web_search_url", where)


def _timegate(value: object, where: str) -> str | None:
    if value is None or value is False:
        return None
    if not isinstance(value, str):
        raise SettingsError(f'memento_timegate in {where} must be an address or "off".')
    if value.strip().lower() in _OFF:
        return None
    return _http_url(value.strip(), "memento_timegate", where)


_PARSERS = {"web_search_url": _web_search, "memento_timegate": _timegate}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the settings file (when it exists), then environment variables."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    path = locations.settings_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"The settings file {path} cannot be read ({exc}).") from None
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError(
                f"The settings file {path} has unknown settings: {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})."
            )
        for name, raw in data.items():
            values[name] = _PARSERS[name](raw, str(path))
    for name, parse in _PARSERS.items():
        var = f"SOURCECHECK_{name.upper()}"
        if var in env:
            values[name] = parse(env[var], var)
    return Settings(**values)  # type: ignore[arg-type]
