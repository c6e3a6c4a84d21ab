"""The framing cues of one article's claims and quotes, computed once by the pipeline.

`ArticleFraming` is built when the article's links and quotes are known. The pipeline asks it for:
- `quote_cues(quote)`: what the article alone shows (attribution verb, evaluative wording in the quote's
  sentence when that is not its link's claim, scare quote with `in_source` unknown), stored on `Quote`;
- `claim_cues(link)`: the claim sentence's attribution verb and evaluative wording, before any fetch;
- `match_cues(quote, match, source)`: the full list once the quote was looked for: `in_source`, speaker,
  hedges dropped, context, stored on `QuoteMatch`;
- `outcome_cues(link, source, evidence)`: the claim's full list once its source is read (hedges dropped
  and context against the source sentence the claim paraphrases, when it has no quotation of its own).
It only reads the article and the sources, so the pipeline may call it from worker threads.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from ..attribution.blocks import is_credit_line
from ..evidence import terms
from ..flags import is_number
from ..lexicon import CLAIM_SCOPES, Attribution, Verb, find_attribution, verb_at, verb_of, verbs_in
from ..lexicon.verbs import string_verbs
from ..lexicon.words import tokens
from ..models import Article, Evidence, FramingCue, Link, Quote, QuoteMatch, Source
from ..sentences import ParagraphSentences
from . import context, hedges, speakers, voices, wording

CLAIM_VERB_CHARS = 80  # a verb this far (or nearer) from a link's anchor introduces the claim
COMPANION_VERBS = 8  # verbs on either side of a claim's verb searched for its companion (_with_companion)
PARAPHRASE_OVERLAP = 0.5  # share of the claim's words a source sentence must hold to be its paraphrase
PARAPHRASE_MIN_WORDS = 3
_PREPOSITION = re.compile(r"\b(?:by|to|in|on|with|from|for)\b", re.IGNORECASE)
_LINKED_BEFORE = re.compile(  # "quoted by the [Courier]", "Laut der [Talzeitung]", "selon le [Monde]"
    r"\s*(?:(?:by|to|in|on|with|from|for|von|bei|à|de|par)\s+)?"
    r"(?:(?:the|a|an|its|his|her|their|der|die|das|dem|den|des|le|la|les|l['’])\s*)?",
    re.IGNORECASE,
)
_LINKED_AFTER = re.compile(r"\s*(?:(?:has|have|had|also|later|then|was|were)\s+)*", re.IGNORECASE)


class _SentenceVerbs(NamedTuple):
    """The reporting verbs of one claim sentence, sorted by `starts`; `longest` is the longest verb's
    length in characters (how far before an anchor a verb may start and still be near it)."""

    starts: list[int]
    verbs: list[Verb]
    longest: int


def verb_cue(verb: Verb) -> FramingCue | None:
    """The cue of a reporting verb; None for one the lexicon gives no tone (the quotative と alone)."""
    if verb.tone is None:
        return None
    return FramingCue("attribution_verb", verb.text, verb.start, verb.end, tone=verb.tone)  # type: ignore[arg-type]


class ArticleFraming:
    """Framing cues for one article (see the module docstring)."""

    def __init__(
        self,
        article: Article,
        links: Sequence[Link],
        quotes: Sequence[Quote],
        sentences: ParagraphSentences | None = None,
    ) -> None:
        self.text = article.text
        self.article = article
        self.sentences = sentences or ParagraphSentences(article)  # the article side's, when given
        self._links = {link.index: link for link in links}
        self._quoted = sorted({(q.start, q.end) for q in quotes})
        self._quoted_starts = [s for s, _ in self._quoted]
        self._by_paragraph: dict[int, list[Quote]] = {}
        for q in quotes:
            self._by_paragraph.setdefault(q.paragraph, []).append(q)
        self._attributions: dict[tuple[int, int], Attribution | None] = {}
        self._wording: dict[tuple[int, int], list[FramingCue]] = {}
        self._wording_starts: dict[tuple[int, int], list[int]] = {}
        self._verbs: dict[tuple[int, int], _SentenceVerbs] = {}  # by claim sentence span

    # -- the public face: never raises ---------------------------------------------------------------
    # Framing is a reading aid on top of the check: an unexpected fault in it (a rule meeting text it was
    # not written for) must not stop the check of the article, so it falls back to fewer cues.

    def quote_cues(self, quote: Quote) -> tuple[FramingCue, ...]:
        """Cues the article alone shows for one quotation."""
        try:
            return self._quote_cues(quote)
        except Exception:
            return ()

    def claim_cues(self, link: Link) -> tuple[FramingCue, ...]:
        """The claim sentence's attribution verb (the one that governs the link) and evaluative wording."""
        try:
            return self._claim_cues(link)
        except Exception:
            return ()

    def match_cues(self, quote: Quote, match: QuoteMatch, source: Source | None) -> tuple[FramingCue, ...]:
        """All cues of a quotation once it was looked for in `source` (the source that holds the match;
        None when no source holds it and its own link had none to read)."""
        try:
            return self._match_cues(quote, match, source)
        except Exception:
            return quote.framing

    def outcome_cues(
        self, link: Link, source: Source | None, evidence: Sequence[Evidence], quotes: Sequence[Quote]
    ) -> tuple[FramingCue, ...]:
        """All cues of a claim once its source is read."""
        try:
            return self._outcome_cues(link, source, evidence, quotes)
        except Exception:
            return self.claim_cues(link)

    # -- the article side ---------------------------------------------------------------------------

    def _sentence(self, paragraph: int, pos: int) -> tuple[int, int]:
        span = self.sentences.at(paragraph, pos)
        return span.start, span.end

    def _quoted_in(self, lo: int, hi: int) -> list[tuple[int, int]]:
        a = bisect_left(self._quoted_starts, lo - 1)
        b = bisect_right(self._quoted_starts, hi)
        return [q for q in self._quoted[max(0, a - 1) : b] if q[1] >= lo]

    def attribution(self, quote: Quote) -> Attribution | None:
        key = (quote.start, quote.end)
        if key not in self._attributions:
            self._attributions[key] = self._attribute(quote)
        return self._attributions[key]

    def _attribute(self, quote: Quote) -> Attribution | None:
        """The article side's reading of the quote (`Quote.cue` and `Quote.speaker`, from the lexicon's
        finder); when it found no verb: for a block quote, a verb in its credit line ("— as the report
        put it"), for a quotation, the attribution of an earlier quotation of its sentence
        (“…” and that “…”: one verb introduces both)."""
        if quote.cue is not None:
            return self._as_read(quote)
        if quote.block:
            paragraphs = self.article.paragraphs
            pi = quote.paragraph + 1
            while (
                pi < len(paragraphs)
                and paragraphs[pi].block_quote
                and not _credits(self.text, paragraphs[pi])
            ):
                pi += 1  # the credit line after the block's last paragraph
            if pi < len(paragraphs) and _credits(self.text, paragraphs[pi]):
                lo, hi = paragraphs[pi].start, paragraphs[pi].end
                return find_attribution(self.text, hi, hi, (lo, hi), ())
        else:
            lo, _hi = self._sentence(quote.paragraph, quote.start)
            paragraph = self._by_paragraph.get(quote.paragraph, ())
            earlier = [q for q in paragraph if lo <= q.start and q.end <= quote.start]
            if earlier:
                return self.attribution(earlier[-1])
        return self._as_read(quote) if quote.speaker is not None else None

    def _as_read(self, quote: Quote) -> Attribution:
        verb = None
        if quote.cue is not None:
            s, e = quote.cue.start, quote.cue.end
            verb = verb_at(self.text, s, e) or Verb(self.text[s:e], s, e, None, "", "quotation")
        sp = quote.speaker
        if sp is None:
            return Attribution(verb)
        return Attribution(verb, self.text[sp.start : sp.end], sp.start, sp.end)

    def _quote_cues(self, quote: Quote) -> tuple[FramingCue, ...]:
        att = self.attribution(quote)
        cues: list[FramingCue] = []
        cue = verb_cue(att.verb) if att is not None and att.verb is not None else None
        if cue is not None:
            cues.append(cue)
        link = self._links.get(quote.link_index) if quote.link_index is not None else None
        if not quote.block and (link is None or not link.claim_start <= quote.start < link.claim_end):
            sentence = self._sentence(quote.paragraph, quote.start)
            cues += self._evaluative(*sentence)
        if wording.is_scare_quote(self.text, quote.start, quote.end, att, quote.block):
            cues.append(FramingCue("scare_quote", quote.text, quote.start, quote.end, in_source=None))
        return tuple(cues)

    def _evaluative(self, lo: int, hi: int) -> list[FramingCue]:
        key = (lo, hi)
        if key not in self._wording:  # quotations of one sentence share its wording
            self._wording[key] = self._find_evaluative(lo, hi)
            self._wording_starts[key] = [c.article_start or 0 for c in self._wording[key]]
        return self._wording[key]

    def _find_evaluative(self, lo: int, hi: int) -> list[FramingCue]:
        return [
            FramingCue("evaluative_wording", words, s, e)
            for words, s, e in wording.evaluative(self.text, lo, hi, self._quoted_in(lo, hi))
        ]

    def _claim_cues(self, link: Link) -> tuple[FramingCue, ...]:
        lo, hi = link.claim_start, link.claim_end
        s_lo, s_hi = self._sentence(link.paragraph, link.anchor_start)
        if not s_lo <= lo <= hi <= s_hi:  # a claim of several sentences is read as it is
            s_lo, s_hi = lo, hi
        # The sentence is read once however many links it holds (`_claim_verbs`, `_evaluative`); each link
        # looks at its own claim (an overlong sentence's is a window around its link, links.claim_window)
        # and, for the verb, at the verbs near enough to its anchor to rank.
        verbs = self._claim_verbs(s_lo, s_hi)
        first = bisect_left(verbs.starts, max(lo, link.anchor_start - CLAIM_VERB_CHARS - verbs.longest))
        last = bisect_right(verbs.starts, link.anchor_end + CLAIM_VERB_CHARS)
        best: tuple[tuple[int, int], Verb] | None = None
        for verb in verbs.verbs[first:last]:
            rank = self._claim_verb_rank(link, verb) if verb.end <= hi else None
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, verb)
        chosen = _with_companion(best[1], verbs, lo, hi) if best else []
        cues = [c for c in map(verb_cue, chosen) if c is not None]
        evaluative = self._evaluative(s_lo, s_hi)
        if (s_lo, s_hi) != (lo, hi):
            starts = self._wording_starts[s_lo, s_hi]
            inside = evaluative[bisect_left(starts, lo) : bisect_left(starts, hi)]
            evaluative = [c for c in inside if (c.article_end or 0) <= hi]
        return tuple(cues + evaluative)

    def _claim_verbs(self, lo: int, hi: int) -> _SentenceVerbs:
        """The reporting verbs of the claim sentence `[lo, hi)` outside its quotations, in text order:
        tokenised once per sentence, however many links share it."""
        key = (lo, hi)
        found = self._verbs.get(key)
        if found is None:
            verbs: list[Verb] = []
            for s, e in wording.outside(lo, hi, self._quoted_in(lo, hi)):
                toks = tokens(self.text, s, e)
                verbs += [verb_of(self.text, hit) for _, hit in verbs_in(self.text, toks, CLAIM_SCOPES)]
                verbs += string_verbs(self.text, s, e)
            verbs.sort(key=lambda v: v.start)  # stable: the reading order of equal starts is kept
            longest = max((v.end - v.start for v in verbs), default=0)
            found = self._verbs[key] = _SentenceVerbs([v.start for v in verbs], verbs, longest)
        return found

    def _claim_verb_rank(self, link: Link, verb: Verb) -> tuple[int, int] | None:
        """How surely a verb introduces the linked claim (lower is surer), or None when
        it is too far from the link: inside the link's words; just before them through a preposition
        ("quoted by [the Courier]", "according to [the report]"); just after them ("[the Gazette]
        reported"); just before them ("told [the Courier]"); else by distance."""
        a_start, a_end = link.anchor_start, link.anchor_end
        start, end = verb.start, verb.end
        distance = max(0, a_start - end, start - a_end)
        if distance > CLAIM_VERB_CHARS:
            return None
        if start < a_end and end > a_start:
            return (0, distance)
        if end <= a_start and _LINKED_BEFORE.fullmatch(self.text[end:a_start]):
            governs = verb.speaker_after or _PREPOSITION.search(self.text[end:a_start])
            return (1 if governs else 3, distance)
        if start >= a_end and _LINKED_AFTER.fullmatch(self.text[a_end:start]):
            return (2, distance)
        return (4, distance)

    # -- against a source ---------------------------------------------------------------------------

    def _match_cues(self, quote: Quote, match: QuoteMatch, source: Source | None) -> tuple[FramingCue, ...]:
        base = quote.framing or self.quote_cues(quote)
        if not match.searched:
            return base
        found = match.match != "not_found"
        cues = [
            replace(c, in_source=match.match == "verbatim") if c.cue == "scare_quote" else c for c in base
        ]
        if not found or source is None or match.source_start is None or match.source_end is None:
            return tuple(cues)
        stext = source.text if match.in_main_text is not False else source.page_text
        s, e = match.source_start, match.source_end
        speaker = self._speaker_cue(quote, stext, s, e)
        if speaker is not None:
            cues.append(speaker)
        a_lo, a_hi = self._article_window(quote)
        cues += _hedge_cues(stext, s, e, self.text[a_lo:a_hi])
        turn = context.turn_after(stext, s, e)
        if turn is not None and not self._article_keeps(turn, quote, a_hi):
            cues.append(_context_cue(turn))
        return tuple(cues)

    def _article_window(self, quote: Quote) -> tuple[int, int]:
        lo = self._sentence(quote.paragraph, quote.start)[0]
        hi = max(self._sentence(quote.paragraph, max(quote.start, quote.end - 1))[1], quote.end)
        return min(lo, quote.start), hi

    def _article_keeps(self, turn: context.Turn, quote: Quote, hi: int) -> bool:
        """The article's sentence goes on with the source's turn word itself ("…”, unless …)."""
        first = tokens(turn.text)[:1]
        return bool(first) and first[0].low in {t.low for t in tokens(self.text, quote.end, hi)}

    def _speaker_cue(self, quote: Quote, stext: str, s: int, e: int) -> FramingCue | None:
        source_who = voices.source_speaker(stext, s, e)
        if source_who is None:
            return None
        att = self.attribution(quote)
        article_who = None
        if att is not None and att.speaker:
            article_who = speakers.resolve(self.text, att.speaker, att.speaker_start)
        table = dict(speakers.aliases(stext))
        for role, names in speakers.aliases(self.text).items():
            table[role] = table.get(role, frozenset()) | names
        article_who = speakers.with_alias(article_who, table) if article_who else None
        source_who = speakers.with_alias(source_who, table)
        return FramingCue(
            "speaker",
            article_speaker=article_who.text if article_who else None,
            source_speaker=source_who.text,
            mismatch=speakers.mismatch(article_who, source_who),
        )

    def _outcome_cues(
        self, link: Link, source: Source | None, evidence: Sequence[Evidence], quotes: Sequence[Quote]
    ) -> tuple[FramingCue, ...]:
        cues = list(self.claim_cues(link))
        if source is None or not evidence or self._quotes_in_claim(link, quotes):
            return tuple(cues)
        lo, hi = link.claim_start, link.claim_end
        claim = " ".join(self.text[s:e] for s, e in wording.outside(lo, hi, self._quoted_in(lo, hi)))
        anchor = self.text[link.anchor_start : link.anchor_end]
        found: list[hedges.Hedge] = []
        turns: list[context.Turn] = []
        for ev in _paraphrased(claim, anchor, evidence):
            sentence = (ev.source_start, ev.source_end)
            found += hedges.passage_hedges(source.text, sentence[0], sentence[1], sentence)
            turn = context.turn_within(source.text, sentence, claim) or context.turn_next(
                source.text, sentence
            )
            if turn is not None and all(t.start != turn.start for t in turns):
                turns.append(turn)
        cues += [_hedge_cue(h) for h in hedges.dropped(found, claim)]
        cues += [_context_cue(t) for t in turns]
        return tuple(cues)

    def _quotes_in_claim(self, link: Link, quotes: Sequence[Quote]) -> bool:
        """The claim quotes its source: the quotations carry the source-side cues, not the claim."""
        return any(link.claim_start <= q.start < link.claim_end for q in quotes)


