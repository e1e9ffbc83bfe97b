"""Runs the author's OpenAI Agents SDK agent and streams its steps as the kit's events.

The run happens on the execution environment's event loop (``environment_loop``):
``Runner.run_streamed`` with the conversation as input items, ``max_turns=AGENT_MAX_STEPS``, a
``RunProgress`` as the run's context (tools report progress through it), a turn's tools one at a
time in the model's order, and the SDK's tool errors in the kit's words. The SDK's stream events and
the tools' reports meet in one queue; ``run_steps`` turns them into the kit's events, so only plain
JSON data crosses to the caller's thread:

- ``response.output_text.delta`` events stream as ``delta``s;
- each call's ``tool_call`` leaves as the tool starts, its ``status`` lines as it reports them, its
  ``tool_result`` as it ends;
- an unknown tool, arguments that do not fit the tool's schema, and a tool that raises become the
  call's ``tool_result`` with an ``error``; the model reads the error and goes on;
- with ``MCP_SERVERS``, the remote servers' tools join the author's (``remote_function_tools``),
  listed and called off the loop;
- each model call is recorded as it ends, a ``model_call`` (``model_calls``): ``loop.run_agent``
  takes these out for metrics and traces.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence

from agents import (
    Agent,
    FunctionTool,
    MaxTurnsExceeded,
    Model,
    ModelSettings,
    RunConfig,
    Runner,
    RunResultStreaming,
    flush_traces,
)
from agents.run_config import ToolExecutionConfig
from agents.stream_events import RawResponsesStreamEvent

from ..settings import Settings
from . import conversation, remote_calls, run_steps
from .environment_loop import iterate
from .errors import ProviderError
from .events import AgentEvent, Message, error, status
from .model_calls import RecordedModel
from .progress import RunProgress
from .providers import load_provider
from .remote_function_tools import function_tools


def run_agent(
    messages: Sequence[Message], settings: Settings, options: dict | None = None
) -> Iterator[AgentEvent]:
    """Answer a conversation with the author's agent; a plain generator of the kit's events.

    Closing it (the caller went away, the deadline came) cancels the run, a running tool included.
    """
    from .. import author  # here, not at the top: the author's modules import the kit's

    yield status("thinking")
    try:
        model = model_for(settings)
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    agent = author.agents_agent()
    try:
        yield from iterate(lambda: _events(agent, model, messages, settings, options or {}))
    finally:
        # With tracing on, send this run's traces now, from the caller's thread rather than the
        # shared event loop: a frozen execution environment would hold them unsent.
        flush_traces()


def model_for(settings: Settings) -> Model:
    """The configured provider's Agents ``Model``; ProviderError when it cannot be made.

    Made for each run around the SDK client the provider module keeps for the execution
    environment: every run happens on the one environment loop, so the client's connections
    never outlive the loop they were made on.
    """
    return load_provider(settings.llm_provider).build(settings)


def preload(settings: Settings) -> None:
    """Import the provider and make a model during init rather than on the first request.

    A provider that cannot be made now is reported on the first request, as an error event.
    """
    try:
        model_for(settings)
    except Exception:
        return  # said again, as an error event, on the request that needs the model


def tool_specs() -> list[dict]:
    """Every function tool of the agent, as the model sees it: name, description, schema."""
    from .. import author

    return [
        {
            "name": tool.name,
            "description": tool.description,
            "parameters": run_steps.closed_schema(tool.params_json_schema),
        }
        for tool in author.agents_agent().tools
        if isinstance(tool, FunctionTool)
    ]


async def _events(
    agent: Agent, model: Model, messages: Sequence[Message], settings: Settings, options: dict
) -> AsyncIterator[AgentEvent]:
    updates: asyncio.Queue = asyncio.Queue()
    steps = run_steps.RunSteps(updates)
    recorded = RecordedModel(model, settings, options)
    remote = function_tools(await remote_calls.offered(settings), steps.failed_call)  # [] without MCP_SERVERS
    run = Runner.run_streamed(
        steps.with_kit_tools(agent, remote),
        conversation.input_items(messages),
        context=RunProgress(lambda call_id, message: updates.put_nowait(("status", call_id, message))),
        max_turns=settings.agent_max_steps,
        run_config=RunConfig(
            model=recorded,
            model_settings=_model_settings(options),
            tool_not_found_behavior="return_error_to_model",
            tool_error_formatter=steps.failed,
            tool_execution=ToolExecutionConfig(max_function_tool_concurrency=1),
        ),
    )
    pump = asyncio.create_task(_pump(run, recorded, updates))
    try:
        while (update := await updates.get())[0] != "done":
            if update[0] == "raised":
                raise update[1]
            for event in steps.translate(update):
                yield event
        yield steps.finished(options)
    except MaxTurnsExceeded:
        limit = settings.agent_max_steps
        yield error(
            f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
        )
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
    except Exception as problem:
        explained = load_provider(settings.llm_provider).failure(problem, settings)
        if explained is None:
            raise
        yield error(explained, code="provider_error")
    finally:
        run.cancel()  # stops the run and its running tool when the caller leaves early
        pump.cancel()


async def _pump(run: RunResultStreaming, recorded: RecordedModel, updates: asyncio.Queue) -> None:
    """The SDK's events onto the queue, each model call's record after the events of its call."""
    try:
        async for event in run.stream_events():
            updates.put_nowait(("sdk", event))
            if isinstance(event, RawResponsesStreamEvent) and event.data.type == "response.completed":
                _hand_over(recorded, updates)
    except Exception as problem:
        _hand_over(recorded, updates)
        updates.put_nowait(("raised", problem))
    else:
        _hand_over(recorded, updates)
        updates.put_nowait(("done",))


def _hand_over(recorded: RecordedModel, updates: asyncio.Queue) -> None:
    for call in recorded.take():
        updates.put_nowait(("model_call", call))


def _model_settings(options: dict) -> ModelSettings:
    """The caller's generation settings, under the SDK's names; usage is asked for in every stream."""
    extra: dict = {}
    if options.get("max_completion_tokens") is not None:
        extra["max_completion_tokens"] = options["max_completion_tokens"]
    stop = options.get("stop")
    if stop:
        extra["stop"] = [stop] if isinstance(stop, str) else list(stop)
    return ModelSettings(
        max_tokens=options.get("max_tokens"),
        temperature=options.get("temperature"),
        include_usage=True,
        extra_args=extra or None,
    )
