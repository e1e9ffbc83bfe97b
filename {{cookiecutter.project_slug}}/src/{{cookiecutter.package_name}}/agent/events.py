"""What an agent yields. Encoders at the edge turn these into NDJSON, SSE or JSON."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

EventType = Literal["status", "delta", "result", "error"]


@dataclass(frozen=True, slots=True)
class AgentEvent:
    type: EventType
    payload: dict[str, Any]
    timestamp: float = field(default_factory=time.time)


def status(message: str) -> AgentEvent:
    return AgentEvent("status", {"message": message})


def delta(text: str) -> AgentEvent:
    return AgentEvent("delta", {"text": text})


def result(**payload: Any) -> AgentEvent:
    return AgentEvent("result", payload)


def error(message: str, code: str = "agent_error") -> AgentEvent:
    return AgentEvent("error", {"message": message, "code": code})


@dataclass(frozen=True, slots=True)
class Message:
    role: str
    content: str
