"""Lay out a Lambda task root as the Dockerfile does, without Docker, for the image tests.

``install_requirements`` installs requirements-lambda.txt alone. ``KIT_TASK_ROOT_CACHE`` may
name a folder of installs kept by the file's content, the Python version and the platform; a
suite that tests many kits with the same requirements sets it to install each set once.
Unset, every call installs afresh. ``KIT_UV`` may name a uv to install with instead of pip.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements-lambda.txt"


def pip_install(target: Path) -> None:
    """requirements-lambda.txt into ``target``, as the Dockerfile's pip does; with the uv that
    ``KIT_UV`` names, when set (the same packages, from its cache, much faster, and compiled to
    bytecode as pip compiles them)."""
    uv = os.environ.get("KIT_UV")
    if uv:
        install = [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", sys.executable]
    else:
        install = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*install, "--target", str(target), "-r", str(REQUIREMENTS)], check=True)


def install_requirements(target: Path) -> None:
    cache = os.environ.get("KIT_TASK_ROOT_CACHE")
    if not cache:
        pip_install(target)
        return
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + f"{sys.version}|{platform.machine()}".encode())
    installed = Path(cache) / key.hexdigest()[:20]
    if not installed.exists():
        staging = installed.with_name(f"{installed.name}.{os.getpid()}")
        pip_install(staging)
        try:
            staging.rename(installed)
        except OSError:  # another process installed the same set first
            shutil.rmtree(staging)
    shutil.copytree(installed, target, dirs_exist_ok=True, copy_function=os.link)


def dockerfile_instructions() -> Iterator[tuple[str, str]]:
    """(KEYWORD, arguments) for each instruction of the kit's Dockerfile."""
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            yield keyword.upper(), rest


def copy_sources(arguments: str, task_root: Path) -> None:
    """Do what one ``COPY`` from the build context does, checking each source exists and
    that .dockerignore lets it into the context."""
    *sources, _ = [word for word in shlex.split(arguments) if not word.startswith("--")]
    ignored = (ROOT / ".dockerignore").read_text().split()
    for source in sources:
        path = ROOT / source
        assert path.exists(), f"Dockerfile copies {source}, which does not exist"
        assert f"!{source}" in ignored, f".dockerignore leaves {source} out of the build context"
        if path.is_dir():
            subprocess.run(["cp", "-R", f"{path}/.", str(task_root)], check=True)
        else:
            subprocess.run(["cp", "-p", str(path), str(task_root)], check=True)


def build_task_root(task_root: Path) -> None:
    """The task root as the image has it: what the Dockerfile copies, and requirements-lambda.txt."""
    task_root.mkdir(parents=True, exist_ok=True)
    for keyword, arguments in dockerfile_instructions():
        if keyword == "COPY" and "--from" not in arguments:
            copy_sources(arguments, task_root)
    install_requirements(task_root)
