"""Diagnostics: what went wrong, where, and how to fix it.

Every problem a user can cause becomes a :class:`Diagnostic` carrying
``path:line:col``, a severity, a short code, a message and a hint.  Stages
collect them into a :class:`Diagnostics` and keep going, so one run reports
every bad file; at the end of a stage, errors raise :class:`BuildFailed`.
Nothing here prints: formatting a diagnostic returns text for the CLI.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: a path as the user sees it, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located, with a hint on how to fix it."""

    location: Location
    severity: Severity
    code: str
    message: str
    hint: str = ""
    detail: tuple[str, ...] = ()

    def format(self) -> str:
        """Render as ``path:line:col: severity[code]: message`` plus indented lines."""
        head = f"{self.location}: {self.severity.value}[{self.code}]: {self.message}"
        lines = [head, *(f"    {line}" for line in self.detail)]
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


def internal_error(exc: Exception, where: str = "digest") -> Diagnostic:
    """A diagnostic for an unexpected exception (a bug in digest), at ``where``."""
    return Diagnostic(
        Location(where),
        Severity.ERROR,
        "internal",
        f"{type(exc).__name__}: {exc}",
        "this is a bug in digest; please report it with the file you were editing",
    )


@dataclass(slots=True)
class Diagnostics:
    """A collector that stages add to; sorted by location when read."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, code: str, message: str, hint: str = "") -> None:
        """Record an error."""
        self.items.append(Diagnostic(location, Severity.ERROR, code, message, hint))

    def warning(self, location: Location, code: str, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.items.append(Diagnostic(location, Severity.WARNING, code, message, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a ready-made diagnostic."""
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record several diagnostics."""
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        """Whether any recorded diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """All diagnostics ordered by file, line and column."""
        return tuple(sorted(self.items, key=_sort_key))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def raise_if_errors(self) -> None:
        """End the stage: raise :class:`BuildFailed` if any error was recorded."""
        if self.has_errors:
            raise BuildFailed(self.sorted())


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.location.path, d.location.line, d.location.col, d.code)


class BuildFailed(Exception):
    """A stage found errors; carries every diagnostic found so far."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        super().__init__(f"{errors} error(s)")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice to ``word``, or listing the choices."""
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if options:
        return "expected one of: " + ", ".join(options)
    return ""
