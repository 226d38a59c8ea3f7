"""The content-only path: load → compute → plan → warnings, as ``versus check`` runs it.

It never renders a page and imports nothing of the render and output stages unless the
project has templates of its own to compile, so a check starts and ends quickly.
``build.py`` runs the same functions before it renders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from generator.check import content_warnings, missing_links
from generator.checkmemo import CheckMemo
from generator.compute.memo import Memo
from generator.errors import ContentError, SourceError
from generator.load.catalog import Catalog
from generator.load.memo import ParseMemo
from generator.load.schema import SiteConfig
from generator.load.sources import load_project
from generator.load.validate import validate_project
from generator.output.report import BuildReport
from generator.pages.markup import MarkdownCache
from generator.plan import Plan, plan_site

if TYPE_CHECKING:  # the compute stage is imported when a check needs it (checking_plan)
    from generator.compute.site import Computed


def load_catalog(source: Path, *, base_url: str | None = None, drafts: bool = False,
                 memo: Memo | None = None) -> Catalog:
    """Load and validate the content under ``source``; raise ``ContentError`` on problems."""
    catalog = validate_project(load_project(source, memo.parsed if memo else None), drafts=drafts)
    if base_url is not None:
        catalog = dataclasses.replace(catalog, site=_with_base_url(catalog.site, base_url))
    return catalog


def compute_and_plan(catalog: Catalog, memo: Memo | None = None) -> tuple[Computed, Plan]:
    """The compute and plan stages: every derived fact and score, and every page."""
    from generator.compute.site import compute_catalog

    computed = compute_catalog(catalog, memo)
    return computed, plan_site(catalog, computed.pairs)


def check(source: Path, *, drafts: bool = False, strict: bool = False,
          today: dt.date | None = None, memo: Memo | None = None) -> BuildReport:
    """Every content error and warning, the dated ones too, without rendering a page.

    Load, compute and plan, as a build does; links in editors' Markdown are read
    from the rendered Markdown, and the templates the plan uses are compiled (a
    syntax error shows with its position). Raises ``ContentError`` or
    ``BuildError`` as ``build`` does. ``memo`` (the check memo's, ``checkmemo.py``)
    supplies the files parsed and the quality fit made by the last check.
    """
    started = time.perf_counter()
    catalog, plan, warnings = analyse(source, drafts=drafts, strict=strict, today=today,
                                      memo=memo)
    check_templates(catalog, plan)
    return BuildReport(warnings=tuple(warnings), seconds=time.perf_counter() - started,
                       base_path=catalog.site.base_path)


def analyse(source: Path, *, base_url: str | None = None, drafts: bool = False,
            strict: bool = False, today: dt.date | None = None, memo: Memo | None = None,
            ) -> tuple[Catalog, Plan, list[SourceError]]:
    """Load, validate, compute and plan; collect warnings (errors under ``strict``)."""
    catalog = load_catalog(source, base_url=base_url, drafts=drafts, memo=memo)
    markdown = MarkdownCache()
    plan = checking_plan(catalog, memo, markdown)
    return catalog, plan, warnings_of(catalog, plan, markdown, strict=strict, today=today)


def checking_plan(catalog: Catalog, memo: Memo | None, markdown: MarkdownCache) -> Plan:
    """A plan that gives every check the answer the build's plan gives, computing scores
    and comparison pairs only when an answer depends on them.

    Of the plan, the checks read which pages exist (for links in editors' Markdown) and,
    with templates of the project's own, which templates the pages use. The pairs are
    the plan's only input computed from scores (the quality fit is most of a check after
    a score edit), and they only add pages: every page of ``plan_site(catalog, ())`` is
    in the build's plan too (``tests/test_check.py`` holds it to that). So when
    every link finds its page without the comparisons, and the project has no templates
    to compile, that plan gives the same answers; otherwise the full one is made.
    """
    if catalog.templates_dir is None:
        plan = plan_site(catalog, ())
        if not any(missing_links(catalog, plan, markdown)):
            return plan
    return compute_and_plan(catalog, memo)[1]


REPARSE = 8  # files parsed afresh before the check memo's parses are saved again


def checked(source: Path, store: CheckMemo, *, warm: bool = True, drafts: bool = False,
            strict: bool = False, today: dt.date | None = None,
            finish: Callable[[BuildReport], BuildReport] = lambda report: report,
            memo: Memo | None = None) -> tuple[SourceError, ...]:
    """``check`` (then ``finish``) through the check memo (``checkmemo.py``), warm or
    empty; what it reports and what it parsed and fitted are kept for the next check.

    The parses are saved again only when more than ``REPARSE`` files were parsed
    afresh (or none are kept): the next check parses those few again, which costs
    less than pickling every file's parse after each edit. A new fit is always kept.
    ``memo``, when given, is used instead of the stored parts (a resident checker's,
    ``tools/checkwatch.py``, which keeps it between checks).
    """
    if memo is None:
        memo = stored_memo(store) if warm else memo_of(None, None)
    memo.fits = 0  # count this check's fits only: a fit is kept when this check made it
    try:
        report = finish(check(source, drafts=drafts, strict=strict, today=today, memo=memo))
    except ContentError as exc:
        _keep(store, memo)
        store.save(exc.warnings, exc.errors)
        raise
    _keep(store, memo)
    store.save(report.warnings)
    return report.warnings


def stored_memo(store: CheckMemo) -> Memo:
    """The parses and the fit the check memo kept; the fit is read only when a check
    needs scores."""
    return memo_of(store.part("parsed"), lambda: store.part("quality"))


def memo_of(parsed: object, quality: object) -> Memo:
    """A memo of the parts the check memo kept (``CheckMemo.part``), those that are what
    they should be; ``quality`` may be a function that reads the stored fit, called only
    when a fit is wanted."""
    memo = Memo(parsed=parsed if isinstance(parsed, ParseMemo) else ParseMemo())
    if callable(quality):
        memo.stored_fit = lambda: _fit_or_none(quality())
    else:
        memo.fit = _fit_or_none(quality)
    return memo


def _fit_or_none(quality: object) -> tuple | None:
    return quality if (isinstance(quality, tuple) and len(quality) == 2 and  # (inputs, result)
                       isinstance(quality[1], tuple) and len(quality[1]) == 2) else None


def _keep(store: CheckMemo, memo: Memo) -> None:
    if memo.fits and memo.fit is not None:
        store.keep("quality", memo.fit)
    if memo.parsed.parsed > REPARSE or not store.part_path("parsed").exists():
        store.keep("parsed", memo.parsed)


def warnings_of(catalog: Catalog, plan: Plan, markdown: MarkdownCache, *, strict: bool,
              today: dt.date | None = None) -> list[SourceError]:
    """The content checks' warnings (as errors under ``strict``)."""
    warnings = content_warnings(catalog, plan, markdown, today=today)
    if strict and warnings:
        raise ContentError([dataclasses.replace(w, severity="error") for w in warnings])
    return warnings


def check_templates(catalog: Catalog, plan: Plan) -> None:
    """Compile the project's own templates (``templates/``) that ``plan`` renders with or
    reaches; report syntax errors with positions.

    The built-in theme is part of Versus, compiled and tested with it: compiling it
    again on every check would be most of a check's time.
    """
    if catalog.templates_dir is None:
        return
    from generator.output.fingerprint import TemplateFingerprints
    from generator.render.renderer import EXTRA_TEMPLATES, compile_templates, make_environment

    env = make_environment(catalog.templates_dir)
    used = used_templates(plan)
    reached = TemplateFingerprints(env, lambda: (), extra=EXTRA_TEMPLATES).reachable(used)
    compile_templates(env, {n for n in used | reached if (catalog.templates_dir / n).is_file()})


def used_templates(plan: Plan) -> set[str]:
    """Every template the plan's pages render with, and those their contexts word with."""
    from generator.pages.contexts import CONTEXTS
    from generator.render.renderer import EXTRA_TEMPLATES

    used = {p.template for p in plan.pages if p.template and p.kind in CONTEXTS}
    return used | {name for names in EXTRA_TEMPLATES.values() for name in names}


def _with_base_url(site: SiteConfig, base_url: str) -> SiteConfig:
    import pydantic

    try:
        return SiteConfig.model_validate({**site.model_dump(), "base_url": base_url})
    except pydantic.ValidationError:
        raise ContentError([SourceError("--base-url", 1, 1, f"expected an http(s) URL like "
                                        f"https://user.github.io/repo/, got {base_url!r}")])
