"""Where a page's rendering time goes: CPU per page of each kind, in one process.

    python benchmarks/page_costs.py SOURCE [--kind compare] [--pages 500] [--rounds 10]
                                           [--profile 25]

Loads, scores and plans SOURCE once, then renders ``--pages`` pages of each kind
``--rounds`` times and keeps the fastest round (the minimum is the figure least
moved by other work on a shared machine). For comparison pages it also splits a
page into its context (the figures, verdict, FAQ wording and JSON-LD computed in
Python) and its template, and times the main parts of the context. ``--profile N``
prints the N functions with the most own time (cProfile) for the first kind.

To compare two versions, run it from each checkout with the same SOURCE, e.g.
``PYTHONPATH=/path/to/other/checkout python benchmarks/page_costs.py SOURCE``:
nothing is written, so the runs can alternate.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path
from typing import Callable


def fastest(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a Versus project (holds content/)")
    parser.add_argument("--kind", action="append", help="page kinds (default: compare, model)")
    parser.add_argument("--pages", type=int, default=500, help="pages of each kind, at most")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    from generator.analyse import load_catalog
    from generator.build import _renderer, prepare
    from generator.compute.faq import pair_questions
    from generator.pages.contexts import _page_extras, context
    from generator.pages.faq import pair_faq
    from generator.pages.figures import compare_figures

    started = time.process_time()
    catalog = load_catalog(args.source)
    data = prepare(catalog)
    renderer, _ = _renderer(catalog, data)
    print(f"{args.source}: {len(data.plan.pages)} pages planned; load, score, plan and compile "
          f"{time.process_time() - started:.2f} s CPU")
    gc.freeze()
    for kind in args.kind or ["compare", "model"]:
        pages = [p for p in data.plan.pages if p.kind == kind][:args.pages]
        if not pages:
            continue
        for page in pages:  # fill the per-model fragments first, as a build soon does
            renderer.render(page)
        per_page = fastest(lambda: [renderer.render(p) for p in pages], args.rounds) / len(pages)
        size = sum(len(renderer.render(p)) for p in pages) / len(pages)
        print(f"{kind}: {per_page * 1000:.3f} ms a page ({len(pages)} pages, {size / 1000:.1f} KB)")
        if kind == "compare":
            _compare_parts(data, renderer, pages, args.rounds, context, _page_extras, pair_faq,
                           pair_questions, compare_figures)
    if args.profile:
        kind = (args.kind or ["compare"])[0]
        pages = [p for p in data.plan.pages if p.kind == kind][:args.pages]
        profile = cProfile.Profile()
        profile.enable()
        for page in pages:
            renderer.render(page)
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)


def _compare_parts(data, renderer, pages, rounds, context, page_extras, pair_faq, pair_questions,
                   compare_figures) -> None:  # type: ignore[no-untyped-def]
    """Context against template, and the context's main parts, in ms a page."""
    n = len(pages)
    contexts = [context(data, p, renderer.wording) for p in pages]
    template = renderer.env.get_template("compare.html")
    whole = fastest(lambda: [context(data, p, renderer.wording) for p in pages], rounds)
    layout = fastest(lambda: [template.render(c) for c in contexts], rounds)
    catalog, facts, scores = data.views.catalog, data.views.facts, data.scoring.by_model

    def faq() -> None:
        for p in pages:
            a, b = p.args
            pf = data.pair_facts(a, b)
            pair_faq(renderer.wording, data.views.pair(a, b, pf),
                     pair_questions(catalog.models[a], catalog.models[b], facts[a], facts[b], pf,
                                    scores[a], scores[b]))

    def figures() -> None:
        for p in pages:
            a, b = p.args
            compare_figures(data.views.pair(a, b, data.pair_facts(a, b)), scores[a], scores[b],
                            data.scoring.dimensions)

    parts = {"FAQ (questions and wording)": fastest(faq, rounds),
             "charts (geometry)": fastest(figures, rounds),
             "breadcrumbs and JSON-LD": fastest(
                 lambda: [page_extras(data, p, c) for p, c in zip(pages, contexts)], rounds)}
    print(f"  context {whole / n * 1000:.3f} ms, template {layout / n * 1000:.3f} ms")
    for name, seconds in parts.items():
        print(f"    {name}: {seconds / n * 1000:.3f} ms")


if __name__ == "__main__":
    main()
