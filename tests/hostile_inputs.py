"""Builders for the hostile reproducers of ../shared/hostile-inputs, made at test time (never committed).

Each follows the recipe of `mk_offline_warcs.py` / `make_special_articles.sh` there: an article NAME.md
citing http://news.example.org/report, and NAME.warc.gz beside it holding the hostile response. The one
difference is speed: `zeros_gz` writes the same single gzip member of N MB of zeros as the recipe,
but by repeating one context-free deflate block instead of compressing gigabytes (milliseconds
instead of a minute), with the correct CRC and length in the trailer.
"""

from __future__ import annotations

import functools
import io
import os
import random
import struct
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

URL = "http://news.example.org/report"
TEXT = b"The bridge carried 160,000 vehicles a day in 2023 and the repairs were urgent but manageable. "
_MB = 1 << 20


def article(folder: Path, name: str, urls: tuple[str, ...] = (URL,)) -> Path:
    """NAME.md quoting "urgent but manageable" from each of `urls`, one paragraph each."""
    path = folder / f"{name}.md"
    paragraphs = [f'Officials called the repairs "urgent but manageable" ([source]({u})).' for u in urls]
    path.write_text(f"# {name}\n\n" + "\n\n".join(paragraphs) + "\n")
    return path


def response_record(
    writer: WARCWriter, url: str, body: bytes, ctype: str, extra=(), date: str = "2026-01-01T00:00:00Z"
) -> None:
    headers = [("Content-Type", ctype), *extra, ("Content-Length", str(len(body)))]
    writer.write_record(
        writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date},
        )
    )


def warc(
    folder: Path,
    name: str,
    body: bytes,
    ctype: str,
    extra=(),
    date: str = "2026-01-01T00:00:00Z",
    gz: bool = True,
    url: str = URL,
) -> Path:
    """The recipe's `warc()`: NAME.md and NAME.warc(.gz) with one response record for `url`."""
    article(folder, name)
    path = folder / (f"{name}.warc" + (".gz" if gz else ""))
    with path.open("wb") as fh:
        response_record(WARCWriter(fh, gzip=gz), url, body, ctype, extra, date)
    return path


