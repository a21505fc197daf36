"""The Jinja environment: autoescape, StrictUndefined, the layouts loader.

A site's own ``layouts/`` folder overrides the bundled layouts template by
template.  Template mistakes become diagnostics naming the template file and
line, and the page being rendered.
"""

from __future__ import annotations

import dataclasses
import os
import re
import types
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
from markupsafe import Markup, escape

from generator.diagnostics import Diagnostic, Location, Severity
from generator.render.models import PageSpec

_PACKAGE = Path(__file__).resolve().parent.parent  # generator/


def default_layouts() -> Path:
    """The bundled layouts: inside the installed package, or the source checkout's."""
    installed = _PACKAGE / "layouts"
    return installed if installed.is_dir() else _PACKAGE.parent / "layouts"


def layout_dirs(site_layouts: Path) -> list[Path]:
    """Where templates are looked up, the site's own first."""
    dirs = [site_layouts] if site_layouts.is_dir() else []
    bundled = default_layouts()
    if bundled.resolve() not in {d.resolve() for d in dirs}:
        dirs.append(bundled)
    return dirs


def layout_files(folder: Path) -> list[str]:
    """The files under ``folder`` as Jinja finds templates there: through links to folders
    (``Path.rglob`` does not follow them).  Sorted POSIX paths relative to ``folder``;
    none if it is no folder."""
    found = [
        f"{prefix}/{name}" if prefix != "." else name
        for top, _, names in _walk(folder)
        for prefix in [Path(top).relative_to(folder).as_posix()]
        for name in names
    ]
    return sorted(name for name in found if (folder / name).is_file())


def linked_folders(folder: Path) -> list[Path]:
    """The folders (resolved) that links to folders under ``folder`` lead to: their files
    are templates too (:func:`layout_files`)."""
    links = (Path(top, name) for top, dirs, _ in _walk(folder) for name in dirs)
    return sorted({link.resolve() for link in links if link.is_symlink()})


