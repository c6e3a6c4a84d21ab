"""WARC records found and read within the body budget, whatever the file holds.

An archive that travels beside an article is as untrusted as the article: one 3 MB gzip member can
expand to 3 GB, a header can claim any length, a "line" can run for gigabytes without a newline. So
the framing is read here, never by a library streaming through the file: each gzip member is inflated
through `budget.read_gzip_member` (stopped at the cap), each record's header block is read with a
bounded size, a record longer than the cap is refused by its Content-Length before its block is read,
and only a record's own bytes (at most the cap plus `RECORD_SLACK`) ever reach warcio for parsing.
A member over the cap is skipped (reading goes on at the next member that starts a record), so one
oversized record hides nothing after it.

The WARC format: ISO 28500 (WARC/1.0, WARC/1.1); a record is a header block ("WARC/1.x", fields,
a blank line), `Content-Length` bytes of block, then CRLF CRLF; a .warc.gz holds one gzip member per
record (WARC 1.1 annex D), though a whole file gzipped as one member is read too.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .budget import CHUNK, BodyError, megabytes, read_gzip_member, too_large
from .errors import SourcecheckError

log = logging.getLogger(__name__)

HEADER_MAX = 64 * 1024  # a WARC or HTTP header block longer than this is not a header block
RECORD_SLACK = 1024 * 1024  # what a record may hold beyond its payload's cap (WARC and HTTP headers)
EXPANSION_MAX = 32  # HTML gzips 5-10 fold; a bomb 1000 fold
_GZIP_MAGIC = b"\x1f\x8b\x08"
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_HTTP_STATUS = re.compile(rb"^HTTP/\d(?:\.\d)?[ \t]+(\d{3})")


class WarcDamaged(SourcecheckError):
    """The file's framing is broken at this point; the message says how (for a sentence upstream: the
    archive turns it into an `ArchiveError`, or keeps what it read before it)."""


@dataclass(frozen=True)
class Span:
    """Where a record is: `member` is the offset of the gzip member holding it (None in an uncompressed
    file) and `offset` its offset in the file, or in the member's inflated bytes."""

    member: int | None
    offset: int


@dataclass(frozen=True)
class Head:
    """A record's header fields (names lower-cased), and for an HTTP response its status and Location.

    `refused` is a sentence when the record is over the budget: its block was never read.
    """

    span: Span
    fields: dict[str, str]
    length: int
    http_status: int | None = None
    location: str | None = None
    refused: str | None = None


