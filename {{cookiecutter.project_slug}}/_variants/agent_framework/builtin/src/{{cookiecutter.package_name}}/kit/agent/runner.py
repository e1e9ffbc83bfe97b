"""The kit's own agent loop: the model answers or asks for tools, the tools run, their results go back.

What the agent is told and which tools it has are the author's (``agent.py``, ``tools.py``);
the handlers only see the events this loop yields."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence

from ..settings import Settings
from . import model, providers, tools
from .events import AgentEvent, Message, ToolCall, delta, error, model_call, result, status, tool_call


def run_agent(
    messages: Sequence[Message], settings: Settings, options: dict | None = None
) -> Iterator[AgentEvent]:
    """Answer a conversation, calling tools as the model asks, until it answers in text.

    Each step streams the model's text as ``delta`` events; when the model asks for tools,
    each call is a ``tool_call``, the tool's ``status`` events (carrying the call's id) and a
    ``tool_result``, and the results go back to the model. At most ``AGENT_MAX_STEPS`` model
    calls. A plain generator: the HTTP edge sends each event the moment it is yielded, and
    closing it (caller gone, deadline) stops a running tool at its next ``send_status``.
    """
    from .. import author  # here, not at the top: the author's modules import this one

    yield status("thinking")
    conversation = [Message("system", author.system_prompt()), *messages]
    remote = tools.remote_tools_for_run(settings)  # {} unless MCP_SERVERS names servers
    specs = tools.specs() + [tool.spec for tool in remote.values()]
    options = options or {}
    parts: list[str] = []
    for _ in range(settings.agent_max_steps):
        calls: list[ToolCall] = []
        turn_text: list[str] = []
        finish = "stop"
        usage = model.Usage(None, None)
        started, first_token = time.time(), None
        try:
            for piece in model.stream_turn(conversation, specs, settings, options):
                first_token = first_token or time.time()
                if isinstance(piece, str):
                    turn_text.append(piece)
                    yield delta(piece)
                elif isinstance(piece, ToolCall):
                    calls.append(piece)
                elif isinstance(piece, model.Usage):
                    usage = piece
                else:
                    finish = piece.reason
        except model.ProviderError as problem:
            yield _model_call(settings, started, first_token, None, usage, "provider_error")
            yield error(str(problem), code="provider_error")
            return
        yield _model_call(settings, started, first_token, "tool_calls" if calls else finish, usage)
        parts.extend(turn_text)
        if not calls:
            yield result(text="".join(parts), finish_reason=finish)
            return
        conversation.append(Message("assistant", "".join(turn_text), tuple(calls)))
        for call in calls:
            yield tool_call(call)
            for event in tools.run_call(call, remote):
                yield event
            outcome = event.payload  # the last event of a call is its tool_result
            failed = "error" in outcome
            content = outcome["error"] if failed else _as_text(outcome["output"])
            conversation.append(Message("tool", content, tool_call_id=call.id, is_error=failed))
    limit = settings.agent_max_steps
    yield error(f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps")


def _model_call(
    settings: Settings,
    started: float,
    first_token: float | None,
    finish: str | None,
    usage: model.Usage,
    error: str | None = None,
) -> AgentEvent:
    return model_call(
        settings.agent_model, settings.llm_provider, started, first_token, finish, *usage, error=error
    )


def _as_text(output: object) -> str:
    return output if isinstance(output, str) else json.dumps(output, default=str)


def preload(settings: Settings) -> None:
    """Import the configured provider (and its SDK) during init, not on the first request."""
    providers.preload(settings)
