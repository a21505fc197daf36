"""Stage 2: tags and topics; the loaded content becomes a :class:`Site`.

Tags are free text, grouped by slug: spellings that differ only by case,
accents or spacing are merged (with a warning naming the odd one out), two
different names that make one slug are an error naming both, and tags that
differ only by a plural are reported.  Topics come from the controlled list;
an article naming an unknown topic is an error with a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from generator.annotations import Annotations
from generator.content import (
    Article,
    Content,
    SiteConfig,
    Tag,
    Topic,
    slugify,
    spelling_key,
    unknown_topic_hint,
)
from generator.diagnostics import Diagnostics, Location


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the views need: config, articles newest first, tags and topics."""

    config: SiteConfig
    articles: tuple[Article, ...]
    tags: tuple[Tag, ...]
    topics: tuple[Topic, ...]
    tag_slugs: Mapping[str, str]
    tag_names: Mapping[str, str]
    topic_titles: Mapping[str, str]
    topic_members: Mapping[str, tuple[str, ...]]
    annotations: Mapping[str, Annotations]

    def topic(self, slug: str) -> Topic:
        """The topic with ``slug`` (it is known to exist)."""
        return next(t for t in self.topics if t.slug == slug)


def make_site(
    config: SiteConfig,
    content: Content,
    diags: Diagnostics,
    annotations: Mapping[str, Annotations] | None = None,
) -> Site:
    """Group articles by tag and topic, checking names as it goes."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    articles = tuple(sorted((local_days(a, zone) for a in content.articles), key=_newest_first))
    _check_topics(content, diags)
    tags, tag_slugs = _tags(content, articles, diags)
    members = {
        topic.slug: tuple(a.slug for a in articles if topic.slug in a.topics)
        for topic in content.topics
    }
    return Site(
        config=config,
        articles=articles,
        tags=tags,
        topics=content.topics,
        tag_slugs=tag_slugs,
        tag_names={tag.slug: tag.name for tag in tags},
        topic_titles={topic.slug: topic.title for topic in content.topics},
        topic_members=members,
        annotations=annotations or {},
    )


def local_days(article: Article, zone: dt.tzinfo) -> Article:
    """``article`` with each date written with a time replaced by its day in ``zone``
    (the instant itself stays in ``article.times``)."""
    if not article.times:
        return article
    days = {key: in_zone(moment, zone).date() for key, moment in article.times}
    return replace(
        article,
        date=days.get("date", article.date),
        published=days.get("published", article.published),
        retrieved=days.get("retrieved", article.retrieved),
    )


def in_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``moment`` in ``zone``; a naive one is taken to be in ``zone`` already."""
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def _newest_first(article: Article) -> tuple[int, int, str]:
    published = article.published or article.date
    return (-article.date.toordinal(), -published.toordinal(), article.slug)


def _check_topics(content: Content, diags: Diagnostics) -> None:
    known = {t.slug for t in content.topics}
    for article in content.articles:
        for name in article.topics:
            if name in known:
                continue
            diags.error(
                Location(article.source, content.line_of(article, "topics")),
                "unknown-topic",
                f"unknown topic '{name}'",
                unknown_topic_hint(name, known, content.topics_file),
            )


def _tags(
    content: Content, articles: tuple[Article, ...], diags: Diagnostics
) -> tuple[tuple[Tag, ...], dict[str, str]]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in article.tags:
            slug = slugify(name)
            if not slug:
                diags.error(
                    Location(article.source, content.line_of(article, "tags")),
                    "bad-tag",
                    f"tag '{name}' has no letters or digits",
                    "use a word or a name as a tag",
                )
                continue
            spellings[slug][name] += 1
    names = {slug: _preferred(counts) for slug, counts in spellings.items()}
    _report_collisions(content, spellings, diags)
    _report_variants(content, spellings, names, diags)
    tag_slugs = {name: slug for slug, counts in spellings.items() for name in counts}
    members: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        for slug in dict.fromkeys(tag_slugs[n] for n in article.tags if n in tag_slugs):
            members[slug].append(article.slug)
    tags = tuple(Tag(slug, names[slug], tuple(members[slug])) for slug in sorted(spellings))
    return tags, tag_slugs


def _report_collisions(
    content: Content, spellings: Mapping[str, Counter[str]], diags: Diagnostics
) -> None:
    """Two different names (not spellings of one) that make one slug: an error on each use."""
    for slug, counts in spellings.items():
        first: dict[str, str] = {}
        for name in sorted(counts):
            first.setdefault(spelling_key(name), name)
        if len(first) < 2:
            continue
        named = sorted(first.values())
        quoted = [f"'{name}'" for name in named]
        listed = ", ".join(quoted[:-1]) + " and " + quoted[-1]
        for article in content.articles:
            if any(name in counts for name in article.tags):  # once per article, not per name
                diags.error(
                    Location(article.source, content.line_of(article, "tags")),
                    "tag-collision",
                    f"tags {listed} are different names but would share the page tags/{slug}/",
                    "rename one of them so that their letters or digits differ",
                )


def _preferred(counts: Counter[str]) -> str:
    return min(counts, key=lambda name: (-counts[name], name))


def _report_variants(
    content: Content,
    spellings: Mapping[str, Counter[str]],
    names: Mapping[str, str],
    diags: Diagnostics,
) -> None:
    problems = {
        name: found
        for counts in spellings.values()
        for name in counts
        if (found := _tag_problems(name, spellings, names))
    }
    if not problems:
        return
    for article in content.articles:
        for name in dict.fromkeys(article.tags):
            for code, message, hint in problems.get(name, ()):
                where = Location(article.source, content.line_of(article, "tags"))
                diags.warning(where, code, message, hint)


def _tag_problems(
    name: str, spellings: Mapping[str, Counter[str]], names: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    slug = slugify(name)
    found = []
    if name != names[slug] and spelling_key(name) == spelling_key(names[slug]):
        found.append(
            (
                "tag-variant",
                f"tag '{name}' differs from '{names[slug]}' only by case, accents or spacing; "
                f"both are listed as '{names[slug]}'",
                f"write it as '{names[slug]}'",
            )
        )
    singular = _singular(slug, spellings)
    if singular is not None:
        found.append(
            (
                "tag-plural",
                f"tag '{name}' differs from '{names[singular]}' only by a plural",
                f"use one of the two, e.g. '{names[singular]}'",
            )
        )
    return found


def _singular(slug: str, spellings: Mapping[str, object]) -> str | None:
    candidates = [slug[:-1]] if slug.endswith("s") else []
    if slug.endswith("es"):
        candidates.append(slug[:-2])
    if slug.endswith("ies"):
        candidates.append(slug[:-3] + "y")
    return next((c for c in candidates if c and c in spellings), None)
