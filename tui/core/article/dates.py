"""When an article was published, from its own metadata or its byline.

Used to ask a web archive for the copy of a dead source as the author saw it (Memento Accept-Datetime).
Sources, in order: `<meta property="article:published_time">` (Open Graph), JSON-LD `datePublished`,
other common meta names and `itemprop="datePublished"`, a `<time datetime>` element; for Markdown, the
front matter's `date`/`published`; for any article, a short byline line near the top ("Published 3 March
2025", "March 3, 2025"). Every date found is normalised to ISO 8601 (`YYYY-MM-DD` or a UTC date-time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any, Final

_META_NAMES: Final = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
)
_ISO: Final = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_MONTHS: Final = {
    m: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november", "dec december")
    )
    for m in names.split()
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_MONTH_YEAR: Final = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR: Final = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_ISO_IN_TEXT: Final = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
# A byline is a short line near the top; longer paragraphs are prose (a date there is about something else).
BYLINE_MAX_CHARS: Final = 200
BYLINE_PARAGRAPHS: Final = 6


def iso_date(value: str) -> str | None:
    """`value` (an ISO 8601 date or date-time, as metadata writes them) normalised, else None."""
    m = _ISO.match(value)
    if not m:
        return None
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        day = date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if hh is None:
        return day.isoformat()
    stamp = f"{day.isoformat()}T{hh}:{mm}:{ss or '00'}"
    if tz:
        stamp += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return day.isoformat()
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def as_datetime(value: str) -> datetime:
    """An ISO date from this module as an aware UTC datetime (a bare date is taken at noon UTC)."""
    if len(value) == 10:
        return datetime.fromisoformat(value).replace(hour=12, tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def html_published(root: Any) -> str | None:
    """The publication date an HTML page declares about itself (lxml root), or None.

    Each kind of element is gathered in one pass over the tree (`iter`), not one XPath per meta name:
    libxml2's `//meta[...]` grows faster than the page (a 5 MB page took 20 times a 1 MB one's time).
    """
    # (attribute, its value in ASCII lower case, as XPath's translate() lowers it) -> contents in page order
    metas: dict[tuple[str, str], list[str]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            value = meta.get(attr)
            if value is not None:
                metas.setdefault((attr, value.translate(_ASCII_LOWER)), []).append(content)
    for name in _META_NAMES:
        for attr in ("property", "name", "itemprop"):
            for value in metas.get((attr, name), ()):
                found = iso_date(str(value))
                if found:
                    return found
        if name == "article:published_time":
            found = _json_ld(root)
            if found:
                return found
    for el in root.iter():
        if not isinstance(el.tag, str) or (el.tag != "time" and el.get("itemprop") != "datePublished"):
            continue
        value = el.get("datetime")
        found = iso_date(str(value)) if value is not None else None
        if found:
            return found
    return None


_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _json_ld(root: Any) -> str | None:
    for script in root.iter("script"):
        if (script.get("type") or "").translate(_LDJSON_LOWER) != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for item in _walk(data):
            value = item.get("datePublished")
            if isinstance(value, str):
                found = iso_date(value)
                if found:
                    return found
    return None


_LDJSON_LOWER: Final = str.maketrans("LDJSON", "ldjson")  # what the XPath translate() lowered


def _walk(data: object, depth: int = 0) -> Iterator[dict]:
    """Every JSON object in a JSON-LD document (`@graph` lists, nested items), depth-bounded."""
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _walk(value, depth + 1)
    elif isinstance(data, list):
        for value in data[:200]:
            yield from _walk(value, depth + 1)


def front_matter_published(pairs: Iterable[tuple[str, str]]) -> str | None:
    """The date of Markdown front matter (`date:`, `published:`, `pubDate:`), or None."""
    for key, value in pairs:
        if key.strip().lower() in ("date", "published", "pubdate", "date_published", "published_at"):
            found = iso_date(value.strip().strip("\"'")) or text_date(value)
            if found:
                return found
    return None


def text_date(line: str) -> str | None:
    """The first date written out in `line` ("3 March 2025", "March 3, 2025", "2025-03-03"), or None."""
    candidates: list[tuple[int, str]] = []
    for m in _DAY_MONTH_YEAR.finditer(line):
        candidates.append((m.start(), _ymd(m.group(3), m.group(2), m.group(1))))
    for m in _MONTH_DAY_YEAR.finditer(line):
        candidates.append((m.start(), _ymd(m.group(3), m.group(1), m.group(2))))
    for m in _ISO_IN_TEXT.finditer(line):
        candidates.append((m.start(), iso_date(m.group(1)) or ""))
    good = sorted((pos, found) for pos, found in candidates if found)
    return good[0][1] if good else None


def _ymd(year: str, month: str, day: str) -> str:
    try:
        return date(int(year), _MONTHS[month.lower().rstrip(".")[:9]], int(day)).isoformat()
    except (KeyError, ValueError):
        return ""


def byline_date(text: str, paragraphs: Iterable[tuple[int, int]]) -> str | None:
    """A date on a short line among the article's first paragraphs (its byline), or None."""
    for n, (start, end) in enumerate(paragraphs):
        if n >= BYLINE_PARAGRAPHS:
            break
        for line in text[start:end].splitlines():
            if len(line) <= BYLINE_MAX_CHARS:
                found = text_date(line)
                if found:
                    return found
    return None
