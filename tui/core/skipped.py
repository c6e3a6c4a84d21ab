"""Pieces of a matched source passage that are not the author's words, and how every face shows them.

The source side marks such pieces as it reads a page: core/htmltext's walker the reference markers (`[4]`,
`[a]`, a superscript footnote link) and editorial tags (`[citation needed]`, `[edit]`), core/pdftext a PDF's
running heads, footers and page numbers. The matcher folds them away, so they never count against a quote,
and reports those inside a matched passage (`QuoteMatch.skipped`, the report's `skipped`). They are shown
as skipped, never silently dropped; this module is the one answer, for the reader, `check`, the Markdown
export and the audit's HTML report, to what each piece is and how it reads:

- `pieces_in` splits the spans one by one (`[4][5]` is two pieces) and says what each is (`SkippedKind`);
- `describe_skipped`: the one line that names them ("[4] [5] skipped: reference markers");
- `diff_parts`: the word diff with the pieces put back on the source's side, where they sit;
- `passage_parts`: a passage cut into the author's words and the pieces;
- `report_pieces` / `match_pieces`: the pieces of a JSON report's quote or of a `QuoteMatch`.
Texts returned here are the source's own characters: each face cleans them (`safe_text`) as it shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .models import QuoteMatch, SkippedKind, SkippedPiece

# singular and plural words for each kind
SKIPPED_LABELS: Final[dict[SkippedKind, tuple[str, str]]] = {
    "reference_marker": ("reference marker", "reference markers"),
    "editorial_tag": ("editorial tag", "editorial tags"),
    "page_furniture": ("running head, footer or page number", "running heads, footers or page numbers"),
}
SHOWN_CHARS: Final = 40  # a piece longer than this (a PDF's running head) is shortened in a line of text

# One part of a word diff: (op, text, kind). op as in diff-match-patch (-1 only in the source, 1 only in
# the article, 0 both); kind is set on a skipped piece (always op -1: only the source prints it).
DiffPart = tuple[int, str, SkippedKind | None]

_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_ROMAN = re.compile(r"^[ivx]{1,5}$", re.IGNORECASE)
_COLLAPSED = re.compile(r"(?<=\S)  +(?=\S)")  # the double space a piece leaves, closed up (`search._without`)


def piece_kind(text: str, *, pdf: bool = False) -> SkippedKind:
    """What a skipped piece is: in a PDF, page furniture; else a reference marker (`[4]`, `[note 2]`,
    `[a]`, `[iv]`, `*`: a number, a letter or two, a roman numeral or a symbol) or an editorial tag
    (`[citation needed]`, `[edit]`: words)."""
    if pdf:
        return "page_furniture"
    inner = text.strip().strip("[]").strip()
    marker = len(inner) <= 2 or _ROMAN.match(inner) or not any(c.isalpha() for c in inner)
    return "reference_marker" if marker or any(c.isdigit() for c in inner) else "editorial_tag"


def pieces_in(text: str, spans: Sequence[tuple[int, int]], *, pdf: bool = False) -> tuple[SkippedPiece, ...]:
    """The skipped `spans` of `text` one by one, each with its kind.

    A span that holds nothing but bracketed groups (`[4][5]`, two markers that touch) gives one piece per
    group; any other span (a superscript `3`, a PDF's running head) is one piece. `pdf`: `text` is a PDF's.
    """
    out: list[SkippedPiece] = []
    for start, end in spans:
        chunk = text[start:end]
        groups = list(_BRACKETED.finditer(chunk))
        if not pdf and len(groups) > 1 and not _BRACKETED.sub("", chunk).strip():
            for m in groups:
                out.append(SkippedPiece(start + m.start(), start + m.end(), m.group(), piece_kind(m.group())))
        elif chunk.strip():
            out.append(SkippedPiece(start, end, chunk, piece_kind(chunk, pdf=pdf)))
    return tuple(out)


def match_pieces(found: QuoteMatch) -> tuple[SkippedPiece, ...]:
    """The skipped pieces of a match (made by the matcher; from `skipped` for a match made by hand)."""
    if found.skipped_pieces or not found.skipped:
        return found.skipped_pieces
    return _from_spans(found.source_text, found.source_start, found.skipped)


def report_pieces(quote: Mapping[str, Any]) -> tuple[SkippedPiece, ...]:
    """The skipped pieces of a quote of the JSON report (`skipped_pieces`; from `skipped` in a report
    written before that key, told apart by their text alone)."""
    given = quote.get("skipped_pieces")
    if given is not None:
        return tuple(
            SkippedPiece(int(p["start"]), int(p["end"]), str(p["text"]), p["kind"])
            for p in given
            if p.get("kind") in SKIPPED_LABELS
        )
    spans = [(int(s), int(e)) for s, e in quote.get("skipped") or ()]
    return _from_spans(quote.get("source_text"), quote.get("source_start"), spans)


def _from_spans(
    passage: str | None, start: int | None, spans: Sequence[tuple[int, int]]
) -> tuple[SkippedPiece, ...]:
    if not passage or start is None:
        return ()
    relative = [(s - start, e - start) for s, e in spans if 0 <= s - start <= e - start <= len(passage)]
    return tuple(
        SkippedPiece(p.start + start, p.end + start, p.text, p.kind) for p in pieces_in(passage, relative)
    )


def pieces_json(pieces: Sequence[SkippedPiece]) -> list[dict[str, Any]]:
    """The report's `skipped_pieces` list."""
    return [{"start": p.start, "end": p.end, "text": p.text, "kind": p.kind} for p in pieces]


def shown(text: str) -> str:
    """A piece's text for a line of prose: white space collapsed, a long one shortened, one of several
    words in quote marks unless bracketed (so pieces side by side read apart)."""
    text = " ".join(text.split())
    if len(text) > SHOWN_CHARS:
        cut = text[: SHOWN_CHARS - 1]
        words = cut.rsplit(" ", 1)[0]  # at a word's end, unless that leaves little
        text = (words if len(words) > SHOWN_CHARS // 2 else cut).rstrip() + "…"
    return f"“{text}”" if " " in text and not _BRACKETED.fullmatch(text) else text


def describe_skipped(pieces: Sequence[SkippedPiece]) -> str:
    """One line naming the pieces by kind, in the order they first appear:
    `[4] [5] skipped: reference markers · [citation needed] skipped: editorial tag` ("" for none)."""
    by_kind: dict[SkippedKind, list[str]] = {}
    for piece in pieces:
        by_kind.setdefault(piece.kind, []).append(shown(piece.text))
    return " · ".join(
        f"{' '.join(texts)} skipped: {SKIPPED_LABELS[kind][len(texts) > 1]}"
        for kind, texts in by_kind.items()
    )


def passage_parts(
    passage: str, start: int, pieces: Sequence[SkippedPiece]
) -> list[tuple[str, SkippedPiece | None]]:
    """`passage` (the text from offset `start`) cut into runs of the author's words (None) and pieces."""
    out: list[tuple[str, SkippedPiece | None]] = []
    pos = 0
    for piece in sorted(pieces, key=lambda p: p.start):
        s, e = piece.start - start, piece.end - start
        if s < pos or e > len(passage):
            continue  # not inside this passage
        if s > pos:
            out.append((passage[pos:s], None))
        out.append((passage[s:e], piece))
        pos = e
    if pos < len(passage):
        out.append((passage[pos:], None))
    return out


def diff_parts(
    diff: Sequence[Sequence[Any]],
    passage: str | None,
    start: int | None,
    spans: Sequence[Sequence[int]],
    pieces: Sequence[SkippedPiece],
) -> tuple[DiffPart, ...]:
    """The word `diff` of a match with its skipped pieces put back where the source prints them.

    The matcher diffs the passage with the `spans` taken out (and a double space left by one closed up),
    so the diff's source side (ops 0 and -1) is that text: each of its characters is mapped back to its
    offset in `passage` (whose first character is at `start`), and what the diff leaves out is given back
    as op -1 parts, a piece with its kind, the space around it with none. When the diff does not spell the
    passage (a report edited by hand), the diff is returned as it is, without pieces.
    """
    plain: tuple[DiffPart, ...] = tuple((int(op), str(text), None) for op, text in diff)
    if not pieces or not passage or start is None:
        return plain
    mapping = _kept_offsets(passage, [(s - start, e - start) for s, e in spans])
    source_side = "".join(text for op, text, _ in plain if op != 1)
    if len(source_side) != len(mapping) or any(
        passage[p] != c for p, c in zip(mapping, source_side, strict=True)
    ):
        return plain
    relative = [(p.start - start, p.end - start, p) for p in sorted(pieces, key=lambda p: p.start)]
    out: list[DiffPart] = []
    cursor = k = 0  # the next offset of `passage` to give; the next character of `mapping`

    def give_back(upto: int) -> None:
        pos = cursor
        for s, e, piece in relative:
            if s >= pos and e <= upto:
                if s > pos:
                    out.append((-1, passage[pos:s], None))
                out.append((-1, passage[s:e], piece.kind))
                pos = e
        if upto > pos:
            out.append((-1, passage[pos:upto], None))

    for op, text, _ in plain:
        if op == 1:
            out.append((op, text, None))
            continue
        i = 0
        while i < len(text):
            if mapping[k] > cursor:
                give_back(mapping[k])
            j = i + 1
            while j < len(text) and mapping[k + j - i] == mapping[k + j - i - 1] + 1:
                j += 1
            out.append((op, text[i:j], None))
            cursor = mapping[k + j - i - 1] + 1
            k += j - i
            i = j
    give_back(len(passage))
    return _merged(out)


def match_diff_parts(found: QuoteMatch) -> tuple[DiffPart, ...]:
    """`diff_parts` of a `QuoteMatch`."""
    return diff_parts(found.diff, found.source_text, found.source_start, found.skipped, match_pieces(found))


def report_diff_parts(quote: Mapping[str, Any]) -> tuple[DiffPart, ...]:
    """`diff_parts` of a quote of the JSON report."""
    return diff_parts(
        quote.get("diff") or (),
        quote.get("source_text"),
        quote.get("source_start"),
        quote.get("skipped") or (),
        report_pieces(quote),
    )


def _kept_offsets(passage: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """The offset in `passage` of each character of the text the matcher diffed (spans out, the double
    space this leaves closed up: `match.search._without`)."""
    kept: list[int] = []
    pos = 0
    for s, e in sorted(spans):
        kept.extend(range(pos, max(pos, s)))
        pos = max(pos, e)
    kept.extend(range(pos, len(passage)))
    joined = "".join(passage[i] for i in kept)
    dropped = {i for m in _COLLAPSED.finditer(joined) for i in range(m.start() + 1, m.end())}
    return [p for i, p in enumerate(kept) if i not in dropped]


def _merged(parts: list[DiffPart]) -> tuple[DiffPart, ...]:
    out: list[DiffPart] = []
    for op, text, kind in parts:
        if not text:
            continue
        if out and kind is None and out[-1][2] is None and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text, None)
        else:
            out.append((op, text, kind))
    return tuple(out)
