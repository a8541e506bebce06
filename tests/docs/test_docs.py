"""The docs are true of the code: links resolve, every option they show exists, every
auditor.toml they show parses, and README.md opens with `make demo` and `make test`."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from auditor.config import default_config, parse_config
from auditor.estate.builder.toml_spec import spec_from_dict

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMANDS = ("audit", "inventory", "demo", "emulator", "decommission check", "history list", "history diff", "rules")

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# `auditor <command> ...` up to the end of its code span, line, comment or the next shell command.
INVOCATION = re.compile(r"(?<![\w./-])auditor\s+(audit|inventory|demo|emulator|decommission\s+check|"
                        r"history\s+list|history\s+diff|history|rules)\b([^`\n#;|&]*)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _joined(text: str) -> str:
    """Shell continuation lines joined, so a command's options on the next line count."""
    return re.sub(r"\\\n\s*", " ", text)


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    """`python -m auditor <command> --help` once per command, wide enough that no option is cut."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}

    def help_of(command: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "auditor", *command.split(), "--help"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(COMMANDS, pool.map(help_of, COMMANDS), strict=True))


# A row of the option column: Click's plain `  -f, --format X` or Typer's rich `│ --format  -f  <str>`.
HELP_ROW = re.compile(r"^[\s│]+(?:\*\s+)?(?:(-[a-z]),\s+)?(--[a-z][a-z-]*)(?:\s+(-[a-z])\b)?", re.M)


def _options_in(help_text: str) -> set[str]:
    """The options a --help lists in its option column, not those its descriptions mention."""
    return {option for row in HELP_ROW.findall(help_text) for option in row if option}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(doc: Path) -> None:
    broken = []
    for target in LINK.findall(_text(doc)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        if not (doc.parent / path).exists():
            broken.append(target)
    assert not broken, f"{doc.name}: links to missing files: {broken}"


def test_the_link_pattern_sees_links() -> None:
    assert LINK.findall("see [usage](docs/usage.md#options) and [x](https://example.com)") == \
        ["docs/usage.md#options", "https://example.com"]


def _invocations(text: str) -> list[tuple[str, str]]:
    found = []
    for match in INVOCATION.finditer(_joined(text)):
        command = " ".join(match.group(1).split())
        found.append((command, match.group(2)))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_option_shown_with_a_command_exists(doc: Path, helps: dict[str, str]) -> None:
    unknown = []
    for command, rest in _invocations(_text(doc)):
        if command == "history":    # `auditor history` names the group; its options are on list and diff
            continue
        known = _options_in(helps[command])
        unknown += [f"auditor {command} {option}" for option in OPTION.findall(rest) if option not in known]
    assert not unknown, f"{doc.name} shows options the commands do not take: {unknown}"


def test_the_invocation_pattern_finds_options_on_continued_lines() -> None:
    text = "```sh\nauditor audit --quiet --format junit \\\n  --history h.sqlite\nauditor demo\n```"
    (first, rest), second = _invocations(text)
    assert first == "audit" and OPTION.findall(rest) == ["--quiet", "--format", "--history"]
    assert second == ("demo", "")
    assert OPTION.findall(" --quiet -f json contoso-legacy.net") == ["--quiet", "-f"]
    assert _options_in("│ *  --estate  DIR  The estate (see --config).\n│ --format  -f  <str>") == \
        {"--estate", "--format", "-f"}
    assert _options_in("  --estate DIR  The estate.\n  -f, --format table|json  Output format.\n"
                       "                 DIR/auditor.toml with --estate") == {"--estate", "--format", "-f"}


def test_the_options_table_in_usage_matches_each_command(helps: dict[str, str]) -> None:
    section = _text(ROOT / "docs" / "usage.md").split("### Options", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `-")]
    assert len(rows) >= 7, "the options table in docs/usage.md was not found"
    wrong = []
    for row in rows:
        option_cell, commands_cell = row.split(" | ")[:2]
        options = OPTION.findall(option_cell)
        if commands_cell.startswith("all but"):
            excluded = set(re.findall(r"`([a-z ]+)`", commands_cell))
            commands = [c for c in COMMANDS if c not in excluded and c.split()[0] not in excluded]
        else:
            named = re.findall(r"`([a-z ]+)`", commands_cell)
            commands = [c for c in COMMANDS if c in named or c.split()[0] in named]
        assert commands, row
        wrong += [f"{c} {o}" for c in commands for o in options if o not in _options_in(helps[c])]
        others = [c for c in COMMANDS if c not in commands]
        wrong += [f"{c} also takes {o}" for c in others for o in options[:1] if o in _options_in(helps[c])]
    assert not wrong, f"docs/usage.md's options table is wrong about: {wrong}"


def _toml_blocks() -> list[tuple[str, int, str]]:
    blocks = []
    for doc in DOCS:
        for number, match in enumerate(FENCE.finditer(_text(doc))):
            if match.group(1) == "toml":
                blocks.append((doc.name, number, match.group(2)))
    return blocks


def test_the_usage_config_example_parses_and_shows_the_defaults() -> None:
    usage = _text(ROOT / "docs" / "usage.md").split("## Configuration: auditor.toml", 1)[1]
    raw = tomllib.loads(next(m.group(2) for m in FENCE.finditer(usage) if m.group(1) == "toml"))
    config = parse_config(raw)
    assert config.suppressions and config.notify.webhooks, "the example shows a suppression and a webhook"
    examples = {"suppressions", "webhooks", "source"}
    default = default_config()
    differ = []
    for section in dataclasses.fields(default):
        shown, expected = getattr(config, section.name), getattr(default, section.name)
        if section.name in examples:
            continue
        if not dataclasses.is_dataclass(expected):
            differ += [section.name] if shown != expected else []
            continue
        for key in dataclasses.fields(expected):
            if key.name in examples:
                continue
            a, b = getattr(shown, key.name), getattr(expected, key.name)
            same = math.isclose(a, b, rel_tol=1e-3) if isinstance(b, float) else a == b
            differ += [] if same else [f"{section.name}.{key.name}: docs {a!r}, code {b!r}"]
    assert not differ, f"docs/usage.md says these are the defaults, but they are not: {differ}"


@pytest.mark.parametrize(("doc", "number", "block"), _toml_blocks(), ids=lambda v: str(v)[:30])
def test_every_toml_block_in_the_docs_is_valid(doc: str, number: int, block: str) -> None:
    raw = tomllib.loads(block)
    if "as_of" in raw:          # an estate builder description (docs/estate-format.md)
        spec_from_dict(raw)
    else:
        parse_config(raw)


def test_readme_starts_with_make_demo_and_make_test() -> None:
    lines = [line for line in _text(ROOT / "README.md").splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert lines[1].startswith("```"), "README.md must open with the make demo / make test block"
    block = lines[2:lines.index("```", 2)]
    commands = [line.split("#", 1)[0].strip() for line in block]
    assert commands == ["make demo", "make test"]


def _run(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "auditor", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _keys(value: Any) -> Any:
    """The shape of a JSON value: dict keys, recursively, and the first item of a list."""
    if isinstance(value, dict):
        return {k: _keys(v) for k, v in value.items() if k not in ("evidence",)}
    if isinstance(value, list):
        return [_keys(value[0])] if value else []
    return None


def _example(doc: str, schema: str) -> dict[str, Any]:
    for match in FENCE.finditer(_text(ROOT / "docs" / doc)):
        if match.group(1) == "json" and f'"schema": "{schema}"' in match.group(2):
            return dict(json.loads(match.group(2)))
    raise AssertionError(f"docs/{doc} has no {schema} example")


def test_the_documented_json_shapes_and_exit_codes_hold(tmp_path: Path) -> None:
    """A small estate with one unreadable vault and one app setting naming a retired domain:
    the audit exits 3 (a gap and nothing at --fail-on critical), the decommission check 1, and
    both answer with the keys the docs show."""
    from auditor.estate.builder import EstateSpec, Site, Vault, VaultCertificate, build_estate

    build_estate(EstateSpec(
        vaults=(Vault("kv-locked", certificates=(VaultCertificate("c", ("a.example.com",)),), readable=False),),
        sites=(Site("signin", app_settings={"AUTH_CALLBACK_URL": "https://login.contoso-legacy.net/callback"}),),
    ), tmp_path / "estate")
    audit = _run("audit", "--estate", "estate", "--format", "json", "--no-history", "--fail-on", "critical",
                 cwd=tmp_path)
    check = _run("decommission", "check", "contoso-legacy.net", "--estate", "estate", "--format", "json",
                 cwd=tmp_path)
    report_text, audit_err = audit.communicate(timeout=120)
    answer_text, check_err = check.communicate(timeout=120)
    assert audit.returncode == 3, audit_err
    assert check.returncode == 1, check_err
    report, answer = json.loads(report_text), json.loads(answer_text)
    assert report["coverage"]["gaps"] and answer["dependents"][0]["kind"] == "app-setting"
    assert "AUTH_CALLBACK_URL" in answer["dependents"][0]["where"]
    assert "/callback" not in answer_text, "a setting's value must never be printed"
    assert _keys(_example("usage.md", "auditor-report/1")) == _keys(report)
    assert _keys(_example("decommission.md", "auditor-decommission/1")) == _keys(answer)
