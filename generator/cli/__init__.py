"""The ``versus`` command: thin click verbs; ``common`` is the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from generator import __version__
from generator.cli import content, site


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="versus")
def main() -> None:
    """Versus: build AI-model comparison sites from YAML and Markdown."""


for command in (site.build, site.linkcheck, site.check, site.serve, content.schema, content.init,
                site.diff, content.new, content.import_):
    main.add_command(command)


def run() -> NoReturn:
    """The ``versus`` command: ``main``, then exit without freeing a big build's millions
    of objects one by one (a third of a second). Tests call ``main`` instead."""
    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            click.echo(exc.code, err=True)
            code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
