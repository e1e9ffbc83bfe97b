"""Runs the author's LangGraph agent and yields the kit's agent events, call by call, as they happen.

``run_agent`` is a plain generator: the graph streams on the execution environment's event loop
(``environment_loop.iterate``) and each event is yielded here the moment LangGraph makes it.
Closing the generator (caller gone, deadline) cancels the run, a running tool included.

Per request, a graph from the author's ``build_agent`` with the kit's middleware: ``KitMiddleware``
(tools one at a time, each call announced as it starts and ends, bad calls and failing tools
answered as errors the model reads) and LangChain's ``ModelCallLimitMiddleware``, which ends the
run after ``AGENT_MAX_STEPS`` model calls with ``max_steps``. With ``MCP_SERVERS``, the remote
servers' tools are listed off the loop first and join the author's (``remote_structured_tools``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import aclosing

from langchain.agents.middleware import ModelCallLimitMiddleware
from langchain.agents.middleware.model_call_limit import ModelCallLimitExceededError
from langchain_core.tools import BaseTool
from langgraph.errors import GraphRecursionError

from ..settings import Settings
from . import model, remote_calls
from .conversation import langchain_messages
from .environment_loop import iterate
from .errors import ProviderError
from .events import AgentEvent, Message, error, result, status
from .kit_middleware import KitMiddleware, tool_spec
from .remote_structured_tools import structured_tools
from .translate import Translator

STREAM_MODES = ["messages", "updates", "custom"]


def run_agent(
    messages: Sequence[Message], settings: Settings, options: dict | None = None
) -> Iterator[AgentEvent]:
    """Answer a conversation with the author's agent: ``status("thinking")``, text ``delta``s,
    each tool's ``tool_call`` / ``status``es / ``tool_result``, then ``result`` or ``error``."""
    yield status("thinking")
    try:
        chosen = model.build_model(settings, options)
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    translator = Translator(settings)
    events = iterate(lambda: _run(messages, chosen, settings, translator))
    try:
        yield from events
    except (ModelCallLimitExceededError, GraphRecursionError):
        limit = settings.agent_max_steps
        yield error(
            f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
        )
        return
    except Exception as problem:
        message = model.failure_message(problem, settings)
        if message is None:
            raise
        yield error(message, code="provider_error")
        return
    finally:
        events.close()
    yield result(text=translator.text, finish_reason=translator.finish_reason)


def prepared_agent(chosen_model, max_steps: int, remote: Sequence[BaseTool] = ()):
    """The author's graph for one run, with the kit's middleware first (it brings ``remote``, the
    run's remote MCP tools)."""
    from .. import author  # here, not at the top: the author's modules import this package

    limit = ModelCallLimitMiddleware(run_limit=max_steps, exit_behavior="error")
    return author.build_agent(chosen_model, [KitMiddleware(remote), limit])


async def _run(
    messages: Sequence[Message], chosen_model, settings: Settings, translator: Translator
) -> AsyncIterator[AgentEvent]:
    remote = structured_tools(await remote_calls.offered(settings))  # [] without MCP_SERVERS
    graph = prepared_agent(chosen_model, settings.agent_max_steps, remote)
    # The step limit is the middleware's; LangGraph's own limit counts every node, so it stays well above.
    config = {"recursion_limit": 10 * (settings.agent_max_steps + 1)}
    stream = graph.astream(
        {"messages": langchain_messages(messages)}, config, stream_mode=STREAM_MODES, version="v2"
    )
    async with aclosing(stream):
        async for part in stream:
            for kit_event in translator.events(part):
                yield kit_event


def tool_specs() -> list[dict]:
    """Every tool's name, description and JSON Schema for its parameters, as the model sees them."""
    from .echo import EchoModel

    graph = prepared_agent(EchoModel(), 1)
    if "tools" not in graph.nodes:
        return []
    return [tool_spec(tool) for tool in graph.nodes["tools"].bound.tools_by_name.values()]


def preload(settings: Settings) -> None:
    """Import the configured provider and make its model during init, not on the first request
    (the first chat model a process makes loads its SDK's resources). A provider that cannot be
    made now is reported on the first request, as an error event."""
    try:
        model.build_model(settings)
    except Exception:
        return  # said again, as an error event, on the request that needs the model
