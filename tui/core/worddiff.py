"""Word-level diff between a source passage and the article's version of it (character-level in
scripts written without spaces: Japanese, Chinese, Thai).

Character diffs of prose are unreadable ("c" deleted, "ld" inserted); a reader wants whole words. Each
distinct token is mapped to one private character (diff-match-patch's "lines to chars" trick applied to
words), diffed, cleaned up semantically and mapped back. Tokens compare by their *folded* form, so a curly
vs straight quote or a case change is not reported as a change; equal runs carry the source's spelling.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from .normalize import NO_SPACE_SCRIPTS, QUOTE_MARKS, fold_text

# an editor's [insertion] whole; one character of a script without spaces (a character diff there); a
# word (keeping contractions and numbers like 1,000 or 3.5 whole, and quote marks stuck to it: they fold
# away, so “word and word compare equal); a whitespace run; one other char
_Q = re.escape(QUOTE_MARKS)
_W = rf"[^\W{NO_SPACE_SCRIPTS}]"
TOKEN_RE = re.compile(rf"\[[^\[\]\n]*\]|[{NO_SPACE_SCRIPTS}]|[{_Q}]*{_W}+(?:['’.,]{_W}+)*[{_Q}]*|\s+|[^\w\s]")

_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0.5


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def _key(token: str) -> str:
    return " " if token.isspace() else fold_text(token)


def _encode(tokens: list[str], table: dict[str, str]) -> str:
    out = []
    for tok in tokens:
        key = _key(tok)
        ch = table.get(key)
        if ch is None:
            n = len(table) + 0x100
            if n >= 0xD800:  # skip the surrogate block
                n += 0x800
            ch = chr(n)
            table[key] = ch
        out.append(ch)
    return "".join(out)


def word_diff(source_passage: str, quote: str) -> tuple[tuple[int, str], ...]:
    """Ops (-1 only in source, 1 only in article, 0 both) over word tokens, semantically cleaned."""
    src_tokens = tokenize(source_passage)
    q_tokens = tokenize(quote)
    table: dict[str, str] = {}
    a = _encode(src_tokens, table)
    b = _encode(q_tokens, table)
    diffs = _DMP.diff_main(a, b, False)
    _DMP.diff_cleanupSemantic(diffs)
    out: list[tuple[int, str]] = []
    i = j = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 0:
            text = "".join(src_tokens[i : i + n])
            i += n
            j += n
        elif op == -1:
            text = "".join(src_tokens[i : i + n])
            i += n
        else:
            text = "".join(q_tokens[j : j + n])
            j += n
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return tuple(out)
