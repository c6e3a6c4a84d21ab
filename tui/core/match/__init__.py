"""Find a quoted passage in a source's text and say how faithfully the article reproduces it.

Order of attempts (each on the folded text, see normalize.py):
1. exact: the quote split at ellipses (omissions) and [brackets] (editor's insertions) into pieces, each
   found in order close to the previous one -> "verbatim", similarity 1.0;
2. fuzzy, for quotes of 4+ words only: seed-and-extend. Rare quote words vote, through a word index of
   the source, for the diagonal (source token - quote token) they sit on; the best few windows are aligned
   with diff-match-patch on word tokens, the aligned run is trimmed of stray edge matches, and scored by
   Dice similarity over words (2 * matched / (quote words + passage words), words dropped by an
   ellipsis not counted). At or above SIMILARITY_THRESHOLD -> "altered", else "not_found".
   diff-match-patch's own match_main (Bitap) is limited to 32-character patterns and is not used.

Short quotes (1-3 words, typically scare quotes) are matched exactly on whole words and never fuzzily.

`match_quote` searches `Source.text` (readable main text) first, then `Source.page_text`; when the
passage was found only in the page text, `in_main_text` is False and the offsets point into
`Source.page_text`, not `Source.text`.

Modules: `index` (folded text + word index), `parse` (ellipses, brackets), `exact`, `fuzzy`, `search`
(`match_quote`, `match_across` and the result they return).
"""

from ..evidence import find_evidence
from .exact import BRACKET_MAX_GAP, ELLIPSIS_MAX_GAP, INDEXED_EXACT_MIN_CHARS, MAX_OCCURRENCES, find_exact
from .fuzzy import BRACKET_GAP_WORDS, SIMILARITY_THRESHOLD, VOTE_BUDGET, find_fuzzy
from .index import WORD_RE, SourceIndex, index_source, index_text, search_order
from .parse import SHORT_QUOTE_WORDS, ParsedQuote, Piece, parse_quote
from .search import CONTEXT_CHARS, match_across, match_quote

__all__ = [
    "BRACKET_GAP_WORDS",
    "BRACKET_MAX_GAP",
    "CONTEXT_CHARS",
    "ELLIPSIS_MAX_GAP",
    "INDEXED_EXACT_MIN_CHARS",
    "MAX_OCCURRENCES",
    "SHORT_QUOTE_WORDS",
    "SIMILARITY_THRESHOLD",
    "VOTE_BUDGET",
    "WORD_RE",
    "ParsedQuote",
    "Piece",
    "SourceIndex",
    "find_evidence",
    "find_exact",
    "find_fuzzy",
    "index_source",
    "index_text",
    "match_across",
    "match_quote",
    "parse_quote",
    "search_order",
]
