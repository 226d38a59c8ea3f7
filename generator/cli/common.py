"""What every ``versus`` command shares: common options, and errors turned into exit codes."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Iterable, NoReturn

import click

from generator.errors import BuildError, ContentError, SourceError, printable

EXIT_CONTENT = 1
EXIT_INTERRUPTED = 130


def source_option(func):  # type: ignore[no-untyped-def]
    return click.option("--source", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="Folder that holds content/ and optionally templates/.")(func)


def pages_option(func):  # type: ignore[no-untyped-def]
    return click.option("--pages-url", default=None, metavar="URL", help="The address "
                        "GitHub Pages serves the site at (the Pages workflow passes it): the "
                        "base URL, unless site.yaml sets custom_domain.")(func)


def base_url_for(source: Path, base_url: str | None, pages_url: str | None) -> str | None:
    if base_url is not None or not pages_url:  # else the Pages address, unless custom_domain
        return base_url
    from generator.tools.deploy import pages_base_url  # only then: no-op builds stay instant
    return pages_base_url(source, pages_url)


class interruptible:
    """Turn content errors, build errors and Ctrl-C/SIGTERM into messages and exit codes."""

    def __init__(self, target: Path | None):
        self.target = target  # the output folder, or None when nothing is written

    def __enter__(self) -> None:
        self._previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        if self.target is not None:
            from generator.output.write import forget_commits

            forget_commits()

    def __exit__(self, kind, exc, tb) -> bool:  # type: ignore[no-untyped-def]
        signal.signal(signal.SIGTERM, self._previous)
        unchanged = f"; {self.target} is unchanged" if self.target is not None else ""
        if self.target is not None and isinstance(exc, (BuildError, OSError, KeyboardInterrupt)):
            from generator.output.write import commit_state

            state = commit_state(self.target)  # what the build really left (#16.8)
            if state == "done":
                unchanged = f"; {self.target} holds the new site, complete"
            elif state == "started":
                unchanged = (f"; {self.target} may hold old and new files: run versus build "
                             "again to finish it")
        if isinstance(exc, OSError):  # the disk, not the content: one line, no traceback
            name = os.fsdecode(exc.filename) if exc.filename is not None else None
            if self.target is None:
                fail(f"error: {name or '.'}: {exc.strerror or exc}", EXIT_CONTENT)
            folder = os.path.dirname(os.path.abspath(name)) if name else str(self.target)
            fail(f"error: cannot write to {folder} ({exc.strerror or exc}){unchanged}",
                 EXIT_CONTENT)
        if isinstance(exc, ContentError):
            print_problems(sorted(exc.warnings + exc.errors), summary="Content errors")
            written = (f"; nothing was written, {self.target} is unchanged"
                       if self.target is not None else "")
            fail(f"{len(exc.errors)} error(s){written}", EXIT_CONTENT)
        if isinstance(exc, BuildError):
            fail(f"error: {exc}{unchanged}", EXIT_CONTENT)
        if isinstance(exc, KeyboardInterrupt):
            fail(f"interrupted{unchanged}", EXIT_INTERRUPTED)
        return False


def _raise_interrupt(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def print_problems(problems: Iterable[SourceError], *, summary: str | None = None,
                    annotate: bool = True) -> None:
    """Each problem for people on stderr; on GitHub Actions also as an annotation (and,
    with a ``summary`` heading, in the job summary)."""
    problems = list(problems)
    annotate = annotate and os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(problem.format(), err=True)
        if annotate:  # workflow commands are read from stdout
            click.echo(problem.annotation())
    if summary is not None and os.environ.get("GITHUB_STEP_SUMMARY"):  # deploy.SUMMARY_ENV
        from generator.tools.deploy import write_job_summary  # only then: check stays light

        write_job_summary(summary, problems)


def fail(message: str, code: int) -> NoReturn:
    click.echo(printable(message), err=True)
    sys.exit(code)
