"""Bytes to text: BOMs, UTF-8, declared charsets, legacy Western and CJK encodings."""

from __future__ import annotations

import codecs
import re

from generator.ingest.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_WESTERN = {"cp1250", "cp1252", "latin_1", "iso8859_15", "cp1254", "mac_roman", "iso8859_2"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, source: str, content_type: str = "") -> str:
    """Decode raw page bytes into text with ``\\n`` line ends, or raise :class:`IngestError`."""
    if not data.strip():
        raise IngestError.make(
            source, "ingest-empty", "the file is empty", "save the page's text or HTML into it"
        )
    text = _decode(data, content_type)
    if _looks_binary(text):
        raise IngestError.make(
            source,
            "ingest-binary",
            "the file is binary, not a text dump or an HTML page",
            "save the page as HTML, or copy its text into a .txt file",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, content_type: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4096] and not _utf16_without_bom(data):
        return data.decode("latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(data, content_type)
    if declared:
        return data.decode(declared, errors="replace")
    return data.decode(_guess(data), errors="replace")


def _utf16_without_bom(data: bytes) -> bool:
    head = data[:2048]
    zeros_odd = head[1::2].count(0)
    zeros_even = head[0::2].count(0)
    return max(zeros_odd, zeros_even) > len(head) * 0.4 and min(zeros_odd, zeros_even) == 0


def _declared(data: bytes, content_type: str) -> str:
    """A usable charset named by the HTTP header or an HTML ``<meta>`` (not UTF-8: it failed)."""
    names: list[str] = []
    header = _HEADER_CHARSET.search(content_type)
    if header:
        names.append(header.group(1))
    meta = _META_CHARSET.search(data[:8192])
    if meta:
        names.append(meta.group(1).decode("ascii", "replace"))
    for name in names:
        encoding = _lookup(name)
        if encoding and encoding != "utf-8":
            return encoding
    return ""


def _lookup(name: str) -> str:
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return ""
    # browsers read these labels as their supersets
    supersets = {
        "iso8859-1": "cp1252",
        "ascii": "cp1252",
        "euc_kr": "cp949",
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "shift_jis": "cp932",
        "big5": "big5hkscs",
    }
    return supersets.get(encoding, encoding)


def _guess(data: bytes) -> str:
    import charset_normalizer  # here: only a page without a declared encoding pays for it

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        return "cp1252"
    encoding = codecs.lookup(best.encoding).name.replace("-", "_")
    if encoding in _WESTERN or encoding.startswith("iso8859"):
        return "cp1252"
    return _lookup(best.encoding) or "cp1252"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad > max(8, len(sample) * 0.05)
