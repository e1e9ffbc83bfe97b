"""The agent's run as durable steps: the framework's loop, its model calls and tool calls checkpointed.

The run is the same run ``POST /invoke`` streams (the author's agent, its tools and the
approval tools), with the framework's model and tools wrapped by ``checkpoints`` so each call
is a step (see ``steps``). Everything outside the steps is the framework's loop, which decides
from the checkpointed results alone, so a replay takes the same path.
"""

from __future__ import annotations

from aws_durable_execution_sdk_python import DurableContext
from aws_durable_execution_sdk_python.exceptions import SuspendExecution

from ..agent import runner
from ..agent.events import ToolCall
from ..errors import ApiError
from ..logs import get_logger
from ..payloads import parse_chat
from ..settings import Settings
from ..telemetry.run_observer import observe
from . import approval, checkpoints
from .config import RunSettings
from .reply import Reply, reply_for
from .steps import Steps

log = get_logger(__name__)


def run(event: object, context: DurableContext, settings: Settings, run_settings: RunSettings) -> dict:
    """Answer the ``POST /invoke`` body in ``event``: the final ``result`` payload or the ``error``.

    Tool progress and the outcome go to the log and to the listener the input names, if any.
    """
    reply = reply_for(event if isinstance(event, dict) else {}, settings)
    try:
        outcome = answer(event, context, settings, run_settings, reply)
    except BaseExceptionGroup as group:  # a framework's task group carries the wait's suspension
        suspended = group.subgroup(SuspendExecution)
        if suspended is None:
            raise
        raise first(suspended) from None
    if reply.delivers:
        context.step(lambda _: reply.finish(outcome), "reply")
    log.info("run finished", type=outcome["type"], code=outcome.get("code"))
    return outcome


def answer(
    event: object, context: DurableContext, settings: Settings, run_settings: RunSettings, reply: Reply
) -> dict:
    try:
        request = parse_chat(event if isinstance(event, dict) else {}, settings.agent_model)
    except ApiError as problem:
        return {"type": "error", "message": problem.message, "code": "bad_request"}
    steps = Steps(context, approval.names(), run_settings.approval_timeout_s)
    options = getattr(request, "options", None) or {}
    calls: dict[str, ToolCall] = {}
    outcome = {"type": "error", "message": "the agent ended without an answer", "code": "agent_error"}
    run = runner.run_agent(request.messages, settings, options, checkpoints.extension(steps))
    for agent_event in observe(run, settings, suspends=suspends, replayed=steps.replayed):
        payload = agent_event.payload
        if agent_event.type == "tool_call":
            calls[payload["id"]] = ToolCall(payload["id"], payload["name"], payload["arguments"])
        elif agent_event.type == "status" and payload.get("id") in calls:
            reply.status(calls[payload["id"]], payload["message"])
        elif agent_event.type in ("result", "error"):
            outcome = {"type": agent_event.type, **payload}
    return outcome


def suspends(problem: BaseException) -> bool:
    """Whether ``problem`` suspends the run (to go on in a later invocation), not a failure."""
    if isinstance(problem, BaseExceptionGroup):
        return problem.subgroup(SuspendExecution) is not None
    return isinstance(problem, SuspendExecution)


def first(group: BaseException) -> BaseException:
    while isinstance(group, BaseExceptionGroup):
        group = group.exceptions[0]
    return group
