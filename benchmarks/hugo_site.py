"""The same catalogue as a Hugo site: the yardstick for cold builds (``targets.py``).

``python benchmarks/hugo_site.py SOURCE DEST`` reads a Versus project's
``content/`` (models, benchmarks, ``comparisons.per_model`` is ignored: every pair
gets a page, as in the benchmark) and writes a Hugo 0.111 project to ``DEST``:
the model files as Hugo data (``data/models/<slug>.yaml``, read as they are), one
content file per model and per pair, and layouts that render, for each pair, what
a Versus comparison page shows as tables: both models' facts, their cheapest
prices, every shared benchmark with its leader, both models' capabilities
(Markdown through ``markdownify``), the other comparisons of each model (up to
8), and breadcrumbs, header and footer; for each model, its facts, prices,
benchmarks and capabilities; an index listing every model.

What Hugo's pages do *not* have (so Hugo has the lighter work, and the
comparison is generous to it): Versus's SVG charts, the computed verdict and
FAQ with their JSON-LD, OpenGraph tags, scores (Hugo cannot fit the quality
model), the leaderboard's sorting and filters. ``targets.py`` prints both sites'
average page size beside the times.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://example.github.io/bench/"
title = "Synthetic Match"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Title }}: facts, prices and benchmarks side by side">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "models/" | relURL }}">Models</a> <a href="{{ "compare/" | relURL }}">Comparisons</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>Built from the catalogue's YAML files.</p></footer>
</body>
</html>
"""

FACTS = """\
{{ define "facts" }}
<tr><th scope="row">Vendor</th>{{ range . }}<td>{{ .vendor }}</td>{{ end }}</tr>
<tr><th scope="row">Released</th>{{ range . }}<td>{{ .released }}</td>{{ end }}</tr>
<tr><th scope="row">Parameters</th>{{ range . }}<td>{{ with .parameters_b }}{{ . }}B{{ else }}—{{ end }}</td>{{ end }}</tr>
<tr><th scope="row">Context window</th>{{ range . }}<td>{{ with .context_window_tokens }}{{ lang.FormatNumber 0 . }} tokens{{ else }}—{{ end }}</td>{{ end }}</tr>
<tr><th scope="row">Licence</th>{{ range . }}<td>{{ .license | default "—" }}</td>{{ end }}</tr>
<tr><th scope="row">Open weights</th>{{ range . }}<td>{{ if .open_weights }}Yes{{ else }}No{{ end }}</td>{{ end }}</tr>
<tr><th scope="row">Cheapest input / 1M</th>{{ range . }}<td>{{ with (index (sort .pricing "input_usd_per_mtok") 0) }}${{ lang.FormatNumber 2 .input_usd_per_mtok }}{{ end }}</td>{{ end }}</tr>
<tr><th scope="row">Cheapest output / 1M</th>{{ range . }}<td>{{ with (index (sort .pricing "output_usd_per_mtok") 0) }}${{ lang.FormatNumber 2 .output_usd_per_mtok }}{{ end }}</td>{{ end }}</tr>
{{ end }}
"""

COMPARE = """\
{{ define "main" }}
{{ $a := index .Site.Data.models .Params.a }}{{ $b := index .Site.Data.models .Params.b }}
<nav aria-label="Breadcrumb"><a href="{{ "/" | relURL }}">Home</a> › <a href="{{ "compare/" | relURL }}">Comparisons</a> › {{ .Title }}</nav>
<h1>{{ .Title }}</h1>
<p>{{ $a.summary }}</p><p>{{ $b.summary }}</p>
<table><thead><tr><th></th><th scope="col">{{ $a.name }}</th><th scope="col">{{ $b.name }}</th></tr></thead>
<tbody>{{ template "facts" (slice $a $b) }}</tbody></table>
<h2>Benchmarks both report</h2>
<table><thead><tr><th scope="col">Benchmark</th><th scope="col">{{ $a.name }}</th><th scope="col">{{ $b.name }}</th></tr></thead><tbody>
{{ range $key, $ra := $a.benchmarks }}{{ with index $b.benchmarks $key }}{{ $rb := . }}
<tr><th scope="row">{{ (index $.Site.Data.benchmarks $key).name }}</th>
<td>{{ lang.FormatNumber 1 $ra.score }}{{ if gt $ra.score $rb.score }} ✓{{ end }}</td>
<td>{{ lang.FormatNumber 1 $rb.score }}{{ if gt $rb.score $ra.score }} ✓{{ end }}</td></tr>
{{ end }}{{ end }}</tbody></table>
<h2>Prices</h2>
{{ range (slice $a $b) }}<h3>{{ .name }}</h3><table><thead><tr><th>Provider</th><th>Input / 1M</th><th>Output / 1M</th></tr></thead><tbody>
{{ range .pricing }}<tr><td>{{ .provider }}</td><td>${{ lang.FormatNumber 2 .input_usd_per_mtok }}</td><td>${{ lang.FormatNumber 2 .output_usd_per_mtok }}</td></tr>{{ end }}
</tbody></table>{{ end }}
<h2>Capabilities</h2>
{{ range (slice $a $b) }}<h3>{{ .name }}</h3>{{ range .capabilities }}<h4>{{ .title }}</h4>{{ .description | markdownify }}<p>{{ .unique | markdownify }}</p>{{ end }}{{ end }}
<h2>More comparisons</h2>
{{ range (slice .Params.related_a .Params.related_b) }}<ul>{{ range . }}<li><a href="{{ printf "compare/%s/" (index . 0) | relURL }}">{{ index . 1 }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
"""

