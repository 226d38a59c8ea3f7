"""Rankings a reader can defend: who gets an overall score, and what the leaderboard says."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import parse_html, write_files
from generator.build import build

PRICE = """pricing:
  - {provider: P, input_usd_per_mtok: %s, output_usd_per_mtok: %s}
"""
SPEED = "speed:\n  - {provider: P, output_tokens_per_s: 100}\n"


def model(name: str, scores: dict[str, float], *, price: tuple[float, float] | None = (1, 2),
          speed: bool = True, context: int | None = 131072) -> str:
    text = f"name: {name}\nvendor: {name.split()[0]}\nopen_weights: false\n"
    if context:
        text += f"context_window_tokens: {context}\n"
    if price:
        text += PRICE % price
    if speed:
        text += SPEED
    if scores:
        text += "benchmarks:\n" + "".join(f"  {k}: {{score: {v}}}\n" for k, v in scores.items())
    return text


BENCHMARKS = "".join(f"{k}: {{name: {k.upper()}, scale_max: 100}}\n" for k in ("a", "b", "c", "d"))
FULL = {"a": 70, "b": 60, "c": 50, "d": 40}


def site(tmp_path: Path, extra: str = "") -> Path:
    write_files(tmp_path, {
        "content/site.yaml": "title: T\nbase_url: https://example.com/\n" + extra,
        "content/benchmarks.yaml": BENCHMARKS,
        "content/models/solid.yaml": model("Solid One", FULL),
        "content/models/weaker.yaml": model("Weaker Two", {k: v - 10 for k, v in FULL.items()},
                                            price=(0.1, 0.2)),
        "content/models/thin.yaml": model("Thin Three", {"a": 75, "b": 65}),
        "content/models/unpriced.yaml": model("Unpriced Four", {k: v + 20 for k, v in FULL.items()},
                                              price=None),
        "content/models/bare.yaml": model("Bare Five", {}),
    })
    build(tmp_path, tmp_path / "site")
    return tmp_path / "site"


def leaderboard(out: Path) -> list[list[str]]:
    table = parse_html(out / "index.html").find("table", id="leaderboard-table")
    out = []
    for tr in table.find("tbody").find_all("tr"):
        cells = [c.text for c in tr.children if c.tag in ("td", "th")]
        header = tr.find("th")
        reason = header.find("span", **{"class": "unranked"})
        cells[1] = header.find("a").text  # the name; the reason, if any, goes last
        out.append(cells + [reason.text if reason is not None else ""])
    return out


def test_only_complete_well_backed_models_are_ranked_and_the_rest_say_why(tmp_path: Path) -> None:
    rows = leaderboard(site(tmp_path))
    names = [r[1] for r in rows]
    assert [r[0] for r in rows] == ["1", "2", "—", "—", "—"]
    assert set(names[:2]) == {"Solid One", "Weaker Two"}
    # The unranked follow, best quality first, each with its reason instead of a zero.
    assert names[2:] == ["Unpriced Four", "Thin Three", "Bare Five"]
    for r in rows:  # no rank, no overall score, and a reason, or all three the other way
        assert (r[0] == "—") == (r[3] == "—") == (r[-1] != "")
    reasons = {r[1]: r[-1] for r in rows[2:]}
    assert reasons == {"Unpriced Four": "Not ranked: no price",
                       "Thin Three": "Not ranked: 2 benchmarks",
                       "Bare Five": "Not ranked: no benchmarks"}
    counts = {r[1]: r[5] for r in rows}
    assert counts == {"Solid One": "4", "Weaker Two": "4", "Thin Three": "2",
                      "Unpriced Four": "4", "Bare Five": "0"}


def test_the_index_says_what_overall_weighs_and_how_to_rank_by_quality(tmp_path: Path) -> None:
    out = site(tmp_path, "scoring:\n  weights: {quality: 0.5, cost: 0.3, speed: 0.2, "
                         "context: 0, openness: 0}\n")
    notes = [p.text for p in parse_html(out / "index.html").find_all("p", **{"class": "note"})]
    assert ("Overall weighs quality (benchmarks) 50%, cost 30% and speed 20%; a model is ranked "
            "only with data for all of them and at least 3 benchmark results (method). To rank "
            "by benchmark quality alone, sort by the Quality column.") in notes
    quality = parse_html(out / "index.html").find("table", id="leaderboard-table").find_all("th")
    assert "Quality" in [th.text for th in quality]


def test_min_benchmarks_is_a_site_setting(tmp_path: Path) -> None:
    rows = leaderboard(site(tmp_path, "scoring:\n  min_benchmarks: 2\n"))
    assert "Thin Three" in [r[1] for r in rows if r[0] != "—"]


def test_model_and_comparison_pages_say_why_a_model_is_not_ranked(tmp_path: Path) -> None:
    out = site(tmp_path, "comparisons:\n  include: [[thin, solid]]\n")
    badge = parse_html(out / "models/unpriced/index.html").find("p", **{"class": "badge badge-none"})
    assert badge.text == "Not ranked: no price"
    notes = [p.text for p in parse_html(out / "compare/solid-vs-thin/index.html")
             .find_all("p", **{"class": "note"})]
    assert any(n.endswith("Thin Three has no overall score (2 benchmarks).") for n in notes), notes


@pytest.mark.parametrize("page", ["methodology/index.html"])
def test_methodology_states_the_ranking_rule(tmp_path: Path, page: str) -> None:
    text = parse_html(site(tmp_path) / page).text
    assert "at least 3 benchmark results" in text and "not ranked" in text


def faq_answer(page: Path, question: str) -> str:
    doc = parse_html(page)
    for details in doc.find_all("details"):
        if details.find("summary").text == question:
            return details.text[len(question):].strip()
    raise AssertionError(f"no question {question!r}")


def test_the_comparison_says_plainly_when_quality_and_head_to_head_disagree(tmp_path: Path) -> None:
    # A wins two shared benchmarks by a point; B wins the third by sixty. Quality favours B.
    write_files(tmp_path, {
        "content/site.yaml": "title: T\nbase_url: https://example.com/\n",
        "content/benchmarks.yaml": BENCHMARKS,
        "content/models/aa.yaml": model("Aa", {"a": 61, "b": 61, "c": 20}),
        "content/models/bb.yaml": model("Bb", {"a": 60, "b": 60, "c": 80}),
        "content/models/cc.yaml": model("Cc", {"a": 50, "b": 40, "c": 30}),
    })
    build(tmp_path, tmp_path / "site")
    split = faq_answer(tmp_path / "site/compare/aa-vs-bb/index.html", "Is Aa as good as Bb?")
    assert "By benchmark quality, Bb is ahead" in split
    assert ("The two measures point different ways: the shared benchmarks favour Aa, while the "
            "quality score, which also counts the benchmarks only one of them reports and how hard "
            "each benchmark is, favours Bb.") in split
    agreed = faq_answer(tmp_path / "site/compare/aa-vs-cc/index.html", "Is Aa as good as Cc?")
    assert "Aa is ahead" in agreed and "point different ways" not in agreed


def test_methodology_documents_how_comparison_partners_are_chosen(tmp_path: Path) -> None:
    out = site(tmp_path, "comparisons:\n  per_model: 8\n")
    doc = parse_html(out / "methodology/index.html")
    section = doc.find("section", **{"aria-labelledby": "comparisons"})
    assert "6 of the 8 places go to models of other vendors, at most 2 from any one vendor" \
        in section.text
    traits = [th.text for th in section.find("tbody").find_all("th")]
    assert traits == ["Quality score", "Blended price", "Release date", "Parameters",
                      "Context window", "Open or closed weights", "Family"]
