"""Reference markers: a note's number or letter shown in the text, not words of the sentence it sits in.

A marker is a short label (`4`, `a`, `iv`, `*`, `†`), a list or a range of them (`1,2`, `3–5`), in brackets,
in parentheses or bare, that either links to a note in the page (`<sup><a href="#n1">1</a></sup>`,
Pandoc's `<a class="footnote-ref" href="#fn1"><sup>1</sup></a>`, Substack's `<a class="footnote-anchor"
href="#footnote-1">1</a>`) or sits glued to a word (`unsafe[3]`, `unsafe<sup>1, 2</sup>`). Editorial tags in
brackets (`[citation needed]`, `[edit]`) and elements with a reference class count too. `m<sup>2</sup>`,
`1<sup>st</sup>`, "Article 3", "see [3]" and "[sic]" are text.

`is_reference_marker` (an element) is decided once per page by `tree.PageTree`; `bare_markers` finds the
markers written as plain text (no element of their own) in a finished text, so its offsets are exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["MARKER_TAGS", "bare_markers", "is_reference_marker", "marker_by_text", "marker_candidate"]

MARKER_TAGS = frozenset({"sup", "span", "a", "i", "small"})
_BRACKETED = re.compile(r"^\s*\[[^\[\]]{1,40}\]\s*$")  # [4], [a], [note 2], [citation needed], [edit]
_MARKER_CLASS = re.compile(
    r"\b(reference|mw-ref|mw-editsection|noprint|footnote[\w-]*|fn-?ref|fnref|noteref|citation-needed)\b"
)
_NOTE_ROLES = ("doc-noteref", "doc-biblioref")
_SEP = r"\s*(?:[,;]|[-‐‑‒–—])\s*"  # a list (1,2) or a range (3–5)
_LABEL = r"(?:\d{1,3}[a-z]?|[a-zA-Z]|[ivxlcIVXLC]{1,5}|[*†‡§¶]{1,3})"  # 4, 12a, a, iv, *
_LIST = rf"{_LABEL}(?:{_SEP}{_LABEL})*"
_ENCLOSED = rf"(?:\[\s*{_LIST}\s*\]|\(\s*{_LIST}\s*\))"
_ELEMENT_MARK = re.compile(rf"\s*(?:{_ENCLOSED}(?:\s*,?\s*{_ENCLOSED})*|{_LIST})\s*")
_SHORT_MARK = re.compile(r"^\s*[\w*†‡§¶]{1,4}\s*$")  # any short text of a superscript note link
_LIST_OR_ENCLOSED = re.compile(r"[,;\-‐‑‒–—(\[]")
_SINGLE = re.compile(r"\s*(?:\d{1,3}|[a-z])\s*")
# Plain text: a number or a letter in brackets glued to the word or punctuation before it, a list or a
# range of them, one or several: "unsafe[3]", "closure.[3, 4]", "traffic[3–5][a]"
_BARE_LABEL = r"(?:\d{1,3}|[a-zA-Z]|[ivx]{2,4})"
_BARE = re.compile(rf"(?<=[\w.,;:!?\"'”’)])(?:\[\s*{_BARE_LABEL}(?:{_SEP}{_BARE_LABEL})*\s*\])+(?![^\W_])")
# Unicode superscript digits glued to a word, a list or a range of them ("unsafe¹", "closure.²⁻⁴")
_SUP_DIGITS = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079"
_SUPERSCRIPT = re.compile(rf"[{_SUP_DIGITS}]{{1,3}}(?:[,\u207b‒–—-][{_SUP_DIGITS}]{{1,3}})*(?![^\W_])")
# What a bare superscript number follows when it is a note, not an exponent: a word of four letters or
# more, or a closing punctuation mark ("unsafe¹", "closure.¹"; not "m²", "10⁶", "mc²")
_NOTE_BEFORE = re.compile(r"(?:[^\W\d_]{4,}|[.,;:!?\"'”’)])$")
_SUPERSCRIPT_HINT = re.compile(f"[{_SUP_DIGITS}]")
# What a link to a note is glued to: a word or a closing punctuation mark, not a table of contents' dot leader
_GLUED = re.compile(r"(?:[^\W_]|(?<![.…])[.,;:!?\"'”’)])$")


def is_reference_marker(el) -> bool:
    """A footnote reference or an editorial tag (an lxml element), not words of the sentence it sits in:
    see the module's docstring for the rule."""
    return marker_candidate(el) and marker_by_text(el)


