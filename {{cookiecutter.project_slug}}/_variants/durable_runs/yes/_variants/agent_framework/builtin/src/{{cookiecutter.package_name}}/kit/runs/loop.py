"""The agent loop as durable steps: every model call and every tool call is checkpointed.

On a replay (after a wait, a failure or a timeout) the SDK hands back each finished step's
checkpointed result instead of running it again, so no model call is paid for twice and no
tool runs twice once it has finished. The conversation is rebuilt from those results, so
everything outside the steps must be deterministic: no clocks, no random ids.

Step names read well in the execution history: ``model 1``, ``tool slow_process#call_1``,
``approval publish#call_2``, and ``reply`` when the result goes to a listener (see ``reply``).

With ``MCP_SERVERS`` set, a run also offers the remote MCP servers' tools. Their listing is a
step of its own, ``remote tools``, taken before the first model call: a replay reads the same
listing back rather than asking the servers again (their tools may have changed since), so the
model is shown the same tools and the steps stay the same. A remote call is a ``tool`` step
like any other.
"""

from __future__ import annotations

import json
import time
from functools import partial

from aws_durable_execution_sdk_python import DurableContext
from aws_durable_execution_sdk_python.exceptions import SuspendExecution

from .. import author
from ..agent import model, tools
from ..agent.events import Message, ToolCall, model_call
from ..errors import ApiError
from ..logs import get_logger
from ..payloads import parse_chat
from ..settings import Settings
from ..telemetry.run_observer import RunReport
from . import approval
from .config import RunSettings
from .reply import Reply, reply_for
from .waits import wait_for_approval

log = get_logger(__name__)


def run(event: object, context: DurableContext, settings: Settings, run_settings: RunSettings) -> dict:
    """Answer the ``POST /invoke`` body in ``event``: the final ``result`` payload or the ``error``.

    Tool progress and the outcome go to the log and to the listener the input names, if any.
    """
    reply = reply_for(event if isinstance(event, dict) else {}, settings)
    report = RunReport(settings)  # metrics and spans of the steps this invocation runs
    try:
        outcome = answer(event, context, settings, run_settings, reply, report)
    except SuspendExecution:
        report.end(None, suspended=True)
        raise
    report.end(outcome)
    if reply.delivers:
        context.step(lambda _: reply.finish(outcome), "reply")
    log.info("run finished", type=outcome["type"], code=outcome.get("code"))
    return outcome


def answer(
    event: object,
    context: DurableContext,
    settings: Settings,
    run_settings: RunSettings,
    reply: Reply,
    report: RunReport,
) -> dict:
    try:
        request = parse_chat(event if isinstance(event, dict) else {}, settings.agent_model)
    except ApiError as problem:
        return failure(problem.message, "bad_request")
    options = getattr(request, "options", None) or {}
    conversation = [Message("system", author.system_prompt()), *request.messages]
    remote = offered_remote_tools(context, settings)
    specs = tools.specs() + approval.specs() + [tool.spec for tool in remote.values()]
    parts: list[str] = []
    for number in range(1, settings.agent_max_steps + 1):
        turn = context.step(
            lambda _, c=list(conversation): model_turn(c, specs, settings, options, report), f"model {number}"
        )
        if "error" in turn:
            return failure(turn["error"], "provider_error")
        parts.append(turn["text"])
        calls = [ToolCall(*call) for call in turn["calls"]]
        if not calls:
            return {"type": "result", "text": "".join(parts), "finish_reason": turn["finish_reason"]}
        conversation.append(Message("assistant", turn["text"], tuple(calls)))
        for call in calls:
            outcome = call_tool(context, call, run_settings, reply, report, remote)
            failed = "error" in outcome
            content = outcome["error"] if failed else as_text(outcome["output"])
            conversation.append(Message("tool", content, tool_call_id=call.id, is_error=failed))
    limit = settings.agent_max_steps
    return failure(
        f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
    )


