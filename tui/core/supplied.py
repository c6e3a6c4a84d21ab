"""Sources supplied by hand: what the user gave (a web address or a local file) and where it applies.

The headless face takes `--source KEY=TARGET` (repeatable) and `--sources FILE` (a JSON object
KEY -> TARGET); the reader saves the user's choices in the notes database (`notes.attached`). Both end up
as one `SourcePlan` for the article: which links read their source from where, which quotes with no link
have a source of their own, and which of them the user put under one of the article's links.

A KEY is a link's number as the reader and the text report print it (from 1), or its exact anchor text
(every link with that anchor text). A relative path is relative to the sources file's folder, or, on the
command line, to the working directory. Files are read through the fetcher like any source (`file://`
targets are only ever read when the user supplied them; a link in an article never reaches a file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import AttachError
from .fetch.files import file_path
from .models import NOT_SEARCHED, Link, Quote, QuoteMatch, QuoteOutcome, Source, SuppliedTarget
from .notes.attached import AttachedSource, PlacedSource

if TYPE_CHECKING:
    from .fetch import SourceOutcome

_OTHER_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:(//|[^\\/])")  # ftp://, mailto:x (not C:\ nor C:/)


@dataclass(frozen=True)
class SourcePlan:
    """What the user supplied, placed on this article.

    `links`: link index -> its source. `quotes`: a quote with no link (by its start offset in the article
    text) -> its own source. `quote_links`: a quote with no link (start offset) -> the link index it was
    put under.
    """

    links: Mapping[int, SuppliedTarget] = field(default_factory=dict)
    quotes: Mapping[int, SuppliedTarget] = field(default_factory=dict)
    quote_links: Mapping[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.links or self.quotes or self.quote_links)

    def local_files(self) -> frozenset[str]:
        """The `file://` URLs of the files supplied: the only files the fetcher may read."""
        targets = (*self.links.values(), *self.quotes.values())
        return frozenset(t.url for t in targets if t.kind == "file")

    def merged(self, later: SourcePlan) -> SourcePlan:
        """This plan with `later`'s choices winning where both say something."""
        return SourcePlan(
            {**self.links, **later.links},
            {**self.quotes, **later.quotes},
            {**self.quote_links, **later.quote_links},
        )


def parse_target(text: str, base: Path | None = None, *, must_exist: bool = True) -> SuppliedTarget:
    """A web address or a local file; relative paths resolve against `base` (default: the working folder).

    Raises AttachError when it is neither (another URL scheme, a folder, a missing file when `must_exist`).
    """
    given = text.strip()
    if not given:
        raise AttachError("No source given: give a web address (http or https) or a file.")
    scheme = given.split(":", 1)[0].lower() if ":" in given else ""
    if scheme in ("http", "https"):
        try:
            host = urlsplit(given).hostname
        except ValueError:
            host = None
        if not host:
            raise AttachError(f"Not a usable web address: {given[:200]}.")
        return SuppliedTarget(given, given, "url")
    if scheme == "file":
        path = file_path(given)
    elif _OTHER_URL.match(given):
        raise AttachError(f"Only web addresses (http, https) and local files can be sources, not {scheme}:.")
    else:
        path = Path(given).expanduser()
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
    path = path.resolve()
    if must_exist:
        if path.is_dir():
            raise AttachError(f"{given} is a folder; give a file (a saved page, a PDF, a text file).")
        if not path.exists():
            raise AttachError(f"The file {given} does not exist (looked at {path}).")
        if not path.is_file():  # a device, a FIFO, a socket: never read as a source (core/budget.py)
            raise AttachError(
                f"{given} is not a regular file (a device, a pipe or a socket); give a saved file."
            )
    return SuppliedTarget(given, path.as_uri(), "file")


def parse_source_option(value: str) -> tuple[str, SuppliedTarget]:
    """`KEY=TARGET` from the command line (paths relative to the working folder).

    The key ends at the first `=` (an anchor text holding `=` goes in a --sources file instead).
    """
    key, sep, target = value.partition("=")
    if not sep or not key.strip():
        raise AttachError(
            f"--source wants KEY=TARGET (a link number or anchor text, then a source): {value!r}"
        )
    return key.strip(), parse_target(target)


