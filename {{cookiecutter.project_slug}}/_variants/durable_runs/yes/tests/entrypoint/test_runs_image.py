"""The runs function's handler loads in the image as built: requirements-lambda.txt alone and
what the Dockerfile copies. The local runner (a developer tool) is not in it."""

import subprocess
import sys
from pathlib import Path

from image_layout import copy_sources, dockerfile_instructions, install_requirements

ROOT = Path(__file__).resolve().parents[2]
LOAD = """
import sys
sys.path[:0] = [sys.argv[1]]
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.runs import api, lambda_api
assert callable(handler), handler
try:
    import aws_durable_execution_sdk_python_testing
except ModuleNotFoundError:
    print("no local runner")
"""


def test_the_runs_handler_loads_from_the_image_alone(tmp_path):
    task_root = tmp_path / "task"
    task_root.mkdir()
    for keyword, arguments in dockerfile_instructions():
        if keyword == "COPY" and "--from" not in arguments:
            copy_sources(arguments, task_root)
    install_requirements(task_root)
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}"}
    loaded = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LOAD, str(task_root)], env=env, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    # The last line: an entry point's cold-start log line may come first (test_runs_log.py).
    assert loaded.stdout.splitlines()[-1] == "no local runner"


def test_the_local_runner_stays_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "src/{{ cookiecutter.package_name }}/kit/runs/local.py" in ignored
