"""Sources the user attached by hand, kept beside the notes (same database, same re-anchoring).

A claim whose link was stripped (`#`), is dead or simply wrong, and a quote with no link, can be given a
source: a web address, a local file (a page saved from the browser, a PDF, a text file), or - for a quote -
one of the article's own links. The choice is saved per article, keyed like a note by *what it is attached
to* (the claim sentence with its anchor text, or the quote with its context), so it survives edits of the
article and is used again by the reader, `check` and `export`.

`AttachedSourcesMixin` adds the storage methods to `NoteStore` (one short transaction each);
`place_attached` puts saved attachments back onto the article as it is now, with the notes' own anchoring.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, Final, Literal, get_args

from ..models import Article, Link, Quote
from ..normalize import fold_text
from .anchoring import anchor_notes
from .records import Note, NoteTarget, utc_now
from .schema import TARGET_COLUMNS

AttachKind = Literal["url", "file", "link"]
ATTACH_KINDS: Final[tuple[AttachKind, ...]] = get_args(AttachKind)


@dataclass(frozen=True)
class AttachedSource:
    """One source the user attached.

    `on` is what it is attached to: a claim (`on.kind == "claim"`, `anchor_text` telling apart two links
    in one sentence) or a quote with no link. `kind` "url" / "file": `target` is the web address or the
    file's absolute path. `kind` "link" (quotes only): `to_link` is the claim of the article's link the quote
    belongs to, and `target` is None.
    """

    id: int
    on: NoteTarget
    kind: AttachKind
    target: str | None
    anchor_text: str = ""
    to_link: NoteTarget | None = None
    updated_at: str = ""

    @property
    def identity(self) -> str:
        return attachment_identity(self.on, self.anchor_text)


@dataclass(frozen=True)
class PlacedSource:
    """An attachment placed on the article as it is now.

    `link_index`: the claim's link (for a claim attachment). `quote_start`: the quote's start offset in
    `Article.text` (for a quote attachment). `to_link_index`: the link a quote was attached to (kind "link").
    An attachment that fits nowhere has `orphaned` True and is kept in the database, never dropped.
    """

    attached: AttachedSource
    link_index: int | None = None
    quote_start: int | None = None
    to_link_index: int | None = None
    orphaned: bool = False


def attachment_identity(on: NoteTarget, anchor_text: str = "") -> str:
    """What an attachment is keyed on: the note identity of its claim or quote, plus the anchor text."""
    return sha256(f"{on.identity}\x1f{fold_text(anchor_text)}".encode()).hexdigest()[:32]


_COLUMNS = (*TARGET_COLUMNS, "anchor_text", "kind", "target", "to_link_index", "to_link_url", "to_claim")
_SELECT = "id, article_key, " + ", ".join(_COLUMNS) + ", updated_at"


class AttachedSourcesMixin:
    """Storage of attached sources; mixed into `NoteStore`, whose transactions it uses."""

    _write: Any  # provided by NoteStore: context managers yielding the connection
    _read: Any
    _require_writable: Any

    def attach_source(
        self,
        on: NoteTarget,
        *,
        url: str | None = None,
        file: str | None = None,
        link: NoteTarget | None = None,
        anchor_text: str = "",
    ) -> AttachedSource:
        """Attach a source to a claim or a quote (replacing an earlier one) in one transaction.

        Give exactly one of `url` (an http(s) address), `file` (an absolute path) or `link` (the claim of
        one of the article's links; only for a quote). For a claim, pass the link's `anchor_text` too.
        Raises ValueError for a malformed request and NotesError when the database fails.
        """
        given = [(k, v) for k, v in (("url", url), ("file", file), ("link", link)) if v is not None]
        if len(given) != 1:
            raise ValueError("attach exactly one of url, file or link")
        kind: AttachKind = given[0][0]  # type: ignore[assignment]
        if kind == "link" and on.kind != "quote":
            raise ValueError("only a quote can be attached to one of the article's links")
        self._require_writable()
        target = url if kind == "url" else file
        ident = attachment_identity(on, anchor_text)
        now = utc_now()
        values = [getattr(on, c) for c in TARGET_COLUMNS]
        to = (link.link_index, link.link_url, link.claim) if link is not None else (None, None, None)
        with self._write() as c:
            c.execute(
                "INSERT INTO attached_sources (article_key, identity, "
                + ", ".join(_COLUMNS)
                + ", created_at, updated_at) VALUES ("
                + ", ".join("?" * (len(_COLUMNS) + 4))
                + ") ON CONFLICT(article_key, identity) DO UPDATE SET "
                + ", ".join(f"{col} = excluded.{col}" for col in _COLUMNS)
                + ", updated_at = excluded.updated_at",
                [on.article_key, ident, *values, anchor_text, kind, target, *to, now, now],
            )
            _touch_article(c, on.article_key, on.article_title, now)
            row = c.execute(
                f"SELECT {_SELECT} FROM attached_sources WHERE article_key = ? AND identity = ?",
                (on.article_key, ident),
            ).fetchone()
        return _row_to_attached(row)

    def detach_source(self, article_key: str, identity: str) -> None:
        """Forget the source attached to one claim or quote (`AttachedSource.identity`)."""
        self._require_writable()
        with self._write() as c:
            c.execute(
                "DELETE FROM attached_sources WHERE article_key = ? AND identity = ?", (article_key, identity)
            )

    def attached_sources(self, article_key: str) -> list[AttachedSource]:
        """Every source attached in the article, oldest first."""
        with self._read() as c:
            rows = c.execute(
                f"SELECT {_SELECT} FROM attached_sources WHERE article_key = ? ORDER BY id", (article_key,)
            ).fetchall()
        return [_row_to_attached(r) for r in rows]

    def set_links_from(self, article_key: str, location: str | None) -> None:
        """Remember (or, with None, forget) where the article's published version is read from."""
        self._require_writable()
        now = utc_now()
        with self._write() as c:
            _touch_article(c, article_key, None, now)
            c.execute("UPDATE articles SET links_from = ? WHERE key = ?", (location, article_key))

    def links_from(self, article_key: str) -> str | None:
        """Where the article's published version is read from, when the user chose one."""
        with self._read() as c:
            row = c.execute("SELECT links_from FROM articles WHERE key = ?", (article_key,)).fetchone()
        return row[0] if row else None


def _touch_article(c: sqlite3.Connection, key: str, title: str | None, now: str) -> None:
    c.execute(
        "INSERT INTO articles (key, title, created_at, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET updated_at = excluded.updated_at,"
        " title = coalesce(excluded.title, articles.title)",
        (key, title, now, now),
    )


def _row_to_attached(row: Sequence[Any]) -> AttachedSource:
    rid, key = row[0], row[1]
    values = dict(zip(_COLUMNS, row[2 : 2 + len(_COLUMNS)], strict=True))
    updated = row[2 + len(_COLUMNS)]
    on = NoteTarget(article_key=key, **{c: values[c] for c in TARGET_COLUMNS})
    to_link = None
    if values["kind"] == "link":
        to_link = NoteTarget(
            article_key=key,
            link_index=values["to_link_index"],
            link_url=values["to_link_url"],
            claim=values["to_claim"] or "",
        )
    return AttachedSource(rid, on, values["kind"], values["target"], values["anchor_text"], to_link, updated)


# ---------------------------------------------------------------------------------------------------------
# Placing attachments on the article as it is now


def place_attached(
    attached: Sequence[AttachedSource], article: Article, links: Sequence[Link], quotes: Sequence[Quote]
) -> list[PlacedSource]:
    """Re-anchor saved attachments with the notes' anchoring (`anchoring.anchor_notes`).

    A claim attachment lands on the link whose claim and anchor text match (two links in one sentence are
    told apart by anchor text); a quote attachment on the quote (its start offset); a "link" attachment's
    link is found again by its claim. What cannot be placed comes back orphaned.
    """
    as_notes = [Note(a.id, "", a.on, None, "", "", "") for a in attached]
    placed_on = {p.note.id: p for p in anchor_notes(as_notes, article, links, quotes)}
    wanted_links = [a for a in attached if a.to_link is not None]
    link_notes = [Note(a.id, "", a.to_link, None, "", "", "") for a in wanted_links if a.to_link]
    placed_to = {p.note.id: p for p in anchor_notes(link_notes, article, links, quotes)}
    out = []
    for a in attached:
        spot = placed_on[a.id]
        if spot.orphaned:
            out.append(PlacedSource(a, orphaned=True))
            continue
        if a.on.kind == "claim":
            if spot.link_index is None:
                out.append(PlacedSource(a, orphaned=True))
                continue
            out.append(PlacedSource(a, link_index=_by_anchor(links, spot.link_index, a.anchor_text)))
            continue
        start = spot.article_start
        if spot.quote_index is None or start is None:  # the words are there but no longer a quote
            out.append(PlacedSource(a, orphaned=True))
            continue
        to_index = None
        if a.kind == "link":
            to = placed_to.get(a.id)
            if to is None or to.orphaned or to.link_index is None:
                out.append(PlacedSource(a, quote_start=start, orphaned=True))
                continue
            to_index = to.link_index
        out.append(PlacedSource(a, quote_start=start, to_link_index=to_index))
    return out


def _by_anchor(links: Sequence[Link], index: int, anchor_text: str) -> int:
    """Among the links sharing link `index`'s claim sentence, the one with this anchor text."""
    if not anchor_text:
        return index
    claim_start = links[index].claim_start
    same = [lk for lk in links if lk.claim_start == claim_start]
    want = fold_text(anchor_text)
    named = [lk for lk in same if fold_text(lk.anchor_text) == want]
    if not named:
        return index
    return min(named, key=lambda lk: abs(lk.index - index)).index


__all__ = [
    "ATTACH_KINDS",
    "AttachKind",
    "AttachedSource",
    "AttachedSourcesMixin",
    "PlacedSource",
    "attachment_identity",
    "place_attached",
]
