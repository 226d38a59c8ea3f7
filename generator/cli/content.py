"""The commands that write content: schema, init, new, import."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import interruptible, source_option


@click.command(short_help="Write JSON Schemas for editors into schema/.")
@source_option
def schema(source: Path) -> None:
    """Write JSON Schema files for editors into schema/ (completion, inline errors)."""
    from generator.tools.editor_schema import write_schemas
    from generator.load.sources import display_path

    with interruptible(None):
        written = write_schemas(source)
    click.echo("Wrote " + ", ".join(display_path(p) for p in written))


@click.command(short_help="Start a new site repository in DIR.")
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

    with interruptible(None):
        written = scaffold_site.init_site(directory, title=title, base_url=base_url,
                                          pin=scaffold_site.Pin.release(requirement=requirement))
    click.echo(scaffold_site.next_steps(display_path(directory), len(written)))


@click.group(short_help="Create a model or article from a template.")
def new() -> None:
    """Create a content file from a commented template."""


@new.command("model", short_help="Write content/models/<slug>.yaml for a model.")
@click.argument("name")
@source_option
@click.option("--vendor", help="Who makes the model (asked for when left out).")
@click.option("--open-weights/--closed-weights", default=None,
              help="Whether anyone can download the weights (asked for when left out).")
@click.option("--slug", help="The file name without .yaml (default: made from NAME).")
def new_model(name: str, source: Path, vendor: str | None, open_weights: bool | None,
              slug: str | None) -> None:
    """Write content/models/<slug>.yaml for the model NAME, e.g. "Llama 5 8B"."""
    import datetime as dt

    from generator.tools import scaffold

    with interruptible(None):
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
@source_option
@click.option("--slug", help="The file name without .md (default: made from TITLE).")
def new_article(title: str, source: Path, slug: str | None) -> None:
    """Write content/articles/<slug>.md, a draft, for the article TITLE."""
    import datetime as dt

    from generator.tools import scaffold

    with interruptible(None):
        path = scaffold.new_article(source, title, slug=slug, today=dt.date.today())
    _created(path, source)


def _created(path: Path, source: Path) -> None:
    from generator.tools.scaffold import has_schema
    from generator.load.sources import display_path

    click.echo(f"Wrote {display_path(path)}: fill it in, then run versus check "
               "(or keep versus serve open)")
    if not has_schema(source):
        click.echo("Tip: run versus schema once, for completion and inline errors in your editor")


@click.group("import")
def import_() -> None:
    """Import models from open datasets into content/."""


@import_.command("llm-stats")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@source_option
@click.option("--models", "model_ids", default=None, metavar="ID,ID",
              help="Dataset model ids to import, comma-separated (e.g. gpt-5-2025-08-07).")
@click.option("--all", "everything", is_flag=True, help="Import every model of the dataset.")
@click.option("--update", is_flag=True,
              help="Refresh models already in the site: figures whose source is the dataset "
                   "follow it; every other figure is kept.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--ref", default=None,
              help="The dataset commit the source links point at (default: the clone's "
                   "commit, else main).")
def import_llm_stats(path: Path, source: Path, model_ids: str | None, everything: bool,
                     update: bool, dry_run: bool, ref: str | None) -> None:
    """Import models from the LLM Stats dataset (llm-stats.com, CC BY 4.0) at PATH."""
    import datetime as dt

    from generator.tools.llm_stats import import_llm_stats as run_import
    from generator.load.sources import display_path

    if model_ids is not None and everything:
        raise click.UsageError("--models and --all exclude each other")
    ids = [i.strip() for i in model_ids.split(",") if i.strip()] if model_ids else None
    with interruptible(None):
        result = run_import(path, source, model_ids=ids, everything=everything, update=update,
                            dry_run=dry_run, ref=ref, today=dt.date.today())
    for line in result.changes:
        click.echo(line)
    for line in result.summary():
        click.echo(line)
    verb = "Would write" if dry_run else "Wrote"
    written = sorted(display_path(p) for p in result.written)
    click.echo(f"{verb} {len(written)} file(s)" + ("" if dry_run or not written else
                                                    "; run versus check, then versus build"))
