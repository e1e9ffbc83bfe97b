"""Tools run directly, as ``POST /invoke`` with ``tool`` runs them: one call, made through the
author's own agent by the scripted echo model, so the framework checks the arguments and the
tool reports its progress exactly as when a model calls it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..settings import get_settings
from . import runner, schema
from .errors import ToolArgumentError
from .events import AgentEvent, Message, result, status

__all__ = ["ToolArgumentError", "ToolFailed", "check_arguments", "run_tool", "specs"]


class ToolFailed(RuntimeError):
    """The tool raised; the message is the framework's account of it."""


def specs() -> list[dict]:
    """Every tool's name, description and JSON Schema, as the model sees them."""
    return runner.tool_specs()


def check_arguments(name: str, arguments: object) -> None:
    """ToolArgumentError unless ``name`` is a tool and ``arguments`` fit its schema."""
    by_name = {spec["name"]: spec for spec in specs()}
    if name not in by_name:
        raise ToolArgumentError(f"unknown tool {name!r}; tools: {', '.join(sorted(by_name))}")
    if not isinstance(arguments, dict):
        raise ToolArgumentError(f"{name}: the arguments must be a JSON object")
    problem = schema.problem_with(arguments, by_name[name]["parameters"])
    if problem:
        raise ToolArgumentError(f"{name}: {problem}")


def _refused(event: AgentEvent) -> bool:
    """Whether the tool refused its arguments (a runner without ``refused`` never says so)."""
    return getattr(runner, "refused", lambda _: False)(event)


def run_tool(name: str, arguments: dict[str, object]) -> Iterator[AgentEvent]:
    """The tool's status events as they are sent, then its ``result``; ToolArgumentError if the
    tool refuses its arguments (the runner says so, or it fails before it reports anything),
    ToolFailed if it fails later."""
    check_arguments(name, arguments)
    # the echo model asks for the one call; no remote MCP server is listed for it
    settings = get_settings()._replace(llm_provider="echo", echo_delay_ms=0, mcp_servers=())
    events = runner.run_agent([Message("user", f"/tool {name} {json.dumps(arguments)}")], settings)
    reported = False
    try:
        for event in events:
            if event.type == "status" and "id" in event.payload:
                reported = True
                yield status(event.payload["message"])
            elif event.type == "tool_result":
                if "error" in event.payload and _refused(event):
                    raise ToolArgumentError(event.payload["error"])
                if "error" in event.payload:
                    # failing before it reports anything, the tool refused its arguments
                    raise (ToolFailed if reported else ToolArgumentError)(event.payload["error"])
                yield result(tool=name, output=event.payload["output"])
                return
            elif event.type == "error":
                raise ToolFailed(event.payload["message"])
    finally:
        events.close()  # the echo model would answer next: nobody is waiting for it
