"""A PDF's text layer as a reader sees it: paragraphs rejoined across lines and pages, page furniture kept
but marked as not the author's words, and line-end hyphens kept as the page prints them.

- Running headers, footers and page numbers (`pdfheads.furniture`: a line that repeats, alternates, carries
  the page number, or sits apart from the body where the other pages' heads sit). A sentence that runs from
  one page to the next stays one sentence; the furniture between its halves is a skipped piece
  (`Source.text_skipped`).
- A hyphen at a line end between letters is ambiguous: a split word ("finan-" "cial") or a compound whose
  own hyphen fell there ("cost-" "effective"). The text keeps the hyphen and joins the lines without a
  space ("cost-effective", "finan-cial"); its offset goes to `Source.text_soft_hyphens`, and the matcher
  accepts both readings. Extraction never rewrites the source.
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass

from .errors import ExtractError
from .pdfheads import furniture as find_furniture

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_PAIRING_WINDOW = 64  # how far ahead an extracted line's placed twin is looked for


@dataclass(frozen=True)
class PdfText:
    title: str | None
    text: str
    skipped: tuple[tuple[int, int], ...]
    soft_hyphens: tuple[int, ...]


def _ends_paragraph(line: str, nxt: str, typical: int) -> bool:
    """A short line that ends a sentence (or looks like a heading) ends its paragraph."""
    short = len(line) < 0.7 * typical
    ends_sentence = line[-1] in '.!?:"”'
    heading = bool(nxt) and nxt[0].isupper() and line[-1] not in ",;-–"
    return short and (ends_sentence or heading)


def layout(
    pages: list[list[str]], heights: list[list[float | None]] | None = None
) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Join the pages' lines into paragraphs: (text, skipped spans, soft-hyphen offsets).

    `heights`: per line, its baseline's height on the page (`pdfheads.furniture`), None when unknown."""
    furniture = find_furniture(pages, heights)
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
        pages, heights = [], []
        for page in reader.pages:
            lines, ys = _page_lines(page)
            pages.append(lines)
            heights.append(ys)
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else None
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many exception types (PdfReadError, KeyError...) on bad files
        raise ExtractError("The PDF could not be read: the file is damaged or unusual.") from exc
    text, skipped, soft = layout(pages, heights)
    if not text.strip():
        raise ExtractError(
            "The PDF has no text layer (probably a scanned image); sourcecheck cannot read it."
        )
    return PdfText(title or None, text, skipped, soft)


def _page_lines(page) -> tuple[list[str], list[float | None]]:
    """A pypdf page's text lines, and each line's baseline height on the page (None when unknown).

    The heights come from pypdf's text visitor (each piece's text matrix times the current transformation
    matrix, as pypdf's documentation describes); a line takes the height of its first piece with words,
    and is paired with the extracted line that has the same words, in order.
    """
    pieces: list[tuple[str, float | None]] = []

    def visit(text: str, cm, tm, _font, _size) -> None:
        if text:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((text, y if math.isfinite(y) else None))

    raw = page.extract_text(visitor_text=visit) or ""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    placed: list[tuple[str, float | None]] = []
    words, height = "", None
    for text, y in pieces:
        for n, part in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
            if n:
                placed.append((_WS.sub(" ", words).strip(), height))
                words, height = "", None
            if part.strip() and height is None and y is not None:
                height = float(y)
            words += part
    placed.append((_WS.sub(" ", words).strip(), height))
    ys: list[float | None] = []
    at = 0
    for line in lines:
        key = _WS.sub(" ", line).strip()
        window = range(at, min(at + _PAIRING_WINDOW, len(placed)))  # bounded: no quadratic walk
        found = next((k for k in window if key and placed[k][0] == key), None)
        if found is None:
            ys.append(None)
        else:
            ys.append(placed[found][1])
            at = found + 1
    return lines, ys
