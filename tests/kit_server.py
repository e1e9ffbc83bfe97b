"""Run a baked kit's `make dev` (what its author runs) on a free port for a test."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import SHARED_VENV


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False


VENVS = Path(__file__).resolve().parents[1] / "build" / "venvs"


def kit_venv(kit: Path) -> Path:
    """An environment holding exactly the kit's requirements files, built once per set of files
    (uv, with its download cache shared) and kept for the suite: frameworks are large and the
    template's shared environment holds none of them."""
    files = [kit / "requirements-lambda.txt", kit / "requirements-dev.txt"]
    key = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:16]
    venv = VENVS / key
    if not (venv / ".complete").exists():
        uv = str(SHARED_VENV / "bin" / "uv")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([uv, "venv", "--quiet", "--seed", str(venv)], check=True)
        requirements = [arg for path in files for arg in ("-r", str(path))]
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *requirements],
            check=True,
        )
        (venv / ".complete").touch()
    return venv


@contextlib.contextmanager
def dev_server(kit: Path, seconds: float = 60, venv: Path = SHARED_VENV, **env: str) -> Iterator[str]:
    """Yield the base URL of the kit's `make dev` server, with the shared environment (or ``venv``)."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    environment.update({"ECHO_DELAY_MS": "5", **env})
    log = kit / "dev-server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "dev", f"VENV={venv}", f"PORT={port}"],
            cwd=kit,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make, uvicorn's reloader and its worker stop together
        )
    try:
        deadline = time.monotonic() + seconds
        while not _healthy(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"`make dev` did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
