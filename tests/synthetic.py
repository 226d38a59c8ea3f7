"""A synthetic catalogue of a few hundred models, for tests of sites that outgrow all pairs."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import write_files

VENDORS = ["Acme", "Bigco", "Cortex", "Deepware", "Everest", "Fathom", "Gradient", "Helix",
           "Ion", "Jolt", "Kite", "Lumen"]
BENCHMARKS = """\
mmlu: {name: MMLU, scale_max: 100, category: knowledge}
gsm8k: {name: GSM8K, scale_max: 100, category: math}
humaneval: {name: HumanEval, scale_max: 100, category: code}
"""


def model_yaml(rng: random.Random, index: int) -> tuple[str, str]:
    """(slug, YAML text) of one plausible model; the same index always gives the same model."""
    vendor = VENDORS[index % len(VENDORS)]
    family = f"{vendor} {index % 5 + 1}"
    size = round(10 ** rng.uniform(0, 3), 1)
    price = round(10 ** rng.uniform(-1.5, 1.5), 2)
    lines = [
        f"name: {vendor} Model {index}",
        f"vendor: {vendor}",
        f"family: {family}",
        f"released: 2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
        f"parameters_b: {size}",
        f"context_window_tokens: {rng.choice([8192, 32768, 131072, 1048576])}",
        f"open_weights: {'true' if index % 3 else 'false'}",
        "pricing:",
        f"  - {{provider: {vendor}, input_usd_per_mtok: {price}, "
        f"output_usd_per_mtok: {round(price * 3, 2)}, as_of: 2026-0{index % 9 + 1}-15}}",
        "benchmarks:",
        f"  mmlu: {{score: {rng.uniform(40, 90):.1f}}}",
        f"  gsm8k: {{score: {rng.uniform(20, 95):.1f}}}",
    ]
    if index % 4:
        lines.append(f"  humaneval: {{score: {rng.uniform(10, 90):.1f}}}")
    return f"{vendor.lower()}-model-{index}", "\n".join(lines) + "\n"


def write_catalogue(root: Path, *, models: int, per_model: int | str,
                    include: list[tuple[str, str]] = (), seed: int = 7) -> Path:
    """A content/ folder with ``models`` models, two articles and the given pair settings."""
    rng = random.Random(seed)
    files: dict[str, str] = {"content/benchmarks.yaml": BENCHMARKS}
    slugs = []
    for index in range(models):
        slug, text = model_yaml(rng, index)
        slugs.append(slug)
        files[f"content/models/{slug}.yaml"] = text
    pairs = ", ".join(f"[{a}, {b}]" for a, b in include)
    files["content/site.yaml"] = (
        "title: Synthetic Match\nbase_url: https://example.github.io/big/\n"
        f"comparisons:\n  per_model: {per_model}\n  include: [{pairs}]\n")
    files["content/articles/first.md"] = (
        f"---\ntitle: First look\ndate: 2026-01-10\nmodels: [{slugs[0]}, {slugs[1]}, {slugs[-1]}]\n"
        f"---\nSee [the first model](/models/{slugs[0]}/) and [all comparisons](/compare/).\n")
    files["content/articles/second.md"] = (
        "---\ntitle: Second look\ndate: 2026-02-01\nupdated: 2026-02-20\n"
        f"models: [{slugs[2]}]\n---\n## Notes\n\nRead [the notes](#notes).\n")
    write_files(root, files)
    return root
