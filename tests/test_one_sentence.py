"""One sentence holding every link and quotation of the article: the check stays linear (issue 16 part 6).

A sentence of N links was read once per link: tokenised by the claim's framing, searched by the link-role
prompt test, its links listed and its quotations walked by the attribution of each quotation, so 5k links
took 37 s and 25k did not finish. These tests count the work (words tokenised, sentence-wide searches),
not the time, so the quadratic cannot come back (bench/article.py prints the times).
"""

from __future__ import annotations

import sys

import pytest

import tui.core.attribution.linkkinds as linkkinds
import tui.core.attribution.phrases as phrases
import tui.core.lexicon.words as words
import tui.core.linkroles as linkroles
from tui.core.links import CLAIM_MAX_CHARS, claim_window
from tui.core.pipeline import CheckOptions, check_location


def one_sentence(n: int, html: bool) -> str:
    """One sentence of `n` quotations, each with its link and a reporting verb after it."""
    if html:
        body = " ".join(f"“up {i}” per <a href=http://e.org/{i}>l{i}</a> and Ruiz said" for i in range(n))
        return f"<html><body><article><p>Officials said {body} now.</p></article></body></html>"
    body = " ".join(f"“up {i}” per [l{i}](http://e.org/{i}) and Ruiz said" for i in range(n))
    return f"# T\n\nOfficials said {body} now.\n"


class _Counting:
    """A compiled pattern whose `search` calls are counted."""

    def __init__(self, pattern, calls: list[int]) -> None:
        self._pattern, self._calls = pattern, calls

    def search(self, *args, **kwargs):
        self._calls.append(1)
        return self._pattern.search(*args, **kwargs)


async def _work(tmp_path, monkeypatch, n: int, html: bool) -> dict[str, int]:
    """Run the article side of `check --no-fetch` on one sentence of `n` links and count its work."""
    produced: list[int] = []
    real_tokens = words.tokens

    def counting_tokens(*args, **kwargs):
        found = real_tokens(*args, **kwargs)
        produced.append(len(found))
        return found

    for module in list(sys.modules.values()):  # every module that imported the tokeniser by name
        if module is not None and getattr(module, "tokens", None) is real_tokens:
            monkeypatch.setattr(module, "tokens", counting_tokens)
    prompts: list[int] = []
    monkeypatch.setattr(linkroles, "_PROMPT_SENTENCE", _Counting(linkroles._PROMPT_SENTENCE, prompts))
    linkroles._prompt.cache_clear()
    told: list[int] = []
    real_told = phrases.said_to_writer
    monkeypatch.setattr(phrases, "said_to_writer", lambda *a: told.append(1) or real_told(*a))
    profiles: list[int] = []
    real_profile = linkkinds.is_profile
    monkeypatch.setattr(linkkinds, "is_profile", lambda *a: profiles.append(1) or real_profile(*a))
    path = tmp_path / ("a.html" if html else "a.md")
    path.write_text(one_sentence(n, html), encoding="utf-8")
    checker = await check_location(str(path), CheckOptions(fetch=False, use_archive=False))
    assert len(checker.links) == n and len(checker.found_quotes) == n
    assert sum(q.link_index is not None for q in checker.found_quotes) == n
    return {
        "words": len(words.tokens(checker.article.text)),
        "tokens": sum(produced),
        "prompt searches": len(prompts),
        "said-to-writer searches": len(told),
        "profile tests": len(profiles),
        "longest claim": max(len(link.claim) for link in checker.links),
    }


@pytest.mark.parametrize("html", [False, True], ids=["markdown", "html"])
async def test_one_sentence_of_many_links_is_read_once(tmp_path, monkeypatch, html: bool) -> None:
    work = await _work(tmp_path, monkeypatch, 400, html)
    # each quotation reads a few words around its marks (a bounded window); the sentence is tokenised a
    # constant number of times, not once per link (which made 400 x 2,800 words here)
    assert work["tokens"] <= 10 * work["words"], work
    assert work["prompt searches"] <= 2, work  # once per sentence (the title is one more)
    assert work["said-to-writer searches"] <= 2, work
    assert work["profile tests"] <= 2 * 400, work  # once per link (web-only and not)
    # a report holds a bounded claim per link (a window around it), not the whole sentence for each
    assert work["longest claim"] <= CLAIM_MAX_CHARS, work


async def test_the_work_grows_with_the_links_not_their_square(tmp_path, monkeypatch) -> None:
    small = await _work(tmp_path, monkeypatch, 100, html=False)
    big = await _work(tmp_path, monkeypatch, 400, html=False)
    assert big["tokens"] / small["tokens"] < 6, (small, big)  # 4x the links: ~4x, not ~16x


def test_an_overlong_sentence_gives_each_link_a_window_around_it() -> None:
    text = "Officials said " + " ".join(f"w{i}" for i in range(2000)) + " now."
    start = text.index(" w1000 ") + 1
    lo, hi = claim_window(text, 0, len(text), start, start + 5)
    assert lo <= start < start + 5 <= hi and hi - lo <= CLAIM_MAX_CHARS
    assert text[lo - 1] == " " and text[hi] == " "  # cut at spaces
    long_anchor = (10, 10 + 3 * CLAIM_MAX_CHARS)
    assert claim_window(text, 0, len(text), *long_anchor) == long_anchor  # the anchor is always held
