"""Check every internal link of a built site: files that exist, fragments that name an id.

Every ``*.html`` page under the output folder is parsed once with the standard
library's :mod:`html.parser`.  The ``href``, ``src`` and ``srcset`` of ``a``,
``link``, ``img``, ``script`` and ``source`` are resolved relative to the page
(root-absolute ones against the site's base path), percent-decoding included,
and checked against the files of the output folder, listed once.  Links with a
scheme (``https:``, ``mailto:``, ``data:``...) or a host are external and are
not checked.  Fragments are checked against the ``id`` (and ``a name``) of the
target page after every page has been read, so each page is parsed only once.
"""

from __future__ import annotations

import functools
import os
import posixpath
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.content import split_url
from generator.diagnostics import Diagnostic, Location, Severity

_LINKING = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
}
_HTML = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class _Link:
    """One link as written in a page, where it was written."""

    value: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a link leads: a file of the output folder and a fragment, or a problem."""

    path: str
    fragment: str | None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class _Pending:
    """A fragment to check once every page's ids are known."""

    page: str
    link: _Link
    target: str
    fragment: str


class _PageParser(HTMLParser):
    """Collects a page's links and the ids (and ``a name``) it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = _LINKING.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in names:
                line, offset = self.getpos()
                for url in _srcset(value) if name == "srcset" else (value,):
                    self.links.append(_Link(url.strip(), line, offset + 1))


def _srcset(value: str) -> list[str]:
    """The URLs of a ``srcset``: comma-separated candidates, each a URL and a descriptor."""
    return [part.split()[0] for part in value.split(",") if part.strip()]


@dataclass(slots=True)
class _Checker:
    """The state of one check: the output's files, ids per page, findings."""

    output: Path
    base_path: str
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    found: list[Diagnostic] = field(default_factory=list)

    def list_files(self) -> None:
        """Every file and folder under the output, as POSIX paths relative to it."""
        for folder, dirs, names in os.walk(self.output):
            relative = Path(folder).relative_to(self.output).as_posix()
            prefix = "" if relative == "." else relative + "/"
            self.folders.update(prefix + name for name in dirs)
            self.files.update(prefix + name for name in names)

    def take(self, page: str, ids: frozenset[str], links: Sequence[_Link]) -> None:
        """One parsed page: keep its ids, check its links' files, defer its fragments."""
        self.ids[page] = ids
        for link in links:
            target = _resolve(page, link.value, self.base_path)
            if target is None:
                continue
            self.check_target(page, link, target)

    def check_target(self, page: str, link: _Link, target: _Target) -> None:
        """Report a link whose file is missing; remember its fragment for later."""
        if target.problem:
            self.report(page, link, "broken-link", target.problem, _HINT_OUTSIDE)
            return
        path = self.existing(target.path)
        if path is None:
            shown = target.path or "/"
            folder = target.path.rstrip("/")
            what = "has no index.html" if folder in self.folders else "does not exist"
            message = f"link '{link.value}' points to '{shown}', which {what}"
            self.report(page, link, "broken-link", message, _HINT_MISSING)
        elif target.fragment and path.endswith(_HTML):
            self.pending.append(_Pending(page, link, path, target.fragment))

    def existing(self, path: str) -> str | None:
        """The file a resolved path serves: itself, or a folder's ``index.html``."""
        if path and not path.endswith("/") and path in self.files:
            return path
        if path and not path.endswith("/") and path not in self.folders:
            return None
        index = path.rstrip("/") + "/index.html" if path.strip("/") else "index.html"
        return index if index in self.files else None

    def check_fragments(self) -> None:
        """Every deferred fragment must name an id in its (now parsed) target page."""
        for item in self.pending:
            ids = self.ids.get(item.target)
            if ids is None:
                ids = self.ids[item.target] = _parsed(self.output / item.target)[0]
            if item.fragment in ids or item.fragment.lower() == "top":
                continue
            message = f"link '{item.link.value}': '{item.target}' has no id '{item.fragment}'"
            self.report(item.page, item.link, "broken-anchor", message, _HINT_ANCHOR)

    def report(self, page: str, link: _Link, code: str, message: str, hint: str) -> None:
        location = Location(page, link.line, link.col)
        self.found.append(Diagnostic(location, Severity.ERROR, code, message, hint))


