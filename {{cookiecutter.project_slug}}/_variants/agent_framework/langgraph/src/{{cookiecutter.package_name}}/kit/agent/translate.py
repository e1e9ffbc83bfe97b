"""The agent's LangGraph stream (``stream_mode=["messages", "updates", "custom"]``, ``version="v2"``)
read as the kit's events, keeping only plain JSON data.

- ``messages``: the model node's ``AIMessageChunk`` text becomes ``delta``s (a tool's own model
  calls, or a middleware's, are not the answer);
- ``custom``: the kit's ``CallStarted`` / ``CallEnded`` become ``tool_call`` / ``tool_result``;
  anything else a tool writes is progress, a ``status`` with the id of the call running (a turn's
  tools run one at a time);
- ``updates``: the model's whole message says why it stopped (``finish_reason``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

from .events import AgentEvent, ToolCall, delta, status, tool_call, tool_result
from .kit_middleware import CallEnded, CallStarted

MODEL_NODE = "model"
# Stop reasons that cut the answer short, as the OpenAI finish_reason callers know.
FINISH_REASONS = {
    "length": "length",
    "max_tokens": "length",
    "content_filter": "content_filter",
    "content_filtered": "content_filter",
    "guardrail_intervened": "content_filter",
}


class Translator:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.finish_reason = "stop"
        self.running: ToolCall | None = None

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def events(self, part: dict) -> Iterator[AgentEvent]:
        kind, data = part["type"], part["data"]
        if kind == "messages":
            chunk, metadata = data
            if isinstance(chunk, AIMessageChunk) and metadata.get("langgraph_node") == MODEL_NODE:
                text = str(chunk.text)
                if text:
                    self.pieces.append(text)
                    yield delta(text)
        elif kind == "custom":
            yield from self._custom(data)
        elif kind == "updates":
            for node, update in data.items():
                if node == MODEL_NODE and update:
                    answers = [m for m in update.get("messages", ()) if isinstance(m, AIMessage)]
                    if answers:
                        self.finish_reason = _finish_reason(answers[-1])

    def _custom(self, data: object) -> Iterator[AgentEvent]:
        if isinstance(data, CallStarted):
            self.running = data.call
            yield tool_call(data.call)
        elif isinstance(data, CallEnded):
            self.running = None
            yield _tool_result(data.call, data.answer)
        else:
            yield status(_status_text(data), self.running.id if self.running else None)


def _tool_result(call: ToolCall, answer: ToolMessage | None) -> AgentEvent:
    if answer is None:
        return tool_result(call, output=None)
    if answer.status == "error":
        return tool_result(call, error=_text(answer.content))
    return tool_result(call, output=_data(answer.content))


def _data(content: object) -> object:
    """A tool's result as data: LangChain sends what is not text to the model as JSON text."""
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _text(content: object) -> str:
    return content if isinstance(content, str) else json.dumps(content, default=str)


def _status_text(data: object) -> str:
    """A progress line: text as written, a dict's ``message``, anything else as JSON."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"]
    return json.dumps(data, default=str)


def _finish_reason(message: AIMessage) -> str:
    metadata = message.response_metadata or {}
    reason = metadata.get("finish_reason") or metadata.get("stopReason") or metadata.get("stop_reason")
    return FINISH_REASONS.get(reason, "stop")