def load_sources_file(path: Path) -> list[tuple[str, SuppliedTarget]]:
    """The KEY -> TARGET pairs of a JSON sources file; relative paths are relative to its folder."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AttachError(f"The sources file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AttachError(f"The sources file {path} cannot be read ({exc}).") from None
    except json.JSONDecodeError as exc:
        raise AttachError(
            f"The sources file {path} is not valid JSON ({exc.msg}, line {exc.lineno})."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise AttachError(
            f"The sources file {path} must hold one JSON object of KEY -> TARGET strings, "
            'e.g. {"3": "https://example.org/report", "the minutes": "saved/minutes.html"}.'
        )
    base = path.resolve().parent
    return [(str(key), parse_target(target, base)) for key, target in data.items()]


def links_for_key(key: str, links: Sequence[Link]) -> list[Link]:
    """The links a KEY names: its number (from 1), else every link with exactly that anchor text.

    Raises AttachError naming the key when it names none.
    """
    if key.isdigit():
        number = int(key)
        if not 1 <= number <= len(links):
            raise AttachError(
                f"There is no link {number}: the article has {len(links)} links (numbered from 1)."
            )
        return [links[number - 1]]
    want = " ".join(key.split())
    named = [link for link in links if " ".join(link.anchor_text.split()) == want]
    if not named:
        raise AttachError(f"No link has the anchor text {key!r}; use its exact text or its number.")
    return named


def plan_from_keys(pairs: Iterable[tuple[str, SuppliedTarget]], links: Sequence[Link]) -> SourcePlan:
    """A plan from KEY -> TARGET pairs (later pairs win for the same link)."""
    chosen: dict[int, SuppliedTarget] = {}
    for key, target in pairs:
        for link in links_for_key(key, links):
            chosen[link.index] = target
    return SourcePlan(links=chosen)


def stored_target(attached: AttachedSource) -> SuppliedTarget:
    """The target of a saved attachment (its file need not exist any more: the archive may hold it)."""
    given = attached.target or ""
    if attached.kind == "file":
        return SuppliedTarget(given, Path(given).as_uri(), "file")
    return SuppliedTarget(given, given, "url")


def plan_from_placed(placed: Iterable[PlacedSource]) -> SourcePlan:
    """A plan from saved attachments placed on the article (orphaned ones apply nowhere)."""
    links: dict[int, SuppliedTarget] = {}
    quotes: dict[int, SuppliedTarget] = {}
    quote_links: dict[int, int] = {}
    for spot in placed:
        if spot.orphaned:
            continue
        attached = spot.attached
        if attached.kind == "link" and spot.quote_start is not None and spot.to_link_index is not None:
            quote_links[spot.quote_start] = spot.to_link_index
        elif attached.kind != "link" and spot.link_index is not None:
            links[spot.link_index] = stored_target(attached)
        elif attached.kind != "link" and spot.quote_start is not None:
            quotes[spot.quote_start] = stored_target(attached)
    return SourcePlan(links, quotes, quote_links)


def with_quote_links(quotes: Sequence[Quote], plan: SourcePlan) -> tuple[Quote, ...]:
    """The article's quotes with those the user put under a link attributed to it (order kept)."""
    moved = plan.quote_links
    return tuple(
        replace(q, link_index=moved[q.start]) if q.link_index is None and q.start in moved else q
        for q in quotes
    )


def check_unlinked(
    unlinked: Mapping[int, QuoteOutcome],
    pool: Sequence[tuple[int, Source]],
    fetched: Mapping[str, SourceOutcome],
    framed: Callable[[Quote, QuoteMatch, Source | None], QuoteMatch] = lambda q, m, s: m,
) -> dict[int, QuoteOutcome]:
    """Every quote with no link searched in its own source (when the user gave one) and then in every
    source of the article (`pool`: (link index, source)); not searched only when there is nothing to read.
    `framed` adds the framing cues to a match, given the source it was found in."""
    out: dict[int, QuoteOutcome] = {}
    for start, outcome in unlinked.items():
        got = fetched.get(outcome.supplied.url) if outcome.supplied is not None else None
        if got is not None:
            outcome = replace(
                outcome,
                fetch_status="ok" if got.source is not None else "error",
                fetch=got.result,
                source=got.source,
                error=got.error,
            )
        own = outcome.source if got is not None else None
        if own is None and not pool:
            out[start] = replace(outcome, match=replace(NOT_SEARCHED, framing=outcome.quote.framing))
            continue
        from .match import match_across  # (imported with the first source: --no-fetch needs none)

        found = match_across(outcome.quote.text, own, pool)
        holder = own if found.found_in_link is None else dict(pool).get(found.found_in_link)
        out[start] = replace(outcome, match=framed(outcome.quote, found, holder))
    return out
