"""Benchmark the server the Lambda Web Adapter fronts. Prints figures; asserts nothing.

    python scripts/bench_stream.py [--runs 5] [--requests 30] [--lines 500]

- cold start to ready: a fresh ``python -m <package>.server`` process until GET /health
  answers (what the adapter's readiness check waits for; the adapter itself and Lambda's
  own init come on top);
- time to first byte of POST /invoke and of a streamed chat completion;
- per-chunk overhead: streaming N NDJSON lines over HTTP, minus producing them in-process.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "{{ cookiecutter.package_name }}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str, float]:
    """Start the server as the image does; return the process, its URL and ms to ready."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), AWS_LWA_PORT=str(port), ECHO_DELAY_MS="0")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", f"{PACKAGE}.kit.server"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    while process.poll() is None:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url, (time.perf_counter() - started) * 1000
        except httpx.TransportError:
            time.sleep(0.005)
    raise SystemExit(f"error: the server exited: {process.stderr.read().decode()[-500:]}")


def first_byte_ms(client: httpx.Client, path: str, body: dict) -> float:
    started = time.perf_counter()
    with client.stream("POST", path, json=body) as response:
        chunks = response.iter_raw()
        next(chunks)
        elapsed = (time.perf_counter() - started) * 1000
        for _ in chunks:
            pass
    return elapsed


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.2f} ms  min {ordered[0]:7.2f} ms  p95 {p95:7.2f} ms"


def in_process_ms(lines: int) -> float:
    """Producing and encoding the same lines with no HTTP in between."""
    sys.path.insert(0, str(ROOT / "src"))
    from {{ cookiecutter.package_name }}.kit.payloads import ToolRequest
    from {{ cookiecutter.package_name }}.kit.service import stream_tool

    request = ToolRequest(tool="slow_process", arguments={"message": "x", "steps": lines, "delay_ms": 0})
    started = time.perf_counter()
    for _ in stream_tool(request):
        pass
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts to measure")
    parser.add_argument("--requests", type=int, default=30, help="requests per first-byte figure")
    parser.add_argument("--lines", type=int, default=100, help="NDJSON lines per chunk figure (1-100)")
    args = parser.parse_args(argv)
    if not (1 <= args.runs <= 50 and 1 <= args.requests <= 1000 and 1 <= args.lines <= 100):
        parser.error("--runs 1-50, --requests 1-1000, --lines 1-100")

    cold = []
    for _ in range(args.runs):
        process, url, ready_ms = start_server()
        cold.append(ready_ms)
        process.terminate()
        process.wait()
    print(f"cold start to ready (process start -> /health 200), {args.runs} runs: {summary(cold)}")

    process, url, _ = start_server()
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            tool = {"tool": "slow_process", "arguments": {"message": "x", "steps": 1, "delay_ms": 0}}
            chat = {"stream": True, "messages": [{"role": "user", "content": "one two three"}]}
            first_byte_ms(client, "/invoke", tool)  # warm the connection and the code paths
            invoke = [first_byte_ms(client, "/invoke", tool) for _ in range(args.requests)]
            print(f"time to first byte, POST /invoke:             {summary(invoke)}")
            stream = [first_byte_ms(client, "/v1/chat/completions", chat) for _ in range(args.requests)]
            print(f"time to first byte, streamed chat completion: {summary(stream)}")

            many = {"tool": "slow_process", "arguments": {"message": "x", "steps": args.lines, "delay_ms": 0}}
            over_http = []
            for _ in range(5):
                started = time.perf_counter()
                with client.stream("POST", "/invoke", json=many) as response:
                    count = sum(1 for line in response.iter_lines() if line)
                over_http.append((time.perf_counter() - started) * 1000)
            local = statistics.median(in_process_ms(args.lines) for _ in range(5))
            http_ms = statistics.median(over_http)
            print(
                f"per-chunk overhead over HTTP: {(http_ms - local) / count * 1000:7.1f} us "
                f"({count} lines: {http_ms:.1f} ms over HTTP, {local:.1f} ms in-process)"
            )
    finally:
        process.terminate()
        process.wait()
    print("figures from this machine, over loopback; on Lambda add the adapter and the network")
    return 0


if __name__ == "__main__":
    sys.exit(main())
