"""Re-anchoring saved notes onto an article as it is now (which may have been edited since).

A note stores its quote or claim as text with a little context (W3C TextQuoteSelector style); this module
finds that text again: exact first, then close matches, then the claim or the link. What cannot be placed
is returned as orphaned, never dropped. Storage lives in `store.py`; this module never touches the database.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Link, Quote
from ..normalize import fold_text
from .records import AnchoredNote, AnchorHow, Note, NoteTarget

QUOTE_FUZZY_MIN = 0.8
CLAIM_FUZZY_MIN = 0.75


def _ratio(a: str, b: str) -> float:
    """Similarity 0..1: by characters for short texts, by words for long ones (characters cost O(n*m))."""
    if not a or not b:
        return 0.0
    if max(len(a), len(b)) > 80:
        return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


class _Texts:
    """Candidate texts (quotes or claims) folded once, with word counts, for exact and fuzzy lookups."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.folded = [fold_text(t) for t in texts]
        self.words = [Counter(f.split()) for f in self.folded]
        self.sizes = [sum(w.values()) for w in self.words]
        self.exact: dict[str, list[int]] = {}
        for i, f in enumerate(self.folded):
            self.exact.setdefault(f, []).append(i)
        # word -> [(candidate, count)], without the words most candidates share (they rank nothing)
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, w in enumerate(self.words):
            for word, count in w.items():
                postings.setdefault(word, []).append((i, count))
        limit = max(8, len(texts) // 4)
        self.postings = {w: p for w, p in postings.items() if len(p) <= limit}

    def fuzzy(self, want: str, minimum: float, shortlist: int = 8) -> list[tuple[float, int]]:
        """(similarity, index) of the candidates at least `minimum` alike, best first.

        Character-level ratios cost O(n*m) each, too much for every note against every sentence of a long
        article: shared words (an upper bound of the word-level ratio) rank a short list first.
        """
        words = Counter(want.split())
        size = sum(words.values())
        if not size:
            return []
        common = sum(c for w, c in words.items() if w not in self.postings)  # may match anywhere
        overlap: dict[int, int] = {}
        for word, count in words.items():
            for i, other in self.postings.get(word, ()):
                overlap[i] = overlap.get(i, 0) + min(count, other)
        bounds = []
        for i, osize in enumerate(self.sizes):
            if not osize:
                continue
            d = 2 * min(overlap.get(i, 0) + common, size, osize) / (size + osize)
            if d < max(0.4, minimum - 0.2):
                continue
            if len(want) > 80 and len(self.folded[i]) > 80 and d < minimum:
                continue  # compared by words, and the word-level ratio cannot exceed d
            bounds.append((2 * overlap.get(i, 0) / (size + osize), d, i))
        bounds.sort(reverse=True)  # most distinctive words shared first
        scored = [(_ratio(want, self.folded[i]), i) for _, _, i in bounds[:shortlist]]
        return sorted(((r, i) for r, i in scored if r >= minimum), reverse=True)


@dataclass(frozen=True)
class _QuoteSpot:
    link_index: int | None
    quote_index: int
    text: str
    start: int
    end: int
    link_url: str | None


@dataclass(frozen=True)
class _ClaimSpot:
    link_index: int
    url: str | None
    claim: str
    start: int
    end: int


def anchor_notes(
    notes: Sequence[Note], article: Article, links: Sequence[Link], quotes: Sequence[Quote]
) -> list[AnchoredNote]:
    """Place each note on the article as it is now; a note that fits nowhere comes back orphaned.

    Quote notes: exact quote text (prefix/suffix, link and old position break ties), then a close quote
    (lightly edited), then the same words anywhere in the article text. Claim notes: the same sentence,
    then a close sentence, then the same link URL, then (for notes without a claim) the link index.
    """
    if not notes:
        return []  # nothing to place: no index of every quote and claim to build
    urls = {link.index: link.url for link in links}
    counters: dict[int | None, int] = {}
    spots: list[_QuoteSpot] = []
    for q in quotes:
        i = counters.get(q.link_index, 0)
        counters[q.link_index] = i + 1
        spots.append(_QuoteSpot(q.link_index, i, q.text, q.start, q.end, urls.get(q.link_index)))
    claims = [_ClaimSpot(lk.index, lk.url, lk.claim, lk.claim_start, lk.claim_end) for lk in links]
    return _anchor(notes, spots, claims, article.text)


def anchor_notes_to_report(
    notes: Sequence[Note], report: dict, article_text: str | None = None
) -> list[AnchoredNote]:
    """Like `anchor_notes`, from a report dict (contract.md shape) when no `Article` is at hand."""
    spots: list[_QuoteSpot] = []
    claims: list[_ClaimSpot] = []
    for link in report.get("links", []):
        idx = link["index"]
        claims.append(
            _ClaimSpot(idx, link.get("url"), link.get("claim", ""), link["claim_start"], link["claim_end"])
        )
        for qi, q in enumerate(link.get("quotes", [])):
            spots.append(
                _QuoteSpot(idx, qi, q["text"], q["article_start"], q["article_end"], link.get("url"))
            )
    for qi, q in enumerate(report.get("unattributed_quotes", [])):
        spots.append(_QuoteSpot(None, qi, q["text"], q["article_start"], q["article_end"], None))
    return _anchor(notes, spots, claims, article_text)


def _anchor(
    notes: Sequence[Note], spots: Sequence[_QuoteSpot], claims: Sequence[_ClaimSpot], text: str | None
) -> list[AnchoredNote]:
    if not notes:  # nothing to place: no index of every quote and claim (0.6 s on a 1 MB article)
        return []
    folded_spots = _Texts([s.text for s in spots])
    folded_claims = _Texts([c.claim for c in claims])
    out = []
    for note in notes:
        t = note.target
        placed = (
            _anchor_quote(note, spots, folded_spots, claims, text)
            if t.quote_text is not None
            else _anchor_claim(note, claims, folded_claims)
        )
        out.append(placed or AnchoredNote(note, None, None, True))
    return out


def _tiebreak(
    t: NoteTarget, spot_url: str | None, spot_link: int | None, start: int, text: str | None, end: int
) -> tuple[float, ...]:
    context = 0.0
    if text is not None and (t.quote_prefix or t.quote_suffix):
        before = text[max(0, start - len(t.quote_prefix)) : start]
        after = text[end : end + len(t.quote_suffix)]
        context = _ratio(fold_text(t.quote_prefix), fold_text(before)) + _ratio(
            fold_text(t.quote_suffix), fold_text(after)
        )
    same_url = 1.0 if (t.link_url and spot_url == t.link_url) else 0.0
    same_link = 1.0 if (t.link_index is not None and spot_link == t.link_index) else 0.0
    distance = abs(start - t.article_start) if t.article_start is not None else 0
    return (same_url, context, same_link, -distance)


def _anchor_quote(
    note: Note,
    spots: Sequence[_QuoteSpot],
    folded: _Texts,
    claims: Sequence[_ClaimSpot],
    text: str | None,
) -> AnchoredNote | None:
    t = note.target
    want = fold_text(t.quote_text or "")
    exact = folded.exact.get(want, [])
    if exact:
        best = (
            exact[0]
            if len(exact) == 1
            else max(
                exact,
                key=lambda i: _tiebreak(
                    t, spots[i].link_url, spots[i].link_index, spots[i].start, text, spots[i].end
                ),
            )
        )
        s = spots[best]
        return AnchoredNote(note, s.link_index, s.quote_index, False, s.start, s.end, "quote")
    scored = folded.fuzzy(want, QUOTE_FUZZY_MIN)
    if scored:
        top = max(r for r, _ in scored)
        near = [i for r, i in scored if r >= top - 0.02]
        best = max(
            near,
            key=lambda i: (
                _tiebreak(t, spots[i].link_url, spots[i].link_index, spots[i].start, text, spots[i].end),
                folded.folded[i] == want,
            ),
        )
        s = spots[best]
        return AnchoredNote(note, s.link_index, s.quote_index, False, s.start, s.end, "quote_fuzzy")
    if text and t.quote_text:
        found = _find_text(text, t)
        if found is not None:
            start, end = found
            holder = next((c for c in claims if c.start <= start and end <= c.end), None)
            return AnchoredNote(note, holder.link_index if holder else None, None, False, start, end, "text")
    return None


def _find_text(text: str, t: NoteTarget) -> tuple[int, int] | None:
    """The quote's words still in the article but no longer seen as a quote (e.g. marks removed)."""
    needle = t.quote_text or ""
    hits = []
    pos = text.find(needle)
    while pos != -1:
        hits.append(pos)
        pos = text.find(needle, pos + 1)
    if not hits:
        low, want = text.casefold(), needle.casefold()
        pos = low.find(want)
        while pos != -1:
            hits.append(pos)
            pos = low.find(want, pos + 1)
    if not hits:
        return None
    best = max(hits, key=lambda h: _tiebreak(t, None, None, h, text, h + len(needle)))
    return best, best + len(needle)


def _anchor_claim(note: Note, claims: Sequence[_ClaimSpot], folded: _Texts) -> AnchoredNote | None:
    t = note.target
    if not claims:
        return None

    def rank(i: int) -> tuple[float, ...]:
        c = claims[i]
        same_url = 1.0 if (t.link_url and c.url == t.link_url) else 0.0
        same_link = 1.0 if t.link_index == c.link_index else 0.0
        distance = abs(c.start - t.article_start) if t.article_start is not None else 0
        return (same_url, same_link, -distance)

    def placed(i: int, how: AnchorHow) -> AnchoredNote:
        c = claims[i]
        return AnchoredNote(note, c.link_index, None, False, c.start, c.end, how)

    want = fold_text(t.claim)
    if want:
        exact = folded.exact.get(want, [])
        if exact:
            return placed(max(exact, key=rank), "claim")
        good = folded.fuzzy(want, CLAIM_FUZZY_MIN)
        if good:
            top = max(r for r, _ in good)
            return placed(max((i for r, i in good if r >= top - 0.02), key=rank), "claim_fuzzy")
    if t.link_url:
        same = [i for i, c in enumerate(claims) if c.url == t.link_url]
        if same:
            return placed(max(same, key=rank), "link_url")
    if not want and t.link_index is not None:  # a prototype (v1) note with neither claim nor URL
        same = [i for i, c in enumerate(claims) if c.link_index == t.link_index]
        if same:
            return placed(same[0], "link_index")
    return None
