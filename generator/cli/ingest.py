"""The ``digest ingest`` and ``digest extract`` commands (part of the CLI layer).

``extract`` prints what would be extracted, one JSON object per input line;
``ingest`` writes new article files (keeping a copy of each raw page in
``seeds/`` for provenance) or, with ``--update``, re-extracts an article's body
from its seed: it changes only the body and the seed hashes; it replaces a body
still as ingest wrote it (``seed.body_sha256``), and one an editor changed (or
one of an older article that records no body hash) only when asked
(``--force``), keeping a backup of every replaced body.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from generator.cli.common import no_article, plural, print_diagnostics, site_option
from generator.content import (
    SiteConfig,
    inside,
    load_config,
    load_content,
    load_topics,
    topics_path,
    unknown_topic_hint,
)
from generator.diagnostics import Diagnostic, Diagnostics
from generator.ingest import (
    Extraction,
    IngestError,
    Update,
    apply_update,
    ingest_seeds,
    plan_update,
    write_article,
)

EXIT_OK, EXIT_ERRORS = 0, 1


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``ingest`` and ``extract``."""
    ingest = commands.add_parser("ingest", help="clean raw pages or URLs into article files")
    ingest.add_argument(
        "inputs",
        nargs="*",
        metavar="PATH-or-URL",
        help="text dumps, HTML, URLs (default: every seed in seeds/ that has no article)",
    )
    site_option(ingest)
    ingest.add_argument("--tag", action="append", default=[], help="add a tag (repeatable)")
    ingest.add_argument("--topic", action="append", default=[], help="add a topic (repeatable)")
    ingest.add_argument(
        "--update", metavar="SLUG", help="re-extract SLUG's body from its seed, keeping your keys"
    )
    ingest.add_argument(
        "--force",
        action="store_true",
        help="with --update: replace a body you edited (the old file is kept in .digest-backup/)",
    )
    ingest.add_argument(
        "--dry-run", action="store_true", help="with --update: show the change, write nothing"
    )
    ingest.set_defaults(command="ingest", run=run_ingest)
    extract = commands.add_parser("extract", help="print what ingest would extract, as JSON Lines")
    extract.add_argument("inputs", nargs="+", metavar="PATH", help="text dumps or HTML pages")
    extract.set_defaults(command="extract", run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    """``digest extract PATH…``: one JSON object per input on stdout."""
    from generator.ingest import extract_path  # lazy: see generator.ingest

    failed = False
    for raw in args.inputs:
        try:
            extraction = extract_path(Path(raw))
        except IngestError as error:
            _error(error.diagnostic)
            failed = True
            continue
        print(json.dumps(as_json(raw, extraction), ensure_ascii=False))
    return EXIT_ERRORS if failed else EXIT_OK


def as_json(path: str, extraction: Extraction) -> dict[str, object]:
    """The JSON record of one extraction."""
    return {
        "path": path,
        "kind": extraction.kind,
        "title": extraction.title,
        "authors": list(extraction.authors),
        "outlet": extraction.outlet,
        "published": extraction.published.isoformat() if extraction.published else None,
        "source_url": extraction.source_url,
        "missing": list(extraction.missing),
        "body": extraction.body,
        "text": extraction.text,
        "captions": [{"caption": i.caption, "credit": i.credit} for i in extraction.images],
        "removed": [
            {"line": r.line, "text": r.text, "reason": r.reason} for r in extraction.removed
        ],
    }


def run_ingest(args: argparse.Namespace) -> int:
    """``digest ingest``: write an article per input, or update one with ``--update``."""
    diags = Diagnostics()
    config = load_config(args.site, diags)
    if config is None or diags.has_errors:
        for diagnostic in diags.sorted():
            _error(diagnostic)
        return EXIT_ERRORS
    if args.update:
        return _update(config, args.update, force=args.force, dry_run=args.dry_run)
    if not _topics_known(config, args.topic):
        return EXIT_ERRORS
    if not args.inputs:
        return _ingest_unclaimed(config)
    results = [_ingest_one(config, raw, args.tag, args.topic) for raw in args.inputs]
    return EXIT_OK if all(results) else EXIT_ERRORS


def _ingest_unclaimed(config: SiteConfig) -> int:
    """``digest ingest`` with no path: every seed no article claims; a bad seed is a warning."""
    diags = Diagnostics()
    ingested = ingest_seeds(config, config.today(), diags)
    for item in ingested:
        print(f"Ingested {item.seed} -> {item.article}: {item.title}")
    print_diagnostics(diags.sorted())
    if not ingested and not diags.items:
        print("Nothing to ingest: every seed in seeds/ has its article.")
    return EXIT_OK


def _ingest_one(config: SiteConfig, raw: str, tags: Sequence[str], topics: Sequence[str]) -> bool:
    """Ingest one input; its raw page is copied into ``seeds/`` only once the article exists."""
    try:
        extraction, data, seed = _extract(config, raw)
        path = write_article(
            extraction,
            config.content_dir / "articles",
            seed_path=seed.relative_to(config.root).as_posix(),
            tags=tags,
            topics=topics,
            today=config.today(),
        )
        if data is not None:
            _keep_seed(seed, data, path)
    except IngestError as error:
        _error(error.diagnostic)
        return False
    shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else path
    print(f"{raw} -> {shown}")
    print(f"    title:   {extraction.title}")
    print(f"    removed: {removal_summary(extraction)}")
    if extraction.missing:
        print(f"    check:   {', '.join(extraction.missing)}")
    return True


def _extract(config: SiteConfig, raw: str) -> tuple[Extraction, bytes | None, Path]:
    """Extract one input; return it, the bytes to keep (None if already a seed) and the
    seed's path (which does not exist yet when there are bytes to keep)."""
    from generator.ingest import extract_bytes, extract_path, fetch_url

    if raw.casefold().startswith(("http://", "https://")):
        data, final_url, content_type = fetch_url(raw)
        extraction = extract_bytes(data, final_url, content_type)
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.html"
        return extraction, data, _seed_target(config, name, data)
    path = Path(raw)
    extraction = extract_path(path)
    if inside(path, config.seeds_dir):
        return extraction, None, config.root / path.resolve().relative_to(config.root.resolve())
    data = path.read_bytes()
    return extraction, data, _seed_target(config, path.name, data)


def _seed_target(config: SiteConfig, name: str, data: bytes) -> Path:
    """Where the raw page goes in ``seeds/``: its own name, or a variant if that is taken."""
    target = config.seeds_dir / name
    if target.exists() and target.read_bytes() != data:
        stem, suffix = target.stem, target.suffix
        target = target.with_name(f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}")
    return target


def _keep_seed(target: Path, data: bytes, article: Path) -> None:
    """Copy the raw page into ``seeds/``; if that fails, take the new article back."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)
    except OSError as error:
        article.unlink(missing_ok=True)
        raise IngestError.make(
            str(target),
            "ingest-unwritable",
            f"cannot keep the raw page in seeds/: {error.strerror or error}",
            "check that seeds/ is a folder you can write to",
        ) from None


def removal_summary(extraction: Extraction) -> str:
    """A one-line account of what was removed, by reason."""
    counts = Counter(r.reason for r in extraction.removed)
    if not counts:
        return "nothing"
    parts = [f"{n} {reason}" for reason, n in counts.most_common()]
    return f"{plural(sum(counts.values()), 'line')} ({', '.join(parts)})"


def _topics_known(config: SiteConfig, topics: Sequence[str]) -> bool:
    known = {t.slug for t in load_topics(config.root, Diagnostics())}
    unknown = [t for t in topics if t not in known]
    exists = topics_path(config.root).is_file()
    for topic in unknown:
        hint = unknown_topic_hint(topic, known, exists)
        print(f"error: unknown topic '{topic}': {hint}", file=sys.stderr)
    return not unknown


def _update(config: SiteConfig, slug: str, *, force: bool, dry_run: bool) -> int:
    found = _seed_of(config, slug)
    if found is None:
        return EXIT_ERRORS
    source, seed = found
    from generator.ingest import extract_path

    try:
        update = plan_update(source, extract_path(seed))
    except IngestError as error:
        _error(error.diagnostic)
        return EXIT_ERRORS
    shown = source.relative_to(config.root).as_posix()
    if not update.changed:
        print(f"{shown}: already up to date")
        return EXIT_OK
    print(_diff(update, shown))
    if dry_run:
        needs = f"; without --dry-run, --force is needed: {_why_kept(update)}"
        print(f"{shown}: not changed (--dry-run){needs if update.needs_force else ''}")
        return EXIT_OK
    if update.needs_force and not force:
        print(f"{shown}: not changed: {_why_kept(update)}", file=sys.stderr)
        return EXIT_ERRORS
    backup_dir = config.root / ".digest-backup" if update.body_changed else None
    backup = apply_update(update, backup_dir)
    print(f"{shown}: updated")
    if backup is not None:
        print(f"    the old file is kept as {backup.relative_to(config.root).as_posix()}")
    return EXIT_OK


def _why_kept(update: Update) -> str:
    why = (
        "the body was edited since digest last wrote it"
        if update.body_recorded
        else "the file records no hash of the body as ingested (seed.body_sha256), so your"
        " edits cannot be told from a change of the seed"
    )
    return (
        f"{why}, and the seed now gives a different body (the '-' lines above are what is in"
        " the file). Run again with --force to replace it; the old file is then kept in"
        " .digest-backup/."
    )


def _seed_of(config: SiteConfig, slug: str) -> tuple[Path, Path] | None:
    """The article file of ``slug`` and its seed's path, or None (after saying why)."""
    diags = Diagnostics()
    articles = {a.slug: a for a in load_content(config.root, diags).articles}
    article = articles.get(slug)
    if article is None:
        no_article(config.root, slug, list(articles), diags)
        return None
    if article.seed is None:
        print(f"error: {article.source} records no seed to re-extract from", file=sys.stderr)
        return None
    seed = config.root / article.seed.path
    if not inside(seed, config.root):
        print(
            f"error: {article.source}: seed path '{article.seed.path}' leaves the site folder",
            file=sys.stderr,
        )
        return None
    return Path(article.source), seed


def _diff(update: Update, shown: str) -> str:
    lines = difflib.unified_diff(
        update.old.splitlines(), update.new.splitlines(), shown, f"{shown} (updated)", lineterm=""
    )
    return "\n".join(lines)


def _error(diagnostic: Diagnostic) -> None:
    print(diagnostic.format(), file=sys.stderr)
