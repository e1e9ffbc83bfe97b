"""What the kit adds to the author's agent, as LangChain agent middleware: one ``KitMiddleware``.

- The model sees each tool's JSON Schema closed (``additionalProperties: false``), as the kit
  describes every tool (``tool_spec``).
- A turn's tools run one at a time, in the order the model asked for them (LangGraph would run
  them at once), and each call is announced on the run's ``custom`` stream as it starts
  (``CallStarted``) and ends (``CallEnded``), so its ``tool_call``, progress lines and
  ``tool_result`` reach the caller together and as they happen.
- A call the tool cannot take (an unknown tool, arguments that are not a JSON object or do not fit
  the schema) and a tool that raises are answered with an error ``ToolMessage``: the model reads
  it and the run goes on.
- With ``MCP_SERVERS``, the run's remote MCP tools (``remote_structured_tools``) join the author's
  as the middleware's own ``tools``; the model sees their schemas as the servers wrote them, and
  their arguments are the servers' to check.
- Each model call is announced on the ``custom`` stream as it ends (``ModelCallEnded``: when it
  started, and the model's answer, None when the call failed), for the kit's ``model_call`` record.
"""

from __future__ import annotations

import asyncio
import time
from collections import namedtuple
from collections.abc import Sequence

from langchain.agents.middleware import AgentMiddleware, hook_config
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool, ToolException
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.config import get_stream_writer
from langgraph.errors import GraphBubbleUp

from . import schema
from .events import ToolCall
from .remote_structured_tools import is_remote

CallStarted = namedtuple("CallStarted", ["call"])
CallEnded = namedtuple("CallEnded", ["call", "answer"])  # the call's ToolMessage (None: a Command)
ModelCallEnded = namedtuple("ModelCallEnded", ["started", "answer"])  # the AIMessage (None: failed)


def tool_spec(tool: BaseTool) -> dict:
    """``{"name", "description", "parameters"}``: the tool as the model sees it."""
    function = convert_to_openai_tool(tool)["function"]
    parameters = {"required": [], **function["parameters"], "additionalProperties": False}
    return {
        "name": function["name"],
        "description": function.get("description", ""),
        "parameters": parameters,
    }


def _offered(tool: BaseTool) -> dict:
    """The tool as the model sees it: a remote tool's spec as its server wrote it, else ``tool_spec``."""
    if is_remote(tool):
        spec = {"name": tool.name, "description": tool.description, "parameters": tool.args_schema}
    else:
        spec = tool_spec(tool)
    return {"type": "function", "function": spec}


class KitMiddleware(AgentMiddleware):
    def __init__(self, remote: Sequence[BaseTool] = ()) -> None:
        super().__init__()
        self.tools = list(remote)  # added to the graph's tools by ``create_agent``
        self.offered: dict[str, BaseTool] = {}
        self.one_at_a_time = asyncio.Lock()

    async def awrap_model_call(self, request, handler):
        self.offered = {tool.name: tool for tool in request.tools if isinstance(tool, BaseTool)}
        closed = [_offered(tool) if isinstance(tool, BaseTool) else tool for tool in request.tools]
        report = get_stream_writer()
        started = time.time()
        try:
            response = await handler(request.override(tools=closed))
        except GraphBubbleUp:
            raise  # LangGraph's own control flow (an interrupt), not a failure
        except Exception:
            report(ModelCallEnded(started, None))
            raise
        report(ModelCallEnded(started, _answer(response)))
        return response

    @hook_config(can_jump_to=["model"])
    async def aafter_model(self, state, runtime):
        """Calls whose arguments were not JSON go back to the model as errors (LangChain would end
        the run with them unanswered)."""
        last = state["messages"][-1]
        if not isinstance(last, AIMessage) or not last.invalid_tool_calls:
            return None
        report = get_stream_writer()
        answers = []
        for invalid in last.invalid_tool_calls:
            call = ToolCall(invalid["id"], invalid["name"], invalid["args"])
            answer = _error(call, self.refusal(call))
            report(CallStarted(call))
            report(CallEnded(call, answer))
            answers.append(answer)
        update = {"messages": answers}
        if not last.tool_calls:
            update["jump_to"] = "model"
        return update

    async def awrap_tool_call(self, request, handler):
        call = ToolCall(request.tool_call["id"], request.tool_call["name"], request.tool_call["args"])
        async with self.one_at_a_time:
            report = get_stream_writer()
            report(CallStarted(call))
            problem = self.refusal(call)
            answer = _error(call, problem) if problem else await _outcome(call, request, handler)
            report(CallEnded(call, answer if isinstance(answer, ToolMessage) else None))
            return answer

    def refusal(self, call: ToolCall) -> str | None:
        """Why the tool cannot take this call, in one line, worded as the kit's own argument checks
        word it; None if it can."""
        if call.name not in self.offered:
            return f"unknown tool {call.name!r}; tools: {', '.join(sorted(self.offered))}"
        if not isinstance(call.arguments, dict):
            return f"{call.name}: the arguments must be a JSON object"
        if is_remote(self.offered[call.name]):
            return None
        problem = schema.problem_with(call.arguments, tool_spec(self.offered[call.name])["parameters"])
        return f"{call.name}: {problem}" if problem else None


def _answer(response: object) -> AIMessage | None:
    """The model's message in what a model call returns (an ``AIMessage`` or a ``ModelResponse``,
    perhaps inside an ``ExtendedModelResponse``)."""
    if isinstance(response, AIMessage):
        return response
    response = getattr(response, "model_response", response)
    answers = [m for m in getattr(response, "result", ()) if isinstance(m, AIMessage)]
    return answers[-1] if answers else None


async def _outcome(call: ToolCall, request, handler):
    try:
        return await handler(request)
    except GraphBubbleUp:
        raise  # LangGraph's own control flow (an interrupt), not a failure
    except ToolException as failure:
        return _error(call, str(failure) or type(failure).__name__)
    except Exception as failure:
        kind = type(failure).__name__
        return _error(call, f"{kind}: {failure}" if str(failure) else kind)


def _error(call: ToolCall, text: str) -> ToolMessage:
    return ToolMessage(text, tool_call_id=call.id, name=call.name, status="error")
