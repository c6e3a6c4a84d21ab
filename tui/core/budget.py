"""One budget for every body sourcecheck reads, whatever its origin: the network, an evidence archive
(bundled beside the article or the user's own), a local article file.

Everything read is untrusted and may be built to exhaust memory: a 3 MB gzip member that expands to
3 GB, a payload whose `Content-Encoding` does the same, an article path that is a FIFO nobody writes
to or a symlink to /dev/zero. So every body is read here, as a stream, and stopped at the cap:

- `BodyReader` takes the bytes as they arrive, undoes the Content-Encoding (gzip, deflate, br, zstd;
  RFC 9110 section 8.4.1) with the decoder's output bounded on every call, and refuses the body the
  moment its DECODED size passes `max_bytes` (and its raw size too);
- `read_stream` drives a `BodyReader` from a file-like object (archive payloads);
- `open_regular` / `read_file` open only regular files, without blocking on a FIFO, and read them
  the same way.

The one cap, `MAX_BODY_BYTES`, is `FetchConfig.max_bytes` by default; the README's "Safety" section
says how to change it. Refusals are `BodyError`s whose message is one sentence naming what was read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

from .errors import SourcecheckError

MAX_BODY_BYTES = 15 * 1024 * 1024
CHUNK = 64 * 1024


class BodyError(SourcecheckError):
    """A body was refused: over the size cap, corrupt compression, not a regular file. One sentence."""


def megabytes(n: int) -> str:
    """`15 MB` for 15 * 1024 * 1024 bytes: how a limit is named in a sentence."""
    return f"{n / (1024 * 1024):g} MB"


def too_large(what: str, limit: int) -> str:
    """The sentence for a body over the cap; `what` names it ("The source", "The archived copy")."""
    return f"{what} is larger than {megabytes(limit)}, sourcecheck's limit; it stopped reading."


# --- Content-Encoding, bounded ----------------------------------------------------------------------


class _Codec(Protocol):
    def decode(self, data: bytes, max_out: int) -> bytes: ...  # at most max_out bytes
    def pending(self) -> bool: ...  # output is waiting that a call with no input would produce
    def end(self) -> tuple[bytes, bool]: ...  # (any last output, whether the stream ended properly)


class _Zlib:
    """gzip (RFC 1952) or deflate (zlib-wrapped per RFC 9110, raw in practice: both are tried)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self._head = b""  # deflate: the first bytes, until the two that tell zlib from raw are in

    def decode(self, data: bytes, max_out: int) -> bytes:
        if self._z is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            # a zlib stream opens with CMF FLG: compression method 8 and a 16-bit check that is a
            # multiple of 31 (RFC 1950 section 2.2); anything else is a raw deflate stream (RFC 1951)
            wrapped = data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return self._z.decompress(self._z.unconsumed_tail + data, max_out)

    def pending(self) -> bool:
        return self._z is not None and bool(self._z.unconsumed_tail)

    def end(self) -> tuple[bytes, bool]:
        if self._z is None:
            return b"", not self._gzip and not self._head
        tail = self._z.flush()  # raises zlib.error on a damaged tail
        return tail, self._z.eof


_BROTLI_SLICE = 64 * 1024


class _Brotli:
    """br (RFC 7932); `output_buffer_limit` (brotli >= 1.2) bounds each call's output."""

    def __init__(self) -> None:
        import brotli

        self._d = brotli.Decompressor()

    def decode(self, data: bytes, max_out: int) -> bytes:
        if data and not self._d.can_accept_more_data():
            raise ValueError("brotli output pending")  # never happens: feed drains pending output
        # the limit is where the output buffer stops growing, and it grows by doubling: asking for
        # small slices keeps the overshoot under ~100 KB (ContentDecoder.feed asks again while pending)
        return self._d.process(data, output_buffer_limit=min(max_out, _BROTLI_SLICE))

    def pending(self) -> bool:
        return not self._d.can_accept_more_data()

    def end(self) -> tuple[bytes, bool]:
        return b"", self._d.is_finished()


