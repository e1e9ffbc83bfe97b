"""requirements-lambda.txt pins exactly what the code in the image imports.

The imports are read from the code itself (every ``import`` statement, including the ones
inside functions), not from a list, so a new import that the image would lack fails here
before it fails on Lambda.
"""

import ast
import fnmatch
import re
import sys
from importlib import metadata
from pathlib import Path

from image_layout import dockerfile_instructions

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "{{ cookiecutter.package_name }}"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==")
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def image_sources() -> list[Path]:
    """The Python files the Dockerfile copies into the image, less what .dockerignore drops."""
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "!")) and line.strip() != "*"
    ]
    files = []
    for keyword, arguments in dockerfile_instructions():
        if keyword != "COPY" or "--from" in arguments:
            continue
        for source in arguments.split()[:-1]:
            if source.startswith("--"):
                continue
            path = ROOT / source
            files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [
        file
        for file in files
        if file.suffix == ".py"
        and not any(
            fnmatch.fnmatch(str(parent.relative_to(ROOT)), pattern)
            for pattern in ignored
            for parent in (file, *file.parents)
            if parent != ROOT and ROOT in parent.parents
        )
    ]


def optional_imports(tree: ast.AST) -> set[int]:
    """Imports inside ``try: ... except ImportError``: code that works without them."""
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(handler.type, ast.Name) and handler.type.id in {"ImportError", "ModuleNotFoundError"}
            for handler in node.handlers
        ):
            optional |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return optional


def third_party_imports(files: list[Path]) -> dict[str, str]:
    """Top-level module name -> the first place that imports it (optional imports aside)."""
    found: dict[str, str] = {}
    for file in files:
        tree = ast.parse(file.read_text(), str(file))
        optional = optional_imports(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top != PACKAGE and top not in sys.stdlib_module_names:
                    found.setdefault(top, f"{file.relative_to(ROOT)}:{node.lineno}")
    return found


def pinned() -> set[str]:
    pins = set()
    for line in (ROOT / "requirements-lambda.txt").read_text().splitlines():
        if match := PIN.match(line.strip()):
            pins.add(normalized(match.group(1)))
    return pins


def installed_with(pins: set[str]) -> set[str]:
    """The pins and everything they require (not optional extras), transitively."""
    seen, pending = set(), list(pins)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a requirement whose environment marker does not apply here
        seen.add(name)
        for requirement in requirements:
            if "extra ==" not in requirement and (match := NAME.match(requirement)):
                pending.append(normalized(match.group(1)))
    return seen


def test_the_image_has_python_code():
    assert any(file.name == "handler.py" or file.name == "server.py" for file in image_sources())


def test_every_import_in_the_image_is_installed_by_requirements_lambda():
    providers = metadata.packages_distributions()
    installed = installed_with(pinned())
    missing = {
        module: where
        for module, where in third_party_imports(image_sources()).items()
        if not {normalized(d) for d in providers.get(module, [])} & installed
    }
    assert not missing, f"imported, but requirements-lambda.txt does not install it: {missing}"


def test_every_pin_in_requirements_lambda_is_imported():
    providers = metadata.packages_distributions()
    imported = {
        normalized(distribution)
        for module in third_party_imports(image_sources())
        for distribution in providers.get(module, [])
    }
    unused = pinned() - imported
    assert not unused, f"requirements-lambda.txt pins what the image never imports: {sorted(unused)}"
