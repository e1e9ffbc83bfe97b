"""The Vercel AI SDK UI message stream: what ``useChat`` / ``DefaultChatTransport`` reads.

SSE, one ``data: <json>`` per chunk, ending with ``data: [DONE]`` unless it failed. A message is ``start``,
then one or more steps (``start-step`` ... ``finish-step``: one model call each, with its
text and its tool calls and their outputs), then ``finish``. The client rejects the whole
stream on a chunk it does not know, a missing field, a text delta before its
``text-start`` or a tool output for a call it never saw, so the order here matters.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from ..agent.events import AgentEvent

MEDIA_TYPE = "text/event-stream"
HEADERS = {
    "x-vercel-ai-ui-message-stream": "v1",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}
DONE = b"data: [DONE]\n\n"
# The finish reasons AI SDK 5, 6 and 7 all accept; anything else fails the client's parser.
FINISH_REASONS = ("stop", "length", "content-filter", "tool-calls", "error", "other")


def chunk(body: dict) -> bytes:
    return b"data: " + json.dumps(body, separators=(",", ":"), default=str).encode() + b"\n\n"


def finish_reason(reason: object) -> str:
    """The agent's (OpenAI-style) finish reason in the client's vocabulary."""
    named = str(reason or "stop").replace("_", "-")
    return named if named in FINISH_REASONS else "other"


def error_chunks(message: str) -> bytes:
    """An error and the end of the message, as one write; no ``[DONE]`` follows a failure."""
    return chunk({"type": "error", "errorText": message}) + chunk({"type": "finish", "finishReason": "error"})


def encode_stream(events: Iterator[AgentEvent], message_id: str | None = None) -> Iterator[bytes]:
    """UI message chunks for the agent's events.

    Steps are derived from the events: a step starts at the first text or tool call after
    the start, and a new one at the first text or tool call after tool results (the model
    was called again). Status lines from a tool become a ``data-status`` part with a stable
    id per call, so the client updates one part in place; the agent's own status lines are
    transient (shown while they last, not kept in the message).
    """
    yield chunk({"type": "start", "messageId": message_id or f"msg-{os.urandom(12).hex()}"})
    in_step = False
    after_results = False
    text_id: str | None = None
    texts = 0

    def end_text() -> Iterator[bytes]:
        nonlocal text_id
        if text_id is not None:
            yield chunk({"type": "text-end", "id": text_id})
            text_id = None

    def end_step() -> Iterator[bytes]:
        nonlocal in_step, after_results
        yield from end_text()
        if in_step:
            yield chunk({"type": "finish-step"})
        in_step = after_results = False

    def begin_step() -> Iterator[bytes]:
        nonlocal in_step
        if after_results:
            yield from end_step()
        if not in_step:
            yield chunk({"type": "start-step"})
            in_step = True

    for event in events:
        kind, payload = event.type, event.payload
        if kind == "delta":
            if not payload["text"]:
                continue
            yield from begin_step()
            if text_id is None:
                texts += 1
                text_id = f"text-{texts}"
                yield chunk({"type": "text-start", "id": text_id})
            yield chunk({"type": "text-delta", "id": text_id, "delta": payload["text"]})
        elif kind == "tool_call":
            yield from begin_step()
            yield from end_text()
            yield chunk(
                {
                    "type": "tool-input-available",
                    "toolCallId": payload["id"],
                    "toolName": payload["name"],
                    "input": payload["arguments"],
                }
            )
        elif kind == "tool_result":
            after_results = True
            if "error" in payload:
                yield chunk(
                    {"type": "tool-output-error", "toolCallId": payload["id"], "errorText": payload["error"]}
                )
            else:
                yield chunk(
                    {
                        "type": "tool-output-available",
                        "toolCallId": payload["id"],
                        "output": payload["output"],
                    }
                )
        elif kind == "status":
            call_id = payload.get("id")
            if call_id is None:
                yield chunk(
                    {"type": "data-status", "data": {"message": payload["message"]}, "transient": True}
                )
            else:
                data = {"toolCallId": call_id, "message": payload["message"]}
                yield chunk({"type": "data-status", "id": f"status-{call_id}", "data": data})
        elif kind == "result":
            yield from end_step()
            yield chunk({"type": "finish", "finishReason": finish_reason(payload.get("finish_reason"))})
            yield DONE
            return
        elif kind == "error":
            yield from end_step()
            yield error_chunks(payload["message"])
            return
    # The agent stopped without a result: close what is open so the client keeps the message.
    yield from end_step()
    yield chunk({"type": "finish", "finishReason": "other"})
    yield DONE
