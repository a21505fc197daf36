"""What every ``digest`` command shares: exit codes, the --site option, printing diagnostics.

Part of the CLI layer, the only code that prints or exits.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO, TypeAlias

from generator.content import SiteConfig, load_config
from generator.diagnostics import Diagnostic, Diagnostics, Severity, did_you_mean

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def site_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--site DIR`` (default: the current folder); a folder that does not exist
    is a usage error."""
    parser.add_argument(
        "--site", type=_folder, default=Path("."), help="the site folder, holding site.yaml"
    )


def jobs_count(text: str) -> int:
    """``--jobs``: a whole number of processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, got '{text}'")
    return value


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"the folder '{value}' {what}")
    return path


def parse_command_line(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """``parser.parse_args``, but an unknown option is reported with the usage of the
    command it was given to (``digest build --bogus`` shows build's usage)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        words = list(sys.argv[1:] if argv is None else argv)
        _command_parser(parser, words).error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _command_parser(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for index, word in enumerate(words):
                if word in action.choices:
                    return _command_parser(action.choices[word], words[index + 1 :])
    return parser


def os_error(error: OSError) -> str:
    """One line for a file the system refused: what, which file, what to do."""
    where = f"'{error.filename}': " if error.filename else ""
    reason = error.strerror or str(error)
    hint = _OS_HINTS.get(error.errno or 0, "check the path and its permissions")
    return f"error: {where}{reason}; {hint}"


def missing_library(error: ImportError) -> str:
    """One line for a library digest needs that could not be loaded (missing, broken)."""
    name = f"'{error.name}' " if error.name else ""
    return (
        f"error: the Python package {name}that this command needs could not be loaded "
        f"({error}); reinstall digest: pip install --force-reinstall digest-ssg"
    )


_OS_HINTS = {
    errno.ENOSPC: "free some disk space, or build elsewhere with --output DIR",
    errno.EDQUOT: "free some disk space, or build elsewhere with --output DIR",
    errno.EROFS: "the disk is read-only: build elsewhere with --output DIR",
    errno.EACCES: "make it writable for you (chmod/chown), or build elsewhere with --output DIR",
    errno.EPERM: "make it writable for you (chmod/chown), or build elsewhere with --output DIR",
    errno.EEXIST: "a file is in the way: move it, or build elsewhere with --output DIR",
    errno.ENOTDIR: "a file is in the way: move it, or build elsewhere with --output DIR",
    errno.ENAMETOOLONG: "shorten the name (a slug or a tag) that made this path",
}


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


def no_article(root: Path, slug: str, articles: Sequence[str], diags: Diagnostics) -> None:
    """Say why there is no article ``slug``: its file's errors if it failed to load, else a hint."""
    path = (root / "content" / "articles" / f"{slug}.md").resolve()
    broken = [d for d in diags.sorted() if Path(d.location.path).resolve() == path]
    if broken:
        print_diagnostics(broken)
        return
    hint = did_you_mean(slug, articles) or "there are no articles yet"
    print(f"error: no article '{slug}'; {hint}", file=sys.stderr)


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
        self.control(printable(text))
        return len(text)

    def control(self, text: str) -> None:
        """Write a terminal sequence of the CLI's own (the progress bar's), unchanged."""
        try:
            self.inner.write(text)
        except BrokenPipeError:
            self._reader_gone()

    def flush(self) -> None:
        try:
            self.inner.flush()
        except BrokenPipeError:
            self._reader_gone()

    def _reader_gone(self) -> None:
        """The reading end closed (``digest check | head``): the command carries on to
        its end, its remaining text goes nowhere (as if to ``/dev/null``)."""
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            self.inner = discard(self.inner.fileno())

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
    # a stream closed when digest started (``digest build >&-``) is None: text goes nowhere
    shown = [stream if stream is not None else discard(None) for stream in saved]
    sys.stdout, sys.stderr = SafeStream(shown[0]), SafeStream(shown[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def discard(fileno: int | None) -> TextIO:
    """A text stream to ``/dev/null``; given a ``fileno``, that descriptor is pointed
    there too, so text already buffered for it is dropped instead of failing later."""
    null = os.open(os.devnull, os.O_WRONLY)
    if fileno is not None:
        os.dup2(null, fileno)
    return open(null, "w", encoding="utf-8")
