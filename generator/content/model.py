"""The content model: frozen dataclasses, no I/O, no YAML dicts.

These are what the loader produces and the views read.  Ids are slugs (str),
not object links, so the model stays a plain tree of values.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

# The front matter keys of an article file, in the order ingest writes them.
ARTICLE_KEYS = (
    "title",
    "slug",
    "date",
    "outlet",
    "source_url",
    "authors",
    "published",
    "retrieved",
    "tags",
    "topics",
    "summary",
    "images",
    "seed",
    "reproduce",
)


class Reproduce(enum.Enum):
    """How much of an outlet's article the digest republishes."""

    FULL = "full"
    EXCERPT = "excerpt"


@dataclass(frozen=True, slots=True)
class Image:
    """A photo of the original article, known by its caption and credit."""

    caption: str
    credit: str = ""
    src: str = ""


@dataclass(frozen=True, slots=True)
class SeedRef:
    """Provenance: the raw file an article was cleaned from.

    ``sha256`` is the hex SHA-256 of the raw file; ``body_sha256`` (empty in
    articles ingested before it was recorded) is that of the body as ingest
    wrote it, with line ends made LF and surrounding white space stripped, so
    ``ingest --update`` can tell an editor's edit from a change of the seed.
    """

    path: str
    sha256: str
    body_sha256: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned news article, as loaded from ``content/articles/<slug>.md``."""

    slug: str
    source: str
    title: str
    date: dt.date
    outlet: str
    body: str
    body_line: int
    source_url: str = ""
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    retrieved: dt.date | None = None
    tags: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    summary: str = ""
    images: tuple[Image, ...] = ()
    seed: SeedRef | None = None
    reproduce: Reproduce | None = None
    times: tuple[tuple[str, dt.datetime], ...] = ()
    """The dates (``date``, ``published``, ``retrieved``) written with a time of day:
    the instant as written (naive when no offset was given: the site's time zone)."""

    def time_of(self, key: str) -> dt.datetime | None:
        """The instant of date ``key`` if it was written with a time, else ``None``."""
        return next((moment for name, moment in self.times if name == key), None)


@dataclass(frozen=True, slots=True)
class Topic:
    """An entry of the controlled topic list in ``content/topics.yaml``."""

    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Tag:
    """A free tag: its display name, URL slug and the articles carrying it."""

    slug: str
    name: str
    articles: tuple[str, ...]


class Motivation(enum.Enum):
    """Why an editor wrote a note: the W3C Web Annotation motivations we use."""

    COMMENTING = "commenting"
    QUESTIONING = "questioning"
    ASSESSING = "assessing"
    DESCRIBING = "describing"
    LINKING = "linking"
    HIGHLIGHTING = "highlighting"
    CORRECTING = "correcting"

    @property
    def w3c(self) -> str:
        """The W3C vocabulary term (a correction is an ``editing`` annotation)."""
        return "editing" if self is Motivation.CORRECTING else self.value


@dataclass(frozen=True, slots=True)
class Note:
    """One note of a commentary file, anchored by a quote or a from/to passage.

    ``line``/``col`` locate the note in its file; ``positions`` gives, for each of its
    ``quote``/``prefix``/``suffix``/``from``/``to`` values, the character range of the
    value in the file text, so ``digest anchors --fix`` can rewrite it in place.
    """

    id: str
    body: str
    motivation: Motivation
    by: str
    line: int
    col: int
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: str = ""
    end: str = ""
    all: bool = False
    positions: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Commentary:
    """An editor's commentary on one article: ``content/commentary/<slug>.md``."""

    article: str
    source: str
    by: str
    created: dt.datetime
    body: str
    line: int
    modified: dt.datetime | None = None
    why_it_matters: str = ""
    notes: tuple[Note, ...] = ()
