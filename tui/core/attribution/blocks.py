"""Block quotes: an embedded post goes to its own link, a credited block to its credit line's link, a
`<blockquote cite>` to the link with that address; a credit line with no link ends the search (the
quotation's source is named and not linked)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..models import Link, Span
from . import linkkinds, phrases

if TYPE_CHECKING:
    from . import Piece, _Context

_CREDIT_LINE = re.compile(r"\s*(?:[—–―~]|--?\s)")
_HANDLE = re.compile(r"@\w")
UNLINKED_CREDIT = "unlinked_credit"  # a sentinel reason: the credit line names a source with no link


def is_credit_line(text: str, start: int, end: int) -> bool:
    """A line that credits a quotation ("— A. Name (@handle) 3 March 2021", "— as the report put it")."""
    return bool(_CREDIT_LINE.match(text, start, end))


def intro(ctx: _Context, first: Piece) -> Span | None:
    """The sentence that introduces a block quote: the last of the paragraph before it."""
    pi = first.paragraph - 1
    if pi < 0 or ctx.article.paragraphs[pi].block_quote or ctx.article.paragraphs[pi].credit:
        return None
    spans = ctx.sentences(pi)
    return spans[-1] if spans else None


def intro_speaker(ctx: _Context, sentence: Span | None) -> tuple[Span | None, Span | None]:
    """Who the introducing sentence says speaks ("Its chair put it this way:")."""
    if sentence is None:
        return None, None
    end = sentence.end
    return phrases.speaker_and_cue(ctx.text, [(end, end, end, end)], [sentence], ctx.quoted_near)


def block_source(ctx: _Context, group: Sequence[Piece]) -> tuple[Link | None, str] | None:
    """(link, reason) for a block quote when its markup or credit line decides, else None."""
    paras = ctx.article.paragraphs
    first = group[0]
    block_id = paras[first.paragraph].block
    block = ctx.blocks.get(block_id) if block_id is not None else None
    members = ctx.block_paragraphs.get(block_id, []) if block_id is not None else []
    members = members or [p.paragraph for p in group]
    credit_paras = [pi for pi in members if paras[pi].credit]
    last = members[-1]
    if (
        last != members[0]
        and last not in credit_paras
        and is_credit_line(ctx.text, paras[last].start, paras[last].end)
    ):
        credit_paras.append(last)  # "> — Name (@handle) date" closing a Markdown block quote
    after = last + 1
    if (
        after < len(paras)
        and after not in credit_paras
        and (paras[after].credit or is_credit_line(ctx.text, paras[after].start, paras[after].end))
    ):
        credit_paras.append(after)
    region = [  # never a boilerplate link (docs/report-format.md): an embed's own address is a citation
        lk for pi in members + credit_paras for lk in ctx.links_in(paras[pi].start, paras[pi].end)
        if lk.role == "citation"
    ]  # fmt: skip
    if block is not None and (block.embed or block.permalink):
        own = [lk for lk in region if linkkinds.same_post(lk.url, block.permalink)]
        own = own or [
            lk for lk in region if linkkinds.is_post(lk.url) and not ctx.inside_quote(lk.anchor_start)
        ]
        if not own and block.permalink:
            own = [
                lk for lk in ctx.by_post.get(linkkinds.post_key(block.permalink), ()) if lk.role == "citation"
            ]
        if own:
            return own[-1], "embed"
    credits = [
        lk for pi in credit_paras for lk in ctx.links_in(paras[pi].start, paras[pi].end)
        if lk.role == "citation" and lk.target_kind in ("web", "fragment", "local")
    ]  # fmt: skip
    if credits:
        posts = [lk for lk in credits if linkkinds.is_post(lk.url)]
        is_embed = any(_HANDLE.search(ctx.text, paras[pi].start, paras[pi].end) for pi in credit_paras)
        if is_embed:
            return (posts or credits)[-1], "embed" if (posts or block) else "credit"
        pick = next((lk for lk in credits if not linkkinds.is_profile(lk.url, lk.anchor_text)), credits[-1])
        return pick, "credit"
    if block is not None and block.cite:
        same = [lk for lk in ctx.by_post.get(linkkinds.post_key(block.cite), ()) if lk.role == "citation"]
        if same:
            return same[0], "cite"
    if credit_paras and (block is None or not block.embed):
        return None, UNLINKED_CREDIT
    return None
