"""Publish: rendered files onto disk and out to the world.

In: page and file bytes.  Out: ``output/`` swapped in whole by :class:`SiteWriter` (a
failed build leaves the previous one), its Pagefind search index (:func:`index_records`), a
link check over it (:func:`check_links`) and a ``gh-pages`` commit (:func:`deploy`).
"""

from generator.publish.deploy import (
    DeployError,
    default_message,
    deploy,
    domain_problem,
    preflight,
)
from generator.publish.linkcheck import check_links
from generator.publish.search import SearchFailed, index_records
from generator.publish.writer import SiteWriter, WriteConflict, output_problem, recover_output

__all__ = [
    "DeployError",
    "SearchFailed",
    "SiteWriter",
    "WriteConflict",
    "check_links",
    "default_message",
    "deploy",
    "domain_problem",
    "index_records",
    "output_problem",
    "preflight",
    "recover_output",
]
