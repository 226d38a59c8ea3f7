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

from generator.urls import SLUG_JSON_PATTERN, SLUG_MAX, slug_problem


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
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s\x00-\x1f\x7f-\x9f]", value):
        raise ValueError(f"expected an http(s) URL like https://example.com/page, got {value!r}")
    return value


def _slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(f"{value!r} is not a valid slug: it {problem}")
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError(f"must be a single line of text, got {value!r}")
    return value


def _domain(value: str) -> str:
    if not re.fullmatch(r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]",
                        value):
        raise ValueError(f"expected a domain name in lowercase like models.example.com (no "
                         f"https://, no path), got {value!r}")
    return value


def _language(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2}", value):
        raise ValueError(f"expected a two-letter ISO 639-1 code such as 'en', got {value!r}")
    return value


Text = Annotated[str, Strict(), Field(min_length=1)]
Line = Annotated[str, Strict(), Field(min_length=1), AfterValidator(_one_line)]  # no line breaks
Number = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0)]
Flag = Annotated[bool, Strict()]
Date = Annotated[dt.date, BeforeValidator(_date)]
# The JSON Schema hints below only inform editors' completion; the validators decide.
Url = Annotated[str, Strict(), AfterValidator(_url),
                Field(json_schema_extra={"format": "uri", "pattern": "^https?://"})]
Slug = Annotated[str, Strict(), AfterValidator(_slug),
                 Field(json_schema_extra={"pattern": SLUG_JSON_PATTERN, "maxLength": SLUG_MAX})]
Language = Annotated[str, Strict(), AfterValidator(_language),
                     Field(json_schema_extra={"pattern": "^[a-z]{2}$"})]
Domain = Annotated[str, Strict(), AfterValidator(_domain)]
Modality = Literal["text", "image", "audio", "video"]
Precision = Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4"]
Category = Literal["knowledge", "reasoning", "code", "math", "multimodal", "instruction",
                   "long-context", "other"]
SCORE_KEYS = ("quality", "cost", "speed", "context", "openness")


class Strictly(BaseModel):
    """Base of every content model: immutable, and unknown fields are errors."""

    # Attribute docstrings become the field descriptions of the exported JSON Schema.
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


# --------------------------------------------------------------------------- models


class PriceOffer(Strictly):
    """A hosted API offer, in USD per million tokens."""

    provider: Line
    """Who sells access, e.g. Together AI."""
    input_usd_per_mtok: Number
    """US dollars per million input (prompt) tokens."""
    output_usd_per_mtok: Number
    """US dollars per million output (generated) tokens."""
    as_of: Date | None = None
    """The day the price was read from the source (YYYY-MM-DD)."""
    source: Url | None = None
    """The price page, as an http(s) URL."""


class BenchmarkScore(Strictly):
    """One benchmark result; ``self_reported`` means the vendor published it."""

    score: Number
    """The result, on the benchmark's scale (0..scale_max in benchmarks.yaml)."""
    source: Text | None = None
    """Where the result was published: a title or a URL."""
    as_of: Date | None = None
    """The day the result was published (YYYY-MM-DD)."""
    self_reported: Flag | None = None
    """true if the vendor itself reported it rather than an independent evaluator."""


class SpeedMeasurement(Strictly):
    """Measured serving speed at one provider."""

    provider: Line
    """Who serves the model, e.g. Groq."""
    output_tokens_per_s: Positive
    """Output tokens per second for one request."""
    ttft_ms_p50: Number | None = None
    """Median time to first token, in milliseconds."""
    ttft_ms_p95: Number | None = None
    """95th-percentile time to first token, in milliseconds."""
    source: Text | None = Field(default=None, description="Extension: where it was measured")
    as_of: Date | None = Field(default=None, description="Extension: when it was measured")


