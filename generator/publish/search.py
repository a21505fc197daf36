"""Search: the site's search records indexed with Pagefind into ``pagefind/``, in parts.

Pagefind (from PyPI: the ``pagefind`` package with its extended binary, which
also segments Chinese, Japanese and Korean words) receives the records the views
stage made (title, plain text, part, filters: topic, tag, outlet), not the written
HTML.  The records are split into parts (:mod:`generator.publish.parts`), each its own
bundle in ``pagefind/<part>/``, listed by ``pagefind/parts.json``; the search page
loads the first and merges the others.  A bundle is byte-identical for identical
records (see :func:`~generator.publish.pagefind.stabilize`), and carries
``records.sha256``, a hash of exactly what was indexed and of the bundle's files: a
part whose hashes match in the previous output (a real folder of regular files, as
Pagefind wrote it) is reused as it is, and Pagefind runs only for the others, ``jobs``
at a time, so its memory is that of one or two parts, not of the whole site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from generator.diagnostics import Diagnostic, Location, Severity
from generator.publish.pagefind import PagefindError, Record, Stopper, write_bundle
from generator.publish.parts import (
    JOBS,
    MANIFEST,
    PART_SIZE,
    Part,
    Searchable,
    Spool,
    listed,
    manifest,
    split,
)

BUNDLE = "pagefind"
STAMP = "records.sha256"
FORMAT = "digest-search-2"  # change when what is sent to Pagefind changes
PARTS = {"text": "Article text", "notes": "Editors’ notes"}


class SearchFailed(Exception):
    """The search index could not be built; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def index_records(
    records: Sequence[Searchable] | Spool,
    folder: Path,
    language: str,
    previous: Path | None = None,
    *,
    part_size: int = PART_SIZE,
    jobs: int = JOBS,
) -> int:
    """Write the search index of ``records`` into ``folder/pagefind/``, in parts.

    ``previous`` is the folder of the last build: a part it holds that was made from the
    same records is hard-linked (copied where links fail) instead of indexed again.
    ``part_size`` is the most records per part, ``jobs`` how many Pagefind processes run
    at once.  Returns the number of parts Pagefind indexed.  Raises :class:`SearchFailed`
    when Pagefind is missing or fails (``folder/pagefind/parts.json`` is then not
    written) and ``OSError`` when ``folder`` cannot be written.
    """
    parts = plan_parts(records, language, part_size)
    todo = missing_parts(parts, folder, previous)
    fresh = prepare_parts(todo, folder, language, jobs)
    try:
        install_parts(parts, fresh, folder)
    finally:
        for path in fresh.values():
            shutil.rmtree(path, ignore_errors=True)
    return len(todo)


def plan_parts(
    records: Sequence[Searchable] | Spool, language: str, part_size: int = PART_SIZE
) -> tuple[Part, ...]:
    """``records`` split into the parts of the index (see :mod:`generator.publish.parts`)."""
    return split(records, language, records_hash, part_size)


def missing_parts(parts: Sequence[Part], folder: Path, previous: Path | None = None) -> list[Part]:
    """The ``parts`` that must be indexed: those neither in ``folder/pagefind/`` nor in
    ``previous/pagefind/`` as Pagefind made them from the same records (the latter are
    linked into ``folder/pagefind/``, not yet listed in its ``parts.json``)."""
    bundle = folder / BUNDLE
    here = _real_folder(bundle)
    old = previous / BUNDLE if previous is not None else None
    there = old is not None and _real_folder(old) and old.resolve() != bundle.resolve()
    todo = []
    for part in parts:
        if here and _stamp_of(bundle / part.name) == part.stamp:
            continue
        if there and old is not None and _stamp_of(old / part.name) == part.stamp:
            _bundle_folder(bundle)
            here = True
            _replace(bundle / part.name)
            shutil.copytree(old / part.name, bundle / part.name, copy_function=_link_or_copy)
        else:
            todo.append(part)
    return todo


def lists_parts(parts: Sequence[Part], folder: Path) -> bool:
    """Whether ``folder/pagefind/parts.json`` lists exactly ``parts`` (whether their
    folders are as Pagefind made them is :func:`missing_parts`' question)."""
    return listed(folder / BUNDLE) == tuple(part.name for part in parts)


def prepare_parts(
    parts: Sequence[Part],
    folder: Path,
    language: str,
    jobs: int = JOBS,
    stopper: Stopper | None = None,
) -> dict[str, Path]:
    """Index each of ``parts`` into a new hidden folder inside ``folder``, ``jobs`` at a
    time; their folders by part name, for :func:`install_parts` (the caller removes those
    it does not install).

    Raises :class:`SearchFailed` (also when ``stopper`` stopped Pagefind) and ``OSError``
    when ``folder`` cannot be written; no hidden folder is left then.
    """
    failed = threading.Event()  # after a failure, the parts not started yet are not
    stopper = stopper or Stopper()

    def one(part: Part) -> Path | None:
        if failed.is_set():
            return None
        try:
            return prepare_part(part, folder, language, stopper)
        except BaseException:
            failed.set()
            raise

    workers = max(1, min(jobs, len(parts) or 1))
    pool = ThreadPoolExecutor(max_workers=workers, initializer=_signals_to_caller)
    try:
        futures = [pool.submit(one, part) for part in parts]
        pool.shutdown()
    except BaseException:  # Ctrl-C or SIGTERM in this thread: Pagefind is stopped at once
        failed.set()
        stopper.stop()
        pool.shutdown()
        raise
    made: dict[str, Path] = {}
    failure: BaseException | None = None
    for part, future in zip(parts, futures, strict=True):
        try:
            path = future.result()
        except (SearchFailed, OSError) as exc:
            failure = failure or exc
        else:
            if path is not None:
                made[part.name] = path
    if failure is not None:
        for path in made.values():
            shutil.rmtree(path, ignore_errors=True)
        raise failure
    return made


