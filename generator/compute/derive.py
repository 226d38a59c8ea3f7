"""Derived facts: pure functions from a model's data to the numbers pages show.

Every figure is computed here once, from the editor's data, and nowhere else:
templates format these numbers, they never compute them. A missing input gives
``None`` (shown as "—"), never an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from generator.load.schema import Model, PriceOffer, SelfHostingSetup

# Input tokens usually outnumber output tokens; 3:1 is the common industry blend.
BLEND_INPUT, BLEND_OUTPUT = 3, 1
BYTES_PER_PARAMETER = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
SECONDS_PER_HOUR = 3600
TOKENS_PER_MTOK = 1_000_000


@dataclass(frozen=True)
class MemoryGb:
    """Memory to hold the weights alone, in GB (10^9 bytes), per precision."""

    fp16: float
    int8: float
    int4: float


@dataclass(frozen=True)
class HostingCost:
    """One self-hosting setup with what it costs per million output tokens."""

    setup: SelfHostingSetup
    usd_per_mtok: float
    usd_per_hour: float  # all GPUs together
    weights_gb: float | None  # at the setup's precision, when parameters are known


@dataclass(frozen=True)
class ModelFacts:
    """Everything derived from one model's own data."""

    blended_usd_per_mtok: float | None
    cheapest_offer: PriceOffer | None
    vram_gb: MemoryGb | None
    self_hosting: tuple[HostingCost, ...]
    fastest_output_tokens_per_s: float | None
    lowest_ttft_ms: float | None

    @property
    def self_hosting_usd_per_mtok(self) -> tuple[float, ...]:
        return tuple(h.usd_per_mtok for h in self.self_hosting)


def blended_usd_per_mtok(offer: PriceOffer) -> float:
    """One offer's price blended 3 input : 1 output tokens, USD per million tokens."""
    total = BLEND_INPUT * offer.input_usd_per_mtok + BLEND_OUTPUT * offer.output_usd_per_mtok
    return total / (BLEND_INPUT + BLEND_OUTPUT)


def cheapest_offer(pricing: Iterable[PriceOffer]) -> PriceOffer | None:
    """The offer with the lowest blended price (ties: provider name, for stability)."""
    return min(pricing, key=lambda o: (blended_usd_per_mtok(o), o.provider), default=None)


def weights_gb(parameters_b: float, precision: str) -> float:
    """GB needed to hold ``parameters_b`` billion weights at ``precision``."""
    return parameters_b * BYTES_PER_PARAMETER[precision]


def vram_gb(parameters_b: float | None) -> MemoryGb | None:
    if parameters_b is None:
        return None
    return MemoryGb(fp16=weights_gb(parameters_b, "fp16"), int8=weights_gb(parameters_b, "int8"),
                    int4=weights_gb(parameters_b, "int4"))


def self_hosting_usd_per_mtok(setup: SelfHostingSetup) -> float:
    """GPU rent per million output tokens: gpus × $/h ÷ (tokens/s × 3600) × 10^6."""
    tokens_per_hour = setup.output_tokens_per_s * SECONDS_PER_HOUR
    return setup.gpus * setup.gpu_usd_per_hour / tokens_per_hour * TOKENS_PER_MTOK


def hosting_cost(setup: SelfHostingSetup, parameters_b: float | None) -> HostingCost:
    return HostingCost(
        setup=setup,
        usd_per_mtok=self_hosting_usd_per_mtok(setup),
        usd_per_hour=setup.gpus * setup.gpu_usd_per_hour,
        weights_gb=None if parameters_b is None else weights_gb(parameters_b, setup.precision),
    )


def model_facts(model: Model) -> ModelFacts:
    offer = cheapest_offer(model.pricing)
    return ModelFacts(
        blended_usd_per_mtok=None if offer is None else blended_usd_per_mtok(offer),
        cheapest_offer=offer,
        vram_gb=vram_gb(model.parameters_b),
        self_hosting=tuple(hosting_cost(s, model.parameters_b) for s in model.self_hosting),
        fastest_output_tokens_per_s=max((s.output_tokens_per_s for s in model.speed), default=None),
        lowest_ttft_ms=min((s.ttft_ms_p50 for s in model.speed if s.ttft_ms_p50 is not None),
                           default=None),
    )


# --------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class SharedBenchmark:
    """A benchmark both models of a pair report, and which one leads on it."""

    key: str
    score_a: float
    score_b: float
    leader: str | None  # "a", "b", or None on a tie


@dataclass(frozen=True)
class PairFacts:
    """What can be said of two models side by side, from their data alone."""

    cheaper: str | None  # "a" or "b" by blended price; None when unknown or equal
    price_ratio: float | None  # dearer ÷ cheaper blended price
    longer_context: str | None
    context_ratio: float | None
    faster: str | None  # by best measured output tokens/s
    speed_ratio: float | None
    shared_benchmarks: tuple[SharedBenchmark, ...]
    benchmark_leads: tuple[int, int]  # how many shared benchmarks each leads


# Price, context and speed within 10% of each other read as a tie: 131,072 against
# 128,000 tokens is not "longer context" in any sense a reader cares about.
NOTABLE_RATIO = 1.1


def _compare(x: float | None, y: float | None, *, lower_wins: bool,
             notable: float = NOTABLE_RATIO) -> tuple[str | None, float | None]:
    """Which side wins and by what factor; None when a side is missing or they tie."""
    if x is None or y is None or x == y:
        return None, None
    if min(x, y) > 0 and max(x, y) / min(x, y) < notable:
        return None, None
    a_wins = (x < y) if lower_wins else (x > y)
    small, large = min(x, y), max(x, y)
    return ("a" if a_wins else "b"), (large / small if small > 0 else None)


def pair_facts(a: Model, b: Model, fa: ModelFacts, fb: ModelFacts,
               higher_is_better: dict[str, bool]) -> PairFacts:
    """Compare two models on price, context, speed and every benchmark both report."""
    cheaper, price_ratio = _compare(fa.blended_usd_per_mtok, fb.blended_usd_per_mtok, lower_wins=True)
    longer, context_ratio = _compare(a.context_window_tokens, b.context_window_tokens, lower_wins=False)
    faster, speed_ratio = _compare(fa.fastest_output_tokens_per_s, fb.fastest_output_tokens_per_s,
                                   lower_wins=False)
    shared = []
    for key in sorted(set(a.benchmarks) & set(b.benchmarks)):
        sa, sb = a.benchmarks[key].score, b.benchmarks[key].score
        leader, _ = _compare(sa, sb, lower_wins=not higher_is_better.get(key, True), notable=1.0)
        shared.append(SharedBenchmark(key, sa, sb, leader))
    leads = (sum(s.leader == "a" for s in shared), sum(s.leader == "b" for s in shared))
    return PairFacts(cheaper, price_ratio, longer, context_ratio, faster, speed_ratio,
                     tuple(shared), leads)
