"""The one body budget: decoded size capped for every coding, files only when regular, as a stream."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import brotli
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.core.article import ArticleError, load_article_file
from tui.core.budget import BodyError, BodyReader, ContentDecoder, read_file, read_stream

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

CODINGS = {
    "gzip": lambda data: gzip.compress(data, 6),
    "deflate": lambda data: zlib.compress(data, 6),
    "raw-deflate": lambda data: zlib.compress(data, 6)[2:-4],  # what many servers send as deflate
    "br": lambda data: brotli.compress(data, quality=1),
    "zstd": lambda data: zstd.compress(data),
}


def _header(coding: str) -> str:
    return "deflate" if coding == "raw-deflate" else coding


def _feed_in_chunks(reader: BodyReader, data: bytes, size: int) -> bytes:
    for start in range(0, len(data), size):
        reader.feed(data[start : start + size])
    return reader.finish()


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=5000) | st.text(max_size=3000).map(str.encode),
    coding=st.sampled_from(sorted(CODINGS)),
    size=st.integers(1, 700),
)
@example(data=b"", coding="raw-deflate", size=1)  # one byte cannot tell a zlib header from raw deflate
@example(data=b"x" * 300, coding="deflate", size=1)
def test_every_coding_round_trips_in_any_chunking(data: bytes, coding: str, size: int) -> None:
    reader = BodyReader("The source", 1 << 20, _header(coding))
    assert _feed_in_chunks(reader, CODINGS[coding](data), size) == data


def test_zstd_frames_one_after_another() -> None:
    reader = BodyReader("The source", 1 << 20, "zstd")
    assert _feed_in_chunks(reader, zstd.compress(b"one ") + zstd.compress(b"two"), 5) == b"one two"


@pytest.mark.parametrize("coding", sorted(CODINGS))
def test_bombs_stop_at_the_cap_with_bounded_output(coding: str) -> None:
    bomb = CODINGS[coding](b"\0" * (64 << 20))
    reader = BodyReader("The archived copy", 1 << 20, _header(coding))
    biggest = 0
    with pytest.raises(BodyError, match=r"^The archived copy is larger than 1 MB, sourcecheck's limit"):
        for start in range(0, len(bomb), 16384):
            before = reader.decoded
            reader.feed(bomb[start : start + 16384])
            biggest = max(biggest, reader.decoded - before)
    # never much more than the cap was produced (brotli's output buffer overshoots its limit a little)
    assert reader.decoded <= (1 << 20) + 128 * 1024
    assert biggest <= (1 << 20) + 128 * 1024


@pytest.mark.parametrize("coding", sorted(CODINGS))
def test_truncated_and_corrupt_streams_are_sentences(coding: str) -> None:
    packed = CODINGS[coding](b"some text " * 500)
    reader = BodyReader("The source", 1 << 20, _header(coding))
    with pytest.raises(BodyError, match=r"^The server sent a corrupt (or truncated )?compressed page\.$"):
        reader.feed(packed[: len(packed) // 2])
        reader.finish()
    garbage = BodyReader("The source", 1 << 20, _header(coding))
    with pytest.raises(BodyError, match=r"^The server sent a corrupt (or truncated )?compressed page\.$"):
        garbage.feed(b"\xff\xfe this is not compressed at all" * 10)
        garbage.finish()


def test_unknown_or_stacked_codings_are_refused() -> None:
    with pytest.raises(BodyError, match="'compress', which sourcecheck cannot decode"):
        ContentDecoder("compress")
    with pytest.raises(BodyError, match="'gzip, br', which sourcecheck cannot decode"):
        ContentDecoder("gzip, br")
    assert ContentDecoder("identity").feed(b"abc", 10) == b"abc"


def test_raw_bytes_are_capped_too() -> None:
    reader = BodyReader("The source", 10)
    reader.feed(b"0123456789")
    with pytest.raises(BodyError, match="larger than"):
        reader.feed(b"x")


def test_read_stream_stops_at_the_cap() -> None:
    class Endless:
        reads = 0

        def read(self, size: int = -1) -> bytes:
            self.reads += 1
            return b"z" * size

    stream = Endless()
    with pytest.raises(BodyError, match="larger than 1 MB"):
        read_stream(stream, BodyReader("The payload", 1 << 20))
    assert stream.reads <= (1 << 20) // (64 * 1024) + 1


# --- files ------------------------------------------------------------------------------------------


def test_regular_files_are_read(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_bytes(b"hello")
    assert read_file(p, "The article file a.md") == b"hello"
    link = tmp_path / "link.md"
    link.symlink_to(p)
    assert read_file(link, "The article file link.md") == b"hello"


def test_a_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "big.md"
    with p.open("wb") as fh:
        fh.truncate(20 << 20)  # sparse: 20 MB that costs nothing
    with pytest.raises(BodyError, match=r"^The article file big.md is larger than 15 MB"):
        read_file(p, "The article file big.md")


@pytest.mark.parametrize(
    ("target", "kind"), [("/dev/zero", "a device"), ("/dev/urandom", "a device"), ("/dev/null", "a device")]
)
def test_devices_are_refused_even_through_a_symlink(tmp_path: Path, target: str, kind: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} is absent")
    link = tmp_path / "article.md"
    link.symlink_to(target)
    with pytest.raises(ArticleError) as info:
        load_article_file(link)
    assert str(info.value) == (
        f"The article file {link} is {kind}, not a regular file; sourcecheck reads only files."
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_nobody_writes_to_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    with pytest.raises(ArticleError, match=r"is a FIFO \(named pipe\), not a regular file"):
        load_article_file(fifo)  # a blocking open would wait here forever


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_audit_inputs_never_block_on_a_fifo_or_read_a_device(tmp_path: Path) -> None:
    from tui.core.audit.db import is_audit_database
    from tui.core.audit.inputs import _list_entries

    fifo = tmp_path / "list.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        assert _list_entries(path) is None  # then read as an article, which refuses it with a sentence
        assert is_audit_database(path) is False
