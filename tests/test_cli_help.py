"""The command line as a newcomer meets it: -h everywhere, whole help lines, no prompts in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import write_files
from generator.cli import main

COMMANDS = [[], ["build"], ["check"], ["linkcheck"], ["serve"], ["schema"], ["init"], ["diff"],
            ["new"], ["new", "model"], ["new", "article"]]
SITE = {
    "content/site.yaml": "title: T\nbase_url: https://acme.github.io/t/\n",
    "content/models/llama-3-8b.yaml": "name: Llama 3 8B\nvendor: Meta\nopen_weights: true\n",
}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_dash_h_shows_the_help_of_every_command(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "-h"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")


def _listed(group: click.Group) -> list[tuple[str, str]]:
    """The command names and one-line summaries a group's help lists."""
    ctx = click.Context(group)
    return [(name, group.get_command(ctx, name).get_short_help_str(limit=80))  # type: ignore[union-attr]
            for name in group.list_commands(ctx)]


@pytest.mark.parametrize("group", [main, main.commands["new"]], ids=["versus", "new"])
def test_every_help_summary_is_a_whole_sentence(group: click.Group) -> None:
    result = CliRunner().invoke(group, ["--help"])
    for name, summary in _listed(group):
        assert not summary.endswith("...") and summary.endswith("."), (name, summary)
        assert summary in result.output, (name, summary)  # printed whole, not cut


def test_new_model_without_a_terminal_names_the_flags(tmp_path: Path) -> None:
    root = write_files(tmp_path / "p", SITE)
    done = subprocess.run([sys.executable, "-m", "generator", "new", "model", "Llama 5 8B",
                           "--source", str(root)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert ("no terminal to ask on: give --vendor NAME and --open-weights or "
            "--closed-weights (models of the same line suggest --vendor Meta --open-weights)"
            ) in done.stderr
    assert "Aborted!" not in done.stderr
    assert not (root / "content/models/llama-5-8b.yaml").exists()


def test_new_model_without_a_terminal_works_with_the_flags(tmp_path: Path) -> None:
    root = write_files(tmp_path / "p", SITE)
    done = subprocess.run([sys.executable, "-m", "generator", "new", "model", "Qwen 4",
                           "--source", str(root), "--vendor", "Alibaba", "--closed-weights"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (root / "content/models/qwen-4.yaml").is_file()


def test_new_model_names_only_the_missing_flag(tmp_path: Path) -> None:
    root = write_files(tmp_path / "p", SITE)
    result = CliRunner().invoke(main, ["new", "model", "Qwen 4", "--source", str(root),
                                       "--vendor", "Alibaba"], input="")
    assert result.exit_code == 2
    assert "give --open-weights or --closed-weights" in result.output
    assert "--vendor NAME" not in result.output
