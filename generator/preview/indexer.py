"""The preview's search index, refreshed in the background after each rebuild.

Pagefind takes seconds at 10,000 articles, so ``digest serve`` does not wait for it: a
rebuild writes its pages, the browsers reload, and the search records are handed to an
:class:`Indexer`, whose one thread re-indexes only the parts of the index whose records
changed (one part for one edited article) into hidden folders inside ``output/``, then
renames them into ``pagefind/`` and replaces ``pagefind/parts.json`` (under the session's
write lock, so a rebuild's writes never interleave; a reader sees the old parts or the
new ones, never a gap).

Records handed in while an index is being made wait; a newer set replaces a waiting one
(a burst of edits costs at most one more index).  A bundle made for an output folder that
another build has since replaced is thrown away.  :meth:`Indexer.close` kills a Pagefind
service under way and waits for the thread, so no indexer outlives the preview.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, internal_error
from generator.publish import (
    PART_SIZE,
    SearchFailed,
    Stopper,
    install_parts,
    lists_parts,
    missing_parts,
    plan_parts,
    prepare_parts,
)
from generator.render import SearchRecord

Report = Callable[[tuple[Diagnostic, ...]], None]


@dataclass(frozen=True, slots=True)
class IndexJob:
    """Records to index into ``output/pagefind/``, for the output folder ``folder_id``
    (device, inode) as it was when they were handed in; ``part_size`` records at most
    per part, ``jobs`` parts indexed at once."""

    records: Sequence[SearchRecord]
    output: Path
    language: str
    folder_id: tuple[int, int] | None
    part_size: int = PART_SIZE
    jobs: int = 1


class Indexer:
    """One background thread indexing the newest :class:`IndexJob` it was given."""

    def __init__(self, write_lock: threading.Lock, report: Report | None = None) -> None:
        self._write_lock = write_lock  # held by whoever changes output/
        self._report = report
        self._changed = threading.Condition()
        self._pending: IndexJob | None = None
        self._busy = False
        self._closed = False
        self._stopper: Stopper | None = None
        self._thread: threading.Thread | None = None
        self.failure: tuple[Diagnostic, ...] = ()  # of the last index made; () if it worked

    def submit(self, job: IndexJob) -> None:
        """Index ``job`` soon, instead of any job still waiting (never blocks)."""
        with self._changed:
            if self._closed:
                return
            self._pending = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="digest-index", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def settle(self, timeout: float | None = None) -> tuple[Diagnostic, ...]:
        """Wait until no job waits or runs (at most ``timeout`` seconds); return the last
        index's failure, () if it worked."""
        with self._changed:
            self._changed.wait_for(lambda: self._pending is None and not self._busy, timeout)
            return self.failure

    def close(self) -> None:
        """Drop the waiting job, kill a Pagefind service under way, end the thread."""
        with self._changed:
            self._closed = True
            self._pending = None
            if self._stopper is not None:
                self._stopper.stop()
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed or self._pending is None:
                    return
                job, self._pending = self._pending, None
                self._busy = True
                stopper = self._stopper = Stopper()
            failure: tuple[Diagnostic, ...] = ()
            try:
                failure = self._index(job, stopper)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview
                failure = (internal_error(exc, "search"),)
            finally:
                if self._report is not None and not stopper.stopped:
                    with contextlib.suppress(Exception):  # reported before settle() returns
                        self._report(failure)
                with self._changed:
                    self._busy = False
                    self._stopper = None
                    if not stopper.stopped:
                        self.failure = failure
                    self._changed.notify_all()

    def _index(self, job: IndexJob, stopper: Stopper) -> tuple[Diagnostic, ...]:
        parts = plan_parts(job.records, job.language, job.part_size)
        fresh: dict[str, Path] = {}
        try:
            todo = missing_parts(parts, job.output)  # reads pagefind/ only
            if not todo and lists_parts(parts, job.output):
                return ()
            fresh = prepare_parts(todo, job.output, job.language, job.jobs, stopper)
        except SearchFailed as failed:
            return () if stopper.stopped else (failed.diagnostic,)
        except OSError:
            if folder_id(job.output) != job.folder_id:
                return ()  # the output folder was replaced meanwhile: a newer job follows
            raise
        try:
            with self._write_lock:
                if folder_id(job.output) == job.folder_id and not stopper.stopped:
                    install_parts(parts, fresh, job.output)
        finally:
            for path in fresh.values():
                shutil.rmtree(path, ignore_errors=True)
        return ()


def folder_id(folder: Path) -> tuple[int, int] | None:
    """The (device, inode) of ``folder``, None if it is missing."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)
