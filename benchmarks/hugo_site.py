"""The same catalogue as a Hugo site: the yardstick for cold builds (``targets.py``).

    python benchmarks/hugo_site.py SOURCE DEST [--export SITE/api]

writes a Hugo 0.111 project into ``DEST`` for the Versus project ``SOURCE``, as a team
using Hugo would build the same site. Every pair of models gets a comparison page
(``comparisons.per_model`` is read as ``all``, as in the benchmark) and the reverse
order a redirect page (a Hugo ``alias``), as Versus writes them.

**The pre-step** (Python, here; about 0.5 s for 100 models, untimed, like writing the
catalogue's YAML files for Versus, or ``versus import``): what Hugo cannot
compute goes into Hugo data files, one JSON file a model (``data/models/<slug>.json``):
the model file as exported (``site/api/models.json`` of a Versus build of ``SOURCE``,
``--export``; without it this script builds ``SOURCE`` first) with its scores, and
its derived facts: cheapest offer and blended price, fastest speed, memory, self-hosting
costs, language names, the short context size, why it is unranked, and its most related
models in order. Nothing of a *pair* is precomputed, and no HTML: the content file of a
pair holds its title, the two slugs and the alias.

**Hugo's templates** (``hugo_layouts/``) compute everything per pair, as Versus does:
who is cheaper, longer, faster and by what factor (within 10 % is a tie); the benchmarks
both report with their leaders (✓) and sources; the categories each side leads; the
verdict and the one-line summary; the score cards; three SVG bar charts (sub-scores,
shared benchmarks, prices; bar lengths, axis ticks and legend offsets computed in Go
templates with ``mul``/``div``/``math``); the side-by-side table; eight computed FAQ
answers (eight on most pages), shown as ``<details>`` and as schema.org FAQPage JSON-LD
(``jsonify``), worded as Versus's theme words them; the
breadcrumbs and their JSON-LD; OpenGraph and Twitter meta; canonical; both models'
capabilities (``markdownify``); eight more comparisons per side. A model's own cells are
formatted once per model (``partialCached``, keyed by slug), as Versus formats a model's
cells once (its ``ModelView``); the pair's facts once per page (``partialCached``).

**How alike the pages are**: on the 100-model synthetic catalogue every comparison page's
``<main>`` is the same HTML as Versus's, line for line once blank lines are dropped
(4,950 of 4,950 pages compared); in the ``<head>`` the title and every meta and link
tag are the same but the generator's and Versus's feed link, and the JSON-LD is the same
data with its keys in another order (``jsonify`` sorts them); the footer lacks Versus's
two links to its JSON export. ``tests/test_hugo_yardstick.py`` checks this on 10 models.
``targets.py`` prints both sites' KB a page and counts one pair's elements (tables,
rows, SVG rects, JSON-LD blocks, links, …).

**What still differs, in Hugo's favour**: Hugo does not write what Versus writes besides
the pages: the JSON export (``api/``), the search index, the articles and their feed,
the methodology page, ``robots.txt``, the 404 page, and it does not validate the content
(Versus checks every file and reports errors with line and column); its 100 model pages
and its index are simpler than Versus's (no charts, leaderboard or FAQ: 2 % of the
pages); its scores and derived facts come ready-made from the pre-step. **In Versus's
favour**: nothing known; both sites copy the same stylesheet and script.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from generator.compute.related import Traits, similarity
from generator.pages.views import LANGUAGE_NAMES, RELATED_COMPARISONS

HERE = Path(__file__).resolve().parent
LAYOUTS = HERE / "hugo_layouts"
THEME_STATIC = HERE.parent / "generator" / "theme" / "static"
SCORE_KEYS = ("quality", "cost", "speed", "context", "openness")
MISSING = {"quality": "no benchmarks", "cost": "no price", "speed": "no speed data",
           "context": "no context window", "openness": "no openness data"}
MIN_BENCHMARKS = 3  # site.yaml's scoring.min_benchmarks, Versus's default

CONFIG = """\
baseURL = "{base_url}"
title = "{title}"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
[params]
weights = {{ quality = 0.45, cost = 0.20, speed = 0.15, context = 0.10, openness = 0.10 }}
"""


def write_hugo_site(source: Path, dest: Path, export: Path) -> int:
    """Write the Hugo project for ``source/content`` into ``dest``; return the pairs' count.

    ``export`` is a Versus build's ``api/`` folder: the scores and derived facts Hugo
    cannot compute (the pre-step a team using Hugo would run before ``hugo``).
    """
    if dest.exists():
        shutil.rmtree(dest)
    models = {m["slug"]: m for m in json.loads((export / "models.json").read_text("utf-8"))}
    registry = json.loads((export / "benchmarks.json").read_text("utf-8"))
    site = _site_settings(source)
    files: dict[str, str] = {
        "config.toml": CONFIG.format(base_url=site["base_url"], title=site["title"]),
        "data/benchmarks.json": json.dumps(registry),
        "data/categories.json": json.dumps(sorted({b["category"] for b in registry.values()
                                                   if b.get("category")})),
        "content/compare/_index.md": "---\ntitle: Comparisons\n---\n",
        "content/models/_index.md": "---\ntitle: Models\n---\n",
    }
    related = _related(models)
    for slug, model in models.items():
        model = dict(model, d=_derived(model, related[slug], models))
        files[f"data/models/{slug}.json"] = json.dumps(model)
        files[f"content/models/{slug}.md"] = (f"---\ntitle: {_quote(model['name'])}\n"
                                              f"model: {slug}\n---\n")
    pairs = list(itertools.combinations(sorted(models), 2))
    for a, b in pairs:
        # What Hugo needs a content file for: the page, its title and its reverse-order
        # address (an alias: Hugo writes the redirect page, as Versus does).
        files[f"content/compare/{a}-vs-{b}.md"] = (
            f"---\ntitle: {_quote(models[a]['name'] + ' vs ' + models[b]['name'])}\n"
            f"a: {a}\nb: {b}\naliases: [/compare/{b}-vs-{a}/]\n---\n")
    for name, text in files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copytree(LAYOUTS, dest / "layouts")
    shutil.copytree(THEME_STATIC, dest / "static" / "static")
    return len(pairs)


def _site_settings(source: Path) -> dict[str, str]:
    import yaml

    settings = yaml.safe_load((source / "content" / "site.yaml").read_text("utf-8"))
    return {"base_url": settings["base_url"], "title": settings["title"]}


def _derived(m: dict, related: list[str], models: dict[str, dict]) -> dict:
    """A model's derived facts, as Versus's compute stage has them (one model, not a pair)."""
    # Prices are derived again from the model file, as Versus derives them: the export
    # rounds to 6 decimals, and 6.025 shows as $6.03 where Versus's 6.02499… shows $6.02.
    computed = m["computed"]
    cheapest = min(m["pricing"], key=lambda o: (_blended(o), o["provider"]), default=None)
    if cheapest is not None:
        cheapest = dict(cheapest, host=urlsplit(cheapest["source"]).hostname
                        if cheapest.get("source") else None)
    hosting = [dict(setup, usd=setup["gpus"] * setup["gpu_usd_per_hour"]
                    / (setup["output_tokens_per_s"] * 3600) * 1_000_000)
               for setup in m["self_hosting"]]
    scores = computed["scores"]
    languages = m.get("languages") or []
    unranked = [MISSING[k] for k in SCORE_KEYS if scores[k] is None]
    count = len(m["benchmarks"])
    if 0 < count < MIN_BENCHMARKS:
        unranked.append(f"{count} benchmark{'' if count == 1 else 's'}")
    return {
        "blended": None if cheapest is None else _blended(cheapest),
        "cheapest": cheapest,
        "fastest": max((s["output_tokens_per_s"] for s in m["speed"]), default=None),
        "vram": computed["vram_gb"],
        "hosting": hosting,
        "cheapest_hosting": min(hosting, key=lambda h: h["usd"], default=None),
        "languages": (f"{len(languages)}: " + ", ".join(LANGUAGE_NAMES.get(c, c) for c in languages)
                      if languages else None),
        "context_short": _short_tokens(m.get("context_window_tokens")),
        "unranked": ", ".join(unranked),
        "inputs": [x for x in (m.get("modalities") or {}).get("input", []) if x != "text"],
        "related": [[o, models[o]["name"]] for o in related],
    }


def _blended(offer: dict) -> float:
    return (3 * offer["input_usd_per_mtok"] + 1 * offer["output_usd_per_mtok"]) / 4


def _related(models: dict[str, dict]) -> dict[str, list[str]]:
    """Each model's most related others, most related first (one more than a page lists,
    so that the page of a pair can leave out the other side)."""
    traits = {}
    for slug, m in models.items():
        released = date.fromisoformat(m["released"]) if m.get("released") else None
        traits[slug] = Traits(m["vendor"], m.get("family"), m.get("parameters_b"),
                              m.get("context_window_tokens"), m["open_weights"],
                              m["computed"]["blended_usd_per_mtok"],
                              m["computed"]["scores"]["quality"], released)
    return {slug: sorted((o for o in models if o != slug),
                         key=lambda o: (-similarity(traits[slug], traits[o]), o))
            [:RELATED_COMPARISONS + 1] for slug in models}


def _short_tokens(value: int | None) -> str | None:
    if value is None:
        return None
    if value >= 1_000_000:
        size = value / 1_048_576 if value % 1_048_576 == 0 else value / 1_000_000
        return f"{size:.2f}".rstrip("0").rstrip(".") + "M"
    if value >= 1000:
        size = value / 1024 if value % 1000 and value % 1024 == 0 else value / 1000
        return f"{size:.1f}".rstrip("0").rstrip(".") + "K"
    return str(value)


class _Census(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.counts = dict.fromkeys(CENSUS, 0)
        self.kb = 0.0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "script" and attr.get("type") == "application/ld+json":
            tag = "json-ld"
        elif tag == "meta" and (attr.get("property") or attr.get("name") or "").startswith(
                ("og:", "twitter:")):
            tag = "og/tw"
        elif tag == "span" and "win" in (attr.get("class") or "").split():
            tag = "✓"
        if tag in self.counts:
            self.counts[tag] += 1


CENSUS = ("KB", "section", "h2", "table", "tr", "svg", "rect", "details", "json-ld", "og/tw",
          "a", "li", "time", "✓")


def census(page: Path) -> dict[str, float]:
    """What one page holds, counted element by element (and its size), to compare two pages."""
    text = page.read_text(encoding="utf-8")
    parser = _Census()
    parser.feed(text)
    parser.close()
    return dict(parser.counts, KB=round(len(text.encode()) / 1000, 1))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def versus_export(source: Path, scratch: Path) -> Path:
    """Build ``source`` with Versus into ``scratch``; the export folder it wrote."""
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(source),
                           "--out", str(scratch / "site")], capture_output=True, text=True)
    if done.returncode:  # the content's own errors, as Versus reports them
        raise SystemExit(done.stderr)
    return scratch / "site" / "api"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a Versus project (holds content/)")
    parser.add_argument("dest", type=Path, help="where to write the Hugo project")
    parser.add_argument("--export", type=Path,
                        help="a Versus build's api/ folder (default: build SOURCE first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        export = args.export or versus_export(args.source, Path(scratch))
        pairs = write_hugo_site(args.source, args.dest, export)
    print(f"wrote a Hugo project with {pairs} comparison pages into {args.dest}")


if __name__ == "__main__":
    main()
