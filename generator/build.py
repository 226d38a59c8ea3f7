"""The build pipeline: load → validate → compute → plan → render → write."""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from generator.analyse import compute_and_plan, load_catalog, used_templates, warnings_of
from generator.compute.memo import Memo
from generator.errors import ContentError
from generator.load.catalog import Catalog
from generator.options import BuildOptions
from generator.output.cache import BuildCache, PageRecord, Previous, source_fingerprint, up_to_date
from generator.output.fingerprint import Fingerprints, TemplateFingerprints, page_keys
from generator.output.linkcheck import LinkReport, check_site
from generator.output.parallel import (Job, default_workers, in_background, in_processes,
                                       render_pages)
from generator.output.progress import Progress, Silent
from generator.output.report import BuildReport
from generator.output.write import MARKER, Output
from generator.pages.data import SiteData
from generator.pages.markup import MarkdownCache, rendered_entry
from generator.pages.views import build_views, markdown_texts
from generator.plan import Page
from generator.render.bytecode import compile_all
from generator.render.renderer import (EXTRA_TEMPLATES, Renderer, compile_templates,
                                      make_environment, static_files)

log = logging.getLogger(__name__)


def prepare(catalog: Catalog, markdown: MarkdownCache | None = None, *,
            before_views: Callable[[], object] | None = None, memo: Memo | None = None,
            ) -> SiteData:
    """Compute every derived fact and score, plan every page, build the template views.

    ``before_views`` runs just before the views are built (the build collects there
    the Markdown it had rendered in parallel meanwhile).
    """
    computed, plan = compute_and_plan(catalog, memo)
    if before_views is not None:
        before_views()
    markdown = markdown if markdown is not None else MarkdownCache()
    views = build_views(catalog, computed.facts, plan, computed.traits, markdown)
    return SiteData(plan, views, computed.scoring)


def build(source: Path, out: Path | None = None, *, progress: Progress | None = None,
          stamp: str | None = None, memo: Memo | None = None, **settings: Any) -> BuildReport:
    """Build the site of ``source`` into ``out`` (default ``source/site``).

    ``settings`` are the other ``BuildOptions``. Raises ``ContentError`` with every
    problem found (nothing is written then), or ``BuildError`` for problems outside
    the content. The previous output is replaced, or updated, only once every page
    has rendered, and with ``check_links`` only if every internal link of the new
    site resolves (the new site is then written whole beside the old one, so the
    check sees it all).

    With ``cache`` (the default), a build whose inputs are unchanged does nothing,
    and otherwise renders only the pages whose cache key changed and writes only
    the files whose bytes changed (``output/cache.py``); without it, every page is
    rendered and the site replaced, and a fresh cache is saved. ``check_cache``
    renders every page anyway and fails if a page the cache would have kept came
    out different: a test of the cache keys, not for everyday builds. ``stamp`` is
    the source fingerprint, when the caller has taken it already.
    """
    return run(BuildOptions.of(source, out, **settings), progress=progress, stamp=stamp,
               memo=memo)


def run(options: BuildOptions, *, progress: Progress | None = None,
        stamp: str | None = None, memo: Memo | None = None) -> BuildReport:
    """``build`` with its options chosen: the fingerprint is taken once, here or by the caller.

    ``memo`` is a running preview's memory of its last build (``compute/memo.py``): files
    and the quality fit it holds are not parsed or fitted again. The pages are the same.
    """
    started = time.perf_counter()
    if stamp is None:
        stamp = source_fingerprint(options)
    if options.cache and not options.check_cache and not options.check_links:
        report = up_to_date(options, started=started, stamp=stamp)
        if report is not None:
            return report
    with _Collector() as collector:
        return _build(options, stamp, progress or Silent(), started, collector, memo)


