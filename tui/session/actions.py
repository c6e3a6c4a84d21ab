"""Which actions apply right now and why not; what to offer; which filters the list has. Tables to extend.

`RULES` maps an action name (the screen's `action_<name>`, without parameters) to a function of the
session that returns None when the action applies, or the sentence the UI shows for a dimmed key. An
action with no rule always applies. `FILTERS` maps a filter name to the rows it keeps. A feature adds
its own entries with `@rule("name")` and `add_filter(...)`; the screen and the palette pick them up.
`OFFERS` maps a situation of the source pane (`situation(view)`: a source that could not be read, a
stripped link, the quotes with no link) to the actions worth suggesting there, in order; `offers()` keeps
those whose rule lets them apply now, so the pane never suggests a key that would only say why not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .rows import Row
from .subject import UnlinkedQuote

if TYPE_CHECKING:
    from .session import ReaderSession
    from .views import SourceView

Rule = Callable[["ReaderSession"], str | None]
RULES: dict[str, Rule] = {}


def rule(*names: str) -> Callable[[Rule], Rule]:
    """Register `fn` as the availability rule of the actions `names`."""

    def register(fn: Rule) -> Rule:
        for name in names:
            RULES[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class Filter:
    """A named filter of the claims list: `keep(row)` says whether a row is shown while it is on."""

    name: str
    label: str  # what the status line says while it is on
    keep: Callable[[Row], bool]
    empty: str  # what to say when it keeps nothing


FILTERS: dict[str, Filter] = {}


def add_filter(flt: Filter) -> Filter:
    FILTERS[flt.name] = flt
    return flt


add_filter(
    Filter(
        "attention",
        "filter on (f)",
        lambda row: row.needs_attention,
        "No claim needs attention (yet).",
    )
)

SELECT_FIRST = "Select a claim first."


@dataclass(frozen=True)
class Offer:
    """An action suggested for the current subject: `action` is the screen's action name (the key is the
    screen's business), `label` what it does here, in a few words ("give it a source")."""

    action: str
    label: str


OFFERS: dict[str, list[Offer]] = {
    "unavailable": [
        Offer("attach_source", "give it a source (a web address or a saved copy)"),
        Offer("open_source", "open in browser"),
        Offer("refetch", "refetch"),
        Offer("open_archived", "Wayback Machine"),
    ],
    "stripped": [
        Offer("attach_source", "give it a source"),
        Offer("links_from", "restore the links from the published version"),
        Offer("edit_note", "note it"),
    ],
    "unlinked": [
        Offer("edit_note", "note"),
        Offer("verdict", "verdict"),
        Offer("attach_source", "give it a source (address, file, or a link number)"),
        Offer("search_web", "search the web for it"),
    ],
}


def add_offer(situation: str, offer: Offer) -> Offer:
    """Suggest `offer` in `situation` (a key of `OFFERS`), after the ones already there."""
    OFFERS.setdefault(situation, []).append(offer)
    return offer


def situation(view: SourceView) -> str | None:
    """Which entry of `OFFERS` the source pane's `view` is in; None when it suggests nothing."""
    if view.kind == "unavailable":
        return "stripped" if view.row is not None and view.row.stripped else "unavailable"
    return "unlinked" if view.kind == "unlinked" else None


def offers(session: ReaderSession, view: SourceView) -> tuple[Offer, ...]:
    """The actions to suggest with `view` (the current subject's), those that apply now, in table order."""
    where = situation(view)
    if where is None:
        return ()
    return tuple(o for o in OFFERS.get(where, ()) if session.why_not(o.action) is None)


@rule("next_quote", "prev_quote")
def _walk(session: ReaderSession) -> str | None:
    subject = session.subject
    if subject is None:
        return SELECT_FIRST
    if len(session.walk()) > 1:
        return None
    if isinstance(subject, UnlinkedQuote):
        return "There is only one quote with no link."
    return "This claim quotes nothing and its source has no other passage to show."


@rule("open_source", "open_archived")
def _open(session: ReaderSession) -> str | None:
    return _no_address(session)


@rule("refetch")
def _refetch(session: ReaderSession) -> str | None:
    reason = _no_address(session)
    if reason:
        return reason
    row = session.row
    assert row is not None
    if not session.rows.fetched(row.target_url):
        return row.outcome.error or "This link is not fetched."
    if not session.can_refetch:
        return "Refetching is off (offline or no-fetch mode)."
    if not session.finished:
        done, total = session.rows.progress()
        return f"Sources are still being fetched ({done}/{total}); r works once this pass is done."
    return None


@rule("find")
def _find(session: ReaderSession) -> str | None:
    view = session.source_view()
    return None if view.text and view.kind != "unlinked" else "There is no source text to search here."


@rule("verdict", "edit_note")
def _note(session: ReaderSession) -> str | None:
    return None if session.subject is not None else SELECT_FIRST


@rule("export")
def _export(session: ReaderSession) -> str | None:
    return None if session.loaded else "Nothing to export yet: the article is loading."


def _no_address(session: ReaderSession) -> str | None:
    row = session.row
    if row is None:
        return "Quotes with no link have no source." if session.subject is not None else SELECT_FIRST
    if not row.target_url or row.stripped:
        return "This claim's link has no web address to open or fetch."
    return None
