"""The WARC evidence archive: our records are standard, others' standard records are readable."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import hostile_inputs
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tui.core.archive import Archive, ArchiveError, url_key, warc_date
from tui.core.models import FetchResult

HTML = b"<html><head><title>T</title></head><body><p>Hello from the archive.</p></body></html>"


def page(
    url: str, body: bytes = HTML, status: int = 200, when: str = "2026-03-01T10:00:00Z", **kw
) -> FetchResult:
    headers = kw.pop("headers", (("Content-Type", "text/html; charset=utf-8"),))
    return FetchResult(
        url=url, final_url=url, http_status=status, content_type="text/html; charset=utf-8",
        body=body, headers=headers, fetched_at=when, **kw,
    )  # fmt: skip


def write_standard(path: Path, records: list[tuple[str, str, bytes, list[tuple[str, str]], str]]) -> None:
    """Response records the way other tools (and the sample bundles) write them with warcio."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for uri, status, payload, headers, date in records:
            rec = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(payload),
                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(rec)


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / "deep" / "dir" / name
    archive = Archive(path)
    assert archive.lookup("https://x.test/a") is None  # no file yet
    archive.add(page("https://x.test/a"), request_headers=[("User-Agent", "sourcecheck/0.1.0")])
    assert path.exists()
    got = Archive(path).lookup("https://x.test/a")
    assert got is not None
    assert got.body == HTML and got.http_status == 200 and got.from_archive
    assert got.fetched_at == "2026-03-01T10:00:00Z"
    assert got.content_type == "text/html; charset=utf-8"
    assert ("Content-Type", "text/html; charset=utf-8") in got.headers
    if name.endswith(".gz"):
        assert path.read_bytes()[:2] == b"\x1f\x8b"


def test_records_are_valid_warc(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    Archive(path).add(page("https://x.test/a"), request_headers=[("User-Agent", "sc")])
    with path.open("rb") as fh:  # digests are checked while reading: a wrong one raises
        it = ArchiveIterator(fh, check_digests="raise")
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read()) for r in it
        ]
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    assert records[1][1] == "https://x.test/a" and records[1][2] == HTML
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            assert rec.rec_headers.protocol == "WARC/1.0"
            if rec.rec_type == "response":
                assert rec.http_headers.statusline == "200 OK"
                assert rec.rec_headers.get_header("WARC-Date") == "2026-03-01T10:00:00Z"
            if rec.rec_type == "request":
                assert rec.http_headers.protocol == "GET" and rec.http_headers.get_header("Host") == "x.test"


