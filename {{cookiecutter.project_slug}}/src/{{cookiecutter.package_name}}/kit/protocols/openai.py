"""OpenAI Chat Completions: a ``chat.completion`` object, or an SSE stream of chunks."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

from ..agent.events import AgentEvent

MEDIA_TYPE_SSE = "text/event-stream"
DONE = b"data: [DONE]\n\n"


def completion_id() -> str:
    return f"chatcmpl-{os.urandom(16).hex()}"


def completion(text: str, model: str, finish_reason: str = "stop", id_: str | None = None) -> dict:
    """A non-streamed ``chat.completion`` object."""
    return {
        "id": id_ or completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
            }
        ],
    }


def _chunk(id_: str, created: int, model: str, delta: dict, finish_reason: str | None) -> bytes:
    body = {
        "id": id_,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    return b"data: " + json.dumps(body, separators=(",", ":")).encode() + b"\n\n"


def _comment(text: str) -> bytes:
    """An SSE comment line: clients skip it; one line, whatever the text holds."""
    return f": {' '.join(text.split())}\n\n".encode()


def _tool_note(event: AgentEvent) -> str:
    payload = event.payload
    if event.type == "tool_call":
        return f"tool {payload['name']} called ({payload['id']})"
    if "error" in payload:
        return f"tool {payload['name']} failed ({payload['id']}): {payload['error']}"
    return f"tool {payload['name']} done ({payload['id']})"


def error_chunk(message: str, code: str | None = None) -> bytes:
    """An ``error`` object as an SSE event: the OpenAI SDKs raise it as an APIError."""
    problem: dict = {"message": message, "type": "server_error"}
    if code:
        problem["code"] = code
    return b"data: " + json.dumps({"error": problem}).encode() + b"\n\n"


def sse_stream(events: Iterator[AgentEvent], model: str) -> Iterator[bytes]:
    """``chat.completion.chunk`` events ending in ``data: [DONE]``.

    Status events and the agent's tool steps travel as SSE comments, which clients ignore;
    an error event becomes an ``error`` object, which the OpenAI SDKs raise as an APIError,
    and the stream ends without ``[DONE]``.
    """
    id_, created = completion_id(), int(time.time())
    yield _chunk(id_, created, model, {"role": "assistant", "content": ""}, None)
    failed = False
    for event in events:
        if failed:
            continue  # read on without writing: the failure behind the error event must reach the caller
        if event.type == "delta":
            yield _chunk(id_, created, model, {"content": event.payload["text"]}, None)
        elif event.type == "status":
            yield _comment(event.payload["message"])
        elif event.type in ("tool_call", "tool_result"):
            yield _comment(_tool_note(event))
        elif event.type == "result":
            finish = event.payload.get("finish_reason", "stop")
            yield _chunk(id_, created, model, {}, finish)
        elif event.type == "error":
            yield error_chunk(event.payload["message"], event.payload.get("code"))
            failed = True
    if not failed:
        yield DONE
