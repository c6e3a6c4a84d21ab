"""Who says a passage in a source: the person a quotation in the source is attributed to ("“…,” said
Councillor Bell"), else the speaker label of a transcript line ("REYES:", "Q:", "HOST (DANA OKAFOR):").
A passage in the source's own narration has no speaker here (the publisher speaks; nothing to compare).
"""

from __future__ import annotations

import re

from ..lexicon import Attribution, find_attribution
from ..lexicon.words import speaker_words
from . import passages, speakers
from .speakers import Who

TRANSCRIPT_LABELS = 3  # title-case labels ("Dana Okafor:") count only in a text with this many labels
_LABEL = re.compile(r"[ \t]*(?P<label>[^\W\d_][^\n:：\d]{0,44}?)[ \t]*[:：][ \t]")
_JOINERS = frozenset({"of", "and", "&", "for", "at", "the"})  # "The Minister for Floods (Alan Whitlow)"
_EDGE = 4  # characters a match may reach past a quotation's marks and still be inside it


def label_at(text: str, line_start: int, *, transcript: bool) -> str | None:
    """The speaker label opening the line at `line_start`, as printed, or None."""
    m = _LABEL.match(text, line_start, min(len(text), line_start + 60))
    if not m:
        return None
    label = m.group("label").strip()
    bare = re.sub(r"\([^)]*\)", "", label).strip()
    name, _, role = bare.partition(",")  # "Priya Anand, Chief Financial Officer"
    words, role_words = name.split(), role.split()
    if not 1 <= len(words) <= 4 or len(role_words) > 5:
        return None
    if bare.casefold() in speaker_words()["not_a_label"]:
        return None
    if not words[0][0].isupper() or not all(w[0].isupper() or w in _JOINERS for w in words + role_words):
        return None
    if bare.upper() == bare or transcript:
        return label
    return None


def _is_transcript(text: str, pos: int) -> bool:
    lo = max(0, pos - passages.WINDOW_CHARS)
    hi = min(len(text), pos + passages.WINDOW_CHARS)
    n = 0
    for m in re.finditer(r"(?:^|\n)", text[lo:hi]):
        start = lo + m.end()
        if label_at(text, start, transcript=True) is not None:
            n += 1
            if n >= TRANSCRIPT_LABELS:
                return True
    return False


def transcript_speaker(text: str, pos: int) -> str | None:
    """The label of the transcript turn holding `pos`: its own line's, or the nearest line above."""
    transcript = _is_transcript(text, pos)
    start = passages.line_start(text, pos)
    label = label_at(text, start, transcript=transcript)
    if label is not None or not transcript:
        return label
    lo = max(0, pos - passages.WINDOW_CHARS)
    while start > lo:
        start = passages.line_start(text, start - 1)
        label = label_at(text, start, transcript=True)
        if label is not None:
            return label
    return None


def quoted_speaker(text: str, start: int, end: int) -> Who | None:
    """When `text[start:end]` lies inside a quotation of the source, the person it is attributed to."""
    para = passages.paragraph_around(text, start, end)
    quoted = passages.quotations_in(text, para)
    inside = [q for q in quoted if q[0] - _EDGE <= start and end <= q[1] + _EDGE]
    if not inside:
        return None
    spans = passages.sentences_in(text, para)
    k = quoted.index(inside[0])
    for q in reversed(quoted[: k + 1]):  # “A,” she said. “B.” - B is hers too
        i = passages.sentence_at(spans, q[0])
        if i is None:
            continue
        att = find_attribution(text, q[0], q[1], (spans[i].start, spans[i].end), quoted)
        if att is not None and att.speaker:
            return _who(text, att)
    return None


def reported_speaker(text: str, start: int, end: int) -> Who | None:
    """ "…, union representative Colm Farrelly said": the passage is reported speech in its sentence."""
    para = passages.paragraph_around(text, start, end)
    spans = passages.sentences_in(text, para)
    i = passages.sentence_at(spans, start)
    if i is None:
        return None
    sentence = (spans[i].start, max(spans[i].end, end))
    att = find_attribution(text, start, end, sentence, passages.quotations_in(text, para))
    if att is None or not att.speaker:
        return None
    return _who(text, att)


def _who(text: str, att: Attribution) -> Who | None:
    """The speaker of an attribution in the source; one the source keeps unnamed ("one headteacher, who
    asked not to be named") is anonymous."""
    who = speakers.resolve(text, att.speaker or "", att.speaker_start)
    if who is not None and speakers.kept_anonymous(text, att.speaker_start, att.speaker_end):
        return Who("anonymous", who.text, None, who.roles)
    return who


def source_speaker(text: str, start: int, end: int) -> Who | None:
    """Who says `text[start:end]` in the source, or None when the source does not say: a quotation's
    speaker, else the speaker of reported speech around it, else a transcript's label. A group credited
    inside a transcript's turn ("INTERVIEWER: Campaigners say …") gives the turn's label: a group cannot
    be compared with anyone (speakers.mismatch), the person voicing its words can."""
    who = quoted_speaker(text, start, end) or reported_speaker(text, start, end)
    if who is not None and who.kind != "group":
        return who
    label = transcript_speaker(text, start)
    return (speakers.classify(label) if label else None) or who
