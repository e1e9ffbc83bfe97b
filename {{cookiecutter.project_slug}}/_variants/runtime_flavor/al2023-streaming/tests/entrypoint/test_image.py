"""Simulate the container image: only requirements-lambda.txt and what the Dockerfile copies,
with ``bootstrap`` (the image's ENTRYPOINT) started from there against the stand-in.

A dependency the function imports but requirements-lambda.txt lacks fails here, as it
would on Lambda. (Docker itself is not needed.)
"""

import json
import subprocess
import sys
from pathlib import Path

from lambda_standin import RuntimeApiServer

from conftest import load_event
from image_layout import copy_sources, dockerfile_instructions, install_requirements

ROOT = Path(__file__).resolve().parents[2]


def build_task_root(task_root: Path) -> tuple[list[str], list[str]]:
    """Lay out the task root as the Dockerfile does; return its ENTRYPOINT and CMD."""
    entrypoint, command = [], []
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY":
            copy_sources(rest, task_root)
        elif keyword == "ENTRYPOINT":
            entrypoint = json.loads(rest)
        elif keyword == "CMD":
            command = json.loads(rest)
    install_requirements(task_root)
    return entrypoint, command


def test_image_answers_http_sqs_and_schedule_from_its_own_dependencies(tmp_path):
    task_root = tmp_path / "task"
    task_root.mkdir()
    entrypoint, command = build_task_root(task_root)
    assert entrypoint == ["/var/task/bootstrap"], "ENTRYPOINT is the bootstrap in the task root"
    bootstrap = task_root / "bootstrap"
    api = RuntimeApiServer().start()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHON": sys.executable,  # bootstrap runs it with -I -S: only the task root is importable
        "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}",
        "ECHO_DELAY_MS": "0",
    }
    runtime = subprocess.Popen(
        [str(bootstrap), *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        prelude, payload = api.invoke(load_event("function_url.json")).wait().http()
        assert prelude["statusCode"] == 200, payload
        assert json.loads(payload)["object"] == "chat.completion"
        assert api.invoke(load_event("apigw_v2.json")).wait().kind == "buffered"
        batch = api.invoke(load_event("sqs_batch.json")).wait()
        assert json.loads(batch.body) == {"batchItemFailures": []}, batch.body
        schedule = api.invoke(load_event("schedule.json")).wait()
        assert json.loads(schedule.body)["status"] == "ok", schedule.body
    finally:
        runtime.kill()
        _, errors = runtime.communicate()
        api.shutdown()
        api.server_close()
    assert not api.init_errors, errors.decode()[-2000:]
