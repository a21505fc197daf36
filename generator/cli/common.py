"""What every ``digest`` command shares: exit codes, the --site option, printing diagnostics.

Part of the CLI layer, the only code that prints or exits.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO, TypeAlias

from generator.content import SiteConfig, load_config
from generator.diagnostics import Diagnostic, Diagnostics, Severity

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def site_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--site DIR`` (default: the current folder)."""
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="the site folder, holding site.yaml"
    )


def require_config(site: Path) -> SiteConfig:
    """Load ``site.yaml`` or raise BuildFailed with its diagnostics."""
    diags = Diagnostics()
    config = load_config(site, diags)
    diags.raise_if_errors()
    assert config is not None
    return config


def print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO | None = None) -> None:
    """Print diagnostics, then a count of errors and warnings."""
    out = stream or sys.stderr
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=out)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        print(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}", file=out)


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


#: Characters a terminal acts on rather than shows: C0 controls but tab and newline, DEL,
#: C1 controls, and the bidirectional overrides that reorder a line ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every terminal control character shown as an escape (ESC -> ``\\u001b``).

    The ``\\uXXXX`` form is the same in JSON and Python, so the JSON Lines of ``extract``
    stay valid and decode to the original characters.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream(io.TextIOBase):
    """A text stream that shows control characters instead of sending them to the terminal.

    Everything printed can carry text from content (a scraped headline, a file name), and a
    headline holding ``ESC]0;title BEL`` or ``ESC[2J`` must not retitle or clear the
    editor's terminal.  Only :meth:`control` writes raw, for the CLI's own sequences.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(printable(text))
        return len(text)

    def control(self, text: str) -> None:
        """Write a terminal sequence of the CLI's own (the progress bar's), unchanged."""
        self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Run the block with ``sys.stdout`` and ``sys.stderr`` wrapped in :class:`SafeStream`."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(saved[0]), SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
