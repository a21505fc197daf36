"""The watcher of ``digest serve``: the operating system's file events, not polling.

``watchdog`` (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) tells
us when a source changes, so an idle preview costs no CPU however large the site; a folder
of 10,000 articles polled ten times a second cost 40% of a core.  Where the native observer
cannot start (no inotify watches left, some network file systems) or ``poll=True`` is asked,
watchdog's polling observer is the fallback, once a second.

A burst of changes (a "save all", a ``git checkout``) is waited out until the sources have
been quiet for ``quiet`` seconds, then ``on_change`` is called once.  It receives a
``still_current()`` callable that says whether any change arrived since, so a build can
throw its result away instead of writing a stale site.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

QUIET_SECONDS = 0.15
POLL_SECONDS = 1.0
#: Events that mean a source changed (opening or reading a file does not).
CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED})


class Watcher(FileSystemEventHandler):
    """Calls ``on_change`` once per burst of changes to ``paths()``, after they have stopped.

    ``paths`` returns the files and folders to watch (folders recursively); they may not
    exist yet.  ``on_change`` runs on the watcher's own thread.
    """

    def __init__(
        self,
        paths: Callable[[], list[Path]],
        on_change: Callable[[Callable[[], bool]], None],
        quiet: float = QUIET_SECONDS,
        poll: bool = False,
    ) -> None:
        super().__init__()
        self.paths, self.on_change, self.quiet = paths, on_change, quiet
        self.polling = poll
        self.observer: BaseObserver = _observer(poll)
        self.watches: dict[tuple[str, bool], ObservedWatch] = {}
        self.changed = threading.Condition()
        self.generation = 0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="digest-watcher", daemon=True)

    def start(self) -> None:
        """Start watching (the observer's thread and ours)."""
        try:
            self._sync()
            self.observer.start()
        except OSError:  # e.g. inotify's watch limit: fall back to polling
            self.observer = _observer(poll=True)
            self.polling, self.watches = True, {}
            self._sync()
            self.observer.start()
        self.thread.start()

    def stop(self) -> None:
        """Stop watching; returns within about a second even if a build is running."""
        with self.changed:
            self.stopped = True
            self.changed.notify_all()
        self.observer.stop()
        for thread in (self.observer, self.thread):
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout=1)

    def on_any_event(self, event: FileSystemEvent) -> None:
        """watchdog's callback (on its thread): note a change to a watched path."""
        if event.event_type not in CHANGES:
            return
        touched = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
        wanted = [os.path.abspath(p) for p in self.paths()]
        if not any(_under(os.path.abspath(path), w) for path in touched for w in wanted):
            return
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def _run(self) -> None:
        seen = 0
        while self._wait(seen, None):
            seen = self._settle()
            if seen < 0:
                return
            try:
                self._sync()  # a folder created or removed changes what is watched
                self.on_change(functools.partial(self._unchanged_since, seen))
            except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
                continue

    def _unchanged_since(self, generation: int) -> bool:
        return self.generation == generation

    def _wait(self, generation: int, timeout: float | None) -> bool:
        """Wait for a change after ``generation`` (or the timeout); False once stopped."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.stopped or self.generation != generation, timeout=timeout
            )
            return not self.stopped

    def _settle(self) -> int:
        """Wait until no change has come for ``quiet`` seconds; the generation then (-1: stop)."""
        while True:
            current = self.generation
            if not self._wait(current, self.quiet):
                return -1
            if self.generation == current:
                return current

    def _sync(self) -> None:
        """Watch each path: a folder recursively, anything else through its nearest folder."""
        wanted = {_watch_point(Path(os.path.abspath(path))) for path in self.paths()}
        for key in set(self.watches) - wanted:
            self.observer.unschedule(self.watches.pop(key))
        for folder, recursive in sorted(wanted - set(self.watches)):
            self.watches[(folder, recursive)] = self.observer.schedule(
                self, folder, recursive=recursive
            )


def _observer(poll: bool) -> BaseObserver:
    return PollingObserver(timeout=POLL_SECONDS) if poll else Observer()


def _watch_point(path: Path) -> tuple[str, bool]:
    """Where to watch ``path`` from: itself (a folder, recursively) or its nearest folder."""
    if path.is_dir():
        return (str(path), True)
    parent = path.parent
    while not parent.is_dir() and parent != parent.parent:
        parent = parent.parent
    return (str(parent), False)


def _under(path: str, watched: str) -> bool:
    return path == watched or path.startswith(watched.rstrip(os.sep) + os.sep)
