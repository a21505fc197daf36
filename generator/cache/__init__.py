"""Cache: the build's work reused between builds, and spread over worker processes.

In: a site folder's inputs as the stages below read them.  Out: the same values those
stages give (parsed articles, anchored notes, rendered bodies, page bytes), read from
``.digest-cache/`` when their inputs (and digest's code) are unchanged, computed otherwise.
``open_store`` gives the store (``enabled=False`` for ``digest build --no-cache``);
``CachedArticles``, ``annotate_cached``, ``prepared_bodies`` and ``render_pages`` are the
cached stages.  A damaged or foreign cache reads as empty.
"""

from pathlib import Path

from generator.cache.keys import code_stamp
from generator.cache.pages import Page, remember_pages, render_pages
from generator.cache.routes import list_base, page_counts
from generator.cache.stages import CachedArticles, annotate_cached, prepared_bodies
from generator.cache.store import FOLDER, Store

__all__ = [
    "FOLDER",
    "CachedArticles",
    "Page",
    "Store",
    "annotate_cached",
    "code_stamp",
    "list_base",
    "open_store",
    "page_counts",
    "prepared_bodies",
    "remember_pages",
    "render_pages",
]


def open_store(site_root: Path, enabled: bool = True) -> Store:
    """The cache of the site in ``site_root``: ``site_root/.digest-cache``.

    A cache folder that is a link, or leads out of the site, is not used: the build
    writes nothing outside the site's own folders.
    """
    folder = site_root / FOLDER
    if folder.is_symlink() or not folder.resolve().is_relative_to(site_root.resolve()):
        enabled = False
    return Store(folder, code_stamp() if enabled else "", enabled)
