"""Stage 2: commentary notes anchored to the text of their articles.

Each article with commentary is parsed once; every note is anchored with the
anchoring engine.  A note that anchors exactly is silent; one that re-anchors
(context changed, or a close match) is a warning; one that is ambiguous or not
found is a warning too (an error under ``--strict``) and the note is still
published, in the article's "unanchored notes".  Nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.annotations.anchoring import Anchor, AnchorIndex, Selector, Status
from generator.annotations.highlight import Parsed, parse
from generator.content import Article, Commentary, Motivation, Note
from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity


@dataclass(frozen=True, slots=True)
class PlacedNote:
    """A note with the outcome of anchoring it; ``number`` is shown in the text."""

    note: Note
    anchor: Anchor
    number: str

    @property
    def anchored(self) -> bool:
        """Whether the note has a place in the article's text."""
        return self.anchor.status.anchored


@dataclass(frozen=True, slots=True)
class Annotations:
    """One article's commentary with every note placed, in reading order."""

    commentary: Commentary
    notes: tuple[PlacedNote, ...]


class AnchorCache:
    """The anchoring of each commentary on its article, kept while both are unchanged.

    A long-running ``digest serve`` keeps one: after an edit, only the commentary whose
    file or article changed is anchored again.  Items are matched by identity, so the
    loaders' own caches must hand back the same objects for unchanged files; anything
    else is anchored afresh (never an old anchor on new words).
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[Commentary, Article, Annotations, tuple[Diagnostic, ...]]] = {}

    def annotate(self, commentary: Commentary, article: Article, diags: Diagnostics) -> Annotations:
        """:func:`annotate_one`, or its last result for these very objects."""
        cached = self._items.get(article.slug)
        if cached is not None and cached[0] is commentary and cached[1] is article:
            diags.extend(cached[3])
            return cached[2]
        own = Diagnostics()
        found = annotate_one(commentary, article, own)
        diags.extend(own.items)
        self._items[article.slug] = (commentary, article, found, tuple(own.items))
        return found

    def keep_only(self, slugs: Iterable[str]) -> None:
        """Forget the articles not in ``slugs`` (deleted, or without commentary now)."""
        live = set(slugs)
        for slug in [s for s in self._items if s not in live]:
            del self._items[slug]


def annotate(
    articles: Sequence[Article],
    commentaries: Iterable[Commentary],
    diags: Diagnostics,
    cache: AnchorCache | None = None,
) -> dict[str, Annotations]:
    """Anchor every note of every commentary file; report what did not anchor exactly.

    ``cache`` keeps the anchoring of unchanged pairs (``digest serve``)."""
    by_slug = {article.slug: article for article in articles}
    result = {}
    for commentary in commentaries:
        article = by_slug[commentary.article]
        if cache is None:
            result[article.slug] = annotate_one(commentary, article, diags)
        else:
            result[article.slug] = cache.annotate(commentary, article, diags)
    if cache is not None:
        cache.keep_only(result)
    return result


def annotate_one(commentary: Commentary, article: Article, diags: Diagnostics) -> Annotations:
    """Anchor the notes of one commentary file on its article (the unit the build caches)."""
    return place_notes(commentary, article, parse(article.body, article.body_line), diags)


def place_notes(
    commentary: Commentary, article: Article, parsed: Parsed, diags: Diagnostics
) -> Annotations:
    """Anchor the notes of one commentary against its parsed article."""
    index = AnchorIndex(parsed.blocks)
    anchors = [(note, index.anchor(selector(note))) for note in commentary.notes]
    for note, found in anchors:
        report(commentary, article, parsed, note, found, diags)
    ordered = sorted(anchors, key=lambda pair: _reading_order(pair[1]))
    placed, number = [], 0
    for note, found in ordered:
        counted = found.status.anchored and note.motivation is not Motivation.HIGHLIGHTING
        number += counted
        placed.append(PlacedNote(note, found, str(number) if counted else ""))
    return Annotations(commentary, tuple(placed))


def selector(note: Note) -> Selector:
    """The anchoring engine's selector for a note."""
    return Selector(
        quote=note.quote,
        prefix=note.prefix,
        suffix=note.suffix,
        start=note.start,
        end=note.end,
        all=note.all,
    )