@functools.cache
def _zeros_block() -> bytes:
    """1 MB of zeros deflated after a full flush: context-free, so it can be repeated at will."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    z.compress(b"\0")
    z.flush(zlib.Z_FULL_FLUSH)
    return z.compress(b"\0" * _MB) + z.flush(zlib.Z_FULL_FLUSH)


@functools.cache
def _zeros_crc(mb: int) -> int:
    """CRC-32 of `mb` MB of zeros, by halving (a gigabyte's CRC in microseconds)."""
    if mb == 1:
        return zlib.crc32(b"\0" * _MB)
    half = _zeros_crc(mb // 2)
    crc = _crc_combine(half, half, (mb // 2) * _MB)
    return _crc_combine(crc, _zeros_crc(1), _MB) if mb % 2 else crc


def zeros_gz(mb: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """One gzip member holding `prefix`, `mb` MB of zeros and `suffix` (the recipe's `zeros_gz`)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = z.compress(prefix) + z.flush(zlib.Z_FULL_FLUSH)
    tail = z.compress(suffix) + z.flush()  # the final block, and a trailer for the wrong content ...
    crc = zlib.crc32(suffix, _crc_combine(zlib.crc32(prefix), _zeros_crc(mb), mb * _MB))
    trailer = struct.pack("<II", crc, (len(prefix) + mb * _MB + len(suffix)) & 0xFFFFFFFF)
    return head + _zeros_block() * mb + tail[:-8] + trailer  # ... replaced by the right one


def _crc_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine, which Python does not expose):
    shifting crc(A) through len(B) zero bytes is multiplying by x^(8 len(B)) modulo the polynomial."""

    def times(a: int, b: int) -> int:  # a * b in GF(2)[x] modulo the reflected CRC-32 polynomial
        product, m = 0, 1 << 31
        while m:
            if a & m:
                product ^= b
                if a & (m - 1) == 0:
                    break
            m >>= 1
            b = (b >> 1) ^ 0xEDB88320 if b & 1 else b >> 1
        return product

    power, x = 1 << 31, 1 << 30  # x^0 and x^1 in the reflected representation
    n = len2 * 8
    while n:
        if n & 1:
            power = times(power, x)
        x = times(x, x)
        n >>= 1
    return times(power, crc1) ^ crc2


def gzip_payload_bomb(folder: Path, mb: int = 3072) -> Path:
    """A record whose HTTP payload is `Content-Encoding: gzip` expanding to `mb` MB (uncompressed WARC)."""
    return warc(
        folder, "warc-gzip-payload-bomb", zeros_gz(mb), "text/html", [("Content-Encoding", "gzip")], gz=False
    )


def member_bomb(folder: Path, mb: int = 3072) -> Path:
    """A .warc.gz whose single gzip member (one record) expands to `mb` MB."""
    article(folder, "warc-member-bomb")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {URL}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
        "WARC-Record-ID: <urn:uuid:11111111-1111-1111-1111-111111111111>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + mb * _MB}\r\n\r\n"
    ).encode()
    path = folder / "warc-member-bomb.warc.gz"
    path.write_bytes(zeros_gz(mb, prefix=head + http, suffix=b"\r\n\r\n"))
    return path


def garbage_as_html(folder: Path) -> Path:
    """200 KB of random bytes labelled text/html."""
    r = random.Random(7)
    return warc(folder, "garbage-as-html", bytes(r.getrandbits(8) for _ in range(200_000)), "text/html")


def links_page(folder: Path, links: int = 600_000) -> Path:
    """A page of `links` links (13.7 MB at 600k, under the cap)."""
    anchors = b"".join(b"<a href=/x%d>l</a> " % i for i in range(links))
    body = b"<html><body><p>" + TEXT * 5 + b"</p><p>" + anchors + b"</p></body></html>"
    return warc(folder, f"links{links // 1000}k", body, "text/html")


def links_article(folder: Path, links: int = 600_000) -> Path:
    """The same page of `links` links as the article itself (article.html), not as a source."""
    anchors = b"".join(b"<a href=/x%d>l</a> " % i for i in range(links))
    path = folder / "article.html"
    path.write_bytes(b"<html><body><p>" + TEXT * 5 + b"</p><p>" + anchors + b"</p></body></html>")
    return path


def nested_divs(folder: Path, depth: int = 100_000) -> Path:
    body = b"<html><body>" + b"<div>" * depth + TEXT * 5 + b"</div>" * depth + b"</body></html>"
    return warc(folder, "nested-divs", body, "text/html")


def pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bomb_body(pages: int = 16, tokens: int = 900_000) -> bytes:
    """A PDF whose `pages` share one content stream of 2 x `tokens` tokens (the default 1.8M is under
    pypdf's 2M per-stream budget): a few KB that take about 40 s of CPU per page to read."""
    content = zlib.compress(b"BT /F1 12 Tf 10 700 Td " + b"(A) Tj " * tokens + b"ET", 9)
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    kids = []
    for _ in range(pages):
        kids.append(b"%d 0 R" % (len(objs) + 1))
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return pdf(objs)


def pdf_cpu_bomb(folder: Path) -> Path:
    """16 pages sharing one content stream of 1.8M tokens (under pypdf's 2M per-stream budget)."""
    return warc(folder, "pdf-cpu-bomb", pdf_bomb_body(), "application/pdf")


def special_articles(folder: Path) -> dict[str, Path]:
    """`make_special_articles.sh`: article paths that are /dev/zero, /dev/urandom and a FIFO."""
    made = {}
    for name, target in (("devzero.md", "/dev/zero"), ("devrandom.txt", "/dev/urandom")):
        (folder / name).symlink_to(target)
        made[name] = folder / name
    os.mkfifo(folder / "fifo.md")
    made["fifo.md"] = folder / "fifo.md"
    return made


def many_links(folder: Path, count: int) -> Path:
    path = folder / f"links{count // 1000}k.md"
    path.write_text(
        "".join(f"See [l{i}](http://10.0.{i // 250 % 250}.{i % 250}/p{i}) now.\n" for i in range(count))
    )
    return path
