"""What every flavor's deadline tests share: work that cannot finish in time, and checks
that the reply was cut off in time and the work stopped."""

from __future__ import annotations

import json

import kit_tools

# 10 steps of 500 ms: 5 s of work, far more than the invocation has left.
SLOW_TOOL = {"tool": "slow_process", "arguments": {"message": "long", "steps": 10, "delay_ms": 500}}
# Twenty words, one every 300 ms: 6 s of reply (set ECHO_DELAY_MS to SLOW_ECHO_DELAY_MS).
SLOW_CHAT_MESSAGES = [{"role": "user", "content": " ".join(f"word{n}" for n in range(20))}]
SLOW_ECHO_DELAY_MS = "300"
REMAINING_S = 1.2
# The reply must end 500 ms before the deadline; the rest is room for a busy machine.
CUT_BY_S = REMAINING_S - 0.5 + 0.25
# A cancelled tool stops within one step (500 ms) of the producer being closed, itself at most
# one step after the cut; the whole tool would take 5 s.
TOOL_STOPS_WITHIN_S = 2.0


def tool_runs() -> set:
    """The slow_process calls the kit's test tools know of (how a call runs is the agent's affair)."""
    return kit_tools.calls_of("slow_process")


def assert_tools_stopped(runs: set) -> None:
    assert runs, "the tool never ran"
    for run in runs:
        assert kit_tools.ended(run, TOOL_STOPS_WITHIN_S), "the tool kept working after the reply was cut off"


def assert_ndjson_cut_off(body: bytes) -> None:
    """The stream ends with the deadline error, and no result."""
    lines = [json.loads(line) for line in body.splitlines() if line.strip()]
    assert lines[0]["type"] == "status"
    assert lines[-1]["type"] == "error"
    assert lines[-1]["code"] == "deadline_exceeded"
    assert "result" not in {line["type"] for line in lines}


def assert_sse_cut_off(body: bytes) -> None:
    """The stream ends with the OpenAI error object, and no [DONE]."""
    data = [line[6:] for line in body.decode().splitlines() if line.startswith("data: ")]
    assert data[0] != "[DONE]" and "[DONE]" not in data
    assert json.loads(data[0])["object"] == "chat.completion.chunk"
    problem = json.loads(data[-1])["error"]
    assert problem["code"] == "deadline_exceeded"
    assert "time out" in problem["message"]
