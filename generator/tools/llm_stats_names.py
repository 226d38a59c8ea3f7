"""Names and definitions for LLM Stats data: model slugs, benchmark keys, benchmarks.yaml.

Deterministic over the whole dataset, so a model's slug and a benchmark's key do not
depend on which models one import picks.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable
from urllib.parse import urlsplit

from generator.tools.llm_stats_read import Record
from generator.urls import PAIR_SEPARATOR, model_slug_problem, slug_problem, suggest_slug

# The dataset tags a benchmark with several broad categories (MMLU: general, reasoning,
# language, math). A tag that says what the test is made of decides first; otherwise
# the first tag listed, which is the dataset's main one.
DECIDING = (({"code", "coding", "frontend_development"}, "code"),
            ({"multimodal", "vision", "audio", "video", "image-to-text", "speech-to-text",
              "text-to-image", "text-to-speech", "text-to-video", "video-to-text"}, "multimodal"),
            ({"long_context"}, "long-context"))
MAIN = {"math": "math", "reasoning": "reasoning", "spatial_reasoning": "reasoning",
        **dict.fromkeys(("general", "factuality", "language", "legal", "healthcare", "finance",
                         "chemistry", "physics", "economics", "psychology"), "knowledge")}
# Error rates: the dataset does not say which way is better, its descriptions do not
# either; these are word error rates (speech recognition), where lower is better.
LOWER_IS_BETTER = frozenset({"fleurs", "common-voice-15"})
_LOWER_TEXT = re.compile(r"\b(word error rate|error rate|WER)\b", re.I)
_KEY_SYMBOLS = (("++", "-plus-plus-"), ("+", "-plus-"), (">", "-gt-"), ("<", "-lt-"),
                ("→", "-to-"), ("@", "-at-"), ("&", "-and-"), ("%", "-pct-"), ("'", ""))
_DATE_SUFFIX = re.compile(r"-(20\d\d-\d\d-\d\d|20\d{6})$")


# --------------------------------------------------------------------------- names


def model_slugs(ids: Iterable[str]) -> dict[str, str]:
    """A valid, distinct model slug for every dataset model id, the same on every run.

    ``claude-sonnet-4-5-20250929`` becomes ``claude-sonnet-4-5`` unless another id
    shortens to the same slug (``gpt-4o-2024-05-13`` and ``-08-06`` keep their dates).
    """
    ids = sorted(ids)
    full = {i: suggest_slug(i).replace(PAIR_SEPARATOR, "-v-") for i in ids}
    short = {i: _DATE_SUFFIX.sub("", s) for i, s in full.items()}
    shared = Counter(short.values())
    return _distinct({i: short[i] if shared[short[i]] == 1 else full[i] for i in ids},
                     model_slug_problem)


def benchmark_keys(ids: Iterable[str]) -> dict[str, str]:
    """A valid, distinct benchmark key for every dataset benchmark id.

    Symbols become words, so ``humaneval+`` is ``humaneval-plus`` (never
    ``humaneval``, another benchmark) and ``graphwalks-bfs->128k`` is
    ``graphwalks-bfs-gt-128k``.
    """
    keys = {}
    for i in sorted(ids):
        text = i.lower()
        for symbol, word in _KEY_SYMBOLS:
            text = text.replace(symbol, word)
        keys[i] = suggest_slug(text)
    return _distinct(keys, slug_problem)


def _distinct(names: dict[str, str], problem: Any) -> dict[str, str]:
    """Suffix -2, -3 … onto later ids (in sorted order) that would share a name."""
    taken: set[str] = set()
    out = {}
    for i, name in names.items():
        candidate, n = name, 1
        while candidate in taken or problem(candidate):
            n += 1
            candidate = f"{name[:70]}-{n}"
        taken.add(candidate)
        out[i] = candidate
    return out


# --------------------------------------------------------------------------- registry


def benchmark_entry(record: Record) -> dict[str, Any]:
    """Our benchmarks.yaml entry for a dataset benchmark."""
    entry: dict[str, Any] = {"name": record["name"].strip()}
    if record.get("description"):
        entry["description"] = " ".join(record["description"].split())
    url = record.get("paper_link") or record.get("implementation_link")
    if url and is_url(url):
        entry["url"] = url
    entry["scale_max"] = scale_max(record)
    entry["higher_is_better"] = higher_is_better(record)
    category = category_of(record.get("categories") or ())
    if category:
        entry["category"] = category
    return entry


def scale_max(record: Record) -> float:
    """Our scale: percentages for the dataset's 0..1 (and 0..100) benchmarks, else theirs."""
    top = float(record["max_score"])
    return 100 if top in (1.0, 100.0) else number(top)


def higher_is_better(record: Record) -> bool:
    text = f"{record.get('name', '')} {record.get('description') or ''}"
    return not (record["benchmark_id"] in LOWER_IS_BETTER or _LOWER_TEXT.search(text))


def category_of(categories: Iterable[str]) -> str | None:
    given = list(categories)
    for theirs, ours in DECIDING:
        if theirs & set(given):
            return ours
    return next((MAIN[c] for c in given if c in MAIN), "other" if given else None)


def number(value: float) -> float | int:
    """Rounded to what the data can carry; whole numbers as integers (70, not 70.0)."""
    value = round(float(value), 4)
    return int(value) if value == int(value) else value


def is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value
