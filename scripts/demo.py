"""Render the default kit into build/demo, start its local server, and stream a reply.

Run through `make demo`; it uses the template's own environment, so nothing else is
installed.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("error: the kit's server exited before it was ready")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"error: no answer from http://127.0.0.1:{port}/health in {seconds:.0f}s")


def stream_reply(port: int, text: str) -> None:
    body = json.dumps({"model": "echo", "stream": True, "messages": [{"role": "user", "content": text}]})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
    response = connection.getresponse()
    print(f"POST /v1/chat/completions -> {response.status} {response.getheader('content-type')}\n")
    reply = []
    while line := response.readline():
        line = line.strip()
        if not line.startswith(b"data: "):
            continue
        data = line[len(b"data: ") :]
        elapsed = (time.perf_counter() - started) * 1000
        if data == b"[DONE]":
            print(f"  {elapsed:7.1f} ms  [DONE]")
            break
        content = json.loads(data)["choices"][0]["delta"].get("content", "")
        reply.append(content)
        print(f"  {elapsed:7.1f} ms  {content!r}")
    print(f"\nreply: {''.join(reply)}")


def stream_agent_run(port: int, text: str) -> None:
    """The agent loop over NDJSON: the model calls a tool, its status lines, then the answer."""
    body = json.dumps({"messages": [{"role": "user", "content": text}]})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("POST", "/invoke", body, {"content-type": "application/json"})
    response = connection.getresponse()
    print(f"\nPOST /invoke -> {response.status} {response.getheader('content-type')}\n")
    while line := response.readline():
        event = json.loads(line)
        elapsed = (time.perf_counter() - started) * 1000
        shown = {key: value for key, value in event.items() if key not in ("type", "timestamp")}
        print(f"  {elapsed:7.1f} ms  {event['type']:<11} {json.dumps(shown)[:90]}")


def main() -> None:
    shutil.rmtree(BUILD, ignore_errors=True)
    kit = Path(cookiecutter(str(ROOT), no_input=True, output_dir=str(BUILD)))
    port = free_port()
    env = {**os.environ, "ECHO_DELAY_MS": "80"}
    package = json.loads((kit / ".cookiecutter.json").read_text())["package_name"]
    app = f"{package}.kit.app:app"
    command = [sys.executable, "-m", "uvicorn", "--app-dir", "src", "--port", str(port), app]
    print(f"\nStarting the kit's local server: {' '.join(command[2:])}")
    server = subprocess.Popen(command, cwd=kit, env=env, start_new_session=True)
    try:
        wait_for_health(port, server)
        stream_reply(port, "Hello from the echo agent, streamed word by word")
        stream_agent_run(port, '/tool slow_process {"message": "hi", "steps": 3, "delay_ms": 300}')
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"\nThe kit is in {kit.relative_to(ROOT)}; `cd` there and run `make check`.")


if __name__ == "__main__":
    main()
