"""``python -m generator`` is the same as the ``digest`` command."""

from generator.cli import run

run()
