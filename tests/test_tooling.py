"""The template's own code is lint-clean and its docs cover every prompt."""

from __future__ import annotations

import json
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
