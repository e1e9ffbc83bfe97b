"""Platform teams keep kits current with cruft: a new version of the kit's machinery reaches a kit
whose author has worked in their room, with no conflict, and the kit's own checks still pass."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_VENV, run_in

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}
CRUFT = str(Path(sys.executable).parent / "cruft")

NEW_TOOL = '''

@tool
def weather(city: str, *, ctx: ToolContext) -> dict:
    """Forecast the weather.

    Args:
        city: The city's name.
    """
    ctx.send_status(f"Looking up {city}")
    return {"city": city, "forecast": "sunny"}
'''


def test_the_changelog_names_the_version_kits_record():
    version = json.loads((ROOT / "cookiecutter.json").read_text())["_template_version"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    newest = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", changelog, re.MULTILINE)
    assert newest and newest.group(1) == version, "the newest changelog entry is the version kits record"


def run(cwd: Path, *command: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}"
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", message)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def no_conflicts(kit: Path) -> None:
    for file in kit.rglob("*"):
        if file.is_file() and ".git" not in file.parts and ".venv" not in file.parts:
            assert not file.name.endswith((".rej", ".orig")), file
            text = file.read_text(errors="ignore")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text, f"conflict markers in {file}"


@pytest.mark.slow
def test_make_update_brings_machinery_changes_and_keeps_the_authors_room(tmp_path):
    template = tmp_path / "template"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "build", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"
    )
    shutil.copytree(ROOT, template, ignore=ignore)
    run(template, "git", "init", "-q", "-b", "main")
    commit_all(template, "template v1")

    run(tmp_path, CRUFT, "create", "--no-input", "--output-dir", str(tmp_path / "out"), str(template))
    kit = tmp_path / "out" / "my-agent"
    room = kit / "src" / "my_agent"
    assert (kit / ".cruft.json").exists()
    run(kit, "git", "init", "-q", "-b", "main")
    commit_all(kit, "kit")

    # The author works in their room: a new tool, another prompt, another scheduled job.
    (room / "tools.py").write_text((room / "tools.py").read_text() + NEW_TOOL)
    replace_in(room / "agent.py", "You are a helpful assistant.", "You are Ada, a billing bot.")
    replace_in(room / "jobs.py", '"job": "self-check"', '"job": "invoice-reminders"')
    commit_all(kit, "the author's agent")

    # The next version changes machinery, and the sample code the author has since made their own.
    payload = template / "{{cookiecutter.project_slug}}" / "src" / "{{cookiecutter.package_name}}"
    replace_in(payload / "kit" / "settings.py", '"echo_delay_ms": 30,', '"echo_delay_ms": 25,')
    loop = payload / "kit" / "agent" / "loop.py"
    replace_in(
        loop, "Run the agent to the end and return its final text.", "Run the agent to the end: its text."
    )
    samples = template / "{{cookiecutter.project_slug}}" / "_variants" / "agent_framework" / "builtin" / "src"
    replace_in(
        samples / "{{cookiecutter.package_name}}" / "tools.py",
        "Return the message unchanged.",
        "Say it back.",
    )
    replace_in(template / "cookiecutter.json", '"_template_version": "', '"_template_version": "9.9.9-')
    commit_all(template, "template v2")

    # The check after the update runs the author's tests: the kit's own pass in test_bake.
    update = run_in(kit, "make", "update", f"UV={SHARED_VENV / 'bin' / 'uv'}", "PYTEST_ARGS=tests/agent")
    assert update.returncode == 0, update.stdout[-3000:] + update.stderr[-3000:]
    no_conflicts(kit)

    assert '"echo_delay_ms": 25,' in (room / "kit" / "settings.py").read_text()
    assert "Run the agent to the end: its text." in (room / "kit" / "agent" / "loop.py").read_text()
    assert json.loads((kit / ".cookiecutter.json").read_text())["_template_version"].startswith("9.9.9-")
    tools = (room / "tools.py").read_text()
    assert "def weather(" in tools and "Return the message unchanged." in tools
    assert "You are Ada, a billing bot." in (room / "agent.py").read_text()
    assert '"job": "invoice-reminders"' in (room / "jobs.py").read_text()
    # `make update` ended with the kit's own `make check`, the author's new tool in place.
    assert "passed" in update.stdout
    run(kit, CRUFT, "check")