def test_raw_gzip_body_kept_as_it_arrived(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    raw = gzip.compress(HTML)
    headers = (("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"))
    Archive(path).add(page("https://x.test/gz", headers=headers), raw_body=raw)
    with path.open("rb") as fh:
        rec = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        assert rec.http_headers.get_header("Content-Encoding") == "gzip"
        assert rec.http_headers.get_header("Transfer-Encoding") is None  # framing is not the payload's
        assert rec.raw_stream.read() == raw
    got = Archive(path).lookup("https://x.test/gz")
    assert got is not None and got.body == HTML


def test_reads_standard_warcio_files_with_chunked_gzip(tmp_path: Path) -> None:
    """A bundle written by plain warcio, body chunked and gzip-encoded as captured on the wire."""
    body = "<p>Café crème, served since 1920.</p>".encode()
    gz = gzip.compress(body)
    chunked = b"%x\r\n" % len(gz) + gz + b"\r\n0\r\n\r\n"
    path = tmp_path / "sources.warc.gz"
    write_standard(
        path,
        [
            (
                "https://news.test/story",
                "200 OK",
                chunked,
                [
                    ("Content-Type", "text/html"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ],
                "2025-12-24T08:30:00Z",
            ),
            (
                "https://news.test/old",
                "301 Moved Permanently",
                b"",
                [("Location", "/story")],
                "2025-12-24T08:29:59Z",
            ),
        ],
    )
    archive = Archive(None, also_read=[path])
    got = archive.lookup("https://news.test/story")
    assert got is not None and got.body == body and got.fetched_at == "2025-12-24T08:30:00Z"
    via = archive.lookup("https://news.test/old#comments")
    assert via is not None and via.body == body
    assert via.url == "https://news.test/old#comments" and via.final_url == "https://news.test/story"
    archive.add(page("https://news.test/new"))  # no writable path: nothing happens, no error
    assert archive.lookup("https://news.test/new") is None


def test_resource_records(tmp_path: Path) -> None:
    path = tmp_path / "r.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        rec = writer.create_warc_record(
            "https://x.test/doc.txt",
            "resource",
            payload=io.BytesIO(b"plain words"),
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": "2024-01-02T03:04:05Z"},
        )
        writer.write_record(rec)
    got = Archive(None, also_read=[path]).lookup("https://x.test/doc.txt")
    assert got is not None and got.body == b"plain words" and got.http_status == 200
    assert got.content_type == "text/plain"


def test_newest_record_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    older = tmp_path / "bundle.warc"
    write_standard(older, [("https://x.test/a", "200 OK", b"bundled", [("Content-Type", "text/plain")],
                            "2020-01-01T00:00:00Z")])  # fmt: skip
    archive = Archive(path, also_read=[older])
    assert archive.lookup("https://x.test/a").body == b"bundled"  # type: ignore[union-attr]
    archive.add(page("https://x.test/a", b"fresh", when="2026-01-01T00:00:00Z"))
    assert archive.lookup("https://x.test/a").body == b"fresh"  # type: ignore[union-attr]
    archive.add(page("https://x.test/a", b"backdated", when="2019-01-01T00:00:00Z"))
    assert archive.lookup("https://x.test/a").body == b"fresh"  # type: ignore[union-attr]


def test_sees_records_appended_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    reader, writer = Archive(path), Archive(path)
    writer.add(page("https://x.test/1"))
    assert reader.lookup("https://x.test/1") is not None
    writer.add(page("https://x.test/2"))
    assert reader.lookup("https://x.test/2") is not None
    assert reader.lookup("https://x.test/1") is not None


def test_redirects_in_the_archive(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.warc")
    archive.add(page("https://x.test/r1", b"", 301, headers=(("Location", "https://x.test/r2"),)))
    archive.add(page("https://x.test/r2", b"", 302, headers=(("Location", "/final?q=1"),)))
    archive.add(page("https://x.test/final?q=1"))
    archive.add(page("https://x.test/dangling", b"", 302, headers=(("Location", "/nowhere"),)))
    archive.add(page("https://x.test/loop1", b"", 302, headers=(("Location", "/loop2"),)))
    archive.add(page("https://x.test/loop2", b"", 302, headers=(("Location", "/loop1"),)))
    got = archive.lookup("https://x.test/r1")
    assert got is not None and got.body == HTML and got.final_url == "https://x.test/final?q=1"
    assert archive.lookup("https://x.test/dangling") is None  # the page itself was never recorded
    assert archive.lookup("https://x.test/loop1") is None


def test_error_responses_are_recorded_but_failures_without_an_answer_are_not(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    archive = Archive(path)
    archive.add(page("https://x.test/gone", b"<p>Not here</p>", 404))
    archive.add(FetchResult(url="https://dns.test/", error="Could not find the server dns.test."))
    assert archive.lookup("https://x.test/gone").http_status == 404  # type: ignore[union-attr]
    assert archive.lookup("https://dns.test/") is None


def test_damaged_archive_is_an_archive_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"this is not a warc file at all\r\n" * 10)
    with pytest.raises(ArchiveError, match="could not be read"):
        Archive(path).lookup("https://x.test/")


def test_truncated_tail_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    Archive(path).add(page("https://x.test/ok"))
    with path.open("ab") as fh:
        fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\n")
    assert Archive(path).lookup("https://x.test/ok") is not None


def test_url_key() -> None:
    assert url_key("HTTPS://Example.ORG:443/a?b=1#frag") == "https://example.org/a?b=1"
    assert url_key("http://example.org") == "http://example.org/"
    assert url_key("http://example.org:8080/x") == "http://example.org:8080/x"
    assert url_key("<http://example.org/x>") == "http://example.org/x"


def test_warc_date() -> None:
    assert warc_date("2026-03-01T10:00:00+02:00") == "2026-03-01T08:00:00Z"
    assert warc_date("2026-03-01T10:00:00.123456Z") == "2026-03-01T10:00:00Z"
    assert len(warc_date(None)) == 20


# --- hostile archives: every record read within the body budget ------------------------------------


def _good(uri: str = "https://x.test/good") -> tuple[str, str, bytes, list[tuple[str, str]], str]:
    return (uri, "200 OK", HTML, [("Content-Type", "text/html")], "2026-01-01T00:00:00Z")


def test_a_gzip_member_bomb_is_refused_and_records_after_it_are_still_read(tmp_path: Path) -> None:
    """One member expanding to 3 GB, then a good record: the bomb costs at most the cap, the rest reads."""
    bomb_dir = tmp_path / "b"
    bomb_dir.mkdir()
    bomb = hostile_inputs.member_bomb(bomb_dir)
    path = tmp_path / "mixed.warc.gz"
    write_standard(tmp_path / "good.warc.gz", [_good()])
    path.write_bytes(bomb.read_bytes() + (tmp_path / "good.warc.gz").read_bytes())
    archive = Archive(None, also_read=[path], max_bytes=1 << 20)
    got = archive.lookup(hostile_inputs.URL)
    assert got is not None and got.body is None and got.from_archive
    assert got.error == (
        f"The archived copy of {hostile_inputs.URL} is larger than 1 MB, sourcecheck's limit; "
        "it stopped reading."
    )
    good = archive.lookup("https://x.test/good")
    assert good is not None and good.body == HTML


def test_a_gzip_payload_bomb_is_refused(tmp_path: Path) -> None:
    path = hostile_inputs.gzip_payload_bomb(tmp_path, mb=64)
    got = Archive(None, also_read=[path], max_bytes=1 << 20).lookup(hostile_inputs.URL)
    assert got is not None and got.error is not None and "larger than 1 MB" in got.error


def test_an_oversized_record_in_an_uncompressed_warc_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    big = (
        hostile_inputs.URL,
        "200 OK",
        b"x" * (3 << 20),
        [("Content-Type", "text/html")],
        "2026-01-01T00:00:00Z",
    )
    write_standard(path, [big, _good()])
    archive = Archive(None, also_read=[path], max_bytes=1 << 20)
    refused = archive.lookup(hostile_inputs.URL)
    assert refused is not None and refused.error is not None and "larger than 1 MB" in refused.error
    assert archive.lookup("https://x.test/good").body == HTML  # type: ignore[union-attr]


def test_a_whole_file_gzip_member_holding_several_records(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_standard(plain, [_good("https://x.test/1"), _good("https://x.test/2")])
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    archive = Archive(None, also_read=[path])
    assert archive.lookup("https://x.test/1").body == HTML  # type: ignore[union-attr]
    assert archive.lookup("https://x.test/2").body == HTML  # type: ignore[union-attr]


def test_an_archive_that_expands_like_a_bomb_stops_being_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Many small members each expanding past the cap: the scan stops at 32 times the file's size."""
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.test/%d\r\n"
        b"Content-Length: 4194304\r\n\r\n"
    )
    path = tmp_path / "many.warc.gz"
    path.write_bytes(b"".join(hostile_inputs.zeros_gz(4, prefix=head % i) for i in range(200)))
    archive = Archive(None, also_read=[path], max_bytes=1 << 20)
    assert "larger than 1 MB" in (archive.lookup("https://x.test/0").error or "")
    assert "expands more than 32-fold" in caplog.text
    read = sum(archive.lookup(f"https://x.test/{i}") is not None for i in range(200))
    assert 5 < read < 40  # 800 MB packed in 800 KB: about 26 MB were inflated, then reading stopped


@pytest.mark.parametrize("kind", ["fifo", "devzero"])
def test_an_archive_path_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "a.warc.gz"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(ArchiveError, match="not a regular file"):
        Archive(path).lookup("https://x.test/")


def test_a_header_that_never_ends_is_damage_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nX: " + b"y" * (8 << 20))
    with pytest.raises(ArchiveError, match="no end to its header"):
        Archive(path).lookup("https://x.test/")


# --- evidence you can trust: a record's date is bounded by where it was written ---------------------------


def test_a_forged_future_date_never_outranks_the_users_own_fetch(tmp_path: Path) -> None:
    """A bundled record dated 2099 beat the user's own --refresh fetch on every later run, silently."""
    bundle = tmp_path / "article.warc.gz"
    write_standard(bundle, [("https://x.test/a", "200 OK", b"forged", [("Content-Type", "text/plain")],
                             "2099-01-01T00:00:00Z")])  # fmt: skip
    own = tmp_path / "own.warc.gz"
    alone = Archive(own, also_read=[bundle]).lookup("https://x.test/a")
    assert alone is not None and alone.body == b"forged"  # the only copy is used, and said to be dubious
    assert alone.fetched_at is None and alone.archive_file == str(bundle)
    assert alone.archive_note is not None and alone.archive_note.startswith(
        "The archived copy in article.warc.gz claims it was recorded on 2099-01-01 00:00 UTC, after the "
        "archive file reached this computer ("
    )
    assert alone.archive_note.endswith("); that date is not believed.")
    Archive(own).add(page("https://x.test/a", b"fresh", when="2026-06-01T00:00:00Z"))
    for archive in (Archive(own, also_read=[bundle]), Archive(None, also_read=[bundle, own])):
        got = archive.lookup("https://x.test/a")
        assert got is not None and got.body == b"fresh" and got.fetched_at == "2026-06-01T00:00:00Z"
        assert got.archive_note is None and got.archive_file == str(own)


def test_a_plausible_newer_bundled_record_still_wins(tmp_path: Path) -> None:
    bundle = tmp_path / "b.warc"
    write_standard(bundle, [("https://x.test/a", "200 OK", b"newer", [("Content-Type", "text/plain")],
                             "2026-09-01T00:00:00Z")])  # fmt: skip
    own = tmp_path / "own.warc"
    Archive(own).add(page("https://x.test/a", b"older", when="2026-06-01T00:00:00Z"))
    got = Archive(own, also_read=[bundle]).lookup("https://x.test/a")
    assert got is not None and got.body == b"newer" and got.archive_note is None


def test_records_for_addresses_the_article_does_not_cite(tmp_path: Path) -> None:
    path = tmp_path / "b.warc"
    write_standard(
        path,
        [
            ("https://x.test/cited", "301 Moved", b"", [("Location", "/moved")], "2026-01-01T00:00:00Z"),
            ("https://x.test/moved", "200 OK", HTML, [("Content-Type", "text/html")], "2026-01-01T00:00:00Z"),
            ("https://x.test/other", "200 OK", HTML, [("Content-Type", "text/html")], "2026-01-01T00:00:00Z"),
        ],
    )
    archive = Archive(None, also_read=[path])
    assert archive.uncited(["https://x.test/cited#top"]) == {path: ["https://x.test/other"]}
    assert archive.uncited(["https://x.test/cited", "https://x.test/other"]) == {}
