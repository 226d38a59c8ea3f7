"""Live data in articles: the embed syntax renders figures from the data and rejects bad references."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import parse_html, write_files
from generator.cli import main
from generator.build import build
from generator.load.embeds import find_embeds

ARTICLE = """---
title: Embeds
date: 2026-01-01
---
Alpha costs {{ alpha-70b.blended_usd_per_mtok }} and {{ beta-pro }} scores {{ beta-pro.benchmarks.mmlu }}.
Code is left alone: `{{ not-an-embed }}`.

```versus
table: [alpha-70b, beta-pro]
fields: [parameters_b, context_window_tokens, blended_usd_per_mtok, benchmarks.mmlu, vram_gb.int4]
```

```versus
benchmark: mmlu
```

```python
print("{{ also-not-an-embed }}")
```
"""


def test_find_embeds_reports_kinds_and_positions_and_skips_code() -> None:
    found = find_embeds(ARTICLE.split("---\n", 2)[2])
    assert [(e.kind, e.models, e.fields, e.line, e.col) for e in found.embeds] == [
        ("value", ("alpha-70b",), ("blended_usd_per_mtok",), 1, 13),
        ("link", ("beta-pro",), (), 1, 54),
        ("value", ("beta-pro",), ("benchmarks.mmlu",), 1, 76),
        ("table", ("alpha-70b", "beta-pro"), ("parameters_b", "context_window_tokens",
                                              "blended_usd_per_mtok", "benchmarks.mmlu",
                                              "vram_gb.int4"), 4, 1),
        ("benchmark", (), (), 9, 1),
    ]
    assert found.problems == ()


def test_embeds_render_figures_from_the_data(basic_site: Path, tmp_path: Path) -> None:
    write_files(basic_site, {"content/articles/embeds.md": ARTICLE})
    build(basic_site, tmp_path / "out")
    prose = parse_html(tmp_path / "out/articles/embeds/index.html").find("div", **{"class": "prose"})
    first = prose.find("p").text
    assert first.startswith("Alpha costs $0.64 and Beta Pro scores 88.7. Code")
    assert prose.find("p").find("a").attrs["href"] == "/repo/models/beta-pro/"
    assert "{{ not-an-embed }}" in prose.text and '{{ also-not-an-embed }}' in prose.text
    table, ranking = list(prose.find_all("table"))
    rows = [[c.text for c in tr.iter() if c.tag in ("th", "td")] for tr in table.iter("tr")]
    assert rows == [["Model", "Parameters", "Context window", "Blended price / 1M tokens", "MMLU",
                     "Weights at 4-bit"],
                    ["Alpha 70B", "70B", "128K", "$0.64", "86.0", "35 GB"],
                    ["Beta Pro", "—", "128K", "$4.38", "88.7", "—"]]
    assert [tr.find("th").text for tr in ranking.iter("tr")][1:] == ["Beta Pro", "Alpha 70B"]


@pytest.mark.parametrize("body, where, message", [
    ("See {{ alpha-7b.blended_usd_per_mtok }}.\n", ":5:5:",
     "unknown model 'alpha-7b' in embed (did you mean 'alpha-70b'?)"),
    ("Text\n\nand {{ alpha-70b.blended_price }}.\n", ":7:5:",
     "unknown field 'blended_price' in embed"),
    ("```versus\nbenchmark: mmmlu\n```\n", ":6:12:",
     "unknown benchmark 'mmmlu' in embed (did you mean 'mmlu'?)"),
    # A wrong name in a block: the error points at it, and suggests the nearest key.
    ("```versus\ntable: [alpha-70b]\nfields: [vendor, benchmarks.gpq]\n```\n", ":7:18:",
     "unknown field 'benchmarks.gpq' in embed (did you mean 'benchmarks.gpqa'?)"),
    ("```versus\ntable: [alpha-70b, beta]\n```\n", ":6:20:",
     "unknown model 'beta' in embed (did you mean 'beta-pro'?)"),
    # The display name instead of the file name.
    ("Compare {{ Beta Pro }} with {{ ALPHA 70B.blended_usd_per_mtok }}.\n", ":5:9:",
     "{{ Beta Pro }} is not an embed: write the model's file name, not its display name "
     "(did you mean `{{ beta-pro }}`?)"),
    ("Compare {{ Alpha 70B.blended_usd_per_mtok }}.\n", ":5:9:",
     "(did you mean `{{ alpha-70b.blended_usd_per_mtok }}`?)"),
    ("Compare {{ Someone Else }}.\n", ":5:9:",
     "{{ Someone Else }} is not an embed: inside {{ }} write a model's file name"),
    ("```versus\ntable: [alpha-70b]\ncolour: red\n```\n", ":6:1:",
     "unknown key 'colour' in a versus table block"),
    ("```versus\ntable: [alpha-70b\n```\n", ":6:1:", "versus block is not valid YAML"),
])
def test_bad_embeds_are_build_errors_with_their_position(basic_site: Path, runner, body: str,
                                                         where: str, message: str) -> None:
    write_files(basic_site, {"content/articles/bad.md": "---\ntitle: Bad\ndate: 2026-01-01\n---\n" + body})
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    line = next(ln for ln in result.output.splitlines() if "articles/bad.md" in ln)
    assert where in line and message in line, result.output


def test_the_feed_shows_embedded_figures_not_their_placeholders(basic_site: Path,
                                                               tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    write_files(basic_site, {"content/articles/embeds.md": ARTICLE})
    build(basic_site, tmp_path / "out")
    feed = ET.parse(tmp_path / "out/feed.xml").getroot()
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entry = next(e for e in feed.findall("atom:entry", ns)
                 if e.find("atom:title", ns).text == "Embeds")
    content = entry.find("atom:content", ns).text
    assert "Alpha costs $0.64" in content and "VERSUSEMBED" not in content


PAIR_ARTICLE = """---
title: Pairs
date: 2026-01-01
---
Beta Pro leads on {{ beta-pro.wins.alpha-70b }}, Alpha 70B on {{ alpha-70b.wins.beta-pro }};
they tie on {{ alpha-70b.ties.beta-pro }}.
"""


def test_pair_embeds_count_shared_benchmarks_won_and_tied(basic_site: Path,
                                                         tmp_path: Path) -> None:
    write_files(basic_site, {"content/articles/pairs.md": PAIR_ARTICLE})
    build(basic_site, tmp_path / "out")
    text = parse_html(tmp_path / "out/articles/pairs/index.html").find(
        "div", **{"class": "prose"}).find("p").text
    assert text == "Beta Pro leads on 3 of 3, Alpha 70B on 0 of 3; they tie on 0 of 3."


def test_pair_embeds_follow_each_benchmarks_direction_and_ties(basic_site: Path,
                                                              tmp_path: Path) -> None:
    registry = basic_site / "content" / "benchmarks.yaml"
    registry.write_text(registry.read_text() + "\nerrors: {name: Errors, higher_is_better: false}\n"
                        "equal: {name: Equal}\n")
    for slug, errors in (("alpha-70b", 2.0), ("beta-pro", 5.0)):
        path = basic_site / "content" / "models" / f"{slug}.yaml"
        path.write_text(path.read_text().replace(
            "benchmarks:\n", f"benchmarks:\n  errors: {{score: {errors}}}\n  equal: {{score: 50}}\n"))
    write_files(basic_site, {"content/articles/pairs.md": PAIR_ARTICLE})
    build(basic_site, tmp_path / "out")
    text = parse_html(tmp_path / "out/articles/pairs/index.html").find(
        "div", **{"class": "prose"}).find("p").text
    assert text == "Beta Pro leads on 3 of 5, Alpha 70B on 1 of 5; they tie on 1 of 5."


@pytest.mark.parametrize("body, message", [
    ("{{ alpha-70b.wins.alpha-7b }}\n", "unknown model 'alpha-7b' in embed"),
    ("```versus\ntable: [alpha-70b, beta-pro]\nfields: [wins.beta-pro]\n```\n",
     "'wins.beta-pro' compares two models: write it inline"),
])
def test_bad_pair_embeds_are_build_errors(basic_site: Path, runner, body: str,
                                          message: str) -> None:
    write_files(basic_site, {"content/articles/bad.md": "---\ntitle: Bad\ndate: 2026-01-01\n---\n" + body})
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert message in result.output, result.output
