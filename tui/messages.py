"""Messages the reader's workers post to its screens: dataclasses, one per thing that happened.

Textual's `Message.__post_init__` initialises a dataclass message, so no `__init__` is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from .core.events import Event
from .core.models import Article

if TYPE_CHECKING:
    from .core.pipeline import CheckOptions


@dataclass
class ArticleOpened(Message):
    """The article was read; the claims list can be filled before any source is fetched."""

    article: Article


@dataclass
class ArticleFailed(Message):
    """The article itself could not be used; `error` is one sentence for the user."""

    location: str
    error: str


@dataclass
class PipelineEvent(Message):
    """One progress event of the core pipeline, forwarded unchanged."""

    event: Event
    refetch: bool = False


@dataclass
class OpenArticle(Message):
    """The picker (or an audit's list) chose an article to read; `options` when it needs its own (the
    audit's evidence archive), else the app's."""

    location: str
    options: CheckOptions | None = None
