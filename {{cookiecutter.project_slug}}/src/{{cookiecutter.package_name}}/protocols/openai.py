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


def error_chunk(message: str, code: str | None = None) -> bytes:
    """An ``error`` object as an SSE event: the OpenAI SDKs raise it as an APIError."""
    problem: dict = {"message": message, "type": "server_error"}
    if code:
        problem["code"] = code
    return b"data: " + json.dumps({"error": problem}).encode() + b"\n\n"


def sse_stream(events: Iterator[AgentEvent], model: str) -> Iterator[bytes]:
    """``chat.completion.chunk`` events ending in ``data: [DONE]``.

    Status events travel as SSE comments, which clients ignore; an error event becomes
    an ``error`` object and ends the stream, without ``[DONE]``.
    """
    id_, created = completion_id(), int(time.time())
    yield _chunk(id_, created, model, {"role": "assistant", "content": ""}, None)
    for event in events:
        if event.type == "delta":
            yield _chunk(id_, created, model, {"content": event.payload["text"]}, None)
        elif event.type == "status":
            yield f": {event.payload['message']}\n\n".encode()
        elif event.type == "result":
            finish = event.payload.get("finish_reason", "stop")
            yield _chunk(id_, created, model, {}, finish)
        elif event.type == "error":
            yield error_chunk(event.payload["message"], event.payload.get("code"))
            break
    else:
        yield DONE
        return
    # Ask for one more event: the failure raised after an error event (service.guarded's
    # StreamFailed) must reach the transport, which then marks the invocation failed.
    next(events, None)