MODEL = """\
{{ define "main" }}
{{ $m := index .Site.Data.models .Params.model }}
<nav aria-label="Breadcrumb"><a href="{{ "/" | relURL }}">Home</a> › <a href="{{ "models/" | relURL }}">Models</a> › {{ $m.name }}</nav>
<h1>{{ $m.name }}</h1><p>{{ $m.summary }}</p>
<table><tbody>{{ template "facts" (slice $m) }}</tbody></table>
<h2>Benchmarks</h2><table><tbody>{{ range $key, $r := $m.benchmarks }}<tr><th scope="row">{{ (index $.Site.Data.benchmarks $key).name }}</th><td>{{ lang.FormatNumber 1 $r.score }}</td><td>{{ $r.source }}</td></tr>{{ end }}</tbody></table>
<h2>Capabilities</h2>{{ range $m.capabilities }}<h3>{{ .title }}</h3>{{ .description | markdownify }}{{ end }}
{{ end }}
"""

LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""

INDEX = """\
{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<table><thead><tr><th>Model</th><th>Vendor</th><th>Context</th></tr></thead><tbody>
{{ range $slug, $m := .Site.Data.models }}<tr><td><a href="{{ printf "models/%s/" $slug | relURL }}">{{ $m.name }}</a></td><td>{{ $m.vendor }}</td><td>{{ $m.context_window_tokens }}</td></tr>{{ end }}
</tbody></table>{{ end }}
"""


def write_hugo_site(source: Path, dest: Path) -> int:
    """Write the Hugo project for ``source/content`` into ``dest``; return the pairs' count."""
    if dest.exists():
        shutil.rmtree(dest)
    models = sorted((source / "content" / "models").glob("*.yaml"))
    files = {
        "config.toml": CONFIG,
        "layouts/_default/baseof.html": BASEOF,
        "layouts/partials/facts.html": FACTS,
        "layouts/compare/single.html": COMPARE.replace('{{ template "facts"', '{{ template "facts"'),
        "layouts/models/single.html": MODEL,
        "layouts/_default/list.html": LIST,
        "layouts/index.html": INDEX,
        "static/style.css": (Path(__file__).resolve().parent.parent / "generator" / "theme" /
                             "static" / "style.css").read_text(encoding="utf-8"),
        "data/benchmarks.yaml": (source / "content" / "benchmarks.yaml").read_text("utf-8"),
        "content/compare/_index.md": "---\ntitle: Comparisons\n---\n",
        "content/models/_index.md": "---\ntitle: Models\n---\n",
    }
    # Go templates "define" blocks must live in the template that uses them, or a partial
    # pulled in by name: prepend the facts block to both page layouts.
    for name in ("layouts/compare/single.html", "layouts/models/single.html"):
        files[name] = FACTS + files[name]
    del files["layouts/partials/facts.html"]
    names = {}
    for path in models:
        slug = path.stem
        files[f"data/models/{slug}.yaml"] = path.read_text(encoding="utf-8")
        names[slug] = str(yaml.safe_load(path.read_text(encoding="utf-8"))["name"])
        files[f"content/models/{slug}.md"] = (f"---\ntitle: {_quote(names[slug])}\n"
                                              f"model: {slug}\n---\n")
    pairs = list(itertools.combinations(sorted(names), 2))
    for a, b in pairs:
        # Each model's other comparisons, chosen here as Versus chooses them before
        # rendering (a Hugo query over every page, per page, would be quadratic).
        related = {m: [(f"{min(m, o)}-vs-{max(m, o)}", f"{names[min(m, o)]} vs {names[max(m, o)]}")
                       for o in sorted(names) if o not in (a, b)][:8] for m in (a, b)}
        files[f"content/compare/{a}-vs-{b}.md"] = (
            f"---\ntitle: {_quote(names[a] + ' vs ' + names[b])}\na: {a}\nb: {b}\n"
            f"related_a: {_links(related[a])}\nrelated_b: {_links(related[b])}\n---\n")
    for name, text in files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(pairs)


def _links(links: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"[{slug}, {_quote(title)}]" for slug, title in links) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a Versus project (holds content/)")
    parser.add_argument("dest", type=Path, help="where to write the Hugo project")
    args = parser.parse_args()
    pairs = write_hugo_site(args.source, args.dest)
    print(f"wrote a Hugo project with {pairs} comparison pages into {args.dest}")


if __name__ == "__main__":
    main()
