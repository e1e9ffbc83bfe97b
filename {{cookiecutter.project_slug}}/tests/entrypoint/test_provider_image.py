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
from {{ cookiecutter.package_name }}.kit.agent.loop import run_agent
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings

for event in run_agent([Message("user", sys.argv[2])], Settings.from_env()):
    print(json.dumps({"type": event.type, **event.payload, "at": time.monotonic()}), flush=True)
"""


def run_in_image(task_root, env: dict, message: str) -> list[dict]:
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}", **env}
    # -I -S: no site-packages of this machine, only the task root, as on Lambda.
    run = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROBE, str(task_root), message],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_the_image_streams_a_reply_from_its_model_provider(tmp_path):
    task_root = tmp_path / "task"
    build_task_root(task_root)
    with serving() as provider:
        events = run_in_image(task_root, provider.env, "hello from the image")
        assert events[-1]["type"] == "result", events[-1]
        deltas = [event["text"] for event in events if event["type"] == "delta"]
        assert len(deltas) > 1, "the reply arrives in pieces"
        assert "".join(deltas) == "hello from the image"
        assert provider.requests is None or len(provider.requests) == 1, "one call to the model"

        extra_env, message = provider.tool_turn
        events = run_in_image(task_root, {**provider.env, **extra_env}, message)
    types = [event["type"] for event in events]
    assert "tool_call" in types and types[-1] == "result", types
    results = [event for event in events if event["type"] == "tool_result"]
    assert results and all("output" in event for event in results), results
    assert types.index("tool_result") < len(types) - 1, "the model answered after the tools"
