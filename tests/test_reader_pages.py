"""What the reader gets in the built HTML: accessible charts with their tables, the search index
and page, the compare picker and the leaderboard's data (the browser tests drive them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Element, parse_html
from generator.build import build
from generator.plan import SCRIPTS


@pytest.fixture
def out(basic_site: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    build(basic_site, target)
    return target


def charts(doc: Element) -> dict[str, Element]:
    """Every inline chart by the id of its title."""
    found = {}
    for svg in doc.find_all("svg"):
        title_id, desc_id = svg.attrs["aria-labelledby"].split()
        found[title_id.removesuffix("-title")] = svg
    return found


def assert_accessible(svg: Element) -> None:
    assert svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    title, desc = svg.find("title", id=title_id), svg.find("desc", id=desc_id)
    assert title is not None and title.text and desc is not None and desc.text
    assert svg.attrs["viewbox"].startswith("0 0 ")  # the parser lowercases attribute names


def bars(svg: Element) -> list[Element]:
    return [r for r in svg.find_all("rect") if r.parent.attrs.get("class") == "row"]


def test_comparison_page_draws_scores_benchmarks_and_prices(out: Path) -> None:
    doc = parse_html(out / "compare/alpha-70b-vs-beta-pro/index.html")
    found = charts(doc)
    assert list(found) == ["chart-scores", "chart-benchmarks", "chart-prices"]
    for svg in found.values():
        assert_accessible(svg)
    # three shared benchmarks, two bars each, with the scores as labels
    benchmark_values = [t.text for t in found["chart-benchmarks"].find_all("text", **{"class": "value"})]
    assert benchmark_values == ["46.7", "53.6", "80.5", "90.2", "86.0", "88.7"]
    assert len(bars(found["chart-benchmarks"])) == 6
    assert "GPQA Diamond: Alpha 70B 46.7, Beta Pro 53.6" in found["chart-benchmarks"].find("desc").text
    # input and output price of each cheapest offer
    prices = [t.text for t in found["chart-prices"].find_all("text", **{"class": "value"})]
    assert prices == ["$0.59", "$2.50", "$0.79", "$10.00"]


def test_each_chart_has_its_numbers_in_a_table_beside_it(out: Path) -> None:
    doc = parse_html(out / "compare/alpha-70b-vs-beta-pro/index.html")
    for chart_id in ("chart-scores", "chart-prices"):
        svg = charts(doc)[chart_id]
        grid = svg.parent.parent
        assert grid.attrs["class"] == "figure-grid"
        table = grid.find("table")
        cells = [td.text for td in table.find_all("td")]
        for value in svg.find_all("text", **{"class": "value"}):
            assert value.text in cells, (chart_id, value.text)
    # the benchmark chart is followed by the table of the same scores with their sources
    section = doc.find("section", **{"aria-labelledby": "benchmarks"})
    table_cells = [td.text.rstrip("✓ better").strip() for td in section.find("table").find_all("td")]
    for value in charts(doc)["chart-benchmarks"].find_all("text", **{"class": "value"}):
        assert value.text in table_cells


def test_nothing_is_drawn_for_data_that_does_not_exist(out: Path) -> None:
    doc = parse_html(out / "compare/alpha-70b-vs-gamma-3b/index.html")
    found = charts(doc)
    assert "chart-benchmarks" not in found  # no benchmark both report
    prices = found["chart-prices"]
    assert {r.attrs["class"] for r in bars(prices)} == {"s1"}  # only Alpha has a price
    assert [t.text for t in prices.find_all("text", **{"class": "missing"})] == ["no API price"] * 2
    scores = found["chart-scores"]
    missing = list(scores.find_all("text", **{"class": "missing"}))
    # Gamma has no quality, cost, speed or context: four labels, and only its openness bar
    assert [t.text for t in missing] == ["no data"] * 4
    assert {m.attrs["x"] for m in missing} == {"2.0"}
    assert len(bars(scores)) == 2 * 5 - 4


def test_bar_widths_in_the_page_are_proportional_to_the_values(out: Path) -> None:
    svg = charts(parse_html(out / "compare/alpha-70b-vs-beta-pro/index.html"))["chart-prices"]
    widths = {t.text: float(r.attrs["width"]) for r, t in zip(
        bars(svg), svg.find_all("text", **{"class": "value"}))}
    assert widths["$10.00"] / widths["$2.50"] == pytest.approx(4, rel=0.01)
    assert widths["$0.79"] / widths["$0.59"] == pytest.approx(0.79 / 0.59, rel=0.01)


def test_index_plots_price_against_quality_with_a_table(out: Path) -> None:
    doc = parse_html(out / "index.html")
    found = charts(doc)
    assert list(found) == ["chart-price-quality", "chart-price-quality-narrow"]
    for svg in found.values():
        assert_accessible(svg)
        labels = [t.text for t in svg.find("g", **{"class": "points"}).find_all("text")]
        assert labels == ["Alpha 70B", "Beta Pro"]  # Gamma has neither price nor quality
    section = doc.find("section", **{"aria-labelledby": "price-quality"})
    assert "(Gamma 3B)" in section.find("p").text
    rows = [[c.text for c in tr.children] for tr in section.find("tbody").find_all("tr")]
    assert [r[0] for r in rows] == ["Beta Pro", "Alpha 70B"]  # by quality
    assert rows[1][1] == "$0.64"


def test_search_index_is_compact_complete_and_stable(out: Path, basic_site: Path,
                                                     tmp_path: Path) -> None:
    raw = (out / "search/index.json").read_bytes()
    index = json.loads(raw)
    assert set(index) == {"m", "c", "a"}
    assert index["m"] == [["Alpha 70B", "alpha-70b", "Acme"], ["Beta Pro", "beta-pro", "Bigco"],
                          ["Gamma 3B", "gamma-3b", "Acme"]]
    exported = json.loads((out / "api/comparisons.json").read_text())
    slugs = [m[1] for m in index["m"]]
    assert [(slugs[i], slugs[j]) for i, j in index["c"]] == [(p["a"], p["b"]) for p in exported]
    assert [a[1] for a in index["a"]] == ["alpha-vs-beta"]  # no drafts
    assert b" " not in raw.replace(b"Alpha 70B", b"").split(b'"a"')[0].replace(b"Beta Pro", b"") \
        .replace(b"Gamma 3B", b"")  # no padding between tokens
    build(basic_site, tmp_path / "again")
    assert (tmp_path / "again/search/index.json").read_bytes() == raw


def test_search_page_and_box_know_the_base_path(out: Path) -> None:
    doc = parse_html(out / "search/index.html")
    root = doc.find("div", **{"class": "search-page"})
    assert root.attrs["data-search-index"] == "/repo/search/index.json"
    assert root.attrs["data-base"] == "/repo/"
    assert root.find("form").attrs["action"] == "/repo/search/"
    assert doc.find("meta", name="robots").attrs["content"] == "noindex"
    assert doc.find("form", **{"class": "site-search"}) is None  # one search form on this page
    box = parse_html(out / "models/alpha-70b/index.html").find("form", **{"class": "site-search"})
    assert box.attrs["action"] == "/repo/search/" and box.attrs["data-base"] == "/repo/"
    assert box.find("input").attrs["name"] == "q"


def test_every_page_loads_the_theme_scripts_from_the_base_path(out: Path) -> None:
    for name in SCRIPTS:
        assert (out / "static" / name).is_file()
    for page in ("index.html", "models/alpha-70b/index.html", "compare/index.html", "404.html"):
        srcs = [s.attrs["src"] for s in parse_html(out / page).find_all("script") if "src" in s.attrs]
        assert "/repo/static/site.js" in srcs
        assert all(s.startswith("/repo/static/") for s in srcs)
        assert all("defer" in s.attrs for s in parse_html(out / page).find_all("script")
                   if "src" in s.attrs)


def test_comparison_page_ends_with_a_way_to_search(out: Path) -> None:
    doc = parse_html(out / "compare/alpha-70b-vs-beta-pro/index.html")
    cta = doc.find("p", **{"class": "cta"})
    assert cta.text == ("Need something different? Each model's page lists all its "
                        "comparisons. Search all comparisons →")
    assert cta.find("a").attrs["href"] == "/repo/search/"


def test_picker_lists_every_model_and_starts_from_the_model_page(out: Path) -> None:
    index = parse_html(out / "index.html").find("form", **{"class": "picker"})
    assert index.attrs["action"] == "/repo/compare/" and index.attrs["data-base"] == "/repo/"
    first = [o.attrs["value"] for o in index.find("select", name="a").find_all("option")]
    assert first == ["", "alpha-70b", "beta-pro", "gamma-3b"]
    model = parse_html(out / "models/beta-pro/index.html").find("form", **{"class": "picker"})
    chosen = [o.attrs["value"] for o in model.find("select", name="a").find_all("option")
              if "selected" in o.attrs]
    assert chosen == ["beta-pro"]
    second = [o.attrs["value"] for o in model.find("select", name="b").find_all("option")]
    assert second == ["", "alpha-70b", "gamma-3b"]
    for form in (index, model):
        for select in form.find_all("select"):
            assert form.find("label", **{"for": select.attrs["id"]}) is not None


def test_leaderboard_cells_carry_raw_values_for_sorting(out: Path) -> None:
    table = parse_html(out / "index.html").find("table", id="leaderboard-table")
    headers = [th for th in table.find("thead").find_all("th")]
    assert all(th.attrs.get("scope") == "col" and th.attrs.get("data-sort") for th in headers)
    assert [th.attrs.get("aria-sort") for th in headers].count("descending") == 1
    rows = {tr.find("th").find("a").text: tr for tr in table.find("tbody").find_all("tr")}
    alpha, gamma = rows["Alpha 70B"], rows["Gamma 3B"]
    assert alpha.attrs["data-vendor"] == "Acme" and alpha.attrs["data-open"] == "yes"
    assert rows["Beta Pro"].attrs["data-input"] == "text image audio"
    price = [td for td in alpha.find_all("td")][7]
    assert float(price.attrs["data-value"]) == pytest.approx((3 * 0.59 + 0.79) / 4)
    assert next(gamma.find_all("td")).attrs["data-value"] == ""  # unranked: sorts last
    filters = parse_html(out / "index.html").find("form", **{"class": "filters js-only"})
    vendors = [o.text for o in filters.find("select", id="filter-vendor").find_all("option")]
    assert vendors == ["All vendors", "Acme", "Bigco"]
    inputs = [o.attrs["value"] for o in filters.find("select", id="filter-input").find_all("option")]
    assert inputs == ["", "text", "image", "audio"]
