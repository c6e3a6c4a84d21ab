"""The framing cues' own word lists, read from the package's data files (`tui/core/framing/data/*.tsv`):
evaluative wording, hedges and context markers. Each file states its source and licence in its header;
forms are matched as `tui.core.lexicon.words` describes. Reporting verbs and speaker words are the shared
lexicon's (`tui/core/lexicon/data/`), used by the article side too.
"""

from __future__ import annotations

from functools import cache

from ..lexicon.words import Lexicon, entries


@cache
def evaluative_words() -> Lexicon:
    """No further columns."""
    return Lexicon(entries(__package__, "evaluative.tsv", 1))


@cache
def hedges() -> Lexicon:
    """Columns: (group, needs)."""
    return Lexicon(entries(__package__, "hedges.tsv", 3))


@cache
def turns() -> Lexicon:
    """Columns: (relation, where)."""
    return Lexicon(entries(__package__, "context_markers.tsv", 3))
