"""The search records split into parts, each its own Pagefind bundle.

Pagefind holds a whole bundle in memory while it indexes (about 110 KB per synthetic
article) and cannot update one record of a bundle, so the records are split into
``K`` parts, ``K`` the smallest power of two that keeps a part at or under
``part_size`` records.  A page's records all go to the part its URL hashes to
(SHA-256 of the URL without its ``#fragment``, modulo ``K``): the assignment does
not depend on the other pages, so editing, adding or deleting one article changes
exactly one part (as long as ``K`` stays; when the site crosses a power of two,
every part changes once).

Each part is written to ``pagefind/<index>-<16 hex of its records hash>/``; the
folder name changes whenever the part's records do, so a new part never replaces an
old one in place.  ``pagefind/parts.json`` lists the parts in order (the first one's
``pagefind.js`` is the one the search page loads); replacing that one file is what
makes a new set of parts visible.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

MANIFEST = "parts.json"
# Records per part (a synthetic article gives 1-2 records: its text, its notes), chosen
# by measuring Pagefind's peak memory against records per part: benchmarks/search.py.
PART_SIZE = 2000
JOBS = 1  # parts indexed at once by default; ``digest build`` uses its worker count


class Searchable(Protocol):
    """One record to index (``generator.render.SearchRecord`` is one)."""

    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def part(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def filters(self) -> tuple[tuple[str, tuple[str, ...]], ...]: ...


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the index: ``name`` is its folder inside ``pagefind/``, ``stamp`` the
    records hash it is made from, ``records`` in the order of the whole build."""

    name: str
    stamp: str
    records: Iterable[Searchable]  # a tuple, or read from a :class:`Spool` when iterated


def part_count(records: int, part_size: int = PART_SIZE) -> int:
    """The number of parts for ``records`` records: a power of two, 1 for a small site.

    Raises ``ValueError`` when ``part_size`` is below 1.
    """
    if part_size < 1:
        raise ValueError(f"part_size must be at least 1, not {part_size}")
    count = 1
    while records > count * part_size:
        count *= 2
    return count


def split(
    records: Sequence[Searchable] | Spool,
    language: str,
    stamp: _Stamper,
    part_size: int = PART_SIZE,
) -> tuple[Part, ...]:
    """``records`` split into parts (empty parts left out, but a site with no records
    still has its one part); ``stamp`` hashes one part's records with ``language``.
    The parts of a :class:`Spool` read their records from it each time they are used."""
    count = part_count(len(records), part_size)
    if isinstance(records, Spool):
        buckets: Sequence[_SpooledPart | tuple[Searchable, ...]] = records.parts(count)
    else:
        lists: list[list[Searchable]] = [[] for _ in range(count)]
        for record in records:
            lists[bucket(record.url, count)].append(record)
        buckets = [tuple(chosen) for chosen in lists]
    parts = []
    for index, chosen in enumerate(buckets):
        if chosen or (index == 0 and not records):
            digest = stamp(chosen, language)
            parts.append(Part(f"{index}-{digest[:16]}", digest, chosen))
    return tuple(parts)


class _Stamper(Protocol):
    def __call__(self, records: Iterable[Searchable], language: str, /) -> str: ...


@dataclass(frozen=True, slots=True)
class Spooled:
    """A search record read back from a :class:`Spool`."""

    url: str
    title: str
    part: str
    content: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]


class Spool:
    """Search records written to an unnamed temporary file as they come, and read back
    one part at a time: a large site's records (~5 KB an article) need not all be in
    memory at once.  Use as a context manager (the file is gone when closed, or when
    the process ends)."""

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  closed by __exit__
        self._ends = array("Q")  # where each record ends in the file
        self._hashes = array("Q")  # what each record's part is taken from

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._file.close()

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, records: Iterable[Searchable]) -> None:
        """Write ``records`` at the end of the file."""
        for r in records:
            self._file.write(marshal.dumps((r.url, r.title, r.part, r.content, r.filters)))
            self._ends.append(self._file.tell())
            self._hashes.append(url_hash(r.url))

    def parts(self, count: int) -> list[_SpooledPart]:
        """The records of each of ``count`` parts (as :func:`bucket` assigns them), in the
        order they were added, each read from the file when iterated (by any thread)."""
        self._file.flush()
        chosen: list[list[int]] = [[] for _ in range(count)]
        for index, value in enumerate(self._hashes):
            chosen[value % count].append(index)
        return [_SpooledPart(self, indices) for indices in chosen]

    def read(self, indices: Sequence[int]) -> Iterator[Spooled]:
        """The records at ``indices``, read with positional reads (safe across threads)."""
        handle = self._file.fileno()
        for index in indices:
            start = self._ends[index - 1] if index else 0
            data = os.pread(handle, self._ends[index] - start, start)
            yield Spooled(*marshal.loads(data))


@dataclass(frozen=True, slots=True)
class _SpooledPart:
    """The records of one part of a :class:`Spool`, read when iterated."""

    spool: Spool
    indices: Sequence[int]

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[Searchable]:
        return self.spool.read(self.indices)


def bucket(url: str, count: int) -> int:
    """The part (0 to ``count`` - 1) the page of ``url`` belongs to."""
    return url_hash(url) % count


def url_hash(url: str) -> int:
    """The number the part of ``url``'s page is taken from: the first 8 bytes of a
    SHA-256 of the URL without its fragment."""
    page = url.partition("#")[0].encode("utf-8")
    return int.from_bytes(hashlib.sha256(page).digest()[:8], "big")


def manifest(parts: Sequence[Part]) -> bytes:
    """The bytes of ``pagefind/parts.json``: ``{"parts": ["<name>/", ...]}``."""
    names = [f"{part.name}/" for part in parts]
    return json.dumps({"parts": names}, separators=(",", ":")).encode("utf-8") + b"\n"


def listed(bundle: Path) -> tuple[str, ...]:
    """The part folders ``bundle/parts.json`` lists (names without the slash); () when
    it is missing, unreadable or not a list of plain names."""
    try:
        data = json.loads((bundle / MANIFEST).read_bytes())
        names = data["parts"]
    except (OSError, ValueError, TypeError, KeyError):
        return ()
    if not isinstance(names, list) or not all(_plain(name) for name in names):
        return ()
    return tuple(name[:-1] for name in names)


def _plain(name: object) -> bool:
    return (
        isinstance(name, str)
        and name.endswith("/")
        and name[:-1].replace("-", "").isalnum()
        and name.isascii()
    )
