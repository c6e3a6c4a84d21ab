"""The one answer to what an outcome means, for every face: `check`, `export`, the reader, the audit.

Each face used to count and label for itself, and they disagreed: the reader showed a quote whose source
failed as "not found" while `check` said "not checked". Everything a face shows *about* an outcome is
decided here, once:

- `quote_status`: a quote's standing, with `searched` folded in (`not_checked` when there was no source
  text to look in), and `STATUS_LABELS`, the words for it; `FLAG_LABELS`/`flag_label`, the words for a
  match's meaning flags;
- `Counts`: sources read / failed and quotes per status, over citations only (boilerplate links are not
  fetched, so they count for nothing), from `LinkOutcome`s or from a JSON report alike;
- `is_stripped`, `target_label`, `list_order`, `needs_attention`: what a link is and how a list shows it;
- `located_text`: which text a quote's source offsets point into (its own source or the link named by
  `found_in_link`; readable text or the page's full visible text);
- `source_label`, `archived_copy_label`, `supplied_label`: the words for a source supplied by hand and for
  an archived copy read in place of a dead one ("archived copy of <URL> from <date>").

Verdict words live with the notes (`notes.VERDICT_LABELS`, `notes.VERDICT_KEYS`); this module does not
repeat them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from .models import Link, LinkOutcome, QuoteMatch, Source

QuoteStatus = Literal["verbatim", "altered", "not_found", "not_checked"]
QUOTE_STATUSES: Final[tuple[QuoteStatus, ...]] = ("verbatim", "altered", "not_found", "not_checked")
STATUS_LABELS: Final[dict[QuoteStatus, str]] = {
    "verbatim": "verbatim",
    "altered": "altered",
    "not_found": "not found",
    "not_checked": "not checked",
}
# What each meaning flag of a match (`tui/core/flags.py`) says, in every face (reader, export, reports).
FLAG_LABELS: Final[dict[str, str]] = {
    "number": "a number differs",
    "negation": "a negation differs",
    "qualifier_cut": "cut before a qualifier (but, unless, if...)",
    "condition_cut": "cut after a condition",
    "ellipsis": "the ellipsis drops a negation or qualifier",
}
# What "not checked" means, for a face that has room to say it.
NOT_CHECKED_REASON: Final = "no source text to look in"

# A link whose target is gone or unusable as printed: the claim names no source that can be read.
_STRIPPED_KINDS: Final = frozenset({"invalid", "javascript"})
_NO_URL_LABELS: Final = {"mailto": "e-mail address", "fragment": "in-page link", "local": "local file"}


def quote_status(match: str, searched: bool = True) -> QuoteStatus:
    """The standing of one quote: its match class, or `not_checked` when nothing was searched.

    Takes the report's primitives (`match`, `searched`) so JSON and `QuoteMatch` give the same answer.
    """
    if not searched:
        return "not_checked"
    if match not in STATUS_LABELS:
        raise ValueError(f"unknown match class {match!r}")
    return match  # type: ignore[return-value]


def flag_label(flag: str) -> str:
    """The words for one meaning flag (`FLAG_LABELS`); a flag this version does not know reads as itself."""
    return FLAG_LABELS.get(flag, flag.replace("_", " "))


def status_of(found: QuoteMatch) -> QuoteStatus:
    """`quote_status` of a `QuoteMatch`."""
    return quote_status(found.match, found.searched)


def report_quote_status(quote: Mapping[str, Any]) -> QuoteStatus:
    """`quote_status` of a quote of the JSON report (reports written before `searched` count as searched)."""
    return quote_status(quote.get("match", "not_found"), bool(quote.get("searched", True)))


# ---------------------------------------------------------------------------------------------------------
# Links


def is_stripped(link: Link) -> bool:
    """A link whose target was stripped or is unusable (`#`, `javascript:`, a malformed address).

    An in-page note (`#fn1`, a boilerplate fragment with a URL) is not stripped: it is not a citation.
    """
    kind = link.target_kind
    return kind in _STRIPPED_KINDS or (kind == "fragment" and link.url is None)


def is_citation(link: Link) -> bool:
    """A link the article cites as a source (not a byline, share, navigation or in-page link)."""
    return link.role == "citation"


def list_order(links: Iterable[Link]) -> list[Link]:
    """The order lists show links in: citations first, then boilerplate, each in reading order."""
    return sorted(links, key=lambda link: (not is_citation(link), link.index))


def target_label(link: Link) -> str:
    """A few words for where a link points: its domain, or what kind of non-web target it has."""
    if is_stripped(link):
        return "stripped link"
    if link.url is None:
        return _NO_URL_LABELS.get(link.target_kind, "not a web link")
    try:
        host = urlsplit(link.url).hostname
    except ValueError:
        host = None
    return host.removeprefix("www.") if host else link.url[:30]


def source_label(outcome: LinkOutcome) -> str:
    """A few words for where a claim's source is read from: a source supplied by hand (its host or file
    name), an archived copy of a dead one, else where the link points (`target_label`)."""
    supplied = outcome.supplied
    if supplied is not None:
        if supplied.kind == "file":
            return f"supplied: {supplied.given.replace(chr(92), '/').rsplit('/', 1)[-1][:40]}"
        try:
            host = urlsplit(supplied.url).hostname or supplied.url
        except ValueError:
            host = supplied.url
        return f"supplied: {host.removeprefix('www.')[:40]}"
    if outcome.fetch is not None and outcome.fetch.memento is not None:
        return f"archived copy · {target_label(outcome.link)}"
    return target_label(outcome.link)


def needs_attention(outcome: LinkOutcome) -> bool:
    """A claim a person should look at first: stripped link, failed source, a quote altered or not found.

    Only citations are claims (a byline or share link is not). A quote merely not checked does not count
    (its link being stripped or failed already does). A stripped link the user gave a source by hand is
    judged by that source.
    """
    if not is_citation(outcome.link):
        return False
    if (is_stripped(outcome.link) and outcome.supplied is None) or outcome.fetch_status == "error":
        return True
    return any(status_of(found) in ("altered", "not_found") for _, found in outcome.quotes)


# ---------------------------------------------------------------------------------------------------------
# Counts


@dataclass(frozen=True)
class Counts:
    """Sources and quotes of the article's citations, by outcome (boilerplate links are left out), and
    the quotes with no link: how many (`unattributed`) and, apart, by outcome (`unattributed_<status>`).

    The citation counts (`verbatim` ... `not_checked`) keep their meaning (the report's contract); a face
    that shows "the article's quotes" adds the `unattributed_` ones (`unlinked`).
    """

    sources_read: int = 0
    sources_failed: int = 0
    verbatim: int = 0
    altered: int = 0
    not_found: int = 0
    not_checked: int = 0
    unattributed: int = 0
    unattributed_verbatim: int = 0
    unattributed_altered: int = 0
    unattributed_not_found: int = 0
    unattributed_not_checked: int = 0

    @classmethod
    def from_outcomes(
        cls, outcomes: Iterable[LinkOutcome], unattributed: int = 0, unlinked: Iterable[QuoteStatus] = ()
    ) -> Counts:
        """Counts over `outcomes` (pass only the settled ones to count a run still in progress);
        `unattributed` is how many quotes have no link, `unlinked` the statuses of those already known."""
        return cls._tally(
            (o.fetch_status, [status_of(m) for _, m in o.quotes]) for o in outcomes if is_citation(o.link)
        )._with(unattributed, unlinked)

    @classmethod
    def from_report(cls, report: Mapping[str, Any]) -> Counts:
        """Counts over a JSON report (the `check --format json` object)."""
        links = (
            (link["fetch"]["status"], [report_quote_status(q) for q in link["quotes"]])
            for link in report.get("links", [])
            if link.get("role", "citation") == "citation"
        )
        unlinked = report.get("unattributed_quotes", [])
        return cls._tally(links)._with(len(unlinked), [report_quote_status(q) for q in unlinked])

    @classmethod
    def _tally(cls, links: Iterable[tuple[str, Sequence[QuoteStatus]]]) -> Counts:
        numbers = dict.fromkeys(("sources_read", "sources_failed", *QUOTE_STATUSES), 0)
        for fetch_status, statuses in links:
            numbers["sources_read"] += fetch_status == "ok"
            numbers["sources_failed"] += fetch_status == "error"
            for status in statuses:
                numbers[status] += 1
        return cls(**numbers)

    def _with(self, unattributed: int, unlinked: Iterable[QuoteStatus]) -> Counts:
        numbers = {**self.as_dict(), "unattributed": unattributed}
        for status in unlinked:
            numbers[f"unattributed_{status}"] += 1
        return Counts(**numbers)

    def quotes(self, status: QuoteStatus) -> int:
        """Citation quotes with `status`."""
        return int(getattr(self, status))

    def unlinked(self, status: QuoteStatus) -> int:
        """Quotes with no link with `status`."""
        return int(getattr(self, f"unattributed_{status}"))

    def as_dict(self) -> dict[str, int]:
        """The report's `counts` object."""
        return {
            "sources_read": self.sources_read,
            "sources_failed": self.sources_failed,
            "verbatim": self.verbatim,
            "altered": self.altered,
            "not_found": self.not_found,
            "not_checked": self.not_checked,
            "unattributed": self.unattributed,
            **{f"unattributed_{status}": self.unlinked(status) for status in QUOTE_STATUSES},
        }

    def summary_line(self) -> str:
        """One line for people: `3 sources read, 1 failed; quotes: 2 verbatim, 1 altered, ...`, then the
        quotes with no link by status when there are any (`...; 2 with no link: 1 verbatim, 1 not found`)."""
        unchecked = f", {self.not_checked} {STATUS_LABELS['not_checked']}" if self.not_checked else ""
        line = (
            f"{self.sources_read} sources read, {self.sources_failed} failed; quotes: "
            f"{self.verbatim} {STATUS_LABELS['verbatim']}, {self.altered} {STATUS_LABELS['altered']}, "
            f"{self.not_found} {STATUS_LABELS['not_found']}{unchecked}, {self.unattributed} unattributed"
        )
        known = [f"{self.unlinked(s)} {STATUS_LABELS[s]}" for s in QUOTE_STATUSES if self.unlinked(s)]
        return line + (f" ({', '.join(known)})" if known else "")


# ---------------------------------------------------------------------------------------------------------
# Which text an offset points into


@dataclass(frozen=True)
class LocatedText:
    """The text a quote's `source_start`/`source_end` point into, and whose it is."""

    source: Source
    text: str  # `source.text`, or `source.page_text` when the passage is outside the main text
    link_index: int  # the link whose source this is (another link's when the quote was found there)
    borrowed: bool  # True when found in another link's source


def holder_of(link_index: int | None, found_in_link: int | None) -> int | None:
    """The link whose source holds a quote of link `link_index` (`found_in_link` when set)."""
    return found_in_link if found_in_link is not None else link_index


def located_text(
    link_index: int,
    own: Source | None,
    found: QuoteMatch,
    source_of: Callable[[int], Source | None] = lambda index: None,
) -> LocatedText | None:
    """Where `found`'s source offsets point: None when the quote was not located in any source text.

    `source_of(i)` gives link i's source (needed when `found.found_in_link` names another link).
    """
    if found.match == "not_found" or found.source_start is None:
        return None
    holder = found.found_in_link if found.found_in_link is not None else link_index  # holder_of, typed int
    source = own if holder == link_index else source_of(holder)
    if source is None:
        return None
    text = source.page_text if found.in_main_text is False else source.text
    return LocatedText(source, text, holder, holder != link_index)


# ---------------------------------------------------------------------------------------------------------
# Sources the user supplied, archived copies


def human_date(iso: str) -> str:
    """`2025-03-04T10:00:00Z` -> `4 March 2025` (the date as written, when it is not ISO)."""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{when.day} {when:%B %Y}"


def archived_copy_label(original_url: str, memento_datetime: str) -> str:
    """How an archived copy read in place of a dead source is named everywhere (Memento, RFC 7089)."""
    when = f" from {human_date(memento_datetime)}" if memento_datetime else ""
    return f"archived copy of {original_url}{when}"


def supplied_label(given: str) -> str:
    """How a source the user attached by hand is named."""
    return f"source supplied by hand: {given}"


def capitalized(label: str) -> str:
    """A label starting a sentence: its first letter capital, the rest (addresses, file names) untouched."""
    return label[:1].upper() + label[1:]
