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
   right before ("previous_paragraph"), unless the quotation names a speaker that prose never mentions.
Never a source: a boilerplate link (links.py), a link inside any quotation, a profile or social page
linked on a name (linkkinds.py), a mailto:/javascript: or malformed link.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Link, NoteRef, Quote, Span
from ..sentences import sentence_spans
from . import linkkinds, phrases
from .notes import note_refs

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
_CREDIT_LINE = re.compile(r"\s*(?:[—–―~]|--?\s)")


def is_credit_line(text: str, start: int, end: int) -> bool:
    """A line that credits a quotation ("— A. Name (@handle) 3 March 2021", "— as the report put it")."""
    return bool(_CREDIT_LINE.match(text, start, end))


_HANDLE = re.compile(r"@\w")


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
    article: Article, links: Sequence[Link], pieces: Sequence[Piece], language: str | None = None
) -> tuple[Quote, ...]:
    """Quotes for the pieces, each with its link, `attribution`, speaker and cue."""
    ctx = _Context(article, links, pieces, language)
    out: list[Quote] = []
    k = 0
    while k < len(pieces):
        j = k
        while j + 1 < len(pieces) and pieces[j + 1].quotation == pieces[k].quotation:
            j += 1
        group = pieces[k : j + 1]
        link, reason, speaker, cue = ctx.attribute(group)
        text = article.text
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
        k = j + 1
    return tuple(out)


