"""The reporting-verb lexicon and the one finder of who speaks a passage and with which verb.

- `data/reporting_verbs.tsv`: the reporting verbs of every language the article side reads, each with its
  tone (neutral | loaded), lemma, whether it can be a noun, its scope (beside a quotation only, or also a
  claim's verb) and where its speaker stands; `data/speakers.tsv`: the words that tell a speaker phrase
  (pronouns, determiners, titles...). Each file states its source and licence.
- `find_attribution` (finder.py): the verb that introduces a passage and the speaker phrase it governs.
  The article side credits each quotation with it (`Quote.cue`, `Quote.speaker`); the framing cues read
  those, and use the same finder for what the article side does not read (a source's quotations, a claim
  sentence's verb: `verbs_in`).

Below both `tui.core.attribution` and `tui.core.framing`; imports neither.
"""

from __future__ import annotations

from .finder import Attribution, find_attribution, opening_phrase, passage_marks
from .verbs import CLAIM_SCOPES, QUOTATION_SCOPES, Verb, reporting_verbs, verb_at, verb_of, verbs_in
from .words import speaker_words

__all__ = [
    "CLAIM_SCOPES",
    "QUOTATION_SCOPES",
    "Attribution",
    "Verb",
    "find_attribution",
    "opening_phrase",
    "passage_marks",
    "reporting_verbs",
    "speaker_words",
    "verb_at",
    "verb_of",
    "verbs_in",
]
