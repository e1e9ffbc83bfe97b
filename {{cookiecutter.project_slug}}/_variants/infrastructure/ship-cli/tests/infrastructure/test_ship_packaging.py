"""ship runs on the developer's machine: a package beside src/, outside the Lambda image, that
knows the function's package only through its declared interface (deployment.py)."""

from __future__ import annotations

import ast
import fnmatch
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import image_layout

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "{{ cookiecutter.package_name }}"
SHIP = ROOT / "ship"
# The one module of the function's package that ship may import.
INTERFACE = "{{ cookiecutter.package_name }}.kit.deployment"


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
    assert "src/{{ cookiecutter.package_name }}/kit/settings.py" in sent
    assert not [path for path in sent if path.startswith("ship/")]


def test_the_image_task_root_holds_no_ship(tmp_path, monkeypatch):
    """What the Dockerfile copies; the installed requirements are third-party packages only."""
    monkeypatch.setattr(image_layout, "install_requirements", lambda target: None)
    task_root = tmp_path / "task"
    image_layout.build_task_root(task_root)
    assert (task_root / "{{ cookiecutter.package_name }}" / "kit" / "settings.py").is_file()
    found = [path.relative_to(task_root) for path in task_root.rglob("*") if path.name in ("ship", "ship.py")]
    assert found == []
    # Nor any of its modules under another name (a COPY of ship/ into the task root, say).
    ship_sources = {path.read_bytes() for path in SHIP.rglob("*.py")}
    copied = [path for path in task_root.rglob("*.py") if path.read_bytes() in ship_sources]
    assert copied == []


def imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) of every import in a module; level 0 is absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def test_ship_imports_the_function_package_only_through_its_interface():
    seen = set()
    for path in sorted(SHIP.rglob("*.py")):
        depth = len(path.relative_to(SHIP).parts)  # ship/x.py: 1, ship/parts/x.py: 2
        for level, module in imports(path):
            assert level <= depth, f"{path.name}: a relative import leaves the ship package"
            top = module.split(".")[0]
            if level == 0 and top == "{{ cookiecutter.package_name }}":
                assert module == INTERFACE, f"{path.name} imports {module}; ship may import {INTERFACE} only"
                seen.add(module)
    assert seen == {INTERFACE}, "the scan sees ship's imports"


def test_the_interface_exports_what_ship_imports():
    interface = importlib.import_module(INTERFACE)
    for path in sorted(SHIP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == INTERFACE:
                for alias in node.names:
                    assert alias.name in interface.__all__, f"{path.name} uses {alias.name}, not declared"


def test_no_function_module_imports_ship():
    for path in PACKAGE.rglob("*.py"):
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
        [sys.executable, "-m", "ship", "--help"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for command in ("deploy", "status", "logs", "destroy", "build-push"):
        assert command in run.stdout
