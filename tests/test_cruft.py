"""Platform teams keep kits current with cruft: template changes arrive, author edits stay."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}
CRUFT = str(Path(sys.executable).parent / "cruft")


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


def test_cruft_update_brings_template_changes_and_keeps_author_edits(tmp_path):
    template = tmp_path / "template"
    ignore = shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", ".pytest_cache", ".ruff_cache")
    shutil.copytree(ROOT, template, ignore=ignore)
    run(template, "git", "init", "-q", "-b", "main")
    commit_all(template, "template v1")

    run(tmp_path, CRUFT, "create", "--no-input", "--output-dir", str(tmp_path / "out"), str(template))
    kit = tmp_path / "out" / "my-agent"
    assert (kit / ".cruft.json").exists() and (kit / ".cookiecutter.json").exists()
    run(kit, "git", "init", "-q", "-b", "main")
    commit_all(kit, "kit from template")

    agent_module = kit / "src" / "my_agent" / "agent" / "agent.py"
    replace_in(agent_module, "You are a helpful assistant. Answer briefly.", "You are Ada, a billing bot.")
    commit_all(kit, "author edits the agent")

    payload = template / "{{cookiecutter.project_slug}}" / "src" / "{{cookiecutter.package_name}}"
    replace_in(payload / "settings.py", '"echo_delay_ms": 30,', '"echo_delay_ms": 25,')
    commit_all(template, "template v2")

    run(kit, CRUFT, "update", "--skip-apply-ask", "--allow-untracked-files")
    run(kit, CRUFT, "check")

    assert '"echo_delay_ms": 25,' in (kit / "src" / "my_agent" / "settings.py").read_text()
    assert "You are Ada, a billing bot." in agent_module.read_text()
    for file in kit.rglob("*"):
        if file.is_file() and ".git" not in file.parts:
            assert not file.name.endswith(".rej"), file
            text = file.read_text(errors="ignore")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text, f"conflict markers in {file}"