_HINT_MISSING = "fix the link in the template or content that writes it, then rebuild"
_HINT_ANCHOR = "link to an id the target page defines, or give the element that id"
_HINT_OUTSIDE = "internal links must stay inside the site; make the link page-relative"


def _parsed(page: Path) -> tuple[frozenset[str], list[_Link]]:
    """The ids a page defines and the links it writes."""
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return frozenset(parser.ids), parser.links


Parsed = list[tuple[frozenset[str], list[_Link]]]
# Runs a function over pieces of a list and yields its results in order (``map``, or the
# build's worker processes: ``render.parallel.ordered_map``).
Mapper = Callable[[Callable[[Sequence[str]], Parsed], Sequence[Sequence[str]]], Iterable[Parsed]]


def _in_order(
    task: Callable[[Sequence[str]], Parsed], pieces: Sequence[Sequence[str]]
) -> Iterable[Parsed]:
    return map(task, pieces)


def _resolve(page: str, value: str, base_path: str) -> _Target | None:
    """The output path and fragment a link leads to; None for an external link."""
    target = _resolve_from(posixpath.dirname(page), value, base_path)
    if target is not None and target.path == _THIS_PAGE:
        return _Target(page, target.fragment)
    return target


_THIS_PAGE = "\0"  # a link with no path: the page it is written in


@functools.lru_cache(maxsize=16384)
def _resolve_from(folder: str, value: str, base_path: str) -> _Target | None:
    """:func:`_resolve` for a page in ``folder`` (remembered: the same links, in the
    navigation and footer, are written on every page of a folder)."""
    parts = split_url(value)
    if parts is None or parts.scheme or parts.netloc or value.startswith("//"):
        return None
    fragment = urllib.parse.unquote(parts.fragment) if "#" in value else None
    path = urllib.parse.unquote(parts.path)
    if not path:
        return _Target(_THIS_PAGE, fragment)
    if path.startswith("/"):
        full = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
        full = full.replace("//", "/")
        if not (full + "/").startswith(base_path):
            problem = f"link '{value}' is outside the site's base path '{base_path}'"
            return _Target(path, fragment, problem)
        return _Target(full[len(base_path) :], fragment)
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".." or joined.startswith("../"):
        return _Target(path, fragment, f"link '{value}' leads outside the output folder")
    to_folder = path.endswith("/") or path.endswith("/.") or path in {".", ".."}
    return _Target("" if joined == "." else joined + ("/" if to_folder else ""), fragment)


def _normal_base(base_path: str) -> str:
    """``/``, or the base path with exactly one leading and one trailing slash."""
    stripped = base_path.strip("/")
    return f"/{stripped}/" if stripped else "/"


def check_links(
    output: Path, base_path: str = "/", mapper: Mapper = _in_order, piece: int = 200
) -> tuple[Diagnostic, ...]:
    """Every broken internal link or anchor of the built site in ``output``, sorted.

    The pages are parsed in pieces of ``piece`` pages by ``mapper`` (default: one after
    the other here; the build passes its worker processes), then checked here."""
    checker = _Checker(output, _normal_base(base_path))
    checker.list_files()
    pages = [page for page in sorted(checker.files) if page.endswith(_HTML)]
    pieces = [pages[start : start + piece] for start in range(0, len(pages), piece)]

    def task(names: Sequence[str]) -> Parsed:
        return [_parsed(output / name) for name in names]

    for names, parsed in zip(pieces, mapper(task, pieces), strict=True):
        for page, (ids, links) in zip(names, parsed, strict=True):
            checker.take(page, ids, links)
    checker.check_fragments()
    return tuple(sorted(checker.found, key=_order))


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.location.path, d.location.line, d.location.col, d.code, d.message)
