"""The evidence archive: every fetched response kept as a standard WARC, and replayed from it.

A source page changes or disappears; what the checker saw must stay checkable. Records are plain
WARC/1.0 `response` (+ `request`) records, so any WARC tool can read our archives and we can read
theirs (warcio-written sample bundles, wget/Browsertrix captures with `response` or `resource` records).
"""

from __future__ import annotations

import contextlib
import http
import io
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from .. import __version__
from .budget import MAX_BODY_BYTES, BodyError, BodyReader, open_regular, read_stream
from .errors import ArchiveError
from .models import FetchResult
from .warcrecords import Span, WarcDamaged, read_record, scan

log = logging.getLogger(__name__)

MAX_RECORDED_REDIRECTS = 10
_REDIRECTS = {301, 302, 303, 307, 308}
# Framing headers that describe the bytes on the wire, not the payload we store.
_FRAMING = {"transfer-encoding", "content-length", "connection", "keep-alive"}


def url_key(url: str) -> str:
    """The identity of a URL for lookup: no fragment, lower-case scheme/host, no default port."""
    try:
        parts = urlsplit(url.strip().strip("<>"))
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def warc_date(fetched_at: str | None) -> str:
    """A WARC-Date (UTC, `YYYY-MM-DDTHH:MM:SSZ`) for an ISO 8601 timestamp (now when missing)."""
    when = datetime.now(UTC)
    if fetched_at:
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(fetched_at)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class _Entry:
    file: Path
    span: Span
    uri: str
    when: datetime
    order: int  # position among everything indexed; breaks ties between equal dates
    http_status: int | None = None
    location: str | None = None
    refused: str | None = None  # a sentence: the record is over the body budget
    note: str | None = None  # a sentence: the record's claimed date is not believed


# A record's date is a claim; when it was written is bounded by where it is: a file cannot hold a record
# written after the file reached this computer (its inode change time, which no archive tool or `touch`
# sets) nor after now. A claim past that bound (plus a day for clocks that disagree) is not believed: the
# record ranks below every dated one, and its result says so.
CLOCK_SLACK = timedelta(days=1)


def _arrival(fd: int) -> datetime:
    """When the open file last changed on this computer (st_ctime), as a naive UTC datetime."""
    changed = datetime.fromtimestamp(os.fstat(fd).st_ctime, UTC)
    return min(changed, datetime.now(UTC)).replace(tzinfo=None)


def _believed(claimed: datetime, arrived: datetime, file: Path) -> tuple[datetime, str | None]:
    if claimed == datetime.min or claimed <= arrived + CLOCK_SLACK:
        return claimed, None
    return datetime.min, (
        f"The archived copy in {file.name} claims it was recorded on {claimed:%Y-%m-%d %H:%M} UTC, after the "
        f"archive file reached this computer ({arrived:%Y-%m-%d %H:%M} UTC); that date is not believed."
    )


def _archived(entry: _Entry, url: str) -> FetchResult:
    fetched_at = entry.when.strftime("%Y-%m-%dT%H:%M:%SZ") if entry.when != datetime.min else None
    return FetchResult(
        url=url, final_url=entry.uri, fetched_at=fetched_at, from_archive=True,
        archive_file=str(entry.file), archive_note=entry.note,
    )  # fmt: skip


