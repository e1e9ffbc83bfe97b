"""Your agent, written with Strands Agents: what it is told, which tools it has, how it is made.

The kit calls ``create_agent`` with the model that ``LLM_PROVIDER`` chose, once per request (a
Strands ``Agent`` keeps its conversation in ``agent.messages`` and refuses a second call while one
runs, so one is never shared), then streams the run to the caller: text, each tool call with its
progress lines and result, the answer. Up to ``AGENT_MAX_STEPS`` model calls.
"""

from __future__ import annotations

from strands import Agent, ModelRetryStrategy

from .tools import echo, slow_process

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly. Use the tools when they help."


def create_agent(model) -> Agent:
    return Agent(
        model=model,
        system_prompt=SYSTEM_PROMPT,
        tools=[slow_process, echo],
        callback_handler=None,  # the kit streams the events; nothing is printed
        # A throttled model is tried again after 1 s, then 2 s: Strands' default waits (4 s doubling
        # up to 240 s) would outlast the function's timeout.
        retry_strategy=ModelRetryStrategy(max_attempts=3, initial_delay=1, max_delay=2),
    )
