"""What templates see: typed, read-only view models with every value ready to print.

Templates loop and print; all sorting, grouping, date formatting and link
computation happens in :mod:`generator.render.pages`, which fills these.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

NO_MARKUP = Markup("")


@dataclass(frozen=True, slots=True)
class Link:
    """A link ready to print: a page-relative ``href`` and its text."""

    href: str
    text: str


@dataclass(frozen=True, slots=True)
class NavItem:
    """A navigation link, marked when it leads to the current section."""

    href: str
    text: str
    current: bool


@dataclass(frozen=True, slots=True)
class DateText:
    """A date as machine-readable ISO text and as words."""

    iso: str
    text: str


@dataclass(frozen=True, slots=True)
class MetaTag:
    """A ``<meta>`` element: ``<meta {attribute}="{key}" content="{content}">``."""

    attribute: str
    key: str
    content: str


@dataclass(frozen=True, slots=True)
class Chrome:
    """The frame around every page: site name, navigation, metadata."""

    language: str
    site_title: str
    site_description: str
    page_title: str
    description: str
    canonical: str
    stylesheet: str
    home: NavItem
    nav: tuple[NavItem, ...]
    feeds: tuple[Link, ...] = ()
    meta: tuple[MetaTag, ...] = ()
    json_ld: Markup = NO_MARKUP


@dataclass(frozen=True, slots=True)
class Card:
    """An article as it appears in a list, which is ordered by ``added``."""

    title: str
    href: str
    outlet: str
    added: DateText
    published: DateText | None
    summary: str
    why_it_matters: str
    tags: tuple[Link, ...]
    topics: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a paginated list is, and links to its neighbours."""

    current: int
    total: int
    newer: Link | None
    older: Link | None


@dataclass(frozen=True, slots=True)
class Caption:
    """A photo caption of the original article, with its credit."""

    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class NoteView:
    """An editor's note as printed beside (or after) its passage."""

    id: str
    number: str
    label: str
    motivation: str
    body: Markup
    editor: str
    date: DateText
    backlink: str
    quote: str
    problem: str


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """A run of the article body, with the notes that sit beside its last block."""

    html: Markup
    notes: tuple[NoteView, ...]


@dataclass(frozen=True, slots=True)
class CommentaryView:
    """The editor's overall note and why-it-matters line at the top of an article."""

    why_it_matters: str
    overall: Markup
    editor: str
    date: DateText
    annotations_href: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything an article page shows."""

    title: str
    outlet: str
    authors: str
    published: DateText | None
    retrieved: DateText | None
    added: DateText
    source_url: str
    captions: tuple[Caption, ...]
    blocks: tuple[BodyBlock, ...]
    commentary: CommentaryView | None
    unanchored: tuple[NoteView, ...]
    tags: tuple[Link, ...]
    topics: tuple[Link, ...]
    breadcrumbs: tuple[Link, ...]
    newer: Link | None
    older: Link | None
    excerpt: bool = False


@dataclass(frozen=True, slots=True)
class ListView:
    """A list of articles: the home page, a tag or a topic, one page of it."""

    heading: str
    intro: str
    cards: tuple[Card, ...]
    pager: Pager
    breadcrumbs: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """A tag or topic in an index, with how many articles carry it."""

    href: str
    name: str
    count: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class TermsView:
    """The index of all tags or all topics."""

    heading: str
    intro: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """A compact archive line: date, title, outlet."""

    date: DateText
    title: str
    href: str
    outlet: str


@dataclass(frozen=True, slots=True)
class Month:
    """One month of the archive: its articles, or a link to them."""

    label: str
    href: str
    count: int


@dataclass(frozen=True, slots=True)
class Year:
    """One year of the archive index."""

    label: str
    months: tuple[Month, ...]


@dataclass(frozen=True, slots=True)
class ArchiveView:
    """The archive index: every month with articles, newest first."""

    heading: str
    years: tuple[Year, ...]


@dataclass(frozen=True, slots=True)
class MonthView:
    """One month's articles, newest first."""

    heading: str
    entries: tuple[Entry, ...]
    breadcrumbs: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class SearchView:
    """The search page: its script (which loads the parts of the index that
    ``pagefind/parts.json`` lists) and where the site's root is, relative to the page."""

    heading: str
    script: str
    root: str
    browse: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class NotFoundView:
    """The page shown for a missing path."""

    heading: str
    home: Link


@dataclass(frozen=True, slots=True)
class FeedAuthor:
    """A name in a feed entry."""

    name: str


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article in an Atom feed; ``content`` is HTML as text (the template escapes it)."""

    id: str
    title: str
    link: str
    via: str
    published: str
    updated: str
    authors: tuple[FeedAuthor, ...]
    summary: str
    content: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedView:
    """An Atom feed: the site's, a tag's or a topic's latest articles."""

    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    updated: str
    language: str
    generator: str
    entries: tuple[FeedEntry, ...]


PageBody = (
    ArticleView
    | ListView
    | TermsView
    | ArchiveView
    | MonthView
    | SearchView
    | NotFoundView
    | FeedView
)


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to write: its template, route, frame and body."""

    template: str
    route: str
    chrome: Chrome
    page: PageBody
    origin: str
