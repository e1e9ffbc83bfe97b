"""ship runs on the developer's machine: it is a console script and stays out of the Lambda image."""

from __future__ import annotations

import ast
import fnmatch
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "{{ cookiecutter.package_name }}"


def docker_context(root: Path) -> set[str]:
    """Files `docker build .` sends, per .dockerignore (last matching pattern wins; ! re-includes)."""
    patterns = [line.strip() for line in (root / ".dockerignore").read_text().splitlines() if line.strip()]
    patterns = [p for p in patterns if not p.startswith("#")]
    sent = set()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        parents = [relative, *("/".join(relative.split("/")[:n]) for n in range(1, relative.count("/") + 1))]
        excluded = False
        for pattern in patterns:
            negated = pattern.startswith("!")
            clean = pattern.lstrip("!").rstrip("/")
            if clean.startswith("**/"):
                hit = any(fnmatch.fnmatch(part, clean[3:]) for part in relative.split("/"))
            else:
                hit = any(fnmatch.fnmatch(candidate, clean) for candidate in parents)
            if hit:
                excluded = not negated
        if not excluded:
            sent.add(relative)
    return sent


def test_ship_is_not_sent_to_the_image_build():
    sent = docker_context(ROOT)
    assert "src/{{ cookiecutter.package_name }}/settings.py" in sent
    ship = "src/{{ cookiecutter.package_name }}/ship/"
    assert not [path for path in sent if path.startswith(ship)]


def test_no_function_module_imports_ship():
    for path in PACKAGE.rglob("*.py"):
        if "ship" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
            assert not [name for name in names if name.split(".")[-1] == "ship" or ".ship." in name], path


def test_console_script_points_at_the_cli():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module_name, _, function_name = scripts["ship"].partition(":")
    assert callable(getattr(importlib.import_module(module_name), function_name))


def test_python_dash_m_runs_it():
    run = subprocess.run(
        [sys.executable, "-m", "{{ cookiecutter.package_name }}.ship", "--help"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for command in ("deploy", "status", "logs", "destroy", "build-push"):
        assert command in run.stdout
