"""What building the app costs at cold start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_route_makes_fastapi_build_a_pydantic_field():
    """A typed parameter or a response model on any route makes FastAPI import ``pydantic.v1``
    (about 20 ms of every cold start) and validate what the route already checks."""
    code = (
        "import sys; from {{ cookiecutter.package_name }}.kit.app import create_app; create_app(); "
        "print('pydantic.v1' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "False"
