"""The build pipeline: load → validate → compute → plan → render → write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from pathlib import Path

from generator.check import content_warnings
from generator.derive import model_facts
from generator.errors import BuildReport, ContentError, SourceError
from generator.library import Catalog, Traits, comparison_pairs
from generator.linkcheck import LinkReport, check_site
from generator.plan import plan_site
from generator.render import CONTEXTS, Renderer, SiteData
from generator.schema import SiteConfig
from generator.scoring import score_catalog
from generator.sources import load_project
from generator.validate import validate_project
from generator.views import build_views
from generator.write import Output

log = logging.getLogger(__name__)


def load_catalog(source: Path, *, base_url: str | None = None,
                 drafts: bool = False) -> tuple[Catalog, list[SourceError]]:
    """Load and validate the content under ``source``; raise ``ContentError`` on problems."""
    raw = load_project(source)
    catalog, warnings = validate_project(raw, drafts=drafts)
    if base_url is not None:
        catalog = dataclasses.replace(catalog, site=_with_base_url(catalog.site, base_url))
    return catalog, warnings


def prepare(catalog: Catalog) -> SiteData:
    """Compute every derived fact and score, plan every page, build the template views."""
    facts = {slug: model_facts(m) for slug, m in catalog.models.items()}
    scoring = score_catalog(catalog.models, facts, catalog.benchmarks, catalog.site.scoring.weights)
    traits = {slug: Traits.of(m, blended_usd_per_mtok=facts[slug].blended_usd_per_mtok,
                              overall_score=scoring.by_model[slug].overall)
              for slug, m in catalog.models.items()}
    plan = plan_site(catalog, comparison_pairs(catalog, traits))
    views = build_views(catalog, facts, plan)
    return SiteData(plan, views, scoring)


def build(source: Path, out: Path | None = None, *, base_url: str | None = None,
          drafts: bool = False, strict: bool = False, check_links: bool = False) -> BuildReport:
    """Build the site of ``source`` into ``out`` (default ``source/site``).

    Raises ``ContentError`` with every problem found (nothing is written then),
    or ``BuildError`` for problems outside the content. The previous output is
    replaced only once the whole new site has been written, and with
    ``check_links`` only if every internal link of the new site resolves.
    """
    started = time.perf_counter()
    out = out if out is not None else source / "site"
    catalog, data, warnings = analyse(source, base_url=base_url, drafts=drafts, strict=strict)
    renderer = _renderer(catalog, data)
    pages = 0
    with Output(out) as output:
        for page in data.plan.pages:
            output.write(page.output, renderer.render(page))
            pages += page.is_html
        links = _check_links(output, catalog.site.base_url, out) if check_links else None
        output.commit()
    return BuildReport(warnings=tuple(warnings), pages_written=pages,
                       files_written=output.files_written, bytes_written=output.bytes_written,
                       seconds=time.perf_counter() - started, out_dir=str(out),
                       base_path=catalog.site.base_path, links=links)


def _check_links(output: Output, base_url: str, out: Path) -> LinkReport:
    """Check the new site before it replaces the old one; broken links stop the build."""
    assert output.tmp is not None
    report = check_site(output.tmp, base_url, display_root=str(out))
    if report.broken:
        raise ContentError(report.broken)
    return report


def check(source: Path, *, drafts: bool = False, strict: bool = False,
          today: dt.date | None = None) -> BuildReport:
    """Everything ``build`` does except writing, plus the warnings that need ``today``.

    Every page is rendered in memory, so a template that fails on some content
    fails here too. Raises ``ContentError`` or ``BuildError`` as ``build`` does.
    """
    started = time.perf_counter()
    catalog, data, warnings = analyse(source, drafts=drafts, strict=strict, today=today)
    renderer = _renderer(catalog, data)
    for page in data.plan.pages:
        renderer.render(page)
    return BuildReport(warnings=tuple(warnings), seconds=time.perf_counter() - started,
                       base_path=catalog.site.base_path)


def analyse(source: Path, *, base_url: str | None = None, drafts: bool = False,
            strict: bool = False, today: dt.date | None = None,
            ) -> tuple[Catalog, SiteData, list[SourceError]]:
    """Load, validate, compute and plan; collect warnings (errors under ``strict``)."""
    catalog, warnings = load_catalog(source, base_url=base_url, drafts=drafts)
    data = prepare(catalog)
    warnings = sorted(set(warnings + content_warnings(catalog, data.plan, data.views,
                                                      today=today)))
    if strict and warnings:
        raise ContentError([dataclasses.replace(w, severity="error") for w in warnings])
    return catalog, data, warnings


def _renderer(catalog: Catalog, data: SiteData) -> Renderer:
    """A renderer whose templates have all been compiled (syntax errors reported at once)."""
    renderer = Renderer(data, catalog.templates_dir)
    renderer.check_templates({p.template for p in data.plan.pages if p.template and p.kind in CONTEXTS}
                             | {"faq.html", "partials/embeds.html", "partials/verdict.html"})
    return renderer


def _with_base_url(site: SiteConfig, base_url: str) -> SiteConfig:
    import pydantic

    try:
        return SiteConfig.model_validate({**site.model_dump(), "base_url": base_url})
    except pydantic.ValidationError:
        raise ContentError([SourceError("--base-url", 1, 1, f"expected an http(s) URL like "
                                        f"https://user.github.io/repo/, got {base_url!r}")])