def _walk(folder: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` through links to folders, each folder once (a link to a folder above
    it ends there)."""
    seen: set[tuple[int, int]] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        info = os.stat(top)
        if (info.st_dev, info.st_ino) in seen:
            dirs.clear()
            continue
        seen.add((info.st_dev, info.st_ino))
        yield top, dirs, names


def static_files(site_layouts: Path) -> dict[str, tuple[bytes, str]]:
    """The ``static/`` files of the layouts by output path; the site's override the bundled."""
    found: dict[str, tuple[bytes, str]] = {}
    for layouts in reversed(layout_dirs(site_layouts)):
        static = layouts / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            if path.is_file() and not path.is_symlink():
                found["static/" + path.relative_to(static).as_posix()] = (
                    path.read_bytes(),
                    str(path),
                )
    return found


def environment(site_layouts: Path) -> jinja2.Environment:
    """A Jinja environment that escapes everything and fails on undefined names."""
    # utf-8-sig: a layout saved with a byte order mark must not put it before <!DOCTYPE>
    dirs = [str(d) for d in layout_dirs(site_layouts)]
    loader = jinja2.FileSystemLoader(dirs, encoding="utf-8-sig")
    return _Environment(
        loader=loader,
        autoescape=True,  # whatever a layout file is called: scraped text is never trusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def printed(value: object) -> str:
    """``value`` as an autoescaped ``{{ … }}`` prints it: the text of ``escape(value)``.

    The same characters as :func:`markupsafe.escape`, raising what it raises, without
    wrapping each printed value in a new ``Markup``: a page's printed values are only
    joined into its text (``str.join``; a macro or ``{% set %}`` block wraps its joined
    output in ``Markup`` itself), so the wrapper was a third of the cost of printing.
    """
    if type(value) is str:
        return _escape_text(value)
    if type(value) is Markup:
        return value
    return escape(value)


try:  # markupsafe's own C replacement of the five characters, which its escape calls
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover - markupsafe without its C speedups, or renamed

    def _escape_text(text: str, /) -> str:
        # markupsafe's replacements, in its order
        return (
            text.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's compiler, printing autoescaped values with :func:`printed`.

    ``Environment.code_generator_class`` is Jinja's documented way to change the Python
    a template compiles to; only the call around a printed value changes here (Jinja
    writes ``escape(``).  Templates that switch autoescaping on and off at run time keep
    Jinja's own code.
    """

    def _output_child_pre(
        self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any
    ) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.printed(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.printed = printed  # an instance attribute: the cheapest lookup for templates


class TemplateFailed(Exception):
    """A template could not render the page ``route``; carries the located diagnostic
    (its message without the page: see :func:`one_per_mistake`)."""

    def __init__(self, diagnostic: Diagnostic, route: str) -> None:
        self.diagnostic = diagnostic
        self.route = route
        super().__init__(diagnostic.message)


def one_per_mistake(failures: Iterable[tuple[Diagnostic, str]]) -> list[Diagnostic]:
    """One diagnostic per template mistake, from (diagnostic, route) pairs in page order:
    the same mistake (the same template line and code) on many pages is reported once,
    with the first page's message, naming that page and how many others it broke
    (``… (rendering articles/a/ and 691 other pages)``), and how many of those gave
    another message (one naming a value of the page, such as its title)."""
    pages: dict[tuple[object, ...], list[tuple[Diagnostic, str]]] = {}
    for diagnostic, route in failures:
        place = (diagnostic.location, diagnostic.severity, diagnostic.code)
        pages.setdefault(place, []).append((diagnostic, route or "index.html"))
    found = []
    for broken in pages.values():
        first, route = broken[0]
        routes = dict.fromkeys(r for _, r in broken)
        unlike = len(dict.fromkeys(r for d, r in broken if d.message != first.message))
        others = len(routes) - 1
        more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
        if unlike:
            more += f", {unlike} of them with another message"
        message = f"{first.message} (rendering {route}{more})"
        found.append(dataclasses.replace(first, message=message))
    return found


def render(env: jinja2.Environment, spec: PageSpec, root: Path) -> str:
    """Render one page, turning any template error into :class:`TemplateFailed`."""
    try:
        if env not in _SHARED:
            _share_macros(env)
        template = env.get_template(spec.template)
        return template.render(chrome=spec.chrome, page=spec.page)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_shown(exc.filename or spec.template, root), exc.lineno or 1)
        message = exc.message or str(exc)
        raise TemplateFailed(_diagnostic(where, "template-syntax", message), spec.route) from exc
    except jinja2.TemplateNotFound as exc:
        where = Location(f"layouts/{exc.name}")
        message = f"template '{exc.name}' not found"
        raise TemplateFailed(_diagnostic(where, "template-missing", message), spec.route) from exc
    except Exception as exc:
        where = _template_frame(exc.__traceback__, root) or Location(f"layouts/{spec.template}")
        # Jinja names the Python class (``'generator.render.models.ArticleView object'``);
        # the editor knows only the class name.
        reason = re.sub(r"'(?:\w+\.)+(\w+ object)'", r"'\1'", str(exc))
        raise TemplateFailed(_diagnostic(where, "template-error", reason), spec.route) from exc


def _diagnostic(where: Location, code: str, message: str) -> Diagnostic:
    hint = "fix the template; names available to templates are 'chrome' and 'page'"
    return Diagnostic(where, Severity.ERROR, code, message, hint)


def _template_frame(tb: types.TracebackType | None, root: Path) -> Location | None:
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = Location(_shown(filename, root), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown(filename: str, root: Path) -> str:
    """A template's path as content paths are shown: under the site folder as given."""
    path = Path(filename).resolve()
    if path.is_relative_to(root.resolve()):
        return (root / path.relative_to(root.resolve())).as_posix()
    bundled = default_layouts().parent.resolve()
    return path.relative_to(bundled).as_posix() if path.is_relative_to(bundled) else filename


# Macros whose HTML is the same wherever they are called with the same arguments and is
# printed many times: an article's list card (the same on every list page at one folder
# depth, as its links climb that many folders) and its feed entry (the same in every
# feed: its links are absolute).
SHARED_MACROS = (("_macros.html", "card"), ("_feed.xml", "feed_entry"))
_SHARED: weakref.WeakSet[jinja2.Environment] = weakref.WeakSet()


def _share_macros(env: jinja2.Environment) -> None:
    """Make each of :data:`SHARED_MACROS` render once per distinct arguments.

    A macro imported without context sees only its arguments and the template globals,
    so the same arguments give the same HTML.  Pages import a template's one module
    (``Template.module``), which this replaces the macro in.  A template that fails to
    load is left for the page that imports it to report.
    """
    _SHARED.add(env)
    for name, macro_name in SHARED_MACROS:
        try:
            module = env.get_template(name).module
        except jinja2.TemplateError:
            continue
        macro = getattr(module, macro_name, None)
        if isinstance(macro, jinja2.runtime.Macro):
            setattr(module, macro_name, _Remembered(macro))


class _NotAValue(Exception):
    """An argument whose output may change while it compares equal: never remembered."""


# Arguments remembered by value, with their type (``Markup("<b>")`` equals ``"<b>"`` and
# ``True`` equals ``1``, but they print differently).
_ATOMS = frozenset({str, Markup, int, bool, type(None)})


class _Remembered:
    """A macro whose output is kept by its arguments' values; at most ``limit`` kept.

    Only values are keys, with their type: strings, numbers, ``None``, tuples of values,
    and frozen dataclasses (the page views digest makes: every field typed, compared by
    value).  A call with anything else (a dict, a ``namespace()``, a ``loop``, a
    ``cycler``, a ``caller``, an undefined name) is rendered each time, since what it
    prints may change while it stays the same object.
    """

    def __init__(self, macro: Callable[..., Any], limit: int = 50_000) -> None:
        self.macro = macro
        self.limit = limit
        self.done: dict[Hashable, Any] = {}
        # The same view object passed again (a card shown on many lists): found by its
        # identity, without hashing its fields.  Each entry holds the object, so its id is
        # not reused while the entry lives (``done``'s keys hold it too).
        self.same: dict[int, tuple[object, Any]] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs:
            seen = self.same.get(id(args[0]))
            if seen is not None and seen[0] is args[0]:
                return seen[1]
        try:
            key = (tuple(map(_key, args)), tuple((k, _key(v)) for k, v in kwargs.items()))
            found = self.done.get(key)
        except (_NotAValue, TypeError):  # TypeError: a view holding something unhashable
            return self.macro(*args, **kwargs)
        if found is None:
            if len(self.done) >= self.limit:
                self.done.clear()
                self.same.clear()
            found = self.done[key] = self.macro(*args, **kwargs)
        if len(args) == 1 and not kwargs:
            self.same[id(args[0])] = (args[0], found)
        return found


def _key(value: object) -> Hashable:
    """``value`` as a key only an equal value of the same type has; else :class:`_NotAValue`."""
    kind = type(value)
    if kind in _ATOMS:
        return kind, value
    if kind is float:
        return kind, repr(value)  # 0.0 == -0.0, but they print differently
    if isinstance(value, tuple) and kind is tuple:
        return kind, tuple(_key(item) for item in value)
    if _FROZEN.get(kind) is None:
        params = getattr(kind, "__dataclass_params__", None)
        _FROZEN[kind] = params is not None and params.frozen
    if not _FROZEN[kind]:
        raise _NotAValue
    return kind, value


_FROZEN: dict[type, bool] = {}
