"""The ``digest`` command: the only place that prints or exits.

Exit codes: 0 ok, 1 content errors (diagnostics printed), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator import __version__, cli_ingest
from generator.anchorfix import apply_fixes, plan_fixes
from generator.build import BuildReport, build, check, load_site
from generator.config import SiteConfig, load_config
from generator.diagnostics import BuildFailed, Diagnostic, Diagnostics, Severity, did_you_mean
from generator.load import load_content
from generator.model import Article
from generator.scaffold import commentary_path, commentary_text

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest", description="Build an annotated news digest site."
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="build the site into output/")
    _site_option(build_cmd)
    build_cmd.add_argument(
        "--output", type=Path, default=None, help="output folder (default: SITE/output)"
    )
    build_cmd.add_argument(
        "--base-url", default=None, help="publish at this address instead of site.yaml's base_url"
    )
    build_cmd.set_defaults(command="build", run=run_build)

    cli_ingest.add_commands(commands)

    check_cmd = commands.add_parser(
        "check", help="validate content, commentary and templates without writing output"
    )
    _site_option(check_cmd)
    check_cmd.add_argument(
        "--strict", action="store_true", help="treat every warning as an error (for CI)"
    )
    check_cmd.set_defaults(command="check", run=run_check)

    anchors_cmd = commands.add_parser(
        "anchors", help="show (or --fix) notes whose quotes no longer match the article"
    )
    _site_option(anchors_cmd)
    anchors_cmd.add_argument(
        "--fix", action="store_true", help="rewrite re-anchored quotes in the commentary files"
    )
    anchors_cmd.set_defaults(command="anchors", run=run_anchors)

    new_cmd = commands.add_parser("new", help="scaffold a new file")
    kinds = new_cmd.add_subparsers(title="kinds", metavar="KIND", required=True)
    new_commentary = kinds.add_parser("commentary", help="a commentary file for an article")
    new_commentary.add_argument("slug", help="the article's slug (its file name)")
    new_commentary.add_argument("--by", help="editor id (default: the first in site.yaml)")
    _site_option(new_commentary)
    new_commentary.set_defaults(command="new", run=run_new_commentary)
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="the site folder, holding site.yaml"
    )


def run_build(args: argparse.Namespace) -> int:
    """``digest build``."""
    bar = ProgressBar(sys.stderr)
    report = build(args.site, args.output, progress=bar.update, base_url=args.base_url)
    bar.finish()
    for item in report.ingested:
        print(f"Ingested {item.seed} -> {item.article}: {item.title}")
    print_diagnostics(report.warnings)
    print(summary(report))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """``digest check``: exit 1 if anything (with --strict, even a warning) is wrong."""
    found = check(args.site, strict=args.strict)
    print_diagnostics(found)
    if any(d.severity is Severity.ERROR for d in found):
        return EXIT_ERRORS
    print("No errors found." if found else "No problems found.")
    return EXIT_OK


def run_anchors(args: argparse.Namespace) -> int:
    """``digest anchors [--fix]``."""
    diags = Diagnostics()
    config = load_config(args.site, diags)
    diags.raise_if_errors()
    assert config is not None
    site = load_site(config, Diagnostics())
    fixes = plan_fixes(dict(site.annotations))
    for fix in fixes:
        print(f"{fix.path}:{fix.line}: {fix.key}: {fix.old!r} -> {fix.new!r}")
    if not fixes:
        print("Every re-anchored note is up to date.")
    elif args.fix:
        changed = apply_fixes(fixes)
        print(f"Fixed {_plural(len(fixes), 'value')} in {_plural(len(changed), 'file')}.")
    else:
        print(f"{_plural(len(fixes), 'value')} to fix: run `digest anchors --fix` to rewrite.")
    return EXIT_OK


def run_new_commentary(args: argparse.Namespace) -> int:
    """``digest new commentary SLUG``."""
    diags = Diagnostics()
    config = load_config(args.site, diags)
    diags.raise_if_errors()
    assert config is not None
    articles = {a.slug: a for a in load_content(config.root, Diagnostics()).articles}
    path = commentary_path(config.root, args.slug)
    problem = _new_commentary_problem(args, config, articles, path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    editor = args.by or config.editors[0][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(commentary_text(articles[args.slug], editor, config.today()), "utf-8")
    print(f"Wrote {path.as_posix()}")
    return EXIT_OK


def _new_commentary_problem(
    args: argparse.Namespace, config: SiteConfig, articles: dict[str, Article], path: Path
) -> str:
    editors = dict(config.editors)
    if args.slug not in articles:
        return f"no article '{args.slug}'. {did_you_mean(args.slug, articles)}".strip()
    if path.exists():
        return f"{path.as_posix()} already exists; edit it instead"
    if not editors:
        return "site.yaml lists no editors; add one under 'editors:' (id: Full Name)"
    if args.by and args.by not in editors:
        return f"unknown editor '{args.by}'. {did_you_mean(args.by, editors)}"
    return ""


def summary(report: BuildReport) -> str:
    """The one-line account of a build."""
    return (
        f"Built {report.pages} pages: {report.articles} articles, {report.tags} tags, "
        f"{report.topics} topics in {report.seconds:.2f} s"
    )


def print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO | None = None) -> None:
    """Print diagnostics, then a count of errors and warnings."""
    out = stream or sys.stderr
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=out)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}", file=out)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
        self.stream.write(f"\rRendering [{bar}] {done}/{total}")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the bar's line."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
