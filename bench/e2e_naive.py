"""The naive baseline bench/e2e.py measures sourcecheck against: a throw-away sequential script.

It does what someone would write in an afternoon: find the links and the quotes of each paragraph,
fetch every linked page one after another with httpx, take readability-lxml's main text, and look for
each quote (case and white space folded) in the source its paragraph links to. No archive, no fuzzy
matching, no sandbox, no concurrency.

    python bench/e2e_naive.py ARTICLE [--no-fetch]     # prints one JSON line: counts
"""

from __future__ import annotations

import json
import re
import sys

import httpx
from lxml import html as lxml_html
from readability import Document

MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
QUOTE = re.compile(r"[\"“]([^\"“”]{10,400})[\"”]")


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def paragraphs(path: str):
    """(paragraph text, [link URLs]) in reading order."""
    with open(path, "rb") as fh:
        data = fh.read()
    if path.endswith((".html", ".htm")):
        for block in lxml_html.fromstring(data).iter("p", "li", "blockquote", "dd"):
            yield block.text_content(), [a.get("href") for a in block.iter("a") if a.get("href")]
    else:
        for block in re.split(r"\n\s*\n", data.decode("utf-8", "replace")):
            yield block, [m.group(2) for m in MD_LINK.finditer(block)]


def main() -> None:
    path, fetch = sys.argv[1], "--no-fetch" not in sys.argv
    claims = [(urls, QUOTE.findall(text)) for text, urls in paragraphs(path)]
    counts = {"links": sum(len(u) for u, _ in claims), "quotes": sum(len(q) for _, q in claims)}
    if fetch:
        texts: dict[str, str | None] = {}
        with httpx.Client(timeout=20, follow_redirects=True) as client:
            for urls, _ in claims:
                for url in urls:
                    if url in texts or not url.startswith("http"):
                        continue
                    try:
                        response = client.get(url)
                        response.raise_for_status()
                        summary = Document(response.text).summary(html_partial=True)
                        texts[url] = fold(lxml_html.fromstring(summary).text_content())
                    except Exception:  # a throw-away script: a failed source is just missing
                        texts[url] = None
        counts["sources_ok"] = sum(t is not None for t in texts.values())
        counts["quotes_found"] = sum(
            any(texts.get(url) and fold(quote) in texts[url] for url in urls)
            for urls, quotes in claims
            for quote in quotes
        )
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
