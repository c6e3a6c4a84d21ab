"""A tiny PDF writer for tests: pages of absolutely placed Helvetica lines, like office exporters emit.

Stdlib only, uncompressed, a valid cross-reference table; pypdf reads its text layer line by line.
"""

from __future__ import annotations


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page(
    lines: list[str], *, header: str | None = None, footer: str | None = None
) -> list[tuple[int, int, str]]:
    """One A4 page: an optional running header and footer, body lines from the top (blank = paragraph gap)."""
    placed = [(72, 810, header)] if header else []
    y = 770
    for line in lines:
        if line:
            placed.append((72, y, line))
        y -= 15
    if footer:
        placed.append((72, 40, footer))
    return placed


def build_pdf(pages: list[list[tuple[int, int, str]]], title: str | None = None) -> bytes:
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")
    kids = []
    for lines in pages:
        ops = [f"BT /F1 11 Tf 1 0 0 1 {x} {y} Tm ({_esc(text)}) Tj ET" for x, y, text in lines]
        stream = "\n".join(ops).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842]"
                b" /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, content)
            )
        )
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title (%s) >>" % _esc(title).encode("cp1252")) if title else None
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objs) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
