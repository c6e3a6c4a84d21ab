"""One sentence a person can act on for every way fetching a source can fail."""

from __future__ import annotations

import http
import ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..models import FailureKind
from .config import FetchConfig

OFFLINE_MISSING = "Not in the evidence archive, and --offline is set."

if TYPE_CHECKING:  # pragma: no cover
    from ..sandbox import SandboxError


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def status_error(status: int, host: str, headers: Iterable[tuple[str, str]] = ()) -> str | None:
    """The sentence for an HTTP status that means "no usable page", else None."""
    if 200 <= status < 300 and status != 204:
        return None
    try:
        phrase = f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        phrase = str(status)
    if status == 204:
        return f"The server answered {phrase}: there is no page at this address."
    if status in (401, 407):
        return (
            f"The server answered {phrase}: the page needs a login or a subscription "
            "(likely a paywall); open it in a browser to check."
        )
    if status == 403:
        return (
            f"The server answered {phrase}: the page is probably behind a paywall or a bot wall; "
            "open it in a browser to check."
        )
    if status in (404, 410):
        return (
            f"The server answered {phrase}: the page is gone or moved; "
            "look for an archived copy (e.g. the Wayback Machine)."
        )
    if status == 429:
        retry = dict((k.lower(), v) for k, v in headers).get("retry-after")
        when = f" (it asks to wait {retry} s)" if retry and retry.strip().isdigit() else ""
        return f"The server answered {phrase}: {host} is rate-limiting requests; try again later{when}."
    if status == 451:
        return f"The server answered {phrase}: the page is blocked for legal reasons where you are."
    if 300 <= status < 400:
        return f"The server answered {phrase} without saying where the page moved to."
    if status >= 500:
        return f"The server answered {phrase}: {host} has a problem on its side; try again later."
    return f"The server answered {phrase}: it refused to send the page."


def _exception_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def network_error(exc: Exception, url: str, config: FetchConfig) -> str:
    """One sentence for an httpx transport exception."""
    return network_failure(exc, url, config)[0]


def network_failure(exc: Exception, url: str, config: FetchConfig) -> tuple[str, FailureKind | None]:
    """One sentence for an httpx transport exception, and whether it is a failure for good: the host name
    does not exist (DNS) or nothing accepts connections there (refused)."""
    from ..netpolicy import dns_failure  # (with httpx: only a request that went out can fail so)

    host = host_of(url)
    message = _network_sentence(exc, list(_exception_chain(exc)), host, url, config)
    if message == dns_failure(host):
        return message, "no_such_host"
    return message, "refused" if message == _refused(host) else None


def _refused(host: str) -> str:
    return f"{host} refused the connection: the server is down or not listening there."


def _network_sentence(
    exc: Exception, chain: list[BaseException], host: str, url: str, config: FetchConfig
) -> str:
    import httpx

    from ..netpolicy import PolicyRefused, dns_failure

    text = " ".join(str(e) for e in chain).lower()
    ours = str(exc)
    if isinstance(exc, PolicyRefused):
        return ours  # phrased by the network policy before the request
    if ours.startswith(("Refused:", "Could not find the server", "Timed out looking up")):
        return ours  # already phrased by the connect-time guard (netpolicy.GuardedBackend)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"Timed out after {config.connect_timeout:g} s connecting to {host}."
    if isinstance(exc, httpx.TimeoutException):
        return f"Timed out after {config.read_timeout:g} s waiting for {host}."
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "certificate" in text:
        return (
            f"The secure connection to {host} failed: its certificate is not valid "
            "(expired, self-signed or for another name)."
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "tls" in text:
        return f"The secure connection to {host} failed (TLS handshake error); the site may be misconfigured."
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return _refused(host)
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return dns_failure(host)
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to {host} ({_short(chain[-1])})."
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"The connection to {host} broke off before the page arrived."
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"Not a fetchable web address: {url[:200]}."
    return f"The request to {host} failed ({_short(chain[-1])})."


def _short(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg[:120]


def extraction_stopped(what: str, stopped: SandboxError) -> str:
    """The sentence for an extraction the sandbox stopped; `what` is "page", "PDF" or "text file"."""
    from ..sandbox import JobTooBig, JobTooSlow

    limits = stopped.limits
    if isinstance(stopped, JobTooSlow) and limits.seconds is not None:
        return f"The {what} took longer than {limits.seconds:g} s to read; open it in a browser."
    if isinstance(stopped, JobTooBig):
        return (
            f"The {what} needed more than {limits.memory_mb} MB of memory to read (sourcecheck's limit); "
            "open it in a browser."
        )
    return f"Reading the {what} failed: {stopped.detail}. Open it in a browser."
