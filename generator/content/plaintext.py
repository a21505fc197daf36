"""Plain text as every page and feed may carry it: LF line ends, no control characters."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def normalize_newlines(text: str) -> str:
    """Drop a byte-order mark and turn CRLF line ends into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# The same characters as bytes of UTF-8 text (a character above U+007F is never encoded
# with a byte below 0x80), to find out at C speed that a text has none of them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def without_controls(text: str) -> str:
    """``text`` without control characters, which no page or feed may carry."""
    data = text.encode("utf-8", "surrogatepass")
    if (
        len(data.translate(None, _CONTROL_BYTES)) == len(data)
        and "\ufffe" not in text
        and "\uffff" not in text
    ):
        return text  # the usual case, ten times faster than the search for none
    return _CONTROL.sub("", text)
