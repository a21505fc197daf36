"""The command line: argv into a command.  The only code that prints or exits.

One module per command group: ``main`` (build, check, the parser), ``ingest`` (ingest,
extract), ``edit`` (new commentary, anchors) and ``publish`` (serve, deploy).
"""

from generator.cli.main import main, run

__all__ = ["main", "run"]
