"""The ``versus`` command: thin click verbs; the one place errors become exit codes."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NoReturn

import click

from generator import __version__
from generator.errors import BuildError, ContentError, SourceError

if TYPE_CHECKING:
    from generator.linkcheck import LinkReport

EXIT_CONTENT = 1
EXIT_INTERRUPTED = 130


@click.group()
@click.version_option(__version__, prog_name="versus")
def main() -> None:
    """Versus: build AI-model comparison sites from YAML and Markdown."""


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
@click.option("--check-links", is_flag=True,
              help="Check every internal link, asset and #fragment before replacing the site.")
def build(source: Path, out: Path | None, base_url: str | None, drafts: bool, strict: bool,
          check_links: bool) -> None:
    """Build the site into the output folder."""
    from generator.build import build as run_build
    from generator.publish import size_warning

    target = out if out is not None else source / "site"
    with _interruptible(target):
        report = run_build(source, out, base_url=base_url, drafts=drafts, strict=strict,
                           check_links=check_links)
    _print_problems(report.warnings)
    click.echo(f"Built {report.pages_written} pages ({report.files_written} files, "
               f"{report.bytes_written / 1e6:.1f} MB) into {target} in {report.seconds:.2f} s")
    if report.links is not None:
        click.echo(_links_summary(report.links) + " (versus linkcheck lists them)")
    warning = size_warning(report.bytes_written)
    if warning:
        click.echo(f"warning: {warning}", err=True)


@main.command()
@_source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to check (default: <source>/site).")
@click.option("--base-url", default=None,
              help="The URL the site is served at (default: base_url from site.yaml).")
def linkcheck(source: Path, out: Path | None, base_url: str | None) -> None:
    """Check the links of a built site; list its external links without fetching them."""
    from generator.build import load_catalog
    from generator.linkcheck import check_site

    target = out if out is not None else source / "site"
    with _interruptible(target):
        if base_url is None:
            base_url = load_catalog(source)[0].site.base_url
        if not (target / "index.html").is_file():
            raise BuildError(f"{target} holds no built site (no index.html); run versus build")
        report = check_site(target, base_url, display_root=str(target))
    for url, pages in report.external.items():
        click.echo(f"{url}  ({len(pages)} page{'s' if len(pages) != 1 else ''})")
    _print_problems(report.broken)
    click.echo(_links_summary(report))
    if report.broken:
        sys.exit(EXIT_CONTENT)


def _links_summary(report: LinkReport) -> str:
    broken = f"{len(report.broken)} broken" if report.broken else "none broken"
    return (f"Checked {report.checked} internal links in {report.pages} pages: {broken}; "
            f"{len(report.external)} external links not fetched")


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
