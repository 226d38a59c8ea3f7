"""A catalogue of real size in the browser: the leaderboard hides no column at 390 and 1280 px."""

from __future__ import annotations

import random
from typing import Any, Iterator

import pytest

from conftest import write_files
from generator.build import build
from generator.tools.serve import serve
from synthetic import model_yaml, write_catalogue

from .conftest import DESKTOP, PHONE, open_tab


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """169 models with long names and vendors, served under /big/."""
    source = write_catalogue(tmp_path_factory.mktemp("big-source"), models=169, per_model=8)
    rng = random.Random(3)
    for index in range(0, 169, 7):  # long display names and vendor names, as in real data
        slug, text = model_yaml(rng, index)
        write_files(source, {f"content/models/{slug}.yaml": text.replace(
            "name: ", "name: Long Distilled Instruct Reasoning Preview ", 1).replace(
            "vendor: ", "vendor: Alibaba Cloud / Qwen Team ", 1)})
    out = tmp_path_factory.mktemp("big-out")
    with serve(out) as origin:
        build(source, out / "big", base_url=f"{origin}/big/")
        yield f"{origin}/big/"


COLUMNS = """() => {
  const box = document.querySelector('#leaderboard-table').closest('.table-scroll');
  const table = document.querySelector('#leaderboard-table');
  const boxRect = box.getBoundingClientRect();
  const heads = Array.from(table.tHead.rows[0].cells);
  const first = table.tBodies[0].rows[0];
  const out = {scrollable: getComputedStyle(box).overflowX, fits: box.scrollWidth <= box.clientWidth,
               hidden: [], stuck: null, boxRight: boxRect.right, pageWidth: document.documentElement.scrollWidth};
  box.scrollLeft = box.scrollWidth;  // scrolled to the far right: the last columns come into view
  const b = box.getBoundingClientRect();
  for (const th of heads) {
    const r = th.getBoundingClientRect();
    if (getComputedStyle(th).display === 'none' || r.width === 0) out.hidden.push(th.textContent.trim());
  }
  const last = heads[heads.length - 1].getBoundingClientRect();
  out.lastVisible = last.right <= b.right + 1 && last.left >= b.left - 1;
  const name = first.querySelector('th[scope=row]').getBoundingClientRect();
  out.stuck = name.left >= b.left - 1 && name.right <= b.right + 1;
  return out;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_leaderboard_of_a_big_catalogue_hides_no_column(browser: Any, big_site: str,
                                                              viewport: dict) -> None:
    context, tab = open_tab(browser, viewport=viewport)
    try:
        page = tab.open(big_site)
        result = page.evaluate(COLUMNS)
    finally:
        context.close()
    assert result["hidden"] == []
    assert result["pageWidth"] <= viewport["width"]  # the page itself never scrolls sideways
    assert result["scrollable"] == "auto" and result["lastVisible"]
    assert result["stuck"]  # the model's name stays in view while the table scrolls
    if viewport is DESKTOP:
        assert result["fits"]  # at 1280 px every column fits without scrolling
