"""Tools that report and count, and a model scripted turn by turn, for runs of the kit's own loop."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.kit.agent import model, tools
from {{ cookiecutter.package_name }}.kit.runs import approval


@pytest.fixture
def reporting_tools(monkeypatch):
    calls = {"count": 0, "publish_it": 0}

    def count(n: int, *, ctx: tools.ToolContext) -> dict:
        """Count to n."""
        calls["count"] += 1
        for step in range(1, n + 1):
            ctx.send_status(f"counted {step} of {n}")
        return {"counted": n}

    def publish_it(text: str, *, ctx: tools.ToolContext) -> dict:
        """Publish text."""
        calls["publish_it"] += 1
        ctx.send_status(f"publishing {text}")
        return {"published": text}

    monkeypatch.setitem(tools.TOOLS, "count", count)
    monkeypatch.setitem(approval.TOOLS, "publish_it", publish_it)
    return calls


def script(monkeypatch, *turns):
    """The model answers turn by turn: a list of tool calls, or the final text."""
    asked = []

    def stream_turn(messages, specs, settings, options):
        asked.append(messages)
        turn = turns[len(asked) - 1]
        yield from turn if isinstance(turn, list) else [turn]

    monkeypatch.setattr(model, "stream_turn", stream_turn)
    return asked
