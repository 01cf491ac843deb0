"""The README keeps up with the CLI: every command and option is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from crawler.cli import build_parser
from crawler.settings import __file__ as settings_file
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_command_documented(command):
    assert f"newsarchive {command}" in README


@pytest.mark.parametrize(("command", "option"), [
    (name, option)
    for name, sub in sorted(subcommands().items())
    for action in sub._actions
    for option in action.option_strings
    if option.startswith("--") and option != "--help"
])
def test_option_documented(command, option):
    assert f"`{option}" in README, f"{command} {option} is not in README.md"


def test_quick_start_is_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()
                if line.startswith("make ")]
    assert commands == ["make demo", "make test"]


def test_settings_prefixes_documented():
    text = Path(settings_file).read_text(encoding="utf-8")
    for prefix in ("ARCHIVE_", "WARC_", "EXTRACT_", "NEWS_", "PROGRESS_", "INCREMENTAL_"):
        assert prefix in text and prefix in README
