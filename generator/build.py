"""The build pipeline: load → validate → compute → plan → render → write."""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

from generator.derive import model_facts
from generator.errors import BuildReport, ContentError, SourceError
from generator.library import Catalog, Traits, comparison_pairs
from generator.linkcheck import LinkReport, check_site
from generator.plan import Plan, plan_site
from generator.render import CONTEXTS, Renderer, SiteData
from generator.schema import SiteConfig
from generator.scoring import score_catalog
from generator.sources import load_project
from generator.validate import validate_project
from generator.views import Views, build_views
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
    catalog, warnings = load_catalog(source, base_url=base_url, drafts=drafts)
    data = prepare(catalog)
    warnings = sorted(set(warnings + link_warnings(data.views, data.plan)))
    if strict and warnings:
        raise ContentError([dataclasses.replace(w, severity="error") for w in warnings])
    renderer = Renderer(data, catalog.templates_dir)
    renderer.check_templates({p.template for p in data.plan.pages if p.template and p.kind in CONTEXTS}
                             | {"faq.html", "partials/embeds.html", "partials/verdict.html"})
    pages = 0
    with Output(out) as output:
        for page in data.plan.pages:
            output.write(page.output, renderer.render(page))
            pages += page.is_html
        links = _check_links(output, catalog.site.base_url, out) if check_links else None
        output.commit()
    return BuildReport(warnings=tuple(warnings), pages_written=pages,
                       files_written=output.files_written, bytes_written=output.bytes_written,
                       seconds=time.perf_counter() - started, out_dir=str(out), links=links)


def _check_links(output: Output, base_url: str, out: Path) -> LinkReport:
    """Check the new site before it replaces the old one; broken links stop the build."""
    assert output.tmp is not None
    report = check_site(output.tmp, base_url, display_root=str(out))
    if report.broken:
        raise ContentError(report.broken)
    return report


def link_warnings(views: Views, plan: Plan) -> list[SourceError]:
    """Links in articles to pages this site does not have."""
    urls = plan.urls
    warnings = []
    for article in views.articles.values():
        for target in article.internal_links:
            path = target.split("#", 1)[0].split("?", 1)[0].lstrip("/")
            if path in urls or path + "/" in urls or (path.endswith("index.html")
                                                       and path[:-10] in urls):
                continue
            line, col = _find(article.body, target)
            warnings.append(SourceError(article.path, article.body_line + line - 1, col,
                                        f"link to {target} : {_missing_page(path, views)}",
                                        severity="warning"))
    return warnings


def _missing_page(path: str, views: Views) -> str:
    """Why a link has no page; for a pair of known models, how to get its page built."""
    slugs = path.removeprefix("compare/").rstrip("/").split("-vs-")
    if path.startswith("compare/") and len(slugs) == 2 and all(s in views.models for s in slugs):
        return ("this pair has no comparison page (comparisons.per_model leaves it out): add it "
                "to comparisons.include in site.yaml")
    return "this site has no such page"


def _find(text: str, needle: str) -> tuple[int, int]:
    index = text.find(f"({needle}")
    index = text.find(needle) if index < 0 else index + 1
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _with_base_url(site: SiteConfig, base_url: str) -> SiteConfig:
    import pydantic

    try:
        return SiteConfig.model_validate({**site.model_dump(), "base_url": base_url})
    except pydantic.ValidationError:
        raise ContentError([SourceError("--base-url", 1, 1, f"expected an http(s) URL like "
                                        f"https://user.github.io/repo/, got {base_url!r}")])
