"""``digest serve``: preview with live reload that never loses the page.

A watcher thread polls the site's sources; a burst of changes (a "save all",
a ``git checkout``) is waited out, then built once with a
:class:`~generator.preview.session.Session`, which re-renders only what changed and
throws away a build whose sources changed while it ran.  Browsers are told to
reload through the ``livereload`` package's websocket protocol.  A build with
errors keeps the last good site served and shows the diagnostics in an
overlay on every page until a build succeeds.  Requests are answered from the
output folder only, under the path of ``base_url``, never cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import html
import ipaddress
import mimetypes
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web

from generator.diagnostics import BuildFailed, Diagnostic, Location, Severity
from generator.preview.session import Rebuilt, Session, Superseded

POLL_SECONDS = 0.1
QUIET_SECONDS = 0.15
Snapshot = dict[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Failed:
    """A rebuild found errors; the last good site stays served."""

    diagnostics: tuple[Diagnostic, ...]


Event = Rebuilt | Failed


class _AnyPath:
    """What livereload's handler reads when it logs a reload: which file changed."""

    filepath = "*"


class ServeError(Exception):
    """The server could not start (e.g. the port is taken)."""


def snapshot(paths: list[Path]) -> Snapshot:
    """Size and mtime of every file under ``paths`` (files or folders)."""
    found: Snapshot = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:  # gone for a moment, e.g. an editor saving by renaming
            continue
        if path.is_file():
            found[str(path)] = (info.st_mtime_ns, info.st_size)
        for top, _dirs, names in os.walk(path):
            for name in names:
                full = os.path.join(top, name)
                try:
                    info = os.stat(full)
                except OSError:
                    continue
                found[full] = (info.st_mtime_ns, info.st_size)
    return found


class Watcher:
    """Calls ``on_change`` once per burst of changes, after they have stopped."""

    def __init__(
        self,
        paths: Callable[[], list[Path]],
        on_change: Callable[[Callable[[], bool]], None],
        poll: float = POLL_SECONDS,
        quiet: float = QUIET_SECONDS,
    ) -> None:
        self.paths, self.on_change, self.poll, self.quiet = paths, on_change, poll, quiet
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="digest-watcher", daemon=True)
        self.last = snapshot(self.paths())

    def start(self) -> None:
        """Start watching in a background thread."""
        self.thread.start()

    def stop(self) -> None:
        """Stop watching (returns once the thread has finished)."""
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stopped.wait(self.poll):
            try:
                self._check()
            except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
                time.sleep(self.poll)

    def _check(self) -> None:
        current = snapshot(self.paths())
        if current == self.last:
            return
        self.last = self._settle(current)
        self.on_change(functools.partial(self._unchanged_since, self.last))

    def _unchanged_since(self, settled: Snapshot) -> bool:
        return snapshot(self.paths()) == settled

    def _settle(self, current: Snapshot) -> Snapshot:
        """Wait until nothing has changed for ``quiet`` seconds."""
        calm_since = time.monotonic()
        while time.monotonic() - calm_since < self.quiet and not self.stopped.is_set():
            time.sleep(self.poll / 2)
            latest = snapshot(self.paths())
            if latest != current:
                current, calm_since = latest, time.monotonic()
        return current


