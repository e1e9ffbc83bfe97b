"""Tools that run only once a person approves the call.

They are offered to the model only in runs: a run can wait hours for the decision at no
cost, a streamed request cannot, so ``POST /invoke`` and ``/v1/chat/completions`` never see
them. The author writes them in ``approval_tools.py``, like any tool, with ``@approval_tool``
instead of ``@tool``.
"""

from __future__ import annotations

from .. import author
from ..agent import tools
from ..agent.events import ToolCall
from .reply import Reply

TOOLS: dict[str, tools.Tool] = {}
_SPECS: dict[str, dict] = {}


def approval_tool(function: tools.Tool) -> tools.Tool:
    """Register a tool that waits for a person's approval before each call."""
    if function.__name__ in tools.TOOLS:
        raise ValueError(f"{function.__name__!r} is already a tool that runs without approval")
    TOOLS[function.__name__] = function
    _SPECS.pop(function.__name__, None)
    return function


def spec(name: str) -> dict:
    if name not in _SPECS:
        from ..agent.schema import tool_spec

        _SPECS[name] = tool_spec(TOOLS[name])
    return _SPECS[name]


def specs() -> list[dict]:
    return [spec(name) for name in TOOLS]


class _ReportingContext(tools.ToolContext):
    """Progress goes where the run reports (``reply``): the log, and a listener if there is one."""

    def __init__(self, call: ToolCall, reply: Reply) -> None:
        super().__init__(call.id)
        self.call = call
        self.reply = reply

    def send_status(self, message: str) -> None:
        self.reply.status(self.call, str(message))


def run_call(call: ToolCall, reply: Reply) -> dict:
    """Run an approved call: its ``tool_result`` payload, with an ``error`` if it failed."""
    from ..agent.schema import problem_with

    function = TOOLS[call.name]
    arguments = call.arguments
    if not isinstance(arguments, dict):
        return {
            "id": call.id,
            "name": call.name,
            "error": f"{call.name}: the arguments must be a JSON object",
        }
    problem = (
        "'ctx' is not an argument"
        if "ctx" in arguments
        else problem_with(arguments, spec(call.name)["parameters"])
    )
    if problem:
        return {"id": call.id, "name": call.name, "error": f"{call.name}: {problem}"}
    try:
        output = function(**arguments, ctx=_ReportingContext(call, reply))
    except Exception as problem:
        kind = type(problem).__name__
        return {"id": call.id, "name": call.name, "error": f"{kind}: {problem}" if str(problem) else kind}
    return {"id": call.id, "name": call.name, "output": output}


# The author's approval tools register themselves as their module loads: now that
# ``approval_tool`` exists for them to import.
author.module("approval_tools")
