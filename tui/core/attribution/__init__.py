"""Which link a quotation comes from, and why: the `attribution` of each quote.

The rules, tried in this order, read the article as a careful fact-checker does (first that gives a
usable link wins; the word in quotes is the `attribution` reported):
1. a block quote that is an embedded post goes to the post's own link ("embed"); one closed by a
   credit line or a `<footer>`/`<cite>` with a link goes to that link ("credit"); one whose `cite`
   address is linked in the article goes there ("cite");
2. a note marker after the quotation (a Markdown footnote, a numbered reference, a superscript)
   goes to the first link of its note ("footnote"); a `<q cite>` address linked in the article ("cite");
3. a link in the quotation's own sentence ("same_sentence"), nearest before it, else first after;
4. a source the prose names ("the Ledger reported", "according to the Ledger") that is linked
   elsewhere in the article ("named_source");
5. words said to the writer ("she told this newspaper", "in an interview") stay unattributed
   ("said_to_writer") unless a link sits on those very words;
6. a link in the next sentence that presents the source ("She said so in [a video]") ("next_sentence");
7. the nearest link earlier in the paragraph ("earlier_sentence"), or the last link of the paragraph
   right before ("previous_paragraph"), unless the quotation names a speaker that prose never mentions
   (a quotation with no attribution phrase of its own is the last speaker of its paragraph's).
Never a source: a boilerplate link (links.py), a link inside any quotation, a profile or social page
linked on a name (linkkinds.py), a mailto:/javascript: or malformed link.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Link, NoteRef, Quote, Span
from ..sentences import ParagraphSentences
from . import blocks, cues, linkkinds, phrases
from .blocks import is_credit_line
from .notes import footnote_link, note_refs
from .speakers import Speakers

__all__ = ["REASONS", "Piece", "attribute", "is_credit_line"]

REASONS = (
    "embed", "credit", "cite", "footnote", "same_sentence", "named_source", "next_sentence",
    "earlier_sentence", "previous_paragraph", "said_to_writer",
)  # fmt: skip
_SOURCE_NOUN = re.compile(
    r"\b(?:statement|interview|speech|post|posts|posted|tweet|tweets|letter|report|remarks|video|"
    r"transcript|press conference|briefing|hearing|podcast|blog|website|newsletter|op-ed|column|memo|"
    r"e-?mail|filing|testimony|broadcast|programme|program|declaration|Erklärung|Interview|Rede|"
    r"Mitteilung|déclaration|entretien|discours|communiqué|comunicado|entrevista|discurso|intervista|"
    r"lausunto|haastattelu|tiedote|uttalande|intervju|заявлени\w*|интервью)\b|発表|会見|声明",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    """One quoted piece: `start`/`end` the text without marks; `open_at`/`close_at` the opening mark
    and just past the closing one (the piece itself for a block quote or a `<q>`)."""

    start: int
    end: int
    paragraph: int
    block: bool
    quotation: int
    open_at: int
    close_at: int
    cite: str | None = None


def attribute(
    article: Article, links: Sequence[Link], pieces: Sequence[Piece], sentences: ParagraphSentences
) -> tuple[Quote, ...]:
    """Quotes for the pieces, each with its link, `attribution`, speaker and cue (see the rules above);
    `sentences` are the article's (sentences.py)."""
    if not pieces:
        return ()  # no quotation: no index of the links to build
    ctx = _Context(article, links, pieces, sentences)
    groups: list[Sequence[Piece]] = []
    k = 0
    while k < len(pieces):
        j = k
        while j + 1 < len(pieces) and pieces[j + 1].quotation == pieces[k].quotation:
            j += 1
        groups.append(pieces[k : j + 1])
        k = j + 1
    phrases_of = _goes_on([ctx.phrase(group) for group in groups], groups)  # who speaks where, then
    named = [
        sp for sp, _cue in phrases_of if sp is not None and phrases.is_named(article.text[sp.start : sp.end])
    ]
    ctx.speakers = Speakers(article.text, named)
    out: list[Quote] = []
    text = article.text
    for group, (speaker, cue) in zip(groups, phrases_of, strict=True):
        link, reason = ctx.attribute(group, speaker)
        out.extend(
            Quote(
                text[p.start : p.end],
                p.start,
                p.end,
                p.paragraph,
                link,
                p.block,
                reason,
                p.quotation,
                speaker,
                cue,
            )
            for p in group
        )
    return tuple(out)


