"""Extraction gives the same output however it is computed: every corpus page, as a source and as an article.

The digests in `fixtures/corpus_extraction.json` were computed by the extraction code before it read each page
once (one pass over the parsed page, the walks over that; commit fcd18c9 walked the lxml tree three times).
Making extraction faster must not change a character, an offset or a skipped span. When a change to
extraction is *meant* to change what it extracts, regenerate them and say why in the commit:

    .venv/bin/python tests/test_extract_identity.py --update
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import pytest

from tui.core.article import article_from_bytes
from tui.core.extract import extract_source
from tui.core.models import FetchResult

DIGESTS = Path(__file__).parent / "fixtures" / "corpus_extraction.json"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pages"
SOURCE_FIELDS = ("title", "text", "page_text", "text_skipped", "page_skipped")
ARTICLE_FIELDS = ("title", "text", "paragraphs", "anchors", "marked_quotes", "blocks", "notes", "language")


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _digest(obj: object, fields: tuple[str, ...]) -> str:
    data = json.dumps({f: _plain(getattr(obj, f)) for f in fields}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def digests(page: Path) -> dict[str, str]:
    """The digests of one saved page read as a source and as an article."""
    body = page.read_bytes()
    source = extract_source(FetchResult(url="https://corpus.example/", body=body, content_type="text/html"))
    article = article_from_bytes(body, content_type="text/html", location="corpus", base_url=None)
    return {"source": _digest(source, SOURCE_FIELDS), "article": _digest(article, ARTICLE_FIELDS)}


def _pages(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*.html") if not p.name.endswith(".expected.html"))


def test_every_corpus_page_extracts_exactly_as_before(corpus: Path) -> None:
    want = json.loads(DIGESTS.read_text())
    pages = _pages(corpus)
    assert sorted(p.name for p in pages) == sorted(want), "the corpus changed: regenerate the digests"
    changed = [p.name for p in pages if digests(p) != want[p.name]]
    assert not changed, f"extraction output changed for {changed} (see this module's docstring)"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit(__doc__)
    if not CORPUS.is_dir():
        pytest.exit(f"no corpus at {CORPUS}")
    DIGESTS.write_text(
        json.dumps({p.name: digests(p) for p in _pages(CORPUS)}, indent=1, sort_keys=True) + "\n"
    )
    print(f"wrote {DIGESTS}")