class Preview:
    """The preview server: a session, a watcher, and a tornado app serving ``output``."""

    def __init__(self, site_dir: Path, output: Path, report: Callable[[Event], None]) -> None:
        self.site_dir, self.output, self.report = site_dir, output, report
        self.session = Session(site_dir, output)
        self.errors: tuple[Diagnostic, ...] = ()
        self.base_path = "/"
        self.port = 0
        self.hosts: frozenset[str] = frozenset()
        self.loop: ioloop.IOLoop | None = None
        self.lock = threading.Lock()
        self.watcher = Watcher(self.watched, self.rebuild)

    def watched(self) -> list[Path]:
        """The sources whose changes trigger a rebuild."""
        root = self.site_dir
        return [root / "site.yaml", root / "content", root / "seeds", root / "layouts"]

    def rebuild(self, still_current: Callable[[], bool] = lambda: True) -> None:
        """Build once; on errors keep the last good site and show them. Never raises."""
        with self.lock:
            try:
                result = self.session.rebuild(still_current)
            except Superseded:
                return  # the watcher sees the newer change and builds again
            except BuildFailed as failed:
                self._failed(failed.diagnostics)
                return
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview
                self._failed((_internal_error(exc),))
                return
            self.errors = ()
            if self.session.state is not None:
                self.base_path = self.session.state.config.base_path
            with contextlib.suppress(Exception):
                self.report(result)
            self._reload()

    def _failed(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.errors = diagnostics
        with contextlib.suppress(Exception):
            self.report(Failed(diagnostics))
        self._reload()

    def _reload(self) -> None:
        LiveReloadHandler.watcher = _AnyPath()
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def listen(self, host: str, port: int) -> str:
        """Bind the server (after a first build); return the site's URL.

        ``listen`` and :meth:`run` must be called from the same thread.
        """
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = ioloop.IOLoop.current()
        self.rebuild()
        sockets = _bind(host, port)
        self.hosts = allowed_hosts(host)
        self.port = sockets[0].getsockname()[1]
        app = web.Application(
            [
                (r"/livereload", LiveReloadHandler),
                (r"/livereload\.js", LiveReloadJSHandler),
                (r"/.*", SiteHandler, {"preview": self}),
            ]
        )
        server = httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}{self.base_path}"

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C) or :meth:`stop`, watching for changes."""
        assert self.loop is not None, "call listen() first"
        self.watcher.start()
        try:
            self.loop.start()
        finally:
            self.watcher.stop()

    def stop(self) -> None:
        """Stop serving (thread-safe)."""
        if self.loop is not None:
            self.loop.add_callback(self.loop.stop)


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a loopback preview answers to (against DNS rebinding); any for others."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return LOCAL_NAMES | {host} if loopback else frozenset()


def _bind(host: str, port: int) -> list[socket.socket]:
    try:
        return list(netutil.bind_sockets(port, host))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        free = _free_port(host, port)
        hint = f"; try --port {free}" if free else ""
        raise ServeError(f"port {port} on {host} is already in use{hint}") from exc


def _free_port(host: str, port: int) -> int | None:
    for candidate in range(port + 1, port + 50):
        try:
            for sock in netutil.bind_sockets(candidate, host):
                sock.close()
        except OSError:
            continue
        return candidate
    return None


def _internal_error(exc: Exception) -> Diagnostic:
    return Diagnostic(
        Location("digest"),
        Severity.ERROR,
        "internal",
        f"{type(exc).__name__}: {exc}",
        "this is a bug in digest; please report it with the file you were editing",
    )


def resolve(root: Path, base_path: str, request_path: str) -> tuple[str, Path | None]:
    """Map a request path to a file under ``root``: ("file", path), ("redirect", None) or
    ("missing", None).  Paths outside ``root`` ("..", encoded or not, or symlinks) are missing.
    """
    if not request_path.startswith(base_path):
        return ("redirect", None) if request_path in {"/", base_path[:-1]} else ("missing", None)
    parts = [urllib.parse.unquote(p) for p in request_path[len(base_path) :].split("/")]
    if any(p in {".", ".."} or "\\" in p or "\x00" in p for p in parts):
        return ("missing", None)
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, *[p for p in parts if p]))
    if target != real_root and not target.startswith(real_root + os.sep):
        return ("missing", None)
    if os.path.isdir(target):
        if parts[-1] != "":
            return ("redirect", None)
        target = os.path.join(target, "index.html")
        if os.path.realpath(target) != target:
            return ("missing", None)
    return ("file", Path(target)) if os.path.isfile(target) else ("missing", None)


class SiteHandler(web.RequestHandler):
    """Serves the output folder, injecting the reload script and the error overlay."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        self._serve(include_body=True)

    def head(self) -> None:
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        preview = self.preview
        if preview.hosts and self.request.host_name.strip("[]") not in preview.hosts:
            self.set_status(403)
            self.write("digest serve answers only to this machine's own names.\n")
            return
        kind, target = resolve(preview.output, preview.base_path, self.request.path)
        self.set_header("Cache-Control", "no-store, must-revalidate")
        if kind == "redirect":
            path = self.request.path
            self.redirect(
                preview.base_path if path in {"/", preview.base_path[:-1]} else path + "/"
            )
            return
        if target is None:
            self.set_status(404)
            target = preview.output / "404.html"
        data = (
            target.read_bytes()
            if target.is_file()
            else b"<!DOCTYPE html><title>Not found</title><body></body>"
        )
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type == "text/html":
            data = inject(data, preview.port, preview.errors)
            content_type = "text/html; charset=utf-8"
        self.set_header("Content-Type", content_type)
        if include_body:
            self.write(data)


def inject(page: bytes, port: int, errors: tuple[Diagnostic, ...]) -> bytes:
    """Add the live-reload script (and the error overlay) before ``</body>``."""
    extra = f'<script src="/livereload.js?port={port}"></script>'
    if errors:
        extra = overlay(errors) + extra
    index = page.rfind(b"</body>")
    cut = index if index >= 0 else len(page)
    return page[:cut] + extra.encode("utf-8") + page[cut:]


def overlay(errors: tuple[Diagnostic, ...]) -> str:
    """The banner that shows build errors over every page."""
    items = "".join(f"<li>{html.escape(d.format())}</li>" for d in errors)
    return (
        '<div id="digest-errors" role="alert" style="position:fixed;left:0;right:0;bottom:0;'
        "max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;"
        "background:#3b0d0c;color:#fff;font:14px/1.45 ui-monospace,monospace;"
        'white-space:pre-wrap;border-top:4px solid #ff6b5f">'
        "<strong>digest: the last build failed, so this is the last good version of the site."
        " Fix these and save:</strong>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{items}</ul></div>'
    )
