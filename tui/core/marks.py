"""The quote-mark lexicon and the pairing of marks in one paragraph, shared by the quote finder
(`quotes.py`) and the sentence splitter (`sentences.py`); neither imports the other.

Conventions understood (a "family" is a set of marks that pair with each other; a quotation of one
family holds quotations of the others, which stay part of it):
- curly doubles “…” „…“ „…” ”…” (the same mark at both ends: Swedish, Finnish), straight "…";
- singles ‘…’ ‚…‘ ’…’ '…', told apart from apostrophes (don't, Russia's, ’90s, rock ’n’ roll, o’clock,
  the Joneses’ house);
- guillemets «…» (French, Russian, Italian ...), »…« (German, Danish, Czech ...), »…» (Swedish,
  Finnish), and the single ‹…› ›…‹, with any space inside the marks (no-break, narrow no-break, thin);
- corner brackets 「…」 and white corner brackets 『…』 (Japanese, Chinese), horizontal or vertical.
Which way a guillemet points is decided per paragraph: the orientation under which the paragraph's
guillemets balance, the document's language breaking ties (`language.py`). A mark's role otherwise
comes from its shape and its neighbours (a “ after a word and before a space closes a German „…“).

An unbalanced mark is capped at its paragraph: a stray “ quotes at most the rest of that paragraph, a
stray ‘ that never closes is taken for an apostrophe, a stray ” is ignored. Pairing is linear in the
number of marks.
"""

from __future__ import annotations

import re

from .models import Paragraph

SPACE = frozenset(" \t\n\r\f\v\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))
OPENING_MARKS = "“„«»「『﹁﹃‟〝\"'‘‚‹›"  # a paragraph that starts with one of these opens a quotation
_OPEN_PUNCT = frozenset("([{—–-/‘“'\"«„…:‚‹「『（：、，〈《【")
_CLOSE_PUNCT = frozenset(".,;:!?)]}—–-…’”'\"»/›」』。、，！？）：；〉》】")
# Words that begin with an elided letter: ’90s, ’em, ’til, ’tis, ’n’, 'cause ...
_ELISION = re.compile(
    r"(?:\d0s|\d\d\b|em\b|til\b|tis\b|twas\b|cause\b|bout\b|round\b|n(?=[’'])|nuff\b|kay\b|sup\b|s\b)",
    re.IGNORECASE,
)

# families
DQ, SD, SQ, GU, SG, CO, WC = "dq", "sd", "sq", "gu", "sg", "co", "wc"
OPEN, CLOSE, BOTH = "open", "close", "both"
_FAMILY = {
    "“": DQ, "”": DQ, "„": DQ, "‟": DQ, "〝": DQ, "〞": DQ, "〟": DQ, '"': SD, "＂": SD,
    "‘": SQ, "’": SQ, "‚": SQ, "‛": SQ, "'": SQ,
    "«": GU, "»": GU, "‹": SG, "›": SG,
    "「": CO, "」": CO, "﹁": CO, "﹂": CO, "『": WC, "』": WC, "﹃": WC, "﹄": WC,
}  # fmt: skip
_MARK = re.compile("[" + re.escape("".join(_FAMILY)) + "]")
_FIXED = {"「": OPEN, "﹁": OPEN, "『": OPEN, "﹃": OPEN, "」": CLOSE, "﹂": CLOSE, "』": CLOSE, "﹄": CLOSE,
          "„": OPEN, "‟": OPEN, "〝": OPEN, "〞": CLOSE, "〟": CLOSE}  # fmt: skip
_BALANCED = (GU, SG)  # nest by depth: French « « … » » is a quotation inside a quotation
# Guillemet orientations: FR «…», DE »…«, SAME »…»
FR, DE, SAME = "fr", "de", "same"
_DE_STYLE = frozenset(["de", "da", "cs", "sk", "sl", "hr", "hu", "lt", "is", "et"])
_SAME_STYLE = frozenset(["sv", "fi"])
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uac00-\ud7af]")

Event = tuple[int, str, str]  # (position, family, role)


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    """`[s, e)` without the white space (any Unicode space) at either end."""
    while s < e and text[s] in SPACE:
        s += 1
    while e > s and text[e - 1] in SPACE:
        e -= 1
    return s, e


def strip_enclosing_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """`[start, end)` trimmed, and without a pair of quote marks wrapping all of it (a block quote
    printed as “…”, «…», »…«, 「…」)."""
    s, e = trim_span(text, start, end)
    if e - s >= 2 and text[s] in '“„«»「『"' and text[e - 1] in '”“»«」』"':
        s, e = trim_span(text, s + 1, e - 1)
    return s, e


