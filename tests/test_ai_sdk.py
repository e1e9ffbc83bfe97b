"""The real Vercel AI SDK client (`ai`, latest and previous major) reads each flavor's
`/api/chat` from the kit's own `make dev` server.

The package's own parser rejects a malformed chunk, an unknown type or a bad order, so
this is the protocol's test; tests/ai_sdk/chat.mjs drives it (DefaultChatTransport +
readUIMessageStream, as useChat does).
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import time

import pytest
from kit_server import dev_server, kit_venv

from conftest import DEFAULTS, ROOT, bake

CLIENT = ROOT / "tests" / "ai_sdk"
MAJORS = ("ai6", "ai7")  # npm aliases in tests/ai_sdk/package.json
# One worker runs them all, so each flavor's server starts once.
pytestmark = pytest.mark.xdist_group("ai-sdk")
TOOL_TEXT = '/tool slow_process {"message": "hi", "steps": 2, "delay_ms": 50}'


@pytest.fixture(scope="session")
def node_client():
    """tests/ai_sdk installed from its lock file (once; .ci/run does it up front)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("Node.js and npm are needed for the AI SDK client test (apt-get install nodejs npm)")
    installed = CLIENT / "node_modules" / ".package-lock.json"
    lock = CLIENT / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENT, check=True, capture_output=True)
    return CLIENT / "chat.mjs"


def chat(client, base_url: str, major: str, *texts: str) -> dict:
    done = subprocess.run(
        ["node", str(client), major, base_url, *texts], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=DEFAULTS["runtime_flavor"])
def server(request, cookies_session):
    kit = bake(cookies_session, runtime_flavor=request.param)
    with dev_server(kit) as url:
        yield url


def parts_of(message: dict, kind: str) -> list[dict]:
    return [part for part in message["parts"] if part["type"] == kind]


@pytest.mark.parametrize("major", MAJORS)
def test_text_answer_over_two_turns(server, node_client, major):
    reply = chat(node_client, server, major, "Hello from the AI SDK", "and a second turn")
    assert reply["version"].startswith(major[2:] + ".")
    assert reply["errors"] == []
    first, second = reply["messages"]
    assert [part["text"] for part in parts_of(first, "text")] == ["Hello from the AI SDK"]
    assert [part["text"] for part in parts_of(second, "text")] == ["and a second turn"]
    assert all(part["state"] == "done" for part in parts_of(first, "text"))


@pytest.mark.parametrize("major", MAJORS)
def test_tool_call_status_and_answer(server, node_client, major):
    """The echo agent calls slow_process for a `/tool` message, then answers with its output;
    the second turn sends the tool-using message back, as useChat does."""
    reply = chat(node_client, server, major, TOOL_TEXT, "thanks")
    assert reply["errors"] == []
    first, second = reply["messages"]
    [tool] = parts_of(first, "tool-slow_process")
    assert tool["state"] == "output-available"
    assert tool["input"] == {"message": "hi", "steps": 2, "delay_ms": 50}
    assert tool["output"]["summary"] == "Processed 'hi' in 2 steps"
    [status] = parts_of(first, "data-status")
    assert status["id"] == f"status-{tool['toolCallId']}", "one status part per call, updated in place"
    assert status["data"] == {"toolCallId": tool["toolCallId"], "message": "Step 2/2 complete"}
    answer = "".join(part["text"] for part in parts_of(first, "text"))
    assert "Processed 'hi' in 2 steps" in answer
    assert [part["type"] for part in first["parts"]].count("step-start") == 2
    assert [part["text"] for part in parts_of(second, "text")] == ["thanks"]


@pytest.mark.parametrize("major", MAJORS)
def test_a_failing_tool_is_an_output_error_part(server, node_client, major):
    reply = chat(node_client, server, major, '/tool slow_process {"message": "x", "steps": 0}')
    assert reply["errors"] == []
    [message] = reply["messages"]
    [tool] = parts_of(message, "tool-slow_process")
    assert tool["state"] == "output-error"
    assert "steps must be from 1 to 100" in tool["errorText"]
    assert "steps must be from 1 to 100" in "".join(part["text"] for part in parts_of(message, "text"))


def test_chunks_leave_as_the_tool_reports(server):
    """Each status chunk reaches the client when the tool sends it, not with the answer."""
    text = '/tool slow_process {"message": "t", "steps": 3, "delay_ms": 200}'
    message = {"id": "u1", "role": "user", "parts": [{"type": "text", "text": text}]}
    request = {"id": "chat-timing", "messages": [message], "trigger": "submit-message"}
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("POST", "/api/chat", json.dumps(request), {"content-type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("x-vercel-ai-ui-message-stream") == "v1"
    arrivals = []
    while line := response.readline():
        if line.startswith(b"data: {"):
            arrivals.append((time.monotonic(), json.loads(line[len(b"data: ") :])))
    statuses = [when for when, chunk in arrivals if chunk["type"] == "data-status" and "id" in chunk]
    finished = next(when for when, chunk in arrivals if chunk["type"] == "finish")
    assert len(statuses) == 4  # "Starting" and three steps
    # 3 x 200 ms between the first and last status; buffered, they would arrive together at the end.
    assert statuses[-1] - statuses[0] > 0.3
    assert finished - statuses[0] > 0.3


FRAMEWORK_KITS = [
    pytest.param(framework, flavor, id=f"{framework}-{flavor}")
    for framework in DEFAULTS["agent_framework"]
    if framework != "builtin"
    for flavor in DEFAULTS["runtime_flavor"]
]


@pytest.mark.parametrize(("framework", "flavor"), FRAMEWORK_KITS)
def test_a_framework_agents_tool_run_reads_as_ui_messages(cookies_session, node_client, framework, flavor):
    """An agent written with a framework streams the same UI message stream: the tool call, its
    progress in place, its output and the answer, as the latest client reads them."""
    kit = bake(cookies_session, runtime_flavor=flavor, agent_framework=framework)
    with dev_server(kit, venv=kit_venv(kit)) as url:
        reply = chat(node_client, url, MAJORS[-1], TOOL_TEXT)
    assert reply["errors"] == []
    [message] = reply["messages"]
    [tool] = parts_of(message, "tool-slow_process")
    assert tool["state"] == "output-available"
    assert tool["input"] == {"message": "hi", "steps": 2, "delay_ms": 50}
    assert tool["output"]["summary"] == "Processed 'hi' in 2 steps"
    [status] = parts_of(message, "data-status")
    assert status["data"] == {"toolCallId": tool["toolCallId"], "message": "Step 2/2 complete"}
    assert "Processed 'hi' in 2 steps" in "".join(part["text"] for part in parts_of(message, "text"))
