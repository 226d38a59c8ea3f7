"""Computed questions and verdicts: the data decides which questions appear and their figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import parse_html, write_files
from generator.build import build


def faq_of(page: Path) -> dict[str, str]:
    doc = parse_html(page)
    return {d.find("summary").text: d.find("div").text for d in doc.find_all("details")}


@pytest.fixture
def built(basic_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build(basic_site, out)
    return out


def test_a_rich_pair_gets_every_question_with_correct_figures(built: Path) -> None:
    faq = faq_of(built / "compare/alpha-70b-vs-beta-pro/index.html")
    assert list(faq) == [
        "Is Alpha 70B as good as Beta Pro?",
        "Which is cheaper, Alpha 70B or Beta Pro?",
        "Which has the longer context window?",
        "How do Alpha 70B and Beta Pro compare on the benchmarks both report?",
        "Which is faster?",
        "Can I run Alpha 70B or Beta Pro on my own hardware?",
        "What does self-hosting cost per million tokens?",
        "Can they be fine-tuned?",
        "Is there a free tier?",
        "Which accepts images or audio?",
    ]
    cheaper = faq["Which is cheaper, Alpha 70B or Beta Pro?"]
    # (3 × 0.59 + 0.79) / 4 = 0.64; (3 × 2.5 + 10) / 4 = 4.375; 4.375 / 0.64 = 6.8
    assert cheaper.startswith("Alpha 70B is about 6.8× cheaper: $0.64 against $4.38 per million")
    assert "$0.59 per million input tokens and $0.79 per million output tokens at Host Two" in cheaper
    assert "$2.50 per million input tokens and $10.00 per million output tokens at Bigco" in cheaper
    assert "(bigco.example, 1 Mar 2026)" in cheaper
    grouped = faq["How do Alpha 70B and Beta Pro compare on the benchmarks both report?"]
    assert grouped.startswith("On the 3 benchmarks both report, Beta Pro does better on all 3.")
    assert "MMLU 86.0 88.7 ✓" in grouped  # one table for all of them, not a question each
    assert faq["Which is faster?"].startswith("Alpha 70B, about 3.1× faster")  # 250 / 80
    assert faq["Which has the longer context window?"].startswith("They are about the same")
    hosting = faq["What does self-hosting cost per million tokens?"]
    assert "Alpha 70B on 1× H100 PCIe (fp8, 1,000 tokens/s at $1.99/h per GPU): $0.55" in hosting
    assert "Beta Pro: cannot be self-hosted" in hosting


def test_a_pair_with_little_data_gets_only_the_questions_its_data_answers(built: Path) -> None:
    faq = faq_of(built / "compare/beta-pro-vs-gamma-3b/index.html")
    assert list(faq) == ["Can I run Beta Pro or Gamma 3B on my own hardware?",
                         "Can they be fine-tuned?"]
    assert "Gamma 3B: yes, the weights are downloadable; they take 6.4 GB at 16-bit" in \
        faq["Can I run Beta Pro or Gamma 3B on my own hardware?"]


def test_a_model_with_little_data_gets_only_answerable_questions(built: Path) -> None:
    assert list(faq_of(built / "models/gamma-3b/index.html")) == [
        "Can I download Gamma 3B and run it myself?", "Can Gamma 3B run on a single GPU?"]


@pytest.mark.parametrize("pattern", [r"\bNone\b", r"\bnan\b", r"\bnull\b", r"\bundefined\b",
                                     r"\$0(?![.,\d])"])
def test_no_page_shows_a_placeholder_for_missing_data(built: Path, pattern: str) -> None:
    for page in built.rglob("*.html"):
        assert not re.search(pattern, parse_html(page).text), (page, pattern)


def test_editorial_questions_come_first_and_replace_computed_ones(basic_site: Path,
                                                                   tmp_path: Path) -> None:
    model = (basic_site / "content/models/gamma-3b.yaml").read_text()
    write_files(basic_site, {"content/models/gamma-3b.yaml": model + (
        "faq:\n"
        "  - question: Can Gamma 3B run on a single GPU?\n"
        "    answer: Yes, even on a **laptop** GPU.\n"
        "  - question: Why is it called Gamma?\n"
        "    answer: After the third letter.\n")})
    build(basic_site, tmp_path / "out")
    faq = faq_of(tmp_path / "out/models/gamma-3b/index.html")
    assert list(faq) == ["Can Gamma 3B run on a single GPU?", "Why is it called Gamma?",
                         "Can I download Gamma 3B and run it myself?"]
    assert faq["Can Gamma 3B run on a single GPU?"] == "Yes, even on a laptop GPU."


def test_the_faq_wording_is_a_template_a_project_can_override(basic_site: Path,
                                                              tmp_path: Path) -> None:
    write_files(basic_site, {"templates/faq.html": (
        "{% extends 'faq.html' %}" if False else
        (Path(__file__).parents[1] / "generator/theme/templates/faq.html").read_text().replace(
            "Can I download {{ f.m.name }} and run it myself?",
            "¿Puedo descargar {{ f.m.name }}?"))})
    build(basic_site, tmp_path / "out")
    assert "¿Puedo descargar Gamma 3B?" in faq_of(tmp_path / "out/models/gamma-3b/index.html")


def test_verdict_names_the_winner_and_reasons_from_the_data(built: Path) -> None:
    doc = parse_html(built / "compare/alpha-70b-vs-beta-pro/index.html")
    verdict = doc.find("section", **{"class": "verdict"})
    first = verdict.find("p").text
    assert first.startswith("Alpha 70B ranks higher overall, ahead on cost, speed and openness")
    cards = {c.find("h3").text: [li.text for li in c.iter("li")] for c in verdict.find_all("div", **{"class": "card"})}
    alpha, beta = cards["Choose Alpha 70B if…"], cards["Choose Beta Pro if…"]
    assert alpha[0].startswith("you want the lower bill: it is about 6.8× cheaper")
    assert any(r.startswith("you need to run it on your own hardware") for r in alpha)
    assert "speed matters: it generates about 3.1× more tokens per second at its fastest provider." in alpha
    assert beta[0] == ("you care most about code, general knowledge or reasoning: it leads on "
                       "HumanEval (90.2 against 80.5), MMLU (88.7 against 86.0), "
                       "GPQA Diamond (53.6 against 46.7).")
    assert "you need image and audio input, which Alpha 70B does not accept." in beta
    assert "you want to start for free: a listed provider has a free tier." in beta


def test_no_page_asks_more_than_twelve_questions(basic_site: Path, tmp_path: Path) -> None:
    # Ten editorial questions on each side that name the other, on top of every computed one.
    for slug, other in (("alpha-70b", "Beta Pro"), ("beta-pro", "Alpha 70B")):
        path = basic_site / f"content/models/{slug}.yaml"
        extra = "".join(f"  - question: Is it like {other}, point {i}?\n    answer: Yes.\n"
                        for i in range(10))
        text = path.read_text()
        text = text.replace("faq:\n", "faq:\n" + extra) if "faq:\n" in text else \
            text + "faq:\n" + extra
        path.write_text(text)
    out = tmp_path / "out"
    build(basic_site, out)
    for page in [out / "compare/alpha-70b-vs-beta-pro/index.html",
                 out / "models/alpha-70b/index.html", out / "models/beta-pro/index.html"]:
        questions = list(faq_of(page))
        assert len(questions) == 12, page
        assert questions[0].startswith("Is it like")  # editorial questions come first
