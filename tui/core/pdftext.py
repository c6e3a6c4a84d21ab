"""A PDF's text layer as a reader sees it: paragraphs rejoined across lines and pages, page furniture kept
but marked as not the author's words, and line-end hyphens kept as the page prints them.

- Running headers, footers and page numbers: a line among the first or last two of its page that repeats
  (digits aside) on at least half of the pages, or that is a page number ("7", "- 7 -", "Page 6 of 14",
  "6/14"). A sentence that runs from one page to the next stays one sentence; the furniture between its
  halves is a skipped piece (`Source.text_skipped`).
- A hyphen at a line end between letters is ambiguous: a split word ("finan-" "cial") or a compound whose
  own hyphen fell there ("cost-" "effective"). The text keeps the hyphen and joins the lines without a
  space ("cost-effective", "finan-cial"); its offset goes to `Source.text_soft_hyphens`, and the matcher
  accepts both readings. Extraction never rewrites the source.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from .errors import ExtractError

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$|^[ivxlc]{1,6}$", re.IGNORECASE
)
_EDGE_LINES = 2  # how many lines at the top and bottom of a page can be furniture


@dataclass(frozen=True)
class PdfText:
    title: str | None
    text: str
    skipped: tuple[tuple[int, int], ...]
    soft_hyphens: tuple[int, ...]


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", _WS.sub(" ", line).strip().lower())


def _furniture(pages: list[list[str]]) -> list[set[int]]:
    """Per page, the indexes of its lines that are running heads, footers or page numbers."""
    edges = []
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        edges.append(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))
    seen: Counter[str] = Counter()
    for lines, idx in zip(pages, edges, strict=True):
        seen.update({_key(lines[i]) for i in idx})
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines, idx in zip(pages, edges, strict=True):
        out.append(
            {
                i
                for i in idx
                if _PAGE_NUMBER.match(lines[i].strip()) or (len(pages) >= 2 and seen[_key(lines[i])] >= need)
            }
        )
    return out


def _ends_paragraph(line: str, nxt: str, typical: int) -> bool:
    """A short line that ends a sentence (or looks like a heading) ends its paragraph."""
    short = len(line) < 0.7 * typical
    ends_sentence = line[-1] in '.!?:"”'
    heading = bool(nxt) and nxt[0].isupper() and line[-1] not in ",;-–"
    return short and (ends_sentence or heading)


def layout(pages: list[list[str]]) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Join the pages' lines into paragraphs: (text, skipped spans, soft-hyphen offsets)."""
    furniture = _furniture(pages)
    parts: list[str] = []
    length = 0
    skipped: list[tuple[int, int]] = []
    soft: list[int] = []
    in_para = False
    glue = " "  # what joins the next line to the paragraph: " ", or "" after a line-end hyphen

    def write(s: str) -> None:
        nonlocal length
        parts.append(s)
        length += len(s)

    def add(line: str, *, skip: bool = False) -> None:
        nonlocal in_para, glue
        if skip and in_para and glue == "":
            # furniture between the halves of a hyphenated word ("cost-" | footer, header | "effective"):
            # the spaces around it are skipped too, so the word still reads "cost-effective" either way
            start = length
            write(f" {line} ")
            skipped.append((start, length))
            return
        if not in_para:
            if length:
                write("\n\n")
            in_para = True
        else:
            write(" " if skip else glue)
        start = length
        write(line)
        if skip:
            skipped.append((start, length))
            glue = " "
        elif len(line) >= 2 and line[-1] == "-" and line[-2].isalpha():
            soft.append(length - 1)
            glue = ""
        else:
            glue = " "

    def end_paragraph() -> None:
        nonlocal in_para
        in_para = False

    for lines, furn in zip(pages, furniture, strict=True):
        body = [ln for i, ln in enumerate(lines) if i not in furn]
        filled = [len(ln.strip()) for ln in body if ln.strip()]
        typical = sorted(filled)[len(filled) // 2] if filled else 0
        for i, raw in enumerate(lines):
            line = _WS.sub(" ", raw).strip()
            if i in furn:
                add(line, skip=True)
                continue
            if not line:
                end_paragraph()
                continue
            add(line)
            nxt = next((_WS.sub(" ", x).strip() for x in lines[i + 1 :] if x.strip()), "")
            if _ends_paragraph(line, nxt, typical):
                end_paragraph()
    text = "".join(parts)
    return text, tuple(skipped), tuple(soft)


def pdf_text(body: bytes) -> PdfText:
    """The text layer of a PDF (pypdf); raises ExtractError with a sentence when there is none."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("The PDF is password-protected; sourcecheck cannot read it.")
        pages = [
            (page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for page in reader.pages
        ]
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else None
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many exception types (PdfReadError, KeyError...) on bad files
        raise ExtractError("The PDF could not be read: the file is damaged or unusual.") from exc
    text, skipped, soft = layout(pages)
    if not text.strip():
        raise ExtractError(
            "The PDF has no text layer (probably a scanned image); sourcecheck cannot read it."
        )
    return PdfText(title or None, text, skipped, soft)
