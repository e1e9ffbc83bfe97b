"""Simulate the container image: only requirements-lambda.txt and what the Dockerfile copies.

The server starts from a task root laid out as the Dockerfile lays it out, with an
isolated interpreter (no site-packages of this machine), on the port the adapter would
call, and must answer the adapter's readiness check. A dependency the server imports
but requirements-lambda.txt lacks fails here, as it would on Lambda. Docker itself is
not needed; hadolint checks the Dockerfile separately.
"""

import json
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from image_layout import copy_sources, dockerfile_instructions, install_requirements

ROOT = Path(__file__).resolve().parents[2]
ADAPTER_IMAGE = "public.ecr.aws/awsguru/aws-lambda-adapter:"

# Start the ENTRYPOINT's module as `python3 -m` would, with only the task root importable.
PROBE = """
import runpy, sys
sys.path.insert(0, sys.argv[1])
sys.argv = [sys.argv[2]]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def build_task_root(task_root: Path) -> tuple[list[str], dict[str, str], list[str]]:
    """Lay out the task root as the Dockerfile does; return ENTRYPOINT, ENV and adapter copies."""
    entrypoint, env, adapter = [], {}, []
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY" and rest.startswith("--from="):
            adapter.append(rest)
        elif keyword == "COPY":
            copy_sources(rest, task_root)
        elif keyword == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(rest))
        elif keyword == "ENTRYPOINT":
            entrypoint = json.loads(rest)
    install_requirements(task_root)
    return entrypoint, env, adapter


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_adapter_comes_from_a_pinned_tag_into_the_extensions_folder():
    copies = [rest for keyword, rest in dockerfile_instructions() if keyword == "COPY" and "--from=" in rest]
    [adapter] = copies
    source, path, target = shlex.split(adapter)
    tag = source.removeprefix("--from=").removeprefix(ADAPTER_IMAGE)
    assert source.startswith(f"--from={ADAPTER_IMAGE}") and tag[:1].isdigit(), "pin a version tag"
    assert (path, target) == ("/lambda-adapter", "/opt/extensions/lambda-adapter")


def test_image_serves_health_and_streams_from_its_own_dependencies(tmp_path):
    task_root = tmp_path / "task"
    task_root.mkdir()
    entrypoint, image_env, _ = build_task_root(task_root)
    assert entrypoint[:2] == ["python3", "-m"], f"ENTRYPOINT should start the server module: {entrypoint}"
    module = entrypoint[2]
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}", "ECHO_DELAY_MS": "0"}
    env |= image_env | {"AWS_LWA_PORT": str(port), "AWS_LWA_PASS_THROUGH_PATH": "/events"}
    started = time.perf_counter()
    # -I -S: no site-packages of this machine, only the task root, as in the image.
    server = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", PROBE, str(task_root), module],
        cwd=task_root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        ready = None
        while ready is None and time.perf_counter() - started < 60 and server.poll() is None:
            try:
                ready = httpx.get(url + image_env["AWS_LWA_READINESS_CHECK_PATH"], timeout=1)
            except httpx.TransportError:
                time.sleep(0.05)
        assert ready is not None, f"the server never answered: {server.poll()=}"
        print(f"\nimage simulation: process start to ready {(time.perf_counter() - started) * 1000:.0f} ms")
        assert ready.json() == {"status": "ok"}
        tool = {"tool": "slow_process", "arguments": {"message": "hi", "steps": 2, "delay_ms": 0}}
        lines = httpx.post(f"{url}/invoke", json=tool, timeout=10).text.splitlines()
        assert json.loads(lines[-1])["type"] == "result"
        batch = (ROOT / "events" / "sqs_batch.json").read_bytes()
        events = httpx.post(f"{url}/events", content=batch, timeout=30)
        assert events.json() == {"batchItemFailures": []}, "Powertools must be in requirements-lambda.txt"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert '"message": "cold start"' in output, output[-2000:]
