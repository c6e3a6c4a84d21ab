"""Quotes generated from real pages, with the truth about each: shared by the accuracy test and
bench/match.py, so the benchmark's accuracy column and the test measure the same thing."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from tui.core.match import WORD_RE, match_quote
from tui.core.models import QuoteMatch, Source
from tui.core.normalize import fold_text

SEED = 20261125
BLOCK_TAGS = tuple(
    re.split(
        r"\s+",
        "p div li ul ol h1 h2 h3 h4 h5 h6 tr td th br section article blockquote pre table header footer "
        "nav aside figure figcaption dd dt dl main form hr",
    )
)
_WORD = re.compile(r"\S+")


def html_text(html: bytes | str) -> str:
    """Visible text of an HTML document, one whitespace-normalised line per block."""
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for el in doc.iter(*BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in doc.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Case:
    kind: str  # verbatim | elided | altered | fabricated
    quote: str
    page: str
    start: int  # expected span in the readable text (-1 for fabricated)
    end: int
    edits: tuple[str, ...] = ()


def load_sources(corpus: Path) -> dict[str, Source]:
    sources = {}
    for page in sorted(corpus.glob("*.expected.html")):
        name = page.name.removesuffix(".expected.html")
        text = html_text(page.read_bytes())
        full = html_text((corpus / f"{name}.html").read_bytes())
        sources[name] = Source(
            url=f"https://example.test/{name}", final_url=None, title=name, text=text, page_text=full
        )
    return sources


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of word runs inside one line (sentence-ish), with at least 8 words."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        for s in re.finditer(r"[^.!?]+[.!?]?", m.group()):
            words = list(_WORD.finditer(s.group()))
            if len(words) >= 8:
                base = m.start() + s.start()
                out.append((base, [(base + w.start(), base + w.end()) for w in words]))
    return out


def _typography(rng: random.Random, quote: str) -> str:
    """What an article does to a quote without changing it: curly quotes, dashes, odd spacing."""
    if rng.random() < 0.3:
        quote = quote.replace("'", "’").replace('"', "“")
    if rng.random() < 0.2:
        quote = quote.replace(" - ", " — ")
    if rng.random() < 0.2:
        i = quote.find(" ")
        if i > 0:
            quote = quote[:i] + "\n " + quote[i + 1 :]
    if rng.random() < 0.2:
        quote = quote[:1].upper() + quote[1:]
    return quote


_AUX = re.compile(r"\b(is|was|are|were|will|can|could|would|should|does|did|has|have|had|may|must)\b")


def _alter(rng: random.Random, words: list[str], vocab: list[str], n: int) -> tuple[list[str], list[str]]:
    words = list(words)
    done = []
    kinds = rng.sample(["substitute", "insert", "drop", "negate", "number"], k=n)
    for kind in kinds:
        if kind == "negate":
            aux = [i for i, w in enumerate(words) if _AUX.fullmatch(w.lower())]
            if "not" in (w.lower() for w in words):
                words.remove(next(w for w in words if w.lower() == "not"))
            elif aux:
                words.insert(aux[0] + 1, "not")
            else:
                words.insert(rng.randrange(1, len(words)), "never")
        elif kind == "number":
            nums = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
            if nums:
                i = rng.choice(nums)
                words[i] = re.sub(r"\d", lambda d: str((int(d.group()) + 3) % 10), words[i], count=1)
            else:
                words[rng.randrange(len(words))] = str(rng.randrange(2, 999))
        elif kind == "substitute":
            words[rng.randrange(len(words))] = rng.choice(vocab)
        elif kind == "insert":
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocab))
        elif kind == "drop" and len(words) > 4:
            del words[rng.randrange(len(words))]
        done.append(kind)
    return words, done


def make_cases(sources: dict[str, Source], per_page: int = 7, seed: int = SEED) -> list[Case]:
    rng = random.Random(seed)
    names = sorted(sources)
    vocab = sorted({w for s in sources.values() for w in re.findall(r"[A-Za-z]{4,12}", s.text)})
    cases: list[Case] = []
    for name in names:
        text = sources[name].text
        folded_page = fold_text(sources[name].page_text)
        sents = _sentences(text)
        if not sents:
            continue
        for _ in range(per_page):
            # verbatim: a word-aligned run of 4..30 words
            _, ws = rng.choice(sents)
            n = rng.randint(min(4, len(ws)), min(30, len(ws)))
            i = rng.randrange(len(ws) - n + 1)
            s, e = ws[i][0], ws[i + n - 1][1]
            cases.append(Case("verbatim", _typography(rng, text[s:e]), name, s, e))
            # elided: 12+ words with 2..8 inner words replaced by an ellipsis (sometimes a [bracket])
            long = [x for x in sents if len(x[1]) >= 12]
            if long:
                _, ws = rng.choice(long)
                n = rng.randint(12, min(40, len(ws)))
                i = rng.randrange(len(ws) - n + 1)
                run = ws[i : i + n]
                cut = rng.randint(2, min(8, n - 8))
                a = rng.randint(3, n - cut - 3)
                mark = rng.choice([" … ", " ... ", " [...] ", "… "])
                head = text[run[0][0] : run[a - 1][1]]
                if rng.random() < 0.3:
                    head = "[" + rng.choice(vocab) + "] " + text[run[1][0] : run[a - 1][1]]
                quote = head + mark + text[run[a + cut][0] : run[-1][1]]
                cases.append(Case("elided", quote, name, run[0][0], run[-1][1]))
            # altered: 8..40 words with 1..3 edits
            _, ws = rng.choice(sents)
            n = rng.randint(8, min(40, len(ws)))
            i = rng.randrange(len(ws) - n + 1)
            s, e = ws[i][0], ws[i + n - 1][1]
            words = text[s:e].split()
            new, done = _alter(rng, words, vocab, rng.randint(1, 3))
            quote = " ".join(new)
            if fold_text(quote) not in folded_page:
                cases.append(Case("altered", quote, name, s, e, tuple(done)))
            # fabricated: a sentence from another page (no shared 4-word run), or this page's words shuffled
            if rng.random() < 0.5:
                other = sources[rng.choice([x for x in names if x != name])].text
                osents = _sentences(other)
                if not osents:
                    continue
                _, ws = rng.choice(osents)
                n = rng.randint(6, min(30, len(ws)))
                i = rng.randrange(len(ws) - n + 1)
                quote = other[ws[i][0] : ws[i + n - 1][1]]
            else:
                page_words = re.findall(r"[A-Za-z']+", text)
                quote = " ".join(rng.choice(page_words) for _ in range(rng.randint(6, 25)))
            qw = fold_text(quote).split()
            if not any(" ".join(qw[k : k + 4]) in folded_page for k in range(max(1, len(qw) - 3))):
                cases.append(Case("fabricated", quote, name, -1, -1))
    return cases


def right_place(case: Case, m: QuoteMatch, source: Source) -> bool:
    if m.source_start is None or m.source_end is None or not m.in_main_text:
        return False
    if m.source_start < case.end and case.start < m.source_end:
        return True
    # the same words elsewhere (a repeated passage) are as right; an editor's [insertion] at the start
    # may stand for a word or two of the expected passage
    want = " ".join(WORD_RE.findall(fold_text(source.text[case.start : case.end])))
    got = " ".join(WORD_RE.findall(fold_text(m.source_text or "")))
    return got == want or (got in want and len(got) >= 0.8 * len(want))


def evaluate(cases: list[Case], sources: dict[str, Source]) -> dict[str, dict[str, float]]:
    stats: dict[str, dict[str, float]] = {}
    for case in cases:
        source = sources[case.page]
        m = match_quote(case.quote, source)
        st = stats.setdefault(case.kind, {"n": 0, "ok": 0})
        st["n"] += 1
        if case.kind in ("verbatim", "elided"):
            ok = m.match == "verbatim" and right_place(case, m, source)
        elif case.kind == "altered":
            ok = m.match == "altered" and right_place(case, m, source)
            if ok:
                for edit, flag in (("number", "number"), ("negate", "negation")):
                    if edit in case.edits:
                        fs = stats.setdefault(f"flag:{flag}", {"n": 0, "ok": 0})
                        fs["n"] += 1
                        fs["ok"] += flag in m.flags
        else:
            ok = m.match != "not_found"  # counted as a (false) find
        st["ok"] += ok
    for st in stats.values():
        st["rate"] = st["ok"] / st["n"] if st["n"] else 0.0
    return stats
