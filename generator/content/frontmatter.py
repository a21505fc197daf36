"""YAML front matter: split it off, parse it safely, read typed fields with their lines.

YAML is composed into nodes (never constructed into Python objects by the
YAML library), so every key and value keeps its line and column, nothing can
run code, and the YAML 1.1 surprises (``no`` read as false, bare dates) are
seen for what they are and explained.  This is the only module that touches
YAML nodes: the dicts stop here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content.moments import parse_timestamp
from generator.content.plaintext import normalize_newlines, without_controls
from generator.diagnostics import Diagnostics, Location, did_you_mean

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TEXT_TAGS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", _TIMESTAMP}


@dataclass(frozen=True, slots=True)
class Document:
    """A content file split into its front matter text and its body."""

    path: str
    yaml_text: str
    yaml_line: int
    body: str
    body_line: int
    yaml_offset: int = 4


def split(path: str, text: str, diags: Diagnostics) -> Document | None:
    """Split ``---`` front matter from the body; report a file that has none."""
    text = normalize_newlines(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        diags.error(
            Location(path),
            "front-matter",
            "the file does not start with front matter",
            "begin the file with a line '---', the YAML keys, then another '---'",
        )
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in {"---", "..."}:
            yaml_text = "\n".join(lines[1 : number - 1]) + "\n"
            body = "\n".join(lines[number:])
            leading = len(body) - len(body.lstrip("\n"))
            body_text = without_controls(body.strip("\n")) + "\n"
            first = number + 1 + leading
            return Document(path, yaml_text, 2, body_text, first, len(lines[0]) + 1)
    diags.error(
        Location(path, 1, 1),
        "front-matter",
        "the front matter is never closed",
        "end the YAML keys with a line '---' before the article body",
    )
    return None


def read_text(path: Path, shown: str, diags: Diagnostics) -> str | None:
    """Read a UTF-8 text file, reporting one that is not (or cannot be read)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.error(
            Location(shown),
            "encoding",
            f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})",
            "save the file as UTF-8",
        )
    except OSError as exc:
        diags.error(Location(shown), "unreadable", f"cannot read the file: {exc.strerror}")
    return None


def compose(path: str, text: str, first_line: int, diags: Diagnostics) -> yaml.Node | None:
    """Parse YAML text into a node tree; ``None`` after reporting a syntax error.

    An empty document gives an empty mapping.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
        return node if node is not None else yaml.compose("{}", Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = " ".join(p for p in (exc.problem, exc.context) if p) or "invalid YAML"
        diags.error(
            Location(path, line, col),
            "yaml-syntax",
            f"YAML syntax error: {problem}",
            "check the indentation and quoting on this line; text containing ': ' or ' #' "
            "must be in quotes",
        )
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = first_line + before.count("\n"), len(before.rsplit("\n", 1)[-1]) + 1
        message = f"YAML does not allow the invisible character U+{exc.character:04X}"
        hint = "delete it (it is invisible in most editors; it often comes from a copy and paste)"
        diags.error(Location(path, line, col), "yaml-syntax", message, hint)
    except yaml.YAMLError as exc:
        diags.error(Location(path, first_line, 1), "yaml-syntax", f"YAML error: {exc}")
    return None


def kind_of(node: yaml.Node) -> str:
    """Describe a node's type the way a user would say it."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        _BOOL: "a boolean",
        _NULL: "empty (null)",
        _TIMESTAMP: "a date",
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:str": "a string",
    }.get(node.tag, f"a value tagged {node.tag.replace('tag:yaml.org,2002:', '!!')}")


