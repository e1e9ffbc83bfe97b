"""What an agent yields. Encoders at the edge turn these into NDJSON, SSE or JSON.

Plain classes rather than dataclasses: this module loads at every cold start, and
``dataclasses`` (which imports ``inspect``) alone takes about 20 ms to import.
"""

from __future__ import annotations

import time
from collections import namedtuple

EVENT_TYPES = ("status", "delta", "tool_call", "tool_result", "result", "error", "model_call")
# ``model_call`` is the kit's own record of one model call (timing, tokens), for traces and
# metrics; ``loop.run_agent`` takes it out of the stream, so callers never see it.

_MESSAGE_FIELDS = ["role", "content", "tool_calls", "tool_call_id", "is_error"]
Message = namedtuple("Message", _MESSAGE_FIELDS, defaults=[(), None, False])
Message.__doc__ = """One turn of a conversation: ``Message(role, content)``.

An assistant turn that asks for tools carries them in ``tool_calls``; a ``tool`` turn answers
the call named by ``tool_call_id`` (``is_error`` when the tool failed).
"""

ToolCall = namedtuple("ToolCall", ["id", "name", "arguments"])
ToolCall.__doc__ = """A tool the model asked for: ``arguments`` is a dict, or the raw text when it
was not a JSON object."""


class AgentEvent:
    """A ``status``, a text ``delta``, a ``tool_call``, its ``tool_result``, the ``result``,
    or an ``error``, stamped when made."""

    __slots__ = ("payload", "timestamp", "type")

    def __init__(self, type: str, payload: dict, timestamp: float | None = None) -> None:
        if type not in EVENT_TYPES:
            raise ValueError(f"event type must be one of {', '.join(EVENT_TYPES)}; got {type!r}")
        self.type = type
        self.payload = payload
        self.timestamp = time.time() if timestamp is None else timestamp

    def __repr__(self) -> str:
        return f"AgentEvent({self.type!r}, {self.payload!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AgentEvent):
            return NotImplemented
        return (self.type, self.payload) == (other.type, other.payload)

    __hash__ = None  # the payload is a dict


def status(message: str, id: str | None = None) -> AgentEvent:
    """Progress; ``id`` names the tool call that sent it (none: the agent itself)."""
    if id is None:
        return AgentEvent("status", {"message": message})
    return AgentEvent("status", {"id": id, "message": message})


def delta(text: str) -> AgentEvent:
    return AgentEvent("delta", {"text": text})


def tool_call(call: ToolCall) -> AgentEvent:
    return AgentEvent("tool_call", {"id": call.id, "name": call.name, "arguments": call.arguments})


def tool_result(call: ToolCall, output: object = None, error: str | None = None) -> AgentEvent:
    """The tool's ``output``, or the ``error`` that stopped it (sent to the model either way)."""
    if error is not None:
        return AgentEvent("tool_result", {"id": call.id, "name": call.name, "error": error})
    return AgentEvent("tool_result", {"id": call.id, "name": call.name, "output": output})


def model_call(
    model: str,
    provider: str,
    started: float,
    first_token: float | None = None,
    finish_reason: str | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    error: str | None = None,
) -> AgentEvent:
    """One model call, made when it ends: the model and its ``LLM_PROVIDER``, when it started
    and gave its first token (``time.time()``), why it stopped (``stop``, ``tool_calls``,
    ``length``...), the tokens the provider reported, and the ``error`` type when it failed."""
    return AgentEvent(
        "model_call",
        {
            "model": model,
            "provider": provider,
            "started": started,
            "first_token": first_token,
            "finish_reason": finish_reason,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "error": error,
        },
    )


def result(**payload: object) -> AgentEvent:
    return AgentEvent("result", payload)


def error(message: str, code: str = "agent_error") -> AgentEvent:
    return AgentEvent("error", {"message": message, "code": code})