class _Context:
    def __init__(
        self, article: Article, links: Sequence[Link], pieces: Sequence[Piece], language: str | None
    ):
        self.article = article
        self.text = article.text
        self.language = language
        self.links = sorted(links, key=lambda lk: lk.anchor_start)
        self.starts = [lk.anchor_start for lk in self.links]
        self.quoted = [(p.start, p.end) for p in pieces]
        self.quoted_starts = [p.start for p in pieces]
        self._sentences: dict[int, list[Span]] = {}
        self.notes: list[NoteRef] = list(note_refs(article))
        self.note_starts = [n.start for n in self.notes]
        self.blocks = {b.id: b for b in article.blocks}
        self.block_paragraphs: dict[int, list[int]] = {}
        for pi, para in enumerate(article.paragraphs):
            if para.block is not None:
                self.block_paragraphs.setdefault(para.block, []).append(pi)

    # -- helpers ----------------------------------------------------------------------------------
    def sentences(self, pi: int) -> list[Span]:
        if pi not in self._sentences:
            para = self.article.paragraphs[pi]
            self._sentences[pi] = sentence_spans(self.text, para.start, para.end, self.language)
        return self._sentences[pi]

    def sentence_at(self, pi: int, offset: int) -> Span:
        spans = self.sentences(pi)
        i = bisect_right([s.start for s in spans], offset) - 1
        if 0 <= i < len(spans) and offset < max(spans[i].end, offset + 1):
            return spans[i]
        para = self.article.paragraphs[pi]
        return Span(para.start, para.end)

    def links_in(self, start: int, end: int) -> list[Link]:
        return self.links[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def inside_quote(self, offset: int) -> bool:
        i = bisect_right(self.quoted_starts, offset) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

    def usable(self, link: Link, *, web_only: bool = False) -> bool:
        if link.role != "citation" or self.inside_quote(link.anchor_start):
            return False
        kinds = ("web", "fragment") if web_only else ("web", "fragment", "local")
        return link.target_kind in kinds and not linkkinds.is_profile(link.url, link.anchor_text)

    def note_link(self, ref: NoteRef) -> Link | None:
        return next((lk for lk in self.links_in(ref.note_start, ref.note_end) if lk.role == "citation"
                     and lk.target_kind in ("web", "fragment", "local")), None)  # fmt: skip

    # -- the rules --------------------------------------------------------------------------------
    def attribute(self, group: Sequence[Piece]) -> tuple[int | None, str | None, Span | None, Span | None]:
        first, last = group[0], group[-1]
        sentences = []
        for p in group:
            sent = self.sentence_at(p.paragraph, p.start)
            if sent not in sentences:
                sentences.append(sent)
        between = [(a.close_at, b.open_at) for a, b in itertools.pairwise(group)
                   if a.paragraph == b.paragraph]  # fmt: skip
        marks = [(p.open_at, p.close_at) for p in group]
        speaker, cue = (
            (None, None) if first.block else phrases.speaker_and_cue(self.text, marks, sentences[-1], between)
        )
        if first.block:
            intro = self._intro(first)
            prose = [intro] if intro else []
            speaker, cue = self._block_speaker(intro)
        else:
            prose = sentences

        def done(
            link: Link | None, reason: str | None
        ) -> tuple[int | None, str | None, Span | None, Span | None]:
            return (link.index if link else None), reason, speaker, cue

        if first.block:
            found = self._block_rules(group)
            if found:
                return done(*found)
        ref_link = self._footnote(group, sentences)
        if ref_link:
            return done(ref_link, "footnote")
        cited = next((p.cite for p in group if p.cite), None)
        if cited:
            same = [lk for lk in self.links if lk.url == cited and lk.role == "citation"]
            if same:
                return done(min(same, key=lambda lk: abs(lk.anchor_start - first.start)), "cite")
        told = next(
            (
                t
                for t in (phrases.said_to_writer(self.text, s.start, s.end, self.inside_quote) for s in prose)
                if t
            ),
            None,
        )
        if not first.block:
            link = self._same_sentence(group, sentences, told)
            if link:
                return done(link, "same_sentence")
        link = self._named_source(group, prose)
        if link:
            return done(link, "named_source")
        if told:
            return done(None, "said_to_writer")
        if not first.block:
            link = self._next_sentence(last, sentences[-1])
            if link:
                return done(link, "next_sentence")
            para = self.article.paragraphs[first.paragraph]
            lo = sentences[0].start
            before = [lk for lk in self.links_in(para.start, lo) if self.usable(lk, web_only=True)]
            if before and self._speaker_fits(speaker, before[-1], first.open_at):
                return done(before[-1], "earlier_sentence")
        if first.paragraph > 0:
            prev = self.article.paragraphs[first.paragraph - 1]
            before = [lk for lk in self.links_in(prev.start, prev.end) if self.usable(lk, web_only=True)]
            if before and self._speaker_fits(speaker, before[-1], first.open_at):
                return done(before[-1], "previous_paragraph")
        return done(None, None)

    def _intro(self, first: Piece) -> Span | None:
        """The sentence that introduces a block quote: the last of the paragraph before it."""
        pi = first.paragraph - 1
        if pi < 0 or self.article.paragraphs[pi].block_quote or self.article.paragraphs[pi].credit:
            return None
        spans = self.sentences(pi)
        return spans[-1] if spans else None

    def _block_speaker(self, intro: Span | None) -> tuple[Span | None, Span | None]:
        if intro is None:
            return None, None
        end = intro.end
        return phrases.speaker_and_cue(self.text, [(end, end)], intro)

    def _block_rules(self, group: Sequence[Piece]) -> tuple[Link, str] | None:
        paras = self.article.paragraphs
        first = group[0]
        block_id = paras[first.paragraph].block
        block = self.blocks.get(block_id) if block_id is not None else None
        members = (
            self.block_paragraphs.get(block_id, [p.paragraph for p in group])
            if block_id is not None
            else [p.paragraph for p in group]
        )
        credit_paras = [pi for pi in members if paras[pi].credit]
        last = members[-1]
        if (
            last != members[0]
            and last not in credit_paras
            and is_credit_line(self.text, paras[last].start, paras[last].end)
        ):
            credit_paras.append(last)  # "> — Name (@handle) date" closing a Markdown block quote
        after = members[-1] + 1
        if (
            after < len(paras)
            and after not in credit_paras
            and (paras[after].credit or is_credit_line(self.text, paras[after].start, paras[after].end))
        ):
            credit_paras.append(after)
        region = [lk for pi in members + credit_paras for lk in self.links_in(paras[pi].start, paras[pi].end)]
        if block is not None and (block.embed or block.permalink):
            own = [lk for lk in region if linkkinds.same_post(lk.url, block.permalink)]
            own = own or [
                lk for lk in region if linkkinds.is_post(lk.url) and not self.inside_quote(lk.anchor_start)
            ]
            own = own or [lk for lk in self.links if linkkinds.same_post(lk.url, block.permalink)]
            if own:
                return own[-1], "embed"
        credits = [
            lk for pi in credit_paras for lk in self.links_in(paras[pi].start, paras[pi].end)
            if lk.role == "citation" and lk.target_kind in ("web", "fragment", "local")
        ]  # fmt: skip
        if credits:
            posts = [lk for lk in credits if linkkinds.is_post(lk.url)]
            is_embed = any(_HANDLE.search(self.text, paras[pi].start, paras[pi].end) for pi in credit_paras)
            pick = (
                (posts or credits)[-1]
                if is_embed
                else next(
                    (lk for lk in credits if not linkkinds.is_profile(lk.url, lk.anchor_text)), credits[-1]
                )
            )
            return pick, "embed" if is_embed and (posts or block) else "credit"
        if block is not None and block.cite:
            same = [
                lk for lk in self.links if linkkinds.same_post(lk.url, block.cite) and lk.role == "citation"
            ]
            if same:
                return same[0], "cite"
        return None

    def _footnote(self, group: Sequence[Piece], sentences: list[Span]) -> Link | None:
        """The note marker right after the quotation (or at the very end of a block quote), else the
        nearest one before it in its sentence."""
        last = group[-1]
        if last.block:
            lo, hi = max(last.start, last.end - 12), last.end + 1
        else:
            sent = self.sentence_at(last.paragraph, last.start)
            nxt = bisect_right(self.quoted_starts, last.start)
            hi = min(sent.end, self.quoted[nxt][0] if nxt < len(self.quoted) else sent.end) + 1
            lo = last.close_at - 1
        i = bisect_left(self.note_starts, lo)
        if i < len(self.notes) and self.notes[i].start < hi:
            return self.note_link(self.notes[i])
        first = group[0]
        lo = sentences[0].start
        k = bisect_left(self.quoted_starts, first.start) - 1
        if k >= 0 and self.quoted[k][1] > lo:
            return None  # a marker after an earlier quotation of the sentence is that one's
        j = bisect_left(self.note_starts, first.open_at) - 1
        if j >= 0 and self.notes[j].start >= lo and not self.inside_quote(self.notes[j].start):
            return self.note_link(self.notes[j])
        return None

    def _same_sentence(self, group: Sequence[Piece], sentences: list[Span], told: Span | None) -> Link | None:
        cands = [lk for s in sentences for lk in self.links_in(s.start, s.end) if self.usable(lk)]
        if told is not None:  # said to the writer: only a link on those very words is their source
            cands = [lk for lk in cands if self._on_words(lk, told)]
        if not cands:
            return None
        for words, _span in self._names(sentences):
            named = [lk for lk in cands if self._link_named(lk, words)]
            if named:
                return named[0]
        first = group[0]
        before = [
            lk for lk in cands if lk.anchor_end <= first.open_at and lk.anchor_start >= sentences[0].start
        ]
        return before[-1] if before else cands[0]

    def _on_words(self, link: Link, words: Span) -> bool:
        """The link sits on these words, or right after them ("told reporters at a [briefing]")."""
        if link.anchor_start < words.end and words.start < link.anchor_end:
            return True
        gap = self.text[words.end : link.anchor_start]
        return 0 <= len(gap) <= 12 and not any(c in gap for c in ",;.:!?")

    def _names(self, prose: Sequence[Span]) -> list[tuple[list[str], Span]]:
        out = []
        for s in prose:
            out.extend(
                n
                for n in phrases.named_sources(self.text, s.start, s.end)
                if not self.inside_quote(n[1].start)
            )
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
        for words, _span in names:
            cands = [
                lk for lk in self.links if self.usable(lk, web_only=True) and self._link_named(lk, words)
            ]
            if cands:
                before = [lk for lk in cands if lk.anchor_start < at]
                return before[-1] if before else cands[0]
        return None

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

    def _speaker_fits(self, speaker: Span | None, link: Link, until: int) -> bool:
        """A quotation that names its speaker does not lean on a link whose prose never mentions them."""
        if speaker is None:
            return True
        name = self.text[speaker.start : speaker.end]
        if not phrases.is_named(name):
            return True
        words = phrases.name_words(name)
        if not words:
            return True
        prose = phrases.name_words(
            self.text[link.claim_start : max(link.claim_end, min(until, speaker.start))]
        )
        return any(phrases.words_match(words[-1], w) for w in prose if w)
