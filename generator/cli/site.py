"""The commands about building and looking at a site: build, check, linkcheck, serve, diff."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import (EXIT_CONTENT, base_url_for, interruptible, pages_option,
                                  print_problems, source_option)
from generator.errors import BuildError, SourceError

if TYPE_CHECKING:
    import datetime as dt

    from generator.checkmemo import CheckMemo
    from generator.compute.memo import Memo
    from generator.output.report import BuildReport


@click.command(short_help="Build the site into site/ (only what changed).")
@source_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <source>/site).")
@click.option("--base-url", default=None, help="Override site.yaml's base_url (preview deploys).")
@pages_option
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
    base_url = base_url_for(source, base_url, pages_url)
    options = BuildOptions.of(source, out, base_url=base_url, drafts=drafts, strict=strict,
                              check_links=check_links, cache=not clean, workers=jobs)
    target = options.out
    with interruptible(target):
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
            report = run_build(options, progress=progress, stamp=stamp,
                               memo=None if clean else _kept_by_check(source))
    print_problems(report.warnings, annotate=False)  # versus check annotates them in CI
    click.echo(f"Built {report.pages_written} pages ({report.files_written} files, "
               f"{report.bytes_written / 1e6:.1f} MB) into {target} in {report.seconds:.2f} s"
               f"{_changes(report)}")
    if report.links is not None:
        click.echo(report.links.summary() + " (versus linkcheck lists them)")
    from generator.pages.publish import size_warning

    warning = size_warning(report.bytes_written)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _kept_by_check(source: Path) -> Memo | None:
    """What the last ``versus check`` parsed and fitted (``checkmemo.py``), if it kept
    anything: the build parses only the files changed since and refits only if a score
    did. A ``--clean`` build reads none of it."""
    from generator.analyse import memo_of
    from generator.checkmemo import CheckMemo

    store = CheckMemo(source)
    parsed, quality = store.part("parsed"), store.part("quality")
    return None if parsed is None and quality is None else memo_of(parsed, quality)


def _changes(report: BuildReport) -> str:
    """What a build did to an existing site, after the summary."""
    if report.up_to_date:
        return ": nothing changed"
    if not report.in_place:
        return ""
    return (f": {report.pages_rendered} pages rendered, {report.files_updated} files written, "
            f"{report.files_removed} removed")


@click.command(short_help="Check the links of a built site.")
@source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to check (default: <source>/site).")
@click.option("--base-url", default=None,
              help="The URL the site is served at (default: base_url from site.yaml).")
@pages_option
def linkcheck(source: Path, out: Path | None, base_url: str | None,
              pages_url: str | None) -> None:
    """Check the links of a built site; list its external links without fetching them."""
    from generator.analyse import load_catalog
    from generator.options import output_folder
    from generator.output.linkcheck import check_site

    target = output_folder(source, out)
    base_url = base_url_for(source, base_url, pages_url)
    with interruptible(target):
        if base_url is None:
            base_url = load_catalog(source).site.base_url
        if not (target / "index.html").is_file():
            raise BuildError(f"{target} holds no built site (no index.html); run versus build")
        report = check_site(target, base_url, display_root=str(target))
    for url, pages in report.external.items():
        click.echo(f"{url}  ({len(pages)} page{'s' if len(pages) != 1 else ''})")
    print_problems(report.broken)
    click.echo(report.summary())
    if report.broken:
        sys.exit(EXIT_CONTENT)


@click.command(short_help="Check the content; write no site.")
@source_option
@click.option("--drafts", is_flag=True, help="Also check articles marked draft: true.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--base-url", default=None,
              help="The URL the site will be served at (default: base_url from site.yaml).")
@pages_option
@click.option("--clean", "--no-cache", "clean", is_flag=True,
              help="Ignore the check memo (.versus-cache/.check): check every file afresh.")
@click.option("--watch", is_flag=True,
              help="Stay running: check again on every save in content/ or templates/ "
                   "(only the changed files are read again). Ctrl-C to stop.")
def check(source: Path, drafts: bool, strict: bool, base_url: str | None,
          pages_url: str | None, clean: bool, watch: bool) -> None:
    """Check every content file without writing anything; exit 1 on errors."""
    import datetime as dt

    from generator.checkmemo import CheckMemo
    from generator.errors import display_path

    if watch:
        return _check_watch(source, drafts=drafts, strict=strict, clean=clean,
                            base_url=base_url_for(source, base_url, pages_url))
    with interruptible(None):
        # The one place a date reaches the checks: warnings about stale prices and scores.
        today = dt.date.today()
        base_url = base_url_for(source, base_url, pages_url)
        # Nothing changed since the last check: its problems again, before importing the
        # pipeline (checkmemo.py).
        store = CheckMemo.of_check(source, drafts=drafts, strict=strict, base_url=base_url,
                                   today=today)
        warnings = None if clean else store.replay()
        if warnings is None:
            warnings = _check_afresh(source, store, warm=not clean, drafts=drafts,
                                     strict=strict, base_url=base_url, today=today)
    print_problems(warnings, summary="Warnings (they do not stop a deploy)")
    count = f"{len(warnings)} warning(s)" if warnings else "no warnings"
    click.echo(f"{display_path(source / 'content')}: no errors, {count}")


def _check_afresh(source: Path, store: CheckMemo, *, warm: bool, drafts: bool, strict: bool,
                  base_url: str | None, today: dt.date) -> tuple[SourceError, ...]:
    """Check through the memo the last check kept (``warm``) or an empty one."""
    from generator.analyse import checked
    from generator.tools.deploy import with_base_url_warning

    return checked(source, store, warm=warm, drafts=drafts, strict=strict, today=today,
                   finish=lambda report: with_base_url_warning(report, source, base_url,
                                                               strict=strict))


def _check_watch(source: Path, *, drafts: bool, strict: bool, clean: bool,
                 base_url: str | None) -> None:
    """``versus check --watch``: check, then again after every save, until Ctrl-C."""
    from generator.errors import display_path
    from generator.tools.checkwatch import CheckWatch
    from generator.tools.deploy import with_base_url_warning

    with interruptible(None):
        if not (source / "content").is_dir():
            raise BuildError(f"no content/ folder in {display_path(source)} (use --source DIR)")
        click.echo("Watching content/ and templates/: every save is checked again. "
                   "Ctrl-C to stop.")
        watcher = CheckWatch(
            source, drafts=drafts, strict=strict, base_url=base_url, clean=clean,
            show=lambda problems: print_problems(problems, annotate=False),
            echo=lambda message, err=False: click.echo(message, err=err),
            finish=lambda report: with_base_url_warning(report, source, base_url,
                                                        strict=strict))
        with watcher:
            try:
                watcher.wait()
            except KeyboardInterrupt:  # the normal way to stop
                click.echo("Stopped.")


@click.command(short_help="Preview the site; reload on every save.")
@source_option
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

    with interruptible(None):
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


@click.command(short_help="Show what a change does to the built site.")
@click.argument("before", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.argument("after", required=False, type=click.Path(file_okay=False, path_type=Path))
@source_option
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
    with interruptible(None):
        text = site_diff.report(source, before=before, after=after, against=against, site=site,
                                today=dt.date.today())
    click.echo(text)