def default_orientation(language: str | None) -> str:
    """The guillemet orientation a language writes: FR «…», DE »…« or SAME »…»."""
    if not language:
        return FR
    if language in _SAME_STYLE:
        return SAME
    return DE if language in _DE_STYLE else FR


def _orientation(glyphs: list[str], prior: str) -> str:
    """The orientation under which these guillemets (in order) balance best; ties go to `prior`."""

    def violations(kind: str) -> int:
        depth = bad = 0
        for g in glyphs:
            opens = (g in "«‹") if kind == FR else (g in "»›") if kind == DE else depth == 0
            if opens:
                depth += 1
            elif depth:
                depth -= 1
            else:
                bad += 1
        return bad + depth

    order = [prior] + [k for k in (FR, DE, SAME) if k != prior]
    if all(g in "»›" for g in glyphs) and prior != SAME:
        order.remove(SAME)  # »…» only when the language writes it, or nothing else balances
        order.append(SAME)
    return min(order, key=violations)


def _flank(prev: str, nxt: str) -> str | None:
    left = nxt not in SPACE  # could open: a word follows
    right = prev not in SPACE  # could close: a word precedes
    can_open = left and (prev in SPACE or prev in _OPEN_PUNCT)
    can_close = right and (nxt in SPACE or nxt in _CLOSE_PUNCT)
    if can_open and can_close:
        return BOTH
    if can_open:
        return OPEN
    if can_close:
        return CLOSE
    if _NO_SPACE_SCRIPT.match(prev) or _NO_SPACE_SCRIPT.match(nxt):
        return BOTH  # "他说"走"。": no spaces to tell by, the marks alternate
    return None


def mark_events(text: str, start: int, end: int, language: str | None = None) -> list[Event]:
    """Quote-mark events (position, family, open|close|both) in one paragraph; apostrophes dropped."""
    found = list(_MARK.finditer(text, start, end))
    glyphs = [m.group() for m in found if m.group() in "«»‹›"]
    orientation = _orientation(glyphs, default_orientation(language)) if glyphs else FR
    events: list[Event] = []
    skip_next_at = -1
    low_open = low_single_open = False  # German „…“ and ‚…‘: the next “ (‘) closes
    for m in found:
        i = m.start()
        ch = m.group()
        if i == skip_next_at:
            continue
        family = _FAMILY[ch]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        role: str | None
        if ch in _FIXED:
            role = _FIXED[ch]
            low_open = low_open or ch == "„"
        elif family in _BALANCED:
            if orientation == SAME:
                role = _flank(prev, nxt) or BOTH
            else:
                role = OPEN if (ch in "«‹") == (orientation == FR) else CLOSE
        elif ch == "“":
            role = CLOSE if low_open or _flank(prev, nxt) == CLOSE else OPEN
            low_open = False
        elif ch == "”":
            role = OPEN if _flank(prev, nxt) == OPEN else CLOSE
            low_open = False
        elif family == SD:
            role = _flank(prev, nxt)
        else:  # ‘ ’ ‚ ‛ '
            if ch == "‚":
                if prev.isalnum() and nxt.isalnum():
                    continue
                low_single_open = True
                events.append((i, SQ, OPEN))
                continue
            if prev.isalnum() and nxt.isalnum():
                continue  # don't, o’clock, Russia's
            if not prev.isalnum() and (e := _ELISION.match(text, i + 1, end)):
                if e.group(0).lower() == "n":  # rock ’n’ roll: the closing ’ is part of it too
                    skip_next_at = e.end()
                continue
            if ch in "‘‛":
                role = CLOSE if low_single_open else OPEN
                low_single_open = False
            else:
                role = _flank(prev, nxt)
                if role == BOTH:
                    continue
        if role:
            events.append((i, family, role))
    return events


def scan_paragraph(
    text: str, para: Paragraph, continuing: bool, language: str | None = None
) -> tuple[list[tuple[int, int]], bool]:
    """Quoted spans (trimmed, without their marks) of one paragraph, outermost only; `unclosed` tells
    whether a quotation ran on to the paragraph's end (it may continue in the next paragraph)."""
    events = mark_events(text, para.start, para.end, language)
    spans, unclosed, want_mix = _pair(text, events, para.start, para.end, continuing, mix=False)
    if want_mix:  # “sloppy" pairs: let a straight mark close a curly one (and vice versa)
        spans, unclosed, _ = _pair(text, events, para.start, para.end, continuing, mix=True)
    return spans, unclosed


