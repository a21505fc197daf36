"""``digest serve``: preview with live reload that never loses the page.

A :class:`~generator.preview.watch.Watcher` gets the operating system's file events for
the site's sources; a burst of changes (a "save all", a ``git checkout``) is waited out,
then built once with a
:class:`~generator.preview.session.Session`, which re-renders only what changed and
throws away a build whose sources changed while it ran, and hands the search index
to a background thread.  Browsers are told to reload (without waiting for the index)
through the ``livereload`` package's websocket protocol.  A build with
errors keeps the last good site served and shows the diagnostics in an
overlay on every page until a build succeeds.  Requests are answered from the
output folder only, under the path of ``base_url``, never cached; every route (pages,
the reload script, its websocket) answers only to the served host names, and the
websocket only to pages of the served origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import html
import ipaddress
import mimetypes
import os
import signal
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web

from generator.content import inside
from generator.diagnostics import BuildFailed, Diagnostic, internal_error
from generator.preview.session import Rebuilt, Session, Superseded
from generator.preview.watch import Watcher
from generator.render import templates


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


class Preview:
    """The preview server: a session, a watcher, and a tornado app serving ``output``."""

    def __init__(
        self,
        site_dir: Path,
        output: Path,
        report: Callable[[Event], None],
        poll: bool = False,
    ) -> None:
        self.site_dir, self.output, self.report = site_dir, output, report
        self.session = Session(site_dir, output, on_index=self._indexed)
        self.errors: tuple[Diagnostic, ...] = ()
        self.base_path = "/"
        self.port = 0
        self.hosts: frozenset[str] = frozenset()
        self.loop: ioloop.IOLoop | None = None
        self.lock = threading.Lock()
        self.watcher = Watcher(self.watched, self.rebuild, poll=poll)

    def watched(self) -> list[Path]:
        """The sources whose changes trigger a rebuild (absolute paths)."""
        root = self.site_dir.absolute()
        linked = templates.linked_folders(root / "layouts")  # templates behind links
        return [root / "site.yaml", root / "content", root / "seeds", root / "layouts", *linked]

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
                self._failed((internal_error(exc),))
                return
            self.errors = ()
            if result.full:
                _freeze_long_lived()
            if self.session.state is not None:
                self.base_path = self.session.state.config.base_path
            with contextlib.suppress(Exception):
                self.report(result)
            self._reload()

    def _indexed(self, failure: tuple[Diagnostic, ...]) -> None:
        """The background search index is done: show its failure, or clear the last one."""
        if failure:
            self._failed(failure)
        elif self.errors and all(d.code == "search-index" for d in self.errors):
            self.errors = ()
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
        """Bind the server, then build the site once; return the site's URL.

        The port is taken before the build, so a port in use is reported at once
        (:class:`ServeError`).  ``listen`` and :meth:`run` must be called from the same thread.
        """
        sockets = _bind(host, port)
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = ioloop.IOLoop.current()
        self.hosts = allowed_hosts(host)
        self.port = sockets[0].getsockname()[1]
        self.watcher.start()  # before the first build, so no change is missed
        self.rebuild()
        guard = {"preview": self}
        app = web.Application(
            [
                (r"/livereload", ReloadSocket, guard),
                (r"/livereload\.js", ReloadScript, guard),
                (r"/.*", SiteHandler, guard),
            ]
        )
        server = httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}{self.base_path}"

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C) or :meth:`stop`, watching for changes."""
        assert self.loop is not None, "call listen() first"
        try:
            self.loop.start()
        finally:
            self.watcher.stop()
            self.session.close()  # no Pagefind process outlives the preview

    def stop(self) -> None:
        """Stop serving (thread-safe)."""
        if self.loop is not None:
            self.loop.add_callback(self.loop.stop)

    def stop_on(self, *signals: signal.Signals) -> None:
        """Stop serving at once on these signals (e.g. SIGTERM from ``kill``, ``docker stop``).

        The event loop is woken by the signal itself (asyncio's wakeup descriptor), so the
        server stops within a second even when no request arrives.  Main thread only.
        """
        assert self.loop is not None, "call listen() first"
        native = self.loop.asyncio_loop  # type: ignore[attr-defined]
        for number in signals:
            try:
                native.add_signal_handler(number, self.stop)
            except (NotImplementedError, RuntimeError):  # Windows' loop: a plain handler
                signal.signal(number, lambda _signum, _frame: self.stop())


def _freeze_long_lived() -> None:
    """Exempt what a full build leaves alive (parsed articles, bodies, the site) from the
    garbage collector's full passes: at 10,000 articles each pass took ~0.1 s of an
    incremental rebuild.  Collected once first, so no garbage is kept; what is frozen is
    freed as usual when its last reference goes (cycles among it excepted)."""
    gc.collect()
    gc.freeze()


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
    if not inside(target, real_root):
        return ("missing", None)
    if os.path.isdir(target):
        if parts[-1] != "":
            return ("redirect", None)
        target = os.path.join(target, "index.html")
        if os.path.realpath(target) != target:
            return ("missing", None)
    return ("file", Path(target)) if os.path.isfile(target) else ("missing", None)


def _allowed(handler: web.RequestHandler, preview: Preview) -> bool:
    """The Host check every route makes (against DNS rebinding); answers 403 if it fails."""
    if not preview.hosts or handler.request.host_name.strip("[]").lower() in preview.hosts:
        return True
    handler.set_status(403)
    handler.finish("digest serve answers only to this machine's own names.\n")
    return False


def same_origin(origin: str, host: str) -> bool:
    """Whether a websocket's ``Origin`` is the served origin: ``http://`` + the Host asked."""
    try:
        parts = urllib.parse.urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme == "http" and parts.netloc.lower() == host.lower() and not parts.path


class ReloadSocket(LiveReloadHandler):  # type: ignore[misc]
    """livereload's websocket, behind the Host check, for pages of the served origin only."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _allowed(self, self.preview)

    def check_origin(self, origin: str) -> bool:
        return same_origin(origin, self.request.host)


class ReloadScript(LiveReloadJSHandler):  # type: ignore[misc]
    """livereload's script, behind the Host check."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _allowed(self, self.preview)


class SiteHandler(web.RequestHandler):
    """Serves the output folder, injecting the reload script and the error overlay."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _allowed(self, self.preview)

    def get(self) -> None:
        self._serve(include_body=True)

    def head(self) -> None:
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        preview = self.preview
        kind, target = resolve(preview.output, preview.base_path, self.request.path)
        self.set_header("Cache-Control", "no-store, must-revalidate")
        if kind == "redirect":
            self.redirect(redirect_target(preview.base_path, self.request.path))
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


def redirect_target(base_path: str, request_path: str) -> str:
    """Where a redirect for ``request_path`` goes: the site's root, or the folder's ``/``.

    Never protocol-relative: ``//articles`` (a host named ``articles`` to a browser) and
    ``/\\articles`` become ``/articles/``.
    """
    if request_path in {"/", base_path[:-1]}:
        return base_path
    return "/" + request_path.lstrip("/\\") + "/"


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
