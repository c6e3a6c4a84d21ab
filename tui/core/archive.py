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
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from .. import __version__
from .errors import ArchiveError
from .models import FetchResult

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


def _iso_from_warc_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return iso_date_to_datetime(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, IndexError):
        return value


@dataclass(frozen=True)
class _Entry:
    file: Path
    offset: int
    when: datetime
    order: int  # position among everything indexed; breaks ties between equal dates


class Archive:
    """One writable WARC (`path`, may not exist yet) plus read-only ones (`also_read`).

    Safe to call from several threads (the fetcher writes from worker threads); an index of
    URL -> newest record is built lazily and refreshed when a file grows behind our back.
    """

    def __init__(self, path: Path | None, *, also_read: Sequence[Path] = ()) -> None:
        self.path = Path(path) if path is not None else None
        self.also_read = tuple(Path(p) for p in also_read)
        self._lock = threading.RLock()
        self._index: dict[str, _Entry] = {}
        self._scanned: dict[Path, int] = {}  # file -> size when last indexed
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
            self._scan(file)
            self._scanned[file] = size

    def _scan(self, file: Path) -> None:
        seen = 0
        try:
            with file.open("rb") as fh:
                records = ArchiveIterator(fh, arc2warc=False)
                for record in records:
                    if record.format != "warc":  # warcio reads anything as an old ARC file; we don't
                        raise ValueError("it is not a WARC file")
                    seen += 1
                    if record.rec_type not in ("response", "resource"):
                        continue
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    if not uri:
                        continue
                    when = self._when(record.rec_headers.get_header("WARC-Date"))
                    self._order += 1
                    self._put(url_key(uri), _Entry(file, records.get_record_offset(), when, self._order))
        except Exception as exc:  # warcio raises anything from ValueError to AttributeError on bad input
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
        with entry.file.open("rb") as fh:
            fh.seek(entry.offset)
            record = next(iter(ArchiveIterator(fh)))
            fetched_at = _iso_from_warc_date(record.rec_headers.get_header("WARC-Date"))
            target = record.rec_headers.get_header("WARC-Target-URI") or url
            if record.rec_type == "resource" or record.http_headers is None:
                ctype = record.rec_headers.get_header("Content-Type")
                return FetchResult(
                    url=url, final_url=target.strip("<>"), http_status=200, content_type=ctype,
                    body=record.content_stream().read(), headers=(("Content-Type", ctype or ""),),
                    fetched_at=fetched_at, from_archive=True,
                )  # fmt: skip
            status_line = record.http_headers.get_statuscode() or "0"
            headers = tuple((k, v) for k, v in record.http_headers.headers)
            return FetchResult(
                url=url,
                final_url=target.strip("<>"),
                http_status=int(status_line) if status_line.isdigit() else None,
                content_type=record.http_headers.get_header("Content-Type"),
                body=record.content_stream().read(),
                headers=headers,
                fetched_at=fetched_at,
                from_archive=True,
            )

    def lookup(self, url: str) -> FetchResult | None:
        """The newest recorded response for `url`, following recorded redirects; None when absent.

        A redirect whose target was not recorded counts as absent (the page itself is not there).
        """
        with self._lock:
            self._refresh()
            key, seen = url_key(url), set()
            for _ in range(MAX_RECORDED_REDIRECTS + 1):
                entry = self._index.get(key)
                if entry is None or key in seen:
                    return None
                seen.add(key)
                try:
                    result = self._read(entry, url)
                except Exception as exc:  # see _scan
                    raise ArchiveError(f"The evidence archive {entry.file} is damaged ({exc}).") from exc
                location = dict((k.lower(), v) for k, v in result.headers).get("location")
                if result.http_status in _REDIRECTS and location:
                    key = url_key(urljoin(result.final_url or url, location))
                    continue
                return result
            return None

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
        assert self.path is not None
        self._refresh()  # index what others appended before our offset bookkeeping
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        with self.path.open("ab") as fh:
            writer = WARCWriter(fh, gzip=self.path.name.endswith(".gz"), warc_version="1.0")
            if new:
                writer.write_record(
                    writer.create_warcinfo_record(
                        self.path.name, {"software": f"sourcecheck/{__version__}", "format": "WARC/1.0"}
                    )
                )
            offset = fh.tell()
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
        self._order += 1
        self._put(url_key(uri), _Entry(self.path, offset, self._when(date), self._order))
        self._scanned[self.path] = self.path.stat().st_size
