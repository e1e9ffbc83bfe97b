"""Runs the author's Pydantic AI agent and streams its steps as the kit's events.

The run happens on the execution environment's event loop (``environment_loop``); this module
turns Pydantic AI's stream events into the kit's ``AgentEvent``s there, so only plain JSON data
crosses to the caller's thread, in the order the kit's events always come:

- text parts stream as ``delta``s;
- tools run one at a time, and a call's ``tool_call`` is held back until the call starts
  (Pydantic AI announces every call of a turn before it runs the first);
- a ``CustomEvent`` a tool emits becomes a ``status`` carrying the call's id, as it is emitted;
- a tool that raises, an unknown tool, or arguments that do not fit become the call's
  ``tool_result`` with an ``error``: the model reads the error and goes on;
- each model request, as it ends, is a ``model_call`` record (``model_calls``).

With ``MCP_SERVERS`` set, the run also offers the remote servers' tools, listed before the run
starts (``remote_calls.for_run``), as one more toolset (``remote_toolset``); a run with an
``Extension`` offers the author's tools only.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass

from pydantic_ai import Agent, AgentRunResultEvent, CustomEvent, RunContext
from pydantic_ai.capabilities import Hooks
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelConnectionError,
    ModelHTTPError,
    ModelTimeoutError,
    ToolFailed,
    UsageLimitExceeded,
)
from pydantic_ai.messages import (
    FunctionToolCallEvent,
    FunctionToolResultEvent,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
)
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings
from pydantic_ai.toolsets import AbstractToolset, FunctionToolset
from pydantic_ai.usage import UsageLimits

from ..settings import Settings
from . import history, remote_calls
from .environment_loop import iterate
from .errors import ProviderError
from .events import AgentEvent, Message, ToolCall, delta, error, result, status, tool_call, tool_result
from .model_calls import ModelCalls
from .providers import load_provider
from .results import FAILED, as_json, error_text


@dataclass(frozen=True)
class Extension:
    """What a caller adds to a run: a wrapper around its model, capabilities, more toolsets."""

    wrap_model: Callable[[Model], Model] = lambda model: model
    capabilities: tuple = ()
    toolsets: tuple[AbstractToolset, ...] = ()


def run_agent(
    messages: Sequence[Message],
    settings: Settings,
    options: dict | None = None,
    extension: Extension | None = None,
) -> Iterator[AgentEvent]:
    """Answer a conversation with the author's agent; a plain generator of the kit's events.

    Closing it (the caller went away, the deadline came) cancels the run, a running tool included.
    """
    from .. import author  # here, not at the top: the author's modules import the kit's

    # A run with an extension offers the author's tools only; others, MCP_SERVERS' too.
    offers_remote = extension is None
    extension = extension or Extension()
    yield status("thinking")
    try:
        model = extension.wrap_model(model_for(settings))
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    agent = author.pydantic_agent()
    toolsets = list(extension.toolsets)
    remote = remote_calls.for_run(settings) if offers_remote else {}
    if remote:
        from .remote_toolset import remote_toolset

        toolsets.append(remote_toolset(remote, [*agent.toolsets, *toolsets]))
    yield from iterate(lambda: _events(agent, model, messages, settings, options or {}, extension, toolsets))


def model_for(settings: Settings) -> Model:
    """The configured provider's Pydantic AI model; ProviderError when it cannot be made.

    Made for each run (a fraction of a millisecond) around the SDK client the provider module
    keeps for the execution environment: the runs all happen on the one environment loop, so the
    client and its connections never outlive the loop they were made on.
    """
    return load_provider(settings.llm_provider).build(settings)


def preload(settings: Settings) -> None:
    """Import the provider and make a model during init rather than on the first request.

    The first Pydantic AI model a process makes loads its SDK's resources and genai-prices'
    data (a few hundred ms). A provider that cannot be made now is reported on the first
    request, as an error event.
    """
    try:
        model_for(settings)
    except Exception:
        return  # said again, as an error event, on the request that needs the model


def tool_specs() -> list[dict]:
    """Every tool of the agent's function toolsets, as the model sees it: name, description, schema."""
    from .. import author

    return [
        {
            "name": tool.tool_def.name,
            "description": tool.tool_def.description,
            "parameters": tool.tool_def.parameters_json_schema,
        }
        for toolset in author.pydantic_agent().toolsets
        if isinstance(toolset, FunctionToolset)
        for tool in toolset.tools.values()
    ]


async def _events(
    agent: Agent,
    model: Model,
    messages: Sequence[Message],
    settings: Settings,
    options: dict,
    extension: Extension,
    toolsets: list[AbstractToolset],
) -> AsyncIterator[AgentEvent]:
    prompt, past = history.prompt_and_history(messages)
    steps = _Steps()
    calls = ModelCalls(settings)
    try:
        # Tools run one at a time, in the order the model asked for them.
        with Agent.parallel_tool_call_execution_mode("sequential"):
            async with agent.run_stream_events(
                prompt,
                message_history=past,
                instructions=history.instructions(messages),
                model=model,
                model_settings=_model_settings(options),
                usage_limits=UsageLimits(request_limit=settings.agent_max_steps),
                # A bad call goes back to the model until AGENT_MAX_STEPS, not after one retry.
                retries={"tools": settings.agent_max_steps},
                capabilities=[
                    Hooks(tool_execute_error=_report_failure),
                    calls.capability(),
                    *extension.capabilities,
                ],
                toolsets=toolsets or None,
                infer_name=False,
            ) as stream:
                async for event in stream:
                    calls.saw(event)
                    for kit_event in [*calls.ended(), *steps.translate(event)]:
                        yield kit_event
    except UsageLimitExceeded:
        limit = settings.agent_max_steps
        for record in calls.ended():
            yield record
        yield error(
            f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
        )
    except ModelAPIError as problem:
        for record in calls.failed():
            yield record
        yield error(provider_problem(problem, settings), code="provider_error")
    except ProviderError as problem:
        for record in calls.failed():
            yield record
        yield error(str(problem), code="provider_error")


