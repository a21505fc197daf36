"""What every ``digest`` command shares: exit codes, the --site option, printing diagnostics.

Part of the CLI layer, the only code that prints or exits.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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