def _reading_order(found: Anchor) -> tuple[int, int, int]:
    if not found.status.anchored or not found.spans:
        return (1, 0, 0)
    first = found.spans[0]
    return (0, first.block, first.start)


def report(
    commentary: Commentary,
    article: Article,
    parsed: Parsed,
    note: Note,
    found: Anchor,
    diags: Diagnostics,
) -> None:
    """Turn an anchoring outcome that is not exact into a located warning."""
    where = Location(commentary.source, note.line, note.col)
    lines = {block.index: block.line for block in parsed.blocks}
    words = _words(note)
    status = found.status
    if status is Status.CONTEXT_CHANGED:
        diags.warning(
            where,
            "anchor-context-changed",
            f"{words} is in {article.source}, but not next to its prefix/suffix; "
            f"anchored at article line {_line(found, lines)}",
            "update 'prefix'/'suffix', or run `digest anchors --fix`",
        )
    elif status is Status.FUZZY:
        _fuzzy(where, article, words, found, lines, diags)
    elif status is Status.AMBIGUOUS:
        _ambiguous(where, words, found, lines, diags)
    elif status is Status.NOT_FOUND:
        _not_found(where, article, words, found, lines, diags)


def _words(note: Note) -> str:
    if note.quote:
        return f'quote "{_clip(note.quote)}"'
    return f'passage from "{_clip(note.start)}" to "{_clip(note.end)}"'


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(found: Anchor, lines: Mapping[int, int]) -> int:
    return lines.get(found.spans[0].block, 0) if found.spans else 0


def _fuzzy(
    where: Location,
    article: Article,
    words: str,
    found: Anchor,
    lines: Mapping[int, int],
    diags: Diagnostics,
) -> None:
    diags.add(
        Diagnostic(
            where,
            Severity.WARNING,
            "anchor-fuzzy",
            f"{words} is not in {article.source} word for word; re-anchored to a close match "
            f"({found.similarity:.0%}, article line {_line(found, lines)})",
            "run `digest anchors --fix` to update the quote to the article's text"
            if words.startswith("quote")
            else "update 'from'/'to' to the article's words shown above",
            (f'now:  "{_clip(found.exact, 120)}"', f"diff: {found.word_diff}"),
        )
    )


def _ambiguous(
    where: Location, words: str, found: Anchor, lines: Mapping[int, int], diags: Diagnostics
) -> None:
    numbers = sorted({lines.get(span.block, 0) for span in found.occurrences})
    places = ("lines " if len(numbers) > 1 else "line ") + ", ".join(map(str, numbers))
    diags.warning(
        where,
        "anchor-ambiguous",
        f"{words} occurs {len(found.occurrences)} times (article {places}); "
        "the note is published as unanchored",
        ambiguous_hint(found),
    )


def ambiguous_hint(found: Anchor) -> str:
    """What would single out an ambiguous quote's first occurrence."""
    if found.suggested_prefix:
        return f'add  prefix: "{found.suggested_prefix}"  (unique), or set  all: true'
    if found.suggested_suffix:
        return f'add  suffix: "{found.suggested_suffix}"  (unique), or set  all: true'
    return "quote more words, or set  all: true"


def _not_found(
    where: Location,
    article: Article,
    words: str,
    found: Anchor,
    lines: Mapping[int, int],
    diags: Diagnostics,
) -> None:
    detail: tuple[str, ...] = ()
    if found.closest_text:
        line = lines.get(found.closest.block, 0) if found.closest else 0
        detail = (
            f'closest: "{_clip(found.closest_text, 120)}" '
            f"({found.closest_similarity:.0%}, article line {line})",
        )
        detail += (f"diff:    {found.word_diff}",) if found.word_diff else ()
    why = f" ({found.reason})" if found.reason else ""
    diags.add(
        Diagnostic(
            where,
            Severity.WARNING,
            "anchor-not-found",
            f"{words} not found in {article.source}{why}; the note is published as unanchored",
            NOT_SAME_HINT
            if found.reason
            else "copy the exact words from the article into the note",
            detail,
        )
    )


NOT_SAME_HINT = (
    "a note moves only to words that say the same thing: if the closest passage does, "
    "copy its words (and context) into the note; if not, rewrite or remove the note"
)
