"""Loading editors' commentary files, ``content/commentary/<slug>.md``.

A commentary file pairs with the article of the same slug (or names it with
``article:``).  Its front matter holds the editor, dates, a why-it-matters
line and the notes; its body is the overall note.  Every problem is reported
with its place; a file is never skipped without a diagnostic.
"""

from __future__ import annotations

import difflib
import os
import re
import zoneinfo
from collections.abc import Collection
from pathlib import Path

from generator.content import frontmatter
from generator.content.config import SiteConfig
from generator.content.frontmatter import read_text
from generator.content.load import content_files, shown_path
from generator.content.model import Commentary, Motivation, Note
from generator.content.slugs import is_safe_id
from generator.diagnostics import Diagnostic, Diagnostics, Location, did_you_mean

COMMENTARY_KEYS = ("article", "by", "created", "modified", "why_it_matters", "notes")
NOTE_KEYS = ("id", "quote", "prefix", "suffix", "from", "to", "all", "note", "motivation", "by")
MOTIVATIONS = tuple(m.value for m in Motivation)


def commentary_paths(root: Path) -> list[Path]:
    """Every commentary file, in a stable order."""
    return [Path(p) for p in content_files(root, root / "content" / "commentary")]


class CommentaryCache:
    """Loaded commentary files by path, reused while a file's size and mtime, the site's
    settings and its article's presence are unchanged.

    A long-running ``digest serve`` keeps one, so an edit reads the files that changed, not
    every commentary.  A file that failed to load is always read again (its messages name
    the articles there are, which may have changed).
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[object, Commentary, tuple[Diagnostic, ...]]] = {}
        self._config: SiteConfig | None = None  # the settings the items were loaded with

    def load(
        self, config: SiteConfig, path: Path, articles: Collection[str], diags: Diagnostics
    ) -> Commentary | None:
        """:func:`load_file`, or its last result for the same file, settings and article."""
        try:
            info = os.stat(path)
            stamp: object = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None
        if config is not self._config:
            if config != self._config:  # editors, time zone: every file is read again
                self._items.clear()
            self._config = config
        key = str(path)
        cached = self._items.get(key)
        if cached is not None and cached[0] == stamp and cached[1].article in articles:
            diags.extend(cached[2])
            return cached[1]
        own = Diagnostics()
        found = load_file(config, path, articles, own)
        diags.extend(own.items)
        if found is None or stamp is None:
            self._items.pop(key, None)
        else:
            self._items[key] = (stamp, found, tuple(own.items))
        return found


def load_commentary(
    config: SiteConfig,
    articles: Collection[str],
    diags: Diagnostics,
    unreadable: Collection[str] = (),
    cache: CommentaryCache | None = None,
) -> tuple[Commentary, ...]:
    """Load every commentary file, checking its article, editors and notes.

    Commentary on an article whose file has errors (``unreadable``) waits: that
    article's own errors already fail the build, and the notes come back with it.
    ``articles`` are the slugs there are (a set is fastest); ``cache`` keeps files
    loaded before (``digest serve``).
    """
    paths = [p for p in commentary_paths(config.root) if p.stem not in unreadable]
    if cache is None:
        loaded = (load_file(config, path, articles, diags) for path in paths)
    else:
        loaded = (cache.load(config, path, articles, diags) for path in paths)
    found = [c for c in loaded if c is not None]
    seen: dict[str, str] = {}
    unique = []
    for item in found:
        if item.article in seen:
            diags.error(
                Location(item.source),
                "duplicate-commentary",
                f"article '{item.article}' already has commentary in {seen[item.article]}",
                "merge the notes into one file per article",
            )
            continue
        seen[item.article] = item.source
        unique.append(item)
    return tuple(unique)


def load_file(
    config: SiteConfig, path: Path, articles: Collection[str], diags: Diagnostics
) -> Commentary | None:
    """Load one commentary file; ``None`` (with diagnostics) when unusable."""
    shown = shown_path(path)
    text = read_text(path, shown, diags)
    doc = frontmatter.split(shown, text, diags) if text is not None else None
    node = frontmatter.compose(shown, doc.yaml_text, doc.yaml_line, diags) if doc else None
    if doc is None or node is None:
        return None
    fields = frontmatter.Fields(shown, node, doc.yaml_line, diags, COMMENTARY_KEYS)
    if not fields.ok:
        return None
    zone = zoneinfo.ZoneInfo(config.timezone)
    article = _article(fields, path, articles)
    by = _editor(fields, "by", config, required=True)
    created = fields.moment("created", zone, required=True)
    notes = _notes(fields, config, by or "", doc.yaml_offset)
    if article is None or by is None or created is None or notes is None:
        return None
    why = fields.text("why_it_matters") or ""
    text = _without_placeholder(doc, diags, untouched=not (why or notes))
    if text is not doc.body and not (why or notes or text.strip()):
        return None  # an untouched scaffold publishes nothing (reported)
    body = text if text.strip() else ""
    return Commentary(
        article=article,
        source=shown,
        by=by,
        created=created,
        body=body,
        line=doc.body_line,
        modified=fields.moment("modified", zone),
        why_it_matters=why,
        notes=notes,
    )


# The overall note ``digest new commentary`` writes (content/scaffold.py): never published,
# also when the editor wrote other paragraphs around it.
PLACEHOLDER = re.compile(
    r'^[ \t]*Your overall note on ".*" goes here, in Markdown\.[ \t]*(?=\r?$)', re.MULTILINE
)


def _without_placeholder(doc: frontmatter.Document, diags: Diagnostics, untouched: bool) -> str:
    """The body without the scaffold's placeholder line (reported), or ``doc.body`` itself."""
    found = PLACEHOLDER.search(doc.body)
    if found is None:
        return doc.body
    rest = doc.body[: found.start()] + doc.body[found.end() :]  # keeps the line count
    if untouched and not rest.strip():
        diags.warning(
            Location(doc.path),
            "commentary-scaffold",
            "this commentary is still the scaffold `digest new commentary` wrote; "
            "nothing of it is published",
            "write why_it_matters, a note or the overall note, or delete the file",
        )
    else:
        diags.warning(
            Location(doc.path, doc.body_line + doc.body.count("\n", 0, found.start())),
            "commentary-placeholder",
            "the overall note is still the scaffold's placeholder; it is not published",
            "write your overall note in its place, or delete the line",
        )
    return rest


