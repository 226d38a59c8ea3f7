"""The ``versus`` command: thin click verbs; the one place errors become exit codes."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Iterable, NoReturn

import click

from generator import __version__
from generator.errors import BuildError, BuildReport, ContentError, SourceError

EXIT_CONTENT = 1
EXIT_INTERRUPTED = 130


@click.group()
@click.version_option(__version__, prog_name="versus")
def main() -> None:
    """Versus: build AI-model comparison sites from YAML and Markdown."""


def run() -> NoReturn:
    """The ``versus`` command: ``main``, then exit without tearing the heap down.

    A build of a big site leaves millions of objects behind, and freeing them one
    by one as the interpreter exits takes a third of a second that nobody needs.
    Output is flushed first; tests call ``main`` and keep their process.
    """
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


def _source_option(func):  # type: ignore[no-untyped-def]
    return click.option("--source", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="Folder that holds content/ and optionally templates/.")(func)


@main.command()
@_source_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <source>/site).")
@click.option("--base-url", default=None, help="Override site.yaml's base_url (preview deploys).")
@click.option("--drafts", is_flag=True, help="Also build articles marked draft: true.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--clean", "--no-cache", "clean", is_flag=True,
              help="Ignore the build cache: render every page and check every file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that render pages (default: one per core).")
def build(source: Path, out: Path | None, base_url: str | None, drafts: bool, strict: bool,
          clean: bool, jobs: int | None) -> None:
    """Build the site into the output folder (only what changed, after the first build)."""
    started = time.perf_counter()
    target = out if out is not None else source / "site"
    with _interruptible(target):
        # Checked before the pipeline is even imported: a no-op build stays instant.
        from generator.cache import up_to_date

        report = None if clean else up_to_date(source, out, base_url=base_url, drafts=drafts,
                                                strict=strict, started=started)
        if report is None:
            from generator.build import build as run_build
            from generator.progress import StreamProgress

            progress = StreamProgress(sys.stderr, tty=sys.stderr.isatty())
            report = run_build(source, out, base_url=base_url, drafts=drafts, strict=strict,
                               cache=not clean, workers=jobs, progress=progress)
    _print_problems(report.warnings)
    click.echo(f"Built {report.pages_written} pages ({report.files_written} files, "
               f"{report.bytes_written / 1e6:.1f} MB) into {target} in {report.seconds:.2f} s"
               f"{_changes(report)}")


def _changes(report: BuildReport) -> str:
    """What a build did to an existing site, after the summary."""
    if report.up_to_date:
        return ": nothing changed"
    if not report.in_place:
        return ""
    return (f": {report.pages_rendered} pages rendered, {report.files_updated} files written, "
            f"{report.files_removed} removed")


class _interruptible:
    """Turn content errors, build errors and Ctrl-C/SIGTERM into messages and exit codes."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> None:
        self._previous = signal.signal(signal.SIGTERM, _raise_interrupt)

    def __exit__(self, kind, exc, tb) -> bool:  # type: ignore[no-untyped-def]
        signal.signal(signal.SIGTERM, self._previous)
        if isinstance(exc, ContentError):
            _print_problems(exc.warnings)
            _print_problems(exc.errors)
            _fail(f"{len(exc.errors)} error(s); nothing was written, {self.target} is unchanged",
                  EXIT_CONTENT)
        if isinstance(exc, BuildError):
            _fail(f"error: {exc}; {self.target} is unchanged", EXIT_CONTENT)
        if isinstance(exc, KeyboardInterrupt):
            _fail(f"interrupted; {self.target} is unchanged", EXIT_INTERRUPTED)
        return False


def _raise_interrupt(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def _print_problems(problems: Iterable[SourceError]) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)
