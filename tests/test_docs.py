"""The docs keep up with the code: README.md and docs/*.md, read as one manual.

Every ``newsarchive`` command has an example the real parser accepts, and every
option is explained and shown in one of its command's examples; every job-file
key and every setting of newsarchive's own is documented, and no page names one
that does not exist; every docs page is linked from the README, and every
relative link (file or ``#anchor``) leads somewhere; the paths, modules and
tests the pages name exist.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import importlib.util
import io
import re
import shlex
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import crawler.settings
from crawler.cli import build_parser
from crawler.jobfiles.load import JOB_KEYS, POLITENESS_KEYS, SOURCE_KEYS
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
TEXTS = {page: page.read_text(encoding="utf-8") for page in PAGES}
ALL_TEXT = "\n".join(TEXTS.values())

# Code blocks whose lines are shell commands: every line (sh, cron) or every
# `$ ` prompt line (console). Blocks without a language are output or pictures.
SHELL_BLOCKS = {"sh", "bash", "cron"}
PROMPT_BLOCKS = {"console"}
# Settings of newsarchive's own components (STYLE.md: one prefix per component).
PREFIXES = ("ARCHIVE_", "WARC_", "EXTRACT_", "NEWS_", "POLITENESS_", "INCREMENTAL_",
            "PROGRESS_", "REDIS_", "EGRESS_", "METRICS_", "HEALTH_")
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def rel(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def prose(text: str) -> str:
    """The text outside fenced code blocks (fences blanked out, lines kept)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


@dataclass(frozen=True)
class Example:
    """One `newsarchive ...` command line from a code block."""

    where: str  # page:line
    line: str
    args: tuple[str, ...]  # what follows `newsarchive`, up to a pipe or redirect


def shell_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, logical line) of every command in the page's shell code blocks."""
    for block in FENCE.finditer(text):
        lang = block.group(1)
        if lang not in SHELL_BLOCKS | PROMPT_BLOCKS:
            continue
        first = text.count("\n", 0, block.start(2)) + 1
        pending, start = "", first
        for number, raw in enumerate(block.group(2).splitlines(), first):
            if not pending:
                start = number
                if lang in PROMPT_BLOCKS:
                    if not raw.startswith("$ "):
                        continue
                    raw = raw[2:]
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1] + " "
                continue
            yield start, pending + raw
            pending = ""


def newsarchive_args(line: str) -> tuple[str, ...] | None:
    """The arguments given to `newsarchive` on a shell line, or None if it runs none."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    operator = set(lexer.punctuation_chars).issuperset  # a pipe, a redirect, `&&`
    at_command = True  # where the shell expects a command name
    for i, token in enumerate(tokens):
        if at_command and (token == "newsarchive" or token.endswith("/bin/newsarchive")):
            args = []
            for arg in tokens[i + 1:]:
                if operator(arg):
                    break
                args.append(arg)
            return tuple(args)
        # After an operator, `VAR=value` or `exec`, a command name may still come.
        at_command = (operator(token) or (at_command and token == "exec")
                      or (at_command and re.fullmatch(r"\w+=\S*", token) is not None))
    return None


def examples() -> list[Example]:
    found = []
    for page, text in TEXTS.items():
        for number, line in shell_lines(text):
            args = newsarchive_args(line)
            if args is not None:
                found.append(Example(f"{rel(page)}:{number}", line.strip(), args))
    return found


EXAMPLES = examples()


def commands(parser: argparse.ArgumentParser | None = None,
             prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command a user can run ("crawl", "jobs check", ...), with its parser."""
    parser = parser or build_parser()
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix}{name}"
                nested = commands(sub, f"{path} ")
                found.update(nested or {path: sub})
    return found


COMMANDS = commands()


def command_of(args: tuple[str, ...]) -> str | None:
    """Which command an example runs: the longest command its first words name."""
    for size in (2, 1):
        words = " ".join(args[:size])
        if words in COMMANDS:
            return words
    return None


def options() -> list[tuple[str, tuple[str, ...]]]:
    return [(name, tuple(action.option_strings))
            for name, sub in sorted(COMMANDS.items())
            for action in sub._actions
            if action.option_strings and not isinstance(action, argparse._HelpAction)]


# -- commands and options ---------------------------------------------------------------

@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_an_example(command):
    assert any(command_of(e.args) == command for e in EXAMPLES), (
        f"no example of `newsarchive {command}` in a sh code block of README.md or docs/*.md")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_every_example_parses(example):
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            build_parser().parse_args(list(example.args))
        except SystemExit:
            pytest.fail(f"{example.where}: `{example.line}` does not parse: "
                        f"{stderr.getvalue().strip()}")


@pytest.mark.parametrize(("command", "option_strings"), options(),
                         ids=[f"{c} {o[-1]}" for c, o in options()])
def test_every_option_is_explained_and_shown(command, option_strings):
    explained = [o for o in option_strings
                 if re.search(rf"`{re.escape(o)}(?![\w-])", prose(ALL_TEXT))]
    assert explained, (f"newsarchive {command} {option_strings[-1]}: explain it in "
                       f"README.md or docs/*.md (as `{option_strings[-1]} ...`)")
    shown = [e for e in EXAMPLES if command_of(e.args) == command
             and any(arg == o or arg.startswith(f"{o}=")
                     for arg in e.args for o in option_strings)]
    assert shown, (f"newsarchive {command} {option_strings[-1]}: no example uses it; "
                   f"add one to a sh code block")


