"""An article's body as its page shows it: marked passages, notes beside their blocks.

Part of the views stage: it turns an article and its placed notes into
:class:`~generator.render.models.BodyBlock` runs and note views, so the article
template only loops and prints.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.annotations import Annotations, PlacedNote, Status, highlight, segment_block
from generator.content import Article, Motivation, Reproduce, SiteConfig, markdown
from generator.render.excerpt import excerpt_blocks
from generator.render.models import BodyBlock, DateText, NoteView

LABELS = {
    Motivation.COMMENTING: "Comment",
    Motivation.QUESTIONING: "Question",
    Motivation.ASSESSING: "Fact check",
    Motivation.DESCRIBING: "Context",
    Motivation.LINKING: "Link",
    Motivation.HIGHLIGHTING: "Highlight",
    Motivation.CORRECTING: "Correction",
}
PROBLEMS = {
    Status.AMBIGUOUS: "The quoted words occur more than once in the article.",
    Status.NOT_FOUND: "The quoted words are not in the current text of the article.",
}


@dataclass(frozen=True, slots=True)
class PreparedBody:
    """A rendered body: its blocks with notes, the notes that found no place, a summary."""

    blocks: tuple[BodyBlock, ...]
    unanchored: tuple[NoteView, ...]
    first_paragraph: str


def prepare_body(
    article: Article,
    annotations: Annotations | None,
    config: SiteConfig,
    date_text: Callable[[dt.date], DateText],
) -> PreparedBody:
    """Render ``article``'s body, with its notes when it has commentary.

    Under ``reproduce: excerpt`` only the annotated passages are kept.
    """
    if (article.reproduce or config.reproduce) is Reproduce.EXCERPT:
        return _excerpt(article, annotations, config, date_text)
    if annotations is None:
        rendered = markdown.convert(article.body)
        first = next(iter(rendered.paragraphs), "")
        return PreparedBody((BodyBlock(Markup(rendered.html), ()),), (), first)
    parsed = highlight.parse(article.body, article.body_line)
    views = {p.note.id: note_view(p, annotations, config, date_text) for p in annotations.notes}
    printed = {p.note.id for p in annotations.notes if p.note.body or not p.anchored}
    _mark(parsed, annotations.notes, printed)
    after: dict[int, list[NoteView]] = defaultdict(list)
    for placed in annotations.notes:
        if placed.anchored and placed.anchor.spans and placed.note.id in printed:
            after[parsed.block_group[placed.anchor.spans[-1].block]].append(views[placed.note.id])
    blocks = _runs(highlight.render_groups(parsed), after)
    unanchored = tuple(views[p.note.id] for p in annotations.notes if not p.anchored)
    return PreparedBody(blocks, unanchored, _first_paragraph(parsed))


def _excerpt(
    article: Article,
    annotations: Annotations | None,
    config: SiteConfig,
    date_text: Callable[[dt.date], DateText],
) -> PreparedBody:
    if annotations is None:
        return PreparedBody((), (), "")
    parsed = highlight.parse(article.body, article.body_line)
    views = {p.note.id: note_view(p, annotations, config, date_text) for p in annotations.notes}
    printed = {p.note.id for p in annotations.notes if p.note.body or not p.anchored}
    blocks = excerpt_blocks(parsed, annotations.notes, views, printed)
    unanchored = tuple(views[p.note.id] for p in annotations.notes if not p.anchored)
    return PreparedBody(blocks, unanchored, "")


def _mark(parsed: highlight.Parsed, notes: Sequence[PlacedNote], printed: set[str]) -> None:
    marks: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for placed in notes:
        if placed.anchored:
            for span in placed.anchor.spans:
                marks[span.block].append((placed.note.id, span.start, span.end))
    classes, refs = highlight.note_styles(
        (p.note.id, p.number, p.note.motivation.value) for p in notes
    )
    for block, block_marks in sorted(marks.items()):
        segments = segment_block(parsed.blocks[block].text, block_marks)
        highlight.mark_block(parsed, block, segments, classes, refs, printed)


def _runs(htmls: Sequence[str], after: dict[int, list[NoteView]]) -> tuple[BodyBlock, ...]:
    blocks: list[BodyBlock] = []
    pending = ""
    for group, html in enumerate(htmls):
        if group not in after:
            pending += html
            continue
        if pending:
            blocks.append(BodyBlock(Markup(pending), ()))
        blocks.append(BodyBlock(Markup(html), tuple(after[group])))
        pending = ""
    if pending:
        blocks.append(BodyBlock(Markup(pending), ()))
    return tuple(blocks)


def _first_paragraph(parsed: highlight.Parsed) -> str:
    for block, at in zip(parsed.blocks, parsed.inline_at, strict=True):
        if at > 0 and parsed.tokens[at - 1].type == "paragraph_open":
            return block.text
    return ""


def note_view(
    placed: PlacedNote,
    annotations: Annotations,
    config: SiteConfig,
    date_text: Callable[[dt.date], DateText],
) -> NoteView:
    """How one note is printed."""
    note, commentary = placed.note, annotations.commentary
    when = commentary.modified or commentary.created
    quote = note.quote or f"{note.start} … {note.end}"
    return NoteView(
        id=f"note-{note.id}",
        number=placed.number,
        label=LABELS[note.motivation],
        motivation=note.motivation.value,
        body=Markup(markdown.render_note(note.body, note.id)) if note.body else Markup(""),
        editor=config.editor_name(note.by),
        date=date_text(when.date()),
        backlink=f"#ref-{note.id}" if placed.number else "",
        quote=quote,
        problem=PROBLEMS.get(placed.anchor.status, ""),
    )