class Archive:
    """One writable WARC (`path`, may not exist yet) plus read-only ones (`also_read`).

    Safe to call from several threads (the fetcher writes from worker threads); an index of
    URL -> newest record is built lazily and refreshed when a file grows behind our back. Every file
    and record is read within the body budget (`max_bytes`, see `core.budget` and `warcrecords`).
    """

    def __init__(
        self, path: Path | None, *, also_read: Sequence[Path] = (), max_bytes: int = MAX_BODY_BYTES
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.also_read = tuple(Path(p) for p in also_read)
        self.max_bytes = max_bytes
        self._lock = threading.RLock()
        self._index: dict[str, _Entry] = {}
        self._scanned: dict[Path, int] = {}  # file -> size when last indexed (or found unreadable)
        self._order = 0

    # --- reading ------------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        files = list(self.also_read)
        if self.path is not None:
            files.append(self.path)
        return files

    def _refresh(self) -> None:
        for file in self._files():
            try:
                size = file.stat().st_size
            except OSError:
                continue
            if self._scanned.get(file) == size:
                continue
            for key in [k for k, e in self._index.items() if e.file == file]:
                del self._index[key]
            self._scanned[file] = size  # a file that cannot be read is reported once, not per lookup
            self._scan(file)

    def _scan(self, file: Path) -> None:
        seen = 0
        what = f"The evidence archive {file}"
        try:
            with open_regular(file, what) as fh:
                arrived = _arrival(fh.fileno())
                for head in scan(fh, self.max_bytes, what):
                    seen += 1
                    uri = head.fields.get("warc-target-uri", "").strip().strip("<>")
                    if head.fields.get("warc-type") not in ("response", "resource") or not uri:
                        continue
                    self._order += 1
                    when, note = _believed(self._when(head.fields.get("warc-date")), arrived, file)
                    entry = _Entry(
                        file, head.span, uri, when, self._order, head.http_status, head.location,
                        head.refused, note,
                    )  # fmt: skip
                    self._put(url_key(uri), entry)
        except (WarcDamaged, BodyError, OSError) as exc:
            # A damaged tail (e.g. an interrupted write) keeps what was read before it.
            if not seen:
                raise ArchiveError(f"The evidence archive {file} could not be read ({exc}).") from exc
            log.warning("The evidence archive %s is damaged after record %d: %s", file, seen, exc)

    @staticmethod
    def _when(value: str | None) -> datetime:
        try:
            return iso_date_to_datetime(value) if value else datetime.min
        except (ValueError, IndexError):
            return datetime.min

    def _put(self, key: str, entry: _Entry) -> None:
        old = self._index.get(key)
        if old is None or (entry.when, entry.order) >= (old.when, old.order):
            self._index[key] = entry

    def _read(self, entry: _Entry, url: str) -> FetchResult:
        """The response recorded at `entry`, its payload decoded within the budget; a result with an
        error sentence when the budget refuses it, ArchiveError when the file is damaged there."""
        what = f"The archived copy of {entry.uri[:200]}"
        meta = _archived(entry, url)
        try:
            with open_regular(entry.file, what) as fh:
                data = read_record(fh, entry.span, self.max_bytes, what)
            record = next(iter(ArchiveIterator(io.BytesIO(data), arc2warc=False)))
            if record.rec_type == "resource" or record.http_headers is None:
                ctype = record.rec_headers.get_header("Content-Type")
                body = read_stream(record.raw_stream, BodyReader(what, self.max_bytes))
                return replace(
                    meta,
                    http_status=200,
                    content_type=ctype,
                    body=body,
                    headers=(("Content-Type", ctype or ""),),
                )
            http_headers = record.http_headers
            stream = record.raw_stream
            if (http_headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
                stream = ChunkedDataReader(stream)
            reader = BodyReader(
                what,
                self.max_bytes,
                http_headers.get_header("Content-Encoding"),
                sender="The recorded server",
            )
            status_line = http_headers.get_statuscode() or "0"
            return replace(
                meta,
                http_status=int(status_line) if status_line.isdigit() else None,
                content_type=http_headers.get_header("Content-Type"),
                body=read_stream(stream, reader),
                headers=tuple((k, v) for k, v in http_headers.headers),
            )
        except BodyError as exc:
            return replace(meta, error=str(exc))
        except Exception as exc:  # warcio raises anything from ValueError to AttributeError on bad input
            raise ArchiveError(f"The evidence archive {entry.file} is damaged ({exc}).") from exc

    def lookup(self, url: str, *, follow: bool = True) -> FetchResult | None:
        """The newest recorded response for `url`, following recorded redirects; None when absent.

        A redirect whose target was not recorded counts as absent (the page itself is not there). A
        record over the body budget comes back as a result whose `error` says so.
        With `follow` False the recorded response for `url` itself comes back, redirect or not.
        """
        with self._lock:
            self._refresh()
            key, seen = url_key(url), set()
            for _ in range(MAX_RECORDED_REDIRECTS + 1):
                entry = self._index.get(key)
                if entry is None or key in seen:
                    return None
                seen.add(key)
                if follow and entry.refused is None and entry.http_status in _REDIRECTS and entry.location:
                    key = url_key(urljoin(entry.uri, entry.location.strip()))
                    continue
                break
            else:
                return None
        if entry.refused is not None:
            return replace(_archived(entry, url), error=entry.refused)
        return self._read(entry, url)  # outside the lock: a big record does not hold up other lookups

    def uncited(self, cited: Iterable[str]) -> dict[Path, list[str]]:
        """The addresses recorded in each file that neither `cited` nor the recorded redirects from them
        lead to: evidence for pages the article does not cite, reported rather than used."""
        with self._lock:
            self._refresh()
            todo = [url_key(u) for u in cited]
            reached: set[str] = set()
            while todo:
                key = todo.pop()
                entry = self._index.get(key)
                if key in reached:
                    continue
                reached.add(key)
                if entry is not None and entry.location:
                    todo.append(url_key(urljoin(entry.uri, entry.location.strip())))
            found: dict[Path, list[str]] = {}
            for key, entry in self._index.items():
                if key not in reached:
                    found.setdefault(entry.file, []).append(entry.uri)
            return found

    def __contains__(self, url: str) -> bool:
        return self.lookup(url) is not None

    # --- writing ------------------------------------------------------------------------------

    def add(
        self,
        result: FetchResult,
        *,
        raw_body: bytes | None = None,
        request_headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Append `result` as a WARC/1.0 response record (and its request record).

        `raw_body` is the payload as it arrived (still content-encoded, e.g. gzip); with it the
        recorded headers stay as sent. Without it the decoded body is stored and Content-Encoding
        dropped. Results that never got an HTTP answer (DNS failure, refusal) are not recorded.
        """
        if self.path is None or result.http_status is None or result.from_archive:
            return
        headers = [(k, v) for k, v in result.headers if k.lower() not in _FRAMING]
        if raw_body is None:
            payload = result.body or b""
            headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
        else:
            payload = raw_body
        headers.append(("Content-Length", str(len(payload))))
        try:
            reason = http.HTTPStatus(result.http_status).phrase
        except ValueError:
            reason = "Unknown"
        uri = result.final_url or result.url
        date = warc_date(result.fetched_at)
        with self._lock:
            try:
                self._write(uri, date, result.http_status, reason, headers, payload, request_headers)
            except OSError as exc:
                raise ArchiveError(f"Could not write the evidence archive {self.path} ({exc}).") from exc

    def add_resource(
        self, uri: str, body: bytes, *, content_type: str | None, fetched_at: str | None
    ) -> None:
        """Append a WARC/1.0 `resource` record: content that did not come over HTTP (a local file the user
        attached as a source), as the WARC standard records such content."""
        if self.path is None:
            return
        date = warc_date(fetched_at)

        def write(writer: WARCWriter) -> None:
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "resource",
                    payload=io.BytesIO(body),
                    length=len(body),
                    warc_content_type=content_type or "application/octet-stream",
                    warc_headers_dict={"WARC-Date": date},
                )
            )

        with self._lock:
            try:
                self._append(uri, date, write)
            except OSError as exc:
                raise ArchiveError(f"Could not write the evidence archive {self.path} ({exc}).") from exc

    def _append(
        self,
        uri: str,
        date: str,
        write: Callable[[WARCWriter], None],
        status: int | None = None,
        location: str | None = None,
    ) -> None:
        """Append what `write` writes (its first record is the one indexed for `uri`) and index it."""
        assert self.path is not None
        self._refresh()  # index what others appended before our offset bookkeeping
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        with self.path.open("ab") as fh:
            writer = WARCWriter(fh, gzip=self.path.name.endswith(".gz"), warc_version="1.0")
            if new:
                info = {"software": f"sourcecheck/{__version__}", "format": "WARC/1.0"}
                writer.write_record(writer.create_warcinfo_record(self.path.name, info))
            offset = fh.tell()
            write(writer)
        self._order += 1
        span = Span(offset, 0) if self.path.name.endswith(".gz") else Span(None, offset)
        entry = _Entry(self.path, span, uri, self._when(date), self._order, status, location)
        self._put(url_key(uri), entry)
        self._scanned[self.path] = self.path.stat().st_size

    def _write(
        self,
        uri: str,
        date: str,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        payload: bytes,
        request_headers: Sequence[tuple[str, str]],
    ) -> None:
        def write(writer: WARCWriter) -> None:
            response = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(payload),
                length=len(payload),
                http_headers=StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date},
            )
            parts = urlsplit(uri)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            req_headers = [("Host", parts.netloc), *request_headers]
            request = writer.create_warc_record(
                uri,
                "request",
                http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", req_headers, is_http_request=True),
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_request_response_pair(request, response)

        location = next((v for k, v in headers if k.lower() == "location"), None)
        self._append(uri, date, write, status, location)