async def _report_failure(ctx: RunContext, *, call: object, tool_def: object, args: object, error: Exception):
    """A tool that raises fails its call (the model reads why) instead of ending the run."""
    kind = type(error).__name__
    raise ToolFailed(f"{kind}: {error}" if str(error) else kind) from error


def provider_problem(problem: ModelAPIError, settings: Settings) -> str:
    """One readable line: Pydantic AI's own message holds the whole response body."""
    if isinstance(problem, ModelTimeoutError):
        return f"the model provider did not answer within {settings.llm_timeout_s}s"
    if isinstance(problem, ModelConnectionError):
        cause = type(problem.__cause__).__name__ if problem.__cause__ else "no answer"
        return f"the connection to the model provider failed ({cause})"
    if not isinstance(problem, ModelHTTPError):
        return f"the model provider failed: {problem.message}"
    body = problem.body
    detail = body if isinstance(body, str) else None
    if isinstance(body, dict):
        nested = body.get("error") or body.get("Error")
        nested = nested if isinstance(nested, dict) else {}
        detail = body.get("message") or nested.get("message") or nested.get("Message")
        code = nested.get("Code")  # an AWS error's name says more than its status
        detail = f"{code}: {detail}" if code and detail else detail
    return f"the model provider answered {problem.status_code}: {detail or problem.message}"


def _model_settings(options: dict) -> ModelSettings:
    """The caller's generation settings, under Pydantic AI's names."""
    chosen = ModelSettings()
    limit = options.get("max_completion_tokens", options.get("max_tokens"))
    if limit is not None:
        chosen["max_tokens"] = limit
    if options.get("temperature") is not None:
        chosen["temperature"] = options["temperature"]
    stop = options.get("stop")
    if stop:
        chosen["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    return chosen


class _Steps:
    """Turns one run's Pydantic AI events into the kit's events, remembering what it needs to."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.calls: dict[str, ToolCall] = {}
        self.waiting: list[str] = []  # ids of calls Pydantic AI announced and the kit has not yet

    def translate(self, event: object) -> Iterator[AgentEvent]:
        if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
            yield from self._text(event.part.content)
        elif isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
            yield from self._text(event.delta.content_delta)
        elif isinstance(event, FunctionToolCallEvent):
            part = event.part
            self.calls[part.tool_call_id] = ToolCall(
                part.tool_call_id, part.tool_name, as_json(history.call_arguments(part.args))
            )
            self.waiting.append(part.tool_call_id)
        elif isinstance(event, CustomEvent):
            yield from self._started(event.tool_call_id)
            yield status(_status_text(event), event.tool_call_id)
        elif isinstance(event, FunctionToolResultEvent):
            part = event.part
            yield from self._started(part.tool_call_id)
            call = self.calls.get(part.tool_call_id) or ToolCall(part.tool_call_id, part.tool_name, {})
            if part.outcome == "retried":  # ModelRetry, or arguments that do not fit the schema
                yield _Refusal("tool_result", tool_result(call, error=error_text(part.content)).payload)
            elif part.outcome in FAILED:
                yield tool_result(call, error=error_text(part.content))
            else:
                yield tool_result(call, output=as_json(part.content))
        elif isinstance(event, AgentRunResultEvent):
            yield from self._started(None)
            finish = event.result.response.finish_reason
            yield result(text="".join(self.text), finish_reason=finish or "stop")

    def _text(self, piece: str) -> Iterator[AgentEvent]:
        if piece:
            self.text.append(piece)
            yield delta(piece)

    def _started(self, call_id: str | None) -> Iterator[AgentEvent]:
        """Announce the calls before ``call_id`` and that call itself (all of them for None)."""
        while call_id in self.waiting or (call_id is None and self.waiting):
            announced = self.waiting.pop(0)
            yield tool_call(self.calls[announced])
            if announced == call_id:
                return


class _Refusal(AgentEvent):
    """A call's error ``tool_result`` because the call's arguments were refused: the schema did
    not take them, or the tool raised ``ModelRetry``. A run goes on after it like any other; a tool
    run directly answers it as arguments refused."""

    __slots__ = ()


def refused(event: AgentEvent) -> bool:
    """Whether ``event`` is a ``tool_result`` for a call whose arguments were refused."""
    return isinstance(event, _Refusal)


def _status_text(event: CustomEvent) -> str:
    """A custom event's ``message`` field, else its payload as JSON."""
    message = getattr(event, "message", None)
    if isinstance(message, str):
        return message
    return json.dumps(as_json(event))
