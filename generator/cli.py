"""The ``versus`` command: thin click verbs; the one place errors become exit codes."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NoReturn

import click

from generator import __version__
from generator.errors import BuildError, ContentError, SourceError, printable
from generator.output.report import BuildReport

if TYPE_CHECKING:
    from generator.output.linkcheck import LinkReport

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
@click.option("--check-links", is_flag=True,
              help="Check every internal link, asset and #fragment before replacing the site "
                   "(the new site is then written whole, beside the old one).")
@click.option("--clean", "--no-cache", "clean", is_flag=True,
              help="Ignore the build cache: render every page and check every file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that render pages (default: one per core).")
def build(source: Path, out: Path | None, base_url: str | None, drafts: bool, strict: bool,
          check_links: bool, clean: bool, jobs: int | None) -> None:
    """Build the site into the output folder (only what changed, after the first build)."""
    started = time.perf_counter()
    target = out if out is not None else source / "site"
    with _interruptible(target):
        # Checked before the pipeline is even imported: a no-op build stays instant.
        from generator.output.cache import up_to_date

        report = None if clean or check_links else up_to_date(
            source, out, base_url=base_url, drafts=drafts, strict=strict, started=started)
        if report is None:
            from generator.build import build as run_build
            from generator.output.progress import StreamProgress

            progress = StreamProgress(sys.stderr, tty=sys.stderr.isatty())
            report = run_build(source, out, base_url=base_url, drafts=drafts, strict=strict,
                               check_links=check_links, cache=not clean, workers=jobs,
                               progress=progress)
    _print_problems(report.warnings)
    click.echo(f"Built {report.pages_written} pages ({report.files_written} files, "
               f"{report.bytes_written / 1e6:.1f} MB) into {target} in {report.seconds:.2f} s"
               f"{_changes(report)}")
    if report.links is not None:
        click.echo(_links_summary(report.links) + " (versus linkcheck lists them)")
    from generator.pages.publish import size_warning

    warning = size_warning(report.bytes_written)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _changes(report: BuildReport) -> str:
    """What a build did to an existing site, after the summary."""
    if report.up_to_date:
        return ": nothing changed"
    if not report.in_place:
        return ""
    return (f": {report.pages_rendered} pages rendered, {report.files_updated} files written, "
            f"{report.files_removed} removed")


@main.command()
@_source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to check (default: <source>/site).")
@click.option("--base-url", default=None,
              help="The URL the site is served at (default: base_url from site.yaml).")
def linkcheck(source: Path, out: Path | None, base_url: str | None) -> None:
    """Check the links of a built site; list its external links without fetching them."""
    from generator.build import load_catalog
    from generator.output.linkcheck import check_site

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


@main.command()
@_source_option
@click.option("--drafts", is_flag=True, help="Also check articles marked draft: true.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(source: Path, drafts: bool, strict: bool) -> None:
    """Check every content file without writing anything; exit 1 on errors."""
    import datetime as dt

    from generator.build import check as run_check
    from generator.load.sources import display_path

    with _interruptible(None):
        # The one place a date reaches the checks: warnings about stale prices and scores.
        report = run_check(source, drafts=drafts, strict=strict, today=dt.date.today())
    _print_problems(report.warnings)
    count = f"{len(report.warnings)} warning(s)" if report.warnings else "no warnings"
    click.echo(f"{display_path(source / 'content')}: no errors, {count}")


@main.command()
@_source_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to your whole network.")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show articles marked draft: true.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve(source: Path, port: int, host: str, drafts: bool, open_browser: bool) -> None:
    """Preview the site: rebuild on every save and reload open browser tabs."""
    from generator.tools.preview import Preview

    with _interruptible(None):
        try:
            preview = Preview(source, host=host, port=port, drafts=drafts, echo=click.echo)
        except OSError as exc:
            raise BuildError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                             "try another --port") from None
        with preview:
            click.echo(f"Serving {preview.url} (drafts {'shown' if drafts else 'hidden'}); "
                       "saving a file in content/ or templates/ rebuilds it. Ctrl-C to stop.")
            if host not in ("127.0.0.1", "localhost", "::1"):
                click.echo(f"Note: listening on {host}: other machines can see this preview.")
            if open_browser:
                import webbrowser

                webbrowser.open(preview.url)
            try:
                preview.wait()
            except KeyboardInterrupt:  # the normal way to stop
                click.echo("Stopped.")


@main.command()
@_source_option
def schema(source: Path) -> None:
    """Write JSON Schema files for editors into schema/ (completion, inline errors)."""
    from generator.tools.editor_schema import write_schemas
    from generator.load.sources import display_path

    with _interruptible(None):
        written = write_schemas(source)
    click.echo("Wrote " + ", ".join(display_path(p) for p in written))


@main.group()
def new() -> None:
    """Create a content file from a commented template."""


@new.command("model")
@click.argument("name")
@_source_option
@click.option("--vendor", help="Who makes the model (asked for when left out).")
@click.option("--open-weights/--closed-weights", default=None,
              help="Whether anyone can download the weights (asked for when left out).")
@click.option("--slug", help="The file name without .yaml (default: made from NAME).")
def new_model(name: str, source: Path, vendor: str | None, open_weights: bool | None,
              slug: str | None) -> None:
    """Write content/models/<slug>.yaml for the model NAME, e.g. "Llama 5 8B"."""
    import datetime as dt

    from generator.tools import scaffold

    with _interruptible(None):
        if vendor is None or open_weights is None:  # ask, suggesting what its line says
            guess = scaffold.guess(source, name)
            if vendor is None:
                vendor = click.prompt("Vendor (who makes it)", default=guess.vendor)
            if open_weights is None:
                open_weights = click.confirm("Can anyone download the weights?",
                                             default=bool(guess.open_weights))
        path = scaffold.new_model(source, name, vendor=vendor, open_weights=open_weights,
                                  slug=slug, today=dt.date.today())
    _created(path, source)


@new.command("article")
@click.argument("title")
@_source_option
@click.option("--slug", help="The file name without .md (default: made from TITLE).")
def new_article(title: str, source: Path, slug: str | None) -> None:
    """Write content/articles/<slug>.md, a draft, for the article TITLE."""
    import datetime as dt

    from generator.tools import scaffold

    with _interruptible(None):
        path = scaffold.new_article(source, title, slug=slug, today=dt.date.today())
    _created(path, source)


def _created(path: Path, source: Path) -> None:
    from generator.tools.scaffold import has_schema
    from generator.load.sources import display_path

    click.echo(f"Wrote {display_path(path)}: fill it in, then run versus check "
               "(or keep versus serve open)")
    if not has_schema(source):
        click.echo("Tip: run versus schema once, for completion and inline errors in your editor")


class _interruptible:
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

            state = commit_state(self.target)
            if state == "done":
                unchanged = f"; {self.target} holds the new site, complete"
            elif state == "started":
                unchanged = (f"; {self.target} may hold old and new files: run versus build "
                             "again to finish it")
        if isinstance(exc, OSError):  # the disk, not the content: one line, no traceback
            name = os.fsdecode(exc.filename) if exc.filename is not None else None
            if self.target is None:
                _fail(f"error: {name or '.'}: {exc.strerror or exc}", EXIT_CONTENT)
            folder = os.path.dirname(os.path.abspath(name)) if name else str(self.target)
            _fail(f"error: cannot write to {folder} ({exc.strerror or exc}){unchanged}",
                  EXIT_CONTENT)
        if isinstance(exc, ContentError):
            _print_problems(sorted(exc.warnings + exc.errors))
            written = (f"; nothing was written, {self.target} is unchanged"
                       if self.target is not None else "")
            _fail(f"{len(exc.errors)} error(s){written}", EXIT_CONTENT)
        if isinstance(exc, BuildError):
            _fail(f"error: {exc}{unchanged}", EXIT_CONTENT)
        if isinstance(exc, KeyboardInterrupt):
            _fail(f"interrupted{unchanged}", EXIT_INTERRUPTED)
        return False


def _raise_interrupt(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def _print_problems(problems: Iterable[SourceError]) -> None:
    """Each problem for people on stderr; on GitHub Actions also as an annotation."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(problem.format(), err=True)
        if annotate:  # workflow commands are read from stdout
            click.echo(problem.annotation())


def _fail(message: str, code: int) -> NoReturn:
    click.echo(printable(message), err=True)
    sys.exit(code)
