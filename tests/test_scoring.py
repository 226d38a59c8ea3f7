"""Scores: properties that make the ranking defensible, checked on random catalogues."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compute.derive import model_facts
from generator.load.schema import Benchmark, Model, ScoreWeights
from generator.compute.scoring import (
    context_score, cost_score, openness_score, score_catalog, speed_score, winner,
)

KEYS = ("mmlu", "gpqa", "math", "code")
REGISTRY = {k: Benchmark(name=k.upper()) for k in KEYS}
REGISTRY["errors"] = Benchmark(name="Errors", higher_is_better=False)

scores_st = st.floats(min_value=0, max_value=100, allow_nan=False)
price_st = st.floats(min_value=0, max_value=200, allow_nan=False)


@st.composite
def models_st(draw):  # type: ignore[no-untyped-def]
    benchmarks = draw(st.dictionaries(st.sampled_from(KEYS + ("errors",)), scores_st.map(
        lambda s: {"score": s}), max_size=5))
    pricing = draw(st.lists(st.tuples(price_st, price_st), max_size=2))
    speed = draw(st.lists(st.floats(min_value=1, max_value=5000), max_size=2))
    return Model(
        name="M", vendor="V", open_weights=draw(st.booleans()),
        license=draw(st.sampled_from([None, "Apache-2.0", "Custom licence", "Proprietary"])),
        fine_tuning=draw(st.sampled_from([None, (), ("lora",)])),
        context_window_tokens=draw(st.none() | st.integers(min_value=1, max_value=50_000_000)),
        benchmarks=benchmarks,
        pricing=[{"provider": f"p{i}", "input_usd_per_mtok": a, "output_usd_per_mtok": b}
                 for i, (a, b) in enumerate(pricing)],
        speed=[{"provider": f"s{i}", "output_tokens_per_s": v} for i, v in enumerate(speed)],
    )


catalogue_st = st.dictionaries(st.sampled_from([f"m{i}" for i in range(8)]), models_st(),
                               min_size=1, max_size=8)


def score(models: dict[str, Model], weights: ScoreWeights | None = None,  # type: ignore[no-untyped-def]
          min_benchmarks: int = 3):
    facts = {slug: model_facts(m) for slug, m in models.items()}
    return score_catalog(models, facts, REGISTRY, weights or ScoreWeights(),
                         min_benchmarks=min_benchmarks).by_model


def with_score(model: Model, key: str, value: float) -> Model:
    benchmarks = dict(model.benchmarks)
    benchmarks[key] = benchmarks[key].model_copy(update={"score": value})
    return model.model_copy(update={"benchmarks": benchmarks})


@settings(max_examples=150, deadline=None)
@given(catalogue_st)
def test_every_score_is_between_0_and_100_or_none(models) -> None:  # type: ignore[no-untyped-def]
    for scores in score(models).values():
        for value in scores.as_dict().values():
            assert value is None or 0 <= value <= 100


@settings(max_examples=150, deadline=None)
@given(catalogue_st, st.data())
def test_raising_a_benchmark_score_never_lowers_quality(models, data) -> None:  # type: ignore[no-untyped-def]
    slug = data.draw(st.sampled_from(sorted(models)))
    model = models[slug]
    keys = sorted(k for k in model.benchmarks if REGISTRY[k].higher_is_better)
    if not keys:
        return
    key = data.draw(st.sampled_from(keys))
    old = model.benchmarks[key].score
    new = data.draw(st.floats(min_value=old, max_value=100))
    before = score(models)[slug].quality
    after = score({**models, slug: with_score(model, key, new)})[slug].quality
    assert after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(price_st, price_st)
def test_cutting_a_price_never_lowers_the_cost_score(price, cut) -> None:  # type: ignore[no-untyped-def]
    low = min(price, cut)
    assert cost_score(low) >= cost_score(price)


def test_cost_is_a_log_scale_equal_ratios_are_equal_distances() -> None:
    assert cost_score(0.05) - cost_score(0.50) == pytest.approx(cost_score(1) - cost_score(10))
    assert cost_score(100) == 0 and cost_score(0.01) == 100 and cost_score(0) == 100


def test_context_speed_and_openness_scales() -> None:
    assert context_score(4096) == 0 and context_score(16_777_216) == 100
    assert context_score(131_072) == pytest.approx(100 * 5 / 12)
    assert speed_score(1000, None) == 100 and speed_score(10, None) == 0
    assert speed_score(None, 200) is None
    closed = Model(name="C", vendor="V", open_weights=False, fine_tuning=["supervised"])
    apache = Model(name="A", vendor="V", open_weights=True, license="Apache-2.0", fine_tuning=["lora"])
    custom = Model(name="L", vendor="V", open_weights=True, license="Llama 3.1 Community License")
    assert (openness_score(closed), openness_score(apache), openness_score(custom)) == (15, 100, 70)


@settings(max_examples=100, deadline=None)
@given(catalogue_st)
def test_the_same_input_gives_the_same_scores_in_any_order(models) -> None:  # type: ignore[no-untyped-def]
    forward = score(models)
    backward = score(dict(reversed(list(models.items()))))
    assert forward == backward


@settings(max_examples=150, deadline=None)
@given(catalogue_st, st.data())
def test_leaving_data_out_unranks_rather_than_sinks(models, data) -> None:  # type: ignore[no-untyped-def]
    slug = data.draw(st.sampled_from(sorted(models)))
    field = data.draw(st.sampled_from(["pricing", "speed", "context_window_tokens"]))
    empty = None if field == "context_window_tokens" else ()
    before = score(models)[slug].overall
    stripped = models[slug].model_copy(update={field: empty})
    others_have_it = any(getattr(m, field) not in (None, ()) for s, m in models.items() if s != slug)
    after = score({**models, slug: stripped})[slug].overall
    if before is not None and others_have_it:
        assert after is None
        reason = {"pricing": "no price", "speed": "no speed data",
                  "context_window_tokens": "no context window"}[field]
        assert reason in score({**models, slug: stripped})[slug].unranked


def test_a_model_is_never_ranked_on_data_it_does_not_have() -> None:
    bare = Model(name="Bare", vendor="V", open_weights=True)
    rich = Model(name="Rich", vendor="V", open_weights=True, benchmarks={"mmlu": {"score": 80}},
                 pricing=[{"provider": "P", "input_usd_per_mtok": 1, "output_usd_per_mtok": 1}])
    result = score({"bare": bare, "rich": rich}, min_benchmarks=1)
    assert result["bare"].quality is None and result["bare"].overall is None
    assert result["bare"].cost is None and result["bare"].speed is None
    assert result["bare"].unranked == ("no benchmarks", "no price")
    assert result["rich"].overall is not None and result["rich"].benchmarks_used == 1
    assert winner("bare", "rich", result) is None


def test_thin_quality_is_not_ranked_and_says_how_many_benchmarks() -> None:
    priced = {"pricing": [{"provider": "P", "input_usd_per_mtok": 1, "output_usd_per_mtok": 2}]}
    two = Model(name="Two", vendor="V", open_weights=True, **priced,
                benchmarks={"mmlu": {"score": 99}, "gpqa": {"score": 99}})
    three = Model(name="Three", vendor="V", open_weights=True, **priced,
                  benchmarks={"mmlu": {"score": 60}, "gpqa": {"score": 50}, "math": {"score": 40}})
    result = score({"two": two, "three": three})
    assert result["two"].quality > result["three"].quality  # quality is still shown
    assert result["two"].overall is None and result["two"].unranked == ("2 benchmarks",)
    assert result["three"].overall is not None and result["three"].unranked == ()
    assert score({"two": two, "three": three}, min_benchmarks=2)["two"].overall is not None


def test_quality_follows_the_majority_of_shared_benchmarks_over_one_outlier() -> None:
    # A beats B clearly on four benchmarks; B wins the fifth by a mile. Least squares on
    # logits put B ahead; the robust fit follows the four.
    a = Model(name="A", vendor="V", open_weights=True,
              benchmarks={"mmlu": {"score": 80}, "gpqa": {"score": 80}, "math": {"score": 80},
                          "code": {"score": 80}, "errors": {"score": 90}})
    b = Model(name="B", vendor="V", open_weights=True,
              benchmarks={"mmlu": {"score": 70}, "gpqa": {"score": 70}, "math": {"score": 70},
                          "code": {"score": 70}, "errors": {"score": 10}})
    result = score({"a": a, "b": b})
    assert result["a"].quality > result["b"].quality


def test_quality_puts_models_with_different_benchmarks_on_one_scale() -> None:
    # B reports only a hard benchmark; A and C link the two benchmarks' difficulty.
    a = Model(name="A", vendor="V", open_weights=True,
              benchmarks={"mmlu": {"score": 85}, "gpqa": {"score": 45}})
    b = Model(name="B", vendor="V", open_weights=True, benchmarks={"gpqa": {"score": 55}})
    c = Model(name="C", vendor="V", open_weights=True, benchmarks={"mmlu": {"score": 70},
                                                                   "gpqa": {"score": 30}})
    result = score({"a": a, "b": b, "c": c})
    assert result["b"].quality > result["a"].quality > result["c"].quality


def test_thinly_backed_quality_is_shrunk_toward_the_middle() -> None:
    one = Model(name="One", vendor="V", open_weights=True, benchmarks={"mmlu": {"score": 95}})
    many = Model(name="Many", vendor="V", open_weights=True,
                 benchmarks={k: {"score": 95} for k in KEYS})
    peer = Model(name="Peer", vendor="V", open_weights=True,
                 benchmarks={k: {"score": 60} for k in KEYS})
    result = score({"one": one, "many": many, "peer": peer})
    assert result["many"].quality > result["one"].quality > result["peer"].quality


def test_overall_is_the_weighted_mean_of_complete_data_only() -> None:
    m = Model(name="M", vendor="V", open_weights=False, context_window_tokens=131_072,
              benchmarks={k: {"score": 80} for k in KEYS})
    other = Model(name="O", vendor="V", open_weights=True, context_window_tokens=8192,
                  benchmarks={k: {"score": 70} for k in KEYS},
                  pricing=[{"provider": "P", "input_usd_per_mtok": 1, "output_usd_per_mtok": 1}])
    result = score({"m": m, "o": other})
    assert result["m"].overall is None and result["m"].unranked == ("no price",)
    o = result["o"]
    weights = ScoreWeights()
    used = weights.quality + weights.cost + weights.context + weights.openness  # nobody has speed
    expected = (weights.quality * o.quality + weights.cost * o.cost
                + weights.context * o.context + weights.openness * o.openness) / used
    assert o.overall == pytest.approx(expected)
    # A dimension weighted 0 is not required.
    no_cost = ScoreWeights(cost=0)
    assert score({"m": m, "o": other}, no_cost)["m"].overall is not None


def test_winner_is_none_on_a_tie_as_shown() -> None:
    m = Model(name="M", vendor="V", open_weights=True, benchmarks={"mmlu": {"score": 80}})
    result = score({"a": m, "b": m}, min_benchmarks=1)
    assert math.isclose(result["a"].overall, result["b"].overall)
    assert winner("a", "b", result) is None
