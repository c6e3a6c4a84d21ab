"""Text a page's own stylesheet hides from its reader: classes and ids that its `<style>` blocks set to
`display: none`, `visibility: hidden`, or the "visually hidden" pattern (a 1px box clipped away, or pushed
far off screen) that sites use for screen-reader helper text ("opens in a new window", "Advertisement").

Only what is certain is used: simple selectors (`.name`, `tag.name`, `#name`, in a comma list) in rules
outside `@media` blocks (a rule inside `@media print` or a breakpoint hides text only sometimes). Inline
styles and the `hidden` attribute are the walker's own rule (`walker.is_hidden`).
"""

from __future__ import annotations

import re

import lxml.html

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_BRACE = re.compile(r"[{}]")
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
_SIMPLE = re.compile(r"^(?:[a-zA-Z][\w-]*)?([.#])(-?[_a-zA-Z][\w-]*)$")
_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CLIPPED = re.compile(r"clip\s*:\s*rect\(\s*(?:0|1px)[\s,]|clip-path\s*:\s*inset\(\s*50%", re.IGNORECASE)
_ONE_PIXEL = re.compile(r"(?:^|[;\s])(?:width|height)\s*:\s*(?:0|1px)\b", re.IGNORECASE)
_OFF_SCREEN = re.compile(r"(?:left|top|text-indent)\s*:\s*-\d{4,}(?:px|em)?", re.IGNORECASE)


def _without_at_blocks(css: str) -> str:
    """The stylesheet with every @-block (@media, @supports, @font-face ...) removed, braces balanced."""
    out, i = [], 0
    while True:
        at = css.find("@", i)
        if at < 0:
            out.append(css[i:])
            return "".join(out)
        out.append(css[i:at])
        brace, semi = css.find("{", at), css.find(";", at)
        if brace < 0 or (0 <= semi < brace):  # @import ...; @charset ...;
            i = semi + 1 if semi >= 0 else len(css)
            continue
        depth, i = 0, len(css)  # an unclosed block runs to the end
        for m in _BRACE.finditer(css, brace):
            depth += 1 if m.group() == "{" else -1
            if depth == 0:
                i = m.end()
                break


def _hides(declarations: str) -> bool:
    low = declarations.lower()  # each pattern needs its key word: most rules are tested by `in` alone
    if ("none" in low or "hidden" in low) and _NONE.search(declarations):
        return True
    if "clip" in low and _CLIPPED.search(declarations) and _ONE_PIXEL.search(declarations):
        return True
    return "absolute" in low and bool(_OFF_SCREEN.search(declarations))


def hidden_selectors(root: lxml.html.HtmlElement) -> tuple[frozenset[str], frozenset[str]]:
    """(classes, ids) the page's own `<style>` blocks hide from a sighted reader."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        media = (style.get("media") or "all").lower()
        if "print" in media and "screen" not in media:
            continue
        css = _without_at_blocks(_COMMENT.sub(" ", style.text or ""))
        for m in _RULE.finditer(css):
            if not _hides(m.group(2)):
                continue
            for selector in m.group(1).split(","):
                simple = _SIMPLE.match(selector.strip())
                if simple:
                    (classes if simple.group(1) == "." else ids).add(simple.group(2))
    return frozenset(classes), frozenset(ids)


def stylesheet_hidden(root: lxml.html.HtmlElement) -> tuple[frozenset[str], frozenset[str]] | None:
    """The (classes, ids) the page's own stylesheet hides, or None when it hides none: what `PageTree`,
    `Walker` and `main_text` take as `hidden`."""
    classes, ids = hidden_selectors(root)
    return (classes, ids) if classes or ids else None
