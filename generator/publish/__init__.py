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
from generator.publish.pagefind import Stopper
from generator.publish.search import (
    SearchFailed,
    bundle_stamp,
    index_records,
    install_bundle,
    keep_bundle,
    prepare_bundle,
    records_hash,
)
from generator.publish.writer import SiteWriter, WriteConflict, output_problem, recover_output

__all__ = [
    "DeployError",
    "SearchFailed",
    "SiteWriter",
    "Stopper",
    "WriteConflict",
    "bundle_stamp",
    "check_links",
    "default_message",
    "deploy",
    "domain_problem",
    "index_records",
    "install_bundle",
    "keep_bundle",
    "output_problem",
    "preflight",
    "prepare_bundle",
    "records_hash",
    "recover_output",
]
