"""The template's own code is lint-clean and its docs cover every prompt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

RUFF = str(Path(sys.executable).parent / "ruff")
# Named explicitly: ruff would otherwise read the payload's unrendered pyproject.toml.
TOOLING = ["hooks", "tests", "scripts"]


def test_template_tooling_is_ruff_clean():
    for command in ([RUFF, "check", *TOOLING], [RUFF, "format", "--check", *TOOLING]):
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr


def test_every_prompt_is_documented_and_has_a_prompt_text():
    config = json.loads((ROOT / "cookiecutter.json").read_text())
    options = (ROOT / "docs" / "OPTIONS.md").read_text()
    for name in config:
        if not name.startswith("_"):
            assert f"`{name}`" in options, f"docs/OPTIONS.md does not describe {name}"
            assert name in config["__prompts__"], f"{name} has no __prompts__ text"


def test_every_choice_value_is_documented():
    config = json.loads((ROOT / "cookiecutter.json").read_text())
    options = (ROOT / "docs" / "OPTIONS.md").read_text()
    for name, value in config.items():
        if isinstance(value, list):
            for choice in value:
                assert f"`{choice}`" in options, f"docs/OPTIONS.md does not describe {name}={choice}"


def test_pre_commit_hooks_are_local():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert {repo["repo"] for repo in config["repos"]} == {"local"}


# A block tag that ends a line after other text takes that line's newline with it
# (trim_blocks), fusing two lines: a pin can vanish into the comment before it.
INLINE_BLOCK_AT_END = re.compile(r"\S.*\{%-?[^%]*-?%\}[ \t]*$")


def test_no_block_tag_ends_a_line_of_text_in_the_payload():
    payload = ROOT / "{{cookiecutter.project_slug}}"
    offenders = []
    for file in sorted(p for p in payload.rglob("*") if p.is_file() and p.suffix != ".md"):
        for number, line in enumerate(file.read_text(errors="ignore").splitlines(), 1):
            if INLINE_BLOCK_AT_END.search(line):
                offenders.append(f"{file.relative_to(payload)}:{number}")
    assert not offenders, "put these block tags on a line of their own: " + ", ".join(offenders)


def test_payload_python_holds_name_substitutions_only():
    """Code that differs by option lives in its own file chosen by path, never in a block tag."""
    payload = ROOT / "{{cookiecutter.project_slug}}"
    offenders = [
        f"{file.relative_to(payload)}:{number}"
        for file in sorted(payload.rglob("*.py"))
        for number, line in enumerate(file.read_text().splitlines(), 1)
        if "{%" in line or "{#" in line
    ]
    assert not offenders, "move the option-specific code to a file of its own: " + ", ".join(offenders)


def test_design_docs_list_every_section_they_hold():
    for doc in [ROOT / "docs" / "DESIGN.md", *sorted((ROOT / "docs" / "design").glob("*.md"))]:
        text = doc.read_text()
        for heading in re.findall(r"^## (.+)$", text, re.MULTILINE):
            if heading != "Contents":
                assert f"- [{heading}](#" in text, f"{doc.name}: '{heading}' is missing from its contents"
        for link in re.findall(r"\]\((design/[^)#]+\.md)\)", text):
            assert (doc.parent / link).exists(), f"{doc.name} links to {link}, which does not exist"