def _next_single(events: list[Event]) -> list[int]:
    """For each event, the index of the first single-quote event after it (len(events) when none)."""
    out = [len(events)] * len(events)
    nxt = len(events)
    for k in range(len(events) - 1, -1, -1):
        out[k] = nxt
        if events[k][1] == SQ:
            nxt = k
    return out


def _pair(
    text: str, events: list[Event], start: int, end: int, continuing: bool, mix: bool
) -> tuple[list[tuple[int, int]], bool, bool]:
    """Pair marks, outermost first: (spans, ran to the paragraph's end, want a mixed second pass).

    Marks of another family inside an open quotation belong to it. A ‘ that never closes was an
    apostrophe: pairing resumes right after it, as if it were not there (the state there was empty).
    """
    spans: list[tuple[int, int]] = []
    next_single = _next_single(events)
    outer: str | None = None
    open_at = open_k = -1
    depth = 0
    other_inside = want_mix = False
    singles_from = len(events)  # no ’ closes after a stray ‘, so a later ‘ is stray as well

    def fam(k: int) -> str:
        f = events[k][1]
        return DQ if mix and f == SD else f

    k = 0
    if continuing and events and events[0][0] == start and events[0][1] != SQ and events[0][2] != CLOSE:
        outer, open_at, open_k, depth, k = fam(0), start, 0, 1, 1
    while True:
        if k >= len(events):
            if outer == SQ:  # a stray ‘: an apostrophe after all
                outer, k, singles_from = None, open_k + 1, open_k
                continue
            break
        pos, _, role = events[k]
        family = fam(k)
        k += 1
        if outer is None:
            if family == SQ and k > singles_from:
                continue
            if role == OPEN or (role == BOTH and family != SQ):
                outer, open_at, open_k, depth, other_inside = family, pos, k - 1, 1, False
            continue
        if family != outer:
            other_inside = other_inside or ({family, outer} == {DQ, SD})
            continue  # nested marks of another family belong to the outer passage
        if family in _BALANCED:
            depth += 1 if role == OPEN or (role == BOTH and depth == 0) else -1
            if depth == 0:
                spans.append((open_at + 1, pos))
                outer = None
        elif family == SQ:
            if role == CLOSE and not _possessive_before_better_close(text, events, next_single[k - 1], pos):
                spans.append((open_at + 1, pos))
                outer = None
            # an opener inside an open single quote: ignore, the pair closes at the next ’
        elif role in (CLOSE, BOTH):
            spans.append((open_at + 1, pos))
            outer = None
        else:  # a second opener: the first one was stray, or closed by a mark of the other style
            want_mix = want_mix or other_inside
            open_at, open_k, other_inside = pos, k - 1, False
    unclosed = outer is not None
    if unclosed:
        spans.append((open_at + 1, end))
        want_mix = want_mix or other_inside
    cleaned = []
    for s, e in spans:
        s, e = trim_span(text, s, e)
        if s < e:
            cleaned.append((s, e))
    ran_to_end = unclosed and bool(cleaned) and cleaned[-1][1] == trim_span(text, start, end)[1]
    return cleaned, ran_to_end, want_mix and not mix


def _possessive_before_better_close(text: str, events: list[Event], k: int, pos: int) -> bool:
    """‘the Joneses’ house’: a ’ after an s, followed by a word, yields to a later closing ’ - but
    not when another ‘ opens first (‘assumptions’ were ‘optimistic’: that ’ closed its quote).
    `k` is the index of the next single-quote event."""
    if pos == 0 or text[pos - 1].lower() != "s" or pos + 2 >= len(text):
        return False
    if not (text[pos + 1] == " " and text[pos + 2].isalpha()):
        return False
    return k < len(events) and events[k][2] == CLOSE


def closed_quote_spans(text: str, start: int, end: int, language: str | None = None) -> list[tuple[int, int]]:
    """Quoted spans of one paragraph that close inside it, as `(opening mark, closing mark)`
    positions; the sentence splitter keeps them whole (‘We won. It’s over,’ she said)."""
    spans, ran_to_end = scan_paragraph(text, Paragraph(start, end), False, language)
    if ran_to_end:
        spans = spans[:-1]
    out = []
    for s, e in spans:
        # spans are trimmed of white space: walk back out to the marks themselves
        while s > start and text[s - 1] in SPACE:
            s -= 1
        while e < end and text[e] in SPACE:
            e += 1
        if s > start and e < end:
            out.append((s - 1, e))
    return out
