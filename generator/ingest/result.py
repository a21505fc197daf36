"""What extraction produces: plain frozen values, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.content import Image


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line of the raw page left out of the body, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """A cleaned article and its metadata, as read from one raw page.

    ``teaser`` is True when the page showed a paywall notice: the body may be only
    the part shown to non-subscribers.
    """

    source: str
    kind: str
    title: str
    authors: tuple[str, ...]
    outlet: str
    published: dt.date | None
    body: str
    text: str
    images: tuple[Image, ...]
    removed: tuple[RemovedLine, ...]
    source_url: str
    sha256: str
    teaser: bool = False

    @property
    def missing(self) -> tuple[str, ...]:
        """What the page did not give, for the editor to check ("no published date", ...)."""
        out = []
        if self.published is None:
            out.append("no published date")
        if not self.authors:
            out.append("no authors")
        if not self.source_url:
            out.append("no source URL")
        if self.teaser:
            out.append("teaser only (a paywall notice was cut; the article may go on)")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Metadata candidates read from a page (any field may be empty)."""

    title: str = ""
    authors: tuple[str, ...] = ()
    outlet: str = ""
    published: dt.date | None = None
    source_url: str = ""
