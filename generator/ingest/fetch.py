"""Fetch a page over HTTP(S) with a timeout, a size limit and clear errors."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from generator.content import is_http_url
from generator.ingest.errors import IngestError

USER_AGENT = "digest-ingest/0.1 (+https://github.com/; news digest generator)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def fetch_url(
    url: str, timeout: float = 20.0, max_bytes: int = 10_000_000, deadline: float = 60.0
) -> tuple[bytes, str, str]:
    """Download ``url``: ``(data, final_url, content_type)``, or raise :class:`IngestError`.

    ``timeout`` (seconds) bounds each wait for the server; ``deadline`` (seconds) the
    whole download, so a server that drips a byte at a time cannot hold ingest for long.
    """
    end = time.monotonic() + deadline
    if not is_http_url(url):
        raise IngestError.make(
            url,
            "fetch-bad-url",
            "not an http(s) URL",
            "give a full URL such as https://example.org/a",
        )
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "") or ""
            _check_type(url, content_type)
            _check_length(url, response.headers.get("Content-Length"), max_bytes)
            data = _read_until(url, response, max_bytes + 1, end, deadline)
            final_url = response.geturl() or url
    except urllib.error.HTTPError as error:
        raise IngestError.make(
            url,
            "fetch-http",
            f"the server answered HTTP {error.code} {error.reason}",
            "check the URL in a browser; save the page by hand if it needs a login",
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise _unreachable(url, error) from None
    if len(data) > max_bytes:
        raise _too_large(url, max_bytes)
    return data, final_url, content_type


def _read_until(
    url: str, response: http.client.HTTPResponse, limit: int, end: float, deadline: float
) -> bytes:
    """Up to ``limit`` bytes of the body, read before the monotonic time ``end``."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() > end:
            raise IngestError.make(
                url,
                "fetch-timeout",
                f"the download took longer than {deadline:g} s",
                "try again later, or save the page by hand and ingest the file",
            )
        chunk = response.read1(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _check_type(url: str, content_type: str) -> None:
    media = content_type.split(";", 1)[0].strip().casefold()
    if media and media not in _HTML_TYPES:
        raise IngestError.make(
            url,
            "fetch-not-html",
            f"the URL serves {media}, not an HTML page",
            "give the address of the article's web page",
        )


def _check_length(url: str, length: str | None, max_bytes: int) -> None:
    if length and length.isdigit() and int(length) > max_bytes:
        raise _too_large(url, max_bytes)


def _too_large(url: str, max_bytes: int) -> IngestError:
    return IngestError.make(
        url,
        "fetch-too-large",
        f"the page is larger than {max_bytes:,} bytes",
        "save the page by hand and ingest the file",
    )


def _unreachable(url: str, error: BaseException) -> IngestError:
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, socket.timeout | TimeoutError):
        return IngestError.make(
            url, "fetch-timeout", "the server did not answer in time", "try again later"
        )
    return IngestError.make(
        url,
        "fetch-unreachable",
        f"cannot reach the server: {reason}",
        "check the address and your network connection",
    )
