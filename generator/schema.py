"""The content model: frozen pydantic models for every content file.

The classes here are the single definition of what editors may write; the JSON
Schema export is generated from them, and ``validate.py`` turns their errors into
editor-facing messages with file positions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Mapping
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from generator.sources import slug_problem


def _date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date like 2024-07-23, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    raise ValueError(f"expected a date like 2024-07-23, got {value!r}")


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"expected an http(s) URL like https://example.com/page, got {value!r}")
    return value


def _slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(f"{value!r} is not a valid slug: it {problem}")
    return value


def _domain(value: str) -> str:
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]",
                        value):
        raise ValueError(f"expected a domain name in lowercase like models.example.com (no "
                         f"https://, no path), got {value!r}")
    return value


def _language(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2}", value):
        raise ValueError(f"expected a two-letter ISO 639-1 code such as 'en', got {value!r}")
    return value


Text = Annotated[str, Strict(), Field(min_length=1)]
Number = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0)]
Flag = Annotated[bool, Strict()]
Date = Annotated[dt.date, BeforeValidator(_date)]
Url = Annotated[str, Strict(), AfterValidator(_url)]
Slug = Annotated[str, Strict(), AfterValidator(_slug)]
Language = Annotated[str, Strict(), AfterValidator(_language)]
Domain = Annotated[str, Strict(), AfterValidator(_domain)]
Modality = Literal["text", "image", "audio", "video"]
Precision = Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4"]
Category = Literal["knowledge", "reasoning", "code", "math", "multimodal", "instruction",
                   "long-context", "other"]
SCORE_KEYS = ("quality", "cost", "speed", "context", "openness")


class Strictly(BaseModel):
    """Base of every content model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- models


class PriceOffer(Strictly):
    """A hosted API offer, in USD per million tokens."""

    provider: Text
    input_usd_per_mtok: Number
    output_usd_per_mtok: Number
    as_of: Date | None = None
    source: Url | None = None


class BenchmarkScore(Strictly):
    """One benchmark result; ``self_reported`` means the vendor published it."""

    score: Number
    source: Text | None = None
    as_of: Date | None = None
    self_reported: Flag | None = None


class SpeedMeasurement(Strictly):
    """Measured serving speed at one provider."""

    provider: Text
    output_tokens_per_s: Positive
    ttft_ms_p50: Number | None = None
    ttft_ms_p95: Number | None = None
    source: Text | None = Field(default=None, description="Extension: where it was measured")
    as_of: Date | None = Field(default=None, description="Extension: when it was measured")


class SelfHostingSetup(Strictly):
    """A way to run the model yourself, and its aggregate throughput."""

    gpu: Text
    gpus: Annotated[int, Strict(), Field(ge=1)]
    gpu_usd_per_hour: Number
    precision: Precision
    output_tokens_per_s: Positive
    source: Text | None = Field(default=None, description="Extension: where the figures come from")
    notes: Text | None = Field(default=None, description="Extension: serving stack and settings")


class Capability(Strictly):
    title: Text
    description: Text
    unique: Text | None = None
    vs_alternatives: Text | None = None


class FaqEntry(Strictly):
    question: Text
    answer: Text


class SourceLink(Strictly):
    title: Text
    url: Url


class Modalities(Strictly):
    input: tuple[Modality, ...] = ()
    output: tuple[Modality, ...] = ()


class Model(Strictly):
    """One ``content/models/<slug>.yaml`` file."""

    name: Text
    vendor: Text
    family: Text | None = None
    released: Date | None = None
    summary: Text | None = None
    parameters_b: Positive | None = None
    active_parameters_b: Positive | None = None
    architecture: Literal["dense", "moe"] | None = None
    context_window_tokens: Annotated[int, Strict(), Field(gt=0)] | None = None
    modalities: Modalities | None = None
    languages: tuple[Language, ...] | None = None
    license: Text | None = None
    open_weights: Flag
    fine_tuning: tuple[Text, ...] | None = None
    pricing: tuple[PriceOffer, ...] = ()
    free_tier: Flag | None = None
    benchmarks: Mapping[str, BenchmarkScore] = Field(default_factory=dict)
    speed: tuple[SpeedMeasurement, ...] = ()
    self_hosting: tuple[SelfHostingSetup, ...] = ()
    capabilities: tuple[Capability, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    sources: tuple[SourceLink, ...] = ()


# --------------------------------------------------------------------------- registry


class Benchmark(Strictly):
    """One entry of ``content/benchmarks.yaml``."""

    name: Text
    description: Text | None = None
    url: Url | None = None
    scale_max: Positive = 100
    higher_is_better: Flag = True
    category: Category | None = Field(
        default=None, description="Extension: what the benchmark measures, for verdicts")


# --------------------------------------------------------------------------- site


class ScoreWeights(Strictly):
    quality: Number = 0.45
    cost: Number = 0.20
    speed: Number = 0.15
    context: Number = 0.10
    openness: Number = 0.10


class ScoringConfig(Strictly):
    weights: ScoreWeights = ScoreWeights()


class ComparisonsConfig(Strictly):
    per_model: Literal["all"] | Annotated[int, Strict(), Field(ge=1)] = "all"
    include: tuple[tuple[Slug, Slug], ...] = ()


class SiteConfig(Strictly):
    """``content/site.yaml``."""

    title: Text
    base_url: Url
    description: Text | None = None
    language: Language = "en"
    scoring: ScoringConfig = ScoringConfig()
    comparisons: ComparisonsConfig = ComparisonsConfig()
    custom_domain: Domain | None = Field(
        default=None, description="Extension: the GitHub Pages custom domain, written to CNAME")

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: ``/`` or ``/repo/``."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def root_url(self) -> str:
        """``base_url`` with exactly one trailing slash."""
        return self.base_url.rstrip("/") + "/"


# --------------------------------------------------------------------------- articles


class ArticleMeta(Strictly):
    """The front matter of ``content/articles/<slug>.md``."""

    title: Text
    summary: Text | None = None
    date: Date
    updated: Date | None = None
    models: tuple[Slug, ...] = ()
    tags: tuple[Slug, ...] = ()
    draft: Flag = False

