"""Content-Encoding undone as the body streams in, with the output bounded (decompression bombs)."""

from __future__ import annotations

import zlib

from ..errors import FetchError


class ContentDecoder:
    """Content-Encoding undone incrementally, with the output bounded (decompression bombs)."""

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(
                f"The server compressed the page as '{encoding}', which sourcecheck cannot decode."
            )
        self.coding = codings[0] if codings else None
        self._z: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decode `data`, producing at most `limit` + 1 bytes (so the caller can tell it overflowed)."""
        if self.coding is None:
            return data
        if self._z is None:  # deflate: zlib-wrapped per the RFC, raw in practice; try both
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            try:
                return self._z.decompress(data, limit + 1)
            except zlib.error:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            return self._z.decompress(self._z.unconsumed_tail + data, limit + 1)
        except zlib.error as exc:
            raise FetchError("The server sent a corrupt compressed page.") from exc

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            tail = self._z.flush()
        except zlib.error as exc:
            raise FetchError("The server sent a corrupt compressed page.") from exc
        if not self._z.eof:  # the stream's end (and gzip's checksum) never came
            raise FetchError("The server sent a corrupt or truncated compressed page.")
        return tail
