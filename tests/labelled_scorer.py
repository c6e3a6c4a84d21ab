"""Score quote finding and attribution against hand-labelled articles.

A labelled set is a folder of articles (`NAME.md`, `NAME.html`, `NAME.txt`), each with `NAME.labels.json`:

    {
      "about": "what kind of article this stands for",
      "quotes": [                                  # every quotation piece, in reading order
        {"text": "the words between the marks",    # as the article prints them, whitespace collapsed
         "link": "anchor text of its source" | null,  # null: no link is its source
         "url": "https://..."                      # optional: tells apart two links with one anchor text
         "attribution": "same_sentence"            # optional: the attribution word expected
        }
      ],
      "citations": ["anchor text", ...]            # optional: the links that are citations; the
                                                   # article's other links are boilerplate
    }

Quotes are paired in reading order by their text (whitespace collapsed). Recall = labelled quotes found /
labelled quotes; precision = quotes found that are labelled / quotes found; attribution = paired quotes
credited to the labelled link, which must be a citation (a boilerplate link is never fetched) / paired
quotes; roles = links whose role agrees with `citations` / links (articles with a `citations` list only).
Run it on any folder: `python tests/labelled_scorer.py DIR`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.article import load_article_file
from tui.core.links import find_links
from tui.core.models import Link
from tui.core.quotes import find_quotes

SUFFIXES = (".md", ".html", ".htm", ".txt")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Score:
    labelled: int = 0
    found: int = 0
    paired: int = 0
    attributed: int = 0
    reasons: int = 0
    reasons_right: int = 0
    links: int = 0
    roles_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("labelled", "found", "paired", "attributed", "reasons", "reasons_right", "links"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.roles_right += other.roles_right
        self.misses.extend(other.misses)

    @property
    def recall(self) -> float:
        return self.paired / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.paired / self.found if self.found else 1.0

    @property
    def attribution(self) -> float:
        return self.attributed / self.paired if self.paired else 1.0

    @property
    def roles(self) -> float:
        return self.roles_right / self.links if self.links else 1.0

    def line(self) -> str:
        return (
            f"quotes {self.labelled}, found {self.found}: recall {self.recall:.3f}, precision "
            f"{self.precision:.3f}, attribution {self.attribution:.3f} ({self.attributed}/{self.paired}), "
            f"attribution word {self.reasons_right}/{self.reasons}, link roles {self.roles:.3f} "
            f"({self.roles_right}/{self.links})"
        )


def _link_matches(link: Link | None, label: dict) -> bool:
    if label.get("link") is None:
        return link is None
    if link is None or _norm(link.anchor_text) != _norm(label["link"]):
        return False
    return "url" not in label or link.url == label["url"]


def score_article(path: Path) -> Score:
    labels = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".labels.json").read_text("utf-8"))
    article = load_article_file(path)
    links = find_links(article)
    quotes = find_quotes(article, links)
    s = Score(labelled=len(labels["quotes"]), found=len(quotes))
    used: set[int] = set()
    k = 0
    for label in labels["quotes"]:
        want = _norm(label["text"])
        j = next((i for i in range(k, len(quotes)) if i not in used and _norm(quotes[i].text) == want), None)
        if j is None:
            j = next((i for i in range(len(quotes)) if i not in used and _norm(quotes[i].text) == want), None)
        if j is None:
            s.misses.append(f"{path.name}: not found: {want!r}")
            continue
        used.add(j)
        k = j + 1
        s.paired += 1
        q = quotes[j]
        link = links[q.link_index] if q.link_index is not None else None
        if link is not None and link.role != "citation":  # never fetched: a boilerplate link is no source
            s.misses.append(f"{path.name}: {want[:50]!r} credited to boilerplate {link.anchor_text!r}")
        elif _link_matches(link, label):
            s.attributed += 1
        else:
            got = link.anchor_text if link else None
            s.misses.append(
                f"{path.name}: {want[:50]!r} credited to {got!r} ({q.attribution}), want {label['link']!r}"
            )
        if "attribution" in label:
            s.reasons += 1
            s.reasons_right += q.attribution == label["attribution"]
    for i, q in enumerate(quotes):
        if i not in used:
            s.misses.append(f"{path.name}: not a labelled quote: {_norm(q.text)[:60]!r}")
    if "citations" in labels:
        wanted = [_norm(a) for a in labels["citations"]]
        for link in links:
            is_citation = _norm(link.anchor_text) in wanted
            s.links += 1
            if is_citation == (link.role == "citation"):
                s.roles_right += 1
            else:
                s.misses.append(f"{path.name}: link {link.anchor_text!r} is {link.role}")
    return s


def articles(folder: Path) -> list[Path]:
    """The labelled articles of a folder (those with a `.labels.json` beside them)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in SUFFIXES and p.with_name(p.name.rsplit(".", 1)[0] + ".labels.json").is_file()
    )


def score_folder(folder: Path) -> tuple[Score, dict[str, Score]]:
    total = Score()
    each = {}
    for path in articles(folder):
        s = score_article(path)
        each[path.name] = s
        total.add(s)
    return total, each


if __name__ == "__main__":
    total, each = score_folder(Path(sys.argv[1]))
    for name, s in each.items():
        print(f"{name:<36} {s.line()}")
    print("\n".join(total.misses))
    print(f"ALL: {total.line()}")
