"""YAML anchors and aliases (``&name`` / ``*name``) in an editor's front matter.

The commands that edit an editor's file (``ingest --update``, ``anchors --fix``)
refuse a file that uses them: an edit at the parser's position of an aliased
value would land on the anchor, and writing the file out again would expand
every alias (a few lines can become megabytes).  The build reads such files as
before.
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ALIAS_MESSAGE = (
    "the front matter uses a YAML anchor or alias (&name / *name); "
    "digest does not expand them when it edits a file"
)
ALIAS_HINT = "write the value out where *name is used and remove &name, then run again"


def first_alias(yaml_text: str, first_line: int = 1) -> tuple[int, int] | None:
    """``(line, column)`` (1-based; ``first_line`` is the YAML's first line in its file)
    of the first anchor or alias in ``yaml_text``, or None.

    YAML that does not parse has none as far as this says; the caller's parser reports it.
    """
    try:
        for event in yaml.parse(yaml_text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                return (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    except yaml.YAMLError:
        return None
    return None
