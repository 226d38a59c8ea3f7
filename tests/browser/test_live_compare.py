"""A pair the site has not built, drawn in the browser from the exported data (404 and picker)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Served, Tab

A, B = "llama-3-2-3b-instruct", "gpt-4-1"  # no page of their own in the sparse site
NAMES = {A: "Llama 3.2 3B Instruct", B: "GPT-4.1"}

LIVE_TABLES = """box => Array.from(box.querySelectorAll('table')).map(t => ({
  head: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
  rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent.trim()))
}))"""


def open_missing_pair(tab: Tab, served: Served, first: str, second: str) -> Any:
    """Open /sparse/compare/<first>-vs-<second>/ as GitHub Pages would: with 404.html."""
    page = tab.page
    not_found = (served.out.parent / "sparse" / "404.html").read_bytes()
    url = served.url(f"compare/{first}-vs-{second}/", site="sparse")
    page.route(url, lambda route: route.fulfill(status=404, body=not_found,
                                                content_type="text/html; charset=utf-8"))
    page.goto(url)
    page.locator("#live-compare table").first.wait_for()
    return page


@pytest.mark.parametrize("first, second", [(A, B), (B, A)])
def test_a_missing_pair_shows_both_models_side_by_side_in_either_order(
        tab: Tab, served: Served, first: str, second: str) -> None:
    assert not (served.out.parent / "sparse" / f"compare/{min(A, B)}-vs-{max(A, B)}").exists()
    page = open_missing_pair(tab, served, first, second)
    tables = page.locator("#live-compare").evaluate(LIVE_TABLES)
    facts, benchmarks = tables
    assert facts["head"] == ["Feature", NAMES[first], NAMES[second]]
    assert benchmarks["head"] == ["Feature", NAMES[first], NAMES[second]]
    labels = [row[0] for row in facts["rows"]]
    assert labels[:4] == ["Vendor", "Release date", "Overall score", "Quality (benchmarks)"]
    assert all(row[1:] != ["—", "—"] for row in facts["rows"] + benchmarks["rows"])
    links = page.locator("#not-compared a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert served.url(f"models/{first}/", site="sparse").split("//", 1)[1].split("/", 1)[1] \
        in " ".join(links)
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    assert page.title() == f"{NAMES[first]} vs {NAMES[second]}: not compared yet | Model Match"
    # The 404 status of the page itself (and Chrome's console line about it), nothing else.
    assert tab.errors == [f"HTTP 404: {page.url}", "console.error: Failed to load resource: the "
                          "server responded with a status of 404 (Not Found)"]


def test_the_live_view_reads_like_the_built_page(tab: Tab, served: Served) -> None:
    """For a pair that has a page, the live view's benchmark cells equal the page's."""
    pairs = json.loads((served.out.parent / "sparse/api/comparisons.json").read_text())
    a, b = pairs[0]["a"], pairs[0]["b"]
    built = tab.open(served.url(f"compare/{a}-vs-{b}/", site="sparse"))
    caption = built.locator("caption", has_text="Benchmark scores of")
    expected = caption.locator("xpath=..").evaluate(
        "t => Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).slice(0, 3)"
        ".map(c => c.textContent.trim()))")
    page = open_missing_pair(tab, served, a, b)
    rows = page.locator("#live-compare").evaluate(LIVE_TABLES)[1]["rows"]
    strip = lambda s: s.replace(" (lower is better)", "")  # noqa: E731
    assert [[strip(r[0]), r[1], r[2]] for r in rows] == [[r[0], r[1], r[2]] for r in expected]


def test_the_picker_draws_a_pair_without_a_page(tab: Tab, served: Served) -> None:
    page = tab.open(served.url(site="sparse"))
    page.select_option("#picker-a", B)
    page.select_option("#picker-b", A)
    page.click(".picker button[type=submit]")
    page.locator(".live-compare table").first.wait_for()
    head = page.locator(".live-compare table").first.evaluate(
        "t => Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim())")
    assert head == ["Feature", NAMES[B], NAMES[A]]
    assert "their figures side by side are below" in page.locator(".picker-message").inner_text()
    assert page.url == served.url(site="sparse")
    page.select_option("#picker-b", "")
    assert page.locator(".live-compare").is_hidden()
    assert tab.errors == []
