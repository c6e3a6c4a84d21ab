"""The reader's state as plain classes, without Textual: a `ReaderSession` per article being read.

The screen composes widgets, runs workers and forwards two things here: the core's pipeline events
(`session.apply(event)`) and the user's intents (`select`, `move_claim`, `move_subject`, `select_at`,
`toggle_filter`, `set_verdict`, `edit_body`, `refetch`). It then asks what to draw (`entries()`,
`status()`, `article_view()`, `source_view()`, `note_view()`, `why_not(action)`), redrawing only what
`take_changes()` names. Note saves leave as `SaveRequest`s (`take_saves()`), run by the screen off the
event loop, and come back with `save_done()`. Counts, "searched", labels and link standing come from
`tui.core.status`: the session never decides what an outcome means.

Modules: `rows` (one `Row` per link, from events), `subject` (the selection: `ClaimSubject`,
`ClaimAsSubject`, `QuoteSubject`, `UnlinkedQuote`; each names its note by `note_key`), `drafts` (note
drafts and their saving), `actions` (which action applies and why not, what to offer; the list's
filters), `views` (plain values to draw), `glyphs` (the marks the list and help draw, and what each
means), `session` (`ReaderSession`, `Extension`), `framing` (issue 13's line and filter), `sources`
(issue 12: sources attached by hand, archived copies, restored links, web search).

Extension points, for features built on the reader:

- **Actions**: a new key is a `Binding` on the screen plus, when it does not always apply,
  `@actions.rule("name")` returning the sentence a dimmed key shows. The help screen and the command
  palette list every binding; the palette explains an action that does not apply instead of running it.
  An action that changes state is an intent method on `ReaderSession` (or a subclass), returning a reason
  string when it cannot act. Attaching a source by hand to a claim or a quote with no link (issue 12) is
  an intent on `ClaimSubject`/`ClaimAsSubject` of a stripped row or on `UnlinkedQuote`, and a rule.
- **Per-subject lines and article marks**: subclass `Extension` and pass it to `ReaderSession(...,
  extensions=[...])`; `info_lines(session, subject)` adds lines under the source pane's summary
  (`InfoLine`), `article_marks(session, subject)` adds highlights to the article (e.g. a framing line and
  its cue words, issue 13). Style them through the `TextView` kinds the screen's CSS defines.
- **Filters**: `actions.add_filter(Filter(name, label, keep, empty))`; `toggle_filter(name)` turns one on
  (e.g. "claims with framing cues", issue 13).
- **Other article sources**: the session only needs events. An audit database's stored outcomes
  (issue 17) replay as `ArticleLoaded` then `LinkChecked`/`PipelineFinished` into a fresh session.
"""

from __future__ import annotations

from .actions import FILTERS, RULES, Filter, add_filter, rule
from .drafts import Draft, Drafts, SaveRequest
from .framing import FramingExtension
from .rows import FetchState, Mark, Row, Rows
from .session import Changes, Extension, ReaderSession
from .sources import (
    AttachRequest,
    SourcesExtension,
    attach_prompt,
    attach_request,
    attaching,
    quote_text,
)
from .subject import (
    UNLINKED,
    ClaimAsSubject,
    ClaimSubject,
    NoteKey,
    QuoteSubject,
    Subject,
    UnlinkedQuote,
    link_entry,
)
from .views import Entry, Highlight, InfoLine, NoteView, SourceView, StatusView

__all__ = [
    "FILTERS",
    "RULES",
    "UNLINKED",
    "AttachRequest",
    "Changes",
    "ClaimAsSubject",
    "ClaimSubject",
    "Draft",
    "Drafts",
    "Entry",
    "Extension",
    "FetchState",
    "Filter",
    "FramingExtension",
    "Highlight",
    "InfoLine",
    "Mark",
    "NoteKey",
    "NoteView",
    "Offer",
    "QuoteSubject",
    "ReaderSession",
    "Row",
    "Rows",
    "SaveRequest",
    "SourceView",
    "SourcesExtension",
    "StatusView",
    "Subject",
    "UnlinkedQuote",
    "add_filter",
    "add_offer",
    "attach_prompt",
    "attach_request",
    "attaching",
    "link_entry",
    "quote_text",
    "rule",
]