def _signals_to_caller() -> None:
    """Block Ctrl-C and SIGTERM in an indexing thread: the kernel then gives them to the
    thread that waits for the indexing, which is woken (a signal given to this thread left
    it waiting until a part was done)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def prepare_part(part: Part, folder: Path, language: str, stopper: Stopper | None = None) -> Path:
    """Index ``part`` into a new hidden folder inside ``folder`` and return it.

    Raises :class:`SearchFailed` (also when ``stopper`` stopped Pagefind) and ``OSError``
    when ``folder`` cannot be written.
    """
    fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=folder))
    try:
        write_bundle((_record(r, language) for r in part.records), fresh, stopper)
        (fresh / STAMP).write_text(f"{part.stamp}\n{_files_hash(fresh)}\n", encoding="utf-8")
    except PagefindError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchFailed(_failure(str(exc), exc.detail)) from exc
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return fresh


def install_parts(parts: Sequence[Part], fresh: dict[str, Path], folder: Path) -> None:
    """Make ``parts`` the index of ``folder``: the folders in ``fresh`` (by part name) are
    renamed into ``folder/pagefind/`` under names no reader uses yet, then ``parts.json``
    is replaced in one rename, so a reader sees the old parts or the new ones, never a
    mix or a gap.  The parts the replaced ``parts.json`` listed stay until the next
    install (a search page opened before keeps working); anything else goes."""
    bundle = folder / BUNDLE
    _bundle_folder(bundle)
    for name, path in fresh.items():
        _replace(bundle / name)
        os.replace(path, bundle / name)
    kept = {*listed(bundle), *(part.name for part in parts)}
    handle, temp = tempfile.mkstemp(prefix=".parts-", dir=bundle)
    with os.fdopen(handle, "wb") as stream:
        stream.write(manifest(parts))
    os.chmod(temp, 0o644)
    os.replace(temp, bundle / MANIFEST)
    for entry in bundle.iterdir():
        if entry.name != MANIFEST and entry.name not in kept:
            _replace(entry)


def keep_bundle(previous: Path, folder: Path) -> None:
    """Hard-link (copy where links fail) the index of ``previous`` into ``folder`` when
    each of its parts is as Pagefind made it: the index a rebuilt site shows until its
    own is ready."""
    old = previous / BUNDLE
    names = listed(old) if _real_folder(old) else ()
    if not names or any(_stamp_of(old / name) is None for name in names):
        return
    _replace(folder / BUNDLE)
    (folder / BUNDLE).mkdir()
    for name in names:
        shutil.copytree(old / name, folder / BUNDLE / name, copy_function=_link_or_copy)
    shutil.copy2(old / MANIFEST, folder / BUNDLE / MANIFEST)


def records_hash(records: Iterable[Searchable], language: str) -> str:
    """A SHA-256 of exactly what is indexed, with the Pagefind version and record format:
    every string length-prefixed (cheaper than JSON, which took 0.7 s at 10,000 records)."""
    digest = hashlib.sha256(f"{FORMAT}\0{_pagefind_version()}\0{language}\0".encode())
    for r in records:
        strings = [r.url, r.title, r.part, r.content, str(len(r.filters))]
        for key, values in r.filters:
            strings += [key, str(len(values)), *values]
        pieces = [s.encode("utf-8") for s in strings]
        digest.update(b"".join(b"%d:%b" % (len(piece), piece) for piece in pieces))
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
    for relative, path in sorted(_walk(str(bundle), "")):
        if relative != STAMP:
            digest.update(f"{relative}\0".encode())
            with open(path, "rb") as stream:
                digest.update(hashlib.sha256(stream.read()).digest())
    return digest.hexdigest()


def _walk(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """(relative name, path) of every file under ``folder``; ``OSError`` at a link."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                raise OSError(f"{entry.path} is a link")
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file(follow_symlinks=False):
                yield f"{prefix}{entry.name}", entry.path


def _real_folder(path: Path) -> bool:
    """Whether ``path`` is a folder and not a link (a linked index is never reused)."""
    return path.is_dir() and not path.is_symlink()


def _bundle_folder(bundle: Path) -> None:
    """Make ``bundle`` a real folder (never its parents: a deleted output folder stays
    deleted)."""
    if bundle.is_symlink() or (bundle.exists() and not bundle.is_dir()):
        bundle.unlink()
    bundle.mkdir(exist_ok=True)


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
