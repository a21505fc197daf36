"""Publish: rendered files onto disk and out to the world.

In: page and file bytes.  Out: ``output/`` swapped in whole by :class:`SiteWriter` (a
failed build leaves the previous one), its Pagefind search index in parts (:func:`index_records`), a
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
from generator.publish.parts import PART_SIZE, Part, Spool, part_count
from generator.publish.search import (
    SearchFailed,
    index_records,
    install_parts,
    keep_bundle,
    lists_parts,
    missing_parts,
    plan_parts,
    prepare_parts,
    records_hash,
)
from generator.publish.writer import SiteWriter, WriteConflict, output_problem, recover_output

__all__ = [
    "PART_SIZE",
    "DeployError",
    "Part",
    "SearchFailed",
    "SiteWriter",
    "Spool",
    "Stopper",
    "WriteConflict",
    "check_links",
    "default_message",
    "deploy",
    "domain_problem",
    "index_records",
    "install_parts",
    "keep_bundle",
    "lists_parts",
    "missing_parts",
    "output_problem",
    "part_count",
    "plan_parts",
    "preflight",
    "prepare_parts",
    "records_hash",
    "recover_output",
]