def _with_companion(verb: Verb, sentence: _SentenceVerbs, lo: int, hi: int) -> list[Verb]:
    """The claim's verb and, when the claim `[lo, hi)` holds both a source phrase and a speaker's verb
    (outside its quotations), the other one: "The ministry admitted, according to [the auditors], …",
    "The minister admitted the government had “…”, according to [a Q&A]", "Laut [Protokoll] gab der
    Stadtrat zu". The source phrase names whose account the claim is, the verb how the article frames
    the words; both are cues, in article order. The nearest one of the other kind, looked for outwards
    from the verb among at most COMPANION_VERBS of the sentence's verbs (a sentence of thousands of links
    stays linear)."""
    at = bisect_left(sentence.starts, verb.start)
    near = sentence.verbs[max(0, at - COMPANION_VERBS) : at + COMPANION_VERBS + 1]
    others = [v for v in near if v.source != verb.source and lo <= v.start and v.end <= hi]
    if not others:
        return [verb]
    other = min(others, key=lambda v: max(0, v.start - verb.end, verb.start - v.end))
    return sorted([verb, other], key=lambda v: v.start)


def _paraphrased(claim: str, anchor: str, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence sentences the claim paraphrases: each holds enough of the claim's words (half, at
    least PARAPHRASE_MIN_WORDS), or a number of the claim and another of its words. When some of them
    hold most of the link's own words (what the claim cites the source for), only those count."""
    words, focus = set(terms(claim)), set(terms(anchor))
    if not words:
        return []
    body = words - focus  # the claim's words outside the link: "review of the February floods" names a
    passing: list[tuple[int, Evidence]] = []  # source; "3,100 homes were flooded" is what it says
    for ev in evidence:
        held = set(terms(ev.text))
        shared = words & held
        by_words = len(shared) >= PARAPHRASE_MIN_WORDS and len(shared) / len(words) >= PARAPHRASE_OVERLAP
        by_number = len(shared) >= 2 and any(is_number(w) for w in shared)  # "140 jobs" / "140 posts"
        on_focus = len(focus & held) * 2 > len(focus) > 0 and len(shared) >= PARAPHRASE_MIN_WORDS
        says = (
            len(body) < PARAPHRASE_MIN_WORDS
            or len(body & held) >= 2
            or any(is_number(w) for w in body & held)
        )
        if (by_words or by_number or on_focus) and says:
            passing.append((len(focus & held), ev))
    focused = [ev for n, ev in passing if focus and n * 2 > len(focus)]
    return focused or [ev for _, ev in passing]


def _credits(text: str, para) -> bool:
    """The paragraph is a block quote's credit line ("— as the report put it", a `<footer>`)."""
    return para.credit or is_credit_line(text, para.start, para.end)


def _hedge_cue(h: hedges.Hedge) -> FramingCue:
    return FramingCue("hedge_dropped", h.text, source_start=h.start, source_end=h.end)


def _hedge_cues(stext: str, s: int, e: int, article_sentence: str) -> list[FramingCue]:
    from . import passages

    para = passages.paragraph_around(stext, s, e)
    spans = passages.sentences_in(stext, para)
    i = passages.sentence_at(spans, s)
    j = passages.sentence_at(spans, max(s, e - 1))
    if i is None or j is None:
        return []
    sentence = (min(spans[i].start, s), max(spans[j].end, e))
    found = hedges.passage_hedges(stext, s, e, sentence)
    return [_hedge_cue(h) for h in hedges.dropped(found, article_sentence)]


def _context_cue(turn: context.Turn) -> FramingCue:
    return FramingCue(
        "context",
        turn.text,
        relation=turn.relation,
        source_start=turn.start,
        source_end=turn.end,  # type: ignore[arg-type]
    )
