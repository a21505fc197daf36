"""The build cache on disk: ``.digest-cache/`` beside ``content/``, one file per kind.

Each kind (``articles``, ``annotations``, ``bodies``, ``pages``) is a mapping from a key
(a SHA-256 of the entry's inputs, see :mod:`generator.cache.keys`) to a value, stored as
``<kind>.pickle``: a header line ``digest-cache <code stamp> <sha256 of payload>`` and a
pickled ``dict``.  A file whose header names another code stamp (another digest version,
Python or library version) or whose payload does not match its checksum is ignored, so a
foreign or damaged cache costs a full build, never wrong output.

The payload is read with a restricted unpickler (the standard library's documented way to
limit what pickle may build): it constructs only digest's own dataclasses and enums, dates,
``Markup`` and plain containers, never an arbitrary callable, so a cache file put there by
someone else cannot run code.  Files are replaced atomically (temporary file, then rename),
and only when their content changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

FOLDER = ".digest-cache"
_MAGIC = b"digest-cache"
_ALLOWED_MODULES = {
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "markupsafe": {"Markup"},
    "pathlib": {"PosixPath", "PurePosixPath", "Path"},
    "zoneinfo": {"ZoneInfo._unpickle"},
    "builtins": {"frozenset", "set", "slice", "complex"},
}


class _SafeUnpickler(pickle.Unpickler):
    """Builds only digest's dataclasses and enums and a few standard value types."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED_MODULES.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("generator.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"not allowed in a digest cache: {module}.{name}")


class Store:
    """The cache of one site: kinds loaded on first use, saved by :meth:`save`.

    ``enabled=False`` (``digest build --no-cache``) gives an empty store that saves nothing.
    """

    def __init__(self, folder: Path, stamp: str, enabled: bool = True) -> None:
        self.folder = folder
        self.stamp = stamp
        self.enabled = enabled
        self._old: dict[str, dict[str, Any]] = {}
        self._new: dict[str, dict[str, Any]] = {}

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key`` by the last build (``None`` when absent)."""
        return self._kind(kind).get(key)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` for the next build (entries not put again are dropped on save)."""
        self._new.setdefault(kind, {})[key] = value

    def known(self, kind: str) -> dict[str, Any]:
        """Everything the last build stored for ``kind`` (read-only)."""
        return self._kind(kind)

    def save(self) -> None:
        """Write every kind whose entries changed; a failure to write is not an error."""
        if not self.enabled:
            return
        for kind, entries in sorted(self._new.items()):
            if entries != self._kind(kind) or not (self.folder / f"{kind}.pickle").is_file():
                with contextlib.suppress(OSError):  # a full disk costs time, nothing else
                    self._write(kind, entries)

    def _kind(self, kind: str) -> dict[str, Any]:
        if kind not in self._old:
            self._old[kind] = self._read(kind) if self.enabled else {}
        return self._old[kind]

    def _read(self, kind: str) -> dict[str, Any]:
        try:
            data = (self.folder / f"{kind}.pickle").read_bytes()
            header, _, payload = data.partition(b"\n")
            magic, stamp, checksum = header.split(b" ")
            if magic != _MAGIC or stamp.decode() != self.stamp:
                return {}
            if hashlib.sha256(payload).hexdigest() != checksum.decode():
                return {}
            found = _SafeUnpickler(io.BytesIO(payload)).load()
        except Exception:  # noqa: BLE001  missing, damaged or foreign: the cache is empty
            return {}
        return found if isinstance(found, dict) else {}

    def _write(self, kind: str, entries: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.is_file():
            ignore.write_text("# the build cache of digest; safe to delete\n*\n", "utf-8")
        payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        header = b" ".join([_MAGIC, self.stamp.encode(), checksum])
        handle, name = tempfile.mkstemp(prefix=f".{kind}-", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + b"\n" + payload)
            os.replace(name, self.folder / f"{kind}.pickle")
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
