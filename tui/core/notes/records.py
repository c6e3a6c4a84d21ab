"""What the notes store holds: verdicts, note targets (what a note is about), notes, anchored notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from hashlib import sha256
from typing import Final, Literal, get_args

from .. import locations
from ..models import Article, Link, Quote, QuoteMatch
from ..normalize import fold_text

Verdict = Literal["accurate", "altered", "cut", "unsupported", "cant_verify"]
VERDICTS: Final[tuple[Verdict, ...]] = get_args(Verdict)
VERDICT_LABELS: Final[dict[Verdict, str]] = {
    "accurate": "Accurate",
    "altered": "Altered",
    "cut": "Cut / out of context",
    "unsupported": "Unsupported",
    "cant_verify": "Can't verify",
}
# A suggestion for the reader's one-key-each bindings (the UI may choose others).
VERDICT_KEYS: Final[dict[Verdict, str]] = {
    "accurate": "1",
    "altered": "2",
    "cut": "3",
    "unsupported": "4",
    "cant_verify": "5",
}

AnchorHow = Literal["quote", "quote_fuzzy", "text", "claim", "claim_fuzzy", "link_url", "link_index", "none"]


class Unset(Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


@dataclass(frozen=True)
class NoteTarget:
    """What a note is about: a quote (``quote_text`` set) or a claim (``quote_text`` None).

    Identity (what `NoteStore.save` upserts on) is the article key, the link URL, and the quote text -
    or, for a claim note, the claim sentence - plus ``occurrence`` when the same quote appears twice.
    Positions (`link_index`, `article_start`/`article_end`) are hints for re-anchoring, not identity.
    The ``source_*`` fields describe where the quote was found in the source (for annotation export);
    they are refreshed from the current report at export time when the quote still matches.
    """

    article_key: str
    link_index: int | None
    link_url: str | None
    claim: str
    quote_text: str | None = None
    quote_prefix: str = ""  # article text just before the quote (TextQuoteSelector in the article)
    quote_suffix: str = ""
    article_start: int | None = None
    article_end: int | None = None
    occurrence: int = 0  # which of several identical quotes in the article (0 = first)
    article_title: str | None = None  # shown by `sourcecheck notes`; not identity
    source_url: str | None = None
    source_exact: str | None = None
    source_prefix: str | None = None
    source_suffix: str | None = None
    source_start: int | None = None
    source_end: int | None = None

    @property
    def kind(self) -> Literal["quote", "claim"]:
        return "claim" if self.quote_text is None else "quote"

    @property
    def identity(self) -> str:
        """A stable digest of what the note is about (see the class docstring)."""
        text = self.claim if self.quote_text is None else self.quote_text
        parts = (self.kind, self.link_url or "", fold_text(text), str(self.occurrence))
        return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    @classmethod
    def for_claim(cls, article: Article, link: Link) -> NoteTarget:
        """The target for a note on a link's claim sentence."""
        return cls(
            article_key=locations.article_key(article.location),
            link_index=link.index,
            link_url=link.url,
            claim=link.claim,
            article_start=link.claim_start,
            article_end=link.claim_end,
            article_title=article.title,
        )

    @classmethod
    def for_quote(
        cls,
        article: Article,
        link: Link | None,
        quote: Quote,
        match: QuoteMatch | None = None,
        *,
        source_url: str | None = None,
        context: int = 32,
    ) -> NoteTarget:
        """The target for a note on a quote (``link`` None for an unattributed quote)."""
        text = article.text
        occurrence = _occurrence(text, quote.text, quote.start)
        return cls(
            article_key=locations.article_key(article.location),
            link_index=link.index if link else None,
            link_url=link.url if link else None,
            claim=link.claim if link else "",
            quote_text=quote.text,
            quote_prefix=text[max(0, quote.start - context) : quote.start],
            quote_suffix=text[quote.end : quote.end + context],
            article_start=quote.start,
            article_end=quote.end,
            occurrence=occurrence,
            article_title=article.title,
            source_url=source_url or (link.url if link else None),
            source_exact=match.source_text if match else None,
            source_prefix=match.prefix if match else None,
            source_suffix=match.suffix if match else None,
            source_start=match.source_start if match else None,
            source_end=match.source_end if match else None,
        )


@dataclass(frozen=True)
class Note:
    id: int
    uid: str  # a UUID, stable across exports (annotation ids)
    target: NoteTarget
    verdict: Verdict | None
    body: str
    created_at: str  # ISO 8601, UTC
    updated_at: str

    @property
    def empty(self) -> bool:
        return self.verdict is None and not self.body.strip()


@dataclass(frozen=True)
class AnchoredNote:
    """A note placed on the article as it is now.

    `quote_index` is the position among the quotes of `link_index` (the order of `LinkOutcome.quotes` and
    of the report's `links[i].quotes`), or among the unattributed quotes when `link_index` is None.
    `article_start`/`article_end` are the current offsets of the quote or claim: match on them when in doubt.
    `orphaned` notes keep `link_index`/`quote_index` None; their text is in `note.target`.
    """

    note: Note
    link_index: int | None
    quote_index: int | None
    orphaned: bool
    article_start: int | None = None
    article_end: int | None = None
    how: AnchorHow = "none"  # which rule placed it (exact quote, fuzzy, claim, link URL...)


@dataclass(frozen=True)
class ArticleSummary:
    key: str
    title: str | None
    notes: int  # non-empty notes
    verdicts: dict[str, int]  # verdict -> count
    updated_at: str | None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _occurrence(text: str, needle: str, start: int) -> int:
    if not needle:
        return 0
    count, pos = 0, text.find(needle)
    while pos != -1 and pos < start:
        count += 1
        pos = text.find(needle, pos + 1)
    return count