def registered_markers() -> list[str]:
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["pytest"]["ini_options"]
    return [line.split(":")[0].split("(")[0].strip()
            for line in pytest_options.get("markers", [])]


def test_every_pytest_marker_is_documented():
    undocumented = [m for m in registered_markers() if f"`{m}`" not in ALL_TEXT]
    assert not undocumented, (f"pytest markers of pyproject.toml not documented in "
                              f"docs/development.md: {undocumented}")


def test_quick_start_is_two_commands():
    quick_start = TEXTS[README].split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()
                if line.startswith("make ")]
    assert commands == ["make demo", "make test"]


# -- job files and settings -------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(JOB_KEYS | SOURCE_KEYS | POLITENESS_KEYS))
def test_every_job_file_key_is_documented(key):
    # `key`, `[key]`, `[[key]]` or `[table.key]`
    assert re.search(rf"`\[{{0,2}}(?:\w+\.)?{key}\]{{0,2}}`", ALL_TEXT), (
        f"job-file key {key!r} is not documented in README.md or docs/*.md")


OWN_SETTINGS = sorted(name for name in vars(crawler.settings)
                      if name.isupper() and name.startswith(PREFIXES))
SETTING_NAME = re.compile(rf"(?<![\w:-])((?:{'|'.join(PREFIXES)})[A-Z0-9_]*[A-Z0-9])"
                          r"(?![\w*])")


@pytest.mark.parametrize("name", OWN_SETTINGS)
def test_every_setting_is_documented(name):
    assert re.search(rf"(?<!\w){name}(?!\w)", ALL_TEXT), (
        f"setting {name} (crawler/settings.py) is not documented in README.md or docs/*.md")


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_settings_named_exist(page):
    unknown = sorted(set(SETTING_NAME.findall(TEXTS[page])) - set(OWN_SETTINGS))
    assert not unknown, f"{rel(page)} names settings crawler/settings.py lacks: {unknown}"


# -- links ------------------------------------------------------------------------------

def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for match in HEADING.finditer(prose(page.read_text(encoding="utf-8"))):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    return LINK.findall(prose(TEXTS[page]))


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_relative_links_lead_somewhere(page):
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target} (no heading #{anchor} in {rel(file)})")
    assert not broken, f"{rel(page)}: broken links: {broken}"


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(README)}
    pages = {page.resolve() for page in DOCS.glob("*.md")}
    assert not pages - linked, f"not linked from README.md: {sorted(map(rel, pages - linked))}"
    missing = {p for p in linked if p.parent == DOCS.resolve() and not p.exists()}
    assert not missing, f"README.md links to missing pages: {sorted(map(str, missing))}"


# -- paths, modules and tests named ---------------------------------------------------

REPO_PATH = re.compile(r"(?<![\w/.@-])((?:crawler|archive|bench|tests|jobs|docs)/[\w./*@-]*)")
MODULE = re.compile(r"(?:crawler|archive|bench)(?:\.[A-Za-z_]\w*)+")
TEST_ID = re.compile(r"tests/(test_\w+\.py)((?:::\w+)*)")


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_paths_named_exist(page):
    missing = []
    for path in set(REPO_PATH.findall(TEXTS[page])):
        path = path.rstrip(".")
        if not (list(ROOT.glob(path.rstrip("/"))) if "*" in path else (ROOT / path).exists()):
            missing.append(path)
    assert not missing, f"{rel(page)} names paths that do not exist: {sorted(missing)}"


def resolves(dotted: str) -> bool:
    """Whether `package.module.attribute...` names something that exists."""
    parts = dotted.split(".")
    for size in range(len(parts), 0, -1):
        name = ".".join(parts[:size])
        try:
            if importlib.util.find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        thing = importlib.import_module(name)
        for attribute in parts[size:]:
            if not hasattr(thing, attribute):
                return False
            thing = getattr(thing, attribute)
        return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_modules_named_exist(page):
    text = TEXTS[page]
    named = {span for span in CODE_SPAN.findall(prose(text)) if MODULE.fullmatch(span)}
    named |= set(re.findall(r"python -m ((?:crawler|archive|bench)[\w.]*)", text))
    for block in FENCE.finditer(text):
        if block.group(1) == "python":
            for module, names in re.findall(r"^from (\S+) import ([\w, ]+)$",
                                            block.group(2), re.MULTILINE):
                named |= {f"{module}.{name.strip()}" for name in names.split(",")}
    missing = sorted(name for name in named if not resolves(name))
    assert not missing, f"{rel(page)} names modules or objects that do not exist: {missing}"


def ids_in(file: str) -> set[str]:
    """`Class`, `Class::method` and `function` names of one test file."""
    tree = ast.parse((ROOT / "tests" / file).read_text(encoding="utf-8"))
    ids = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            ids.add(node.name)
            ids |= {f"{node.name}::{item.name}" for item in node.body
                    if isinstance(item, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            ids.add(node.name)
    return ids


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_tests_named_exist(page):
    missing = []
    for file, path in set(TEST_ID.findall(TEXTS[page])):
        if not (ROOT / "tests" / file).exists():
            missing.append(f"tests/{file}")
        elif path and path.removeprefix("::") not in ids_in(file):
            missing.append(f"tests/{file}{path}")
    assert not missing, f"{rel(page)} names tests that do not exist: {sorted(missing)}"
