"""Runs the author's Strands agent and yields the kit's agent events, call by call, as they happen.

``run_agent`` is a plain generator: the agent streams on the execution environment's event loop
(``environment_loop.iterate``) and each event is yielded here the moment Strands makes it. Closing
the generator (caller gone, deadline) cancels the run, a running tool included.

Per request, a new agent from the author's ``create_agent`` (a Strands ``Agent`` keeps its
messages and refuses concurrent calls); the model is shared (``model.build_model``). The kit adds
to it what makes its run stream like any kit's (``guard``): schemas that refuse unknown
arguments, a check of each call's arguments, an event as each tool starts and ends, and a turn's
tools run one at a time, in the order the model asked for them (Strands' ``SequentialToolExecutor``),
so each call's ``tool_call``, ``status`` lines and ``tool_result`` arrive together, and a
``model_call`` record as each model call ends (``model_calls``), Strands' own spans kept out.
With ``MCP_SERVERS`` set, the run also offers the remote servers' tools, listed before the agent
starts (``remote_calls.for_run``) and added as Strands tools (``remote_agent_tools``); a run
with an ``Extension`` offers the author's tools only.
``AGENT_MAX_STEPS`` is Strands' ``limits={"turns": N}``: N model calls (each with the tools it
asked for), after which the run stops with ``stop_reason="limit_turns"``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass

from strands.middleware import ExecuteToolStage, InvokeModelStage
from strands.tools.executors import SequentialToolExecutor
from strands.types.exceptions import EventLoopException, MaxTokensReachedException

from ..settings import Settings
from . import model, providers, remote_calls
from .conversation import strands_messages, system_blocks
from .environment_loop import iterate
from .errors import ProviderError
from .events import AgentEvent, Message, error, result, status
from .guard import ArgumentGuard, announce_calls, close_schemas
from .model_calls import ModelCalls, quiet_spans
from .translate import FINISH_REASONS, Translator


@dataclass(frozen=True)
class Extension:
    """What a caller adds to a run: a wrapper around its model, and changes to its agent."""

    wrap_model: Callable = lambda chosen: chosen
    prepare: Callable = lambda agent: None


def run_agent(
    messages: Sequence[Message],
    settings: Settings,
    options: dict | None = None,
    extension: Extension | None = None,
) -> Iterator[AgentEvent]:
    """Answer a conversation with the author's agent: ``status("thinking")``, text ``delta``s,
    each tool's ``tool_call`` / ``status``es / ``tool_result``, then ``result`` or ``error``."""
    # A run with an extension offers the author's tools only; others, MCP_SERVERS' too.
    offers_remote = extension is None
    extension = extension or Extension()
    yield status("thinking")
    try:
        chosen = extension.wrap_model(model.build_model(settings, options))
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    remote = remote_calls.for_run(settings) if offers_remote else {}
    translator = Translator()
    ending: dict = {}
    events = iterate(lambda: _run(messages, chosen, settings, translator, ending, extension, remote))
    try:
        yield from events
    except MaxTokensReachedException:  # Strands raises where the kit finishes with "length"
        yield result(text=translator.text, finish_reason="length")
        return
    except Exception as problem:
        message = model.failure_message(_cause(problem), settings)
        if message is None:
            raise
        yield error(message, code="provider_error")
        return
    finally:
        events.close()
    if ending.get("stop_reason") == "limit_turns":
        limit = settings.agent_max_steps
        yield error(
            f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
        )
        return
    yield result(text=translator.text, finish_reason=FINISH_REASONS.get(ending.get("stop_reason"), "stop"))


def _cause(problem: BaseException) -> BaseException:
    """The provider's own exception, when Strands wrapped it."""
    if isinstance(problem, EventLoopException) and problem.__cause__ is not None:
        return problem.__cause__
    return problem


def prepared_agent(chosen_model, translator: Translator, extra_system: Sequence[dict] = ()):
    """The author's agent for one run, with what the kit adds to it."""
    from .. import author  # here, not at the top: the author's modules import this package

    agent = author.create_agent(chosen_model)
    if extra_system:
        agent.system_prompt = [*(agent.system_prompt_content or []), *extra_system]
    close_schemas(agent.tool_registry.registry.values())
    agent.hooks.add_hook(ArgumentGuard(translator.arguments_of))
    agent.add_middleware(ExecuteToolStage, announce_calls)
    agent.tool_executor = SequentialToolExecutor()
    quiet_spans()
    return agent


async def _run(
    messages: Sequence[Message],
    chosen_model,
    settings: Settings,
    translator: Translator,
    ending: dict,
    extension: Extension,
    remote: dict,
) -> AsyncIterator[AgentEvent]:
    """The agent's run, on the environment's loop: the kit's events, then ``ending`` filled in.

    ``aclosing`` ends Strands' stream inside this task when the run is cancelled or left early,
    so the OpenTelemetry context it attached is detached in the context that attached it (an
    abandoned stream is finalised later, elsewhere, and logs "Failed to detach context").
    """
    agent = prepared_agent(chosen_model, translator, system_blocks(messages))
    agent.add_middleware(InvokeModelStage, ModelCalls(settings))
    extension.prepare(agent)
    if remote:
        from .remote_agent_tools import add_remote_tools

        add_remote_tools(agent, remote)
    stream = agent.stream_async(strands_messages(messages), limits={"turns": settings.agent_max_steps})
    async with aclosing(stream):
        async for event in stream:
            if "result" in event:
                ending["stop_reason"] = getattr(event["result"], "stop_reason", None)
                continue
            for kit_event in translator.events(event):
                yield kit_event


def tool_specs() -> list[dict]:
    """Every tool's name, description and JSON Schema for its parameters, as the model sees them."""
    from .echo import EchoModel

    agent = prepared_agent(EchoModel(), Translator())
    return [
        {"name": spec["name"], "description": spec["description"], "parameters": spec["inputSchema"]["json"]}
        for spec in agent.tool_registry.get_all_tool_specs()
    ]


def preload(settings: Settings) -> None:
    """Import the configured provider's model class during init, not on the first request."""
    providers.preload(settings)