class SelfHostingSetup(Strictly):
    """A way to run the model yourself, and its aggregate throughput."""

    gpu: Line
    """The GPU model, e.g. H100 PCIe."""
    gpus: Annotated[int, Strict(), Field(ge=1)]
    """How many GPUs of that kind."""
    gpu_usd_per_hour: Number
    """US dollars per hour for one GPU."""
    precision: Precision
    """The precision the weights are served in."""
    output_tokens_per_s: Positive
    """Aggregate output tokens per second of the whole setup at that precision."""
    source: Text | None = Field(default=None, description="Extension: where the figures come from")
    notes: Text | None = Field(default=None, description="Extension: serving stack and settings")


class Capability(Strictly):
    """What the model does, decomposed into one capability."""

    title: Line
    """A short name for the capability."""
    description: Text
    """What it does (Markdown)."""
    unique: Text | None = None
    """What sets it apart (Markdown)."""
    vs_alternatives: Text | None = None
    """How it compares with other models (Markdown)."""


class FaqEntry(Strictly):
    """An editorial question and its answer."""

    question: Line
    """The question, as a reader would ask it."""
    answer: Text
    """The answer (Markdown)."""


class SourceLink(Strictly):
    """A source the page cites."""

    title: Line
    """What the link is, e.g. Llama 3.1 model card."""
    url: Url
    """An http(s) URL."""


class Modalities(Strictly):
    """What goes in and what comes out."""

    input: tuple[Modality, ...] = ()
    """What the model reads: text, image, audio, video."""
    output: tuple[Modality, ...] = ()
    """What the model produces: text, image, audio, video."""


class Model(Strictly):
    """One ``content/models/<slug>.yaml`` file."""

    name: Line
    """Display name, e.g. Llama 3.1 70B Instruct."""
    vendor: Line
    """Who makes the model, e.g. Meta."""
    family: Line | None = None
    """The model line, e.g. Llama 3.1; models of one family count as related."""
    released: Date | None = None
    """Release date (YYYY-MM-DD)."""
    summary: Text | None = None
    """One or two sentences of plain text."""
    parameters_b: Positive | None = None
    """Total parameters, in billions (70 for a 70B model)."""
    active_parameters_b: Positive | None = None
    """Parameters used per token, in billions; differs from parameters_b for mixture-of-experts."""
    architecture: Literal["dense", "moe"] | None = None
    """dense, or moe (mixture of experts)."""
    context_window_tokens: Annotated[int, Strict(), Field(gt=0)] | None = None
    """The context window, in tokens (128000, not 128K)."""
    modalities: Modalities | None = None
    """What goes in and what comes out."""
    languages: tuple[Language, ...] | None = None
    """Supported languages as two-letter ISO 639-1 codes, e.g. [en, de, fr]."""
    license: Line | None = None
    """The licence's name; quote it if it could read as yes/no."""
    open_weights: Flag
    """true if anyone can download the weights."""
    fine_tuning: tuple[Text, ...] | None = None
    """Supported fine-tuning methods, e.g. [lora, full]; [] means not fine-tunable."""
    pricing: tuple[PriceOffer, ...] = ()
    """Hosted API offers, in USD per million tokens."""
    free_tier: Flag | None = None
    """true if there is a free tier."""
    benchmarks: Mapping[str, BenchmarkScore] = Field(default_factory=dict)
    """Results by benchmark key; keys are those of content/benchmarks.yaml."""
    speed: tuple[SpeedMeasurement, ...] = ()
    """Measured serving speed, per provider."""
    self_hosting: tuple[SelfHostingSetup, ...] = ()
    """What running it yourself takes and costs."""
    capabilities: tuple[Capability, ...] = ()
    """What the model does, decomposed."""
    faq: tuple[FaqEntry, ...] = ()
    """Editorial questions, shown before the computed ones."""
    sources: tuple[SourceLink, ...] = ()
    """Sources for the page as a whole."""


# --------------------------------------------------------------------------- registry


class Benchmark(Strictly):
    """One entry of ``content/benchmarks.yaml``."""

    name: Line
    """Display name, e.g. MMLU (5-shot)."""
    description: Text | None = None
    """What it measures and how it is run."""
    url: Url | None = None
    """The paper or home page, as an http(s) URL."""
    scale_max: Positive = 100
    """Scores lie in 0..scale_max (100 for percentages)."""
    higher_is_better: Flag = True
    """false if a lower score is better."""
    category: Category | None = Field(
        default=None, description="Extension: what the benchmark measures, for verdicts")


