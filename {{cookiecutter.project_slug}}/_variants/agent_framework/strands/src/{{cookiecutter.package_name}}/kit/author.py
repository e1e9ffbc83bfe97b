"""Where the kit meets the author's code: the one module of the kit that imports it.

Importing it loads ``agent.py`` (the Strands agent and what it is told), ``tools.py`` (its tools)
and ``jobs.py`` (the scheduled job, the answer to a queued message). Everything else in ``kit/``
reaches the author's code through here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from types import ModuleType

from .. import agent, jobs, tools  # noqa: F401 - the agent and its tools load with the kit
from .agent.events import AgentEvent, Message
from .settings import Settings

ROOM = __package__.rpartition(".")[0]

# Tools put over the agent's own, by name (the kit's tests run with their own copies of the sample
# tools, whatever the author does to theirs).
OVERRIDES: dict[str, object] = {}


def system_prompt() -> str:
    return agent.SYSTEM_PROMPT


def create_agent(model):
    """A new agent from the author's ``create_agent``, with the ``OVERRIDES`` in place."""
    made = agent.create_agent(model)
    registry = made.tool_registry
    for name, replacement in OVERRIDES.items():
        if name in registry.registry:
            registry.registry[name] = replacement  # keeps the tool's place in the list
        else:
            registry.register_tool(replacement)
    return made


def override_tools(*replacements) -> None:
    """Put these Strands tools over the agent's own of the same names, in every run from now on."""
    OVERRIDES.update((replacement.tool_name, replacement) for replacement in replacements)


def run_scheduled(event: dict) -> dict:
    return jobs.run_scheduled(event)


def answer_message(conversation: Sequence[Message], settings: Settings) -> Iterator[AgentEvent]:
    return jobs.answer_message(conversation, settings)


def module(name: str) -> ModuleType:
    """Another module of the author's room, imported on first use."""
    return importlib.import_module(f"{ROOM}.{name}")
