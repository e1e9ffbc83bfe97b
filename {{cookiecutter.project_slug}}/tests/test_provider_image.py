"""The model provider works in the image: requirements-lambda.txt alone, a bare interpreter.

The agent streams one reply from a local stand-in for the provider, so a provider SDK that
the image lacks (or a module the SDK no longer brings along) fails here, not on Lambda.
"""

import json
import subprocess
import sys

from fake_provider import serving
from image_layout import build_task_root

PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from {{ cookiecutter.package_name }}.agent.agent import run_agent
from {{ cookiecutter.package_name }}.agent.events import Message
from {{ cookiecutter.package_name }}.settings import Settings

for event in run_agent([Message("user", "hello from the image")], Settings.from_env()):
    print(json.dumps({"type": event.type, **event.payload, "at": time.monotonic()}), flush=True)
"""


def test_the_image_streams_a_reply_from_its_model_provider(tmp_path):
    task_root = tmp_path / "task"
    build_task_root(task_root)
    with serving() as provider:
        env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}", **provider.env}
        # -I -S: no site-packages of this machine, only the task root, as on Lambda.
        run = subprocess.run(
            [sys.executable, "-I", "-S", "-c", PROBE, str(task_root)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert run.returncode == 0, run.stderr[-3000:]
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert events[-1]["type"] == "result", events[-1]
    deltas = [event["text"] for event in events if event["type"] == "delta"]
    assert len(deltas) > 1, "the reply arrives in pieces"
    assert "".join(deltas) == "hello from the image"
    assert provider.requests is None or len(provider.requests) == 1, "one call to the model"
