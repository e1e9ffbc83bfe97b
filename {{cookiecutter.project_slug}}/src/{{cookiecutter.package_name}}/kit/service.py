"""What each route does, free of any web framework or Lambda event.

The HTTP edge parses the body with ``payloads``, checks access, and calls
one of these functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import (
    author,  # noqa: F401 - loads the agent, tools and jobs at init
    protocols,
)
from .agent import loop, tools
from .agent.errors import ProviderError, ToolArgumentError
from .agent.events import AgentEvent, error
from .deadline import RemainingMs, until_deadline, within_deadline
from .errors import BadGateway, BadRequest, PayloadTooLarge
from .logs import get_logger
from .payloads import ChatRequest, ToolRequest, parse_chat, parse_tool
from .protocols import ndjson, openai
from .settings import Settings, get_settings

log = get_logger(__name__)

# The model provider's SDK loads during init, so the first request does not pay for it.
loop.preload(get_settings())


class StreamFailed(Exception):
    """The stream ended with an error event; transports that can signal failure do."""


def guarded(events: Iterator[AgentEvent]) -> Iterator[AgentEvent]:
    """Pass events through; turn a failure into one error event, then StreamFailed."""
    try:
        for event in events:
            yield event
            if event.type == "error":
                raise StreamFailed(event.payload["message"])
    except StreamFailed:
        raise
    except Exception as problem:
        log.exception("agent failed mid-stream")
        message = str(problem) if isinstance(problem, ToolArgumentError) else "agent failed"
        yield error(message)
        raise StreamFailed(message) from problem


def health() -> dict:
    return {"status": "ok"}


def complete_chat(request: ChatRequest, settings: Settings) -> dict:
    """A whole ``chat.completion``."""
    try:
        outcome = loop.reply(request.messages, settings, request.options)
    except ProviderError as problem:
        raise BadGateway(str(problem)) from None
    return openai.completion(outcome["text"], request.model, outcome.get("finish_reason", "stop"))


def stream_chat(request: ChatRequest, settings: Settings) -> Iterator[bytes]:
    """OpenAI SSE chunks as the agent produces text; its tool steps travel as SSE comments."""
    events = loop.run_agent(request.messages, settings, request.options)
    return openai.sse_stream(guarded(events), request.model)


def stream_invoke(data: dict, settings: Settings) -> Iterator[bytes]:
    """``POST /invoke``: ``{"messages": [...]}`` runs the agent loop, ``{"tool": ...}`` one tool."""
    if "messages" not in data:
        return stream_tool(parse_tool(data))
    if "tool" in data:
        raise BadRequest("send either 'messages' (the agent) or 'tool' (one tool), not both")
    chat = parse_chat(data, settings.agent_model)
    return ndjson.encode_stream(guarded(loop.run_agent(chat.messages, settings, chat.options)))


def stream_tool(request: ToolRequest) -> Iterator[bytes]:
    """NDJSON status lines as the tool reports progress, then its result.

    Returns once the tool's first event exists: a tool that refuses its arguments before any
    output (ToolArgumentError, e.g. a value out of range) gets the caller a 400, not a stream
    that fails.
    """
    try:
        tools.check_arguments(request.tool, request.arguments)
        events = tools.run_tool(request.tool, request.arguments)
        first = next(events)
    except ToolArgumentError as problem:
        raise BadRequest(str(problem)) from None
    except Exception as problem:
        return ndjson.encode_stream(guarded(_raising(problem)))
    return ndjson.encode_stream(guarded(_then(first, events)))


def _then(first: AgentEvent, rest: Iterator[AgentEvent]) -> Iterator[AgentEvent]:
    yield first
    yield from rest


def _raising(problem: Exception) -> Iterator[AgentEvent]:
    raise problem
    yield  # a generator, so ``guarded`` reports the failure as it reports any other


def answer_mcp(
    raw: bytes, headers: Mapping[str, str], settings: Settings, remaining_ms: RemainingMs | None
) -> protocols.mcp.Reply:
    """``POST /mcp``: one MCP message answered (see ``protocols.mcp``); ``headers`` lowercase.

    A streamed answer ends with a JSON-RPC error shortly before the function times out; a
    whole one is a 504 by then.
    """
    from .protocols import mcp  # loaded on the first MCP request, not at every cold start

    if len(raw) > settings.max_request_bytes:
        raise PayloadTooLarge(f"request body is larger than {settings.max_request_bytes} bytes")
    reply = within_deadline(lambda: mcp.handle(raw, headers), remaining_ms)
    if reply.request_id is not None and remaining_ms is not None:
        reply.body = until_deadline(reply.body, remaining_ms, lambda: mcp.timeout_event(reply.request_id))
    return reply


def send_message(request, settings: Settings) -> dict:
    """Queue the message for the worker when a queue is set; otherwise answer it now.

    ``request`` comes from ``messages.parse``.
    """
    if settings.sqs_queue_url:
        from .queue import enqueue

        message_id = enqueue(request, settings.sqs_queue_url)
        log.info("message queued", response_uuid=request.response_uuid)
        _record_queued(request.response_uuid, message_id, settings)
        return {"status": "queued", "response_uuid": request.response_uuid, "message_id": message_id}
    from . import messages

    try:
        outcome = messages.answer(request, settings)
    except ProviderError as problem:
        raise BadGateway(str(problem)) from None
    return {"status": "ok", "response_uuid": request.response_uuid, **outcome}


def _record_queued(response_uuid: str, message_id: str, settings: Settings) -> None:
    """Tell the message store the message is queued. The message is on its way whatever the
    store says: the worker records it when it claims it."""
    from . import message_store

    store = message_store.store_for(settings)
    if store is None:
        return
    from .aws_api import AwsError

    try:
        store.queued(response_uuid, message_id)
    except AwsError:
        log.exception("the message store did not record a queued message", response_uuid=response_uuid)


def message_status(response_uuid: str, settings: Settings) -> dict:
    """``GET /api/v1/messages/{response_uuid}``: the message's status and, once answered, its reply."""
    from . import message_store
    from .aws_api import AwsError

    try:
        return message_store.read(response_uuid, settings)
    except AwsError as problem:
        if problem.status is None and problem.code != "NetworkError":
            raise  # no credentials or region: the function's setup; a 500 and a log line
        raise BadGateway(f"the message store could not be read: {problem}") from None
