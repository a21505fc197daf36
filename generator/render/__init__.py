"""Render: the annotated site into pages and files, in memory.

In: :class:`Content`, its :class:`Annotations` and the :class:`SiteConfig`, grouped by
:func:`make_site` into a :class:`Site` (tags and topics).  Out: :class:`PageSpec` values
(:func:`plan_pages`, a template and its read-only context for every page), their HTML
(``templates``) and the other files (:func:`export_files`: annotations.jsonld, sitemap,
robots.txt, CNAME).  ``urls`` is the one module that knows routes and links.  Nothing here
writes to disk.
"""

from generator.render import parallel, templates, urls
from generator.render.bodies import PreparedBody
from generator.render.export import FileSpec
from generator.render.export import files as export_files
from generator.render.export import routes as export_routes
from generator.render.frame import Bodies, Prepared, summary_only
from generator.render.lists import listings
from generator.render.models import PageSpec
from generator.render.pages import plan as plan_pages
from generator.render.pages import routes as page_routes
from generator.render.search import SearchRecord, search_records
from generator.render.taxonomy import Site, local_days, make_site

__all__ = [
    "Bodies",
    "FileSpec",
    "PageSpec",
    "Prepared",
    "PreparedBody",
    "SearchRecord",
    "Site",
    "export_files",
    "export_routes",
    "listings",
    "local_days",
    "make_site",
    "page_routes",
    "parallel",
    "plan_pages",
    "search_records",
    "summary_only",
    "templates",
    "urls",
]
