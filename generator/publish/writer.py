"""Writing ``output/`` atomically.

Pages are written into a fresh temporary folder beside the output folder;
only when every page is written does it replace ``output/`` in one rename.
A failed build therefore leaves the previous site exactly as it was.  Two
pages claiming one path, or a path leaving the folder, are refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from generator.diagnostics import Diagnostic, Location, Severity


class WriteConflict(Exception):
    """A page could not be written; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


class SiteWriter:
    """Collects files in a temporary folder and swaps it into place on :meth:`commit`."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}-new-", dir=self.output.parent)
        )
        self.origins: dict[PurePosixPath, str] = {}
        self._folders: set[Path] = {self.staging}

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def write(self, path: PurePosixPath, data: bytes, origin: str) -> None:
        """Write one file; refuse a second file on the same path or one outside."""
        self._target(path, origin).write_bytes(data)

    def keep(self, path: PurePosixPath, previous: Path, origin: str) -> None:
        """Take the file ``previous`` (of the output being replaced, its bytes checked by
        the caller) for ``path``: a hard link when the file system allows, else a copy."""
        target = self._target(path, origin)
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)

    def _target(self, path: PurePosixPath, origin: str) -> Path:
        if path.is_absolute() or ".." in path.parts:
            raise WriteConflict(_error(origin, f"output path '{path}' leaves the output folder"))
        first = self.origins.get(path)
        if first is not None:
            message = f"two pages would be written to '{path}': from {first} and from {origin}"
            raise WriteConflict(_error(origin, message))
        self.origins[path] = origin
        target = self.staging / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def commit(self) -> None:
        """Replace the output folder with the staged one (the old one comes back on failure)."""
        self.staging.chmod(0o755)
        old = None
        if self.output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-old-", dir=self.output.parent))
            os.replace(self.output, old / "site")
        try:
            os.replace(self.staging, self.output)
        except OSError:
            if old is not None:
                os.replace(old / "site", self.output)
            raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)


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
