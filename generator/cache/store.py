"""The build cache on disk: ``.digest-cache/`` beside ``content/``.

Each kind (``articles``, ``annotations``, ``bodies``, ``pages``, ``records``) is a mapping
from a key (a SHA-256 of the entry's inputs, see :mod:`generator.cache.keys`) to a value,
stored in shards ``<kind>/<first two hex digits of the key>.pickle`` (bodies: three): a
header line ``digest-cache <code stamp> <sha256 of payload>`` and a pickled ``dict``.  A
file whose header names another code stamp (another digest version, Python or library version) or
whose payload does not match its checksum is ignored, so a foreign or damaged cache costs
a full build, never wrong output.

The payload is read with a restricted unpickler (the standard library's documented way to
limit what pickle may build): it constructs only digest's own dataclasses and enums, dates,
``Markup`` and plain containers, never an arbitrary callable, so a cache file put there by
someone else cannot run code.  Files are replaced atomically (temporary file, then rename),
and only when their keys changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import io
import os
import pickle
import sys
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


# Rendered bodies are large and a build after one edit reads a hundred or so of them (the
# cards and feeds of the lists it re-renders): they are spread over 4,096 shards, not 256,
# so that reading one reads few others.
_WIDE = {"bodies": 3}


def _shard_of(kind: str, key: str) -> str:
    return key[: _WIDE.get(kind, 2)]


class _SafeUnpickler(pickle.Unpickler):
    """Builds only digest's dataclasses and enums and a few standard value types."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED_MODULES.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("generator.") and "." not in name:
            # looked up among modules already loaded: importing one (generator.__main__
            # runs the CLI) is running code
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"not allowed in a digest cache: {module}.{name}")


class Store:
    """The cache of one site: shards read on first use, changed shards written by :meth:`save`.

    Entries of a kind are spread over up to 256 shard files (4,096 for bodies) by the first
    hex digits of their key, so a build that changes one article rewrites a few small files.
    ``enabled=False`` (``digest build --no-cache``) gives an empty store that saves nothing.
    """

    def __init__(self, folder: Path, stamp: str, enabled: bool = True) -> None:
        self.folder = folder
        self.stamp = stamp
        self.enabled = enabled
        self._old: dict[tuple[str, str], dict[str, Any]] = {}
        self._new: dict[str, dict[str, dict[str, Any]]] = {}
        self._kept: dict[str, dict[str, set[str]]] = {}
        self.inputs: dict[str, str] = {}  # keys of this build's inputs, by "kind:name"

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key`` by the last build (``None`` when absent)."""
        return self._shard(kind, _shard_of(kind, key)).get(key) if self.enabled else None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` for the next build (entries not put again are dropped on save)."""
        if self.enabled:
            self._new.setdefault(kind, {}).setdefault(_shard_of(kind, key), {})[key] = value

    def keep(self, kind: str, key: str) -> None:
        """Keep the entry ``key`` of the last build without reading it (it must exist).

        A shard holding only kept entries is left as it is (entries the build no longer
        uses stay until the shard is next rewritten); one that also gets new entries is
        rewritten with the kept ones.
        """
        if self.enabled:
            self._kept.setdefault(kind, {}).setdefault(_shard_of(kind, key), set()).add(key)

    def preload(self, kind: str) -> None:
        """Read every shard of ``kind`` now (before worker processes are forked)."""
        if self.enabled:
            for path in sorted((self.folder / kind).glob("*.pickle")):
                self._shard(kind, path.stem)

    def save(self) -> None:
        """Write the shards whose keys changed, delete those left empty.

        A failure to write (a full or read-only disk) costs the next build time, nothing else.
        """
        for kind in sorted(self._new.keys() | self._kept.keys()):
            folder = self.folder / kind
            if folder.is_symlink():
                continue  # never write or delete through a link out of the cache folder
            shards, kept = self._new.get(kind, {}), self._kept.get(kind, {})
            with contextlib.suppress(OSError):
                for shard, entries in sorted(shards.items()):
                    old = self._shard(kind, shard)
                    entries = {k: old[k] for k in kept.get(shard, ()) if k in old} | entries
                    if entries.keys() != old.keys():
                        self._write(folder / f"{shard}.pickle", entries)
                for path in folder.glob("*.pickle"):
                    if path.stem not in shards and path.stem not in kept:
                        path.unlink()

    def _shard(self, kind: str, shard: str) -> dict[str, Any]:
        found = self._old.get((kind, shard))
        if found is None:
            found = self._old[(kind, shard)] = self._read(self.folder / kind / f"{shard}.pickle")
        return found

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            data = path.read_bytes()
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

    def _write(self, path: Path, entries: dict[str, Any]) -> None:
        if path.is_symlink():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.is_file():
            ignore.write_text("# the build cache of digest; safe to delete\n*\n", "utf-8")
        payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        header = b" ".join([_MAGIC, self.stamp.encode(), checksum])
        handle, name = tempfile.mkstemp(prefix=".shard-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + b"\n" + payload)
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