class Fields:
    """Typed access to one YAML mapping, reporting every problem with its place.

    On creation it reports duplicate and unknown keys; each reader method
    returns the value or ``None`` after recording a diagnostic.
    """

    def __init__(
        self,
        path: str,
        node: yaml.Node,
        first_line: int,
        diags: Diagnostics,
        known: Collection[str],
        what: str = "front matter",
    ) -> None:
        self.path = path
        self.first_line = first_line
        self.diags = diags
        self.what = what
        self.nodes: dict[str, yaml.Node] = {}
        self.key_nodes: dict[str, yaml.Node] = {}
        self.ok = isinstance(node, yaml.MappingNode)
        self._mapping_loc = self.loc(node)
        if isinstance(node, yaml.MappingNode):
            self._index(node, known)
        else:
            diags.error(
                self._mapping_loc,
                "type",
                f"{what} must be a mapping of keys to values, got {kind_of(node)}",
                "write one 'key: value' per line",
            )

    def _index(self, node: yaml.MappingNode, known: Collection[str]) -> None:
        for key_node, value_node in node.value:
            scalar = isinstance(key_node, yaml.ScalarNode)
            key = str(key_node.value) if scalar else kind_of(key_node)
            if key in self.nodes:
                first = self.key_nodes[key].start_mark.line + self.first_line
                self.diags.error(
                    self.loc(key_node),
                    "duplicate-key",
                    f"key '{key}' appears twice (first on line {first})",
                    "keep one of the two",
                )
                continue
            if key not in known:
                self.diags.error(
                    self.loc(key_node),
                    "unknown-key",
                    f"unknown key '{key}' in {self.what}",
                    did_you_mean(key, known),
                )
                continue
            self.nodes[key] = value_node
            self.key_nodes[key] = key_node

    def loc(self, node: yaml.Node | None = None) -> Location:
        """The location of ``node`` (or of the mapping) in the user's file."""
        if node is None:
            return self._mapping_loc
        mark = node.start_mark
        return Location(self.path, self.first_line + mark.line, mark.column + 1)

    def line(self, key: str) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        node = self.key_nodes.get(key)
        if node is None:
            return self._mapping_loc.line
        return self.first_line + node.start_mark.line

    def node(self, key: str, required: bool = False) -> yaml.Node | None:
        """The value node of ``key``; a missing required key is reported."""
        node = self.nodes.get(key)
        if node is not None and node.tag == _NULL and not required:
            return None
        if node is None or node.tag == _NULL:
            if required and self.ok:
                self.diags.error(
                    self._mapping_loc,
                    "missing-key",
                    f"missing required key '{key}' in {self.what}",
                    f"add a line '{key}: ...'",
                )
            return None
        return node

    def text(self, key: str, required: bool = False) -> str | None:
        """A string value; numbers and bare dates are taken as the text written."""
        node = self.node(key, required)
        return None if node is None else self.text_of(key, node)

    def text_of(self, key: str, node: yaml.Node) -> str | None:
        """Read ``node`` as text, explaining YAML's surprises when it is not."""
        if isinstance(node, yaml.ScalarNode) and node.tag in _PLAIN_TEXT_TAGS:
            return without_controls(str(node.value)).strip()
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            self.diags.error(
                self.loc(node),
                "type",
                f"'{key}' must be text, but YAML reads {node.value} as a boolean",
                f'put it in quotes: "{node.value}"',
            )
            return None
        self.diags.error(
            self.loc(node),
            "type",
            f"'{key}' must be text, got {kind_of(node)}",
            f"write it as {key}: some text",
        )
        return None

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of strings; a single string is taken as a one-item list."""
        node = self.node(key)
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode) and node.tag != _BOOL:
            value = self.text_of(key, node)
            return (value,) if value else ()
        if not isinstance(node, yaml.SequenceNode):
            self.diags.error(
                self.loc(node),
                "type",
                f"'{key}' must be a list, got {kind_of(node)}",
                f"write it as {key}: [first, second]",
            )
            return ()
        items = (self.text_of(f"{key} item", item) for item in node.value)
        return tuple(item for item in items if item)

    def date(self, key: str, required: bool = False) -> dt.date | None:
        """A calendar date written ``YYYY-MM-DD`` (a full timestamp is accepted too)."""
        node = self.node(key, required)
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag not in {_STR, _TIMESTAMP}:
            self.diags.error(
                self.loc(node),
                "type",
                f"'{key}' must be a date, got {kind_of(node)}",
                f"write it as {key}: 2024-05-31",
            )
            return None
        return self.parse_date(key, node)

    def parse_date(self, key: str, node: yaml.ScalarNode) -> dt.date | None:
        """Parse an ISO date or timestamp, reporting an impossible one."""
        value = str(node.value).strip()
        try:
            day = parse_timestamp(value).date() if value[10:] else dt.date.fromisoformat(value)
            if day.year < 1000:
                raise ValueError("years before 1000 are not supported")
            return day
        except ValueError as exc:
            reason = str(exc)
            reason = "not in YYYY-MM-DD form" if value in reason else reason
            self.diags.error(
                self.loc(node),
                "bad-date",
                f"'{key}' is not a valid date: '{value}' ({reason})",
                "write dates as YYYY-MM-DD, e.g. 2024-05-31",
            )
            return None

    def timestamp(self, key: str) -> dt.datetime | None:
        """``key`` written as a date and time (naive without an offset), else ``None``."""
        node = self.nodes.get(key)
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            return parse_timestamp(value) if value[10:] else None
        except ValueError:
            return None

    def moment(self, key: str, zone: dt.tzinfo, required: bool = False) -> dt.datetime | None:
        """A date or a date and time; without a time zone, ``zone`` is assumed."""
        day = self.date(key, required)
        if day is None:
            return None
        moment = self.timestamp(key) or dt.datetime.combine(day, dt.time())
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)

    def flag(self, key: str) -> bool:
        """A yes/no value (``true`` or ``false``)."""
        node = self.node(key)
        if node is None:
            return False
        if node.tag != _BOOL:
            self.diags.error(
                self.loc(node),
                "type",
                f"'{key}' must be true or false, got {kind_of(node)}",
                f"write it as {key}: true",
            )
            return False
        return str(node.value).lower() in {"true", "yes", "on", "y"}

    def integer(self, key: str, default: int, minimum: int = 1) -> int:
        """A whole number of at least ``minimum``."""
        node = self.node(key)
        if node is None:
            return default
        value = str(node.value)
        if node.tag != "tag:yaml.org,2002:int" or not value.isdigit() or int(value) < minimum:
            self.diags.error(
                self.loc(node),
                "type",
                f"'{key}' must be a whole number of at least {minimum}, got {node.value!r}",
                f"write it as {key}: {default}",
            )
            return default
        return int(node.value)

    def choice(self, key: str, choices: Collection[str]) -> str | None:
        """A string that must be one of ``choices``."""
        value = self.text(key)
        if value is None or value in choices:
            return value
        self.diags.error(
            self.loc(self.nodes[key]),
            "bad-value",
            f"'{key}' must be one of {', '.join(sorted(choices))}, got '{value}'",
            did_you_mean(value, choices),
        )
        return None

    def mapping(self, key: str, known: Collection[str]) -> Fields | None:
        """A nested mapping, read with the same rules."""
        node = self.node(key)
        return None if node is None else self.sub(node, known, f"'{key}'")

    def sub(self, node: yaml.Node, known: Collection[str], what: str) -> Fields | None:
        """Read ``node`` as a nested mapping (e.g. one item of a list)."""
        fields = Fields(self.path, node, self.first_line, self.diags, known, what)
        return fields if fields.ok else None

    def items(self, key: str) -> list[yaml.Node]:
        """The item nodes of a list value."""
        node = self.node(key)
        if node is None:
            return []
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.diags.error(
            self.loc(node),
            "type",
            f"'{key}' must be a list, got {kind_of(node)}",
            f"write each entry on its own line starting with '- ' under '{key}:'",
        )
        return []
