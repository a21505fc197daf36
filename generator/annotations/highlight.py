"""Article bodies with editors' marks: text blocks to anchor in, and HTML with ``<mark>``.

The body is parsed once.  Each inline token (a paragraph, heading, list item
or table cell) becomes a :class:`~generator.annotations.anchoring.TextBlock` of plain
text, the text notes are anchored in.  Rendering splits text tokens at mark
boundaries and wraps every piece in its own ``<mark>``, so marks that span a
link or emphasis, overlap or touch still give well-formed HTML.  The body is
rendered per top-level block (a *group*) so notes can follow their block.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from generator.annotations.anchoring import Segment, TextBlock
from generator.content import markdown

_TEXT_KINDS = {"text", "code_inline", "softbreak", "hardbreak"}


@dataclass(frozen=True, slots=True)
class NoteRef:
    """How a note is referred to at the end of its passage."""

    number: str
    motivation: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed body: tokens, their text blocks and top-level groups."""

    tokens: list[Token]
    env: dict[str, object]
    blocks: tuple[TextBlock, ...]
    inline_at: tuple[int, ...]
    block_group: tuple[int, ...]
    groups: tuple[tuple[int, int], ...]
    refs_seen: set[str] = field(default_factory=set)


def parse(text: str, first_line: int = 1) -> Parsed:
    """Parse a Markdown body into tokens, plain text blocks and top-level groups."""
    md = markdown.renderer()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    groups = _groups(tokens)
    blocks: list[TextBlock] = []
    inline_at: list[int] = []
    block_group: list[int] = []
    for number, (start, end) in enumerate(groups):
        for index in range(start, end):
            token = tokens[index]
            if token.type == "inline":
                line = first_line + (token.map[0] if token.map else 0)
                blocks.append(TextBlock(len(blocks), plain(token), line))
                inline_at.append(index)
                block_group.append(number)
    return Parsed(tokens, env, tuple(blocks), tuple(inline_at), tuple(block_group), groups)


def _groups(tokens: Sequence[Token]) -> tuple[tuple[int, int], ...]:
    groups, start, depth = [], 0, 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            groups.append((start, index + 1))
            start = index + 1
    return tuple(groups)


def plain(inline: Token) -> str:
    """The plain text of an inline token, as notes quote it."""
    return "".join(_piece_text(child) for child in inline.children or [])


def _piece_text(child: Token) -> str:
    if child.type in {"text", "code_inline"}:
        return child.content
    return " " if child.type in {"softbreak", "hardbreak"} else ""


def note_styles(
    notes: Iterable[tuple[str, str, str]],
) -> tuple[dict[str, str], dict[str, NoteRef]]:
    """Mark classes and references of notes given as (id, number, motivation)."""
    listed = list(notes)
    classes = {note_id: f"anno--{motivation}" for note_id, _, motivation in listed}
    refs = {note_id: NoteRef(number, motivation) for note_id, number, motivation in listed}
    return classes, refs


def mark_block(
    parsed: Parsed,
    block: int,
    segments: Sequence[Segment],
    classes: Mapping[str, str],
    refs: Mapping[str, NoteRef],
    described: Collection[str] = (),
) -> None:
    """Rewrite one block's inline children so its segments are wrapped in marks.

    A mark points with ``aria-details`` at the note of its outermost id, when that
    note is in ``described`` (it has a printed note).
    """
    inline = parsed.tokens[parsed.inline_at[block]]
    mark_inline(inline, segments, classes, refs, described, parsed.refs_seen)


def mark_inline(
    inline: Token,
    segments: Sequence[Segment],
    classes: Mapping[str, str],
    refs: Mapping[str, NoteRef],
    described: Collection[str],
    seen: set[str],
) -> None:
    """Wrap the segments of one inline token's text in marks, with note references."""
    children: list[Token] = []
    pending: list[Token] = []  # note references wait until a link around them closes
    offset, in_link = 0, 0
    for child in inline.children or []:
        if child.type not in _TEXT_KINDS:
            children.append(child)
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if not in_link:
                children.extend(pending)
                pending.clear()
            continue
        length = len(_piece_text(child))
        for segment in segments:
            lo, hi = max(segment.start, offset), min(segment.end, offset + length)
            if lo < hi:
                piece = _piece(child, lo - offset, hi - offset, segment, classes, described)
                children.extend(piece)
                if hi == segment.end:
                    ref = _refs(segment, refs, seen)
                    (pending if in_link else children).extend(ref)
        offset += length
    inline.children = children + pending


def _piece(
    child: Token,
    lo: int,
    hi: int,
    segment: Segment,
    classes: Mapping[str, str],
    described: Collection[str],
) -> list[Token]:
    piece = Token(child.type, child.tag, child.nesting, content=child.content[lo:hi])
    piece.markup = child.markup
    if child.type in {"softbreak", "hardbreak"}:
        piece = child
    if not segment.note_ids:
        return [piece]
    mark = Token("mark_open", "mark", 1)
    mark.attrs = {"class": " ".join(["anno", *dict.fromkeys(classes[n] for n in segment.note_ids)])}
    described_ids = [n for n in segment.note_ids if n in described]
    if described_ids:
        mark.attrs["aria-details"] = f"note-{described_ids[0]}"
    return [mark, piece, Token("mark_close", "mark", -1)]


def _refs(segment: Segment, refs: Mapping[str, NoteRef], seen: set[str]) -> list[Token]:
    tokens: list[Token] = []
    for note_id in segment.ends:
        ref = refs.get(note_id)
        if ref is None or not ref.number:
            continue
        link = Token("link_open", "a", 1)
        link.attrs = {"href": f"#note-{note_id}", "class": f"noteref noteref--{ref.motivation}"}
        if note_id not in seen:
            link.attrs["id"] = f"ref-{note_id}"
            seen.add(note_id)
        link.attrs["aria-label"] = f"Note {ref.number}"
        text = Token("text", "", 0, content=ref.number)
        tokens += [Token("sup_open", "sup", 1), link, text, Token("link_close", "a", -1)]
        tokens.append(Token("sup_close", "sup", -1))
    return tokens


def render_text(
    text: str,
    segments: Sequence[Segment],
    classes: Mapping[str, str],
    refs: Mapping[str, NoteRef],
    described: Collection[str],
    seen: set[str],
) -> str:
    """Plain ``text`` as inline HTML, its segments marked (for excerpts)."""
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    mark_inline(inline, segments, classes, refs, described, seen)
    md = markdown.renderer()
    html: str = md.renderer.render(inline.children or [], md.options, {})
    return html


def render_groups(parsed: Parsed) -> list[str]:
    """The HTML of each top-level group, in order."""
    md = markdown.renderer()
    return [
        md.renderer.render(parsed.tokens[start:end], md.options, parsed.env)
        for start, end in parsed.groups
    ]