# --------------------------------------------------------------------------- site


class ScoreWeights(Strictly):
    """Weights of the sub-scores in the overall score."""

    quality: Number = 0.45
    """Weight of the quality score (benchmarks)."""
    cost: Number = 0.20
    """Weight of the cost score (blended API price)."""
    speed: Number = 0.15
    """Weight of the speed score (tokens per second, time to first token)."""
    context: Number = 0.10
    """Weight of the context score (context window)."""
    openness: Number = 0.10
    """Weight of the openness score (open weights, licence, fine-tuning)."""


class ScoringConfig(Strictly):
    """How the overall score is computed."""

    weights: ScoreWeights = ScoreWeights()
    """Weights of quality, cost, speed, context and openness."""
    min_benchmarks: Annotated[int, Strict(), Field(ge=1)] = Field(
        default=3, description="Extension: benchmark results a model needs to be ranked")


class ComparisonsConfig(Strictly):
    """Which "A vs B" pages exist."""

    per_model: Literal["all"] | Annotated[int, Strict(), Field(ge=1)] = "all"
    """all, or a number K: each model is compared with its K most related models."""
    include: tuple[tuple[Slug, Slug], ...] = ()
    """Pairs of model slugs that always get a comparison page."""


DaysOrOff = Annotated[int, Strict(), Field(ge=1)] | None


class CheckConfig(Strictly):
    """Extension: when ``versus check`` calls dated figures stale."""

    prices_stale_after_days: DaysOrOff = 365
    """Warn about a price whose as_of is more than this many days old; null turns it off."""
    benchmarks_stale_after_days: DaysOrOff = 730
    """Warn about a benchmark result whose as_of is more than this many days old; null turns
    it off."""
    price_outlier_factor: Annotated[float, Strict(), Field(gt=1)] | None = 300.0
    """Warn about a price this many times above or below the catalogue's median price for
    input or output tokens; null turns it off."""
    price_spread_factor: Annotated[float, Strict(), Field(gt=1)] | None = 8.0
    """Warn about a price this many times above or below the median of the same model's other
    offers (at least two); null turns it off."""
    name_size_tolerance: Annotated[float, Strict(), Field(gt=1)] | None = 1.5
    """Warn when parameters_b differs by more than this factor from a size in the name
    ("9B"); null turns it off."""
    scale_mismatch_factor: Annotated[float, Strict(), Field(gt=1)] | None = 8.0
    """Warn about a score this many times below the benchmark's other results that would fit
    them on a 0..10 or 0..1 scale; null turns it off."""
    before_release_grace_days: Annotated[int, Strict(), Field(ge=0)] | None = 0
    """Warn about a price or result dated more than this many days before the model's
    release; null turns it off."""
    repeated_speed_models: Annotated[int, Strict(), Field(ge=2)] | None = 4
    """Warn when one speed measurement (tokens per second and time to first token) is
    repeated on this many unrelated models; null turns it off."""
    lone_modalities: Annotated[bool, Strict()] = True
    """Warn about audio or video input that no other model of the same vendor accepts."""


class SiteConfig(Strictly):
    """``content/site.yaml``."""

    title: Line
    """The site's name."""
    base_url: Url
    """Where the site is published, e.g. https://user.github.io/repo/ (may carry a sub-path)."""
    description: Text | None = None
    """One sentence for search engines and link previews."""
    language: Language = "en"
    """The language of the pages, as a two-letter code."""
    scoring: ScoringConfig = ScoringConfig()
    """Weights of the overall score."""
    comparisons: ComparisonsConfig = ComparisonsConfig()
    """Which comparison pages are built."""
    check: CheckConfig = Field(default=CheckConfig(),
                               description="Extension: thresholds of versus check's warnings")
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

    title: Line
    summary: Text | None = None
    date: Date
    updated: Date | None = None
    models: tuple[Slug, ...] = ()
    tags: tuple[Slug, ...] = ()
    draft: Flag = False
