"""Sources the user supplies while reading (issue 12), on the session's extension points.

- `SourcesExtension`: lines under the source pane's summary saying where the text on the right came from
  when it is not the link's own live page (a source supplied by hand, an archived copy of a dead source,
  a link restored from the published version), and how a quote with no link fared across the article.
- Rules (`why_not`) for `attach_source`, `search_web` and `links_from`.
- `attach_request(session, text)`: what the user typed (a web address, a file, or for a quote with no
  link one of the article's link numbers) -> an `AttachRequest` the screen saves and hands to the
  `Checker`, or a sentence saying why not. `attaching(session, request)` marks the claim as fetching.

Every word about an outcome comes from `tui.core.status`; targets are parsed by `tui.core.supplied`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import AttachError
from ..core.models import SuppliedTarget
from ..core.notes import NoteTarget
from ..core.status import NOT_CHECKED_REASON, archived_copy_label, capitalized, supplied_label
from ..core.supplied import parse_target
from .actions import SELECT_FIRST, rule
from .session import Extension
from .subject import QuoteSubject, Subject, UnlinkedQuote
from .views import InfoLine

if TYPE_CHECKING:
    from .session import ReaderSession

_LINK_NUMBER = re.compile(r"(?:link\s*)?#?\s*(\d{1,6})", re.IGNORECASE)


@dataclass(frozen=True)
class AttachRequest:
    """One source given by hand: to the claim of link `link_index`, or to the quote with no link starting
    at `quote_start` (a `target`, or `to_link`: one of the article's links). `on`, `anchor_text` and
    `to_link_target` are what the notes database keeps (`NoteStore.attach_source`)."""

    on: NoteTarget
    link_index: int | None = None
    quote_start: int | None = None
    target: SuppliedTarget | None = None
    to_link: int | None = None
    anchor_text: str = ""
    to_link_target: NoteTarget | None = None

    def checker_args(self) -> dict[str, Any]:
        """The keywords of `Checker.attach`."""
        return {"link": self.link_index, "quote_start": self.quote_start, "target": self.target,
                "to_link": self.to_link}  # fmt: skip

    def store_args(self) -> dict[str, Any]:
        """The keywords of `NoteStore.attach_source` (after `on`)."""
        if self.to_link_target is not None:
            return {"link": self.to_link_target}
        assert self.target is not None
        path = self.target.url if self.target.kind == "url" else str(_path(self.target))
        return {self.target.kind: path, "anchor_text": self.anchor_text}

    def describe(self) -> str:
        """What was attached, for the message the user sees."""
        if self.to_link is not None:
            return f"the quote is now checked against link {self.to_link + 1}"
        assert self.target is not None
        return supplied_label(self.target.given)


def _path(target: SuppliedTarget) -> Path:
    from ..core.fetch.files import file_path

    return file_path(target.url)


@rule("attach_source")
def _attach(session: ReaderSession) -> str | None:
    if session.subject is None:
        return SELECT_FIRST
    if not session.loaded or session.article is None:
        return "The article is still loading."
    return None


@rule("search_web")
def _search(session: ReaderSession) -> str | None:
    return None if quote_text(session) else "Select a quote to search the web for its exact words."


@rule("links_from")
def _links_from(session: ReaderSession) -> str | None:
    return None if session.loaded else "The article is still loading."


def quote_text(session: ReaderSession) -> str | None:
    """The words of the quote the reader is on (a claim's quote or a quote with no link), else None."""
    subject = session.subject
    if isinstance(subject, UnlinkedQuote) and session.rows.unlinked:
        return session.rows.unlinked[min(subject.position, len(session.rows.unlinked) - 1)].text
    row = session.row
    if isinstance(subject, QuoteSubject) and row is not None and row.quotes:
        return row.quotes[min(subject.position, len(row.quotes) - 1)][0].text
    return None


def attach_prompt(session: ReaderSession) -> str:
    """What the attach prompt asks, for the current subject."""
    if isinstance(session.subject, UnlinkedQuote):
        return (
            "Source for this quote with no link: a web address, a file (.html saved from the browser, "
            ".pdf, .txt), or the number of one of the article's links"
        )
    row = session.row
    number = f" {row.index + 1}" if row is not None else ""
    return f"Source for claim{number}: a web address or a file (.html saved from the browser, .pdf, .txt)"


def attach_request(session: ReaderSession, text: str, base: Path | None = None) -> AttachRequest | str:
    """The user's answer to the attach prompt as a request, or a sentence saying what is wrong with it."""
    reason = session.why_not("attach_source")
    if reason:
        return reason
    article = session.article
    assert article is not None
    subject = session.subject
    if isinstance(subject, UnlinkedQuote):
        quote = session.rows.unlinked[min(subject.position, len(session.rows.unlinked) - 1)]
        on = NoteTarget.for_quote(article, None, quote)
        number = _LINK_NUMBER.fullmatch(text.strip())
        if number:
            index = int(number.group(1)) - 1
            if not 0 <= index < len(session.links):
                return f"There is no link {index + 1}: the article has {len(session.links)} links."
            to = NoteTarget.for_claim(article, session.links[index])
            return AttachRequest(on, quote_start=quote.start, to_link=index, to_link_target=to)
        target = _target(text, base)
        return (
            target if isinstance(target, str) else AttachRequest(on, quote_start=quote.start, target=target)
        )
    row = session.row
    if row is None:
        return SELECT_FIRST
    target = _target(text, base)
    if isinstance(target, str):
        return target
    on = NoteTarget.for_claim(article, row.link)
    return AttachRequest(on, link_index=row.index, target=target, anchor_text=row.link.anchor_text)


def _target(text: str, base: Path | None) -> SuppliedTarget | str:
    try:
        return parse_target(text, base)
    except AttachError as exc:
        return str(exc)


def attaching(session: ReaderSession, request: AttachRequest) -> None:
    """The request is on its way: its claim shows as fetching from its new source."""
    index, target = request.link_index, request.target
    if index is not None and target is not None and session.rows.attaching(index, target.url) is not None:
        session.changes.rows.add(index)
        session.changes.shown = True
    session.changes.status = True


class SourcesExtension(Extension):
    """Where the source on the right came from, when it is not the link's own live page."""

    def info_lines(self, session: ReaderSession, subject: Subject | None) -> Iterable[InfoLine]:
        if isinstance(subject, UnlinkedQuote):
            yield from _unlinked_lines(session, subject)
            return
        row = session.row
        if row is None:
            return
        outcome = row.outcome
        recovery = session.article.link_recovery if session.article else None
        if outcome.recovered and recovery is not None:
            yield InfoLine(f"Link restored from the published version: {recovery.location}", "accent")
        if outcome.supplied is not None:
            yield InfoLine(capitalized(supplied_label(outcome.supplied.given)), "accent")
        memento = outcome.fetch.memento if outcome.fetch is not None else None
        if memento is not None:
            yield InfoLine(capitalized(archived_copy_label(row.link.url or "", memento.datetime)), "warning")
            yield InfoLine(f"The live page failed: {memento.original_error}", "muted")


def _unlinked_lines(session: ReaderSession, subject: UnlinkedQuote) -> Iterable[InfoLine]:
    unlinked = session.rows.unlinked
    if not unlinked:
        return
    quote = unlinked[min(subject.position, len(unlinked) - 1)]
    outcome = session.rows.unlinked_outcome(quote)
    if outcome is not None and outcome.supplied is not None:
        yield InfoLine(capitalized(supplied_label(outcome.supplied.given)), "accent")
        if outcome.error:
            yield InfoLine(outcome.error, "error")
    match = outcome.match if outcome is not None else None
    if match is None or not (match.searched or session.finished):
        yield InfoLine("Being searched for in every source of the article…", "muted")
    elif not match.searched:
        yield InfoLine(f"Not checked: {NOT_CHECKED_REASON}.", "muted")
    elif match.match == "not_found":
        yield InfoLine("Not found in any source of the article.", "warning")