def marker_candidate(el) -> bool:
    """The cheap part of `is_reference_marker` (independent of white space): most links and spans fail it."""
    tag = el.tag
    if tag == "sup":
        return True
    if tag == "a" and len(el.get("href") or "") > 1 and el.get("href")[0] == "#":
        return True
    return (
        _starts_bracket(el)
        or bool(_MARKER_CLASS.search(el.get("class") or ""))
        or (el.get("role") or "") in _NOTE_ROLES
    )


def marker_by_text(el) -> bool:
    """The rest of `is_reference_marker`: what the element's text and its place say."""
    text = el.text_content()
    if len(text) > 48 or not text.strip():
        return False
    if _BRACKETED.match(text):
        return True
    tag = el.tag
    classed = bool(_MARKER_CLASS.search(el.get("class") or "")) or (el.get("role") or "") in _NOTE_ROLES
    linked = tag == "sup" and any(_in_page_link(a) for a in el.iter("a"))
    if linked and _SHORT_MARK.match(text):
        return True
    if _ELEMENT_MARK.fullmatch(text):
        if classed:
            return True
        if tag == "sup":
            if linked or _in_page_link(el.getparent()):
                return True
            if _LIST_OR_ENCLOSED.search(text):
                return True  # "1, 2", "(1)", "3–5": a list, a range or an enclosed label is no exponent
            return bool(_SINGLE.fullmatch(text)) and bool(_NOTE_BEFORE.search(_text_before(el)))
        if tag == "a" and _in_page_link(el):
            if el.find(".//sup") is not None or _sup_parent(el):
                return True
            return bool(_GLUED.search(_text_before(el)))
    return tag in ("sup", "span") and classed


def _in_page_link(el) -> bool:
    if el is None:
        return False
    href = el.get("href") or ""
    return el.tag == "a" and len(href) > 1 and href[0] == "#"


def _sup_parent(el) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag == "sup"


def _text_before(el) -> str:
    """The end of the text written just before an element, in its parent (up to 40 characters)."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str) and not prev.tail:
        prev = prev.getprevious()  # comments and processing instructions without text
    if prev is None:
        parent = el.getparent()
        return (parent.text or "")[-40:] if parent is not None else ""
    if prev.tail:
        return prev.tail[-40:]
    if prev.tag in ("br", "p", "div", "li", "td", "th", "tr"):
        return ""
    return prev.text_content()[-40:]


def _starts_bracket(el) -> bool:
    """The element's text begins with "[" (in itself or its first child: `<span><span>[</span>...`)."""
    first = el.text
    if not (first or "").strip() and len(el):
        first = el[0].text
    return (first or "").lstrip().startswith("[")


def bare_markers(
    text: str, skipped: tuple[tuple[int, int], ...], keep: tuple[tuple[int, int], ...] = ()
) -> tuple[tuple[int, int], ...]:
    """`skipped` (sorted [start, end) spans into `text`) with the markers written as plain text added
    ("unsafe[3]", "[3, 4]", "[3–5]", "[a]" glued to a word; Unicode superscript digits after a word of four
    letters or more or a closing punctuation mark, "unsafe¹" but not "m²"), merged where they touch.
    `keep`: sorted spans where brackets are the text's own (code)."""
    found = [m.span() for m in _BARE.finditer(text)] if "[" in text else []
    if _SUPERSCRIPT_HINT.search(text):
        found += [
            m.span()
            for m in _SUPERSCRIPT.finditer(text)
            if _NOTE_BEFORE.search(text, max(0, m.start() - 40), m.start())
        ]
    starts = [s for s, _ in keep]
    found = [(a, b) for a, b in found if (k := bisect_right(starts, a) - 1) < 0 or a >= keep[k][1]]
    if not found:
        return skipped
    out: list[tuple[int, int]] = []
    for start, end in sorted((*skipped, *found)):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
