"""Pack each sample article's sources into `<name>.warc.gz`, so the samples work offline anywhere.

Reads sample_articles/sources/<name>/manifest.json and writes sample_articles/<name>.warc.gz with one
standard WARC/1.0 `response` record per URL (warcio's WARCWriter, gzip). Everything that could vary
between runs (record ids, dates, the gzip header) is fixed, so rebuilding gives the same bytes and a
diff of the committed archive means a source really changed. PDFs are rendered from a plain-text layout
file by the tiny generator below (Helvetica text objects: a real, extractable text layer) so the repo
needs no PDF tooling.

    python sample_articles/build_samples.py            # rebuild every sample
    python sample_articles/build_samples.py water-report

Manifest: {"date": "2026-03-14T09:30:00Z", "sources": [{"url": ..., "file": ..., "status": 200,
"content_type": "text/html; charset=utf-8", "location": optional redirect target, "pdf_from":
optional layout file the PDF `file` is rendered from, "date": optional WARC-Date}, ...]}
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import textwrap
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"


# -- a minimal PDF writer --------------------------------------------------------------------------

PAGE_W, PAGE_H, MARGIN = 612, 792, 64
LINE_CHARS = 88  # Helvetica 10.5 pt averages ~5.3 pt per character: 88 fit the text width


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _layout(text: str) -> list[list[tuple[str, str]]]:
    """Split the layout file into pages of (font, line). `\\f` on its own line starts a new page;
    a paragraph starting with `# ` is a heading (bold), others are wrapped body text."""
    pages = []
    for page_src in text.split("\n\f\n"):
        lines: list[tuple[str, str]] = []
        for para in page_src.strip().split("\n\n"):
            para = " ".join(para.split())
            if para.startswith("# "):
                lines.append(("F2", para[2:]))
            else:
                lines.extend(("F1", line) for line in textwrap.wrap(para, LINE_CHARS))
            lines.append(("F1", ""))
        pages.append(lines)
    return pages


def render_pdf(text: str, title: str) -> bytes:
    """A valid PDF 1.4 with one Helvetica text object per page (pypdf extracts it line by line)."""
    pages = _layout(text)
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    pages_obj = add(b"")
    font1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    font2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    for number, lines in enumerate(pages, start=1):
        ops = [b"BT", b"14 TL", f"{MARGIN} {PAGE_H - MARGIN} Td".encode()]
        font = None
        for name, line in lines:
            if name != font:
                size = "13" if name == "F2" else "10.5"
                ops.append(f"/{name} {size} Tf".encode())
                font = name
            ops.append(_pdf_string(line) + b" Tj T*" if line else b"T*")
        ops.append(b"/F1 9 Tf")
        ops.append(f"1 0 0 1 {PAGE_W // 2 - 20} {MARGIN // 2} Tm".encode())
        ops.append(_pdf_string(f"Page {number} of {len(pages)}") + b" Tj")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (pages_obj, PAGE_W, PAGE_H, content, font1, font2)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = add(b"<< /Title " + _pdf_string(title) + b" /Producer (sourcecheck build_samples.py) >>")

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    digest = hashlib.md5(b"".join(objects)).hexdigest().encode()
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, digest, digest, xref)
    )
    return out.getvalue()


# -- the archive -----------------------------------------------------------------------------------


def _record_id(name: str, url: str) -> str:
    digest = hashlib.sha256(f"{name} {url}".encode()).hexdigest()
    return f"<urn:uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}>"


def load_manifest(name: str) -> dict:
    return json.loads((SOURCES / name / "manifest.json").read_text(encoding="utf-8"))


def source_body(name: str, entry: dict) -> bytes:
    """The body for one manifest entry; a PDF is rendered from its layout file (first line: title)."""
    if entry.get("pdf_from"):
        layout = (SOURCES / name / entry["pdf_from"]).read_text(encoding="utf-8")
        title, _, text = layout.partition("\n")
        return render_pdf(text, title.strip())
    if not entry.get("file"):
        return b""  # e.g. a redirect
    return (SOURCES / name / entry["file"]).read_bytes()


def warc_bytes(name: str) -> bytes:
    """The sample's whole archive, byte for byte as it should be committed."""
    manifest = load_manifest(name)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.0")
    for entry in manifest["sources"]:
        body = source_body(name, entry)
        status = int(entry.get("status", 200))
        headers = [
            ("Content-Type", entry.get("content_type", "text/html; charset=utf-8")),
            ("Content-Length", str(len(body))),
            ("Date", "Sat, 14 Mar 2026 09:30:00 GMT"),
            ("Server", "nginx"),
        ]
        if entry.get("location"):
            headers.append(("Location", entry["location"]))
        http_headers = StatusAndHeaders(f"{status} {HTTPStatus(status).phrase}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            entry["url"],
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Record-ID": _record_id(name, entry["url"]),
                "WARC-Date": entry.get("date", manifest["date"]),
            },
        )
        writer.write_record(record)
    return buffer.getvalue()


def build(name: str) -> Path:
    """Write sample_articles/<name>.warc.gz (and any PDF it renders, so the file can be opened too)."""
    for entry in load_manifest(name)["sources"]:
        if entry.get("pdf_from"):
            (SOURCES / name / entry["file"]).write_bytes(source_body(name, entry))
    out_path = HERE / f"{name}.warc.gz"
    out_path.write_bytes(warc_bytes(name))
    return out_path


def sample_names() -> list[str]:
    return sorted(p.parent.name for p in SOURCES.glob("*/manifest.json"))


def main(argv: list[str]) -> int:
    for name in argv or sample_names():
        path = build(name)
        print(f"{path.relative_to(HERE.parent)}: {len(load_manifest(name)['sources'])} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