def _goes_on(
    phrases_of: list[tuple[Span | None, Span | None]], groups: Sequence[Sequence[Piece]]
) -> list[tuple[Span | None, Span | None]]:
    """A quotation with no attribution phrase of its own (no speaker, no verb) is the words of the last
    speaker its paragraph named ("…,” said Emil Brandt. He vowed to fight it “by every means”)."""
    out = list(phrases_of)
    for k, group in enumerate(groups):
        if out[k] != (None, None) or group[0].block:
            continue
        for j in range(k - 1, -1, -1):
            if groups[j][-1].paragraph != group[0].paragraph:
                break
            if out[j][0] is not None:
                out[k] = (out[j][0], None)
                break
    return out


class _Context:
    def __init__(
        self, article: Article, links: Sequence[Link], pieces: Sequence[Piece], sentences: ParagraphSentences
    ):
        self.article = article
        self.text = article.text
        self.paragraph_sentences = sentences
        self.links = sorted(links, key=lambda lk: lk.anchor_start)
        self.starts = [lk.anchor_start for lk in self.links]
        self.by_url: dict[str, list[Link]] = {}
        self.by_post: dict[str, list[Link]] = {}  # same page, query and trailing slash aside
        for lk in self.links:
            if lk.url:
                self.by_url.setdefault(lk.url, []).append(lk)
                self.by_post.setdefault(linkkinds.post_key(lk.url), []).append(lk)
        self._by_name: dict[str, list[Link]] | None = None
        self.quoted = [(p.start, p.end) for p in pieces]
        self.quoted_starts = [p.start for p in pieces]
        self.notes: list[NoteRef] = list(note_refs(article))
        self.note_starts = [n.start for n in self.notes]
        self.blocks = {b.id: b for b in article.blocks}
        self.speakers = Speakers(self.text, [])
        self.block_paragraphs: dict[int, list[int]] = {}
        # per sentence and per link, not per quotation: one sentence may hold thousands of each
        self._usable: dict[tuple[int, bool], bool] = {}
        self._told: dict[tuple[int, int], Span | None] = {}
        self._named: dict[tuple[int, int], list[tuple[list[str], Span]]] = {}
        self._same: dict[tuple[tuple[Span, ...], Span | None], tuple[list[Link], list[int], Link | None]] = {}
        for pi, para in enumerate(article.paragraphs):
            if para.block is not None:
                self.block_paragraphs.setdefault(para.block, []).append(pi)

    # -- helpers ----------------------------------------------------------------------------------
    def sentences(self, pi: int) -> list[Span]:
        return self.paragraph_sentences.of(pi)

    def sentence_at(self, pi: int, offset: int) -> Span:
        return self.paragraph_sentences.at(pi, offset)

    def links_in(self, start: int, end: int) -> list[Link]:
        return self.links[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def quoted_near(self, lo: int, hi: int, open_at: int, close_at: int) -> list[tuple[int, int]]:
        """The quoted pieces within [lo, hi) that bound a passage whose marks are at `open_at` and
        `close_at`: the few that start before its opening mark and the few after its closing mark (the
        finder keeps only the nearest of each), found by bisection: a sentence of thousands of quotations
        is not listed for each of them."""
        before = bisect_left(self.quoted_starts, open_at)
        after = bisect_left(self.quoted_starts, close_at)
        near = self.quoted[max(0, before - 3) : before] + self.quoted[after : after + 3]
        return [q for q in near if q[1] > lo and q[0] < hi]

    def inside_quote(self, offset: int) -> bool:
        i = bisect_right(self.quoted_starts, offset) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

    def usable(self, link: Link, *, web_only: bool = False) -> bool:
        key = (link.index, web_only)
        if key not in self._usable:
            self._usable[key] = self._is_usable(link, web_only)
        return self._usable[key]

    def _is_usable(self, link: Link, web_only: bool) -> bool:
        if link.role != "citation" or self.inside_quote(link.anchor_start):
            return False
        kinds = ("web", "fragment") if web_only else ("web", "fragment", "local")
        return link.target_kind in kinds and not linkkinds.is_profile(link.url, link.anchor_text)

    def told_in(self, sentence: Span) -> Span | None:
        """`phrases.said_to_writer` of one sentence (or block introduction), read once."""
        key = (sentence.start, sentence.end)
        if key not in self._told:
            self._told[key] = phrases.said_to_writer(
                self.text, sentence.start, sentence.end, self.inside_quote
            )
        return self._told[key]

    def note_link(self, ref: NoteRef) -> Link | None:
        return next((lk for lk in self.links_in(ref.note_start, ref.note_end) if lk.role == "citation"
                     and lk.target_kind in ("web", "fragment", "local")), None)  # fmt: skip

    # -- the rules --------------------------------------------------------------------------------
    def group_sentences(self, group: Sequence[Piece]) -> list[Span]:
        sentences: list[Span] = []
        for p in group:
            sent = self.sentence_at(p.paragraph, p.start)
            if sent not in sentences:
                sentences.append(sent)
        return sentences

    def phrase(self, group: Sequence[Piece]) -> tuple[Span | None, Span | None]:
        """(speaker, cue) of a quotation: its attribution phrase, or a block quote's introduction."""
        if group[0].block:
            return blocks.intro_speaker(self, blocks.intro(self, group[0]))
        pieces = [(p.start, p.end, p.open_at, p.close_at) for p in group]
        sentences = [self.sentence_at(p.paragraph, p.start) for p in group]
        return phrases.speaker_and_cue(self.text, pieces, sentences, self.quoted_near)

    def attribute(self, group: Sequence[Piece], speaker: Span | None) -> tuple[int | None, str | None]:
        """(link index, attribution word) by the rules in this module's docstring, first that answers."""
        first, last = group[0], group[-1]
        sentences = self.group_sentences(group)
        if first.block:
            intro = blocks.intro(self, first)
            prose = [intro] if intro else []
            decided = blocks.block_source(self, group)
            if decided:
                link, reason = decided
                return (link.index, reason) if link else (None, None)
        else:
            prose = sentences
        ref_link = footnote_link(self, group, sentences)
        if ref_link:
            return ref_link.index, "footnote"
        cited = next((p.cite for p in group if p.cite), None)
        same = [lk for lk in self.by_url.get(cited or "", ()) if lk.role == "citation"]
        if same:
            return min(same, key=lambda lk: abs(lk.anchor_start - first.start)).index, "cite"
        told = next(filter(None, (self.told_in(s) for s in prose)), None)
        link = None if first.block else self._same_sentence(group, sentences, told)
        if link:
            return link.index, "same_sentence"
        link = self._named_source(group, prose)
        if link:
            return link.index, "named_source"
        if told:
            return None, "said_to_writer"
        para = self.article.paragraphs[first.paragraph]
        words = self.speakers.words(speaker, first.open_at, para.start if first.block else self._floor(first))
        if not first.block:
            link = self._next_sentence(last, sentences[-1])
            if link:
                return link.index, "next_sentence"
            before = [
                lk for lk in self.links_in(para.start, sentences[0].start) if self.usable(lk, web_only=True)
            ]
            if before and (self.speakers.fits(words, before[-1].claim) or self._reports(before[-1])):
                return before[-1].index, "earlier_sentence"  # a report or a record covers who spoke after it
        if first.paragraph > 0:
            prev = self.article.paragraphs[first.paragraph - 1]
            before = [lk for lk in self.links_in(prev.start, prev.end) if self.usable(lk, web_only=True)]
            if before and self.speakers.fits(words, before[-1].claim):
                return before[-1].index, "previous_paragraph"
        return None, None

    def _reports(self, link: Link) -> bool:
        """The link is a news report named as such ("the Gazette reported", "según El Diario"), or the
        record of a meeting where many spoke ("the [minutes]", "at the [planning hearing]")."""
        lo = max(link.claim_start, link.anchor_start - 40)
        if cues.RECORD.search(self.text, lo, link.anchor_end):
            return True
        for _words, span in phrases.named_sources(
            self.text, link.claim_start, link.claim_end, cues.REPORTED_BY
        ):
            if span.start <= link.anchor_end + 20 and link.anchor_start <= span.end + 20:
                return True
        return False

    def _floor(self, first: Piece) -> int:
        """Where the prose that may name a pronoun's person begins: the paragraph before."""
        pi = max(0, first.paragraph - 1)
        return self.article.paragraphs[pi].start

    def _same_sentence(self, group: Sequence[Piece], sentences: list[Span], told: Span | None) -> Link | None:
        cands, starts, named = self._sentence_links(sentences, told)
        if not cands:
            return None
        if named is not None:
            return named
        first = group[0]
        i = bisect_right(starts, first.open_at)  # the last candidate that ends before the quotation opens
        while i > 0 and cands[i - 1].anchor_end > first.open_at:
            i -= 1
        before = cands[i - 1] if i > 0 and cands[i - 1].anchor_start >= sentences[0].start else None
        return before or cands[0]

    def _sentence_links(
        self, sentences: list[Span], told: Span | None
    ) -> tuple[list[Link], list[int], Link | None]:
        """The usable links of the quotation's sentences (in reading order, with their anchor starts) and the
        first one a source named in them points to; computed once per sentence, not per quotation."""
        key = (tuple(sentences), told)
        if key not in self._same:
            cands = [lk for s in sentences for lk in self.links_in(s.start, s.end) if self.usable(lk)]
            if told is not None:  # said to the writer: only a link on those very words is their source
                cands = [lk for lk in cands if self._on_words(lk, told)]
            named = None
            for words, _span in self._names(sentences) if cands else ():
                named = next((lk for lk in cands if self._link_named(lk, words)), None)
                if named is not None:
                    break
            self._same[key] = (cands, [lk.anchor_start for lk in cands], named)
        return self._same[key]

    def _on_words(self, link: Link, words: Span) -> bool:
        """The link sits on these words, or right after them ("told reporters at a [briefing]")."""
        if link.anchor_start < words.end and words.start < link.anchor_end:
            return True
        gap = self.text[words.end : link.anchor_start]
        return 0 <= len(gap) <= 12 and not any(c in gap for c in ",;.:!?")

    def _names(self, prose: Sequence[Span]) -> list[tuple[list[str], Span]]:
        out = []
        for s in prose:
            key = (s.start, s.end)
            if key not in self._named:
                found = phrases.named_sources(self.text, s.start, s.end)
                self._named[key] = [n for n in found if not self.inside_quote(n[1].start)]
            out.extend(self._named[key])
        return out

    def _link_named(self, link: Link, words: list[str]) -> bool:
        """The link's anchor, its address's host or the words just before it name this source."""
        lo = max(link.claim_start, link.anchor_start - 40)
        around = phrases.name_words(self.text[lo : link.anchor_end])
        host = re.split(r"[.\-]", linkkinds.host_of(link.url))
        names = around + [h for h in host if len(h) > 3]
        return any(phrases.words_match(w, n) for w in words for n in names)

    def _named_source(self, group: Sequence[Piece], prose: Sequence[Span]) -> Link | None:
        names = self._names(prose)
        if not names:
            return None
        at = group[0].start
        index = self._name_index()
        for words, _span in names:
            keys = {w[:4] for w in words if len(w) >= 4} | {w for w in words if len(w) < 4}
            seen = {id(lk): lk for key in keys for lk in index.get(key, ())}
            cands = sorted(
                (lk for lk in seen.values() if self._link_named(lk, words)), key=lambda lk: lk.anchor_start
            )
            if cands:
                before = [lk for lk in cands if lk.anchor_start < at]
                return before[-1] if before else cands[0]
        return None

    def _name_index(self) -> dict[str, list[Link]]:
        """Usable web links by the first four letters of each word that may name them (built once):
        a named source is looked up, not searched for through every link of the article."""
        if self._by_name is None:
            self._by_name = {}
            for lk in self.links:
                if not self.usable(lk, web_only=True):
                    continue
                lo = max(lk.claim_start, lk.anchor_start - 40)
                names = phrases.name_words(self.text[lo : lk.anchor_end])
                names += [h for h in re.split(r"[.\-]", linkkinds.host_of(lk.url)) if len(h) > 3]
                for key in {n[:4] for n in names}:
                    self._by_name.setdefault(key, []).append(lk)
        return self._by_name

    def _next_sentence(self, last: Piece, sent: Span) -> Link | None:
        spans = self.sentences(last.paragraph)
        i = next((k for k, s in enumerate(spans) if s.start >= sent.end), None)
        if i is None:
            return None
        nxt = spans[i]
        k = bisect_left(self.quoted_starts, nxt.start)
        if self.inside_quote(nxt.start) or (k < len(self.quoted_starts) and self.quoted_starts[k] < nxt.end):
            return None  # a sentence with a quotation of its own presents that one
        for lk in self.links_in(nxt.start, nxt.end):
            if not self.usable(lk, web_only=True):
                continue
            window = self.text[max(nxt.start, lk.anchor_start - 40) : min(nxt.end, lk.anchor_end + 20)]
            if _SOURCE_NOUN.search(window):
                return lk
        return None
