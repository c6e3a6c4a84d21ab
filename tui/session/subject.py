"""What the reader is looking at: the selection as an explicit subject, one class per meaning.

A verdict and a note always belong to the subject. `note_key` names that note as (link index, quote
position): `(i, None)` is claim i, `(i, j)` the j-th quote of claim i, `(None, j)` the j-th quote with no
link. `entry_id` is the list row the subject sits on (`link-<i>` or `UNLINKED`).
"""

from __future__ import annotations

from dataclasses import dataclass

NoteKey = tuple[int | None, int | None]
UNLINKED = "unlinked"


def link_entry(index: int) -> str:
    """The list entry id of link `index`."""
    return f"link-{index}"


def entry_link(entry_id: str) -> int | None:
    """The link index of a list entry id, or None when the entry is not a link's."""
    if not entry_id.startswith("link-"):
        return None
    try:
        return int(entry_id.removeprefix("link-"))
    except ValueError:
        return None


@dataclass(frozen=True)
class _OnLink:
    link_index: int

    @property
    def entry_id(self) -> str:
        return link_entry(self.link_index)

    @property
    def note_key(self) -> NoteKey:
        return (self.link_index, None)


@dataclass(frozen=True)
class ClaimSubject(_OnLink):
    """A claim that quotes nothing; `evidence` is the source passage bearing on it now shown (n/p)."""

    evidence: int = 0


@dataclass(frozen=True)
class ClaimAsSubject(_OnLink):
    """The claim itself of a claim that has quotes (p from its first quote): judged as a whole."""


@dataclass(frozen=True)
class QuoteSubject(_OnLink):
    """Quote `position` (0-based, in the pipeline's order) of claim `link_index`."""

    position: int

    @property
    def note_key(self) -> NoteKey:
        return (self.link_index, self.position)


@dataclass(frozen=True)
class UnlinkedQuote:
    """Quote `position` (0-based, in article order) of the quotes that name no source."""

    position: int

    @property
    def note_key(self) -> NoteKey:
        return (None, self.position)

    @property
    def entry_id(self) -> str:
        return UNLINKED


Subject = ClaimSubject | ClaimAsSubject | QuoteSubject | UnlinkedQuote


def link_subjects(link_index: int, quotes: int, evidence: int) -> list[Subject]:
    """What n/p walk on a claim: the claim itself then each quote, or each passage bearing on it."""
    if quotes:
        return [ClaimAsSubject(link_index), *(QuoteSubject(link_index, j) for j in range(quotes))]
    return [ClaimSubject(link_index, e) for e in range(max(1, evidence))]


def unlinked_subjects(count: int) -> list[Subject]:
    """What n/p walk on the row of quotes with no link."""
    return [UnlinkedQuote(j) for j in range(count)]


def first_subject(walk: list[Subject]) -> Subject | None:
    """Where selecting a row lands: its first quote (the claim itself comes before it, by p)."""
    if not walk:
        return None
    return walk[1] if isinstance(walk[0], ClaimAsSubject) and len(walk) > 1 else walk[0]