def _build(options: BuildOptions, stamp: str, progress: Progress, started: float,
           collector: "_Collector", memo: Memo | None = None) -> BuildReport:
    """The pipeline proper, once the site is known not to be up to date.

    ``stamp`` is the fingerprint of what the build reads, taken before reading it.
    """
    lap = _Laps()
    workers = options.workers or default_workers()
    store = BuildCache(options.out)
    if not options.cache:
        store.clear()  # --clean: nothing of an earlier cache is read, now or later
    markdown = MarkdownCache(store.markdown() if options.cache else [])
    lap("fingerprint")
    catalog = load_catalog(options.source, base_url=options.base_url, drafts=options.drafts,
                           memo=memo)
    lap("load")
    # Editors' Markdown is a large part of preparing a big catalogue: what the cache does
    # not hold renders in other processes while this one scores and plans; another
    # compiles the templates meanwhile, unless the cache holds them compiled already.
    pending = markdown.unknown(markdown_texts(catalog))
    bytecode_dir = store.dir / "templates" if options.cache else None
    # Forked first, and only from the main thread: a fork while other threads run (a
    # preview's server, a pool's handlers) could copy a lock one of them holds.
    precompile = (options.precompile and workers > 1 and not _has_files(bytecode_dir)
                  and threading.current_thread() is threading.main_thread())
    with in_background(compile_all, functools.partial(make_environment, catalog.templates_dir),
                       workers=workers if precompile else 1, fallback={}) as compiled, \
            in_processes(rendered_entry, pending, workers=workers) as rendered:
        data = prepare(catalog, markdown, before_views=lambda: markdown.learn(rendered()),
                       memo=memo)
        lap("prepare")
        warnings = warnings_of(catalog, data.plan, markdown, strict=options.strict)
        renderer, templates = _renderer(catalog, data, bytecode_dir=bytecode_dir,
                                        compiled=compiled())
    lap("templates")
    with Output(options.out) as output:
        # With the cache, render what changed; without it, render everything, and still
        # update an existing site in place (comparing with its files) rather than
        # replace it: recreating and deleting a hundred thousand folders costs more.
        # A link check needs the whole new site on disk before it replaces the old one.
        previous = store.previous() if options.cache and not options.check_links else None
        in_place = not options.check_links and (previous is not None or output.holds_site())
        output.start(update=in_place)
        table, rendered_count = _write_pages(data, renderer, templates, output, previous,
                                             check=options.check_cache, workers=workers,
                                             progress=progress, lap=lap, collector=collector)
        marker = output.mark(site_identity(table))
        report = BuildReport(
            warnings=tuple(warnings), pages_written=sum(p.is_html for p in data.plan.pages),
            files_written=len(table) + 1,
            bytes_written=sum(record[2] for record in table.values()) + len(marker),
            out_dir=str(options.out), pages_rendered=rendered_count,
            files_updated=output.files_written, files_removed=output.files_removed,
            incremental=previous is not None, in_place=in_place,
            base_path=catalog.site.base_path,
            links=(_check_links(output, catalog.site.base_url, options.out)
                   if options.check_links else None))
        if in_place:
            store.invalidate()  # the output is about to change in place
        output.commit()
        lap("commit")
        _save_cache(store, stamp, table, report, markdown)
        lap("save cache")
    return dataclasses.replace(report, seconds=time.perf_counter() - started)


def _write_pages(data: SiteData, renderer: Renderer, templates: TemplateFingerprints,
                 output: Output, previous: Previous | None, *, workers: int,
                 progress: Progress, check: bool, lap: "_Laps",
                 collector: "_Collector") -> tuple[dict[str, PageRecord], int]:
    """Render the pages whose cache key changed and write the files whose bytes changed.

    Returns the new page table (output path -> key, digest, size) and how many
    pages were rendered; files of pages that no longer exist are removed.
    """
    pages = data.plan.pages
    inputs = Fingerprints(data)
    keys: list[bytes] = []

    def key_pages() -> None:
        keys.extend(page_keys(pages, inputs, templates))
        lap("keys")

    old = previous.pages if previous is not None else {}
    if previous is None:  # every page renders: the keys, for the next build, meanwhile
        todo, expected, meanwhile = list(range(len(pages))), {}, key_pages
    else:
        key_pages()
        todo, expected = _changed(pages, keys, old, check=check)
        meanwhile = None
    collector.freeze()
    compare_files = previous is None and output.update
    job = Job(pages, renderer, output, old, expected, compare_files)
    rendered: dict[int, tuple[bytes, int]] = {}
    for index, sha, size, written in render_pages(job, todo, workers=workers, progress=progress,
                                                  meanwhile=meanwhile):
        rendered[index] = (sha, size)
        if written:
            output.record(pages[index].output, size)
    lap("render")
    table = {page.output: (keys[i], *rendered[i]) if i in rendered else old[page.output]
             for i, page in enumerate(pages)}
    if compare_files:  # what the site holds beyond the plan goes, whatever put it there
        old = dict.fromkeys(output.existing_files())
        old.pop(MARKER, None)  # rewritten by Output.mark
    for path in sorted(old.keys() - table.keys()):
        output.remove(path)
    return table, len(todo) - len(expected)


