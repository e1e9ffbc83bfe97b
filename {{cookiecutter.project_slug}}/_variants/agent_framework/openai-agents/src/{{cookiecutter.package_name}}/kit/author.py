"""Where the kit meets the author's code: the one module of the kit that imports it.

Importing it loads ``agent.py`` (the Agents SDK ``Agent`` every run uses, with the tools of
``tools.py``) and ``jobs.py`` (the scheduled job, the answer to a queued message). Everything
else in ``kit/`` reaches the author's code through here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from types import ModuleType

from agents import Agent

from .. import agent, jobs, tools  # noqa: F401 - the tools agent.py hands the agent
from .agent.events import AgentEvent, Message
from .settings import Settings

ROOM = __package__.rpartition(".")[0]


def system_prompt() -> str:
    return agent.SYSTEM_PROMPT


def agents_agent() -> Agent:
    """The ``Agent`` the runs use: ``agent.py``'s ``agent``."""
    return agent.agent


def run_scheduled(event: dict) -> dict:
    return jobs.run_scheduled(event)


def answer_message(conversation: Sequence[Message], settings: Settings) -> Iterator[AgentEvent]:
    return jobs.answer_message(conversation, settings)


def module(name: str) -> ModuleType:
    """Another module of the author's room, imported on first use."""
    return importlib.import_module(f"{ROOM}.{name}")
