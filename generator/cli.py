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
from generator.errors import BuildError, ContentError, SourceError
from generator.output.report import BuildReport

EXIT_CONTENT = 1
EXIT_INTERRUPTED = 130


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="versus")
def main() -> None:
    """Versus: build AI-model comparison sites from YAML and Markdown."""


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


def _source_option(func):  # type: ignore[no-untyped-def]
    return click.option("--source", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="Folder that holds content/ and optionally templates/.")(func)


def _pages_option(func):  # type: ignore[no-untyped-def]
    return click.option("--pages-url", default=None, metavar="URL", help="The address "
                        "GitHub Pages serves the site at (the Pages workflow passes it): the "
                        "base URL, unless site.yaml sets custom_domain.")(func)


def _base(source: Path, base_url: str | None, pages_url: str | None) -> str | None:
    if base_url is not None or not pages_url:  # else the Pages address, unless custom_domain
        return base_url
    from generator.tools.deploy import pages_base_url  # only then: no-op builds stay instant
    return pages_base_url(source, pages_url)


@main.command(short_help="Build the site into site/ (only what changed).")
@_source_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <source>/site).")
@click.option("--base-url", default=None, help="Override site.yaml's base_url (preview deploys).")
@_pages_option
@click.option("--drafts", is_flag=True, help="Also build articles marked draft: true.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--check-links", is_flag=True,
              help="Check every internal link, asset and #fragment before replacing the site "
                   "(the new site is then written whole, beside the old one).")
@click.option("--clean", "--no-cache", "clean", is_flag=True,
              help="Ignore the build cache: render every page and check every file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that render pages (default: one per core).")
def build(source: Path, out: Path | None, base_url: str | None, pages_url: str | None,
          drafts: bool, strict: bool, check_links: bool, clean: bool, jobs: int | None) -> None:
    """Build the site into the output folder (only what changed, after the first build)."""
    from generator.options import BuildOptions

    started = time.perf_counter()
    base_url = _base(source, base_url, pages_url)
    options = BuildOptions.of(source, out, base_url=base_url, drafts=drafts, strict=strict,
                              check_links=check_links, cache=not clean, workers=jobs)
    target = options.out
    with _interruptible(target):
        # Checked before the pipeline is even imported: a no-op build stays instant. The
        # fingerprint is taken once, here, and handed to the build.
        from generator.output.cache import source_fingerprint, up_to_date

        stamp = source_fingerprint(options)
        report = None if clean or check_links else up_to_date(options, stamp=stamp,
                                                                started=started)
        if report is None:
            from generator.build import run as run_build
            from generator.output.progress import StreamProgress

            progress = StreamProgress(sys.stderr, tty=sys.stderr.isatty())
            report = run_build(options, progress=progress, stamp=stamp)
    _print_problems(report.warnings, annotate=False)  # versus check annotates them in CI
    click.echo(f"Built {report.pages_written} pages ({report.files_written} files, "
               f"{report.bytes_written / 1e6:.1f} MB) into {target} in {report.seconds:.2f} s"
               f"{_changes(report)}")
    if report.links is not None:
        click.echo(report.links.summary() + " (versus linkcheck lists them)")
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


@main.command(short_help="Check the links of a built site.")
@_source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to check (default: <source>/site).")
@click.option("--base-url", default=None,
              help="The URL the site is served at (default: base_url from site.yaml).")
@_pages_option
def linkcheck(source: Path, out: Path | None, base_url: str | None,
              pages_url: str | None) -> None:
    """Check the links of a built site; list its external links without fetching them."""
    from generator.build import load_catalog
    from generator.options import output_folder
    from generator.output.linkcheck import check_site

    target = output_folder(source, out)
    base_url = _base(source, base_url, pages_url)
    with _interruptible(target):
        if base_url is None:
            base_url = load_catalog(source).site.base_url
        if not (target / "index.html").is_file():
            raise BuildError(f"{target} holds no built site (no index.html); run versus build")
        report = check_site(target, base_url, display_root=str(target))
    for url, pages in report.external.items():
        click.echo(f"{url}  ({len(pages)} page{'s' if len(pages) != 1 else ''})")
    _print_problems(report.broken)
    click.echo(report.summary())
    if report.broken:
        sys.exit(EXIT_CONTENT)


@main.command(short_help="Check the content; write nothing.")
@_source_option
@click.option("--drafts", is_flag=True, help="Also check articles marked draft: true.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--base-url", default=None,
              help="The URL the site will be served at (default: base_url from site.yaml).")
@_pages_option
def check(source: Path, drafts: bool, strict: bool, base_url: str | None,
          pages_url: str | None) -> None:
    """Check every content file without writing anything; exit 1 on errors."""
    import datetime as dt

    from generator.build import check as run_check
    from generator.load.sources import display_path
    from generator.tools.deploy import with_base_url_warning

    with _interruptible(None):
        # The one place a date reaches the checks: warnings about stale prices and scores.
        report = run_check(source, drafts=drafts, strict=strict, today=dt.date.today())
        report = with_base_url_warning(report, source, _base(source, base_url, pages_url),
                                       strict=strict)
    _print_problems(report.warnings, summary="Warnings (they do not stop a deploy)")
    count = f"{len(report.warnings)} warning(s)" if report.warnings else "no warnings"
    click.echo(f"{display_path(source / 'content')}: no errors, {count}")


@main.command(short_help="Preview the site; reload on every save.")
@_source_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to your whole network.")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show articles marked draft: true.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option("--site", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Serve this built site as it is, without building (e.g. a pull request's "
                   "site-preview artifact, unzipped).")
