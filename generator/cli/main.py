"""The ``digest`` command: the only place that prints or exits.

Exit codes: 0 ok, 1 content errors (diagnostics printed), 2 usage errors, 130 after
Ctrl-C (SIGINT), 143 after SIGTERM (``kill``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator import __version__
from generator.build import BuildReport, build
from generator.cli import edit, ingest, publish
from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    SafeStream,
    jobs_count,
    missing_library,
    os_error,
    parse_command_line,
    plural,
    print_diagnostics,
    safe_output,
    site_option,
)
from generator.diagnostics import BuildFailed
from generator.render import parallel


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Everything it prints goes through :func:`safe_output`: no control character from
    content reaches the terminal.
    """
    with safe_output():
        try:
            return _main(argv)
        except KeyboardInterrupt as stop:  # a second one, while the first was answered
            return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)


def run() -> None:
    """The ``digest`` command (and ``python -m generator``): :func:`main`, then exit.

    Once the command has finished (every file closed, every worker and Pagefind process
    ended), the process exits without tearing the interpreter down: freeing a large
    site's objects one by one would add a tenth of a second or more to every build.
    Should a thread still run, or a profiler or tracer (``python -m cProfile``, coverage)
    wait for the exit to write its results, the process exits the normal way.
    """
    for fd in (0, 1, 2):  # a closed one must not become the number of a file digest opens
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
    signal.signal(signal.SIGTERM, _terminated)  # ``kill``: cleaned up as after Ctrl-C
    code = main()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            SafeStream(stream).flush()  # a closed pipe: the rest goes nowhere
    watched = sys.getprofile() is not None or sys.gettrace() is not None  # cProfile, coverage
    if watched or threading.active_count() > 1:
        raise SystemExit(code)
    os._exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a CI runner's cancel): the command stops as after Ctrl-C, its
    staging folders removed, its workers and Pagefind ended, the last output kept."""


def _terminated(_signum: int, _frame: object) -> None:
    raise Terminated


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parse_command_line(parser, argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics)
        return EXIT_ERRORS
    except OSError as error:
        print(os_error(error), file=sys.stderr)
        return EXIT_ERRORS
    except ImportError as error:  # a library loaded only by the command that needs it
        print(missing_library(error), file=sys.stderr)
        return EXIT_ERRORS
    except parallel.WorkerLost as lost:
        print(f"error: {lost}; output/ is unchanged", file=sys.stderr)
        print(
            "    hint: if the system ran short of memory, build with fewer processes: --jobs 1",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except Terminated:
        print("terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest", description="Build an annotated news digest site."
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="build the site into output/")
    site_option(build_cmd)
    build_cmd.add_argument(
        "--output", type=Path, default=None, help="output folder (default: SITE/output)"
    )
    build_cmd.add_argument(
        "--base-url", default=None, help="publish at this address instead of site.yaml's base_url"
    )
    build_cmd.add_argument(
        "--jobs",
        type=jobs_count,
        default=None,
        metavar="N",
        help="render with N processes and index N search parts at once (default: one per "
        "core; 1 = all in one process, one Pagefind at a time)",
    )
    build_cmd.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the build cache in SITE/.digest-cache/ (a full build)",
    )
    build_cmd.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="leave out the search index (pagefind/); the search page finds nothing",
    )
    build_cmd.set_defaults(command="build", run=run_build)

    ingest.add_commands(commands)

    edit.add_commands(commands)
    publish.add_commands(commands)
    return parser


def run_build(args: argparse.Namespace) -> int:
    """``digest build``."""
    bar = ProgressBar(sys.stderr)
    report = build(
        args.site,
        args.output,
        progress=bar.update,
        base_url=args.base_url,
        jobs=args.jobs,
        cache=args.cache,
        search=args.search,
    )
    bar.finish()
    print_diagnostics(report.warnings)
    print(summary(report))
    return EXIT_OK


def summary(report: BuildReport) -> str:
    """The one-line account of a build."""
    return (
        f"Built {plural(report.pages, 'page')}: {plural(report.articles, 'article')}, "
        f"{plural(report.tags, 'tag')}, {plural(report.topics, 'topic')} "
        f"in {report.seconds:.2f} s"
    )


class ProgressBar:
    """A progress bar on a terminal, shown only once work has taken a second."""

    def __init__(self, stream: TextIO, delay: float = 1.0) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.shown = False
        self.last = 0.0

    def update(self, done: int, total: int) -> None:
        """Redraw at most ten times a second."""
        now = time.monotonic()
        if not self.stream.isatty() or now - self.started < self.delay or now - self.last < 0.1:
            return
        self.last, self.shown = now, True
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self._control("\r")
        self.stream.write(f"Rendering [{bar}] {done}/{total}")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the bar's line."""
        if self.shown:
            self._control("\r\033[K")
            self.stream.flush()

    def _control(self, sequence: str) -> None:
        """The bar's own terminal sequences, which :class:`SafeStream` would show as text."""
        control = getattr(self.stream, "control", self.stream.write)
        control(sequence)