def offered_remote_tools(context: DurableContext, settings: Settings) -> dict:
    """The remote MCP servers' tools for this run, by the name the model sees; {} without
    ``MCP_SERVERS`` (and then no step: a run without remote servers has the steps it always had).

    The listing is checkpointed as plain JSON (the server's name, the tool's name there, its
    spec) and rebuilt against the servers of ``settings``, which the run's version keeps.
    """
    if not settings.mcp_servers:
        return {}
    from ..agent.remote_tools import RemoteTool  # the MCP client loads only in runs that use it

    def listing(_) -> list[dict]:
        offered = tools.remote_tools_for_run(settings).values()
        return [{"server": t.server.name, "tool": t.tool, "spec": t.spec} for t in offered]

    servers = {server.name: server for server in settings.mcp_servers}
    return {
        entry["spec"]["name"]: RemoteTool(servers[entry["server"]], entry["tool"], entry["spec"])
        for entry in context.step(listing, "remote tools")
        if entry["server"] in servers
    }


def failure(message: str, code: str) -> dict:
    return {"type": "error", "message": message, "code": code}


def as_text(output: object) -> str:
    return output if isinstance(output, str) else json.dumps(output, default=str)


def model_turn(
    conversation: list[Message], specs: list[dict], settings: Settings, options: dict, report: RunReport
) -> dict:
    """One model call, whole: its text, the tool calls it asked for, why it stopped.

    Plain JSON, as a checkpoint must be. A provider failure is a result too (the run ends
    with it) rather than an exception the SDK would retry with backoff. Reported (metrics,
    span) when it really runs, so a replay reports nothing twice.
    """
    text: list[str] = []
    calls: list[list] = []
    finish = "stop"
    usage = model.Usage(None, None)
    started, first_token = time.time(), None
    try:
        for piece in model.stream_turn(conversation, specs, settings, options):
            first_token = first_token or time.time()
            if isinstance(piece, model.Usage):
                usage = piece
            elif isinstance(piece, str):
                text.append(piece)
            elif isinstance(piece, ToolCall):
                calls.append(list(piece))
            elif isinstance(piece, model.Finish):
                finish = piece.reason
    except model.ProviderError as problem:
        record = model_call(settings.agent_model, settings.llm_provider, started, first_token, None, *usage)
        report.model_call({**record.payload, "error": "provider_error"}, time.time())
        return {"error": str(problem)}
    reason = "tool_calls" if calls else finish
    record = model_call(settings.agent_model, settings.llm_provider, started, first_token, reason, *usage)
    report.model_call(record.payload, record.timestamp)
    return {"text": "".join(text), "calls": calls, "finish_reason": finish}


def call_tool(
    context: DurableContext,
    call: ToolCall,
    run_settings: RunSettings,
    reply: Reply,
    report: RunReport,
    remote: dict | None = None,
) -> dict:
    """The call's ``tool_result`` payload; a tool that needs approval waits for a person first.

    ``remote`` holds the run's remote MCP tools (``offered_remote_tools``): their calls are steps too.
    """
    label = f"{call.name}#{call.id}"
    if call.name in approval.TOOLS:
        refusal = wait_for_approval(context, call.name, call.id, run_settings.approval_timeout_s)
        if refusal:
            return {"id": call.id, "name": call.name, "error": refusal}
        return context.step(lambda _: reported(call, report, approval.run_call, reply), f"tool {label}")
    run = partial(run_call, remote=remote)
    return context.step(lambda _: reported(call, report, run, reply), f"tool {label}")


def reported(call: ToolCall, report: RunReport, run, reply: Reply) -> dict:
    """``run(call, reply)``, its span and count reported: it runs only when not replayed."""
    report.tool_started({"id": call.id, "name": call.name, "arguments": call.arguments}, time.time())
    outcome = run(call, reply)
    report.tool_ended(outcome, time.time())
    return outcome


def run_call(call: ToolCall, reply: Reply, remote: dict | None = None) -> dict:
    """Run one tool (the kit's, or a remote one of ``remote``), reporting its progress; its
    ``tool_result`` payload is returned."""
    outcome: dict = {}
    for event in tools.run_call(call, remote):
        if event.type == "status":
            reply.status(call, event.payload["message"])
        else:
            outcome = event.payload
    return outcome
