"""The whole catalogue after validation: models, benchmarks, articles and pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from generator.load.embeds import Embed
from generator.load.schema import ArticleMeta, Benchmark, Model, SiteConfig
from generator.load.sources import Marks


@dataclass(frozen=True)
class Article:
    """A validated article: its front matter and its (not yet rendered) Markdown."""

    slug: str
    meta: ArticleMeta
    body: str
    body_line: int
    path: str
    embeds: tuple[Embed, ...] = ()  # its live-data embeds, found once at validation


@dataclass(frozen=True)
class Catalog:
    """Everything a build knows about the content, immutable and in stable order."""

    site: SiteConfig
    benchmarks: Mapping[str, Benchmark]  # by key, sorted
    models: Mapping[str, Model]  # by slug, sorted
    articles: tuple[Article, ...]  # newest first
    model_paths: Mapping[str, str]  # slug -> file, for messages
    templates_dir: Path | None = None
    # Where every key stands in its file, so checks after validation can point at it.
    model_marks: Mapping[str, Marks] = field(default_factory=dict)  # by slug
    benchmark_marks: Marks | None = None
    site_marks: Marks | None = None
