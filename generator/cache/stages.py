"""The cached stages: article files, anchoring and bodies, each reused while its inputs hold.

Keys (:mod:`generator.cache.keys`): an article file by its path and bytes; a commentary's
anchoring by the commentary and the article it anchors on; a body by the article, its
placed notes and the two settings a body uses (``reproduce`` and the editors' names).
Every entry keeps the diagnostics its stage reported, so a warm build warns exactly as a
cold one.  Bodies that are not cached are prepared by worker processes.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from pathlib import Path

from generator.annotations import Annotations, annotate_one
from generator.cache.keys import bytes_key, value_key
from generator.cache.store import Store
from generator.content import Article, ArticleCache, Commentary, Loaded, load_article
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import Bodies, Prepared, Site, parallel

Anchored = tuple[Annotations, tuple[Diagnostic, ...]]  # a commentary's anchoring, its messages


class CachedArticles(ArticleCache):
    """Article files parsed once per content: a file is read and hashed, then reused."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def load(self, root: Path, path: str, diags: Diagnostics) -> Loaded:
        """The parsed article ``path`` (from the cache when its bytes are unchanged)."""
        try:
            key = bytes_key("article", str(root), path, Path(path).read_bytes())
        except OSError:
            return super().load(root, path, diags)  # reported by the loader itself
        found = self.store.get("articles", key)
        if found is None:
            own = Diagnostics()
            found = (load_article(root, Path(path), own), tuple(own.items))
        self.store.put("articles", key, found)
        diags.extend(found[1])
        loaded: Loaded = found[0]
        if loaded is not None:
            self.store.inputs[f"article:{loaded[0].source}"] = key
        return loaded


def annotate_cached(
    store: Store,
    articles: Sequence[Article],
    commentaries: Iterable[Commentary],
    diags: Diagnostics,
    jobs: int | None = None,
) -> dict[str, Annotations]:
    """:func:`~generator.annotations.annotate`, reusing the anchoring of unchanged pairs
    (none when ``store`` is disabled); the others are anchored by ``jobs`` workers
    (``None``: as many as pay), their diagnostics reported in commentary order."""
    by_slug = {article.slug: article for article in articles}
    pairs = [(commentary, by_slug[commentary.article]) for commentary in commentaries]
    keys = [value_key("annotations", *pair) for pair in pairs] if store.enabled else []
    cached = [store.get("annotations", key) for key in keys] if keys else [None] * len(pairs)
    missing = [number for number, item in enumerate(cached) if item is None]
    fresh = dict(zip(missing, anchor_pairs(pairs, missing, jobs), strict=True))
    result = {}
    for number, (_, article) in enumerate(pairs):
        anchored = fresh[number] if number in fresh else cached[number]
        assert anchored is not None  # every pair is cached or anchored afresh
        if keys:
            store.put("annotations", keys[number], anchored)
            store.inputs[f"annotations:{article.slug}"] = keys[number]
        diags.extend(anchored[1])
        result[article.slug] = anchored[0]
    return result


def anchor_pairs(
    pairs: Sequence[tuple[Commentary, Article]], chosen: Sequence[int], jobs: int | None
) -> list[Anchored]:
    """The anchoring (and its diagnostics) of ``pairs[i]`` for each ``i`` in ``chosen``, in
    that order, by ``jobs`` worker processes (``None``: as many as the work pays for)."""

    def task(chunk: Sequence[int]) -> list[Anchored]:
        done = []
        for number in chunk:
            own = Diagnostics()
            done.append((annotate_one(*pairs[number], own), tuple(own.items)))
        return done

    workers = parallel.worker_count(jobs, len(chosen))
    anchored: list[Anchored] = []
    for part in parallel.ordered_map(task, parallel.chunked(chosen, workers), workers):
        anchored += part
    return anchored


def prepared_bodies(
    site: Site,
    store: Store,
    jobs: int | None,
    stamps: Mapping[str, str],
    needed: Container[str] | None = None,
    deferred: Container[str] = frozenset(),
) -> Bodies:
    """The rendered bodies of the articles ``needed`` (default: all): cached ones read,
    the others prepared by ``jobs`` workers (``None``: as many as pay), but for those in
    ``deferred`` (prepared later by whoever renders their page, who then puts them in
    the store under :func:`body_key`).  The cache entries of the articles not needed are
    kept unread.  ``stamps``: :func:`article_stamps`."""
    bodies = Bodies()
    keys = {a.slug: body_key(site, a, stamps) for a in site.articles} if store.enabled else {}
    missing = []
    for article in site.articles:
        if needed is not None and article.slug not in needed:
            if keys:
                store.keep("bodies", keys[article.slug])
            continue
        found = store.get("bodies", keys[article.slug]) if keys else None
        if found is None:
            if article.slug not in deferred:
                missing.append(article.slug)
            continue
        bodies.add(site, Prepared(article, *found))
        store.put("bodies", keys[article.slug], found)
    workers = parallel.worker_count(jobs, len(missing))
    for item in parallel.prepare_bodies(site, missing, workers):
        bodies.add(site, item)
        if keys:
            entry = (item.body, item.summary, item.why_it_matters)
            store.put("bodies", keys[item.article.slug], entry)
    return bodies


def article_stamps(site: Site, store: Store) -> dict[str, str]:
    """A key per article slug for everything the article's own pages read of it: its file
    (as parsed), the time zone its dates are shown in, and its anchored notes.

    Made from the keys the cached stages computed while loading (a hash of short strings
    per article); an article they did not key is hashed whole.
    """
    zone = site.config.timezone
    stamps = {}
    for article in site.articles:
        parsed = store.inputs.get(f"article:{article.source}")
        notes = store.inputs.get(f"annotations:{article.slug}", "")
        if parsed is None or (not notes and article.slug in site.annotations):
            parsed = value_key(article, site.annotations.get(article.slug))
        stamps[article.slug] = bytes_key("article", parsed, zone, notes)
    return stamps


def body_key(site: Site, article: Article, stamps: Mapping[str, str]) -> str:
    """The cache key of ``article``'s body, which uses its article, its placed notes,
    ``reproduce`` and its editors' names."""
    editors: tuple[tuple[str, str], ...] = ()
    annotations = site.annotations.get(article.slug)
    if annotations is not None:
        ids = {annotations.commentary.by, *(p.note.by for p in annotations.notes)}
        editors = tuple((i, site.config.editor_name(i)) for i in sorted(ids))
    return value_key("body", stamps[article.slug], site.config.reproduce, editors)