def serve(source: Path, port: int, host: str, drafts: bool, open_browser: bool,
          site: Path | None) -> None:
    """Preview the site: rebuild on every save and reload open browser tabs."""
    from generator.tools.preview import Preview
    from generator.tools.serve import BuiltSite

    with _interruptible(None):
        try:
            preview = BuiltSite(site, host=host, port=port) if site else Preview(
                source, host=host, port=port, drafts=drafts, echo=click.echo)
        except OSError as exc:
            raise BuildError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                             "try another --port") from None
        with preview:
            click.echo(f"Serving {preview.url} " + (f"({site}, as built)" if site else (
                f"(drafts {'shown' if drafts else 'hidden'}); saving a file in content/ or "
                "templates/ rebuilds it")) + ". Ctrl-C to stop.")
            if host not in ("127.0.0.1", "localhost", "::1"):
                click.echo(f"Note: listening on {host}: other machines can see this preview.")
            if open_browser:
                import webbrowser

                webbrowser.open(preview.url)
            try:
                preview.wait()
            except KeyboardInterrupt:  # the normal way to stop
                click.echo("Stopped.")


@main.command(short_help="Write JSON Schemas for editors into schema/.")
@_source_option
def schema(source: Path) -> None:
    """Write JSON Schema files for editors into schema/ (completion, inline errors)."""
    from generator.tools.editor_schema import write_schemas
    from generator.load.sources import display_path

    with _interruptible(None):
        written = write_schemas(source)
    click.echo("Wrote " + ", ".join(display_path(p) for p in written))


@main.command(short_help="Start a new site repository in DIR.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="AI Model Comparisons", show_default=True,
              help="The site's title (content/site.yaml).")
@click.option("--base-url", default="https://example.github.io/my-models/", metavar="URL",
              help="Where the site will be served, for local builds (the Pages workflow "
                   "uses GitHub Pages' address).")
@click.option("--versus", "requirement", default=None, metavar="REQUIREMENT",
              help="What the site's workflow installs, as a pip requirement.  [default: "
                   "this release of Versus, as a tagged git URL]")
def init(directory: Path, title: str, base_url: str, requirement: str | None) -> None:
    """Create a site repository in DIRECTORY (new or empty): content/ with two starter
    models and an article, the Pages workflow, editor settings and a README. Asks nothing."""
    from generator.load.sources import display_path
    from generator.tools import init as scaffold_site

    with _interruptible(None):
        written = scaffold_site.init_site(directory, title=title, base_url=base_url,
                                          pin=scaffold_site.Pin.release(requirement=requirement))
    click.echo(scaffold_site.next_steps(display_path(directory), len(written)))


@main.command(short_help="Show what a change does to the built site.")
@click.argument("before", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.argument("after", required=False, type=click.Path(file_okay=False, path_type=Path))
@_source_option
@click.option("--against", metavar="REF",
              help="Compare the current content with the content at this git ref "
                   "(both are built in a temporary folder).")
@click.option("--site", "site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --against: the current build to compare (default: build it).")
def diff(before: Path | None, after: Path | None, source: Path, against: str | None,
         site: Path | None) -> None:
    """Compare two built folders BEFORE and AFTER, or the content with --against a git ref
    (such as origin/main): pages, models, scores, ranks, figures, new warnings."""
    import datetime as dt

    from generator.tools import diff as site_diff

    if (against is None) != (before is not None) or (before is None) != (after is None):
        raise click.UsageError("give two built folders (BEFORE AFTER) or --against REF")
    with _interruptible(None):
        text = site_diff.report(source, before=before, after=after, against=against, site=site,
                                today=dt.date.today())
    click.echo(text)


@main.group(short_help="Create a model or article from a template.")
def new() -> None:
    """Create a content file from a commented template."""


@new.command("model", short_help="Write content/models/<slug>.yaml for a model.")
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
            try:
                if vendor is None:
                    vendor = click.prompt("Vendor (who makes it)", default=guess.vendor)
                if open_weights is None:
                    open_weights = click.confirm("Can anyone download the weights?",
                                                 default=bool(guess.open_weights))
            except click.Abort:  # input ended: a script or CI job; name the flags instead
                if sys.stdin.isatty():
                    raise
                click.echo("", err=True)
                raise click.UsageError(scaffold.no_terminal(vendor, open_weights, guess))
        path = scaffold.new_model(source, name, vendor=vendor, open_weights=open_weights,
                                  slug=slug, today=dt.date.today())
    _created(path, source)


@new.command("article", short_help="Write content/articles/<slug>.md, a draft.")
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

    def __exit__(self, kind, exc, tb) -> bool:  # type: ignore[no-untyped-def]
        signal.signal(signal.SIGTERM, self._previous)
        unchanged = f"; {self.target} is unchanged" if self.target is not None else ""
        if isinstance(exc, ContentError):
            _print_problems(sorted(exc.warnings + exc.errors), summary="Content errors")
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


def _print_problems(problems: Iterable[SourceError], *, summary: str | None = None,
                    annotate: bool = True) -> None:
    """Each problem for people on stderr; on GitHub Actions also as an annotation (and,
    with a ``summary`` heading, in the job summary)."""
    problems = list(problems)
    annotate = annotate and os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(problem.format(), err=True)
        if annotate:  # workflow commands are read from stdout
            click.echo(problem.annotation())
    if summary is not None:
        from generator.tools.deploy import write_job_summary

        write_job_summary(summary, problems)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)