def _article(fields: frontmatter.Fields, path: Path, articles: Collection[str]) -> str | None:
    given = fields.text("article")
    slug = given if given is not None else path.stem
    if slug in articles:
        return slug
    node = fields.nodes.get("article")
    where = fields.loc(node) if node is not None else Location(fields.path)
    close = difflib.get_close_matches(slug, list(articles), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    fields.diags.error(
        where,
        "unknown-article",
        f"no article '{slug}' for this commentary",
        hint + "name the file after the article's file name, or set 'article: SLUG'",
    )
    return None


def _editor(
    fields: frontmatter.Fields, key: str, config: SiteConfig, required: bool = False
) -> str | None:
    editor = fields.text(key, required)
    known = dict(config.editors)
    if editor is None or editor in known:
        return editor
    guess = did_you_mean(editor, known)
    fields.diags.error(
        fields.loc(fields.nodes[key]),
        "unknown-editor",
        f"unknown editor '{editor}'",
        f"{guess}{'' if guess.endswith('?') else '.'} Editors are listed under 'editors:'"
        " in site.yaml"
        if known
        else f"add it to site.yaml:  editors: {{{editor}: Full Name}}",
    )
    return None


def _notes(
    fields: frontmatter.Fields, config: SiteConfig, by: str, offset: int
) -> tuple[Note, ...] | None:
    notes = []
    ok = True
    for number, node in enumerate(fields.items("notes"), start=1):
        item = fields.sub(node, NOTE_KEYS, "a note")
        note = _note(item, number, config, by, offset) if item is not None else None
        ok = ok and note is not None
        if note is not None:
            notes.append(note)
    return tuple(notes) if ok and _unique_ids(notes, fields) else None


def _note(
    item: frontmatter.Fields, number: int, config: SiteConfig, by: str, offset: int
) -> Note | None:
    where = item.loc()
    quote, start, end = item.text("quote") or "", item.text("from") or "", item.text("to") or ""
    motivation = item.choice("motivation", MOTIVATIONS) or "commenting"
    body = item.text("note") or ""
    note_id = item.text("id") or f"n{number}"
    editor = _editor(item, "by", config) if "by" in item.nodes else by
    valid = _check_selector(item, quote, start, end) and _check_body(item, body, motivation)
    if not is_safe_id(note_id):
        item.diags.error(
            item.loc(item.nodes["id"]),
            "bad-slug",
            f"note id '{note_id}' is not a safe HTML id",
            "use letters, digits and hyphens",
        )
        valid = False
    if not valid or editor is None:
        return None
    return Note(
        id=note_id,
        body=body,
        motivation=Motivation(motivation),
        by=editor,
        line=where.line,
        col=where.col,
        quote=quote,
        start=start,
        end=end,
        prefix=item.text("prefix") or "",
        suffix=item.text("suffix") or "",
        all=item.flag("all"),
        positions=_positions(item, offset),
    )


def _positions(item: frontmatter.Fields, offset: int) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (key, offset + node.start_mark.index, offset + node.end_mark.index)
        for key in ("quote", "prefix", "suffix", "from", "to")
        if (node := item.nodes.get(key)) is not None
    )


def _check_selector(item: frontmatter.Fields, quote: str, start: str, end: str) -> bool:
    problem = ""
    if quote and (start or end):
        problem = "a note has either 'quote' or 'from' and 'to', not both"
    elif bool(start) != bool(end):
        problem = "'from' needs 'to' (and 'to' needs 'from')"
    elif not (quote or start):
        problem = "a note needs the words it is about: 'quote', or 'from' and 'to'"
    elif start and "all" in item.nodes:
        problem = "'all' applies to a 'quote', not to a 'from'/'to' passage"
    if problem:
        item.diags.error(
            item.loc(),
            "note-selector",
            problem,
            "copy the exact words from the article into 'quote:'; for a long passage give "
            "its first words as 'from:' and its last words as 'to:'",
        )
    return not problem


def _check_body(item: frontmatter.Fields, body: str, motivation: str) -> bool:
    if body or motivation == Motivation.HIGHLIGHTING.value:
        return True
    item.diags.error(
        item.loc(),
        "note-empty",
        "the note has no text",
        "write it under 'note:', or set 'motivation: highlighting' for a bare highlight",
    )
    return False


def _unique_ids(notes: list[Note], fields: frontmatter.Fields) -> bool:
    seen: dict[str, int] = {}
    ok = True
    for note in notes:
        if note.id in seen:
            fields.diags.error(
                Location(fields.path, note.line, note.col),
                "duplicate-note",
                f"note id '{note.id}' is already used on line {seen[note.id]}",
                "give each note its own 'id:'",
            )
            ok = False
        seen.setdefault(note.id, note.line)
    return ok
