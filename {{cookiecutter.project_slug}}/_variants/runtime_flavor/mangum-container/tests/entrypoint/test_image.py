"""Simulate the container image: only requirements-lambda.txt and what the Dockerfile copies.

A dependency the function imports but requirements-lambda.txt lacks fails here, as it
would on Lambda. (Docker itself is not needed.)
"""

import json
import subprocess
import sys
from pathlib import Path

from image_layout import copy_sources, dockerfile_instructions, install_requirements

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
module_name, _, function_name = sys.argv[2].rpartition(".")
handler = getattr(__import__(module_name, fromlist=[function_name]), function_name)
event = json.load(open(sys.argv[3]))
print(json.dumps(handler(event, None)))
"""


def build_task_root(task_root: Path) -> str:
    """Lay out the task root as the Dockerfile does; return the CMD handler."""
    handler = ""
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY":
            copy_sources(rest, task_root)
        elif keyword == "CMD":
            handler = json.loads(rest)[0]
    install_requirements(task_root)
    return handler


def test_image_answers_http_sqs_and_schedule_from_its_own_dependencies(tmp_path):
    task_root = tmp_path / "task"
    task_root.mkdir()
    handler = build_task_root(task_root)
    assert handler, "Dockerfile has no CMD"
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}", "ECHO_DELAY_MS": "0"}
    for sample in ["apigw_v2.json", "function_url.json", "sqs_batch.json", "schedule.json"]:
        # -I -S: no site-packages of this machine, only the task root, as on Lambda.
        run = subprocess.run(
            [sys.executable, "-I", "-S", "-c", PROBE, str(task_root), handler, str(ROOT / "events" / sample)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert run.returncode == 0, f"{sample}: {run.stderr[-2000:]}"
        reply = json.loads(run.stdout.strip().splitlines()[-1])
        if "statusCode" in reply:
            assert reply["statusCode"] == 200, reply
        assert reply != {}, sample
