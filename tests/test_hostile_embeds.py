"""What a hostile review broke in article embeds and ids (issue #16, failures 1 and 12).

Each test builds a small site whose article or model does what the review did,
then parses the published page back.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Element, parse_html
from test_bad_input import BASE_SITE, BETA, active_content, run_build, write_files

from generator.cli import main
from generator.pages.markup import render_markdown
from markupsafe import Markup

JS = "javascript:alert(document.domain)"
ALPHA_JS = BASE_SITE["content/models/alpha.yaml"] + f'license: "{JS}"\n'
QUOTE = 'x" onmouseover="alert(1)'
ALPHA_QUOTE = BASE_SITE["content/models/alpha.yaml"] + f"license: '{QUOTE}'\n"


def build_article(root: Path, body: str, *, alpha: str = BASE_SITE["content/models/alpha.yaml"],
                  extra: dict[str, str] | None = None) -> Element:
    write_files(root, {**BASE_SITE, "content/models/alpha.yaml": alpha,
                       "content/articles/hello.md": "---\ntitle: Hello\ndate: 2024-01-01\n"
                                                    "models: [alpha, beta]\n---\n" + body,
                       **(extra or {})})
    result = run_build(root)
    assert result.exit_code == 0, result.output
    return parse_html(root / "site" / "articles" / "hello" / "index.html")


def prose(page: Element) -> Element:
    found = page.find("div", class_="prose")
    assert found is not None
    return found


def assert_inert(root: Path, page: str = "articles/hello/index.html") -> None:
    found = active_content(root / "site" / page)
    assert found.js_urls == [] and found.handlers == [], (found.js_urls, found.handlers)
    assert "\x1a" not in (root / "site" / page).read_text(encoding="utf-8")
    assert "\x1a" not in (root / "site" / "feed.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 1: placeholders


def test_a_forged_placeholder_in_a_link_cannot_make_a_javascript_url(tmp_path: Path) -> None:
    # "Licence: " is 9 characters: the embed's placeholder used to be VERSUSEMBED9X
    page = build_article(tmp_path, "Licence: {{ alpha.license }}\n\n"
                                   "Read [the licence](VERSUSEMBED9X).\n", alpha=ALPHA_JS)
    assert_inert(tmp_path)
    links = [a for a in prose(page).iter("a") if a.text == "the licence"]
    assert len(links) == 1 and links[0].attrs.get("href") == "VERSUSEMBED9X"
    checked = CliRunner().invoke(main, ["check", "--source", str(tmp_path)])
    assert checked.exit_code == 0, checked.output


def test_an_embed_written_as_a_link_target_cannot_make_a_javascript_url(tmp_path: Path) -> None:
    page = build_article(tmp_path, "Read [the licence]({{ alpha.license }}).\n", alpha=ALPHA_JS)
    assert_inert(tmp_path)
    link = next(a for a in prose(page).iter("a") if a.text == "the licence")
    assert not (link.attrs.get("href") or "").lower().startswith("javascript")


def test_a_placeholder_forged_with_character_references_is_not_filled(tmp_path: Path) -> None:
    # the new placeholder of an embed at offset 9 is \x1a U+E009 \x1a
    page = build_article(tmp_path, "Licence: {{ alpha.license }}\n\n"
                                   "Read [the licence](&#26;&#xE009;&#x1a;).\n", alpha=ALPHA_JS)
    assert_inert(tmp_path)
    link = next(a for a in prose(page).iter("a") if a.text == "the licence")
    assert JS not in (link.attrs.get("href") or "")


def test_an_embed_in_a_link_title_cannot_leave_the_attribute(tmp_path: Path) -> None:
    page = build_article(tmp_path, "See [the card](https://example.com/card "
                                   '"{{ alpha.license }}") and {{ alpha }}.\n', alpha=ALPHA_QUOTE)
    assert_inert(tmp_path)
    card = [a for a in prose(page).iter("a") if a.attrs.get("href") == "https://example.com/card"]
    assert len(card) == 1
    assert set(card[0].attrs) <= {"href", "title"}
    assert card[0].attrs["title"] == QUOTE  # the plain value, escaped into the attribute


def test_a_forged_placeholder_in_a_link_title_cannot_leave_the_attribute(tmp_path: Path) -> None:
    page = build_article(tmp_path, "See: {{ alpha }}\n\n"
                                   '[card](https://example.com/card "VERSUSEMBED5X")\n')
    assert_inert(tmp_path)
    card = [a for a in prose(page).iter("a") if a.attrs.get("href") == "https://example.com/card"]
    assert len(card) == 1 and card[0].attrs["title"] == "VERSUSEMBED5X"


def test_a_heading_with_an_embed_reads_right_in_the_contents(tmp_path: Path) -> None:
    page = build_article(tmp_path, "Intro.\n\n## Why {{ alpha }} wins\n\nText.\n\n"
                                   "## Costs of {{ alpha.parameters_b }}\n\nMore.\n")
    toc = page.find("nav", class_="toc")
    assert toc is not None
    assert [a.text for a in toc.iter("a")] == ["Why Alpha wins", "Costs of 70B"]
    heading = next(h for h in prose(page).iter("h2") if "wins" in h.text)
    assert heading.attrs["id"] == [a for a in toc.iter("a")][0].attrs["href"][1:]
    assert heading.find("a", href="/models/alpha/") is not None


def test_a_literal_placeholder_in_a_code_span_stays_literal(tmp_path: Path) -> None:
    page = build_article(tmp_path, "Price: {{ alpha }} and `VERSUSEMBED7X` and "
                                   "`{{ alpha }}`.\n")
    codes = [c.text for c in prose(page).iter("code")]
    assert codes == ["VERSUSEMBED7X", "{{ alpha }}"]


def test_filling_puts_html_only_where_the_token_is_text() -> None:
    from generator.pages.markup import fill_embeds

    token = "\x1a\ue000\x1a"
    html = f'<p><a href="{token}" title="{token}">x</a> {token}</p>'
    filled = fill_embeds(html, {token: Markup('<a href="/m/">M &amp; "N"</a>')})
    assert filled == ('<p><a href="M &amp; &quot;N&quot;" title="M &amp; &quot;N&quot;">x</a> '
                      '<a href="/m/">M &amp; "N"</a></p>')
    token_js = "\x1a\ue001\x1a"
    filled = fill_embeds(f'<p><a href="{token_js}">x</a></p>', {token_js: Markup("javascript:x()")})
    assert filled == "<p><a>x</a></p>"


def test_the_example_article_html_is_unchanged_by_filling() -> None:
    """No token in a tag: the sanitised HTML is not sanitised again (same bytes)."""
    from generator.pages.markup import fill_embeds

    rendered = render_markdown("Some *text* [link](https://example.com/ \"t\")\n\n| a |\n|--|\n| b |\n")
    assert fill_embeds(str(rendered.html), {}) == rendered.html


# --------------------------------------------------------------------------- 12: ids


def ids(page: Element) -> Counter[str]:
    return Counter(el.attrs["id"] for el in page.iter() if el.attrs.get("id"))


def test_editor_ids_never_collide_with_the_themes_on_an_article(tmp_path: Path) -> None:
    page = build_article(tmp_path, "## main\n\nText [up](#main).\n\nA paragraph.\n"
                                   "{: #toc-title }\n\n## Related title\n\nMore.\n"
                                   "{: #related-title }\n")
    counts = ids(page)
    assert [i for i, n in counts.items() if n > 1] == []
    toc = page.find("nav", class_="toc")
    assert toc is not None
    targets = [a.attrs["href"][1:] for a in toc.iter("a")]
    assert all(counts[t] == 1 for t in targets)
    up = next(a for a in prose(page).iter("a") if a.text == "up")
    assert counts[up.attrs["href"][1:]] == 1  # the editor's own link follows the rename
    assert page.find("main", id="main") is not None  # the theme keeps its ids


def test_editor_ids_never_collide_with_the_themes_on_a_model_page(tmp_path: Path) -> None:
    answer = "Yes.\n{: #pricing }\n\nAnd more.\n{: #capabilities-beta }\n"
    faq = "faq:\n  - question: Open?\n    answer: |\n" + "".join(
        f"      {line}\n" for line in answer.splitlines())
    priced = ("pricing:\n  - provider: Host\n    input_usd_per_mtok: 1\n    output_usd_per_mtok: 2\n"
              "capabilities:\n  - title: Code\n    description: Writes code.\n")
    build_article(tmp_path, "Text.\n", extra={"content/models/beta.yaml": BETA + priced + faq})
    page = parse_html(tmp_path / "site" / "models" / "beta" / "index.html")
    counts = ids(page)
    assert counts["pricing"] == 1  # the theme's own section is there
    assert [i for i, n in counts.items() if n > 1] == []


def test_the_theme_ids_are_found_in_its_templates() -> None:
    from generator.pages.markup import theme_ids

    assert {"main", "toc-title", "related-title"} <= theme_ids("article.html")
    assert {"pricing", "faq", "main"} <= theme_ids()


@pytest.mark.parametrize("name", ["main", "toc-title", "site-search-q"])
def test_a_heading_named_like_a_theme_id_gets_another(name: str) -> None:
    rendered = render_markdown(f"## {name}\n")
    assert rendered.toc[0].id != name and rendered.toc[0].id.endswith(name)
