"""The ``digest ingest`` and ``digest extract`` commands (part of the CLI layer).

``extract`` prints what would be extracted, one JSON object per input line;
``ingest`` writes new article files (keeping a copy of each raw page in
``seeds/`` for provenance) or, with ``--update``, re-extracts an article's body
from its seed while keeping every key an editor set.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from generator.content import SiteConfig, load_config, load_content, load_topics
from generator.diagnostics import Diagnostic, Diagnostics, did_you_mean
from generator.ingest import (
    Extraction,
    IngestError,
    extract_bytes,
    extract_path,
    fetch_url,
    update_article,
    write_article,
)

EXIT_OK, EXIT_ERRORS = 0, 1


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``ingest`` and ``extract``."""
    ingest = commands.add_parser("ingest", help="clean raw pages or URLs into article files")
    ingest.add_argument("inputs", nargs="*", metavar="PATH-or-URL", help="text dumps, HTML, URLs")
    ingest.add_argument("--site", type=Path, default=Path("."), help="the site folder")
    ingest.add_argument("--tag", action="append", default=[], help="add a tag (repeatable)")
    ingest.add_argument("--topic", action="append", default=[], help="add a topic (repeatable)")
    ingest.add_argument(
        "--update", metavar="SLUG", help="re-extract SLUG's body from its seed, keeping your keys"
    )
    ingest.set_defaults(command="ingest", run=run_ingest)
    extract = commands.add_parser("extract", help="print what ingest would extract, as JSON Lines")
    extract.add_argument("inputs", nargs="+", metavar="PATH", help="text dumps or HTML pages")
    extract.set_defaults(command="extract", run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    """``digest extract PATH…``: one JSON object per input on stdout."""
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
        return _update(config, args.update)
    if not args.inputs:
        print(
            "error: name at least one file or URL to ingest (or use --update SLUG)", file=sys.stderr
        )
        return 2
    if not _topics_known(config, args.topic):
        return EXIT_ERRORS
    results = [_ingest_one(config, raw, args.tag, args.topic) for raw in args.inputs]
    return EXIT_OK if all(results) else EXIT_ERRORS


def _ingest_one(config: SiteConfig, raw: str, tags: Sequence[str], topics: Sequence[str]) -> bool:
    try:
        extraction, seed = _extract_and_keep(config, raw)
        path = write_article(
            extraction,
            config.content_dir / "articles",
            seed_path=seed,
            tags=tags,
            topics=topics,
            today=config.today(),
        )
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


def _extract_and_keep(config: SiteConfig, raw: str) -> tuple[Extraction, str]:
    """Extract one input and keep its raw bytes in ``seeds/``; return the seed's path."""
    if urllib.parse.urlsplit(raw).scheme in {"http", "https"}:
        data, final_url, content_type = fetch_url(raw)
        extraction = extract_bytes(data, final_url, content_type)
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.html"
        return extraction, _keep_seed(config, name, data)
    path = Path(raw)
    extraction = extract_path(path)
    seeds = config.seeds_dir.resolve()
    if path.resolve().is_relative_to(seeds):
        return extraction, path.resolve().relative_to(config.root.resolve()).as_posix()
    return extraction, _keep_seed(config, path.name, path.read_bytes())


def _keep_seed(config: SiteConfig, name: str, data: bytes) -> str:
    target = config.seeds_dir / name
    if target.exists() and target.read_bytes() != data:
        stem, suffix = target.stem, target.suffix
        target = target.with_name(f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(data)
    return target.relative_to(config.root).as_posix()


def removal_summary(extraction: Extraction) -> str:
    """A one-line account of what was removed, by reason."""
    counts = Counter(r.reason for r in extraction.removed)
    if not counts:
        return "nothing"
    parts = [f"{n} {reason}" for reason, n in counts.most_common()]
    return f"{sum(counts.values())} lines ({', '.join(parts)})"


def _topics_known(config: SiteConfig, topics: Sequence[str]) -> bool:
    known = {t.slug for t in load_topics(config.root, Diagnostics())}
    unknown = [t for t in topics if t not in known]
    for topic in unknown:
        hint = did_you_mean(topic, known)
        print(
            f"error: unknown topic '{topic}'. {hint} Topics are defined in content/topics.yaml",
            file=sys.stderr,
        )
    return not unknown


def _update(config: SiteConfig, slug: str) -> int:
    articles = {a.slug: a for a in load_content(config.root, Diagnostics()).articles}
    article = articles.get(slug)
    if article is None:
        print(f"error: no article '{slug}'. {did_you_mean(slug, articles)}", file=sys.stderr)
        return EXIT_ERRORS
    if article.seed is None:
        print(f"error: {article.source} records no seed to re-extract from", file=sys.stderr)
        return EXIT_ERRORS
    seed = (config.root / article.seed.path).resolve()
    if not seed.is_relative_to(config.root.resolve()):
        print(
            f"error: {article.source}: seed path '{article.seed.path}' leaves the site folder",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    try:
        extraction = extract_path(seed)
        old, new = update_article(Path(article.source), extraction)
    except IngestError as error:
        _error(error.diagnostic)
        return EXIT_ERRORS
    diff = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        article.source,
        f"{article.source} (updated)",
        lineterm="",
    )
    lines = list(diff)
    print("\n".join(lines) if lines else f"{article.source}: already up to date")
    return EXIT_OK


def _error(diagnostic: Diagnostic) -> None:
    print(diagnostic.format(), file=sys.stderr)
