"""Cache keys: SHA-256 hashes of an entry's inputs and of the code that turns them into output.

The *code stamp* names digest's version, the Python version and the versions of the
libraries whose output lands in pages (Markdown, Jinja, MarkupSafe, PyYAML), and hashes
digest's own source files, so a cache written by other code is never read.  A *layout
stamp* hashes every template and static file a site's pages may use (its own
``layouts/`` and the bundled ones): a changed layout changes the key of every page and of
nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import generator
from generator.render import templates

LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "jinja2", "markupsafe", "pyyaml")


def code_stamp() -> str:
    """A hash of everything besides the site that decides what a build writes."""
    digest = hashlib.sha256()
    digest.update(f"{generator.__version__} {sys.version}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -".encode())
    package = Path(generator.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def folder_stamp(folders: list[Path]) -> str:
    """A hash of the names and bytes of every file under ``folders``, in order (through
    links to folders, as Jinja reads templates: :func:`.templates.layout_files`)."""
    digest = hashlib.sha256()
    for number, folder in enumerate(folders):
        for name in templates.layout_files(folder):
            digest.update(f"{number} {name}\0".encode())
            digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def value_key(*values: object) -> str:
    """A key for the values (frozen dataclasses, strings, tuples): the hash of their pickle.

    Equal pickles mean equal values, so two different inputs never share a key; the
    same inputs pickled differently only cost a cache miss.  Dataclasses are written as
    their class and field values (the standard pickle of a slotted dataclass is several
    times slower, and these pickles are only hashed, never read).
    """
    out = io.BytesIO()
    _KeyPickler(out, pickle.HIGHEST_PROTOCOL).dump(values)
    return hashlib.sha256(out.getbuffer()).hexdigest()


_Fields = Callable[[Any], tuple[Any, ...]]
_FIELDS: dict[type, _Fields | None] = {}


class _KeyPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        try:
            values = _FIELDS[kind]
        except KeyError:
            values = _FIELDS[kind] = _field_getter(kind)
        return NotImplemented if values is None else (kind, values(obj))


def _field_getter(kind: type) -> _Fields | None:
    if not dataclasses.is_dataclass(kind):
        return None
    get = operator.attrgetter(*(f.name for f in dataclasses.fields(kind)), "__class__")
    return get  # with two names or more, attrgetter gives a tuple


def bytes_key(*parts: bytes | str) -> str:
    """A key for raw inputs, such as a file's path and bytes (each part length-prefixed,
    so parts never run into each other)."""
    data = [part.encode() if isinstance(part, str) else part for part in parts]
    framed = b"".join(len(part).to_bytes(8, "big") + part for part in data)
    return hashlib.sha256(framed).hexdigest()
