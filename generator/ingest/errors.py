"""The one exception ingest raises for problems a user can cause."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location, Severity


class IngestError(Exception):
    """A raw page could not be turned into an article; carries a :class:`Diagnostic`."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.format())

    @classmethod
    def make(cls, source: str, code: str, message: str, hint: str = "") -> IngestError:
        """Build the error for ``source`` (a path or URL) at line 1, column 1."""
        return cls.make_at(source, 1, 1, code, message, hint)

    @classmethod
    def make_at(
        cls, source: str, line: int, col: int, code: str, message: str, hint: str = ""
    ) -> IngestError:
        """Build the error for ``source`` at ``line`` and ``col`` (1-based)."""
        return cls(Diagnostic(Location(source, line, col), Severity.ERROR, code, message, hint))
