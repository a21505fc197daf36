"""Cache keys: SHA-256 hashes of an entry's inputs and of the code that turns them into output.

The *code stamp* names digest's version, the Python version and the versions of the
libraries whose output lands in pages (Markdown, Jinja, MarkupSafe, PyYAML), and hashes
digest's own source files, so a cache written by other code is never read.  A *layout
stamp* hashes every template and static file a site's pages may use (its own
``layouts/`` and the bundled ones): a changed layout changes the key of every page and of
nothing else.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from importlib import metadata
from pathlib import Path

import generator

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
    """A hash of the names and bytes of every file under ``folders``, in order."""
    digest = hashlib.sha256()
    for number, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                digest.update(f"{number} {path.relative_to(folder).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def value_key(*values: object) -> str:
    """A key for the values (frozen dataclasses, strings, tuples): the hash of their pickle.

    Equal pickles mean equal values, so two different inputs never share a key; the
    same inputs pickled differently only cost a cache miss.
    """
    return hashlib.sha256(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def bytes_key(*parts: bytes | str) -> str:
    """A key for raw inputs, such as a file's path and bytes."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()
