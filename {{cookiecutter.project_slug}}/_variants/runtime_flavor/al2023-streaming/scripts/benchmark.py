"""Measure the runtime through the local stand-in; prints figures, asserts nothing.

    make bench            (or: python scripts/benchmark.py [--runs 10] [--size])

- cold init: from starting ``bootstrap`` to its first ``next`` call, next to a bare
  ``python -I -c "import json, http.client, base64"`` on the same machine;
- time to first byte of a streamed ``/invoke`` reply, warm;
- overhead per chunk: a handler yielding small chunks back to back;
- with ``--size``: the installed size of requirements-lambda.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from lambda_standin import RuntimeApiServer, function_url_event

ROOT = Path(__file__).resolve().parents[1]
CHUNKS = 2000
BENCH_HANDLER = f"""
def handler(event, context):
    for _ in range({CHUNKS}):
        yield b"x" * 32
"""


def start(api: RuntimeApiServer, handler: str | None, task_path: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "PYTHON": os.environ.get("PYTHON", sys.executable),
        "TASK_PATH": task_path,
        "ECHO_DELAY_MS": "0",
    }
    command = [str(ROOT / "bootstrap"), *([handler] if handler else [])]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen, api: RuntimeApiServer) -> None:
    process.kill()
    process.wait()
    api.shutdown()
    api.server_close()


def cold_init_ms(task_path: str) -> float:
    api = RuntimeApiServer().start()
    started = time.perf_counter()
    process = start(api, None, task_path)
    while not api.next_calls:
        if process.poll() is not None:
            raise SystemExit("error: the runtime exited during init; run `make dev` to see why")
        time.sleep(0.0005)
    elapsed = (api.next_calls[0] - started) * 1000
    stop(process, api)
    return elapsed


def baseline_ms() -> float:
    python = os.environ.get("PYTHON", sys.executable)
    started = time.perf_counter()
    subprocess.run([python, "-I", "-c", "import json, http.client, base64"], check=True)
    return (time.perf_counter() - started) * 1000


def ttfb_ms(task_path: str, runs: int) -> list[float]:
    api = RuntimeApiServer().start()
    process = start(api, None, task_path)
    body = json.dumps({"tool": "echo", "arguments": {"message": "hi"}}).encode()
    event = function_url_event("POST", "/invoke", {"content-type": "application/json"}, body)
    api.invoke(event).wait()  # the first one is the cold start
    figures = []
    for _ in range(runs):
        reply = api.invoke(event).wait()
        figures.append((reply.chunks[0][0] - reply.queued) * 1000)
    stop(process, api)
    return figures


def chunk_overhead_us(task_path: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench_handler.py").write_text(BENCH_HANDLER)
        api = RuntimeApiServer().start()
        process = start(api, "bench_handler.handler", os.pathsep.join([folder, task_path]))
        reply = api.invoke({}).wait(timeout=120)
        stop(process, api)
    assert len(reply.chunks) == CHUNKS
    return (reply.chunks[-1][0] - reply.chunks[0][0]) / (CHUNKS - 1) * 1_000_000


def installed_mb() -> float:
    with tempfile.TemporaryDirectory() as folder:
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"]
        subprocess.run([*pip, folder, "-r", str(ROOT / "requirements-lambda.txt")], check=True)
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return size / 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="repetitions per figure")
    parser.add_argument(
        "--size", action="store_true", help="also install requirements-lambda.txt and measure it"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    task_path = os.environ.get("TASK_PATH") or os.pathsep.join(
        [str(ROOT / "src"), sysconfig.get_path("purelib")]
    )
    base = statistics.median(baseline_ms() for _ in range(args.runs))
    cold = statistics.median(cold_init_ms(task_path) for _ in range(args.runs))
    print(f"cold init, process start to first `next`: {cold:7.1f} ms (median of {args.runs})")
    print(f"python -I -c 'import json, http.client, base64': {base:7.1f} ms  -> ratio {cold / base:.2f}x")
    ttfb = ttfb_ms(task_path, args.runs)
    print(f"time to first byte, warm /invoke:          {statistics.median(ttfb):7.2f} ms (median)")
    print(f"overhead per chunk, {CHUNKS} chunks back to back: {chunk_overhead_us(task_path):7.1f} us")
    if args.size:
        print(f"requirements-lambda.txt installed:         {installed_mb():7.1f} MB")
    if shutil.which("nproc"):
        print(f"(on {os.cpu_count()} cores; figures vary with machine load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
