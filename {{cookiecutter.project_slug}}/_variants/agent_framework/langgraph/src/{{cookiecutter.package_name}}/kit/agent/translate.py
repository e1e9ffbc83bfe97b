"""The agent's LangGraph stream (``stream_mode=["messages", "updates", "custom"]``, ``version="v2"``)
read as the kit's events, keeping only plain JSON data.

- ``messages``: the model node's ``AIMessageChunk`` text becomes ``delta``s (a tool's own model
  calls, or a middleware's, are not the answer);
- ``custom``: the kit's ``CallStarted`` / ``CallEnded`` become ``tool_call`` / ``tool_result``;
  ``ModelCallEnded`` the kit's ``model_call`` record (``model_calls``), with the time the call's
  first text or tool call chunk came; anything else a tool writes is progress, a ``status`` with
  the id of the call running (a turn's tools run one at a time);
- ``updates``: the model's whole message says why it stopped (``finish_reason``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

from ..settings import Settings
from . import model_calls
from .events import AgentEvent, ToolCall, delta, status, tool_call, tool_result
from .kit_middleware import CallEnded, CallStarted, ModelCallEnded

MODEL_NODE = "model"


class Translator:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pieces: list[str] = []
        self.finish_reason = "stop"
        self.running: ToolCall | None = None
        self.first_token: float | None = None  # of the model call under way

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def events(self, part: dict) -> Iterator[AgentEvent]:
        kind, data = part["type"], part["data"]
        if kind == "messages":
            chunk, metadata = data
            if isinstance(chunk, AIMessageChunk) and metadata.get("langgraph_node") == MODEL_NODE:
                text = str(chunk.text)
                if self.first_token is None and (text or chunk.tool_call_chunks):
                    self.first_token = time.time()
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
        elif isinstance(data, ModelCallEnded):
            yield model_calls.record(data.started, self.first_token, data.answer, self.settings)
            self.first_token = None
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
    """``length`` or ``content_filter`` when the answer was cut short, else ``stop``."""
    reason = model_calls.finish_reason(message)
    return reason if reason in ("length", "content_filter") else "stop"
