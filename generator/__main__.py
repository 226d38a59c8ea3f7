"""Allow ``python -m generator``: the same CLI as the ``versus`` command."""

from generator.cli import run

run()
