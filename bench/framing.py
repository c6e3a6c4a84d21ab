"""Benchmark: what the framing cues cost on the article side, beside the article stages they follow.

The article: paragraphs of op-ed prose, each with a link, an attribution verb, a quotation, a scare quote,
evaluative wording and a pronoun to resolve, so every article-side rule runs (`ArticleFraming.quote_cues`
for every quote, `claim_cues` for every link). Printed for 500, 2,000 and 8,000 paragraphs: CPU seconds
(median of runs) of loading + links + quotes (the stages the pipeline runs before framing, the baseline;
they find each quotation's verb and speaker, `Quote.cue`/`Quote.speaker`, which framing reads) and of
framing, their ratio, their sum, and the framing cost per 1,000 quotes (flat means linear). As in the
pipeline, the three stages share one split of the article into sentences (`ParagraphSentences`).

    .venv/bin/python bench/framing.py [--sizes 500,2000,8000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tui.core.article import load_article_file  # noqa: E402
from tui.core.framing import ArticleFraming  # noqa: E402
from tui.core.links import find_links  # noqa: E402
from tui.core.quotes import find_quotes  # noqa: E402
from tui.core.sentences import ParagraphSentences  # noqa: E402

PARAGRAPH = (
    'Mayor Elena Reyes [told the Ledger](https://ledger.example/{i}) that the plan was "a fresh start". '
    '"We will never raise the levy," she said, a claim the so-called experts disputed. '
    'Bell called it "gold-plated", and the report found that "about 4,000 homes may be affected".\n\n'
)


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000,8000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    head = ("paragraphs", "MB", "quotes", "article s", "framing s", "ratio", "total s", "ms/1k q")
    print(" ".join(f"{h:>10}" for h in head))
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"framing-{size}.md"
            path.write_text(
                "# Bench\n\n" + "".join(PARAGRAPH.format(i=i) for i in range(size)), encoding="utf-8"
            )
            base, framed = [], []
            quotes: tuple = ()
            for _ in range(args.runs):
                state: dict = {}

                def article_stages(state=state, path=path) -> None:
                    article = load_article_file(str(path))
                    sentences = ParagraphSentences(article)
                    links = find_links(article, sentences)
                    quotes = find_quotes(article, links, sentences)
                    state.update(article=article, links=links, quotes=quotes, sentences=sentences)

                def framing_stage(state=state) -> None:
                    framing = ArticleFraming(
                        state["article"], state["links"], state["quotes"], state["sentences"]
                    )
                    for quote in state["quotes"]:
                        framing.quote_cues(quote)
                    for link in state["links"]:
                        framing.claim_cues(link)

                base.append(cpu(article_stages))
                framed.append(cpu(framing_stage))
                quotes = state["quotes"]
            b, f = statistics.median(base), statistics.median(framed)
            mb = path.stat().st_size / 1e6
            per_1k = 1e6 * f / len(quotes)  # ms per 1,000 quotes
            cells = (size, f"{mb:.2f}", len(quotes), f"{b:.2f}", f"{f:.2f}", f"{f / b:.2f}", f"{b + f:.2f}")
            cells += (f"{per_1k:.1f}",)
            print(" ".join(f"{c:>10}" for c in cells))


if __name__ == "__main__":
    main()
