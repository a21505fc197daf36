"""Web addresses: the one place that asks whether a string is a usable http(s) URL.

:func:`urllib.parse.urlsplit` raises ``ValueError`` on some malformed
addresses (an unclosed IPv6 bracket such as ``https://[news.example/a``, a port
out of range); here such an address is simply not a URL, so callers report it
as a diagnostic instead of failing.
"""

from __future__ import annotations

import re
import urllib.parse


def split_url(value: str) -> urllib.parse.SplitResult | None:
    """``value`` split into its parts (host and port checked), or ``None`` if malformed."""
    try:
        parts = urllib.parse.urlsplit(value)
        _ = parts.hostname, parts.port
    except ValueError:
        return None
    return parts


# The usual address (http(s), a plain host name, no port, printable ASCII after it): one
# that urlsplit takes as http(s) with that host, found with one regex instead of a split.
_PLAIN_HTTP = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][!-~]*)?")


def is_http_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host."""
    if _PLAIN_HTTP.fullmatch(value):
        return True
    parts = split_url(value)
    return parts is not None and parts.scheme in {"http", "https"} and bool(parts.hostname)