def _parse_fields(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.split(b"\n")[1:]:
        m = _FIELD.match(line.rstrip(b"\r"))
        if m:
            fields.setdefault(m.group(1).decode("ascii").lower(), m.group(2).decode("utf-8", "replace"))
    return fields


def _http_head(block_start: bytes) -> tuple[int | None, str | None]:
    end = _HEAD_END.search(block_start)
    head = block_start[: end.start()] if end else block_start
    status = _HTTP_STATUS.match(head)
    if status is None:
        return None, None
    location = _parse_fields(head).get("location")
    return int(status.group(1)), location


def _read_head(stream: BinaryIO, pos: int) -> tuple[dict[str, str], int, int, int] | None:
    """(fields, Content-Length, where the record starts, where its block starts) of the record at or
    after `pos` (blank lines between records skipped); None at the end."""
    stream.seek(pos)
    chunk = stream.read(HEADER_MAX)
    text = chunk.lstrip(b"\r\n")
    if not text:
        return None
    pos += len(chunk) - len(text)
    if not text.startswith(b"WARC/"):
        raise WarcDamaged(f"no WARC record starts at byte {pos}")
    end = _HEAD_END.search(text)
    if end is None:
        raise WarcDamaged(f"the record at byte {pos} has no end to its header (or it is cut off)")
    fields = _parse_fields(text[: end.start()])
    length = fields.get("content-length", "")
    if not length.isdigit():
        raise WarcDamaged(f"the record at byte {pos} has no valid Content-Length")
    return fields, int(length), pos, pos + end.end()


def _records(stream: BinaryIO, member: int | None, limit: int, complete: bool = True) -> Iterator[Head]:
    """The records of an uncompressed WARC stream (a file, or one member's inflated bytes).

    `complete` is False when the stream is a member cut at the budget: the records wholly inside the
    part read are yielded, and the scan of that member ends at the first record running past it.
    """
    size = stream.seek(0, io.SEEK_END)
    pos = 0
    while True:
        head = _read_head(stream, pos)
        if head is None:
            return
        fields, length, record_start, block = head
        span = Span(member, record_start)
        if length > limit + RECORD_SLACK:
            uri = fields.get("warc-target-uri", "").strip().strip("<>")
            yield Head(span, fields, length, refused=too_large(f"The archived copy of {uri[:200]}", limit))
            if member is not None:
                return  # the rest of the member was never inflated
            pos = block + length  # an uncompressed file: skip the block without reading it
            continue
        if block + length > size:
            if complete:
                raise WarcDamaged(f"the record at byte {record_start} is cut off")
            return
        stream.seek(block)
        status, location = _http_head(stream.read(min(length, HEADER_MAX)))
        yield Head(span, fields, length, status, location)
        pos = block + length


def is_gzip(fh: BinaryIO) -> bool:
    fh.seek(0)
    return fh.read(2) == b"\x1f\x8b"


def _next_member(fh: BinaryIO, pos: int) -> int | None:
    """The offset of the next gzip member at or after `pos` that holds a WARC record, found by its magic
    bytes (RFC 1952: 1f 8b, method 08) and checked by inflating its first bytes; None at the end."""
    while True:
        fh.seek(pos)
        chunk = fh.read(CHUNK)
        if len(chunk) < 3:
            return None
        found = chunk.find(_GZIP_MAGIC)
        if found < 0:
            pos += len(chunk) - 2
            continue
        candidate = pos + found
        fh.seek(candidate)
        try:
            first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(4096), 64)
        except zlib.error:
            first = b""
        if first.lstrip(b"\r\n").startswith(b"WARC/"):
            return candidate
        pos = candidate + 1


def scan(fh: BinaryIO, limit: int, what: str) -> Iterator[Head]:
    """Every record of the open WARC file `fh`, within the budget (see the module docstring).

    A gzip member holding more than the cap is read no further: the scan goes on at the next member
    that starts a record. All members together may expand to at most EXPANSION_MAX times the file's
    size (plus two records), far above what web pages compress to. Raises WarcDamaged where the
    framing breaks (records yielded before it stay good) and BodyError for a damaged gzip member.
    """
    if not is_gzip(fh):
        yield from _records(fh, None, limit)
        return
    size = fh.seek(0, io.SEEK_END)
    allowance = EXPANSION_MAX * size + 2 * (limit + RECORD_SLACK)
    start: int | None = 0
    while start is not None:
        if allowance <= 0:
            raise WarcDamaged(
                f"it expands more than {EXPANSION_MAX}-fold, which no archive of web pages does; "
                f"reading stopped at byte {start}"
            )
        fh.seek(start)
        if not fh.read(1):
            return
        data, following = read_gzip_member(fh, start, limit + RECORD_SLACK, what)
        allowance -= len(data)
        yield from _records(io.BytesIO(data), start, limit, complete=following is not None)
        if following is None:
            log.warning(
                "%s holds a compressed record larger than %s at byte %d; reading went on after it.",
                what,
                megabytes(limit),
                start,
            )
            following = _next_member(fh, start + 1)
        start = following


def read_record(fh: BinaryIO, span: Span, limit: int, what: str) -> bytes:
    """The bytes of the record at `span` (header and block), within the budget; raises BodyError when
    it is over it, WarcDamaged when the framing is broken there."""
    if span.member is None:
        stream: BinaryIO = fh
    else:
        data, _ = read_gzip_member(fh, span.member, limit + RECORD_SLACK, what)
        stream = io.BytesIO(data)
    head = _read_head(stream, span.offset)
    if head is None:
        raise WarcDamaged(f"no record at byte {span.offset}")
    _, length, _, block = head
    if length > limit + RECORD_SLACK:
        raise BodyError(too_large(what, limit))
    stream.seek(span.offset)
    record = stream.read(block - span.offset + length)
    if len(record) < block - span.offset + length:
        raise WarcDamaged(f"the record at byte {span.offset} is cut off")
    return record + b"\r\n\r\n"
