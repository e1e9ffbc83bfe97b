"""`make dev` as a caller reaches it: the allow-list holds against forged proxy headers."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLAIMS_10_1_2_3 = [
    {"x-forwarded-for": "10.1.2.3"},
    {"x-real-ip": "10.1.2.3", "forwarded": "for=10.1.2.3"},
    {"x-amzn-request-context": json.dumps({"http": {"sourceIp": "10.1.2.3"}})},
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server():
    """``make dev`` itself, with this environment's tools, and ALLOWED_CIDRS=10.0.0.0/8."""
    port = free_port()
    env = {**os.environ, "ALLOWED_CIDRS": "10.0.0.0/8"}
    server = subprocess.Popen(
        ["make", "--no-print-directory", "dev", f"VENV={sys.prefix}", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # make, uvicorn and its reloader: stopped together below
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("make dev did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_forged_proxy_headers_do_not_get_past_the_allow_list(dev_server):
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    for headers in CLAIMS_10_1_2_3:
        response = httpx.post(f"{dev_server}/v1/chat/completions", json=chat, headers=headers, timeout=10)
        assert response.status_code == 403, headers
        assert response.json()["error"]["message"] == "caller address is not allowed"
