"""Install requirements-lambda.txt alone into a folder, as the image build does.

``KIT_TASK_ROOT_CACHE`` may name a folder of installs kept by the file's content, the
Python version and the platform; a suite that tests many kits with the same requirements
(the template's own) sets it to install each set once. Unset, every call installs afresh.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements-lambda.txt"


def pip_install(target: Path) -> None:
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--target", str(target), "-r", str(REQUIREMENTS)], check=True)


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