def _has_files(folder: Path | None) -> bool:
    """Whether ``folder`` exists and holds anything (the compiled templates' cache)."""
    try:
        return folder is not None and any(folder.iterdir())
    except OSError:
        return False


def site_identity(table: dict[str, PageRecord]) -> str:
    """A digest of every file of a site (path and content), for its marker."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(table):
        h.update(path.encode() + b"\x1f" + table[path][1])
    return h.hexdigest()


def _changed(pages: tuple[Page, ...], keys: list[bytes], old: dict[str, PageRecord], *,
             check: bool) -> tuple[list[int], dict[int, bytes]]:
    """The pages to render: those whose key changed (and, to ``check``, all the others,
    with the digest their bytes must keep)."""
    todo, expected = [], {}
    for index, (page, key) in enumerate(zip(pages, keys)):
        record = old.get(page.output)
        if record is None or record[0] != key:
            todo.append(index)
        elif check:
            todo.append(index)
            expected[index] = record[1]
    return todo, expected


def _save_cache(store: BuildCache, stamp: str, table: dict[str, PageRecord],
                report: BuildReport, markdown: MarkdownCache) -> None:
    """Record this build for the next one; a cache that cannot be saved is no failure."""
    try:
        store.save(stamp, table, report)
        store.save_markdown(markdown.entries())
    except OSError as exc:
        log.warning("could not save the build cache in %s (%s); the next build renders "
                    "every page", store.dir, exc)
        store.invalidate()


class _Collector:
    """Keeps Python's cycle collector from scanning the catalogue over and over.

    A big site is millions of long-lived objects (pages, views, keys) without
    cycles among them. Collecting while they are made rescans them again and
    again (a third of the planning time at 90,000 pages), and a forked worker
    would copy every memory page the collector touches. So the collector is off
    while they are made, and ``freeze`` hides them from it while pages render
    (it runs again then, for whatever rendering leaves behind).
    """

    def __enter__(self) -> "_Collector":
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def freeze(self) -> None:
        gc.freeze()
        if self.enabled:
            gc.enable()

    def __exit__(self, *exc: object) -> None:
        gc.unfreeze()
        if self.enabled:
            gc.enable()


class _Laps:
    """Logs (at DEBUG) how long each stage took: where a big site's build time goes."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        log.debug("%-12s %6.3f s", stage, now - self.last)
        self.last = now


def _check_links(output: Output, base_url: str, out: Path) -> LinkReport:
    """Check the new site before it replaces the old one; broken links stop the build."""
    assert output.tmp is not None
    report = check_site(output.tmp, base_url, display_root=str(out))
    if report.broken:
        raise ContentError(report.broken)
    return report


def _renderer(catalog: Catalog, data: SiteData, *, bytecode_dir: Path | None = None,
              compiled: Mapping[str, bytes] | None = None,
              ) -> tuple[Renderer, TemplateFingerprints]:
    """A renderer whose templates have all been compiled (syntax errors reported at once,
    with their positions), and the digests of those templates for the cache keys.

    Compiled here, the templates are inherited by the worker processes.
    """
    renderer = Renderer(data, catalog.templates_dir, bytecode_dir=bytecode_dir, compiled=compiled)
    templates = TemplateFingerprints(renderer.env, lambda: static_files(catalog.templates_dir),
                                     extra=EXTRA_TEMPLATES)
    used = used_templates(data.plan)
    compile_templates(renderer.env, used | templates.reachable(used))
    return renderer, templates


