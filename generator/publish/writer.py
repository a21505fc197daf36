"""Writing ``output/`` atomically, and recovering from a build that was killed.

Pages are written into a fresh temporary folder beside the output folder;
only when every page is written does it replace ``output/`` in two renames
(``output`` -> ``.output-old-T/site``, ``.output-new-T`` -> ``output``).
A failed build therefore leaves the previous site exactly as it was.  Two
pages claiming one path, or a path leaving the folder, are refused.

Each build holds an exclusive ``flock`` on ``.output-lock-T`` for its whole
life; the kernel drops it when the process dies, even by ``kill -9``.  So the
next writer (:func:`recover_output`, run by every build and by ``serve``)
tells a dead build's leftovers (lock free) from a running build's (lock held):
it puts a dead build's ``.output-old-T/site`` back when ``output/`` is missing
(a kill between the two renames) and removes the rest; a running build's
folders are never touched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from generator.diagnostics import Diagnostic, Location, Severity

SPARE = "spare"  # .OUTPUT-spare: the last replaced site, kept by a recycling build


class WriteConflict(Exception):
    """A page could not be written; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


class SiteWriter:
    """Collects files in a temporary folder and swaps it into place on :meth:`commit`."""

    def __init__(self, output: Path, recycle: bool = False) -> None:
        """``recycle``: stage into the spare tree a recycling build kept (see
        :meth:`commit`) instead of a new folder, and keep the replaced site as the spare."""
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        recover_output(self.output)
        self._lock, self._token = _hold_lock(self.output)
        self.staging = _sibling(self.output, "new", self._token)
        self._old = _sibling(self.output, "old", self._token)
        self.origins: dict[str, str] = {}  # by output path, with slashes
        self.folder_origins: dict[str, str] = {}
        self._root = str(self.staging)
        self._folders: set[str] = {"."}
        self._recycle = recycle
        self._stale: dict[str, int] = {}  # files of the recycled tree not staged again: inodes
        self._device = -1
        self._old_folders: set[str] = set()
        if not (recycle and self._take_spare()):
            self.staging.mkdir(mode=0o700)

    def _take_spare(self) -> bool:
        """Stage into the spare tree: its files and folders are noted, to be replaced or
        removed; one holding anything but plain files and folders is not used."""
        spare = self.output.parent / f".{self.output.name}-{SPARE}"
        try:
            os.rename(spare, self.staging)
        except OSError:
            return False
        shutil.rmtree(self.staging / "pagefind", ignore_errors=True)  # the search index: anew
        self._device = os.stat(self._root).st_dev
        pending = [""]
        while pending:
            folder = pending.pop()
            self._old_folders.add(folder or ".")
            with os.scandir(os.path.join(self._root, folder)) as entries:
                for entry in entries:
                    path = folder + "/" + entry.name if folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(path)
                    elif entry.is_file(follow_symlinks=False):
                        self._stale[path] = entry.inode()
                    else:  # a link, or no plain file: not a tree this writer made
                        shutil.rmtree(self.staging, ignore_errors=True)
                        self._stale, self._old_folders = {}, set()
                        return False
        self._folders = set(self._old_folders)
        return True

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.staging.exists() and not (self._recycle and self._keep_as_spare()):
            shutil.rmtree(self.staging, ignore_errors=True)
        _sibling(self.output, "lock", self._token).unlink(missing_ok=True)
        os.close(self._lock)

    def _keep_as_spare(self) -> bool:
        """After a failed or stopped build: the staged tree becomes the spare the next
        recycling build stages into (one rename, where removing a large tree took seconds
        after a Ctrl-C); whether that worked."""
        try:
            os.rename(self.staging, self.output.parent / f".{self.output.name}-{SPARE}")
        except OSError:  # a spare is there already
            return False
        return True

    def write(self, path: PurePosixPath | str, data: bytes, origin: str) -> None:
        """Write one file; refuse a second file on the same path or one outside."""
        target = self._target(path, origin)
        self._unlink_recycled(target)  # may be a link to a file of the live site
        # what open(target, "wb") does, without its buffer and its fstat and isatty calls
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def keep(
        self,
        path: PurePosixPath | str,
        previous: Path | str,
        origin: str,
        file: tuple[int, int] | None = None,
    ) -> bool:
        """Take the file ``previous`` (of the output being replaced, its bytes checked by
        the caller) for ``path``: a hard link when the file system allows (``True``), else
        a copy (``False``)."""
        target = self._target(path, origin)
        if self._unlink_recycled(target, file):
            return True  # the recycled tree holds that very file already
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)
            return False
        return True

    def _target(self, path: PurePosixPath | str, origin: str) -> str:
        # paths are handled as strings: a warm build links thousands of files here
        text = path if isinstance(path, str) else path.as_posix()
        parts = text.split("/")
        if "" in parts or "." in parts:  # not written as PurePosixPath would: normalise it
            text = PurePosixPath(text).as_posix()
            parts = text.split("/")
        if text.startswith("/") or ".." in parts:
            raise WriteConflict(_error(origin, f"output path '{path}' leaves the output folder"))
        first = self.origins.get(text) or self.folder_origins.get(text)
        if first is not None:
            message = f"two pages would be written to '{path}': from {first} and from {origin}"
            raise WriteConflict(_error(origin, message))
        parents = _parents(text)
        for parent in parents:
            first = self.origins.get(parent)
            if first is not None:
                message = f"'{parent}' would be a file (from {first}) and a folder (from {origin})"
                raise WriteConflict(_error(origin, message))
        self.origins[text] = origin
        for parent in parents:
            self.folder_origins.setdefault(parent, origin)
        folder = parents[0] if parents else "."
        if folder not in self._folders:
            self._make_folder(folder, parents)
        return os.path.join(self._root, text)

    def _make_folder(self, folder: str, parents: list[str]) -> None:
        for parent in reversed(parents):  # a recycled file where a folder goes: removed
            if self._stale.pop(parent, None) is not None:
                os.unlink(os.path.join(self._root, parent))
        for parent in reversed(parents):  # as os.makedirs(exist_ok=True), each folder once
            if parent not in self._folders:
                path = os.path.join(self._root, parent)
                try:
                    os.mkdir(path)
                except FileExistsError:
                    if not os.path.isdir(path):
                        raise
                self._folders.add(parent)

    def _unlink_recycled(self, target: str, file: tuple[int, int] | None = None) -> bool:
        """Clear ``target`` of the recycled tree; ``True`` (nothing done) when it is the
        ``file`` (device, inode) to be kept there."""
        relative = target[len(self._root) + 1 :]
        inode = self._stale.pop(relative, None)
        if inode is not None:
            if file == (self._device, inode) and _file_id(target) == file:
                return True
            os.unlink(target)
        elif relative in self._old_folders:  # a recycled folder where a file goes
            shutil.rmtree(target)
            self._old_folders = {f for f in self._old_folders if not _under(f, relative)}
            self._folders = {f for f in self._folders if not _under(f, relative)}
            self._stale = {f: i for f, i in self._stale.items() if not _under(f, relative)}
        return False

    def _sweep(self) -> None:
        """Remove what the recycled tree held that this build did not stage."""
        for path in self._stale:
            os.unlink(os.path.join(self._root, path))
        self._stale = {}
        unused = self._old_folders - self.folder_origins.keys() - {"."}
        for folder in sorted(unused, key=lambda f: f.count("/"), reverse=True):
            shutil.rmtree(os.path.join(self._root, folder), ignore_errors=True)

    def commit(self) -> None:
        """Replace the output folder with the staged one (the old one comes back on failure).

        A recycling writer keeps the replaced site as ``.OUTPUT-spare`` beside it, for the
        next recycling build to stage into: files it can keep are there already (hard
        links to the same files), and no folder is made or removed for them.
        """
        self._sweep()
        self.staging.chmod(0o755)
        old = None
        if self.output.exists():
            old = self._old
            old.mkdir(mode=0o700)
            os.replace(self.output, old / "site")
        try:
            os.replace(self.staging, self.output)
        except OSError:
            if old is not None:
                os.replace(old / "site", self.output)
            raise
        finally:
            if old is not None:
                if self._recycle:
                    spare = self.output.parent / f".{self.output.name}-{SPARE}"
                    with contextlib.suppress(OSError):
                        os.rename(old / "site", spare)  # fails if a spare is there
                shutil.rmtree(old, ignore_errors=True)


