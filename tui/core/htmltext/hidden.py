"""Text a page's own stylesheet hides from its reader: elements that its `<style>` blocks (or their own
`style=` attribute) set to `display: none`, `visibility: hidden`, or the "visually hidden" pattern sites use
for screen-reader helper text ("opens in a new window", "Advertisement"): a box clipped to nothing
(`clip: rect(0 0 0 0)` in any spelling, `clip-path: inset(50%)`), a 1px box whose overflow is hidden, or
text pushed far off screen.

Which rules count, as a desktop browser shows the page (a sighted reader's view):
- a rule's selectors are read by cssselect (lxml's selector library). Each selector counts by its last
  compound (`.a .b > span.sr-only` hides `span.sr-only` elements, whatever comes before it: the ancestors
  are layout and script state this reader cannot evaluate), when that compound names a class or an id
  (`.x`, `tag.x`, `#x`, `.x.y`, `.x:not(.y)`);
- a rule that hides an element until it is focused, hovered or targeted (`.x:not(:focus)`, Bootstrap's
  `:not(:focus):not(:focus-within)`) hides it at rest; a rule for a state (`.x:hover`) or a pseudo-element
  (`.x::before`) does not;
- rules inside `@media` apply when the media query holds on a screen `SCREEN_WIDTH_PX` wide (`screen`,
  `all`, `(min-width: 768px)`); `print` and `speech` never hold, nor does a feature this reader cannot
  evaluate. `@supports` and `@layer` blocks apply; other @-blocks (fonts, keyframes) hold no such rules.

Not read: external stylesheets, the cascade (a later rule that shows the element again), attribute
selectors. `declarations_hide` is the one rule for a declaration block, in a stylesheet or inline.

A full CSS parser (tinycss2) was measured against the scanner below on the largest corpus stylesheet
(breitbart.html, 531 KB inline): 158 ms to tokenize against 6.5 ms for the whole scan here, more than the
page's whole extraction. The scanner only finds rule blocks; the selectors of the few rules that hide are
parsed by cssselect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cssselect
import lxml.html
from cssselect.parser import Class, CombinedSelector, Element, Hash, Negation, Pseudo

__all__ = ["SCREEN_WIDTH_PX", "HiddenRules", "declarations_hide", "media_applies", "stylesheet_hidden"]

# The window the page is read in: a common desktop width (what a reader checking a quotation uses).
SCREEN_WIDTH_PX = 1280
_EM_PX = 16  # the browsers' default font size, for em/rem lengths
_MAX_AT_DEPTH = 16  # nested @-blocks deeper than this are dropped (hostile pages)

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_BRACE = re.compile(r"[{}]")
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
_AT_NAME = re.compile(r"@(-?[\w-]+)")
_LENGTH = re.compile(r"(-?\d*\.?\d+)(px|em|rem)?")
_PERCENT = re.compile(r"(\d*\.?\d+)%")
_HINTS = ("none", "hidden", "collapse", "clip", "absolute", "fixed", "text-indent")
# Pseudo-classes a rule may exclude and still hold at rest: `:not(:focus)` hides until focused
_AT_REST = frozenset({"focus", "focus-within", "focus-visible", "active", "hover", "target"})
_REST_STATE = ":(?:" + "|".join(sorted(_AT_REST)) + ")"
_AT_REST_NOT = re.compile(rf":not\(\s*{_REST_STATE}(?:\s*,\s*{_REST_STATE})*\s*\)", re.IGNORECASE)
_WRAPPING_AT = frozenset({"media", "supports", "layer"})
_NEVER_MEDIA = frozenset({"print", "speech", "aural", "braille", "embossed", "handheld", "tty", "tv"})
_FEATURE = re.compile(r"\(([^()]*)\)")
_RANGE = re.compile(r"width\s*(>=|<=|>|<)\s*(\S+)")
_IMPORTANT = re.compile(r"!\s*important")


# --- @-blocks and media queries ------------------------------------------------------------------


def media_applies(media: str) -> bool:
    """Whether a media query list (`screen and (min-width: 768px), print`) holds on a desktop screen
    `SCREEN_WIDTH_PX` wide. Media Queries Level 4: a comma list holds when one query does; `not` negates
    one query; an empty list is `all`. A feature other than width, orientation or hover never holds."""
    queries = [q.strip().lower() for q in media.split(",")]
    return not any(queries) or any(_query_holds(q) for q in queries if q)


def _query_holds(query: str) -> bool:
    negated = query.startswith("not ")
    query = query.removeprefix("not ").removeprefix("only ").strip()
    kind = query.split("(", 1)[0].split(" and")[0].strip()
    if kind in _NEVER_MEDIA:
        holds = False
    elif kind not in ("", "all", "screen"):
        return False  # an unknown media type: neither it nor its negation is trusted
    else:
        holds = all(_feature_holds(feature.strip()) for feature in _FEATURE.findall(query))
    return holds != negated


def _feature_holds(feature: str) -> bool:
    """One `(name: value)` or `(width >= 600px)` media feature, on the desktop screen."""
    ranged = _RANGE.fullmatch(feature)
    if ranged:
        px = _px(ranged.group(2))
        op = ranged.group(1)
        return px is not None and (px <= SCREEN_WIDTH_PX if ">" in op else px >= SCREEN_WIDTH_PX)
    name, _, value = (part.strip() for part in feature.partition(":"))
    if name in ("min-width", "max-width"):
        px = _px(value)
        if px is None:
            return False
        return px <= SCREEN_WIDTH_PX if name == "min-width" else px >= SCREEN_WIDTH_PX
    if name == "orientation":
        return value == "landscape"
    if name in ("hover", "pointer", "any-hover", "any-pointer"):
        return value in ("", "hover", "fine")
    return name == "color" and not value


def _applicable_css(css: str, depth: int = 0) -> str:
    """The stylesheet with each @-block that applies on screen (`@media` whose query holds, `@supports`,
    `@layer`) replaced by its content, and every other @-block or @-statement removed, braces balanced."""
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
        depth_now, i = 0, len(css)  # an unclosed block runs to the end
        for m in _BRACE.finditer(css, brace):
            depth_now += 1 if m.group() == "{" else -1
            if depth_now == 0:
                i = m.end()
                break
        name = _AT_NAME.match(css, at)
        keyword = name.group(1).lower() if name else ""
        applies = keyword in _WRAPPING_AT and (keyword != "media" or media_applies(css[name.end() : brace]))
        if applies and depth < _MAX_AT_DEPTH:
            inner = css[brace + 1 : i - 1] if depth_now == 0 else css[brace + 1 :]
            out.append(_applicable_css(inner, depth + 1))


# --- declarations ----------------------------------------------------------------------------------


def declarations_hide(declarations: str) -> bool:
    """Whether a declaration block (a rule's body, or a `style=` attribute) hides its element's text from a
    sighted reader: `display: none`, `visibility: hidden|collapse`, a clip to a box at most 1px on a side
    (`clip: rect(...)` in any spelling and unit, `clip-path: inset(50%)` or more), a box at most 1px wide and
    high with its overflow hidden, or text moved 999px or more off screen (`position: absolute|fixed` with a
    far negative left/top/right, or a far negative `text-indent`). `!important` is ignored."""
    low = declarations.lower()
    if not any(hint in low for hint in _HINTS):  # most blocks: no declaration that can hide
        return False
    props: dict[str, str] = {}
    for part in low.split(";"):
        prop, _, value = part.partition(":")
        props[prop.strip()] = _IMPORTANT.sub("", value).strip()
    if props.get("display") == "none" or props.get("visibility") in ("hidden", "collapse"):
        return True
    if _clipped(props.get("clip", "")) or _clip_path_hides(props.get("clip-path", "")):
        return True
    overflow = props.get("overflow", "")
    if overflow in ("hidden", "clip") and all(
        _at_most_1px(props.get(side, "")) for side in ("width", "height")
    ):
        return True
    far = -999
    if props.get("position") in ("absolute", "fixed") and any(
        (_px(props.get(side, "")) or 0) <= far for side in ("left", "top", "right")
    ):
        return True
    return (_px(props.get("text-indent", "")) or 0) <= far


def _px(value: str) -> float | None:
    m = _LENGTH.fullmatch(value.strip())
    if not m or (m.group(2) is None and float(m.group(1)) != 0):
        return None  # a unitless length other than 0 is no length
    return float(m.group(1)) * (1 if m.group(2) in (None, "px") else _EM_PX)


def _at_most_1px(value: str) -> bool:
    px = _px(value)
    return px is not None and px <= 1


def _clipped(value: str) -> bool:
    """`rect(top, right, bottom, left)` (commas or spaces) leaving a box at most 1px high or wide."""
    if not value.startswith("rect(") or not value.endswith(")"):
        return False
    edges = [_px(v) for v in re.split(r"[\s,]+", value[5:-1].strip())]
    if len(edges) != 4:
        return False
    top, right, bottom, left = edges
    if top is not None and bottom is not None and bottom - top <= 1:
        return True
    return right is not None and left is not None and right - left <= 1


def _clip_path_hides(value: str) -> bool:
    if value.startswith("inset("):
        m = _PERCENT.match(value, 6)
        return bool(m) and float(m.group(1)) >= 50
    if value.startswith("circle("):
        return _at_most_1px(value[7:].split(")")[0].split(" at ")[0])
    return False


# --- selectors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compound:
    """The last compound of a selector: what an element must be for the rule to hide it."""

    tag: str | None
    classes: frozenset[str]
    id: str | None
    not_classes: frozenset[str]

    def matches(self, tag: str, classes: set[str], ident: str | None) -> bool:
        return (
            (self.tag is None or self.tag == tag)
            and (self.id is None or self.id == ident)
            and self.classes <= classes
            and self.not_classes.isdisjoint(classes)
        )


def _compound(tree) -> _Compound | None:
    """The last compound of a parsed selector, or None when it is not one this reader evaluates."""
    node = tree.subselector if isinstance(tree, CombinedSelector) else tree
    classes: set[str] = set()
    not_classes: set[str] = set()
    ident = None
    while not isinstance(node, Element):
        if isinstance(node, Class):
            classes.add(node.class_name)
        elif isinstance(node, Hash):
            ident = node.id
        elif isinstance(node, Negation):
            sub = node.subselector
            if isinstance(sub, Pseudo) and sub.ident.lower() in _AT_REST:
                pass  # hidden until focused or hovered: hidden at rest
            elif (
                isinstance(sub, Class) and isinstance(sub.selector, Element) and sub.selector.element is None
            ):
                not_classes.add(sub.class_name)
            else:
                return None
        else:  # a state or structural pseudo-class, an attribute, a function: not evaluated
            return None
        node = node.selector
    if not classes and ident is None:
        return None  # a bare tag (`.x p`) is too broad to trust
    tag = node.element.lower() if node.element not in (None, "*") else None
    return _Compound(tag, frozenset(classes), ident, frozenset(not_classes))


def _selectors(group: str) -> list:
    """cssselect's parse of a selector list. A list it refuses is read one selector at a time, and a
    selector it refuses by its last compound alone, with the at-rest exclusions it cannot read
    (`:not(:focus, :focus-within)`, a list inside `:not`) left out."""
    try:
        return cssselect.parse(group)
    except (cssselect.SelectorError, RecursionError, ValueError):
        pass
    parsed = []
    for piece in _top_level(group, ","):
        for attempt in (piece, _AT_REST_NOT.sub("", _top_level(piece, " >+~")[-1])):
            try:
                parsed.extend(cssselect.parse(attempt))
                break
            except (cssselect.SelectorError, RecursionError, ValueError):
                continue
    return parsed


def _top_level(selector: str, separators: str) -> list[str]:
    """`selector` split at the `separators` that are outside parentheses and brackets (empty parts
    dropped; never an empty list)."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(selector):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(selector[start:k])
            start = k + 1
    parts.append(selector[start:])
    return [p.strip() for p in parts if p.strip()] or [""]


class HiddenRules:
    """The compounds a page's stylesheet hides, looked up by an element's classes and id."""

    def __init__(self, compounds: set[_Compound]) -> None:
        by_class: dict[str, list[_Compound]] = {}
        by_id: dict[str, list[_Compound]] = {}
        for c in compounds:  # keyed by the id when there is one (rarer), else by one of its classes
            if c.id is not None:
                by_id.setdefault(c.id, []).append(c)
            else:
                by_class.setdefault(min(c.classes), []).append(c)
        self._by_class = by_class
        self._by_id = by_id
        self.classes = frozenset(by_class)
        self.ids = frozenset(by_id)

    def hides(self, tag: str, attrs) -> bool:
        """Whether an element (lower-case tag, attribute mapping) is hidden by one of the rules."""
        ident = attrs.get("id")
        names = attrs.get("class")
        classes = set(names.split()) if names else set()
        if ident in self._by_id and any(c.matches(tag, classes, ident) for c in self._by_id[ident]):
            return True
        if not classes or self.classes.isdisjoint(classes):
            return False
        return any(
            c.matches(tag, classes, ident) for name in classes & self.classes for c in self._by_class[name]
        )

    def __bool__(self) -> bool:
        return bool(self._by_class or self._by_id)


def stylesheet_hidden(root: lxml.html.HtmlElement) -> HiddenRules | None:
    """What the page's own `<style>` blocks hide from a sighted reader (None when they hide nothing): what
    `PageTree`, `Walker` and `main_text` take as `hidden`."""
    compounds: set[_Compound] = set()
    for style in root.iter("style"):
        if not media_applies(style.get("media") or ""):
            continue
        css = _applicable_css(_STRING.sub('""', _COMMENT.sub(" ", style.text or "")))
        for m in _RULE.finditer(css):
            if not declarations_hide(m.group(2)):
                continue
            for selector in _selectors(m.group(1)):
                if selector.pseudo_element is None:
                    compound = _compound(selector.parsed_tree)
                    if compound is not None:
                        compounds.add(compound)
    rules = HiddenRules(compounds)
    return rules if rules else None