class _Zstd:
    """zstd (RFC 8878), frames one after another; `max_length` bounds each call's output."""

    def __init__(self) -> None:
        self._d = _zstd_decompressor()
        self._done = False

    def decode(self, data: bytes, max_out: int) -> bytes:
        out = self._d.decompress(data, max_out)
        if self._d.eof:
            rest = self._d.unused_data
            self._d = _zstd_decompressor()
            self._done = not rest
            if rest:
                out += self._d.decompress(rest, max(0, max_out - len(out)))
        elif data:
            self._done = False
        return out

    def pending(self) -> bool:
        return not self._d.needs_input

    def end(self) -> tuple[bytes, bool]:
        return b"", self._done


def _zstd_decompressor():  # type: ignore[no-untyped-def]
    try:
        from compression.zstd import ZstdDecompressor  # Python 3.14+
    except ImportError:
        from backports.zstd import ZstdDecompressor
    return ZstdDecompressor()


_CODECS: dict[str, Callable[[], _Codec]] = {
    "gzip": lambda: _Zlib(gzip=True),
    "x-gzip": lambda: _Zlib(gzip=True),
    "deflate": lambda: _Zlib(gzip=False),
    "br": _Brotli,
    "zstd": _Zstd,
}


class ContentDecoder:
    """A Content-Encoding undone incrementally, with the output bounded (decompression bombs).

    Raises BodyError at construction for a coding it cannot undo (several stacked codings included),
    and from `feed`/`flush` when the compressed data is corrupt or truncated.
    """

    def __init__(self, encoding: str | None, what: str = "The server") -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self._what = what
        self.coding = codings[0] if codings else None
        self._codec: _Codec | None = None
        if len(codings) > 1 or (codings and codings[0] not in _CODECS):
            raise BodyError(f"{what} compressed the page as '{encoding}', which sourcecheck cannot decode.")
        if self.coding is not None:
            try:
                self._codec = _CODECS[self.coding]()
            except ImportError as exc:
                raise BodyError(
                    f"{what} compressed the page as '{self.coding}', and the library to decode it is "
                    "not installed."
                ) from exc

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decode `data`, producing at most `limit` + 1 bytes (so the caller can tell it overflowed)."""
        if self._codec is None:
            return data
        try:
            out = self._codec.decode(data, limit + 1)
            while len(out) <= limit and self._codec.pending():
                more = self._codec.decode(b"", limit + 1 - len(out))
                if not more:
                    break
                out += more
            return out
        except Exception as exc:  # zlib.error, brotli.error, ZstdError: all mean corrupt input
            raise BodyError(f"{self._what} sent a corrupt compressed page.") from exc

    def flush(self) -> bytes:
        """Any output left, once the compressed stream is checked to have ended properly."""
        if self._codec is None:
            return b""
        try:
            tail, finished = self._codec.end()
        except Exception as exc:
            raise BodyError(f"{self._what} sent a corrupt compressed page.") from exc
        if not finished:  # the stream's end (and gzip's checksum) never came
            raise BodyError(f"{self._what} sent a corrupt or truncated compressed page.")
        return tail


# --- the reader every body goes through -------------------------------------------------------------


class BodyReader:
    """Collects one body chunk by chunk, decoded, and refuses it at the cap.

    `what` names the body in sentences ("The source", "The archived copy of ..."); `sender` names who
    compressed it ("The server", "The archive"). Both the raw bytes and the decoded bytes are capped
    at `max_bytes`; `feed` raises BodyError the moment either passes it, having kept at most
    `max_bytes` + one decoder call's bounded output in memory.
    """

    def __init__(
        self,
        what: str,
        max_bytes: int = MAX_BODY_BYTES,
        content_encoding: str | None = None,
        *,
        sender: str = "The server",
    ) -> None:
        self.what = what
        self.max_bytes = max_bytes
        self.raw = 0
        self.decoded = 0
        self._parts: list[bytes] = []
        self._decoder = ContentDecoder(content_encoding, sender)

    def too_large(self) -> BodyError:
        return BodyError(too_large(self.what, self.max_bytes))

    def feed(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.raw > self.max_bytes:
            raise self.too_large()
        out = self._decoder.feed(chunk, self.max_bytes - self.decoded)
        self.decoded += len(out)
        if self.decoded > self.max_bytes:
            raise self.too_large()
        if out:
            self._parts.append(out)

    def finish(self) -> bytes:
        """The whole decoded body; raises BodyError when the compressed stream was cut short."""
        tail = self._decoder.flush()
        self.decoded += len(tail)
        if self.decoded > self.max_bytes:
            raise self.too_large()
        self._parts.append(tail)
        body = b"".join(self._parts)
        self._parts = [body]
        return body


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def read_stream(stream: _Readable, reader: BodyReader, chunk: int = CHUNK) -> bytes:
    """Feed `reader` from `stream` until it ends (or the cap refuses it); the decoded body."""
    while True:
        data = stream.read(chunk)
        if not data:
            return reader.finish()
        reader.feed(data)


# --- files ------------------------------------------------------------------------------------------


def open_regular(path: str | Path, what: str) -> BinaryIO:
    """Open `path` for reading only if it is a regular file (a symlink is followed, then judged).

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; the file's type is
    then read from the open descriptor (no race with a rename), so a FIFO, a socket, or a device such
    as /dev/zero or /dev/urandom (even through a symlink) is refused with a sentence before any read.
    Raises BodyError; OSError (missing, permission denied) is left to the caller to phrase.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a FIFO (named pipe)"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "a directory"
                if stat.S_ISDIR(mode)
                else "not a regular file"
            )
            raise BodyError(f"{what} is {kind}, not a regular file; sourcecheck reads only files.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def read_file(path: str | Path, what: str, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, read as a stream (a file growing while it is
    read is stopped at the cap too). Raises BodyError (not a regular file, too large) or OSError."""
    with open_regular(path, what) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise BodyError(too_large(what, max_bytes))
        return read_stream(fh, BodyReader(what, max_bytes))


def read_gzip_member(fh: BinaryIO, start: int, max_bytes: int, what: str) -> tuple[bytes, int | None]:
    """Inflate the one gzip member (RFC 1952) that starts at byte `start` of `fh`, within the budget.

    Returns its bytes and the offset where the next member starts; a member holding more than
    `max_bytes` gives its first `max_bytes` bytes and None, the rest never inflated (a 3 MB member can
    hold 3 GB). Raises BodyError, naming `what`, when the member is damaged or cut off.
    """
    fh.seek(start)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    try:
        while not inflater.eof:
            data = inflater.unconsumed_tail or fh.read(CHUNK)
            if not data:
                raise BodyError(f"{what} is cut off in the middle of a compressed record.")
            out = inflater.decompress(data, max_bytes + 1 - size)
            size += len(out)
            if size > max_bytes:
                parts.append(out[: max_bytes - size + len(out)])
                return b"".join(parts), None
            parts.append(out)
    except zlib.error as exc:
        raise BodyError(f"{what} holds a damaged compressed record.") from exc
    return b"".join(parts), fh.tell() - len(inflater.unused_data)


def accepted_encodings() -> str:
    """The Accept-Encoding a request may send: gzip and deflate always, br and zstd when their decoders
    are installed (a server must not send a coding the client did not offer)."""
    import importlib.util

    codings = ["gzip", "deflate"]
    if importlib.util.find_spec("brotli") is not None:
        codings.append("br")
    try:
        _zstd_decompressor()
    except ImportError:
        pass
    else:
        codings.append("zstd")
    return ", ".join(codings)
