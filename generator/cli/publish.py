"""The publishing commands: ``digest serve`` and ``digest deploy``.

Part of the CLI layer.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.build import build, domain_diagnostic
from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    Commands,
    plural,
    print_diagnostics,
    require_config,
    site_option,
)
from generator.publish import DeployError, default_message, deploy, preflight

if TYPE_CHECKING:
    from generator.preview import Event


def add_commands(commands: Commands) -> None:
    """Register ``serve`` and ``deploy``."""
    serve = commands.add_parser("serve", help="preview the site with live reload")
    site_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument(
        "--poll",
        action="store_true",
        help="poll for changes once a second instead of using file events (network drives)",
    )
    serve.set_defaults(command="serve", run=run_serve)
    publish = commands.add_parser("deploy", help="build, then publish output/ to a git branch")
    site_option(publish)
    publish.add_argument("--remote", default="origin", help="git remote (default origin)")
    publish.add_argument("--branch", default="gh-pages", help="branch (default gh-pages)")
    publish.add_argument("--message", help="commit message (default: names the source commit)")
    publish.set_defaults(command="deploy", run=run_deploy)


def run_serve(args: argparse.Namespace) -> int:
    """``digest serve``: build, serve and rebuild until Ctrl-C."""
    # Imported here, not above: the server's libraries would slow every other command.
    from generator.preview import Preview, ServeError, allowed_hosts

    config = require_config(args.site)
    if not allowed_hosts(args.host):
        print(
            f"WARNING: serving on {args.host}: anyone who can reach this machine on port "
            f"{args.port} can read the preview. Use --host 127.0.0.1 to keep it private.",
            file=sys.stderr,
        )
    preview = Preview(args.site, config.root / "output", _report, poll=args.poll)
    try:
        url = preview.listen(args.host, args.port)
    except ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERRORS
    hangup = getattr(signal, "SIGHUP", None)  # none on Windows
    preview.stop_on(signal.SIGTERM, signal.SIGINT, *([hangup] if hangup else []))
    print(f"Serving {url} (watching content/, seeds/, layouts/ and site.yaml; Ctrl-C to stop)")
    sys.stdout.flush()
    if args.open:
        webbrowser.open(url)
    with contextlib.suppress(KeyboardInterrupt):
        preview.run()
    print("Stopped.")
    return EXIT_OK


def _report(event: Event) -> None:
    from generator.preview import Failed, Rebuilt

    if isinstance(event, Failed):
        print_diagnostics(event.diagnostics)
        print("Build failed: still serving the last good site, with the errors on every page.")
    elif isinstance(event, Rebuilt):
        for item in event.ingested:
            print(f"Ingested {item.seed} -> {item.article}: {item.title}")
        print_diagnostics(event.warnings)
        verb = "Built" if event.full else "Rebuilt"
        removed = f", removed {event.removed}" if event.removed else ""
        print(f"{verb} {plural(event.pages, 'page')}{removed} in {event.seconds * 1000:.0f} ms")
    sys.stdout.flush()


def run_deploy(args: argparse.Namespace) -> int:
    """``digest deploy``: build (refusing on errors), then commit output/ to a branch."""
    config = require_config(args.site)
    problem = domain_diagnostic(config)
    if problem is not None:
        print_diagnostics([problem])
        return EXIT_ERRORS
    try:  # what can be checked without building is checked first
        preflight(Path(args.site), remote=args.remote, branch=args.branch)
        message = args.message or default_message(Path(args.site), __version__)
    except DeployError as error:
        print_diagnostics([error.diagnostic])
        return EXIT_ERRORS
    report = build(args.site)
    print_diagnostics(report.warnings)
    try:
        result = deploy(
            Path(args.site),
            report.output,
            remote=args.remote,
            branch=args.branch,
            message=message,
            cname=config.domain,
        )
    except DeployError as error:
        print_diagnostics([error.diagnostic])
        return EXIT_ERRORS
    if result.kept_cname:
        print(
            f"Kept CNAME ({result.kept_cname}) from {result.branch}: site.yaml names no domain."
            f" Add 'domain: {result.kept_cname}' to site.yaml to make it explicit."
        )
    if result.commit is None:
        print(f"Nothing changed since the last deploy to {result.branch}.")
    else:
        pushed = f" and pushed to {args.remote}" if result.pushed else ""
        print(
            f"Committed {plural(result.files, 'file')} to {result.branch} as "
            f"{result.commit[:12]}{pushed}."
        )
    return EXIT_OK
