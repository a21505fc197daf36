"""Search: the site's search records indexed with Pagefind into ``pagefind/``.

Pagefind (from PyPI: the ``pagefind`` package with its extended binary, which
also segments Chinese, Japanese and Korean words) receives the records the views
stage made (title, plain text, part, filters: topic, tag, outlet), not the written
HTML.  The bundle is byte-identical for identical records (see
:func:`~generator.publish.pagefind.stabilize`), and carries ``records.sha256``,
a hash of exactly what was indexed and of the bundle's files: when the previous
bundle's hashes match (a real folder of regular files, as Pagefind wrote it), it is
reused as it is and Pagefind does not run at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Protocol

from generator.diagnostics import Diagnostic, Location, Severity
from generator.publish.pagefind import PagefindError, Record, Stopper, write_bundle

BUNDLE = "pagefind"
STAMP = "records.sha256"
FORMAT = "digest-search-1"  # change when what is sent to Pagefind changes
PARTS = {"text": "Article text", "notes": "Editors’ notes"}


class SearchFailed(Exception):
    """The search index could not be built; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


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


def index_records(
    records: Sequence[Searchable], folder: Path, language: str, previous: Path | None = None
) -> bool:
    """Write the search bundle for ``records`` into ``folder/pagefind/``.

    ``previous`` is the folder of the last build: its bundle is reused when it was made
    from the same records.  Returns whether Pagefind ran.  Raises :class:`SearchFailed`
    when Pagefind is missing or fails (``folder/pagefind/`` is then left out).
    """
    stamp = records_hash(records, language)
    bundle = folder / BUNDLE
    if bundle_stamp(folder) == stamp:
        return False
    old = previous / BUNDLE if previous is not None else None
    if old is not None and old.resolve() != bundle.resolve() and _stamp_of(old) == stamp:
        _replace(bundle)
        shutil.copytree(old, bundle, copy_function=_link_or_copy)
        return False
    fresh = prepare_bundle(records, folder, language, stamp)
    try:
        install_bundle(fresh, folder)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return True


def bundle_stamp(folder: Path) -> str | None:
    """The :func:`records_hash` the bundle in ``folder/pagefind/`` was made from, if any."""
    return _stamp_of(folder / BUNDLE)


def prepare_bundle(
    records: Sequence[Searchable],
    folder: Path,
    language: str,
    stamp: str,
    stopper: Stopper | None = None,
) -> Path:
    """Index ``records`` into a new hidden folder inside ``folder`` and return it, for
    :func:`install_bundle` (the caller removes it if it is not installed).

    Raises :class:`SearchFailed` (also when ``stopper`` stopped Pagefind) and ``OSError``
    when ``folder`` cannot be written.
    """
    fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=folder))
    try:
        write_bundle((_record(r, language) for r in records), fresh, stopper)
        (fresh / STAMP).write_text(f"{stamp}\n{_files_hash(fresh)}\n", encoding="utf-8")
    except PagefindError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchFailed(_failure(str(exc), exc.detail)) from exc
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return fresh


def install_bundle(fresh: Path, folder: Path) -> None:
    """Put the bundle prepared in ``fresh`` in the place of ``folder/pagefind/`` with two
    renames (a reader never sees half a bundle)."""
    _swap(fresh, folder / BUNDLE)


def keep_bundle(previous: Path, folder: Path) -> None:
    """Hard-link (copy where links fail) the bundle of ``previous`` into ``folder``, if
    there is one: the index a rebuilt site shows until its own is ready."""
    old = previous / BUNDLE
    if old.is_dir() and _stamp_of(old) is not None:  # no link, no file edited by hand
        _replace(folder / BUNDLE)
        shutil.copytree(old, folder / BUNDLE, copy_function=_link_or_copy)


def records_hash(records: Sequence[Searchable], language: str) -> str:
    """A SHA-256 of exactly what is indexed, with the Pagefind version and record format."""
    digest = hashlib.sha256(f"{FORMAT}\0{_pagefind_version()}\0{language}\0".encode())
    for r in records:
        fields = [r.url, r.title, r.part, r.content, [[k, list(v)] for k, v in r.filters]]
        digest.update(json.dumps(fields, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _record(record: Searchable, language: str) -> Record:
    return {
        "url": record.url,
        "content": record.content,
        "language": language,
        "meta": {"title": record.title, "part": PARTS.get(record.part, record.part)},
        "filters": {key: list(values) for key, values in record.filters},
    }


def _stamp_of(bundle: Path) -> str | None:
    """The records hash of ``bundle`` when its files are still those Pagefind wrote
    (a link, a file edited or added by hand: ``None``, the bundle is not reused)."""
    try:
        stamp, _, files = (bundle / STAMP).read_text(encoding="utf-8").partition("\n")
        return stamp if files.strip() == _files_hash(bundle) else None
    except OSError:
        return None


def _files_hash(bundle: Path) -> str:
    """A SHA-256 of the names and bytes of the files of ``bundle`` (but the stamp);
    raises :class:`OSError` when the bundle or anything in it is a link."""
    if bundle.is_symlink():
        raise OSError(f"{bundle} is a link")
    digest = hashlib.sha256()
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink():
            raise OSError(f"{path} is a link")
        if path.is_file() and path.name != STAMP:
            digest.update(f"{path.relative_to(bundle).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _swap(fresh: Path, bundle: Path) -> None:
    """Put the bundle in ``fresh`` in the place of ``bundle`` (a served site never sees
    half a bundle)."""
    old = Path(tempfile.mkdtemp(prefix=".pagefind-old-", dir=bundle.parent))
    try:
        if bundle.exists() or bundle.is_symlink():
            os.replace(bundle, old / BUNDLE)
        os.replace(fresh, bundle)
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _replace(bundle: Path) -> None:
    if bundle.is_symlink() or bundle.is_file():
        bundle.unlink()
    elif bundle.exists():
        shutil.rmtree(bundle)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _pagefind_version() -> str:
    binary = os.environ.get("PAGEFIND_BINARY_PATH", "")
    try:
        return f"{metadata.version('pagefind_bin_extended')} {binary}"
    except metadata.PackageNotFoundError:
        return f"unknown {binary}"


def _failure(message: str, detail: tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(
        Location("search"),
        Severity.ERROR,
        "search-index",
        message,
        "reinstall digest with its dependencies (pip install -e .), which bring "
        "'pagefind[extended]'; or set PAGEFIND_BINARY_PATH to a pagefind binary",
        detail,
    )
