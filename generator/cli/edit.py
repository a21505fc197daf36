"""The editing commands: ``check``, ``anchors``, ``new commentary`` and ``new site``.

Part of the CLI layer.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from generator import DISTRIBUTION, __version__
from generator.annotations import Attention, Fix, apply_fixes, attention
from generator.build import check, load_site
from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    Commands,
    jobs_count,
    no_article,
    plural,
    print_diagnostics,
    require_config,
    site_option,
)
from generator.content import (
    ALIAS_HINT,
    ALIAS_MESSAGE,
    Article,
    FolderNotEmpty,
    SiteConfig,
    commentary_path,
    commentary_text,
    first_alias,
    load_content,
    new_site,
    normalize_newlines,
)
from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity, did_you_mean


def add_commands(commands: Commands) -> None:
    """Register ``check``, ``anchors`` and ``new``."""
    check_cmd = commands.add_parser(
        "check", help="validate content, commentary and templates without writing output"
    )
    site_option(check_cmd)
    check_cmd.add_argument(
        "--strict", action="store_true", help="treat every warning as an error (for CI)"
    )
    check_cmd.add_argument(
        "--base-url", default=None, help="the address output/ was built for (as in build)"
    )
    check_cmd.add_argument(
        "--jobs",
        type=jobs_count,
        default=None,
        metavar="N",
        help="render the pages the last build did not write, and read output/'s links, "
        "with N processes (default: one per core)",
    )
    check_cmd.set_defaults(command="check", run=run_check)

    anchors_cmd = commands.add_parser(
        "anchors",
        help="list every note that does not anchor word for word (re-anchored, ambiguous, "
        "not found) with its candidate and score; --fix rewrites the re-anchors that pass",
    )
    site_option(anchors_cmd)
    anchors_cmd.add_argument(
        "--fix",
        action="store_true",
        help="rewrite, in place, the quotes (and stale prefix/suffix) of notes that re-anchored "
        "to words saying the same thing; leave the rest with a hint",
    )
    anchors_cmd.set_defaults(command="anchors", run=run_anchors)

    new_cmd = commands.add_parser("new", help="scaffold a new file")
    kinds = new_cmd.add_subparsers(title="kinds", metavar="KIND", required=True)
    new_commentary = kinds.add_parser("commentary", help="a commentary file for an article")
    new_commentary.add_argument("slug", help="the article's slug (its file name)")
    new_commentary.add_argument("--by", help="editor id (default: the first in site.yaml)")
    site_option(new_commentary)
    new_commentary.set_defaults(command="new", run=run_new_commentary)
    new_site_cmd = kinds.add_parser("site", help="a new digest: settings, folders, Pages workflow")
    new_site_cmd.add_argument("folder", type=Path, metavar="DIR", help="where to create it")
    new_site_cmd.add_argument(
        "--force",
        action="store_true",
        help="use DIR even if it holds files (they are kept, never overwritten)",
    )
    new_site_cmd.set_defaults(command="new", run=run_new_site)


def run_new_site(args: argparse.Namespace) -> int:
    """``digest new site DIR``: write a working digest, refusing a non-empty folder."""
    folder: Path = args.folder
    try:
        made = new_site(folder, DISTRIBUTION, __version__, force=args.force)
    except FolderNotEmpty:
        print(
            f"error: {folder.as_posix()} is not empty; name a new or empty folder, "
            "or add --force to add the missing files (existing files are kept)",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except OSError as error:
        print(f"error: cannot create the site in {folder.as_posix()}: {error}", file=sys.stderr)
        return EXIT_ERRORS
    for path in made.written:
        print(f"Wrote {path.as_posix()}")
    for path in made.kept:
        print(f"Kept  {path.as_posix()} (already there)")
    print(
        f"\nNext: cd {shlex.quote(folder.as_posix())} && digest serve\n"
        "Then save a news page into seeds/ or run `digest ingest URL`, and push to GitHub\n"
        "(switch on Settings -> Pages -> Source: GitHub Actions once)."
    )
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """``digest check``: exit 1 if anything (with --strict, even a warning) is wrong."""
    found = check(args.site, strict=args.strict, base_url=args.base_url, jobs=args.jobs)
    print_diagnostics(found)
    if any(d.severity is Severity.ERROR for d in found):
        return EXIT_ERRORS
    print("No errors found." if found else "No problems found.")
    return EXIT_OK


def run_anchors(args: argparse.Namespace) -> int:
    """``digest anchors [--fix]``: list every note that needs attention; fix what may be."""
    config = require_config(args.site)
    diags = Diagnostics()
    site = load_site(config, diags)
    diags.raise_if_errors()
    items = attention(dict(site.annotations))
    for item in items:
        _print_attention(item)
    fixes, refused = _without_aliases([fix for item in items for fix in item.fixes])
    print_diagnostics(refused)
    left = sum(1 for item in items if not item.fixes)
    if not items:
        print("Every note anchors word for word.")
    elif args.fix and fixes:
        changed = apply_fixes(fixes)
        print(
            f"Fixed {plural(len(fixes), 'value')} in {plural(len(changed), 'file')}; "
            f"{plural(left, 'note')} left for an editor (see the hints above)."
        )
    else:
        fixable = len(items) - left
        advice = "; run `digest anchors --fix` to rewrite them" if fixable and not args.fix else ""
        print(
            f"{plural(len(items), 'note')} need{'s' * (len(items) == 1)} attention: "
            f"{fixable} can be fixed{advice}, {left} left for an editor."
        )
    return EXIT_ERRORS if refused else EXIT_OK


def _without_aliases(fixes: list[Fix]) -> tuple[list[Fix], list[Diagnostic]]:
    """The fixes in files without YAML anchors or aliases, and an error for each other file."""
    refused: dict[str, Diagnostic] = {}
    for path in sorted({fix.path for fix in fixes}):
        text = normalize_newlines(Path(path).read_text(encoding="utf-8"))
        head = text.split("\n---", 1)[0].removeprefix("---")
        where = first_alias(head)
        if where is not None:
            refused[path] = Diagnostic(
                Location(path, *where), Severity.ERROR, "yaml-alias", ALIAS_MESSAGE, ALIAS_HINT
            )
    return [fix for fix in fixes if fix.path not in refused], list(refused.values())


def _print_attention(item: Attention) -> None:
    print(f"{item.path}:{item.line}:{item.col}: {item.status.value}: {item.words}")
    if item.candidate:
        why = f"; {item.reason}" if item.reason else ""
        print(f'    candidate: "{item.candidate}" ({item.similarity:.0%}){why}')
    for fix in item.fixes:
        print(f"    fix:  {fix.key}: {fix.old!r} -> {fix.new!r}")
    if item.hint:
        print(f"    hint: {item.hint}")


def run_new_commentary(args: argparse.Namespace) -> int:
    """``digest new commentary SLUG``."""
    config = require_config(args.site)
    diags = Diagnostics()
    articles = {a.slug: a for a in load_content(config.root, diags).articles}
    if args.slug not in articles:
        no_article(config.root, args.slug, list(articles), diags)
        return EXIT_ERRORS
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
    if path.exists():
        return f"{path.as_posix()} already exists; edit it instead"
    if not editors:
        return "site.yaml lists no editors; add one under 'editors:' (id: Full Name)"
    if args.by and args.by not in editors:
        return f"unknown editor '{args.by}'. {did_you_mean(args.by, editors)}"
    return ""
