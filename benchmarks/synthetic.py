"""A deterministic synthetic catalogue in Versus's content format, for timing builds.

``python benchmarks/synthetic.py DEST --models 300`` writes ``DEST/content/``
with N models (4–6 capabilities, 2–6 benchmarks and 1–3 price offers each, as in
the figures the README compares against), a registry of 12 benchmarks and a few
articles. The same N and seed always give byte-identical files, so timings of
two runs, or two machines, measure the same work.

``edit_text`` and ``edit_score`` are the two edits the runner times: one model's
prose, and one model's benchmark score (which moves every model's quality).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

VENDORS = ("Acme", "Bigco", "Cortex Labs", "Delta AI", "Ember", "Fathom", "Gauss", "Helix",
           "Ion Systems", "Juniper")
FAMILIES = ("Orion", "Lyra", "Vega", "Nova", "Atlas", "Zephyr", "Quill", "Rune")
BENCHMARKS = {
    "mmlu": ("MMLU", "knowledge"), "mmlu-pro": ("MMLU-Pro", "knowledge"),
    "gpqa": ("GPQA Diamond", "reasoning"), "bbh": ("BIG-Bench Hard", "reasoning"),
    "humaneval": ("HumanEval", "code"), "mbpp": ("MBPP", "code"),
    "math": ("MATH", "math"), "gsm8k": ("GSM8K", "math"), "mmmu": ("MMMU", "multimodal"),
    "ifeval": ("IFEval", "instruction"), "ruler": ("RULER", "long-context"),
    "arena": ("Arena hard", "other"),
}
PROVIDERS = ("Host One", "Host Two", "Cloud Three", "Fast Four", "Vendor API")
WORDS = ("model", "reasoning", "context", "latency", "tokens", "quality", "agents", "tools",
         "retrieval", "summaries", "translation", "code", "review", "batch", "serving", "cost",
         "weights", "fine-tuning", "evaluation", "documents", "charts", "tables", "math")


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def slug_of(index: int) -> str:
    return f"m{index:04d}-{FAMILIES[index % len(FAMILIES)].lower()}"


def model_yaml(index: int, rng: random.Random) -> str:
    """One model file: every field the format has, with 2–6 benchmarks and 1–3 offers."""
    family = FAMILIES[index % len(FAMILIES)]
    params = rng.choice((1, 3, 8, 14, 32, 70, 120, 405))
    lines = [
        f"name: {family} {index} {params}B",
        f"vendor: {VENDORS[index % len(VENDORS)]}",
        f"family: {family} {index % 3 + 1}",
        f"released: 202{rng.randint(3, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"summary: {sentence(rng, 18)}",
        f"parameters_b: {params}",
        f"active_parameters_b: {params}",
        "architecture: dense",
        f"context_window_tokens: {rng.choice((8192, 32768, 131072, 1048576))}",
        "modalities:", "  input: [text, image]" if rng.random() < 0.4 else "  input: [text]",
        "  output: [text]",
        "languages: [en, de, fr, es]",
        f"license: {rng.choice(('Apache 2.0', 'MIT', 'Community License'))}",
        f"open_weights: {'true' if rng.random() < 0.6 else 'false'}",
        "fine_tuning: [lora, full]",
        "pricing:",
    ]
    for provider in rng.sample(PROVIDERS, rng.randint(1, 3)):
        lines += [f"  - provider: {provider}",
                  f"    input_usd_per_mtok: {rng.uniform(0.05, 15):.2f}",
                  f"    output_usd_per_mtok: {rng.uniform(0.1, 60):.2f}",
                  "    as_of: 2026-03-01",
                  f"    source: https://{provider.lower().replace(' ', '-')}.example/pricing"]
    lines.append("benchmarks:")
    for key in sorted(rng.sample(sorted(BENCHMARKS), rng.randint(2, 6))):
        lines.append(f"  {key}: {{score: {rng.uniform(20, 95):.1f}, source: Model card, "
                     f"as_of: 2025-01-15, self_reported: true}}")
    if rng.random() < 0.5:
        lines += ["speed:", "  - provider: Fast Four",
                  f"    output_tokens_per_s: {rng.randint(30, 900)}",
                  f"    ttft_ms_p50: {rng.randint(100, 2000)}"]
    if rng.random() < 0.5:
        lines += ["self_hosting:", "  - gpu: H100 SXM", f"    gpus: {rng.randint(1, 8)}",
                  "    gpu_usd_per_hour: 2.49", "    precision: fp8",
                  f"    output_tokens_per_s: {rng.randint(200, 5000)}"]
    lines.append("capabilities:")
    for _ in range(rng.randint(4, 6)):
        lines += [f"  - title: {sentence(rng, 3)[:-1]}",
                  f"    description: {sentence(rng, 30)} It handles **{rng.choice(WORDS)}** well.",
                  f"    unique: {sentence(rng, 12)}",
                  f"    vs_alternatives: {sentence(rng, 14)}"]
    lines += ["faq:", "  - question: Can it run on one GPU?",
              f"    answer: {sentence(rng, 20)} See [the memory table](#memory).",
              "sources:", f"  - {{title: Model card, url: https://example.com/{slug_of(index)}}}"]
    return "\n".join(lines) + "\n"


def article_md(index: int, slugs: list[str], rng: random.Random) -> str:
    models = sorted(rng.sample(slugs, min(3, len(slugs))))
    body = "\n\n".join(f"## Part {p}\n\n{sentence(rng, 60)} See [{models[0]}](/models/{models[0]}/)."
                       for p in range(1, 4))
    return (f"---\ntitle: Guide {index}\nsummary: {sentence(rng, 10)}\n"
            f"date: 2026-0{index % 9 + 1}-1{index % 9}\nmodels: [{', '.join(models)}]\n---\n"
            f"{body}\n")


def generate(dest: Path, models: int, *, seed: int = 1) -> Path:
    """Write ``dest/content`` for ``models`` models; replace whatever was there."""
    rng = random.Random(seed)
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "models").mkdir(parents=True)
    (content / "articles").mkdir()
    (content / "site.yaml").write_text(
        "title: Synthetic Match\nbase_url: https://example.github.io/bench/\n"
        "description: A synthetic catalogue for timing builds\nlanguage: en\n")
    registry = "".join(f"{key}: {{name: {name}, scale_max: 100, higher_is_better: true, "
                       f"category: {category}}}\n" for key, (name, category) in BENCHMARKS.items())
    (content / "benchmarks.yaml").write_text(registry)
    slugs = [slug_of(i) for i in range(models)]
    for i, slug in enumerate(slugs):
        (content / "models" / f"{slug}.yaml").write_text(model_yaml(i, rng))
    for i in range(max(2, models // 50)):
        (content / "articles" / f"guide-{i}.md").write_text(article_md(i, slugs, rng))
    return content


def first_model(dest: Path) -> Path:
    return sorted((dest / "content" / "models").glob("*.yaml"))[0]


def edit_text(dest: Path, round_: int = 1) -> Path:
    """Change one model's prose (its summary): touches that model's pages only."""
    path = first_model(dest)
    text = re.sub(r"^summary: .*$", f"summary: Edited summary, round {round_}.",
                  path.read_text(), count=1, flags=re.M)
    path.write_text(text)
    return path


def edit_score(dest: Path, round_: int = 1) -> Path:
    """Change one model's first benchmark score: the catalogue-wide fit moves every quality."""
    path = first_model(dest)
    text = re.sub(r"(benchmarks:\n  [a-z0-9-]+: \{score: )[0-9.]+",
                  lambda m: f"{m.group(1)}{50 + round_ % 40}.5", path.read_text(), count=1)
    path.write_text(text)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    content = generate(args.dest, args.models, seed=args.seed)
    print(f"wrote {args.models} models into {content}")


if __name__ == "__main__":
    main()
