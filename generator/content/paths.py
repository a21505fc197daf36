"""The one place that decides whether a path is inside the site.

A site folder may hold symbolic links, but every path the site reads or writes
(``site.yaml``, ``content/``, ``seeds/``, ``layouts/``, ``output/``, ``.digest-backup/``)
must resolve inside the site folder: a build of someone else's pull request must not
publish, say, ``~/.ssh/id_rsa`` linked in as ``seeds/memo.txt``.  :func:`inside` answers
for one path; :func:`check_site_links` walks the site's sources once and reports every
link that leaves.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity

#: What a site reads (walked whole) and writes (the folders themselves only).
SOURCES = ("site.yaml", "content", "seeds", "layouts")
WRITTEN = ("output", ".digest-backup")


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, every link followed, resolves to ``root`` or a path under it.

    ``path`` need not exist: links along its existing part are followed.
    """
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def outside_link(path: Path, root: Path) -> Path | None:
    """The first link from ``root`` down to ``path`` whose target leaves ``root``; else None."""
    if inside(path, root):
        return None
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink() and not inside(current, root):
            return current
    return path


def link_problem(path: Path, root: Path) -> Diagnostic | None:
    """An ``error[outside-site]`` naming the link on ``path`` that leaves ``root``, if any."""
    link = outside_link(path, root)
    if link is None:
        return None
    target = os.path.realpath(link)
    return Diagnostic(
        Location(link.as_posix()),
        Severity.ERROR,
        "outside-site",
        f"'{link.as_posix()}' is a link to '{target}', outside the site folder; "
        "digest neither reads nor writes through it",
        "replace the link with a copy of what it points to, inside the site folder",
    )


def check_site_links(root: Path, diags: Diagnostics) -> bool:
    """Report every link in the site's sources (and the folders it writes) that leaves the site.

    Returns whether none was found.  Links that stay inside the site are fine.
    """
    found = False
    for name in WRITTEN + SOURCES:
        for path in _links(root / name, root, walk=name not in WRITTEN):
            problem = link_problem(path, root)
            if problem is not None:
                diags.add(problem)
                found = True
    return not found


def _links(start: Path, root: Path, walk: bool) -> list[Path]:
    """``start`` if it is a link, and the links under it (inside the site) when ``walk``."""
    links = [start] if start.is_symlink() else []
    pending = [str(start)] if walk and start.is_dir() and inside(start, root) else []
    seen: set[str] = set()
    while pending:
        folder = pending.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append(Path(entry.path))
            if entry.is_dir() and inside(entry.path, root):  # linked folders too, once each
                pending.append(entry.path)
    return sorted(links)
