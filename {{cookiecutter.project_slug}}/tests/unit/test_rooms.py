"""The two rooms: the author's modules at the top of the package, the kit's machinery in ``kit/``.

The kit reaches the author's code through one module, ``kit/author.py``, so an update of the
kit never needs to know what the author wrote, and the author's files never need the kit's
internals beyond the names they import.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "{{ cookiecutter.package_name }}"
MACHINERY = PACKAGE / "kit"
REGISTRATION_POINT = MACHINERY / "author.py"
AUTHOR_MODULES = {f"{PACKAGE.name}.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved, ``from x import y`` as x and x.y."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_kit_reaches_the_authors_modules_only_through_its_registration_point():
    for path in sorted(MACHINERY.rglob("*.py")):
        if path == REGISTRATION_POINT:
            continue
        reached = imported(path) & AUTHOR_MODULES
        assert not reached, f"{path.relative_to(PACKAGE)} imports {sorted(reached)}: go through kit/author.py"


def test_the_registration_point_loads_the_agent_its_tools_and_jobs():
    reached = imported(REGISTRATION_POINT) & AUTHOR_MODULES
    assert {f"{PACKAGE.name}.{name}" for name in ("agent", "tools", "jobs")} <= reached


def test_the_package_top_holds_the_authors_room_and_the_kit():
    top = {path.name for path in PACKAGE.iterdir() if path.name != "__pycache__"}
    assert {"agent.py", "tools.py", "jobs.py", "kit"} <= top
    folders = [path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"]
    assert folders == ["kit"]