def _file_id(path: str) -> tuple[int, int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _parents(path: str) -> list[str]:
    """The folders holding ``path`` (``a/b/c`` -> ``a/b``, ``a``), nearest first."""
    found = []
    end = path.rfind("/")
    while end > 0:
        found.append(path[:end])
        end = path.rfind("/", 0, end)
    return found


def recover_output(output: Path) -> list[Path]:
    """Clean up after builds of ``output`` that died; return the folders removed.

    A dead build's old site comes back as ``output`` if ``output`` is missing;
    its staging and old folders and its lock file go.  Folders of a build that
    is still running (its lock is held) are left alone.
    """
    output = output.resolve()
    if not output.parent.is_dir():
        return []
    removed = []
    for token in sorted(_dead_tokens(output)):
        old_site = _sibling(output, "old", token) / "site"
        if not output.exists() and old_site.is_dir():
            os.replace(old_site, output)
        for kind in ("new", "old"):
            folder = _sibling(output, kind, token)
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        _sibling(output, "lock", token).unlink(missing_ok=True)
    return removed


def _dead_tokens(output: Path) -> set[str]:
    """The tokens of this output's leftover folders whose build holds no lock."""
    prefix = f".{output.name}-"
    found: set[str] = set()
    for entry in output.parent.iterdir():
        kind, _, token = entry.name.removeprefix(prefix).partition("-")
        ours = entry.name.startswith(prefix) and kind in {"new", "old", "lock"}
        if ours and token and "-" not in token:
            found.add(token)
    return {token for token in found if not _held(_sibling(output, "lock", token))}


def _held(lock: Path) -> bool:
    """Whether a running build holds ``lock`` (a missing lock file: an older digest's)."""
    try:
        handle = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


def _hold_lock(output: Path) -> tuple[int, str]:
    """Create and lock ``.output-lock-T``; return its descriptor and ``T``.

    Another build's recovery may remove the file between its creation and the
    lock (it looks dead then); the lock is taken again on a new file if so.
    """
    while True:
        handle, name = tempfile.mkstemp(prefix=f".{output.name}-lock-", dir=output.parent)
        fcntl.flock(handle, fcntl.LOCK_EX)
        if os.fstat(handle).st_nlink > 0:
            return handle, Path(name).name.rsplit("-", 1)[1]
        os.close(handle)


def _sibling(output: Path, kind: str, token: str) -> Path:
    return output.parent / f".{output.name}-{kind}-{token}"


PROTECTED = ("content", "layouts", "seeds", ".git")


def output_problem(output: Path, site_root: Path) -> Diagnostic | None:
    """Why ``output`` must not be replaced by a build of ``site_root``, if it must not.

    A build replaces the whole output folder, so it refuses the site folder itself,
    anything holding it or inside its sources, and any non-empty folder that an
    earlier build did not make.
    """
    out, root = output.resolve(), site_root.resolve()
    shown = output.as_posix()
    protected = [root / name for name in PROTECTED]
    if out == root or root.is_relative_to(out) or any(out.is_relative_to(p) for p in protected):
        message = f"the output folder '{shown}' would replace the site's own files"
    elif out.exists() and not out.is_dir():
        message = f"the output folder '{shown}' is a file"
    elif out.is_dir() and any(out.iterdir()) and not _built_by_digest(out):
        message = f"'{shown}' is not empty and was not made by digest; a build replaces it whole"
    else:
        return None
    return Diagnostic(
        Location(shown),
        Severity.ERROR,
        "bad-output",
        message,
        "build into a folder of its own, such as the default SITE/output, or empty it first",
    )


def _built_by_digest(folder: Path) -> bool:
    return (folder / ".nojekyll").is_file() and (folder / "index.html").is_file()


def _error(origin: str, message: str) -> Diagnostic:
    return Diagnostic(
        Location(origin),
        Severity.ERROR,
        "output-conflict",
        message,
        "give one of the articles a different slug",
    )
