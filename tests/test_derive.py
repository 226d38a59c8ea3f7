"""Derived facts against values computed by hand."""

from __future__ import annotations

import pytest

from generator.compute.derive import (
    blended_usd_per_mtok, cheapest_offer, model_facts, pair_facts, self_hosting_usd_per_mtok,
    vram_gb, weights_gb,
)
from generator.load.schema import Model, PriceOffer, SelfHostingSetup


def offer(provider: str, input_usd: float, output_usd: float) -> PriceOffer:
    return PriceOffer(provider=provider, input_usd_per_mtok=input_usd, output_usd_per_mtok=output_usd)


def setup(**kw) -> SelfHostingSetup:  # type: ignore[no-untyped-def]
    base = dict(gpu="H100 PCIe", gpus=1, gpu_usd_per_hour=1.99, precision="fp8",
                output_tokens_per_s=1000)
    return SelfHostingSetup(**{**base, **kw})


def test_blended_price_weights_input_three_to_one() -> None:
    assert blended_usd_per_mtok(offer("OpenAI", 2.50, 10.00)) == pytest.approx(4.375)
    assert blended_usd_per_mtok(offer("Together", 0.27, 0.27)) == pytest.approx(0.27)


def test_cheapest_offer_is_the_lowest_blended_price_not_the_lowest_input() -> None:
    low_input = offer("A", 0.10, 2.00)  # blended 0.575
    balanced = offer("B", 0.30, 0.40)  # blended 0.325
    assert cheapest_offer([low_input, balanced]) is balanced
    assert cheapest_offer([]) is None


def test_seed_arithmetic_is_corrected_one_h100_at_1000_tokens_per_second() -> None:
    # The seed guide says $2.00-$2.44; 1.99 / (1000 × 3600) × 1e6 is $0.5528.
    assert self_hosting_usd_per_mtok(setup()) == pytest.approx(0.552778, abs=1e-6)


def test_self_hosting_cost_scales_with_gpus_and_throughput() -> None:
    assert self_hosting_usd_per_mtok(setup(gpus=2, gpu_usd_per_hour=1.19,
                                           output_tokens_per_s=600)) == pytest.approx(1.101852, abs=1e-6)


def test_weight_memory_per_precision() -> None:
    assert vram_gb(70).__dict__ == {"fp16": 140, "int8": 70, "int4": 35}
    assert vram_gb(3.21).fp16 == pytest.approx(6.42)
    assert vram_gb(None) is None
    assert weights_gb(70, "fp32") == 280 and weights_gb(70, "fp8") == 70


def test_model_facts_without_inputs_are_none_not_zero() -> None:
    facts = model_facts(Model(name="X", vendor="V", open_weights=False))
    assert facts.blended_usd_per_mtok is None and facts.cheapest_offer is None
    assert facts.vram_gb is None and facts.self_hosting == ()
    assert facts.fastest_output_tokens_per_s is None and facts.lowest_ttft_ms is None


def test_hosting_cost_reports_weights_at_the_setups_precision() -> None:
    model = Model(name="X", vendor="V", open_weights=True, parameters_b=70,
                  self_hosting=[setup(precision="int4")])
    (cost,) = model_facts(model).self_hosting
    assert cost.weights_gb == 35 and cost.usd_per_hour == pytest.approx(1.99)


def test_pair_facts_name_the_cheaper_and_longer_context_side() -> None:
    a = Model(name="A", vendor="V", open_weights=True, context_window_tokens=1_000_000,
              pricing=[offer("P", 0.27, 0.27)], benchmarks={"mmlu": {"score": 80}})
    b = Model(name="B", vendor="W", open_weights=False, context_window_tokens=128_000,
              pricing=[offer("Q", 2.5, 10)], benchmarks={"mmlu": {"score": 88.7}})
    facts = pair_facts(a, b, model_facts(a), model_facts(b), {"mmlu": True})
    assert facts.cheaper == "a" and facts.price_ratio == pytest.approx(4.375 / 0.27)
    assert facts.longer_context == "a" and facts.context_ratio == pytest.approx(1_000_000 / 128_000)
    assert [(s.key, s.leader) for s in facts.shared_benchmarks] == [("mmlu", "b")]
    assert facts.benchmark_leads == (0, 1)


def test_pair_facts_treat_differences_under_ten_percent_as_a_tie() -> None:
    a = Model(name="A", vendor="V", open_weights=True, context_window_tokens=131_072)
    b = Model(name="B", vendor="W", open_weights=True, context_window_tokens=128_000)
    facts = pair_facts(a, b, model_facts(a), model_facts(b), {})
    assert facts.longer_context is None and facts.context_ratio is None


def test_lower_is_better_benchmarks_flip_the_leader() -> None:
    a = Model(name="A", vendor="V", open_weights=True, benchmarks={"err": {"score": 5}})
    b = Model(name="B", vendor="V", open_weights=True, benchmarks={"err": {"score": 9}})
    facts = pair_facts(a, b, model_facts(a), model_facts(b), {"err": False})
    assert facts.shared_benchmarks[0].leader == "a"
