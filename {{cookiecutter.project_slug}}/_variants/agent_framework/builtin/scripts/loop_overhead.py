"""The agent loop's own cost per step, with the echo model: prints one JSON object.

- ``step_ms``: from a tool returning to the next model request (the result's handoff from
  the tool's thread, the ``tool_result`` line, the conversation update);
- ``status_ms``: from a tool's ``ctx.send_status`` to its NDJSON line leaving ``/invoke``'s
  body generator (the transport after that is measured by ``make bench``).

Medians over ``--runs`` runs of ``POST /invoke`` bodies, in process: ``python scripts/loop_overhead.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from {{ cookiecutter.package_name }}.kit import service
from {{ cookiecutter.package_name }}.kit.agent import model, tools
from {{ cookiecutter.package_name }}.kit.settings import Settings

STATUSES = 20


def measure(runs: int = 200) -> dict:
    """Median ``step_ms`` and ``status_ms`` over ``runs`` agent runs of one tool call each."""
    marks: dict[str, float] = {}

    @tools.tool
    def bench_probe(*, ctx: tools.ToolContext) -> str:
        for number in range(STATUSES):
            marks[f"s{number}"] = time.perf_counter()
            ctx.send_status(f"s{number}")
        marks["returned"] = time.perf_counter()
        return "done"

    original = model.stream_turn

    def timed_turn(*args):
        marks.setdefault("next_request", time.perf_counter())
        return original(*args)

    model.stream_turn = timed_turn
    settings = Settings(echo_delay_ms=0)
    body = {"messages": [{"role": "user", "content": "/tool bench_probe {}"}]}
    steps, statuses = [], []
    try:
        for _ in range(runs):
            marks.clear()
            for line in service.stream_invoke(body, settings):
                event = json.loads(line)
                if event["type"] == "status" and event.get("id"):
                    statuses.append(time.perf_counter() - marks[event["message"]])
                elif event["type"] == "tool_call":
                    marks.pop("next_request")  # the first request; the next one is the step's end
            steps.append(marks["next_request"] - marks["returned"])
    finally:
        model.stream_turn = original
        tools.TOOLS.pop("bench_probe")
        tools._SPECS.pop("bench_probe", None)
    return {
        "runs": runs,
        "step_ms": round(statistics.median(steps) * 1000, 3),
        "status_ms": round(statistics.median(statuses) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    print(json.dumps(measure(parser.parse_args().runs)))


if __name__ == "__main__":
    main()
