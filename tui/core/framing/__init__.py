"""Framing cues: the words around a quotation or a claim that shape how a reader takes it.

Cues, not verdicts: each one points at words (the article's or the source's) and leaves the judgement to
the person checking. Six kinds (the report's item shapes are in docs/report-format.md):

- attribution_verb: the verb introducing a quote or a linked claim, neutral ("said") or loaded
  ("confided", "admitted", "claimed"), from the shared lexicon (tui/core/lexicon: the article side's
  `Quote.cue`, read here; the same list and finder for a claim's verb and a source's speakers);
- evaluative_wording: words framing a source or its content ("a misleading report", "so-called");
- scare_quote: one to four quoted words, and whether the source uses them;
- speaker: who says the matched words in the source against whom the article credits;
- hedge_dropped: a hedge of the source ("may", "about", "reportedly") the article's version lacks;
- context: the source's next words turn against the passage ("But…", "…unless…").

The pipeline builds one `ArticleFraming` per article (framer.py) and stores the cues on its records
(`Quote.framing`, `QuoteMatch.framing`, `LinkOutcome.framing`); the report, the export and the reader
read them from there. Word lists are data files in `data/`, each stating its source and licence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models import FramingCue
from .framer import ArticleFraming

__all__ = ["ArticleFraming", "cue_json", "describe", "has_cues", "notable"]

_KEYS: dict[str, tuple[str, ...]] = {
    "attribution_verb": ("text", "article_start", "article_end", "tone"),
    "evaluative_wording": ("text", "article_start", "article_end"),
    "scare_quote": ("text", "in_source"),
    "speaker": ("article_speaker", "source_speaker", "mismatch"),
    "hedge_dropped": ("text",),
    "context": ("text", "relation"),
}


def cue_json(cue: FramingCue) -> dict[str, Any]:
    """The report's item for one cue: {"cue": kind, ...the keys of that kind} (docs/report-format.md)."""
    item: dict[str, Any] = {"cue": cue.cue}
    for key in _KEYS[cue.cue]:  # a plain loop: a long article's report makes hundreds of thousands
        item[key] = getattr(cue, key)
    return item


def notable(cues: Sequence[dict[str, Any] | FramingCue]) -> list[dict[str, Any]]:
    """The cues worth a look, as report items. A neutral verb, a scare quote the source uses and a
    speaker the source agrees on are shown in full views but are not cues to act on."""
    out = []
    for c in cues:
        item = cue_json(c) if isinstance(c, FramingCue) else c
        kind = item.get("cue")
        if kind == "attribution_verb" and item.get("tone") == "neutral":
            continue
        if kind == "scare_quote" and item.get("in_source") is True:
            continue
        if kind == "speaker" and not item.get("mismatch"):
            continue
        out.append(item)
    return out


def has_cues(cues: Sequence[dict[str, Any] | FramingCue]) -> bool:
    """Does this list hold a cue worth a look (see `notable`)?"""
    return bool(notable(cues))


def describe(item: dict[str, Any]) -> str:
    """One short line for people (reader, Markdown export, text report) from a report item."""
    kind = item.get("cue")
    text = item.get("text") or ""
    if kind == "attribution_verb":
        return f"verb “{text}” ({item.get('tone')})"
    if kind == "evaluative_wording":
        return f"wording “{text}”"
    if kind == "scare_quote":
        where = {True: "the source uses them", False: "NOT in the source", None: "source not checked"}
        return f"scare quote “{text}”: {where[item.get('in_source')]}"
    if kind == "speaker":
        article = item.get("article_speaker") or "no one named"
        source = item.get("source_speaker") or "?"
        if item.get("mismatch"):
            return f"SPEAKER MISMATCH: article credits {article}, source has {source}"
        return f"speaker: article credits {article}, source has {source}"
    if kind == "hedge_dropped":
        return f"hedge dropped: source says “{text}”"
    if kind == "context":
        word = "contrast" if item.get("relation") == "contrast" else "condition"
        return f"source goes on ({word}): “{text}”"
    return str(kind)
