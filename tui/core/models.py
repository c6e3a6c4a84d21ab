"""The data that flows through the pipeline, shared by `sourcecheck check` and the reader.

Every record is a frozen dataclass so a stage can hand its output to another (or to a Textual
worker) without anyone mutating it behind its back. Offsets always point into one well-defined
text: `Article.text` for the article side, `Source.text` (or `Source.page_text`) for a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TargetKind = Literal["web", "fragment", "mailto", "javascript", "local", "invalid"]
MatchClass = Literal["verbatim", "altered", "not_found"]
FetchStatus = Literal["ok", "error", "skipped"]
LinkRole = Literal["citation", "boilerplate"]
SourceFormat = Literal["html", "pdf", "text"]
# What a skipped piece of a source is (core/skipped.py says which, and the words for it)
SkippedKind = Literal["reference_marker", "editorial_tag", "page_furniture"]
CueKind = Literal[
    "attribution_verb", "evaluative_wording", "scare_quote", "speaker", "hedge_dropped", "context"
]


@dataclass(frozen=True)
class FramingCue:
    """Words around a claim or a quote that frame it, for a person to judge (core/framing).

    Which fields are set depends on `cue` (the JSON item shapes are in docs/report-format.md):
    attribution_verb: text, article_start/end, tone; evaluative_wording: text, article_start/end;
    scare_quote: text, in_source (article_start/end: the quoted words); speaker: article_speaker,
    source_speaker, mismatch; hedge_dropped: text (the source's hedge, at source_start/end);
    context: text, relation (source_start/end: the words that turn).
    """

    cue: CueKind
    text: str | None = None
    article_start: int | None = None  # offsets into Article.text
    article_end: int | None = None
    tone: Literal["neutral", "loaded"] | None = None
    in_source: bool | None = None
    article_speaker: str | None = None
    source_speaker: str | None = None
    mismatch: bool = False
    relation: Literal["contrast", "condition"] | None = None
    source_start: int | None = None  # offsets into the text the match points into (see QuoteMatch)
    source_end: int | None = None


# Why a source could not be read, where it matters what kind of failure it was: the page is gone (404, 410,
# a page saying so), the host does not exist (DNS), nothing listens there (connection refused). These are
# failures for good, for which an archived copy is worth asking (Memento, RFC 7089).
FailureKind = Literal["gone", "no_such_host", "refused"]


@dataclass(frozen=True)
class Span:
    """A half-open range `[start, end)` of character offsets."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Anchor:
    """An `<a href>` (or Markdown link, or bare URL) as found while loading the article.

    `start`/`end` are the anchor text's offsets in `Article.text`. `region` is the loader's hint
    about where the link sat in the page's structure ("body", "byline", "nav", "share", "footer").
    """

    start: int
    end: int
    href: str
    region: str = "body"


@dataclass(frozen=True)
class Paragraph:
    """A block of the article's text; `block_quote` marks a `<blockquote>` / `>` paragraph, `code` a
    code block (`<pre>`, a fenced block), whose quote marks are code, not quotations.

    `block` numbers the block quote (the element) a paragraph belongs to, so two adjacent embedded
    posts stay two quotations; `credit` marks a credit line ("— A. Name (@handle) 3 March 2021", a
    block quote's `<footer>`), which names the quotation's source and is not quoted text; `ordinal` is
    an ordered-list item's number (a reference list's "3." that the text itself does not print).
    """

    start: int
    end: int
    block_quote: bool = False
    code: bool = False
    block: int | None = None
    credit: bool = False
    ordinal: int | None = None


@dataclass(frozen=True)
class QuoteBlock:
    """What the markup says about one block quote: an embedded post's platform ("x", "mastodon",
    "bluesky", "instagram", "facebook", "threads", "tiktok") and its own address (the permalink), or a
    plain block quote's `cite` address."""

    id: int
    embed: str | None = None
    permalink: str | None = None
    cite: str | None = None


@dataclass(frozen=True)
class MarkedQuote:
    """A quotation marked up instead of printed between marks: HTML `<q>` (the browser draws the marks).
    `start`/`end` are the quoted text's offsets in `Article.text`; `cite` is the element's cite address."""

    start: int
    end: int
    cite: str | None = None


@dataclass(frozen=True)
class NoteRef:
    """A note marker in the text ("[1]" from a Markdown `[^1]`, a numbered reference, a superscript) and
    the note it points to: `note_start`/`note_end` span the note's text in `Article.text`."""

    start: int
    end: int
    label: str
    note_start: int
    note_end: int


@dataclass(frozen=True)
class LinkRecovery:
    """Link targets restored from the article's published version (`--links-from`).

    `recovered` holds (anchor start, anchor end, URL) for each restored or added anchor, offsets into
    `Article.text`; `error` says why the published version could not be used, when it could not.
    """

    location: str  # the published version, as the user gave it
    recovered: tuple[tuple[int, int, str], ...] = ()
    error: str | None = None

    def url_at(self, start: int, end: int) -> str | None:
        """The URL restored for the anchor at [start, end), if this one was restored."""
        for s, e, url in self.recovered:
            if s == start and e == end:
                return url
        return None


@dataclass(frozen=True)
class Article:
    """An article reduced to one plain text with stable offsets.

    Paragraphs are separated by a blank line ("\\n\\n") in `text`.
    """

    location: str  # the path or URL as the user gave it
    title: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    anchors: tuple[Anchor, ...]
    base_url: str | None = None  # what relative links resolve against
    language: str | None = None  # ISO 639-1 ("de", "de-ch" where the region matters); None = not declared
    marked_quotes: tuple[MarkedQuote, ...] = ()
    blocks: tuple[QuoteBlock, ...] = ()
    notes: tuple[NoteRef, ...] = ()
    published: str | None = None  # ISO 8601 date or date-time from the page's own metadata, when it has one
    link_recovery: LinkRecovery | None = None  # set when links were restored from a published version


@dataclass(frozen=True)
class Link:
    """An inline link seen as a claim: the sentence that holds it, and where it points."""

    index: int  # reading order, from 0
    url: str | None  # resolved absolute target; None when there is none
    target_kind: TargetKind
    anchor_text: str
    anchor_start: int
    anchor_end: int
    claim: str
    claim_start: int
    claim_end: int
    paragraph: int
    role: LinkRole = "citation"


@dataclass(frozen=True)
class Quote:
    """A passage the article prints between quote marks (or as a block quote).

    `start`/`end` are offsets in `Article.text` of the passage *without* its quote marks.
    """

    text: str
    start: int
    end: int
    paragraph: int
    link_index: int | None = None  # the link it is attributed to; None = unattributed
    block: bool = False
    # Why `link_index` (docs/report-format.md lists the words): "same_sentence", "footnote", "embed", ...;
    # "said_to_writer" with no link; None when nothing in the article says where it comes from.
    attribution: str | None = None
    quotation: int = 0  # pieces of one quotation ("…," she said, "…") share this number
    speaker: Span | None = None  # who the prose says is speaking ("Ada Lindqvist", "she", "市の担当者")
    cue: Span | None = None  # the attribution verb or phrase ("said", "told", "according to", "と述べた")
    framing: tuple[FramingCue, ...] = ()  # cues the article alone shows (core/framing); set by the pipeline


@dataclass(frozen=True)
class Memento:
    """An archived copy read in place of a source that failed for good (RFC 7089 Memento)."""

    url: str  # the memento's address (for the Wayback Machine, its original-bytes `id_` form)
    datetime: str  # ISO 8601 UTC: when the archive captured it (Memento-Datetime)
    original_error: str  # why the live page could not be used
    original_failure: FailureKind | None = None  # what kind of failure for good it was


@dataclass(frozen=True)
class FetchResult:
    """What came back for one URL: a body, or a sentence saying why not."""

    url: str
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fetched_at: str | None = None  # ISO 8601, UTC
    from_archive: bool = False
    error: str | None = None  # a sentence a person can act on
    archive_file: str | None = None  # the WARC file an archived copy was read from
    archive_note: str | None = None  # a sentence when the archived copy's own claims are not believed
    failure: FailureKind | None = None  # set when the failure is one for good (see FailureKind)
    memento: Memento | None = None  # set when the body is an archived copy of a source that failed

    @property
    def ok(self) -> bool:
        return self.error is None and self.body is not None


@dataclass(frozen=True)
class Source:
    """A fetched source turned into text.

    `text` is the readable main text (what offsets in a match normally point into);
    `page_text` is all visible text of the page, searched when readability dropped a passage.
    """

    url: str
    final_url: str | None
    title: str | None
    text: str
    page_text: str
    content_type: str | None = None
    # Pieces of `text` / `page_text` shown but not the author's words (reference markers, editorial tags,
    # PDF running heads, footers and page numbers): the matcher ignores them. Half-open offsets.
    text_skipped: tuple[tuple[int, int], ...] = ()
    page_skipped: tuple[tuple[int, int], ...] = ()
    # Offsets of hyphens that end a line in the original (a PDF): a split word or a real compound, so the
    # matcher accepts both readings ("cost-effective", "financial" from "finan-" + "cial").
    text_soft_hyphens: tuple[int, ...] = ()
    page_soft_hyphens: tuple[int, ...] = ()
    format: SourceFormat = "html"  # what the body was read as (a PDF's skipped pieces are page furniture)


@dataclass(frozen=True)
class Evidence:
    """A source passage that bears on a claim, with its lexical score."""

    text: str
    source_start: int
    source_end: int
    score: float


@dataclass(frozen=True)
class SkippedPiece:
    """One piece of a matched passage that is not the author's words (core/skipped.py makes them)."""

    start: int  # offsets into the same text as the match's source_start
    end: int
    text: str  # as the source prints it (untrusted)
    kind: SkippedKind


@dataclass(frozen=True)
class QuoteMatch:
    """Where (and how faithfully) a quote was found in a source."""

    match: MatchClass
    similarity: float
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    prefix: str | None = None
    suffix: str | None = None
    found_in_link: int | None = None
    in_main_text: bool | None = None
    other_matches: int = 0
    flags: tuple[str, ...] = ()
    diff: tuple[tuple[int, str], ...] = ()
    searched: bool = True  # False: no source text was available to look in (skipped or failed link)
    # Pieces inside source_start..source_end that are not the author's words and were not matched
    # (reference markers, editorial tags, page furniture): offsets into the same text as source_start.
    skipped: tuple[tuple[int, int], ...] = ()
    # The same pieces one by one (`[4][5]` is two), each with what it is: what every face shows.
    skipped_pieces: tuple[SkippedPiece, ...] = ()
    framing: tuple[FramingCue, ...] = ()  # all framing cues of the quote, set by the pipeline (core/framing)


NOT_FOUND = QuoteMatch(match="not_found", similarity=0.0)
NOT_SEARCHED = QuoteMatch(match="not_found", similarity=0.0, searched=False)


@dataclass(frozen=True)
class SuppliedTarget:
    """A source the user supplied by hand: `url` is what is read (http(s), or `file://` + absolute path)."""

    given: str  # as the user wrote it (shown back to them)
    url: str
    kind: Literal["url", "file"]


@dataclass(frozen=True)
class LinkOutcome:
    """Everything the pipeline learned about one link; the report and the reader both read this."""

    link: Link
    fetch_status: FetchStatus = "skipped"
    fetch: FetchResult | None = None
    source: Source | None = None
    error: str | None = None
    quotes: tuple[tuple[Quote, QuoteMatch], ...] = ()
    evidence: tuple[Evidence, ...] = field(default=())
    framing: tuple[FramingCue, ...] = ()  # framing cues of the claim sentence (core/framing)
    supplied: SuppliedTarget | None = None  # the source the user gave this link, read instead of its URL
    recovered: bool = False  # the link's target was restored from the published version (--links-from)
    user_quotes: frozenset[int] = frozenset()  # starts of the quotes the user put under this link


@dataclass(frozen=True)
class QuoteOutcome:
    """A quote with no link: how it fared in the article's sources, and the source the user gave it, if any.

    `match.found_in_link` names the link whose source holds it; with a source of its own (`supplied`), a
    match there leaves `found_in_link` None.
    """

    quote: Quote
    match: QuoteMatch = NOT_SEARCHED
    supplied: SuppliedTarget | None = None
    fetch_status: FetchStatus = "skipped"
    fetch: FetchResult | None = None
    source: Source | None = None
    error: str | None = None
